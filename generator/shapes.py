"""Shapes of matrix-notation expressions, with dimensions as SymPy symbols.

Vectors are n x 1 columns and a scalar is 1 x 1, as in NOTATION.md; sizes are SymPy
expressions so that kron and vec produce products of dimension names.
"""
from __future__ import annotations

from typing import Callable, Mapping

import sympy

from .expr import MBin, MCall, MD, MDim, MExpr, MNeg, MNum, MSym, MT
from .model import Symbol

Shape = tuple[sympy.Expr, sympy.Expr]
ONE = sympy.Integer(1)


class ShapeError(ValueError):
    pass


def _factors(name: str) -> list[tuple[str, int]]:
    """'m*p' -> [('m', 1), ('p', 1)]; 'n**2' -> [('n', 2)]: a product as SymPy prints it."""
    out = []
    for part in name.replace("**", "^").split("*"):
        base, _, power = part.strip().partition("^")
        out.append((base, int(power) if power else 1))
    return out


def dim(name: str) -> sympy.Expr:
    """A dimension name or an integer written as text, as a SymPy size; also a product of
    them as SymPy prints it ('m*p', 'n**2': what kron and vec give)."""
    if name.isdigit():
        return sympy.Integer(int(name))
    if "*" in name:
        return sympy.Mul(*(dim(b) ** k for b, k in _factors(name)))
    return sympy.Symbol(name, positive=True, integer=True)


def size_of(name: str, sizes) -> int:
    """The concrete size of a dimension: a name, an integer, or a product such as 'm*p' or
    'n**2' (what kron and vec give)."""
    out = 1
    for base, k in _factors(name):
        out *= (int(base) if base.isdigit() else int(sizes[base])) ** k
    return out


def symbol_shape(sym: Symbol) -> Shape:
    dims = [dim(d) for d in sym.shape] + [ONE, ONE]
    return dims[0], dims[1]


def _broadcast(a: Shape, b: Shape, op: str) -> Shape:
    out = []
    for x, y in zip(a, b):
        if x == y or y == ONE:
            out.append(x)
        elif x == ONE:
            out.append(y)
        else:
            raise ShapeError(f"'{op}' of shapes {_show(a)} and {_show(b)}")
    return out[0], out[1]


def _show(s: Shape) -> str:
    return f"{s[0]}x{s[1]}"


def shape_of(m: MExpr, symbols: Mapping[str, Symbol],
             deriv: Callable[[str, str], Shape] | None = None) -> Shape:
    """The shape of `m`; `deriv(name, by)` gives the shape D(name) stands for, if allowed."""
    def go(e: MExpr) -> Shape:
        if isinstance(e, MNum):
            return ONE, ONE
        if isinstance(e, MSym):
            sym = symbols.get(e.name)
            if sym is None:
                raise ShapeError(f"undeclared symbol '{e.name}'")
            if sym.function:
                raise ShapeError(f"'{e.name}' is a function and needs an argument")
            return symbol_shape(sym)
        if isinstance(e, MD):
            if deriv is None:
                raise ShapeError("D(...) is not allowed here")
            return deriv(e.name, e.by)
        if isinstance(e, MT):
            r, c = go(e.arg)
            return c, r
        if isinstance(e, MNeg):
            return go(e.arg)
        if isinstance(e, MBin):
            a, b = go(e.left), go(e.right)
            if e.op == "@":
                if a[1] != b[0]:
                    raise ShapeError(f"'@' of shapes {_show(a)} and {_show(b)}")
                return a[0], b[1]
            return _broadcast(a, b, e.op)
        if isinstance(e, MCall) and e.func == "sum" and len(e.args) == 4 \
                and isinstance(e.args[0], MSym):
            # the body, with the summation variable an integer scalar (its bounds and the
            # exponents of mpow are checked by powers.integer_problems)
            inner = {**symbols, e.args[0].name: Symbol(e.args[0].name, integer=True)}
            return shape_of(e.args[3], inner, deriv)
        if isinstance(e, MCall) and e.func == "mpow" and len(e.args) == 2:
            s = go(e.args[0])
            if s[0] != s[1]:
                raise ShapeError(f"mpow() of a non-square {_show(s)} matrix")
            return s
        if isinstance(e, MCall):
            return _call(e, go)
        raise ShapeError(f"unexpected {type(e).__name__}")
    return go(m)


def _call(e: MCall, go) -> Shape:
    f, args = e.func, e.args
    if f in ("eye", "ones", "commutation"):
        sizes = [dim(a.name) if isinstance(a, MDim) else None for a in args]
        if None in sizes:
            raise ShapeError(f"{f}() takes dimensions")
        if f == "eye":
            return sizes[0], sizes[0]
        if f == "ones":
            return sizes[0], ONE
        return sizes[0] * sizes[1], sizes[0] * sizes[1]
    if f == "unvec":
        v = go(args[0])
        p, q = (dim(a.name) if isinstance(a, MDim) else None for a in args[1:])
        if p is None or q is None or v[1] != ONE or sympy.simplify(v[0] - p * q) != 0:
            raise ShapeError("unvec(v, p, q) needs a column of length p*q")
        return p, q
    if f in ("fm", "eigval", "eigvec", "divdiff"):     # spectral functions (an extension)
        s = go(args[-1])
        if f == "divdiff":          # divdiff(f, v): p x p for a column v of length p
            if s[1] != ONE:
                raise ShapeError(f"divdiff() of a {_show(s)} matrix, not a column")
            return s[0], s[0]
        if s[0] != s[1]:
            raise ShapeError(f"{f}() of a non-square {_show(s)} matrix")
        return (s[0], ONE) if f == "eigval" else s
    shapes = [go(a) for a in args]
    s = shapes[0]
    if f in ("inv", "adj", "expm", "logm", "sinm", "cosm", "det", "tr"):
        if s[0] != s[1]:
            raise ShapeError(f"{f}() of a non-square {_show(s)} matrix")
        return (ONE, ONE) if f in ("det", "tr") else s
    if f == "pinv":
        return s[1], s[0]
    if f == "kron":
        t = shapes[1]
        return s[0] * t[0], s[1] * t[1]
    if f == "vec":
        return s[0] * s[1], ONE
    if f == "diag":
        if s[1] == ONE:
            return s[0], s[0]
        if s[0] == s[1]:
            return s[0], ONE
        raise ShapeError(f"diag() of a {_show(s)} matrix")
    return s  # elementwise and abstract functions keep the shape
