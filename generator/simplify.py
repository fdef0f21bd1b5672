"""From a canonical form back to index notation: the engine's simplified derived forms.

Two trees come out: a resolved one (every sum an explicit Sum node) for evaluation, and a
display one where a sum is left to the Einstein convention whenever re-reading the text gives
the same sum, so the printed form is the one a person would write.
"""
from __future__ import annotations

from typing import Mapping

import sympy

from .canonical import (NF, FuncAtom, GroupAtom, IntegralAtom, Term, _SYMBOLS, _atom_indices,
                        _subst_atom, normal_form)
from .expr import Add, Call, Comp, Deriv, Expr, Integral, MatEntry, Delta, Mul, Num, Pow, Sum
from .treeops import ONE, ZERO, Fresh, leaf_indices, rename_scalar, walk

HALF = sympy.Rational(1, 2)


def _occurrences(e: Expr, index: str) -> int:
    return sum(leaf_indices(n).count(index) for n in walk(e))


def _atom_expr(a, display: bool, fresh: Fresh) -> Expr:
    if isinstance(a, FuncAtom):
        return Call(a.func, _nf_expr(a.arg, display, fresh), a.order)
    if isinstance(a, GroupAtom):
        return _nf_expr(a.nf, display, fresh)
    if isinstance(a, IntegralAtom):
        # the bound scalar gets a readable name that no symbol or index has
        taken = set(_SYMBOLS.get("current") or ()) | fresh.used
        names = ("a", "s", "t", "u", "w") if a.hi.is_finite else ("z", "s", "t", "u", "w")
        name = next((c for c in names if c not in taken), None)
        while name is None or name in taken:
            name = fresh()
        fresh.used.add(name)
        body = rename_scalar(_nf_expr(a.nf, display, fresh), a.var, name)
        return Integral(name, Num(a.lo), Num(a.hi), body)
    return a


def _power(base: Expr, e: sympy.Expr) -> list[Expr]:
    """Factors for base^e: sqrt for halves, a division for negative powers."""
    m1 = Num(sympy.Integer(-1))
    if e == 1:
        return [base]
    if e == HALF:
        return [Call("sqrt", base)]
    if e == -HALF:
        return [Pow(Call("sqrt", base), m1)]
    if e == -1:
        return [Pow(base, m1)]
    if e < 0:
        return [Pow(Pow(base, Num(-e)), m1)]
    return [Pow(base, Num(e))]


def _term_expr(t: Term, display: bool, fresh: Fresh) -> Expr:
    ren = {d: fresh() for d, _ in t.dummies}
    factors: list[Expr] = []
    for a, e in t.factors:
        for old, new in ren.items():
            a = _subst_atom(a, old, new)
        factors += _power(_atom_expr(a, display, fresh), e)
    c = sympy.nsimplify(t.coeff)
    num, den = sympy.fraction(c)
    lead: list[Expr] = []
    if num == -1:
        lead = [Num(sympy.Integer(-1))]
    elif num != 1:
        lead = [Num(num)]
    tail = [Pow(Num(den), Num(sympy.Integer(-1)))] if den != 1 else []
    # positive factors first, then divisions, as a person writes a / b
    pos = [f for f in factors if not (isinstance(f, Pow) and f.exp == Num(sympy.Integer(-1)))]
    negs = [f for f in factors if f not in pos]
    parts = lead + pos + negs + tail
    if not pos and (lead == [] or lead == [Num(sympy.Integer(-1))]):
        parts = lead + [ONE] + negs + tail
    body: Expr = parts[0] if len(parts) == 1 else Mul(tuple(parts))
    for (old, dim) in t.dummies:
        name = ren[old]
        if display and _implicit_ok(body, name):
            continue
        body = Sum(name, body, dim)
    return body


def _implicit_ok(body: Expr, index: str) -> bool:
    """True if the Einstein convention would sum `index` over exactly this product."""
    factors = body.factors if isinstance(body, Mul) else (body,)
    count = 0
    for f in factors:
        inner = _occurrences(f, index)
        if inner == 0:
            continue
        if isinstance(f, (Comp, Deriv, MatEntry, Delta)):
            count += inner
        elif inner == 1:
            count += 1
        else:
            return False
    return count >= 2


def _nf_expr(nf: NF, display: bool, fresh: Fresh) -> Expr:
    if not nf:
        return ZERO
    terms = [_term_expr(t, display, fresh) for t in nf]
    return terms[0] if len(terms) == 1 else Add(tuple(terms))


def to_expr(nf: NF, free: tuple[str, ...], rename_free: Mapping[str, str] | None = None,
            avoid: frozenset[str] = frozenset()) -> tuple[Expr, Expr]:
    """(resolved, display) trees for a canonical form; free indices renamed by rename_free."""
    if rename_free:
        renamed = []
        for t in nf:
            for old, new in rename_free.items():
                t = Term(t.coeff, t.dummies, tuple((_subst_atom(a, old, new), e)
                                                   for a, e in t.factors))
            renamed.append(t)
        nf = tuple(renamed)
        free = tuple(rename_free.get(i, i) for i in free)
    used = set(free) | set(avoid) | {i for t in nf for a, _ in t.factors
                                     for i in _atom_indices(a)}
    resolved = _nf_expr(nf, False, Fresh(used))
    display = _nf_expr(nf, True, Fresh(used))
    return resolved, display


def simplify(e: Expr, free: tuple[str, ...], symbols, symmetric=frozenset()) -> tuple[Expr, Expr]:
    """The simplified (resolved, display) forms of a resolved tree."""
    # summed indices get names that are not also symbol or dimension names (a[a] confuses)
    avoid = frozenset(symbols) | {d for s in symbols.values() for d in s.shape}
    return to_expr(normal_form(e, free, symbols, symmetric), free, avoid=avoid)
