"""Small structural operations on index-notation trees: indices, renaming, fresh names."""
from __future__ import annotations

from typing import Iterable, Iterator

import sympy

from .expr import (Add, Call, Comp, Delta, Deriv, Differential, Dim, Expr, Integral, MatEntry,
                   MatScalar, MBin, MCall, MExpr, MNeg, MSym, MT, Mul, Num, Pow, RangeSum, Sum)

ZERO, ONE = Num(sympy.Integer(0)), Num(sympy.Integer(1))


def leaf_indices(e: Expr) -> tuple[str, ...]:
    if isinstance(e, (Comp, Deriv, Differential, MatEntry)):
        return e.indices
    if isinstance(e, Delta):
        return (e.i, e.j)
    return ()


def children(e: Expr) -> tuple[Expr, ...]:
    if isinstance(e, Add):
        return e.terms
    if isinstance(e, Mul):
        return e.factors
    if isinstance(e, Pow):
        return (e.base, e.exp)
    if isinstance(e, Call):
        return (e.arg,)
    if isinstance(e, Sum):
        return (e.body,)
    if isinstance(e, RangeSum):
        return (e.lo, e.hi, e.body)
    if isinstance(e, Integral):
        return (e.body,)
    return ()


def walk(e: Expr) -> Iterator[Expr]:
    yield e
    for c in children(e):
        yield from walk(c)


def all_indices(e: Expr) -> set[str]:
    """Every index name written anywhere in the tree, bound or not."""
    out: set[str] = set()
    for n in walk(e):
        out.update(leaf_indices(n))
        if isinstance(n, Sum):
            out.add(n.index)
    return out


def unbound(e: Expr) -> set[str]:
    """Indices not bound by an enclosing Sum (the free indices of a resolved tree)."""
    if isinstance(e, Sum):
        return unbound(e.body) - {e.index}
    out = set(leaf_indices(e))
    for c in children(e):
        out |= unbound(c)
    return out


def rename(e: Expr, old: str, new: str) -> Expr:
    """Rename free occurrences of index `old`, stopping where a Sum binds `old` again."""
    if old == new:
        return e
    if isinstance(e, Comp):
        return Comp(e.name, tuple(new if i == old else i for i in e.indices))
    if isinstance(e, Deriv):
        return Deriv(e.name, tuple(new if i == old else i for i in e.indices), e.by)
    if isinstance(e, Differential):
        return Differential(e.name, tuple(new if i == old else i for i in e.indices))
    if isinstance(e, MatEntry):
        return MatEntry(e.func, e.arg, tuple(new if i == old else i for i in e.indices))
    if isinstance(e, Delta):
        return Delta(new if e.i == old else e.i, new if e.j == old else e.j)
    if isinstance(e, Sum):
        return e if e.index == old else Sum(e.index, rename(e.body, old, new), e.dim)
    return rebuild(e, [rename(c, old, new) for c in children(e)])


def rebuild(e: Expr, kids: list[Expr]) -> Expr:
    if isinstance(e, Add):
        return Add(tuple(kids))
    if isinstance(e, Mul):
        return Mul(tuple(kids))
    if isinstance(e, Pow):
        return Pow(kids[0], kids[1])
    if isinstance(e, Call):
        return Call(e.func, kids[0], e.order)
    if isinstance(e, Sum):
        return Sum(e.index, kids[0], e.dim)
    if isinstance(e, RangeSum):
        return RangeSum(e.var, kids[0], kids[1], kids[2])
    if isinstance(e, Integral):
        return Integral(e.var, e.lo, e.hi, kids[0])
    return e


def rename_scalar(e: Expr, old: str, new: str) -> Expr:
    """Rename the scalar `old` (an integration variable: Comp(old, ()) in index notation,
    MSym(old) in matrix arguments) to `new`, stopping where an Integral binds `old` again."""
    if old == new:
        return e
    if isinstance(e, Comp):
        return Comp(new, ()) if e.name == old and not e.indices else e
    if isinstance(e, MatEntry):
        return MatEntry(e.func, rename_matrix_symbol(e.arg, old, new), e.indices)
    if isinstance(e, MatScalar):
        return MatScalar(e.func, rename_matrix_symbol(e.arg, old, new))
    if isinstance(e, Integral) and e.var == old:
        return e
    return rebuild(e, [rename_scalar(c, old, new) for c in children(e)])


def rename_matrix_symbol(m: MExpr, old: str, new: str) -> MExpr:
    if isinstance(m, MSym):
        return MSym(new) if m.name == old else m
    if isinstance(m, MBin):
        return MBin(m.op, rename_matrix_symbol(m.left, old, new),
                    rename_matrix_symbol(m.right, old, new))
    if isinstance(m, MNeg):
        return MNeg(rename_matrix_symbol(m.arg, old, new))
    if isinstance(m, MT):
        return MT(rename_matrix_symbol(m.arg, old, new))
    if isinstance(m, MCall):
        return MCall(m.func, tuple(rename_matrix_symbol(a, old, new) for a in m.args), m.order)
    return m


def with_scalar(symbols, var: str):
    """The symbol table with the integration variable `var` as a real scalar."""
    from .model import Symbol
    return {**symbols, var: Symbol(var)}


class Fresh:
    """Index names not yet used: a, b, c, ... skipping the ones given, then a1, b1, ..."""

    def __init__(self, used: Iterable[str] = ()):
        self.used = set(used)
        self.n = 0

    def __call__(self, hint: str = "") -> str:
        letters = "abcdefghpqrstuvwjklmnoxyz"
        if hint and hint not in self.used:
            self.used.add(hint)
            return hint
        while True:
            name = letters[self.n % len(letters)] + (str(self.n // len(letters))
                                                     if self.n >= len(letters) else "")
            self.n += 1
            if name not in self.used:
                self.used.add(name)
                return name


def mul(*factors: Expr) -> Expr:
    """A product that drops ones and collapses to zero (for building derivatives)."""
    out: list[Expr] = []
    for f in factors:
        if f == ZERO:
            return ZERO
        if f != ONE:
            out.append(f)
    return out[0] if len(out) == 1 else (Mul(tuple(out)) if out else ONE)


def add(*terms: Expr) -> Expr:
    out = [t for t in terms if t != ZERO]
    return out[0] if len(out) == 1 else (Add(tuple(out)) if out else ZERO)


def neg(e: Expr) -> Expr:
    return mul(Num(sympy.Integer(-1)), e)


def sums(indices: Iterable[tuple[str, str]], body: Expr) -> Expr:
    """Wrap body in Sum nodes for (index, dim) pairs."""
    if body == ZERO:
        return ZERO
    for i, d in reversed(list(indices)):
        body = Sum(i, body, d)
    return body


def is_constant_number(e: Expr) -> bool:
    return isinstance(e, (Num, Dim))
