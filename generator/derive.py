"""Differentiation in index notation: the engine's own derivation of ∂(of)/∂(wrt).

Works on resolved trees (explicit Sum nodes). Rules: ∂X_ij/∂X_kl = δ_ik δ_jl; Leibniz for
products; the chain rule through elementwise and abstract functions, through dependent
symbols (D(u)) and through the matrix functions det, tr, inv and adj. The power-series
functions expm, sinm, cosm and logm are differentiated where the chain rule of a scalar power
series holds: inside a trace, d tr g(M) = tr(g'(M) dM) for any M, and for M = s A with A
constant, where M commutes with dM, d g(M) = g'(M) dM. Elsewhere there is no index-form rule
here: the derivation says so (DeriveError) instead of guessing. pinv(M) (an extension) is
differentiated only where M is a symbol (or its transpose) declared `full-row-rank` or
`full-column-rank`: there it is its closed form (pinv_closed_form), smooth in M; a pinv of
anything else stays out of reach (pinv is not even continuous where the rank drops).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping

import sympy

from .expr import (MATRIX_VALUED, SPECTRAL, Add, Call, Comp, Delta, Deriv, Differential, Dim,
                   Expr, Integral, MatEntry, MatScalar, MBin, MCall, MD, MDim, MExpr, MNeg, MNum, MSym,
                   MT, Mul, Num, Pow, Sum)
from .model import Symbol, Variable
from .shapes import ONE, shape_of, symbol_shape
from .treeops import (ONE as N1, ZERO, Fresh, add, all_indices, mul, neg, rename, sums,
                      with_scalar)


class DeriveError(Exception):
    """The derivation cannot be done in index notation (out of reach, or not expressible)."""


# g -> (g', sign): the derivative of each power-series matrix function, as a matrix function
SERIES_DERIVATIVE = {"expm": ("expm", 1), "sinm": ("cosm", 1), "cosm": ("sinm", -1),
                     "logm": ("inv", 1)}


RANK_ASSUMPTIONS = ("full-row-rank", "full-column-rank")


def pinv_closed_form(m: MExpr, symbols: Mapping[str, Symbol]) -> MExpr | None:
    """pinv(m) in closed form, or None. For a symbol M of full row rank, M^+ = M^T (M M^T)^-1;
    of full column rank, M^+ = (M^T M)^-1 M^T (the same for M.T, with the ranks swapped).
    Only for a declared symbol: the closed form needs the rank for every value it takes."""
    t = isinstance(m, MT)
    s = m.arg if t else m
    sym = symbols.get(s.name) if isinstance(s, MSym) else None
    if sym is None or sym.rank != 2:
        return None
    row, col = "full-row-rank" in sym.assume, "full-column-rank" in sym.assume
    if t:
        row, col = col, row
    if row:
        return MBin("@", MT(m), MCall("inv", (MBin("@", m, MT(m)),)))
    if col:
        return MBin("@", MCall("inv", (MBin("@", MT(m), m),)), MT(m))
    return None


def _dimname(s: sympy.Expr) -> str | None:
    return None if s == ONE else str(s)


def from_matrix_to_index(m: MExpr, row: str | None, col: str | None, symbols: Mapping[str, Symbol],
                         fresh: Fresh) -> Expr:
    """The (row, col) entry of a matrix expression in index notation (None: a size-1 axis)."""
    def shp(e):
        return shape_of(e, symbols, lambda n, b: symbol_shape(symbols[n]))

    def go(e: MExpr, r: str | None, c: str | None) -> Expr:
        if isinstance(e, MNum):
            return Num(e.value)
        if isinstance(e, MSym):
            sym = symbols[e.name]
            return Comp(e.name, tuple(i for i in (r, c) if i is not None)[:sym.rank])
        if isinstance(e, MD):
            sym = symbols[e.name]
            return Deriv(e.name, tuple(i for i in (r, c) if i is not None)[:sym.rank])
        if isinstance(e, MT):
            return go(e.arg, c, r)
        if isinstance(e, MNeg):
            return neg(go(e.arg, r, c))
        if isinstance(e, MBin):
            if e.op == "@":
                inner = _dimname(shp(e.left)[1])
                j = fresh() if inner else None
                body = Mul((go(e.left, r, j), go(e.right, j, c)))
                return Sum(j, body, inner) if j else body
            ls, rs = shp(e.left), shp(e.right)
            a = go(e.left, r if ls[0] != ONE else None, c if ls[1] != ONE else None)
            b = go(e.right, r if rs[0] != ONE else None, c if rs[1] != ONE else None)
            if e.op == "*":
                return Mul((a, b))
            if e.op == "/":
                return Mul((a, Pow(b, Num(sympy.Integer(-1)))))
            return Add((a, b)) if e.op == "+" else Add((a, neg(b)))
        if isinstance(e, MCall):
            f, args = e.func, e.args
            if f in ("det", "tr"):
                return MatScalar(f, args[0])
            if f == "pinv" and pinv_closed_form(args[0], symbols) is not None:
                return go(pinv_closed_form(args[0], symbols), r, c)
            if f in MATRIX_VALUED:
                return MatEntry(f, args[0], tuple(i for i in (r, c) if i is not None))
            if f in SPECTRAL:       # fm, eigval, eigvec, divdiff: an indexed leaf
                return MatEntry("", e, tuple(i for i in (r, c) if i is not None))
            if f == "kron":
                return kron(args[0], args[1], r, c)
            if f == "eye":
                return Delta(r, c)
            if f == "ones":
                return N1
            if f == "diag":
                s = shp(args[0])
                if s[1] == ONE:
                    return Mul((go(args[0], r, None), Delta(r, c)))
                return go(args[0], r, r)
            if len(args) == 1:
                return Call(f, go(args[0], r, c), e.order)
        raise DeriveError(f"'{_name(e)}' has no index form here")

    def kron(a: MExpr, b: MExpr, r: str | None, c: str | None) -> Expr:
        """kron is bilinear: sums, negations and scalar factors of either argument come out;
        what is left, kron(A, B), is an indexed leaf (its entry (r, c) is A[r div p, c div q]
        B[r mod p, c mod q] for a p x q B: a compound index the index notation does not split)."""
        for left in (True, False):
            x, y = (a, b) if left else (b, a)

            def k(z: MExpr) -> MExpr:
                return MCall("kron", (z, y) if left else (y, z))
            if isinstance(x, MNeg):
                return neg(go(k(x.arg), r, c))
            if isinstance(x, MBin) and x.op in ("+", "-"):
                return go(MBin(x.op, k(x.left), k(x.right)), r, c)
            if shp(x) == (ONE, ONE):               # kron(s, B) = kron(B, s) = s B
                return go(MBin("*", x, y), r, c)
            if isinstance(x, MBin) and x.op in ("*", "/"):
                if shp(x.right) == (ONE, ONE):
                    s = go(x.right, None, None)
                    s = Pow(s, Num(sympy.Integer(-1))) if x.op == "/" else s
                    return Mul((s, go(k(x.left), r, c)))
                if x.op == "*" and shp(x.left) == (ONE, ONE):
                    return Mul((go(x.left, None, None), go(k(x.right), r, c)))
        return MatEntry("", MCall("kron", (a, b)), tuple(i for i in (r, c) if i is not None))
    return go(m, row, col)


def _name(e: MExpr) -> str:
    return e.func if isinstance(e, MCall) else type(e).__name__


@dataclass
class Deriver:
    """Differentiates resolved trees by one variable component X[K]."""
    symbols: Mapping[str, Symbol]
    var: Variable
    fresh: Fresh
    # the differential d(of) with d(X) atoms instead of the derivative by X[K] (complex
    # symbols, an extension: the rules used are those that hold over C; see differential())
    as_differential: bool = False

    def depends(self, name: str) -> bool:
        if name in self.symbols and self.var.name in self.symbols[name].inputs:
            return True
        cur = self.symbols[name].depends_on if name in self.symbols else ""
        while cur:
            if cur == self.var.name:
                return True
            cur = self.symbols[cur].depends_on
        return False

    def __call__(self, e: Expr) -> Expr:
        if isinstance(e, (Num, Dim, Delta)):
            return ZERO
        if isinstance(e, Comp):
            return self.component(e)
        if isinstance(e, Add):
            return add(*(self(t) for t in e.terms))
        if isinstance(e, Mul):
            terms = []
            for n, f in enumerate(e.factors):
                d = self(f)
                if d != ZERO:
                    terms.append(mul(*e.factors[:n], d, *e.factors[n + 1:]))
            return add(*terms)
        if isinstance(e, Sum):
            if e.index in self.var.indices:   # keep the variable's index names free
                new = self.fresh()
                e = Sum(new, rename(e.body, e.index, new), e.dim)
            return sums([(e.index, e.dim)], self(e.body))
        if isinstance(e, Integral):    # constant bounds: under the integral sign
            d = replace(self, symbols=with_scalar(self.symbols, e.var))(e.body)
            return ZERO if d == ZERO else Integral(e.var, e.lo, e.hi, d)
        if isinstance(e, Pow):
            return self.power(e)
        if isinstance(e, Call):
            return self.call(e)
        if isinstance(e, (MatScalar, MatEntry)):
            return self.matrix(e)
        if isinstance(e, Deriv):
            if not self.depends(e.name):
                return ZERO
            sym = self.symbols[e.name]
            if e.by == "" and sym.depends_on == self.var.name and not sym.inputs:
                return Deriv(e.name, e.indices + self.var.indices, f"{self.var.name},{self.var.name}")
            if sym.inputs and e.by in sym.inputs and self.var.name in sym.inputs:
                # D(U, x) of U(x, y) by y: D(U, x, y) (scalar variables: no indices added)
                return Deriv(e.name, e.indices, f"{e.by},{self.var.name}")
            raise DeriveError(f"a derivative of D({e.name}) is out of reach")
        if isinstance(e, Differential):
            raise DeriveError("d(...) cannot be differentiated")
        raise DeriveError(f"unexpected {type(e).__name__}")

    def component(self, e: Comp) -> Expr:
        if e.name == self.var.name and self.as_differential:
            return Differential(e.name, e.indices)
        if e.name == self.var.name:
            return mul(*(Delta(i, k) for i, k in zip(e.indices, self.var.indices))) \
                if e.indices else N1
        if not self.depends(e.name):
            return ZERO
        sym = self.symbols[e.name]
        if sym.inputs:     # U(x, y): the partial by the one variable, named
            return Deriv(e.name, e.indices, self.var.name)
        if sym.depends_on == self.var.name:
            return Deriv(e.name, e.indices + self.var.indices)
        # a chain: e depends on u, which depends (perhaps through others) on the variable
        u = self.symbols[sym.depends_on]
        js = tuple(self.fresh() for _ in u.shape)
        inner = self.component(Comp(u.name, js))
        return sums(zip(js, u.shape), mul(Deriv(e.name, e.indices + js, u.name), inner))

    def power(self, e: Pow) -> Expr:
        db, de = self(e.base), self(e.exp)
        if db == ZERO and de == ZERO:
            return ZERO
        if de == ZERO:
            if isinstance(e.exp, Num):
                lower = Num(e.exp.value - 1)
                return mul(e.exp, Pow(e.base, lower) if lower.value != 1 else e.base, db)
            return mul(e.exp, Pow(e.base, add(e.exp, Num(sympy.Integer(-1)))), db)
        return mul(e, add(mul(de, Call("log", e.base)),
                          mul(e.exp, db, Pow(e.base, Num(sympy.Integer(-1))))))

    def call(self, e: Call) -> Expr:
        da = self(e.arg)
        if da == ZERO:
            return ZERO
        a, f = e.arg, e.func
        if f == "conj":       # R-linear, not holomorphic: d conj(u) = conj(du)
            return Call("conj", da)
        if self.as_differential and (f in ("abs", "relu") or f in self.symbols):
            raise DeriveError(f"'{f}' of a complex argument has no differential rule here")
        m1 = Num(sympy.Integer(-1))
        if f in self.symbols and self.symbols[f].function:
            outer: Expr = Call(f, a, e.order + 1)
        elif f == "exp":
            outer = e
        elif f == "log":
            outer = Pow(a, m1)
        elif f == "sqrt":
            outer = mul(Num(sympy.Rational(1, 2)), Pow(e, m1))
        elif f == "sin":
            outer = Call("cos", a)
        elif f == "cos":
            outer = neg(Call("sin", a))
        elif f == "tan":
            outer = add(N1, Pow(e, Num(sympy.Integer(2))))
        elif f == "tanh":
            outer = add(N1, neg(Pow(e, Num(sympy.Integer(2)))))
        elif f == "sigmoid":
            outer = mul(e, add(N1, neg(e)))
        elif f in ("abs", "relu"):      # away from 0, where the samples stay
            outer = mul(e, Pow(a, m1))
        else:
            raise DeriveError(f"no derivative rule for '{f}'")
        return mul(outer, da)

    def matrix(self, e: MatScalar | MatEntry) -> Expr:
        m = e.arg
        if self.constant(m):        # nothing in the argument varies (any function of it)
            return ZERO
        if e.func == "" and isinstance(m, MCall) and m.func == "kron":
            return self.kron_entry(e)
        if e.func == "" and isinstance(m, MCall) and m.func in SPECTRAL:
            return self.spectral(e)
        if e.func == "tr" and isinstance(m, MCall) and m.func in SERIES_DERIVATIVE:
            return self.trace_of_series(m.func, m.args[0])
        if e.func in SERIES_DERIVATIVE and isinstance(e, MatEntry) and self.commutes(m):
            return self.series_commuting(e)
        if e.func in ("expm", "logm") and isinstance(e, MatEntry) and len(e.indices) == 2:
            return self.integral_rule(e)
        if e.func == "pinv" and isinstance(e, MatEntry) and pinv_closed_form(
                m, self.symbols) is not None:
            return self(from_matrix_to_index(MCall("pinv", (m,)), *(
                list(e.indices) + [None] * (2 - len(e.indices))), self.symbols, self.fresh))
        if e.func == "pinv":
            raise DeriveError("pinv has no index-form derivative rule here (only of a symbol "
                              "declared full-row-rank or full-column-rank); out of reach")
        if e.func in SERIES_DERIVATIVE:
            raise DeriveError(f"{e.func} has no index-form derivative rule here; out of reach")
        if e.func == "" and isinstance(e, MatEntry):
            idx = list(e.indices) + [None] * (2 - len(e.indices))
            r, c = shape_of(m, self.symbols, lambda n, b: symbol_shape(self.symbols[n]))
            if len(e.indices) == 1 and r == ONE:
                idx = [None, e.indices[0]]
            return self(from_matrix_to_index(m, idx[0], idx[1], self.symbols, self.fresh))
        n = str(shape_of(m, self.symbols, lambda a, b: symbol_shape(self.symbols[a]))[0])
        a, b = self.fresh(), self.fresh()
        dm = self(from_matrix_to_index(m, a, b, self.symbols, self.fresh))
        if dm == ZERO:
            return ZERO
        if e.func == "tr":
            return sums([(a, n)], rename(dm, b, a)) if b in all_indices(dm) else sums(
                [(a, n), (b, n)], mul(dm, Delta(a, b)))
        inv_ba = MatEntry("inv", m, (b, a))
        if e.func == "det":
            return sums([(a, n), (b, n)], mul(e, inv_ba, dm))
        i, j = e.indices
        dinv = neg(sums([(a, n), (b, n)], mul(MatEntry("inv", m, (i, a)), dm,
                                              MatEntry("inv", m, (b, j)))))
        if e.func == "inv":
            return dinv
        # adj(M) = det(M) inv(M), for an invertible M
        ddet = sums([(a, n), (b, n)], mul(MatScalar("det", m), inv_ba, dm))
        return add(mul(ddet, MatEntry("inv", m, (i, j))), mul(MatScalar("det", m), dinv))


    def _shape(self, m: MExpr):
        return shape_of(m, self.symbols, lambda n, b: symbol_shape(self.symbols[n]))

    def constant(self, m: MExpr) -> bool:
        """No part of m varies with the variable."""
        if isinstance(m, MSym):
            return m.name != self.var.name and not self.depends(m.name)
        if isinstance(m, MD):
            return False
        kids = (m.left, m.right) if isinstance(m, MBin) else (
            m.args if isinstance(m, MCall) else ((m.arg,) if isinstance(m, (MT, MNeg)) else ()))
        return all(self.constant(k) for k in kids)

    def commutes(self, m: MExpr) -> bool:
        """m = s A with s a scalar and A constant: then M and dM commute."""
        if not isinstance(m, MBin) or m.op != "*":
            return False
        for s, a in ((m.left, m.right), (m.right, m.left)):
            if self._shape(s) == (ONE, ONE) and self.constant(a):
                return True
        return False

    def kron_entry(self, e: MatEntry) -> Expr:
        """An entry of kron(A, B), by the product rule at the matrix level: d kron(A, B) =
        kron(dA, B) + kron(A, dB). For a scalar variable only, where dU is D(U), of U's shape;
        by a vector or matrix variable the entries would need compound indices."""
        if self.symbols[self.var.name].rank:
            raise DeriveError("kron has no index-form derivative by a vector or matrix variable "
                              "(its entries need compound indices); out of reach")
        dm = self.matrix_derivative(e.arg)
        if dm is None:
            return ZERO
        r, _ = self._shape(e.arg)
        idx = list(e.indices) + [None] * (2 - len(e.indices))
        if len(e.indices) == 1 and r == ONE:
            idx = [None, e.indices[0]]
        return from_matrix_to_index(dm, idx[0], idx[1], self.symbols, self.fresh)

    def matrix_derivative(self, m: MExpr) -> MExpr | None:
        """dM/dx of a matrix expression for a scalar variable x, in matrix notation (None for
        zero): linear operations, products and kron; D(U) for a symbol U that depends on x."""
        if self.constant(m):
            return None
        if isinstance(m, MSym):
            if m.name == self.var.name:
                return MNum(sympy.Integer(1))
            if self.symbols[m.name].inputs:
                return MD(m.name, by=self.var.name)
            if self.symbols[m.name].depends_on == self.var.name:
                return MD(m.name)
            raise DeriveError(f"'{m.name}' depends on the variable through another symbol; "
                              "inside a Kronecker product that is out of reach")
        if isinstance(m, MNeg):
            d = self.matrix_derivative(m.arg)
            return None if d is None else MNeg(d)
        if isinstance(m, MT):
            d = self.matrix_derivative(m.arg)
            return None if d is None else MT(d)
        if isinstance(m, MBin) and m.op in ("+", "-"):
            da, db = self.matrix_derivative(m.left), self.matrix_derivative(m.right)
            if db is None:
                return da
            db = db if m.op == "+" else MNeg(db)
            return db if da is None else MBin("+", da, db)
        if isinstance(m, MBin) and m.op in ("@", "*"):
            return self._product_rule(m.left, m.right, lambda a, b: MBin(m.op, a, b))
        if isinstance(m, MBin) and m.op == "/" and self.constant(m.right):
            d = self.matrix_derivative(m.left)
            return None if d is None else MBin("/", d, m.right)
        if isinstance(m, MCall) and m.func == "kron":
            return self._product_rule(m.args[0], m.args[1], lambda a, b: MCall("kron", (a, b)))
        if isinstance(m, MCall) and m.func in ("vec", "tr", "diag") and len(m.args) == 1:
            d = self.matrix_derivative(m.args[0])
            return None if d is None else MCall(m.func, (d,))
        raise DeriveError(f"'{_name(m)}' inside a Kronecker product has no derivative rule "
                          "here; out of reach")

    def _product_rule(self, a: MExpr, b: MExpr, join) -> MExpr | None:
        da, db = self.matrix_derivative(a), self.matrix_derivative(b)
        one = MNum(sympy.Integer(1))
        terms = []
        if da is not None:
            terms.append(b if da == one and self._shape(a) == (ONE, ONE) else join(da, b))
        if db is not None:
            terms.append(a if db == one and self._shape(b) == (ONE, ONE) else join(a, db))
        if not terms:
            return None
        return terms[0] if len(terms) == 1 else MBin("+", terms[0], terms[1])

    def trace_of_series(self, func: str, m: MExpr) -> Expr:
        """d tr g(M) = tr(g'(M) dM), for any M (the trace makes the order irrelevant): e^M,
        cos M, -sin M, M^-1 for g = expm, sinm, cosm, logm."""
        g1, sign = SERIES_DERIVATIVE[func]
        n = str(self._shape(m)[0])
        a, b = self.fresh(), self.fresh()
        dm = self(from_matrix_to_index(m, a, b, self.symbols, self.fresh))
        out = sums([(a, n), (b, n)], mul(MatEntry(g1, m, (b, a)), dm))
        return out if sign > 0 else neg(out)

    def series_commuting(self, e: MatEntry) -> Expr:
        """d g(M) = g'(M) dM when M commutes with dM (M = s A, A constant)."""
        if len(e.indices) != 2:
            raise DeriveError(f"{e.func}(...) needs two indices here")
        g1, sign = SERIES_DERIVATIVE[e.func]
        n = str(self._shape(e.arg)[0])
        i, j = e.indices
        a = self.fresh()
        dm = self(from_matrix_to_index(e.arg, a, j, self.symbols, self.fresh))
        out = sums([(a, n)], mul(MatEntry(g1, e.arg, (i, a)), dm))
        return out if sign > 0 else neg(out)


    def integral_rule(self, e: MatEntry) -> Expr:
        """For any square M (integral representations of the Frechet derivatives):
        d e^M = int_0^1 e^(a M) dM e^((1-a) M) da, and, for the principal log of an M with no
        eigenvalue on the closed negative real axis,
        d log M = int_0^inf (M + z I)^-1 dM (M + z I)^-1 dz."""
        m = e.arg
        i, j = e.indices
        n = str(self._shape(m)[0])
        names = ("a", "s", "t", "u", "w") if e.func == "expm" else ("z", "s", "t", "u", "w")
        v = next((c for c in names if c not in self.symbols and c not in self.fresh.used), None)
        while v is None or v in self.symbols:
            v = self.fresh()
        self.fresh.used.add(v)
        p, q = self.fresh(), self.fresh()
        dm = self(from_matrix_to_index(m, p, q, self.symbols, self.fresh))
        if dm == ZERO:
            return ZERO
        s = MSym(v)
        if e.func == "expm":
            left = MatEntry("expm", MBin("*", s, m), (i, p))
            right = MatEntry("expm", MBin("*", MBin("-", MNum(sympy.Integer(1)), s), m), (q, j))
            hi = Num(sympy.Integer(1))
        else:
            shifted = MBin("+", m, MBin("*", s, MCall("eye", (MDim(n),))))
            left, right = MatEntry("inv", shifted, (i, p)), MatEntry("inv", shifted, (q, j))
            hi = Num(sympy.oo)
        return Integral(v, Num(sympy.Integer(0)), hi, sums([(p, n), (q, n)], mul(left, dm, right)))


    def spectral(self, e: MatEntry) -> Expr:
        """The Daleckii-Krein rule for a spectral matrix function of a diagonalizable M =
        Q Lambda Q^-1 and a scalar f differentiable at each eigenvalue:
        d f(M) = Q (F o (Q^-1 dM Q)) Q^-1 with F_pq = f^[1](lambda_p, lambda_q), the first
        divided difference. eigval, eigvec and divdiff of a varying argument: out of reach."""
        m = e.arg
        if m.func != "fm" or len(e.indices) != 2:
            raise DeriveError(f"{m.func}(...) of a varying matrix has no derivative rule here; "
                              "out of reach")
        func, arg = m.args
        n = str(self._shape(arg)[0])
        i, j = e.indices
        p, q, a, b = (self.fresh() for _ in range(4))
        dm = self(from_matrix_to_index(arg, a, b, self.symbols, self.fresh))
        if dm == ZERO:
            return ZERO
        vec = MCall("eigvec", (arg,))
        div = MatEntry("", MCall("divdiff", (func, MCall("eigval", (arg,)))), (p, q))
        return sums([(p, n), (q, n), (a, n), (b, n)],
                    mul(MatEntry("", vec, (i, p)), MatEntry("inv", vec, (p, a)), dm,
                        MatEntry("", vec, (b, q)), MatEntry("inv", vec, (q, j)), div))


def differentiate(e: Expr, var: Variable, symbols: Mapping[str, Symbol]) -> Expr:
    """∂e/∂var[K] as a resolved tree (not simplified: see canonical.simplify)."""
    fresh = Fresh(all_indices(e) | set(var.indices))
    return Deriver(symbols, var, fresh)(e)


def differential(e: Expr, var: Variable, symbols: Mapping[str, Symbol]) -> Expr:
    """d(e) for a change d(X) of the variable, with d(X)[..] atoms (an extension, for entries
    with complex symbols): R-linear in d(X), d conj(u) = conj(du), the other rules holomorphic
    (abs, relu and abstract functions are refused). Not simplified."""
    fresh = Fresh(all_indices(e) | set(var.indices))
    return Deriver(symbols, var, fresh, as_differential=True)(e)


@dataclass(frozen=True)
class Converted:
    expr: Expr        # resolved
    display: Expr     # for printing, Einstein sums implicit where they can be


def from_differential_to_derivative(e: Expr, var: Variable, symbols: Mapping[str, Symbol],
                                    dims: Mapping[str, str], lhs: tuple[str, ...]) -> Converted:
    """The derivative T[I, K] read off a differential linear in d(X)."""
    from .canonical import NotLinear, check_linear_in_differential, normal_form
    from .simplify import to_expr

    fresh = Fresh(all_indices(e) | set(var.indices) | set(lhs))
    stand_in = tuple(fresh() for _ in var.indices)

    def replace(n: Expr) -> Expr:
        if isinstance(n, Differential):
            return mul(*(Delta(a, k) for a, k in zip(n.indices, stand_in)))
        from .treeops import children, rebuild
        kids = children(n)
        return rebuild(n, [replace(k) for k in kids]) if kids else n

    try:
        check_linear_in_differential(normal_form(e, lhs, symbols), var.name)
    except NotLinear as err:
        raise DeriveError(str(err)) from None
    out = replace(e)
    free = lhs + stand_in
    nf = normal_form(out, free, symbols)
    back = dict(zip(stand_in, var.indices))
    resolved, display = to_expr(nf, free, rename_free=back)
    return Converted(resolved, display)
