"""The two expression trees: index notation and matrix notation (NOTATION.md).

Both are frozen dataclasses, so they hash, compare by value and can be cached. The parsers
build them; every later stage (resolve, derive, canonical, evaluate, lay out, render) reads
them. Numbers are SymPy numbers so that arithmetic on coefficients stays exact.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import sympy

# --- index notation -------------------------------------------------------------------------

ELEMENTWISE = ("exp", "log", "sqrt", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "abs",
               "conj")    # conj: the complex conjugate (an extension), elementwise
MATRIX_SCALAR = ("det", "tr")                         # matrix argument, scalar value
# matrix argument, indexed value
MATRIX_VALUED = ("inv", "adj", "expm", "pinv", "logm", "sinm", "cosm")
# spectral functions (an extension), indexed as a group like mpow: fm(f, M) = Q f(Lambda) Q^-1
# for M = Q Lambda Q^-1 and a declared scalar function f; eigval(M) the column of eigenvalues
# (ascending), eigvec(M) the matrix Q of eigenvectors (columns, in that order); divdiff(f, v)
# the matrix of first divided differences f^[1](v_p, v_q) of a column v
SPECTRAL = ("fm", "eigval", "eigvec", "divdiff")
RESERVED = frozenset({"D", "d", "delta", "sum", "dim"} | set(ELEMENTWISE) | set(MATRIX_SCALAR)
                     | set(MATRIX_VALUED) | {"kron", "diag", "vec", "eye", "ones", "unvec",
                                             "commutation", "T", "mpow", "integral"}
                     | set(SPECTRAL))


@dataclass(frozen=True)
class Num:
    """A number (a SymPy Rational, or an exact SymPy number such as sqrt(2))."""
    value: sympy.Expr


@dataclass(frozen=True)
class Comp:
    """A component of a declared symbol: A[i,j] is Comp('A', ('i','j')); a scalar a is Comp('a', ())."""
    name: str
    indices: tuple[str, ...]


@dataclass(frozen=True)
class Delta:
    """Kronecker delta[i,j]."""
    i: str
    j: str


@dataclass(frozen=True)
class Dim:
    """dim(n): the size of dimension n (a name, or a positive integer written as text)."""
    name: str


@dataclass(frozen=True)
class Add:
    terms: tuple["Expr", ...]


@dataclass(frozen=True)
class Mul:
    """A product. Implicit (Einstein) sums are made explicit by `resolve` as Sum nodes."""
    factors: tuple["Expr", ...]


@dataclass(frozen=True)
class Pow:
    """base ^ exp. Division a/b parses as Mul(a, Pow(b, Num(-1))); -a as Mul(Num(-1), a)."""
    base: "Expr"
    exp: "Expr"


@dataclass(frozen=True)
class Call:
    """An elementwise function (ELEMENTWISE) or an abstract scalar function f declared with
    `function: scalar`; `order` counts primes: f'(z) is Call('f', z, 1)."""
    func: str
    arg: "Expr"
    order: int = 0


@dataclass(frozen=True)
class Sum:
    """sum(index, body): an explicit sum, or an Einstein sum made explicit by `resolve`.
    `dim` is the dimension the index runs over (filled in by `resolve`; '' before)."""
    index: str
    body: "Expr"
    dim: str = ""


@dataclass(frozen=True)
class MatEntry:
    """An entry of a matrix-valued function or of a parenthesised matrix expression:
    inv(X)[i,j] is MatEntry('inv', X, ('i','j')); (A @ x)[i] is MatEntry('', A @ x, ('i',))."""
    func: str
    arg: "MExpr"
    indices: tuple[str, ...]


@dataclass(frozen=True)
class MatScalar:
    """det(M) or tr(M) of a matrix-notation argument."""
    func: str
    arg: "MExpr"


@dataclass(frozen=True)
class Deriv:
    """D(u)[j,k]: the derivative of dependent symbol u, u's indices then the variable's.
    `by` is '' for the entry's variable; D(g,u)[i,j] (an extension) is the derivative of g by
    the symbol u that g depends on, g's indices then u's."""
    name: str
    indices: tuple[str, ...]
    by: str = ""


@dataclass(frozen=True)
class Differential:
    """d(X)[k,l] inside a `differential`."""
    name: str
    indices: tuple[str, ...]


@dataclass(frozen=True)
class RangeSum:
    """sum(r, lo, hi, body) (an extension): the finite sum of body over the integer r = lo..hi,
    bounds being integer expressions of declared `integer: positive` symbols (and numbers).
    r stands for an integer inside body (in exponents of mpow); it is not an index."""
    var: str
    lo: "Expr"
    hi: "Expr"
    body: "Expr"


@dataclass(frozen=True)
class Integral:
    """integral(v, lo, hi, body) (an extension): the integral of body over the real scalar v
    from lo to hi, constant bounds (Num; hi may be Num(sympy.oo), written `inf`). v is bound:
    inside body it is a real scalar, Comp(v, ()) in index notation and MSym(v) in matrix
    arguments. body's free indices are the integral's."""
    var: str
    lo: "Num"
    hi: "Num"
    body: "Expr"


Expr = Union[Num, Comp, Delta, Dim, Add, Mul, Pow, Call, Sum, MatEntry, MatScalar, Deriv,
             Differential, RangeSum, Integral]

# --- matrix notation ------------------------------------------------------------------------


@dataclass(frozen=True)
class MSym:
    """A declared symbol, as a NumPy-like array (vectors are n x 1 columns)."""
    name: str


@dataclass(frozen=True)
class MNum:
    value: sympy.Expr


@dataclass(frozen=True)
class MDim:
    """A dimension argument of eye/ones/unvec/commutation: a name or an integer as text."""
    name: str


@dataclass(frozen=True)
class MBin:
    """op is one of '@' (matrix product), '*' (elementwise or by a scalar), '/', '+', '-'."""
    op: str
    left: "MExpr"
    right: "MExpr"


@dataclass(frozen=True)
class MNeg:
    arg: "MExpr"


@dataclass(frozen=True)
class MT:
    """Transpose: x.T"""
    arg: "MExpr"


@dataclass(frozen=True)
class MCall:
    """A function call: inv det tr adj expm logm sinm cosm pinv kron diag vec eye ones unvec
    commutation and the elementwise functions; also abstract f with order (f'(z)).
    Extensions: mpow(M, e) is the matrix power M^e, e an integer expression (args (M, e));
    sum(r, lo, hi, body) is a finite sum over the integer r (args (MSym(r), lo, hi, body))."""
    func: str
    args: tuple["MExpr", ...]
    order: int = 0


@dataclass(frozen=True)
class MD:
    """D(u), laid out in the layout of the form it appears in; D(g,u) has by='u'."""
    name: str
    by: str = ""


MExpr = Union[MSym, MNum, MDim, MBin, MNeg, MT, MCall, MD]


class NotationError(Exception):
    """A problem in a piece of notation text; `column` is 0-based into that text, or None."""

    def __init__(self, message: str, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.column = column


def num(value: int | sympy.Expr) -> Num:
    """A Num from a Python int or a SymPy number (never from text: see parse_index)."""
    return Num(sympy.Integer(value) if isinstance(value, int) else value)
