"""A canonical form for index expressions, used to prove two of them equal for symbolic sizes.

An expression becomes a sum of terms; a term is a coefficient, a set of summed (dummy) indices
and a product of atoms with exponents. Kronecker deltas are contracted, equal atoms merge,
and dummy indices are renamed canonically (every permutation is tried for up to six), so two
expressions are equal when their canonical sums agree term by term. Atoms that do not expand
(functions, negative powers of sums) keep their arguments in the same canonical form.
"""
from __future__ import annotations

import itertools
from functools import lru_cache
from dataclasses import dataclass, replace
from typing import Iterable, Mapping

import sympy

from .expr import (Add, Call, Comp, Delta, Deriv, Differential, Dim, Expr, Integral, MatEntry,
                   MatScalar, MBin, MCall, MNeg, MSym, Mul, Num, Pow, Sum)
from .model import Symbol
from .shapes import ONE, shape_of, symbol_shape
from .treeops import Fresh, neg, rename as rename_leaf, rename_scalar, with_scalar

_counter = itertools.count()


@dataclass(frozen=True)
class FuncAtom:
    func: str
    order: int
    arg: tuple["Term", ...]


@dataclass(frozen=True)
class GroupAtom:
    nf: tuple["Term", ...]


@dataclass(frozen=True)
class IntegralAtom:
    """The integral of nf over a bound scalar from lo to hi. The bound scalar has the name
    _iv<depth> (its nesting depth), so integrals equal up to the name of their variable
    (alpha-equivalent) get one key; nf is one term without summed indices (sums, constant
    factors and summed indices are taken out: the integral is linear)."""
    var: str
    lo: sympy.Expr
    hi: sympy.Expr
    nf: tuple["Term", ...]


@dataclass(frozen=True)
class Term:
    coeff: sympy.Expr
    dummies: tuple[tuple[str, str], ...] = ()
    factors: tuple[tuple[object, sympy.Expr], ...] = ()


NF = tuple[Term, ...]
ONE_TERM = Term(sympy.Integer(1))


class NotLinear(ValueError):
    pass


def _unique() -> str:
    return f"~{next(_counter)}"


# --- building ---------------------------------------------------------------------------------

def _indexed(e: Expr, symmetric: frozenset[str]) -> NF:
    return (Term(sympy.Integer(1), (), ((e, sympy.Integer(1)),)),)


def _times(a: NF, b: NF) -> NF:
    out = []
    for s in a:
        for t in b:
            t = _rename_dummies(t, {d: _unique() for d, _ in t.dummies})
            out.append(Term(s.coeff * t.coeff, s.dummies + t.dummies, s.factors + t.factors))
    return tuple(out)


def _power(base: NF, p: sympy.Expr) -> NF:
    if p == 0:
        return (ONE_TERM,)
    if len(base) == 1 and not base[0].dummies and p.is_integer:
        t = base[0]
        return (Term(t.coeff ** p, (), tuple((a, e * p) for a, e in t.factors)),)
    if len(base) == 1 and not base[0].dummies and t_is_atom(base[0]):
        a, e = base[0].factors[0]
        if e == 1:
            return (Term(sympy.Integer(1), (), ((a, p),)),)
    if len(base) == 1 and not base[0].dummies and not base[0].factors and base[0].coeff > 0:
        return (Term(base[0].coeff ** p),)
    if len(base) == 1 and base[0].dummies and p.is_integer:
        parts = _independent(base[0])
        if len(parts) > 1:      # (Σa)(Σb) to a power: each factor to the power, so they merge
            out: NF = (Term(base[0].coeff ** p),)
            for part in parts:
                out = _times(out, _power((part,), p))
            return out
    if p.is_integer and 0 < p <= 4:
        out = (ONE_TERM,)
        for _ in range(int(p)):
            out = _times(out, base)
        return out
    return (Term(sympy.Integer(1), (), ((GroupAtom(canonical(base)), p),)),)


def _independent(t: Term) -> list[Term]:
    """t's factors split into products that share no summed index."""
    groups: list[tuple[set[str], list]] = []
    dummies = dict(t.dummies)
    for a, e in t.factors:
        ix = _atom_indices(a) & set(dummies)
        joined = [g for g in groups if g[0] & ix]
        merged = (set(ix), [(a, e)])
        for g in joined:
            merged[0].update(g[0])
            merged[1][:0] = g[1]
            groups.remove(g)
        groups.append(merged)
    return [Term(sympy.Integer(1), tuple((d, dummies[d]) for d in sorted(ix)), tuple(fs))
            for ix, fs in groups]


def t_is_atom(t: Term) -> bool:
    return t.coeff == 1 and len(t.factors) == 1


def build(e: Expr, symmetric: frozenset[str] = frozenset()) -> NF:
    """The expanded (not yet simplified) sum of terms of a resolved tree."""
    if isinstance(e, Num):
        return (Term(e.value),) if e.value != 0 else ()
    if isinstance(e, (Comp, Delta, Deriv, Differential, Dim)):
        return _indexed(e, symmetric)
    if isinstance(e, Add):
        return tuple(t for x in e.terms for t in build(x, symmetric))
    if isinstance(e, Mul):
        out: NF = (ONE_TERM,)
        for f in e.factors:
            out = _times(out, build(f, symmetric))
        return out
    if isinstance(e, Sum):
        new = _unique()
        out = []
        for t in build(rename_leaf(e.body, e.index, new), symmetric):
            if new in _term_indices(t):
                out.append(Term(t.coeff, t.dummies + ((new, e.dim),), t.factors))
            else:
                out.append(Term(t.coeff, t.dummies, t.factors + ((Dim(e.dim), sympy.Integer(1)),)))
        return tuple(out)
    if isinstance(e, Pow):
        if isinstance(e.base, Pow) and isinstance(e.exp, Num) and isinstance(e.base.exp, Num) \
                and e.exp.value.is_integer and e.base.exp.value.is_integer:
            return build(Pow(e.base.base, Num(e.exp.value * e.base.exp.value)), symmetric)
        p = build(e.exp, symmetric)
        if len(p) <= 1 and all(not t.factors for t in p):
            return _power(build(e.base, symmetric), p[0].coeff if p else sympy.Integer(0))
        return build(Call("exp", Mul((e.exp, Call("log", e.base)))), symmetric)
    if isinstance(e, Call):
        if e.func == "conj" and not e.order:
            return _conj(build(e.arg, symmetric))
        if e.func == "sqrt":
            return _power(build(e.arg, symmetric), sympy.Rational(1, 2))
        return (Term(sympy.Integer(1), (), ((FuncAtom(e.func, e.order,
                                                     canonical(build(e.arg, symmetric))),
                                            sympy.Integer(1)),)),)
    if isinstance(e, Integral):
        return _integral(e, symmetric)
    if isinstance(e, MatEntry):
        if e.func == "adj":
            return build(Mul((MatScalar("det", e.arg), MatEntry("inv", e.arg, e.indices))),
                         symmetric)
        if e.func == "":
            return _from_matrix(e, symmetric)
        if e.func == "pinv":      # of a full-row/column-rank symbol: its closed form
            from .derive import pinv_closed_form
            closed = pinv_closed_form(e.arg, _SYMBOLS.get("current") or {})
            if closed is not None:
                return _from_matrix(MatEntry("", closed, e.indices), symmetric)
        return _indexed(e, symmetric)
    if isinstance(e, MatScalar):
        if e.func == "tr":
            return _from_matrix(e, symmetric)
        return _indexed(e, symmetric)
    raise TypeError(f"cannot normalise {type(e).__name__}")


_SYMBOLS: dict = {}
_DEPTH = [0]


def _conj(nf: NF) -> NF:
    """The complex conjugate (an extension), taken into sums and products down to conj atoms:
    conj(sum of c * prod a^e) = sum of conj(c) * prod conj(a)^e for integer e. conj is the
    identity on deltas, dims and components and differentials of a declared real symbol;
    conj(conj(a)) = a; any other factor a (or a non-integer power) becomes the atom conj(a)."""
    syms = _SYMBOLS.get("current", {})

    def wrap(a, p=sympy.Integer(1)):
        return (FuncAtom("conj", 0, (Term(sympy.Integer(1), (), ((a, p),)),)), sympy.Integer(1))

    def atom(a, p):
        if not p.is_integer:
            return wrap(a, p)
        if isinstance(a, (Delta, Dim)):
            return (a, p)
        if isinstance(a, (Comp, Differential)) and a.name in syms \
                and "complex" not in syms[a.name].assume:
            return (a, p)
        if isinstance(a, FuncAtom) and a.func == "conj" and len(a.arg) == 1 \
                and a.arg[0].coeff == 1 and not a.arg[0].dummies and len(a.arg[0].factors) == 1:
            inner, q = a.arg[0].factors[0]
            return (inner, q * p)
        return (wrap(a)[0], p)
    return tuple(Term(sympy.conjugate(t.coeff), t.dummies,
                      tuple(atom(a, p) for a, p in t.factors)) for t in nf)


def _integral(e: Integral, symmetric) -> NF:
    """Linearity: each term of the body gives one integral of the factors that contain the
    variable, times the others (the summed indices stay outside: a finite sum commutes with
    the integral); a term without the variable is multiplied by hi - lo (finite bounds)."""
    var = f"_iv{_DEPTH[0]}"
    outer = _SYMBOLS.get("current")
    _SYMBOLS["current"] = with_scalar(outer or {}, var)
    _DEPTH[0] += 1
    try:
        body = canonical(build(rename_scalar(e.body, e.var, var), symmetric))
    finally:
        _DEPTH[0] -= 1
        _SYMBOLS["current"] = outer
    out = []
    for t in body:
        inside = tuple((a, x) for a, x in t.factors if _mentions(a, var))
        rest = tuple((a, x) for a, x in t.factors if not _mentions(a, var))
        if not inside and e.hi.value.is_finite:
            out.append(Term(t.coeff * (e.hi.value - e.lo.value), t.dummies, rest))
            continue
        atom = IntegralAtom(var, e.lo.value, e.hi.value, (Term(sympy.Integer(1), (), inside),))
        out.append(Term(t.coeff, t.dummies, rest + ((atom, sympy.Integer(1)),)))
    return tuple(out)


def _mentions(a, var: str) -> bool:
    """Whether atom a contains the scalar `var` (a name no symbol or index has)."""
    return var in _atom_key(a, ())


def _from_matrix(e, symmetric) -> NF:
    from .derive import DeriveError, from_matrix_to_index
    symbols = _SYMBOLS.get("current")
    try:
        if isinstance(e, MatScalar):
            a = _unique()
            idx = from_matrix_to_index(e.arg, a, a, symbols, Fresh())
            n = str(shape_of(e.arg, symbols, lambda x, b: symbol_shape(symbols[x]))[0])
            return build(Sum(a, idx, n), symmetric)
        r, c = shape_of(e.arg, symbols, lambda x, b: symbol_shape(symbols[x]))
        idx = list(e.indices)
        rc = (idx[0], idx[1]) if len(idx) == 2 else ((None, idx[0]) if r == ONE else (idx[0], None))
        out = from_matrix_to_index(e.arg, rc[0], rc[1], symbols, Fresh())
        if out == e:       # an indexed leaf of its own (a Kronecker product): an atom
            return _indexed(e, symmetric)
        return build(out, symmetric)
    except (DeriveError, KeyError, TypeError):
        return _indexed(e, symmetric)


# --- simplifying ----------------------------------------------------------------------------

def _term_indices(t: Term) -> set[str]:
    out: set[str] = set()
    for a, _ in t.factors:
        out |= _atom_indices(a)
    return out


def _atom_indices(a) -> set[str]:
    if isinstance(a, (Comp, Deriv, Differential, MatEntry)):
        return set(a.indices)
    if isinstance(a, Delta):
        return {a.i, a.j}
    if isinstance(a, FuncAtom):
        return set().union(*(_term_indices(t) - {d for d, _ in t.dummies} for t in a.arg)) \
            if a.arg else set()
    if isinstance(a, (GroupAtom, IntegralAtom)):
        return set().union(*(_term_indices(t) - {d for d, _ in t.dummies} for t in a.nf)) \
            if a.nf else set()
    return set()


def _subst_atom(a, old: str, new: str):
    if isinstance(a, (Comp, Deriv, Differential, MatEntry, Delta)):
        return rename_leaf(a, old, new)
    if isinstance(a, FuncAtom):
        return FuncAtom(a.func, a.order, canonical(tuple(_subst_term(t, old, new) for t in a.arg)))
    if isinstance(a, GroupAtom):
        return GroupAtom(canonical(tuple(_subst_term(t, old, new) for t in a.nf)))
    if isinstance(a, IntegralAtom):
        return IntegralAtom(a.var, a.lo, a.hi,
                            canonical(tuple(_subst_term(t, old, new) for t in a.nf)))
    return a


def _subst_term(t: Term, old: str, new: str) -> Term:
    if any(d == old for d, _ in t.dummies):
        return t
    return Term(t.coeff, t.dummies, tuple((_subst_atom(a, old, new), e) for a, e in t.factors))


def _rename_dummies(t: Term, ren: Mapping[str, str]) -> Term:
    for old, new in ren.items():
        t = Term(t.coeff, t.dummies, tuple((_subst_atom(a, old, new), e) for a, e in t.factors))
    return Term(t.coeff, tuple((ren.get(d, d), n) for d, n in t.dummies), t.factors)


def _contract(t: Term, order: Mapping[str, int]) -> Term | None:
    """Contract Kronecker deltas; merge equal atoms. None if the term vanishes."""
    changed = True
    while changed:
        changed = False
        dummies = dict(t.dummies)
        for n, (a, e) in enumerate(t.factors):
            if not isinstance(a, Delta) or e != 1:
                continue
            rest = t.factors[:n] + t.factors[n + 1:]
            if a.i == a.j:
                extra = ((Dim(dummies.pop(a.i)), sympy.Integer(1)),) if a.i in dummies else ()
                t = Term(t.coeff, tuple(dummies.items()), rest + extra)
            elif a.i in dummies or a.j in dummies:
                old, new = (a.i, a.j) if a.i in dummies else (a.j, a.i)
                dummies.pop(old)
                t = Term(t.coeff, tuple(dummies.items()),
                         tuple((_subst_atom(b, old, new), x) for b, x in rest))
            else:
                keep, drop = sorted((a.i, a.j), key=lambda i: (order.get(i, 99), i))
                if drop not in _term_indices(Term(1, (), rest)):
                    continue
                t = Term(t.coeff, t.dummies, tuple((_subst_atom(b, drop, keep), x)
                                                     for b, x in rest) + ((a, e),))
            changed = True
            break
    merged: dict[str, list] = {}
    for a, e in t.factors:
        k = atom_key(a, ())
        if k in merged:
            merged[k][1] += e
        else:
            merged[k] = [a, e]
    factors = []
    coeff = t.coeff
    for a, e in merged.values():
        if e == 0:
            continue
        if isinstance(a, GroupAtom) and e.is_integer and e > 0:
            return None if coeff == 0 else _Expand(Term(coeff, t.dummies, tuple(
                (b, x) for b, x in merged.values() if b is not a)), a.nf, e)
        factors.append((a, e))
    if coeff == 0:
        return None
    used = _term_indices(Term(1, (), tuple(factors)))
    dummies = tuple(d for d in t.dummies if d[0] in used)
    for d, n in t.dummies:       # a dummy no factor uses any more sums to its size
        if d not in used:
            factors.append((Dim(n), sympy.Integer(1)))
    return Term(coeff, dummies, tuple(factors))


@dataclass(frozen=True)
class _Expand:
    rest: Term
    nf: NF
    power: sympy.Expr


def simplify_terms(nf: Iterable[Term], order: Mapping[str, int] = {}) -> NF:
    out, todo = [], list(nf)
    while todo:
        t = todo.pop()
        r = _contract(t, order)
        if isinstance(r, _Expand):
            todo.extend(_times((r.rest,), _power(r.nf, r.power)))
        elif r is not None:
            out.append(_commute(r))
    return tuple(out)


# --- matrix functions of s A commute with A ---------------------------------------------------

_COMMUTING = ("expm", "sinm", "cosm", "logm", "inv")


def _scaled(m, name: str) -> bool:
    """m is s A for the symbol A = `name` and a scalar s (or A itself, or -A, A / s)."""
    if isinstance(m, MSym):
        return m.name == name
    if isinstance(m, MNeg):
        return _scaled(m.arg, name)
    if isinstance(m, MBin) and m.op in ("*", "/"):
        pairs = ((m.left, m.right),) if m.op == "/" else ((m.left, m.right), (m.right, m.left))
        return any(_scaled(a, name) and _is_scalar(b) for a, b in pairs)
    return False


def _is_scalar(m) -> bool:
    symbols = _SYMBOLS.get("current")
    if symbols is None:
        return False
    try:
        return shape_of(m, symbols, lambda x, b: symbol_shape(symbols[x])) == (ONE, ONE)
    except (ValueError, KeyError):
        return False


def _commute(t: Term) -> Term:
    """A g(s A) = g(s A) A for g a power series or the inverse: a product A[x,d] g(sA)[d,y]
    over a dummy d found nowhere else is written g(sA)[x,d] A[d,y], so that both orders have
    one canonical form. Each rewrite moves an A to the right of a g: it stops."""
    dummies = {d for d, _ in t.dummies}
    for _ in range(64):
        factors = list(t.factors)
        for n, (a, e) in enumerate(factors):
            if e != 1 or not isinstance(a, Comp) or len(a.indices) != 2:
                continue
            x, d = a.indices
            if d not in dummies or x == d:
                continue
            match = [m for m, (b, f) in enumerate(factors)
                     if f == 1 and isinstance(b, MatEntry) and b.func in _COMMUTING
                     and len(b.indices) == 2 and b.indices[0] == d and b.indices[1] != d
                     and _scaled(b.arg, a.name)]
            others = [c for k, (c, _) in enumerate(factors) if k != n and d in _atom_indices(c)]
            if len(match) != 1 or len(others) != 1:
                continue
            m = match[0]
            b = factors[m][0]
            factors[n] = (MatEntry(b.func, b.arg, (x, d)), sympy.Integer(1))
            factors[m] = (Comp(a.name, (d, b.indices[1])), sympy.Integer(1))
            t = Term(t.coeff, t.dummies, tuple(factors))
            break
        else:
            return t
    return t


# --- canonical keys ---------------------------------------------------------------------------

def atom_key(a, ren: tuple[tuple[str, str], ...], symmetric: frozenset[str] = frozenset()) -> str:
    if isinstance(a, (FuncAtom, GroupAtom, IntegralAtom)):
        own = _atom_indices(a)
        return _cached_key(a, tuple(sorted(x for x in ren if x[0] in own)),
                           _SYMMETRIC.get("current", frozenset()))
    return _atom_key(a, ren)


@lru_cache(maxsize=100_000)
def _cached_key(a, ren, symmetric) -> str:
    return _atom_key(a, ren)


def _atom_key(a, ren) -> str:
    m = dict(ren)
    if isinstance(a, Comp):
        idx = [m.get(i, i) for i in a.indices]
        if a.name in _SYMMETRIC.get("current", frozenset()) and len(idx) == 2:
            idx.sort()
        return f"{a.name}[{','.join(idx)}]"
    if isinstance(a, Delta):
        return "delta[" + ",".join(sorted((m.get(a.i, a.i), m.get(a.j, a.j)))) + "]"
    if isinstance(a, Deriv):
        return f"D({a.name};{a.by})[{','.join(m.get(i, i) for i in a.indices)}]"
    if isinstance(a, Differential):
        return f"d({a.name})[{','.join(m.get(i, i) for i in a.indices)}]"
    if isinstance(a, MatEntry):
        idx = [m.get(i, i) for i in a.indices]
        if isinstance(a.arg, MSym) and a.arg.name in _SYMMETRIC.get("current", frozenset()):
            idx.sort()
        if isinstance(a.arg, MCall) and a.arg.func == "divdiff":    # f^[1](a, b) = f^[1](b, a)
            idx.sort()
        return f"{a.func}({a.arg})[{','.join(idx)}]"
    if isinstance(a, MatScalar):
        return f"{a.func}({a.arg})"
    if isinstance(a, Dim):
        return f"dim({a.name})"
    if isinstance(a, FuncAtom):
        return f"{a.func}{a.order}({nf_key(a.arg, ren)})"
    if isinstance(a, GroupAtom):
        return f"({nf_key(a.nf, ren)})"
    if isinstance(a, IntegralAtom):
        return f"int[{a.var};{a.lo};{a.hi}]({nf_key(a.nf, ren)})"
    raise TypeError(type(a).__name__)


_SYMMETRIC: dict = {}


def term_key(t: Term, ren: tuple[tuple[str, str], ...] = ()) -> str:
    """The factors' key under the best renaming of t's dummies (coefficient excluded)."""
    depth = sum(1 for _, v in ren if v.startswith("_"))
    names = [d for d, _ in t.dummies]
    best = None
    perms = itertools.permutations(range(len(names))) if len(names) <= 6 else [range(len(names))]
    for perm in perms:
        r = ren + tuple((names[p], f"_{depth + k}") for k, p in enumerate(perm))
        key = "*".join(sorted(f"{atom_key(a, r)}^{e}" for a, e in t.factors))
        if best is None or key < best:
            best = key
    return f"{len(names)}|{best}"


def nf_key(nf: NF, ren=()) -> str:
    return " + ".join(sorted(f"{t.coeff}:{term_key(t, ren)}" for t in nf))


def canonical(nf: Iterable[Term], order: Mapping[str, int] = {}) -> NF:
    """Simplified terms, like terms combined, in a fixed order."""
    groups: dict[str, Term] = {}
    for t in simplify_terms(nf, order):
        k = term_key(t)
        if k in groups:
            g = groups[k]
            groups[k] = replace(g, coeff=g.coeff + t.coeff)
        else:
            groups[k] = t
    return tuple(groups[k] for k in sorted(groups) if sympy.simplify(groups[k].coeff) != 0)


def normal_form(e: Expr, free: tuple[str, ...] = (), symbols=None,
                symmetric: frozenset[str] = frozenset()) -> NF:
    """The canonical form of a resolved tree whose free indices are `free`."""
    if symbols is not None:     # with the bound scalars of integrals (see IntegralAtom)
        _SYMBOLS["current"] = {**symbols, **{f"_iv{k}": Symbol(f"_iv{k}") for k in range(8)}}
    _SYMMETRIC["current"] = symmetric
    return canonical(build(e), {i: n for n, i in enumerate(free)})


def equal(a: Expr, b: Expr, free: tuple[str, ...], symbols, symmetric=frozenset()) -> bool:
    return normal_form(Add((a, neg(b))), free, symbols, symmetric) == ()


def _conj_d(a) -> bool:
    """conj(d(X)[..]): the conjugate of a complex variable's differential (R-linear in it)."""
    return isinstance(a, FuncAtom) and a.func == "conj" and len(a.arg) == 1 and len(
        a.arg[0].factors) == 1 and isinstance(a.arg[0].factors[0][0], Differential) \
        and a.arg[0].factors[0][1] == 1


def check_linear_in_differential(nf: NF, var: str) -> None:
    for t in nf:
        ds = [(a, e) for a, e in t.factors if isinstance(a, Differential) or _conj_d(a)]
        if len(ds) != 1 or ds[0][1] != 1:
            raise NotLinear(f"the differential is not linear in d({var})")
