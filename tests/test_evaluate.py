"""Numeric evaluation of index and matrix notation, against hand computations."""
import math

import numpy as np
import pytest
import sympy

from generator.evaluate import (Env, commutation, cosm, evaluate_index, evaluate_matrix, expm,
                                logm, sinm)
from generator.expr import (Add, Call, Comp, Delta, Deriv, Differential, Dim, MatEntry, MatScalar,
                            MBin, MCall, MD, MDim, MNeg, MNum, MSym, MT, Mul, Num, Pow, Sum)

RNG = np.random.default_rng(7)
A = RNG.uniform(-1, 1, (3, 4))
S = RNG.uniform(-1, 1, (3, 3)) + 3 * np.eye(3)
X = RNG.uniform(-1, 1, (3, 2))
x = RNG.uniform(-1, 1, 4)
z = RNG.uniform(-1, 1, 3)
with np.errstate(invalid="ignore"):
    X_POW_Z = np.power(x[None, :], z[:, None])          # nan where a negative base meets z
ENV = Env(values={"A": A, "S": S, "X": X, "x": x, "z": z, "a": np.array(-0.7),
                  "c": np.array([[2.0]])},
          derivs={("u", ""): np.arange(6.0).reshape(3, 2), ("u", "x,x"): np.ones((3, 2, 2))},
          functions={"f": (np.sin, np.cos, lambda t: -np.sin(t), lambda t: -np.cos(t))},
          dims={"m": 3, "n": 4, "p": 2},
          deriv_matrices={("u", ""): np.arange(6.0).reshape(3, 2), ("s", ""): np.array(5.0)})


def n(v):
    return Num(sympy.sympify(v))


def c(name, *idx):
    return Comp(name, tuple(idx))


def sym(name):
    return MSym(name)


def softmax_k():
    return Mul((Call("exp", c("z", "k")), Pow(Sum("j", Call("exp", c("z", "j")), "m"), n(-1))))


# --- index notation -------------------------------------------------------------------------

@pytest.mark.parametrize("expr, order, expected", [
    (Sum("j", Mul((c("A", "i", "j"), c("x", "j"))), "n"), ("i",), A @ x),
    (Mul((c("A", "i", "j"), c("x", "j"))), ("i", "j"), A * x),            # a Mul never sums
    (Sum("i", c("S", "i", "i"), "m"), (), np.trace(S)),                    # repeated: diagonal
    (c("S", "i", "i"), ("i",), np.diag(S)),
    (c("A", "j", "i"), ("i", "j"), A.T),
    (softmax_k(), ("k",), np.exp(z) / np.exp(z).sum()),
    (MatScalar("det", sym("S")), (), np.linalg.det(S)),
    (MatEntry("inv", sym("S"), ("l", "k")), ("k", "l"), np.linalg.inv(S).T),
    (MatEntry("adj", sym("S"), ("i", "j")), ("i", "j"), np.linalg.det(S) * np.linalg.inv(S)),
    (MatEntry("", MBin("@", sym("A"), sym("x")), ("i",)), ("i",), A @ x),  # column indexed once
    (MatEntry("", MBin("@", MT(sym("x")), sym("x")), ()), (), x @ x),
    (MatScalar("tr", MBin("@", MT(sym("X")), sym("X"))), (), np.trace(X.T @ X)),
    (Add((c("z", "i"), n(1))), ("i",), z + 1),
    (Add((c("z", "i"), c("x", "k"))), ("i", "k"), z[:, None] + x[None, :]),
    (Add((Mul((n(2), Delta("i", "k"))), Mul((n(-1), c("z", "k"))))), ("i", "k"),
     2 * np.eye(3) - z[None, :]),
    (Mul((c("X", "i", "j"), Delta("i", "k"))), ("i", "j", "k"), np.einsum("ij,ik->ijk", X, np.eye(3))),
    (Sum("j", n(1), "n"), (), 4.0),                                        # body lacks the index
    (Sum("j", Add((c("x", "j"), n(1))), "n"), (), x.sum() + 4),
    (Mul((Sum("i", c("z", "i"), "m"), Pow(Dim("m"), n(-1)))), (), z.mean()),
    (Pow(c("z", "i"), n(2)), ("i",), z ** 2),
    (Pow(c("x", "j"), c("z", "i")), ("i", "j"), X_POW_Z),
    (Pow(c("a"), n("1/2")), (), np.nan),                                   # real arithmetic
    (Call("sigmoid", c("z", "i")), ("i",), 1 / (1 + np.exp(-z))),
    (Call("relu", c("z", "i")), ("i",), np.maximum(z, 0)),
    (Call("tanh", Call("abs", c("a"))), (), np.tanh(0.7)),
    (Call("f", c("z", "i"), 2), ("i",), -np.sin(z)),
    (Deriv("u", ("i", "k")), ("k", "i"), np.arange(6.0).reshape(3, 2).T),
    (Deriv("u", ("i", "k", "k"), "x,x"), ("i", "k"), np.ones((3, 2))),
    (MatEntry("expm", MBin("*", MNum(sympy.Integer(0)), sym("S")), ("i", "j")), ("i", "j"), np.eye(3)),
    (MatEntry("sinm", MBin("*", MNum(sympy.Integer(0)), sym("S")), ("i", "j")), ("i", "j"),
     np.zeros((3, 3))),
    (MatEntry("cosm", MBin("*", MNum(sympy.Integer(0)), sym("S")), ("i", "j")), ("i", "j"), np.eye(3)),
    (MatEntry("cosm", sym("S"), ("j", "i")), ("i", "j"), cosm(S).T),
    # a Kronecker product is an indexed leaf; its indices run over products of dimensions
    (MatEntry("", MCall("kron", (sym("X"), sym("S"))), ("i", "j")), ("i", "j"), np.kron(X, S)),
    (MatEntry("", MCall("kron", (sym("z"), sym("x"))), ("i",)), ("i",), np.kron(z, x)),
    (Sum("i", MatEntry("", MCall("kron", (sym("S"), sym("S"))), ("i", "i")), "m**2"), (),
     np.trace(S) ** 2),
    (Dim("p"), (), 2.0),
    (Dim("5"), (), 5.0),
])
def test_index_values(expr, order, expected):
    got = evaluate_index(expr, ENV, order)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def test_broadcast_along_missing_index():
    got = evaluate_index(c("z", "i"), ENV, ("i", "k"), {"k": 4})
    np.testing.assert_array_equal(got, np.repeat(z[:, None], 4, axis=1))
    got = evaluate_index(n(3), ENV, ("k",), {"k": 2})
    np.testing.assert_array_equal(got, [3.0, 3.0])


def test_softmax_cross_entropy_gradient():
    t = RNG.uniform(0, 1, 3)
    env = Env(values={"t": t, "z": z}, dims={"n": 3})
    soft = Mul((Call("exp", c("z", "k")), Pow(Sum("j", Call("exp", c("z", "j")), "n"), n(-1))))
    expr = Add((Mul((Sum("i", c("t", "i"), "n"), soft)), Mul((n(-1), c("t", "k")))))
    p = np.exp(z) / np.exp(z).sum()
    np.testing.assert_allclose(evaluate_index(expr, env, ("k",)), t.sum() * p - t, rtol=1e-13)


@pytest.mark.parametrize("expr, order, sizes, message", [
    (c("A", "i"), ("i",), None, "2 axes"),
    (c("q", "i"), ("i",), None, "no value"),
    (Deriv("v", ("i",)), ("i",), None, "no derivative"),
    (c("z", "i"), (), None, "not among the requested"),
    (Delta("i", "k"), ("i", "k"), None, "no size"),
    (n(1), ("k",), None, "no size for free index"),
    (Mul((c("z", "i"), c("x", "i"))), ("i",), None, "sizes disagree"),
    (Add((c("z", "i"), c("x", "i"))), ("i",), None, "sizes disagree"),
    (c("z", "i"), ("i",), {"i": 5}, "has size 3"),
    (Differential("X", ("k", "l")), ("k", "l"), None, "differential"),
    (Call("erf", c("z", "i")), ("i",), None, "unknown function"),
    (Call("f", c("z", "i"), 4), ("i",), None, "order 4"),
    (Call("exp", c("z", "i"), 1), ("i",), None, "not an abstract function"),
    (MatEntry("inv", sym("A"), ("i", "j")), ("i", "j"), None, "non-square"),
    (MatEntry("", sym("A"), ("i",)), ("i",), None, "1 indices"),
    (Dim("q"), (), None, "dimension 'q'"),
])
def test_index_errors(expr, order, sizes, message):
    with pytest.raises(ValueError, match=message):
        evaluate_index(expr, ENV, order, sizes)


def test_vectorised_over_large_sizes():
    big = RNG.uniform(-1, 1, (60, 70))
    v = RNG.uniform(-1, 1, 70)
    env = Env(values={"B": big, "v": v})
    expr = Sum("j", Mul((c("B", "i", "j"), c("v", "j"), Call("sin", c("v", "j")))))
    np.testing.assert_allclose(evaluate_index(expr, env, ("i",)), big @ (v * np.sin(v)), rtol=1e-12)


# --- matrix notation ------------------------------------------------------------------------

def call(f, *args, order=0):
    return MCall(f, tuple(args), order)


def d(name):
    return MDim(name)


K32 = commutation(3, 2)


@pytest.mark.parametrize("mexpr, expected", [
    (sym("x"), x.reshape(4, 1)),
    (sym("a"), np.array([[-0.7]])),
    (MBin("@", sym("A"), sym("x")), (A @ x).reshape(3, 1)),
    (MBin("*", sym("a"), sym("A")), -0.7 * A),                  # 1x1 acts as a scalar
    (MBin("*", sym("c"), sym("A")), 2.0 * A),
    (MBin("*", sym("z"), MT(sym("x"))), np.outer(z, x)),        # NumPy broadcasting
    (MBin("/", sym("A"), MNum(sympy.Integer(4))), A / 4),
    (MBin("+", sym("A"), sym("z")), A + z[:, None]),
    (MBin("-", sym("A"), MNum(sympy.Integer(1))), A - 1),
    (MNeg(MT(sym("A"))), -A.T),
    (call("diag", sym("z")), np.diag(z)),
    (call("diag", sym("S")), np.diag(S).reshape(3, 1)),
    (call("diag", sym("a")), np.array([[-0.7]])),
    (call("vec", sym("X")), np.array([[X[0, 0]], [X[1, 0]], [X[2, 0]], [X[0, 1]], [X[1, 1]], [X[2, 1]]])),
    (call("unvec", call("vec", sym("X")), d("3"), d("p")), X),
    (call("unvec", MBin("@", call("commutation", d("m"), d("p")), call("vec", sym("X"))), d("p"), d("m")), X.T),
    (call("kron", sym("X"), sym("S")), np.block([[X[i, j] * S for j in range(2)] for i in range(3)])),
    (call("eye", d("p")), np.eye(2)),
    (call("ones", d("m")), np.ones((3, 1))),
    (call("det", sym("S")), np.array([[np.linalg.det(S)]])),
    (call("tr", sym("S")), np.array([[np.trace(S)]])),
    (call("inv", sym("S")), np.linalg.inv(S)),
    (call("adj", sym("S")), np.linalg.det(S) * np.linalg.inv(S)),
    (call("pinv", sym("X")), np.linalg.solve(X.T @ X, X.T)),
    (call("expm", call("diag", sym("z"))), np.diag(np.exp(z))),
    (call("logm", call("expm", MBin("*", MNum(sympy.Rational(1, 3)), sym("S")))), S / 3),
    (call("sinm", call("diag", sym("z"))), np.diag(np.sin(z))),
    (call("cosm", call("diag", sym("z"))), np.diag(np.cos(z))),
    (call("sin", sym("S")), np.sin(S)),                             # elementwise, not sinm
    (call("exp", sym("X")), np.exp(X)),
    (call("sigmoid", sym("z")), (1 / (1 + np.exp(-z))).reshape(3, 1)),
    (call("f", sym("z"), order=1), np.cos(z).reshape(3, 1)),
    (MD("u"), np.arange(6.0).reshape(3, 2)),
    (MD("s"), np.array([[5.0]])),                                # scalar-by-scalar is 1x1
])
def test_matrix_values(mexpr, expected):
    got = evaluate_matrix(mexpr, ENV)
    assert got.ndim == 2
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("mexpr, message", [
    (MBin("@", sym("A"), sym("z")), "'@' of shapes 3x4 and 3x1"),
    (MBin("+", sym("A"), sym("x")), "'\\+' of shapes 3x4 and 4x1"),
    (MBin("*", sym("A"), sym("S")), "of shapes 3x4 and 3x3"),
    (call("inv", sym("A")), "non-square 3x4"),
    (call("det", sym("X")), "non-square"),
    (call("diag", sym("A")), "diag\\(\\) of a 3x4"),
    (call("unvec", sym("z"), d("2"), d("2")), "column of length 4"),
    (call("kron", sym("A")), "takes 2 arguments"),
    (call("eye", sym("A")), "takes dimensions"),
    (call("erf", sym("A")), "unknown function"),
    (sym("w"), "no value"),
    (MD("w"), "no matrix for D\\(w\\)"),
    (call("logm", MNeg(call("eye", d("p")))), "negative real axis"),
    (call("sinm", sym("A")), "sinm\\(\\) of a non-square 3x4"),
    (call("cosm", sym("X")), "cosm\\(\\) of a non-square 3x2"),
])
def test_matrix_errors(mexpr, message):
    with pytest.raises(ValueError, match=message):
        evaluate_matrix(mexpr, ENV)


@pytest.mark.parametrize("m, k", [(1, 1), (2, 3), (3, 2), (4, 4)])
def test_commutation_property(m, k):
    a = RNG.uniform(-1, 1, (m, k))
    vec = lambda b: b.reshape(-1, order="F")
    np.testing.assert_array_equal(commutation(m, k) @ vec(a), vec(a.T))
    np.testing.assert_array_equal(commutation(m, k).T, commutation(k, m))


@pytest.mark.parametrize("seed, scale", [(0, 0.1), (1, 1.0), (2, 3.0), (3, 8.0)])
def test_expm_against_taylor(seed, scale):
    a = np.random.default_rng(seed).uniform(-1, 1, (4, 4)) * scale / 2
    taylor = sum(np.linalg.matrix_power(a, k) / math.factorial(k) for k in range(120))
    np.testing.assert_allclose(expm(a), taylor, rtol=1e-12, atol=1e-13 * np.abs(taylor).max())


def test_expm_known_values():
    nil = np.array([[0.0, 1.0, 2.0], [0.0, 0.0, 3.0], [0.0, 0.0, 0.0]])
    np.testing.assert_allclose(expm(nil), np.eye(3) + nil + nil @ nil / 2, atol=1e-15)
    rot = np.array([[0.0, -1.2], [1.2, 0.0]])
    np.testing.assert_allclose(expm(rot), [[np.cos(1.2), -np.sin(1.2)], [np.sin(1.2), np.cos(1.2)]],
                               atol=1e-14)
    np.testing.assert_allclose(expm(np.zeros((2, 2))), np.eye(2), atol=0)


@pytest.mark.parametrize("dim, size", [("m", 3), ("5", 5), ("m*p", 6), ("n**2", 16),
                                       ("m*n*p", 24), ("2*m", 6), ("m**2*p", 18)])
def test_sizes_of_product_dimensions(dim, size):
    # kron and vec make dimensions such as m*p; SymPy prints m*m as m**2
    assert ENV.size(dim) == size


@pytest.mark.parametrize("dim", ["w", "m*w", "w**2"])
def test_size_of_an_unknown_dimension(dim):
    with pytest.raises(ValueError, match="no size for dimension"):
        ENV.size(dim)


def _series(a, first: int) -> np.ndarray:
    """sum_k (-1)^k a^(2k+first) / (2k+first)!: the sine (first = 1) or cosine (first = 0)."""
    return sum((-1) ** k * np.linalg.matrix_power(a, 2 * k + first) / math.factorial(2 * k + first)
               for k in range(60))


@pytest.mark.parametrize("seed, scale", [(0, 0.1), (1, 1.0), (2, 3.0), (3, 6.0)])
def test_sinm_cosm_against_their_power_series(seed, scale):
    a = np.random.default_rng(seed).uniform(-1, 1, (4, 4)) * scale / 2
    for got, want in ((sinm(a), _series(a, 1)), (cosm(a), _series(a, 0))):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-13 * max(1, np.abs(want).max()))


@pytest.mark.parametrize("seed", range(6))
def test_sinm_cosm_identities(seed):
    a = np.random.default_rng(seed).uniform(-1, 1, (4, 4)) * 2
    s, c = sinm(a), cosm(a)
    np.testing.assert_allclose(s @ s + c @ c, np.eye(4), atol=1e-13)    # sin^2 + cos^2 = I
    np.testing.assert_allclose(sinm(2 * a), 2 * s @ c, atol=1e-12)       # double angle
    np.testing.assert_allclose(s @ a, a @ s, atol=1e-13)                # commutes with a
    np.testing.assert_allclose(sinm(-a), -s, atol=1e-15)                 # odd and even
    np.testing.assert_allclose(cosm(-a), c, atol=1e-15)
    # not the elementwise functions
    assert np.abs(s - np.sin(a)).max() > 1e-3 and np.abs(c - np.cos(a)).max() > 1e-3


def test_sinm_cosm_known_values():
    rot = np.array([[0.0, -1.2], [1.2, 0.0]])           # rot^2 = -1.44 I
    np.testing.assert_allclose(sinm(rot), np.sinh(1.2) / 1.2 * rot, atol=1e-14)
    np.testing.assert_allclose(cosm(rot), np.cosh(1.2) * np.eye(2), atol=1e-14)
    nil = np.array([[0.0, 1.0, 2.0], [0.0, 0.0, 3.0], [0.0, 0.0, 0.0]])
    np.testing.assert_allclose(sinm(nil), nil, atol=1e-15)          # nil^3 = 0
    np.testing.assert_allclose(cosm(nil), np.eye(3) - nil @ nil / 2, atol=1e-15)
    np.testing.assert_array_equal(sinm(np.zeros((2, 2))), np.zeros((2, 2)))


@pytest.mark.parametrize("seed", range(8))
def test_logm_inverts_expm(seed):
    a = np.random.default_rng(seed).uniform(-1, 1, (4, 4))
    np.testing.assert_allclose(logm(expm(a)), a, atol=1e-13)


def test_logm_defective_and_spd():
    jordan = np.array([[2.0, 1.0], [0.0, 2.0]])                 # not diagonalisable
    np.testing.assert_allclose(logm(jordan), [[np.log(2), 0.5], [0.0, np.log(2)]], atol=1e-14)
    q, _ = np.linalg.qr(RNG.standard_normal((3, 3)))
    spd = q @ np.diag([0.5, 2.0, 9.0]) @ q.T
    np.testing.assert_allclose(logm(spd), q @ np.diag(np.log([0.5, 2.0, 9.0])) @ q.T, atol=1e-13)
