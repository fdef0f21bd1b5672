"""Printers from trees back to index and matrix notation, with few but sufficient parentheses.

For every tree the parsers produce, parsing the printed text gives the same tree: nested
Add/Mul nodes (Einstein scopes) print inside parentheses, Num(-1) factors print as unary
minus, Pow(b, -1) factors after the first as `/ b`, and non-integer rationals as `(p/q)`,
which the parsers read back as one number. Other trees print with the same meaning.
"""
from __future__ import annotations

import sympy

from .expr import (Add, Call, Comp, Delta, Deriv, Differential, Dim, Expr, Integral, MatEntry,
                   MatScalar, MBin, MCall, MD, MDim, MExpr, MNeg, MNum, MSym, MT, Mul, Num, Pow,
                   RangeSum, Sum)

MINUS_ONE = Num(sympy.Integer(-1))


def index_text(expr: Expr) -> str:
    """Index-notation text for a tree."""
    return _sum(expr)


def matrix_text(mexpr: MExpr) -> str:
    """Matrix-notation text for a tree."""
    return _m(mexpr, 0)


# --- index notation: levels are sum > term (a flat product) > factor > power > atom ---------

def _sum(e: Expr) -> str:
    if not isinstance(e, Add):
        return _term(e)
    if not e.terms:
        return "0"
    out = _term(e.terms[0])
    for t in e.terms[1:]:
        negated = _negated(t)
        out += f" - {negated}" if negated is not None else f" + {_term(t)}"
    return out


def _negated(t: Expr) -> str | None:
    """The text of -t without its sign, when t prints naturally as a subtraction."""
    if isinstance(t, Mul) and len(t.factors) >= 2:
        first = t.factors[0]
        if first == MINUS_ONE:
            return _factors(t.factors[1:])
        if isinstance(first, Num) and first.value.is_Integer and first.value < 0:
            return _factors((Num(-first.value),) + t.factors[1:])
    if isinstance(t, Num) and t.value.is_Integer and t.value < 0:
        return str(-t.value)
    return None


def _term(e: Expr) -> str:
    if isinstance(e, Mul):
        return _factors(e.factors)
    return _factor(e)


def _factors(fs: tuple[Expr, ...]) -> str:
    if not fs:
        return "1"
    out, i = "", 0
    while i < len(fs):
        minus = 0
        while i < len(fs) - 1 and fs[i] == MINUS_ONE:
            minus, i = minus + 1, i + 1
        f, op = fs[i], "*"
        i += 1
        if out and isinstance(f, Pow) and f.exp == MINUS_ONE:
            f, op = f.base, "/"
        text = "-" * minus + _factor(f)
        out = f"{out} {op} {text}" if out else text
    return out


def _factor(e: Expr) -> str:
    if isinstance(e, (Add, Mul)):
        return f"({_sum(e)})"
    if isinstance(e, Pow):
        return _power(e)
    return _atom(e)


def _power(e: Pow) -> str:
    base = _factor(e.base)
    if isinstance(e.base, Pow) or base.startswith("-"):
        base = f"({base})"
    x = e.exp
    if isinstance(x, Pow):
        exp = _power(x)
    elif isinstance(x, (Add, Mul)) or (isinstance(x, Num) and not x.value.is_Rational):
        exp = f"({_sum(x)})"
    else:
        exp = _atom(x)
    return f"{base}^{exp}"


def _atom(e: Expr) -> str:
    if isinstance(e, Num):
        return _number(e.value)
    if isinstance(e, Comp):
        return e.name + _idx(e.indices)
    if isinstance(e, Delta):
        return f"delta[{e.i},{e.j}]"
    if isinstance(e, Dim):
        return f"dim({e.name})"
    if isinstance(e, Call):
        return f"{e.func}{chr(39) * e.order}({_sum(e.arg)})"
    if isinstance(e, Sum):
        return f"sum({e.index}, {_sum(e.body)})"
    if isinstance(e, RangeSum):
        return f"sum({e.var}, {_sum(e.lo)}, {_sum(e.hi)}, {_sum(e.body)})"
    if isinstance(e, Integral):
        hi = "inf" if e.hi.value == sympy.oo else _sum(e.hi)
        return f"integral({e.var}, {_sum(e.lo)}, {hi}, {_sum(e.body)})"
    if isinstance(e, MatEntry):
        return f"{e.func}({matrix_text(e.arg)}){_idx(e.indices)}"
    if isinstance(e, MatScalar):
        return f"{e.func}({matrix_text(e.arg)})"
    if isinstance(e, Deriv):
        by = ", " + e.by.replace(",", ", ") if e.by else ""
        return f"D({e.name}{by}){_idx(e.indices)}"
    if isinstance(e, Differential):
        return f"d({e.name}){_idx(e.indices)}"
    raise TypeError(f"cannot print {type(e).__name__}")


def _idx(indices: tuple[str, ...]) -> str:
    return f"[{','.join(indices)}]" if indices else ""


def _number(v: sympy.Expr) -> str:
    """Integers as digits (negative ones with '-'), other rationals as (p/q), anything else
    (sqrt(2), E) as index notation in parentheses."""
    v = sympy.Integer(v) if isinstance(v, int) else v
    if v.is_Integer:
        return str(v)
    if v.is_Rational:
        return f"({v.p}/{v.q})"
    tree = _from_sympy(v)
    text = _sum(tree) if tree is not None else str(v)
    return text if isinstance(tree, Call) else f"({text})"


def _from_sympy(v: sympy.Expr) -> Expr | None:
    if v.is_Rational:
        return Num(v)
    if v == sympy.E:
        return Call("exp", Num(sympy.Integer(1)))
    args = [_from_sympy(a) for a in v.args]
    if any(a is None for a in args):
        return None
    if isinstance(v, sympy.Pow):
        return Call("sqrt", args[0]) if v.exp == sympy.Rational(1, 2) else Pow(args[0], args[1])
    if isinstance(v, (sympy.exp, sympy.log)):
        return Call(type(v).__name__, args[0])
    if isinstance(v, sympy.Mul):
        return Mul(tuple(args))
    if isinstance(v, sympy.Add):
        return Add(tuple(args))
    return None


# --- matrix notation: levels 1 (+ -), 2 (@ * /), 3 (unary -), 4 (.T), 5 (atoms) ------------

def _m(m: MExpr, need: int) -> str:
    text, level = _mtext(m)
    return f"({text})" if level < need else text


def _mtext(m: MExpr) -> tuple[str, int]:
    if isinstance(m, MBin):
        if m.op in "+-":
            return f"{_m(m.left, 1)} {m.op} {_m(m.right, 2)}", 1
        return f"{_m(m.left, 2)} {m.op} {_m(m.right, 3)}", 2
    if isinstance(m, MNeg):
        return f"-{_m(m.arg, 3)}", 3
    if isinstance(m, MT):
        return f"{_m(m.arg, 4)}.T", 4
    if isinstance(m, MCall):
        return f"{m.func}{chr(39) * m.order}({', '.join(_m(a, 0) for a in m.args)})", 5
    if isinstance(m, MD):
        return f"D({m.name}{', ' + m.by.replace(',', ', ') if m.by else ''})", 5
    if isinstance(m, (MSym, MDim)):
        return m.name, 5
    if isinstance(m, MNum):
        text = _number(m.value)
        return text, 3 if text.startswith("-") else 5
    raise TypeError(f"cannot print {type(m).__name__}")
