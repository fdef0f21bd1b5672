"""LaTeX (KaTeX-compatible) for the two expression trees.

`index_latex` prints index notation: italic components with subscripts, sums written out,
negative powers collected into one fraction. `matrix_latex` (in latex_matrix) prints matrix
notation in textbook style; index notation uses it for matrix-function arguments.
"""
from __future__ import annotations

from dataclasses import replace

import sympy

from .expr import (Add, Call, Comp, Delta, Deriv, Differential, Dim, Expr, Integral, MatEntry,
                   MatScalar, MCall, Mul, Num, Pow, RangeSum, Sum)
from .latex_matrix import (ADD, ATOM, FUNC_TEX, MUL, NEG, SUP, SymbolInfo, apply_tex, dim_tex,
                           escape_text, indices_tex, matrix_latex, matrix_tex, name_tex,
                           number_tex, paren, range_sum_tex, sub)

__all__ = ["SymbolInfo", "index_latex", "matrix_latex", "escape_text"]

HALF = sympy.Rational(1, 2)
Item = tuple[tuple[str, int], bool]     # (LaTeX, precedence), is it a sum


def index_latex(expr: Expr, info: SymbolInfo) -> str:
    """Index notation `expr` as LaTeX."""
    return _i(expr, info)[0]


def comp_tex(name: str, indices: tuple[str, ...]) -> str:
    return sub(name_tex(name, indexed=bool(indices)), indices)


def _wrap(e: Expr, info: SymbolInfo, need: int) -> str:
    tex, p = _i(e, info)
    return paren(tex) if p < need else tex


def _i(e: Expr, info: SymbolInfo) -> tuple[str, int]:
    if isinstance(e, Num):
        return number_tex(e.value)
    if isinstance(e, Comp):
        return comp_tex(e.name, e.indices), ATOM
    if isinstance(e, Delta):
        return sub(r"\delta", (e.i, e.j)), ATOM
    if isinstance(e, Dim):
        return dim_tex(e.name), ATOM
    if isinstance(e, Add):
        return _add(e, info), ADD
    if isinstance(e, Mul):
        return _mul(e.factors, info)
    if isinstance(e, Pow):
        return _pow(e, info)
    if isinstance(e, Call):
        return apply_tex(e.func, _i(e.arg, info)[0], e.order), ATOM
    if isinstance(e, Sum):
        return _sum(e, info), MUL
    if isinstance(e, RangeSum):
        return range_sum_tex(e.var, _i(e.lo, info)[0], _i(e.hi, info)[0],
                             *_i(e.body, info)), MUL
    if isinstance(e, Integral):
        return _integral(e, info), MUL
    if isinstance(e, MatScalar):
        return matrix_latex(MCall(e.func, (e.arg,)), info), ATOM
    if isinstance(e, MatEntry):
        return _entry(e, info), ATOM
    if isinstance(e, Deriv):
        return _deriv(e, info), SUP
    if isinstance(e, Differential):      # MUL: a power of it needs brackets, d(X^2) otherwise
        return r"\mathrm{d}" + comp_tex(e.name, e.indices), MUL
    raise TypeError(f"not an index-notation node: {e!r}")


def _integral(e: Integral, info: SymbolInfo) -> str:
    """\\int_{lo}^{hi} body \\, da (\\infty for an infinite upper bound)."""
    hi = r"\infty" if e.hi.value == sympy.oo else _i(e.hi, info)[0]
    body, level = _i(e.body, replace(info, ranks={**info.ranks, e.var: 0}))
    if level < MUL or body.startswith("-"):
        body = paren(body)
    return (rf"\int_{{{_i(e.lo, info)[0]}}}^{{{hi}}} {body} \, \mathrm{{d}}"
            rf"{name_tex(e.var, indexed=False)}")


def _add(e: Add, info: SymbolInfo) -> str:
    out = ""
    for k, term in enumerate(e.terms):
        neg, tex, p = _signed(term, info)
        if neg and p <= ADD or not neg and k and tex.startswith("-"):
            tex = paren(tex)
        out += ("-" if neg else "") + tex if not k else (" - " if neg else " + ") + tex
    return out


def _signed(e: Expr, info: SymbolInfo) -> tuple[bool, str, int]:
    """Whether `e` prints with a leading minus, and the LaTeX of its absolute value."""
    if isinstance(e, Mul):
        return _mul_signed(e.factors, info)
    if isinstance(e, Num) and e.value.is_negative:
        return (True, *number_tex(-e.value))
    return (False, *_i(e, info))


def _flat(factors: tuple[Expr, ...]):
    for f in factors:
        if isinstance(f, Mul):
            yield from _flat(f.factors)
        else:
            yield f


def _mul(factors: tuple[Expr, ...], info: SymbolInfo) -> tuple[str, int]:
    neg, tex, p = _mul_signed(factors, info)
    return ("-" + (paren(tex) if p < MUL else tex), NEG) if neg else (tex, p)


def _mul_signed(factors: tuple[Expr, ...], info: SymbolInfo) -> tuple[bool, str, int]:
    coef, num, den = sympy.Integer(1), [], []
    for f in _flat(factors):
        if isinstance(f, Num):
            coef *= f.value
        elif isinstance(f, Pow) and isinstance(f.exp, Num) and f.exp.value.is_negative:
            base, p = f.base, -f.exp.value
            if isinstance(base, Num) and p.is_Integer:
                coef /= base.value ** p
            else:
                den.append(base if p == 1 else Pow(base, Num(p)))
        else:
            num.append(f)
    neg = bool(coef.is_negative)
    coef = -coef if neg else coef
    lead: list[Item] = []
    dlead: list[Item] = []
    if coef.is_Rational:
        lead = [((str(coef.p), ATOM), False)] if coef.p != 1 else []
        dlead = [((str(coef.q), ATOM), False)] if coef.q != 1 else []
    else:
        lead = [(number_tex(coef), False)]
    nums = lead + [(_i(f, info), isinstance(f, Sum)) for f in num]
    dens = dlead + [(_i(f, info), isinstance(f, Sum)) for f in den]
    if not dens:
        if len(nums) == 1:
            return neg, *nums[0][0]
        return neg, _product(nums) or "1", MUL if nums else ATOM
    # A bracketed sum among several factors reads better after the fraction than inside it.
    trail = [n for n in nums if n[0][1] <= ADD] if len(nums) > 1 else []
    nums = [n for n in nums if n not in trail]
    frac = rf"\frac{{{_product(nums) or 1}}}{{{_product(dens)}}}"
    return (neg, frac + " " + _product(trail, bare=False), MUL) if trail else (neg, frac, SUP)


def _product(items: list[Item], bare: bool = True) -> str:
    """Factors side by side; one factor alone stays bare when `bare` (braces delimit it)."""
    if len(items) == 1 and bare:
        return items[0][0][0]
    # A sum's body runs to the end of the product, so sums go last and all but one are bracketed.
    items = [it for it in items if not it[1]] + [it for it in items if it[1]]
    out = ""
    for k, ((tex, p), is_sum) in enumerate(items):
        if p < MUL or (is_sum and k < len(items) - 1):
            tex = paren(tex)
        out += tex if not k else (r" \cdot " if tex[:1].isdigit() else " ") + tex
    return out


def _pow(e: Pow, info: SymbolInfo) -> tuple[str, int]:
    if isinstance(e.exp, Num):
        v = e.exp.value
        if v.is_negative:
            return _mul((e,), info)
        if v == HALF:
            return apply_tex("sqrt", _i(e.base, info)[0]), ATOM
        exp = str(v) if v.is_Integer else f"{v.p}/{v.q}" if v.is_Rational else sympy.latex(v)
    else:
        exp = _i(e.exp, info)[0]
    return f"{_wrap(e.base, info, ATOM)}^{{{exp}}}", SUP


def _sum(e: Sum, info: SymbolInfo) -> str:
    indices, body = [e.index], e.body
    while isinstance(body, Sum):
        indices.append(body.index)
        body = body.body
    tex, p = _i(body, info)
    if p < MUL or tex.startswith("-"):
        tex = paren(tex)
    return rf"\sum_{{{','.join(indices_tex((i,)) for i in indices)}}} {tex}"


def _entry(e: MatEntry, info: SymbolInfo) -> str:
    if e.func == "adj":     # already ends in a bracket
        return sub(matrix_latex(MCall("adj", (e.arg,)), info), e.indices)
    if e.func in ("logm", "sinm", "cosm"):
        head = FUNC_TEX[e.func]
        tex, p = matrix_tex(e.arg, info)
        inner = f"{head} {tex}" if p >= ATOM else head + paren(tex)
    elif e.func:
        inner = matrix_latex(MCall(e.func, (e.arg,)), info)
    else:
        inner = matrix_latex(e.arg, info)
    return sub(paren(inner), e.indices)


def _deriv(e: Deriv, info: SymbolInfo) -> str:
    """∂u_J/∂x_K: the first rank(u) indices are u's, the rest the variable's (or `by`'s)."""
    r = info.ranks.get(e.name, 0)
    top = comp_tex(e.name, e.indices[:r])
    bys = e.by.split(",") if e.by else [info.variable]
    rest, parts = e.indices[r:], []
    for b in bys:      # D(f, x, x): one ∂ in the denominator per variable
        k = info.ranks.get(b, info.variable_rank if b == info.variable else 0)
        parts.append(rf"\partial {comp_tex(b, rest[:k])}")
        rest = rest[k:]
    order = f"^{{{len(bys)}}}" if len(bys) > 1 else ""
    return rf"\frac{{\partial{order} {top}}}{{{' '.join(parts)}}}"
