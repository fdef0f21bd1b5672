"""LaTeX rendering: (tree, expected LaTeX) pairs side by side, for both notations."""
import pytest
import sympy

from generator.expr import (Add, Call, Comp, Delta, Deriv, Differential, Dim, MatEntry,
                            MatScalar, MBin, MCall, MD, MDim, MNeg, MNum, MSym, MT, Mul, Num,
                            Pow, Sum)
from generator.latex import SymbolInfo, escape_text, index_latex, matrix_latex

RANKS = {"A": 2, "B": 2, "C": 2, "X": 2, "U": 2, "V": 2, "Sigma": 2, "x": 1, "y": 1, "z": 1,
         "u": 1, "g": 1, "v": 1, "w": 1, "t": 1, "a": 0, "b": 0, "c": 0, "d": 0, "s": 0,
         "alpha": 0, "b1": 1, "r1": 0}
VEC = SymbolInfo(ranks=RANKS, functions=frozenset({"f"}), variable="x", variable_rank=1,
                 depends={"u": "x", "s": "x", "g": "u"})
MAT = SymbolInfo(ranks=RANKS, functions=frozenset({"f"}), variable="X", variable_rank=2,
                 depends={"u": "X", "s": "X"})
SCA = SymbolInfo(ranks={**RANKS, "tau": 0, "s": 0}, variable="tau", variable_rank=0,
                 depends={"U": "tau", "V": "tau", "s": "tau"})


# --- builders, to keep the trees readable -----------------------------------------------------

def n(v):
    return Num(sympy.sympify(v))


def c(name, *indices):
    return Comp(name, tuple(indices))


def mul(*factors):
    return Mul(tuple(factors))


def add(*terms):
    return Add(tuple(terms))


def neg(e):
    return mul(n(-1), e)


def over(a, b):
    return mul(a, Pow(b, n(-1)))


def call(f, arg, order=0):
    return Call(f, arg, order)


def at(*ms):
    out = ms[0]
    for m in ms[1:]:
        out = MBin("@", out, m)
    return out


def op(o, a, b):
    return MBin(o, a, b)


def mc(f, *args, order=0):
    return MCall(f, tuple(args), order)


def dims(*names):
    return tuple(MDim(d) for d in names)


A, B, C, X, U, V = (MSym(s) for s in "ABCXUV")
x, y, z, u, v, w = (MSym(s) for s in "xyzuvw")
a_, alpha = MSym("a"), MSym("alpha")
ez = {i: call("exp", c("z", i)) for i in "ijk"}
SOFTMAX_DEN = Sum("j", ez["j"])

# --- index notation ---------------------------------------------------------------------------

INDEX = [
    # components and names
    (c("A", "i", "k"), r"A_{ik}"),
    (c("x", "k"), r"x_{k}"),
    (c("a"), r"a"),
    (c("Sigma", "i", "j"), r"\Sigma_{ij}"),
    (c("alpha"), r"\alpha"),
    (c("Beta"), r"\mathrm{B}"),
    (c("b1"), r"b_{1}"),
    (c("b1", "k"), r"\mathit{b1}_{k}"),
    (c("xy", "k"), r"\mathit{xy}_{k}"),
    (c("A", "i", "k2"), r"A_{i,k_{2}}"),
    (c("a_b"), r"\text{a\_b}"),
    (Delta("i", "k"), r"\delta_{ik}"),
    (Dim("n"), r"n"),
    (Dim("3"), r"3"),
    # numbers
    (n(2), r"2"),
    (n(-3), r"-3"),
    (n(sympy.Rational(1, 2)), r"\frac{1}{2}"),
    (n(sympy.Rational(-1, 2)), r"-\frac{1}{2}"),
    (Num(sympy.sqrt(2)), r"\sqrt{2}"),
    # products, quotients, signs
    (mul(c("A", "i", "j"), c("x", "j")), r"A_{ij} x_{j}"),
    (neg(c("x", "i")), r"-x_{i}"),
    (mul(n(2), c("A", "k", "j"), c("x", "j")), r"2 A_{kj} x_{j}"),
    (mul(c("x", "i"), n(2)), r"2 x_{i}"),
    (mul(n(sympy.Rational(1, 2)), c("x", "i")), r"\frac{x_{i}}{2}"),
    (over(c("x", "i"), n(2)), r"\frac{x_{i}}{2}"),
    (mul(n(sympy.Rational(-3, 2)), c("x", "i"), Pow(c("y", "i"), n(-1))),
     r"-\frac{3 x_{i}}{2 y_{i}}"),
    (over(c("x", "k"), call("sqrt", mul(c("x", "i"), c("x", "i")))),
     r"\frac{x_{k}}{\sqrt{x_{i} x_{i}}}"),
    (over(n(1), Dim("n")), r"\frac{1}{n}"),
    (over(Sum("i", c("x", "i")), Dim("n")), r"\frac{\sum_{i} x_{i}}{n}"),
    (mul(add(c("a"), c("b")), add(c("c"), c("d"))), r"(a + b) (c + d)"),
    (neg(add(c("a"), c("b"))), r"-(a + b)"),
    (mul(c("x", "i"), Pow(n(2), c("a"))), r"x_{i} \cdot 2^{a}"),
    (over(add(c("a"), c("b")), c("c")), r"\frac{a + b}{c}"),
    (mul(c("a"), add(c("b"), c("c")), Pow(c("d"), n(-1))), r"\frac{a}{d} (b + c)"),
    # powers
    (Pow(c("x", "i"), n(2)), r"x_{i}^{2}"),
    (Pow(c("x", "i"), n(sympy.Rational(1, 2))), r"\sqrt{x_{i}}"),
    (Pow(c("x", "i"), n(-1)), r"\frac{1}{x_{i}}"),
    (Pow(c("x", "i"), n(-2)), r"\frac{1}{x_{i}^{2}}"),
    (Pow(c("x", "i"), n(sympy.Rational(-1, 2))), r"\frac{1}{\sqrt{x_{i}}}"),
    (Pow(c("x", "i"), n(sympy.Rational(3, 2))), r"x_{i}^{3/2}"),
    (Pow(c("x", "i"), c("a")), r"x_{i}^{a}"),
    (Pow(add(c("x", "i"), n(1)), n(2)), r"(x_{i} + 1)^{2}"),
    (Pow(n(-2), n(2)), r"(-2)^{2}"),
    (Pow(Pow(c("x", "i"), n(2)), n(3)), r"(x_{i}^{2})^{3}"),
    (neg(Pow(c("x", "i"), n(2))), r"-x_{i}^{2}"),
    (Pow(SOFTMAX_DEN, n(2)), r"\left(\sum_{j} \exp(z_{j})\right)^{2}"),
    # sums of terms
    (add(c("x", "i"), c("y", "i")), r"x_{i} + y_{i}"),
    (add(c("x", "i"), neg(c("y", "i"))), r"x_{i} - y_{i}"),
    (add(neg(c("x", "i")), c("y", "i")), r"-x_{i} + y_{i}"),
    (add(c("x", "i"), n(-1)), r"x_{i} - 1"),
    (add(c("a"), neg(add(c("b"), c("c")))), r"a - (b + c)"),
    (add(c("a"), add(neg(c("b")), c("c"))), r"a + (-b + c)"),
    (add(c("A", "k", "l"), c("A", "l", "k")), r"A_{kl} + A_{lk}"),
    # functions
    (ez["i"], r"\exp(z_{i})"),
    (call("log", c("x", "i")), r"\log(x_{i})"),
    (call("sin", c("x", "i")), r"\sin(x_{i})"),
    (call("cos", c("x", "i")), r"\cos(x_{i})"),
    (call("tan", c("x", "i")), r"\tan(x_{i})"),
    (call("tanh", c("x", "i")), r"\tanh(x_{i})"),
    (call("sigmoid", c("z", "i")), r"\sigma(z_{i})"),
    (call("relu", c("x", "i")), r"\operatorname{relu}(x_{i})"),
    (call("abs", c("x", "i")), r"\lvert x_{i}\rvert"),
    (call("abs", over(c("a"), c("b"))), r"\left\lvert \frac{a}{b}\right\rvert"),
    (call("sqrt", c("x", "i")), r"\sqrt{x_{i}}"),
    (call("f", c("u", "i")), r"f(u_{i})"),
    (call("f", c("u", "i"), 1), r"f'(u_{i})"),
    (call("f", c("u", "i"), 2), r"f''(u_{i})"),
    (call("f", c("u", "i"), 4), r"f^{(4)}(u_{i})"),
    (call("log", over(ez["i"], SOFTMAX_DEN)),
     r"\log\left(\frac{\exp(z_{i})}{\sum_{j} \exp(z_{j})}\right)"),
    (call("log", call("abs", MatScalar("det", X))), r"\log(\lvert \det(\mathbf{X})\rvert)"),
    # sums
    (SOFTMAX_DEN, r"\sum_{j} \exp(z_{j})"),
    (Sum("j", Sum("k", c("A", "j", "k"))), r"\sum_{j,k} A_{jk}"),
    (Sum("j", add(c("x", "j"), c("y", "j"))), r"\sum_{j} (x_{j} + y_{j})"),
    (Sum("j", neg(c("x", "j"))), r"\sum_{j} (-x_{j})"),
    (mul(Sum("j", c("y", "j")), c("x", "i")), r"x_{i} \sum_{j} y_{j}"),
    (mul(Sum("i", c("x", "i")), Sum("j", c("y", "j"))),
     r"\left(\sum_{i} x_{i}\right) \sum_{j} y_{j}"),
    (Sum("c1", mul(c("w", "c1"), call("exp", neg(Pow(c("v", "c1"), n(2)))))),
     r"\sum_{c_{1}} w_{c_{1}} \exp(-v_{c_{1}}^{2})"),
    # matrix functions
    (MatScalar("det", X), r"\det(\mathbf{X})"),
    (MatScalar("tr", at(A, X)), r"\operatorname{tr}(\mathbf{A}\mathbf{X})"),
    (MatScalar("tr", at(MT(X), A, X)), r"\operatorname{tr}(\mathbf{X}^\top\mathbf{A}\mathbf{X})"),
    (MatEntry("inv", X, ("i", "j")), r"(\mathbf{X}^{-1})_{ij}"),
    (MatEntry("adj", X, ("i", "j")), r"\operatorname{adj}(\mathbf{X})_{ij}"),
    (MatEntry("expm", X, ("i", "j")), r"(e^{\mathbf{X}})_{ij}"),
    (MatEntry("pinv", X, ("i", "j")), r"(\mathbf{X}^{+})_{ij}"),
    (MatEntry("logm", X, ("i", "j")), r"(\log \mathbf{X})_{ij}"),
    (MatEntry("logm", at(A, B), ("i", "j")), r"(\log(\mathbf{A}\mathbf{B}))_{ij}"),
    (MatEntry("sinm", X, ("i", "j")), r"(\sin \mathbf{X})_{ij}"),
    (MatEntry("cosm", X, ("l", "k")), r"(\cos \mathbf{X})_{lk}"),
    (MatEntry("cosm", op("*", a_, A), ("i", "j")), r"(\cos(a\mathbf{A}))_{ij}"),
    (MatEntry("inv", at(A, B), ("i", "j")), r"((\mathbf{A}\mathbf{B})^{-1})_{ij}"),
    (MatEntry("", at(A, x), ("i",)), r"(\mathbf{A}\mathbf{x})_{i}"),
    (MatEntry("", at(A, X, B), ("i", "j")), r"(\mathbf{A}\mathbf{X}\mathbf{B})_{ij}"),
    (mul(MatScalar("det", X), MatEntry("inv", X, ("l", "k"))),
     r"\det(\mathbf{X}) (\mathbf{X}^{-1})_{lk}"),
    # derivatives and differentials
    (Deriv("u", ("j", "k")), r"\frac{\partial u_{j}}{\partial x_{k}}"),
    (Deriv("s", ("k",)), r"\frac{\partial s}{\partial x_{k}}"),
    (Deriv("g", ("i", "j"), "u"), r"\frac{\partial g_{i}}{\partial u_{j}}"),
    (mul(c("A", "i", "j"), Deriv("u", ("j", "k"))),
     r"A_{ij} \frac{\partial u_{j}}{\partial x_{k}}"),
    (mul(call("f", c("u", "i"), 1), Deriv("u", ("i", "k"))),
     r"f'(u_{i}) \frac{\partial u_{i}}{\partial x_{k}}"),
    (Pow(Deriv("u", ("j", "k")), n(2)), r"\left(\frac{\partial u_{j}}{\partial x_{k}}\right)^{2}"),
    # the examples' derivatives
    (add(mul(c("A", "k", "j"), c("x", "j")), mul(c("x", "i"), c("A", "i", "k"))),
     r"A_{kj} x_{j} + x_{i} A_{ik}"),
    (mul(add(n(1), neg(Pow(call("tanh", c("x", "i")), n(2)))), Delta("i", "k")),
     r"(1 - \tanh(x_{i})^{2}) \delta_{ik}"),
    (mul(add(n(1), neg(Pow(call("tanh", mul(c("w", "i"), c("x", "i"))), n(2)))), c("w", "i"),
         Delta("i", "k")),
     r"(1 - \tanh(w_{i} x_{i})^{2}) w_{i} \delta_{ik}"),
    (mul(ez["i"], Pow(SOFTMAX_DEN, n(-1)), add(Delta("i", "k"), neg(over(ez["k"], SOFTMAX_DEN)))),
     r"\frac{\exp(z_{i})}{\sum_{j} \exp(z_{j})} \left(\delta_{ik} - "
     r"\frac{\exp(z_{k})}{\sum_{j} \exp(z_{j})}\right)"),
    (add(mul(Sum("i", c("t", "i")), ez["k"], Pow(SOFTMAX_DEN, n(-1))), neg(c("t", "k"))),
     r"\frac{\exp(z_{k}) \sum_{i} t_{i}}{\sum_{j} \exp(z_{j})} - t_{k}"),
    (neg(mul(c("t", "i"), call("log", over(ez["i"], SOFTMAX_DEN)))),
     r"-t_{i} \log\left(\frac{\exp(z_{i})}{\sum_{j} \exp(z_{j})}\right)"),
    (mul(c("A", "i", "r"), c("B", "s", "j")), r"A_{ir} B_{sj}"),
]

INDEX_MAT = [    # the variable is the matrix X
    (Deriv("u", ("i", "k", "l")), r"\frac{\partial u_{i}}{\partial X_{kl}}"),
    (Deriv("s", ("k", "l")), r"\frac{\partial s}{\partial X_{kl}}"),
    (Differential("X", ("k", "l")), r"\mathrm{d}X_{kl}"),
    (Pow(Differential("X", ("k", "l")), n(2)), r"(\mathrm{d}X_{kl})^{2}"),
    (neg(mul(MatEntry("inv", X, ("i", "k")), Differential("X", ("k", "l")),
             MatEntry("inv", X, ("l", "j")))),
     r"-(\mathbf{X}^{-1})_{ik} \mathrm{d}X_{kl} (\mathbf{X}^{-1})_{lj}"),
]

INDEX_SCA = [    # the variable is the scalar tau
    (Deriv("s", ()), r"\frac{\partial s}{\partial \tau}"),
    (Deriv("U", ("k", "l")), r"\frac{\partial U_{kl}}{\partial \tau}"),
    (neg(mul(MatEntry("inv", U, ("i", "k")), Deriv("U", ("k", "l")),
             MatEntry("inv", U, ("l", "j")))),
     r"-(\mathbf{U}^{-1})_{ik} \frac{\partial U_{kl}}{\partial \tau} (\mathbf{U}^{-1})_{lj}"),
    (add(mul(Deriv("U", ("i", "k")), c("V", "k", "j")),
         mul(c("U", "i", "k"), Deriv("V", ("k", "j")))),
     r"\frac{\partial U_{ik}}{\partial \tau} V_{kj} + "
     r"U_{ik} \frac{\partial V_{kj}}{\partial \tau}"),
    (MatEntry("", at(MD("U"), V), ("i", "j")),
     r"\left(\frac{\partial \mathbf{U}}{\partial \tau}\mathbf{V}\right)_{ij}"),
]

# --- matrix notation --------------------------------------------------------------------------

MATRIX = [
    # symbols
    (x, r"\mathbf{x}"),
    (A, r"\mathbf{A}"),
    (a_, r"a"),
    (alpha, r"\alpha"),
    (MSym("Sigma"), r"\boldsymbol{\Sigma}"),
    (MSym("b1"), r"\mathbf{b}_{1}"),
    (MSym("r1"), r"r_{1}"),
    (MNum(sympy.Integer(2)), r"2"),
    (MNum(sympy.Rational(1, 2)), r"\frac{1}{2}"),
    # products and transposes
    (at(A, x), r"\mathbf{A}\mathbf{x}"),
    (at(MT(x), A, x), r"\mathbf{x}^\top\mathbf{A}\mathbf{x}"),
    (at(op("+", A, MT(A)), x), r"(\mathbf{A} + \mathbf{A}^\top)\mathbf{x}"),
    (at(MT(x), op("+", A, MT(A))), r"\mathbf{x}^\top(\mathbf{A} + \mathbf{A}^\top)"),
    (at(op("+", A, MT(A)), X), r"(\mathbf{A} + \mathbf{A}^\top)\mathbf{X}"),
    (MT(op("+", A, MT(A))), r"(\mathbf{A} + \mathbf{A}^\top)^\top"),
    (MT(at(A, B)), r"(\mathbf{A}\mathbf{B})^\top"),
    (MT(MT(A)), r"(\mathbf{A}^\top)^\top"),
    (at(x, MT(y)), r"\mathbf{x}\mathbf{y}^\top"),
    (at(A, at(B, C)), r"\mathbf{A}\mathbf{B}\mathbf{C}"),
    (at(MSym("Sigma"), x), r"\boldsymbol{\Sigma}\mathbf{x}"),
    # matrix functions
    (mc("inv", X), r"\mathbf{X}^{-1}"),
    (MT(mc("inv", X)), r"\mathbf{X}^{-\top}"),
    (mc("inv", MT(X)), r"\mathbf{X}^{-\top}"),
    (mc("inv", at(A, B)), r"(\mathbf{A}\mathbf{B})^{-1}"),
    (mc("inv", MSym("Sigma")), r"\boldsymbol{\Sigma}^{-1}"),
    (op("*", mc("det", X), MT(mc("inv", X))), r"\det(\mathbf{X})\mathbf{X}^{-\top}"),
    (mc("det", X), r"\det(\mathbf{X})"),
    (mc("tr", at(A, X)), r"\operatorname{tr}(\mathbf{A}\mathbf{X})"),
    (mc("adj", X), r"\operatorname{adj}(\mathbf{X})"),
    (mc("expm", X), r"e^{\mathbf{X}}"),
    (mc("expm", op("*", a_, A)), r"e^{a\mathbf{A}}"),
    (MT(mc("expm", A)), r"(e^{\mathbf{A}})^\top"),
    (mc("logm", X), r"\log(\mathbf{X})"),
    (mc("sinm", X), r"\sin(\mathbf{X})"),            # as the article prints the matrix sine
    (MT(mc("cosm", X)), r"\cos(\mathbf{X})^\top"),
    (at(A, mc("cosm", op("*", a_, A))), r"\mathbf{A}\cos(a\mathbf{A})"),
    (mc("pinv", X), r"\mathbf{X}^{+}"),
    (MT(mc("pinv", X)), r"(\mathbf{X}^{+})^\top"),
    (mc("kron", MT(B), A), r"\mathbf{B}^\top \otimes \mathbf{A}"),
    (mc("kron", at(A, B), C), r"(\mathbf{A}\mathbf{B}) \otimes \mathbf{C}"),
    (mc("kron", mc("kron", A, B), C), r"\mathbf{A} \otimes \mathbf{B} \otimes \mathbf{C}"),
    (at(A, mc("kron", B, C)), r"\mathbf{A}(\mathbf{B} \otimes \mathbf{C})"),
    (mc("diag", x), r"\operatorname{diag}(\mathbf{x})"),
    (mc("vec", X), r"\operatorname{vec}(\mathbf{X})"),
    (mc("unvec", v, *dims("p", "q")), r"\operatorname{unvec}_{p\times q}(\mathbf{v})"),
    (mc("eye", *dims("n")), r"\mathbf{I}_{n}"),
    (mc("ones", *dims("n")), r"\mathbf{1}_{n}"),
    (mc("commutation", *dims("m", "n")), r"\mathbf{K}_{m,n}"),
    (at(mc("commutation", *dims("m", "n")), mc("vec", A)),
     r"\mathbf{K}_{m,n}\operatorname{vec}(\mathbf{A})"),
    (op("/", mc("ones", *dims("n")), mc("tr", mc("eye", *dims("n")))),
     r"\frac{\mathbf{1}_{n}}{\operatorname{tr}(\mathbf{I}_{n})}"),
    # elementwise and abstract functions
    (mc("tanh", x), r"\tanh(\mathbf{x})"),
    (mc("sigmoid", z), r"\sigma(\mathbf{z})"),
    (mc("exp", z), r"\exp(\mathbf{z})"),
    (mc("log", x), r"\log(\mathbf{x})"),
    (mc("sqrt", x), r"\sqrt{\mathbf{x}}"),
    (mc("abs", x), r"\lvert \mathbf{x}\rvert"),
    (mc("relu", x), r"\operatorname{relu}(\mathbf{x})"),
    (mc("f", z, order=1), r"f'(\mathbf{z})"),
    (mc("f", z, order=2), r"f''(\mathbf{z})"),
    (mc("f", z), r"f(\mathbf{z})"),
    # elementwise and scalar products
    (op("*", A, B), r"\mathbf{A} \odot \mathbf{B}"),
    (op("*", x, mc("tanh", x)), r"\mathbf{x} \odot \tanh(\mathbf{x})"),
    (op("*", at(A, x), y), r"(\mathbf{A}\mathbf{x}) \odot \mathbf{y}"),
    (op("*", op("*", x, y), z), r"\mathbf{x} \odot \mathbf{y} \odot \mathbf{z}"),
    (op("*", mc("kron", A, B), C), r"(\mathbf{A} \otimes \mathbf{B}) \odot \mathbf{C}"),
    (op("*", mc("f", u, order=1), MD("u")),
     r"f'(\mathbf{u}) \odot \frac{\partial \mathbf{u}}{\partial \mathbf{x}}"),
    (op("*", MNum(sympy.Integer(2)), A), r"2\mathbf{A}"),
    (op("*", A, MNum(sympy.Integer(2))), r"2\mathbf{A}"),
    (at(op("*", MNum(sympy.Integer(2)), A), x), r"2\mathbf{A}\mathbf{x}"),
    (op("*", at(A, x), MNum(sympy.Integer(2))), r"2\mathbf{A}\mathbf{x}"),
    (op("*", MNum(sympy.Rational(1, 2)), A), r"\frac{1}{2}\mathbf{A}"),
    (op("*", MNum(sympy.Integer(-1)), A), r"-\mathbf{A}"),
    (op("*", a_, x), r"a\mathbf{x}"),
    (op("*", x, a_), r"a\mathbf{x}"),
    (op("*", alpha, x), r"\alpha\mathbf{x}"),
    (op("*", alpha, a_), r"\alpha a"),
    (op("*", MNum(sympy.Integer(2)), MNum(sympy.Integer(3))), r"2 \cdot 3"),
    (op("*", a_, MNum(sympy.Integer(3))), r"3a"),
    (at(A, op("*", MNum(sympy.Integer(2)), B)), r"\mathbf{A}(2\mathbf{B})"),
    (op("*", at(MT(x), y), z), r"\mathbf{x}^\top\mathbf{y}\mathbf{z}"),
    (op("*", z, at(MT(x), y)), r"\mathbf{x}^\top\mathbf{y}\mathbf{z}"),
    (op("/", x, a_), r"\frac{\mathbf{x}}{a}"),
    (at(op("/", A, a_), x), r"\frac{\mathbf{A}}{a}\mathbf{x}"),
    # signs, sums and differences
    (MNeg(A), r"-\mathbf{A}"),
    (MNeg(op("+", A, B)), r"-(\mathbf{A} + \mathbf{B})"),
    (MNeg(MNeg(A)), r"-(-\mathbf{A})"),
    (MNeg(mc("kron", A, B)), r"-(\mathbf{A} \otimes \mathbf{B})"),
    (at(MNeg(A), x), r"-\mathbf{A}\mathbf{x}"),
    (at(A, MNeg(x)), r"\mathbf{A}(-\mathbf{x})"),
    (op("-", A, B), r"\mathbf{A} - \mathbf{B}"),
    (op("-", A, op("+", B, C)), r"\mathbf{A} - (\mathbf{B} + \mathbf{C})"),
    (op("+", A, op("-", B, C)), r"\mathbf{A} + \mathbf{B} - \mathbf{C}"),
    (op("+", A, MNeg(B)), r"\mathbf{A} - \mathbf{B}"),
    (op("-", A, MNeg(B)), r"\mathbf{A} + \mathbf{B}"),
    (op("+", x, MNum(sympy.Integer(-2))), r"\mathbf{x} - 2"),
    (op("-", A, at(MNeg(B), C)), r"\mathbf{A} - (-\mathbf{B}\mathbf{C})"),
    (op("+", A, op("+", MNeg(B), C)), r"\mathbf{A} + (-\mathbf{B} + \mathbf{C})"),
    (op("+", at(A, x), mc("kron", B, C)), r"\mathbf{A}\mathbf{x} + \mathbf{B} \otimes \mathbf{C}"),
    # derivative symbols
    (MD("u"), r"\frac{\partial \mathbf{u}}{\partial \mathbf{x}}"),
    (MD("s"), r"\frac{\partial s}{\partial \mathbf{x}}"),
    (MD("g", "u"), r"\frac{\partial \mathbf{g}}{\partial \mathbf{u}}"),
    (at(A, MD("u")), r"\mathbf{A}\frac{\partial \mathbf{u}}{\partial \mathbf{x}}"),
    (at(MD("u"), MT(A)), r"\frac{\partial \mathbf{u}}{\partial \mathbf{x}}\mathbf{A}^\top"),
    (at(MD("g", "u"), MD("u")),
     r"\frac{\partial \mathbf{g}}{\partial \mathbf{u}}"
     r"\frac{\partial \mathbf{u}}{\partial \mathbf{x}}"),
    (MT(MD("u")), r"\left(\frac{\partial \mathbf{u}}{\partial \mathbf{x}}\right)^\top"),
]

MATRIX_MAT = [
    (MD("u"), r"\frac{\partial \mathbf{u}}{\partial \mathbf{X}}"),
    (MD("s"), r"\frac{\partial s}{\partial \mathbf{X}}"),
]

MATRIX_SCA = [
    (MD("U"), r"\frac{\partial \mathbf{U}}{\partial \tau}"),
    (MD("s"), r"\frac{\partial s}{\partial \tau}"),
    (at(MNeg(mc("inv", U)), MD("U"), mc("inv", U)),
     r"-\mathbf{U}^{-1}\frac{\partial \mathbf{U}}{\partial \tau}\mathbf{U}^{-1}"),
    (MNeg(at(mc("inv", U), MD("U"), mc("inv", U))),
     r"-\mathbf{U}^{-1}\frac{\partial \mathbf{U}}{\partial \tau}\mathbf{U}^{-1}"),
    (op("+", at(MD("U"), V), at(U, MD("V"))),
     r"\frac{\partial \mathbf{U}}{\partial \tau}\mathbf{V} + "
     r"\mathbf{U}\frac{\partial \mathbf{V}}{\partial \tau}"),
    (op("*", MD("s"), A), r"\frac{\partial s}{\partial \tau}\mathbf{A}"),
]

CASES = ([("index", VEC, t, e) for t, e in INDEX] + [("index", MAT, t, e) for t, e in INDEX_MAT]
         + [("index", SCA, t, e) for t, e in INDEX_SCA]
         + [("matrix", VEC, t, e) for t, e in MATRIX]
         + [("matrix", MAT, t, e) for t, e in MATRIX_MAT]
         + [("matrix", SCA, t, e) for t, e in MATRIX_SCA])


def render(form, info, tree):
    return (index_latex if form == "index" else matrix_latex)(tree, info)


@pytest.mark.parametrize("form, info, tree, expected", CASES, ids=[e for *_, e in CASES])
def test_render(form, info, tree, expected):
    assert render(form, info, tree) == expected


@pytest.mark.parametrize("text, expected", [
    ("plain", "plain"),
    ("a_b", r"a\_b"),
    ("50% & $5 #1", r"50\% \& \$5 \#1"),
    ("{x}", r"\{x\}"),
    ("a^b~c", r"a\textasciicircum{}b\textasciitilde{}c"),
    ("C:\\dir", r"C:\textbackslash{}dir"),
])
def test_escape_text(text, expected):
    assert escape_text(text) == expected


def test_unknown_node_is_an_error():
    with pytest.raises(TypeError):
        index_latex(object(), VEC)


def test_wrong_arity_is_an_error():
    with pytest.raises(ValueError):
        matrix_latex(mc("kron", A), VEC)


def test_wrong_arity_inside_a_product_is_an_error():
    with pytest.raises(ValueError):
        matrix_latex(op("*", mc("kron", A), B), VEC)
