"""From index notation to matrix notation: the textbook form of T in one layout.

A product with summed indices is a graph: indices are nodes, two-index factors are edges
(matrices), one-index factors sit on nodes (vectors). A path between the row and column
indices is a chain of matrix products, a path closed by vectors is a scalar uᵀ M v, a cycle
is a trace, a vector on an inner node is a diag(v), and two separate pieces are an outer
product. Higher-rank kinds split each term into two such pieces and join them with kron
(and a commutation matrix when the pieces cross). Anything else has no form here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import sympy

from .expr import (Add, Call, Comp, Delta, Deriv, Dim, Expr, MatEntry, MatScalar, MBin, MCall,
                   MD, MDim, MExpr, MNeg, MNum, MSym, MT, Mul, Num, Pow, Sum)
from .layouts import placement
from .model import Entry
from .shapes import ONE, ShapeError, dim as dim_size, shape_of
from .treeops import rename, unbound
from .matrix_ops import scale


class NoForm(Exception):
    pass


@dataclass
class Target:
    entry: Entry
    layout: str
    dims: Mapping[str, str]         # every index (free and summed) to its dimension

    def deriv_place(self, d: Deriv) -> tuple[str | None, str | None]:
        e = self.entry
        by = d.by.split(",") if d.by else [e.wrt[0].name]
        place = placement(e.symbols[d.name].rank, [e.symbols[b].rank for b in by], self.layout)
        if place is None or len(place[0]) > 1 or len(place[1]) > 1:
            raise NoForm("a derivative of rank above two")
        rows, cols = place
        return (d.indices[rows[0]] if rows else None, d.indices[cols[0]] if cols else None)

    def deriv_shape(self, name: str, by: str):
        """The shape D(name, by) stands for in this layout (vec-ordered groups multiply)."""
        e = self.entry
        bys = by.split(",") if by else [e.wrt[0].name]
        dims = list(e.symbols[name].shape) + [x for b in bys for x in e.symbols[b].shape]
        place = placement(e.symbols[name].rank, [e.symbols[b].rank for b in bys], self.layout)
        if place is None:
            raise NoForm("no arrangement for this derivative")
        rows, cols = (sympy.Mul(*(dim_size(dims[k]) for k in group)) if group else ONE
                      for group in place)
        return rows, cols

    def shape(self, m: MExpr):
        return shape_of(m, self.entry.symbols, self.deriv_shape)


def _mul(a: MExpr, b: MExpr) -> MExpr:
    return MBin("*", a, b)


def _ones(d: str) -> MExpr:
    return MCall("ones", (MDim(d),))


def _sum_parts(parts: list[tuple[int, MExpr]]) -> MExpr:
    out = None
    for sign, p in parts:
        if out is None:
            out = p if sign > 0 else MNeg(p)
        else:
            out = MBin("+" if sign > 0 else "-", out, p)
    return out


class Converter:
    def __init__(self, target: Target):
        self.t = target

    def dim(self, i: str) -> str:
        if i not in self.t.dims:
            raise NoForm(f"index {i} has no dimension")
        return self.t.dims[i]

    def convert(self, e: Expr, r: str | None, c: str | None) -> MExpr:
        """The matrix whose (r, c) entry is e (None: an axis of size one)."""
        free = unbound(e)
        if free - {r, c}:
            raise NoForm("an index is left over")
        rr, cc = (r if r in free else None), (c if c in free else None)
        m = self.core(e, rr, cc)
        if (r and not rr) and (c and not cc):
            return _mul(m, MBin("@", _ones(self.dim(r)), MT(_ones(self.dim(c)))))
        if r and not rr:
            return _mul(m, _ones(self.dim(r))) if cc is None else MBin("@", _ones(self.dim(r)), m)
        if c and not cc:
            return _mul(m, MT(_ones(self.dim(c)))) if rr is None else MBin("@", m, MT(_ones(self.dim(c))))
        return m

    def core(self, e: Expr, r, c) -> MExpr:
        if isinstance(e, Num):
            return MNum(e.value)
        if isinstance(e, Dim):
            return MCall("tr", (MCall("eye", (MDim(e.name),)),))
        if isinstance(e, Add):
            parts = []
            for term in e.terms:
                sign = 1
                if isinstance(term, Mul) and term.factors and term.factors[0] == Num(sympy.Integer(-1)):
                    sign, term = -1, (Mul(term.factors[1:]) if len(term.factors) > 2 else term.factors[1])
                parts.append((sign, self.convert(term, r, c)))
            return _sum_parts(parts)
        if isinstance(e, (Mul, Sum)):
            return self.product(e, r, c)
        if isinstance(e, Pow):
            return self.power(e, r, c)
        if isinstance(e, Call):
            return MCall(e.func, (self.convert(e.arg, r, c),), e.order)
        if isinstance(e, MatScalar):
            return MCall(e.func, (e.arg,))
        return self.leaf(e, r, c)

    def leaf(self, e: Expr, r, c) -> MExpr:
        if isinstance(e, Comp):
            m: MExpr = MSym(e.name)
            idx = e.indices
        elif isinstance(e, MatEntry):
            m = MCall(e.func, (e.arg,)) if e.func else e.arg
            idx = e.indices
            try:
                rows, cols = self.t.shape(m)
            except ShapeError as err:
                raise NoForm(str(err))
            if len(idx) == 1 and rows == ONE:
                return m if (None, idx[0]) == (r, c) else MT(m)
        elif isinstance(e, Deriv):
            m = MD(e.name, e.by)
            place = self.t.deriv_place(e)
            if place[0] is not None and place[0] == place[1]:     # D(U)[i,i]: its diagonal
                d = MCall("diag", (m,))
                return d if place[0] == r else MT(d)
            if place == (r, c):
                return m
            if place == (c, r):
                return MT(m)
            raise NoForm("derivative indices do not match")
        elif isinstance(e, Delta):
            if {e.i, e.j} == {r, c}:
                return MCall("eye", (MDim(self.dim(r)),))
            raise NoForm("delta")
        else:
            raise NoForm(type(e).__name__)
        if len(idx) == 0:
            return m
        if len(idx) == 1:
            return m if idx[0] == r else MT(m)
        a, b = idx
        if a == b:
            d = MCall("diag", (m,))
            return d if a == r else MT(d)
        return m if (a, b) == (r, c) else MT(m)

    def power(self, e: Pow, r, c) -> MExpr:
        if not isinstance(e.exp, Num):
            raise NoForm("a symbolic exponent")
        p = e.exp.value
        base = self.convert(e.base, r, c)
        one = MNum(sympy.Integer(1))
        if p == sympy.Rational(1, 2):
            return MCall("sqrt", (base,))
        if p == -sympy.Rational(1, 2):
            return MBin("/", one, MCall("sqrt", (base,)))
        if p.is_integer and p != 0:
            out = base
            for _ in range(int(abs(p)) - 1):
                out = _mul(out, base)
            return out if p > 0 else MBin("/", one, out)
        if (2 * p).is_integer:          # b^(n + 1/2) = b^n * sqrt(b), as a person writes it
            whole = p - sympy.Rational(1, 2) if p > 0 else p + sympy.Rational(1, 2)
            root = MCall("sqrt", (base,))
            if whole == 0:
                out = root
            else:
                out = _mul(self.power(Pow(e.base, Num(abs(whole))), r, c), root)
            return out if p > 0 else MBin("/", one, out)
        raise NoForm("a fractional power")

    def product(self, e: Expr, r, c) -> MExpr:
        dummies: list[str] = []
        while isinstance(e, Sum):
            dummies.append(e.index)
            e = e.body
        if isinstance(e, Add):      # a sum over a sum: distribute
            return self.core(Add(tuple(_wrap(dummies, t) for t in e.terms)), r, c)
        factors = list(e.factors) if isinstance(e, Mul) else [e]
        factors, dummies = _contract(factors, dummies)
        from .to_matrix_graph import assemble
        return assemble(self, factors, set(dummies), r, c)


def _wrap(dummies: list[str], body: Expr) -> Expr:
    for d in reversed(dummies):
        if d in unbound(body):
            body = Sum(d, body)
    return body


def _contract(factors: list[Expr], dummies: list[str]) -> tuple[list[Expr], list[str]]:
    """Remove deltas that carry a summed index, renaming it in the other factors."""
    changed = True
    while changed:
        changed = False
        for n, f in enumerate(factors):
            if isinstance(f, Delta) and f.i != f.j and (f.i in dummies or f.j in dummies):
                old, new = (f.i, f.j) if f.i in dummies else (f.j, f.i)
                rest = factors[:n] + factors[n + 1:]
                factors = [rename(g, old, new) for g in rest]
                dummies = [d for d in dummies if d != old]
                changed = True
                break
    return factors, dummies


__all__ = ["Converter", "Target", "NoForm", "scale"]
