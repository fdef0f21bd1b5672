"""The engine's own derivation (`derive.differentiate`), proved equal to published identities by
`canonical.equal`, and never equal to a false variant of them; differentials converted to
derivatives (`from_differential_to_derivative`) through `load_catalogue`.

Sources: "Wikipedia <table> row N" is a row of the identity tables of the English Wikipedia
article "Matrix calculus" (transcribed in shared/reference/wikipedia-matrix-calculus.yaml);
"Cookbook eq. N" is an equation of The Matrix Cookbook (Petersen & Pedersen, 2012).
"""
from __future__ import annotations

import pytest
import yaml

from generator.canonical import equal
from generator.catalogue import load_catalogue
from generator.derive import DeriveError, differentiate
from generator.forms import symmetric_names
from generator.parse_index import parse_index
from generator.resolve import Context, assign_dims, resolve

SQ = {"shape": ["n", "n"]}
INV = {"shape": ["n", "n"], "assume": ["invertible"]}
VEC = {"shape": ["n"]}


class _NoAliases(yaml.SafeDumper):
    """The loader refuses YAML anchors (rightly); the shared dicts above must not make any."""

    def ignore_aliases(self, data):
        return True


def dump(doc) -> str:
    return yaml.dump(doc, Dumper=_NoAliases, sort_keys=False)

# (source, id, symbols, of, wrt, true derivative, a false variant)
IDENTITIES = [
    ("Wikipedia scalar-by-vector row 12 / Cookbook eq. 81", "quadratic-form",
     {"A": SQ, "x": VEC}, "y = x[i] * A[i,j] * x[j]", "x[k]",
     "A[k,j] * x[j] + x[i] * A[i,k]", "2 * A[k,j] * x[j]"),
    ("Wikipedia scalar-by-vector row 13", "quadratic-form-symmetric",
     {"A": {"shape": ["n", "n"], "assume": ["symmetric"]}, "x": VEC}, "y = x[i] * A[i,j] * x[j]",
     "x[k]", "2 * A[k,j] * x[j]", "A[k,j] * x[j]"),
    ("Wikipedia scalar-by-vector row 14", "quadratic-form-hessian",
     {"A": SQ, "x": VEC}, "y = x[i] * A[i,j] * x[j]", ["x[k]", "x[l]"],
     "A[k,l] + A[l,k]", "2 * A[k,l]"),
    ("Wikipedia scalar-by-vector row 16", "squared-norm",
     {"x": VEC}, "y = x[i] * x[i]", "x[k]", "2 * x[k]", "x[k]"),
    ("Wikipedia scalar-by-vector row 20", "euclidean-distance",
     {"a": VEC, "x": VEC}, "y = sqrt((x[i] - a[i]) * (x[i] - a[i]))", "x[k]",
     "(x[k] - a[k]) / sqrt((x[i] - a[i]) * (x[i] - a[i]))",
     "(x[k] - a[k]) * sqrt((x[i] - a[i]) * (x[i] - a[i]))"),
    ("Wikipedia scalar-by-matrix row 8 / Cookbook eq. 70", "bilinear-in-matrix",
     {"a": {"shape": ["p"]}, "b": {"shape": ["q"]}, "X": {"shape": ["p", "q"]}},
     "y = a[i] * X[i,j] * b[j]", "X[k,l]", "a[k] * b[l]", "2 * a[k] * b[l]"),
    ("Wikipedia scalar-by-matrix row 27 / Cookbook eq. 49", "determinant",
     {"X": INV}, "y = det(X)", "X[k,l]", "det(X) * inv(X)[l,k]", "det(X) * inv(X)[k,l]"),
    ("Wikipedia scalar-by-matrix row 28 / Cookbook eq. 57", "log-abs-determinant",
     {"X": INV}, "y = log(abs(det(X)))", "X[k,l]", "inv(X)[l,k]", "inv(X)[k,l]"),
    # stated before simplifying B inv(AXB) A = inv(X), which the canonical form does not do
    # (test_exact proves the published form det(AXB) inv(X)[l,k])
    ("Wikipedia scalar-by-matrix row 29", "determinant-of-product",
     {"A": INV, "B": INV, "X": INV}, "y = det(A @ X @ B)", "X[k,l]",
     "det(A @ X @ B) * (B @ inv(A @ X @ B) @ A)[l,k]",
     "det(A @ X @ B) * (B @ inv(A @ X @ B) @ A)[k,l]"),
    ("Wikipedia scalar-by-matrix row 21 / Cookbook eq. 101", "trace-axb",
     {"A": {"shape": ["p", "m"]}, "X": {"shape": ["m", "n"]}, "B": {"shape": ["n", "p"]}},
     "y = tr(A @ X @ B)", "X[k,l]", "A[j,k] * B[l,j]", "-A[j,k] * B[l,j]"),
    ("Wikipedia scalar-by-matrix row 19", "trace-xtax",
     {"A": {"shape": ["p", "p"]}, "X": {"shape": ["p", "q"]}}, "y = tr(X.T @ A @ X)", "X[k,l]",
     "A[k,j] * X[j,l] + A[j,k] * X[j,l]", "2 * A[k,j] * X[j,l]"),
    ("Wikipedia scalar-by-matrix row 20 / Cookbook eq. 63", "trace-of-inverse-times-a",
     {"A": SQ, "X": INV}, "y = tr(inv(X) @ A)", "X[k,l]",
     "-(inv(X) @ A @ inv(X))[l,k]", "-(inv(X) @ A @ inv(X))[k,l]"),
    ("Wikipedia scalar-by-matrix row 23 (n = 2) / Cookbook eq. 106", "trace-of-square",
     {"X": SQ}, "y = tr(X @ X)", "X[k,l]", "2 * X[l,k]", "2 * X[k,l]"),
    ("Cookbook eq. 60", "inverse",
     {"X": INV}, "Y[i,j] = inv(X)[i,j]", "X[k,l]",
     "-inv(X)[i,k] * inv(X)[l,j]", "inv(X)[i,k] * inv(X)[l,j]"),
    ("Wikipedia matrix-by-scalar row 7 / Cookbook eq. 59", "inverse-of-matrix-function",
     {"t": {}, "U": {"shape": ["n", "n"], "depends_on": "t", "assume": ["invertible"]}},
     "Y[i,j] = inv(U)[i,j]", "t", "-inv(U)[i,k] * D(U)[k,l] * inv(U)[l,j]",
     "-inv(U)[i,k] * D(U)[l,k] * inv(U)[l,j]"),
    ("Wikipedia matrix-by-scalar row 4", "product-of-matrix-functions",
     {"t": {}, "U": {"shape": ["m", "p"], "depends_on": "t"},
      "V": {"shape": ["p", "n"], "depends_on": "t"}},
     "Y[i,j] = U[i,k] * V[k,j]", "t", "D(U)[i,k] * V[k,j] + U[i,k] * D(V)[k,j]",
     "D(U)[i,k] * V[k,j]"),
    ("Wikipedia article 'Softmax function', Jacobian", "softmax",
     {"z": VEC}, "s[i] = exp(z[i]) / sum(j, exp(z[j]))", "z[k]",
     "exp(z[i]) / sum(j, exp(z[j])) * (delta[i,k] - exp(z[k]) / sum(j, exp(z[j])))",
     "exp(z[i]) / sum(j, exp(z[j])) * (delta[i,k] + exp(z[k]) / sum(j, exp(z[j])))"),
    ("Wikipedia 'Softmax function': cross-entropy gradient", "log-sum-exp",
     {"x": VEC}, "y = log(sum(i, exp(x[i])))", "x[k]",
     "exp(x[k]) / sum(i, exp(x[i]))", "exp(x[k]) * sum(i, exp(x[i]))"),
    ("Wikipedia vector-by-vector row 3", "linear-map",
     {"A": {"shape": ["m", "n"]}, "x": VEC}, "y[i] = A[i,j] * x[j]", "x[k]", "A[i,k]",
     "A[i,k] * x[k]"),
    ("Wikipedia vector-by-vector row 8 (chain rule, constant matrix)", "matrix-times-function",
     {"A": SQ, "x": VEC, "u": {"shape": ["n"], "depends_on": "x"}}, "y[i] = A[i,j] * u[j]",
     "x[k]", "A[i,j] * D(u)[j,k]", "A[i,j] * D(u)[k,j]"),
    ("Wikipedia vector-by-vector row 10 (chain rule, elementwise g)", "elementwise-chain",
     {"f": {"function": "scalar"}, "x": VEC, "u": {"shape": ["m"], "depends_on": "x"}},
     "y[i] = f(u[i])", "x[k]", "f'(u[i]) * D(u)[i,k]", "f(u[i]) * D(u)[i,k]"),
    ("Wikipedia vector-by-vector row 11 (chain rule, two levels)", "chain-two-levels",
     {"x": VEC, "u": {"shape": ["p"], "depends_on": "x"},
      "g": {"shape": ["m"], "depends_on": "u"}},
     "y[i] = g[i]", "x[k]", "D(g, u)[i,j] * D(u)[j,k]", "2 * D(g, u)[i,j] * D(u)[j,k]"),
    ("Wikipedia scalar-by-vector row 5", "scalar-chain",
     {"g": {"function": "scalar"}, "x": VEC, "u": {"depends_on": "x"}},
     "y = g(u)", "x[k]", "g'(u) * D(u)[k]", "g''(u) * D(u)[k]"),
    ("Wikipedia scalar-by-vector row 7 (dot product of vector functions)", "dot-product",
     {"x": VEC, "u": {"shape": ["m"], "depends_on": "x"}, "v": {"shape": ["m"], "depends_on": "x"}},
     "y = u[i] * v[i]", "x[k]", "u[i] * D(v)[i,k] + v[i] * D(u)[i,k]", "2 * u[i] * D(v)[i,k]"),
    ("elementwise tanh (Wikipedia 'Hyperbolic functions', derivative)", "tanh",
     {"x": VEC}, "y[i] = tanh(x[i])", "x[k]", "(1 - tanh(x[i])^2) * delta[i,k]",
     "(1 + tanh(x[i])^2) * delta[i,k]"),
    ("elementwise sigmoid (Wikipedia 'Logistic function', derivative)", "sigmoid",
     {"x": VEC}, "y[i] = sigmoid(x[i])", "x[k]",
     "sigmoid(x[i]) * (1 - sigmoid(x[i])) * delta[i,k]", "sigmoid(x[i]) * delta[i,k]"),
    # matrix functions given by power series: sinm, cosm, expm, logm
    ("Wikipedia scalar-by-matrix row 26", "trace-of-sine",
     {"X": SQ}, "y = tr(sinm(X))", "X[k,l]", "cosm(X)[l,k]", "cosm(X)[k,l]"),
    ("Wikipedia scalar-by-matrix row 16 (g = cos)", "trace-of-cosine",
     {"X": SQ}, "y = tr(cosm(X))", "X[k,l]", "-sinm(X)[l,k]", "sinm(X)[l,k]"),
    ("Wikipedia scalar-by-matrix row 16 (g = log)", "trace-of-logarithm",
     {"X": INV}, "y = tr(logm(X))", "X[k,l]", "inv(X)[l,k]", "inv(X)[k,l]"),
    ("Wikipedia scalar-by-matrix row 26 with the chain rule, tr(sin(A X))",
     "trace-of-sine-of-product", {"A": SQ, "X": SQ}, "y = tr(sinm(A @ X))", "X[k,l]",
     "(cosm(A @ X) @ A)[l,k]", "(A @ cosm(A @ X))[l,k]"),
    ("Wikipedia matrix-by-scalar row 9 (g = sin)", "sine-of-scaled-matrix",
     {"A": SQ, "x": {}}, "Y[i,j] = sinm(x * A)[i,j]", "x", "(cosm(x * A) @ A)[i,j]",
     "(sinm(x * A) @ A)[i,j]"),
    ("Wikipedia matrix-by-scalar row 9 (g = cos)", "cosine-of-scaled-matrix",
     {"A": SQ, "x": {}}, "Y[i,j] = cosm(A * x)[i,j]", "x", "-(sinm(A * x) @ A)[i,j]",
     "(sinm(A * x) @ A)[i,j]"),
    ("Wikipedia matrix-by-scalar row 10", "exponential-of-scaled-matrix",
     {"A": SQ, "x": {}}, "Y[i,j] = expm(x * A)[i,j]", "x", "(expm(x * A) @ A)[i,j]",
     "expm(x * A)[i,j]"),
    ("Wikipedia matrix-by-scalar row 10, as printed: A e^(xA)", "exponential-as-printed",
     {"A": SQ, "x": {}}, "Y[i,j] = expm(x * A)[i,j]", "x", "(A @ expm(x * A))[i,j]",
     "(A.T @ expm(x * A))[i,j]"),
    ("Wikipedia scalar-by-scalar-with-matrices row 5 (g = sin)", "trace-of-sine-of-scaled-matrix",
     {"A": SQ, "x": {}}, "y = tr(sinm(x * A))", "x", "tr(A @ cosm(x * A))", "tr(cosm(x * A))"),
    # the Kronecker product: the product rule at the matrix level, for a scalar variable
    ("Wikipedia matrix-by-scalar row 5", "kronecker-product",
     {"x": {}, "U": {"shape": ["m", "n"], "depends_on": "x"},
      "V": {"shape": ["p", "q"], "depends_on": "x"}},
     "Y[i,j] = (kron(U, V))[i,j]", "x", "(kron(U, D(V)) + kron(D(U), V))[i,j]",
     "(kron(D(U), D(V)))[i,j]"),
    ("Wikipedia differential-matrix row 5", "kronecker-differential",
     {"t": {}, "X": {"shape": ["m", "n"], "depends_on": "t"},
      "Y": {"shape": ["p", "q"], "depends_on": "t"}},
     "Z[i,j] = (kron(X, Y))[i,j]", "t", "(kron(D(X), Y))[i,j] + (kron(X, D(Y)))[i,j]",
     "(kron(D(X), Y))[i,j] - (kron(X, D(Y)))[i,j]"),
    ("Wikipedia matrix-by-scalar row 5 with U = x A (kron is bilinear)", "kronecker-scaled",
     {"x": {}, "A": {"shape": ["m", "n"]}, "V": {"shape": ["p", "q"], "depends_on": "x"}},
     "Y[i,j] = (kron(x * A, V))[i,j]", "x", "(kron(A, V))[i,j] + x * (kron(A, D(V)))[i,j]",
     "x * (kron(A, D(V)))[i,j]"),
    ("Wikipedia matrix-by-scalar row 5 for two columns", "kronecker-of-columns",
     {"x": {}, "u": {"shape": ["m"], "depends_on": "x"}, "v": {"shape": ["p"], "depends_on": "x"}},
     "y[i] = (kron(u, v))[i]", "x", "(kron(D(u), v) + kron(u, D(v)))[i]",
     "(kron(D(v), u) + kron(v, D(u)))[i]"),
    ("Wikipedia vector-by-vector row 3 with A = e^B (a constant matrix function)",
     "linear-map-by-exponential", {"B": SQ, "x": VEC}, "y[i] = expm(B)[i,j] * x[j]", "x[k]",
     "expm(B)[i,k]", "expm(B)[k,i]"),
]


def catalogue(tmp_path_factory, name: str, rows, key: str) -> dict:
    doc = {"table": "derive-tests", "title": "Derivation tests", "entries": [
        {"id": id_, "name": source, "symbols": symbols, "of": of, "wrt": wrt, key: claim}
        for source, id_, symbols, of, wrt, claim, _ in rows]}
    path = tmp_path_factory.mktemp("derive") / name
    path.write_text(dump(doc))
    entries, problems = load_catalogue([str(path)])
    assert problems == []
    return {e.id: e for e in entries}


@pytest.fixture(scope="module")
def entries(tmp_path_factory):
    return catalogue(tmp_path_factory, "identities.yaml", IDENTITIES, "derivative")


def claim_tree(entry, text):
    """A claim in the entry's context, resolved as the checker resolves `derivative`."""
    ctx = Context(entry.symbols, tuple(v.name for v in entry.wrt), frozenset(entry.free))
    tree, _ = resolve(parse_index(text, entry.functions()), ctx)
    tree, _ = assign_dims(tree, ctx, dict(entry.index_dims))
    assert ctx.problems == []
    return tree


def derived(entry):
    d = entry.of
    for v in entry.wrt:
        d = differentiate(d, v, entry.symbols)
    return d


@pytest.mark.parametrize("source, id_, symbols, of, wrt, true, false", IDENTITIES,
                         ids=[row[1] for row in IDENTITIES])
def test_derivation_equals_the_identity_and_not_its_false_variant(entries, source, id_, symbols,
                                                                  of, wrt, true, false):
    e = entries[id_]
    d = derived(e)
    sym = symmetric_names(e)
    assert equal(d, e.derivative, e.free, e.symbols, sym), source
    assert not equal(d, claim_tree(e, false), e.free, e.symbols, sym), source


# (source, id, symbols, of, wrt, differential, the derivative it states)
DIFFERENTIALS = [
    ("Wikipedia differential-matrix row 8 / Cookbook eq. 36", "d-inverse",
     {"X": INV}, "Y[i,j] = inv(X)[i,j]", "X[k,l]",
     "-inv(X)[i,k] * d(X)[k,l] * inv(X)[l,j]", "-inv(X)[i,k] * inv(X)[l,j]"),
    ("Wikipedia differential-matrix row 8, other dummy names", "d-inverse-renamed",
     {"X": INV}, "Y[i,j] = inv(X)[i,j]", "X[k,l]",
     "-inv(X)[i,a] * d(X)[a,b] * inv(X)[b,j]", "-inv(X)[i,k] * inv(X)[l,j]"),
    ("Wikipedia differential-scalar-of-matrix row 2 / Cookbook eq. 38", "d-determinant",
     {"X": INV}, "y = det(X)", "X[k,l]",
     "det(X) * inv(X)[l,k] * d(X)[k,l]", "det(X) * inv(X)[l,k]"),
    ("Wikipedia differential-scalar-of-matrix row 3 / Cookbook eq. 39", "d-log-determinant",
     {"X": INV}, "y = log(abs(det(X)))", "X[k,l]",
     "inv(X)[l,k] * d(X)[k,l]", "inv(X)[l,k]"),
    ("Wikipedia differential-to-derivative row 3", "d-trace",
     {"A": {"shape": ["q", "p"]}, "X": {"shape": ["p", "q"]}}, "y = tr(A @ X)", "X[k,l]",
     "A[l,k] * d(X)[k,l]", "A[l,k]"),
    ("Wikipedia differential-to-derivative row 5", "d-linear-map",
     {"A": {"shape": ["m", "n"]}, "x": VEC}, "y[i] = A[i,j] * x[j]", "x[k]",
     "A[i,k] * d(x)[k]", "A[i,k]"),
    ("Cookbook eq. 81 as a differential", "d-quadratic-form",
     {"A": SQ, "x": VEC}, "y = x[i] * A[i,j] * x[j]", "x[k]",
     "(A[k,j] * x[j] + x[i] * A[i,k]) * d(x)[k]", "A[k,j] * x[j] + x[i] * A[i,k]"),
]


@pytest.fixture(scope="module")
def from_differentials(tmp_path_factory):
    return catalogue(tmp_path_factory, "differentials.yaml", DIFFERENTIALS, "differential")


@pytest.mark.parametrize("source, id_, symbols, of, wrt, differential, derivative", DIFFERENTIALS,
                         ids=[row[1] for row in DIFFERENTIALS])
def test_differential_gives_the_derivative(from_differentials, source, id_, symbols, of, wrt,
                                           differential, derivative):
    e = from_differentials[id_]
    assert e.declared_as == "differential"
    sym = symmetric_names(e)
    assert equal(e.derivative, claim_tree(e, derivative), e.free, e.symbols, sym), source
    assert equal(e.derivative, derived(e), e.free, e.symbols, sym), source
    # the same derivative with its variable's two indices swapped is a different tensor
    shape = e.symbols[e.wrt[0].name].shape
    if len(shape) == 2 and shape[0] == shape[1]:
        swapped = derivative.replace("k", "#").replace("l", "k").replace("#", "l")
        assert not equal(e.derivative, claim_tree(e, swapped), e.free, e.symbols, sym)


def test_differential_text_is_the_derivative(from_differentials):
    assert from_differentials["d-inverse"].derivative_text == "-inv(X)[i,k] * inv(X)[l,j]"
    assert from_differentials["d-inverse-renamed"].derivative_text == "-inv(X)[i,k] * inv(X)[l,j]"
    assert from_differentials["d-linear-map"].derivative_text == "A[i,k]"


@pytest.mark.parametrize("of, message", [
    ("Y[i,j] = inv(X)[i,j]", None),
    ("Y[i,j] = pinv(X)[i,j]", "pinv has no index-form derivative rule"),
    # sinm, cosm: g(M) itself only where M commutes with dM (M = s A); inside a trace for any
    # M (expm and logm have integral rules for any M: test_integral_rules)
    ("Y[i,j] = sinm(X)[i,j]", "sinm has no index-form derivative rule"),
    ("Y[i,j] = cosm(X.T)[i,j]", "cosm has no index-form derivative rule"),
    ("Y[i,j] = sinm(tr(X) * X)[i,j]", "sinm has no index-form derivative rule"),
    # the entries of kron(A, B) by a matrix variable would need compound indices
    ("Y[i,j] = (kron(X, X))[i,j]", "kron has no index-form derivative by a vector or matrix"),
    ("y = tr(kron(X, X))", "kron has no index-form derivative by a vector or matrix"),
])
def test_out_of_reach_is_said_not_guessed(tmp_path, of, message):
    doc = {"table": "t", "title": "T", "entries": [{
        "id": "e", "name": "n", "symbols": {"X": INV}, "of": of, "wrt": "X[k,l]",
        "derivative": "0"}]}
    path = tmp_path / "e.yaml"
    path.write_text(dump(doc))
    (e,), problems = load_catalogue([str(path)])
    assert problems == []
    if message is None:
        assert equal(derived(e), claim_tree(e, "-inv(X)[i,k] * inv(X)[l,j]"), e.free, e.symbols)
    else:
        with pytest.raises(DeriveError, match=message):
            derived(e)


def test_variable_index_name_reused_as_a_summed_index(tmp_path):
    # y = x_k x_k summed over k, differentiated by x[k]: the bound k must be renamed apart
    doc = {"table": "t", "title": "T", "entries": [{
        "id": "e", "name": "n", "symbols": {"x": VEC}, "of": "y = x[k] * x[k]", "wrt": "x[k]",
        "derivative": "2 * x[k]"}]}
    path = tmp_path / "e.yaml"
    path.write_text(dump(doc))
    (e,), problems = load_catalogue([str(path)])
    assert problems == []
    d = derived(e)
    assert equal(d, e.derivative, e.free, e.symbols)
    assert not equal(d, claim_tree(e, "x[k]"), e.free, e.symbols)


# A function of two scalars, `depends_on: [x, y]` (README.md "Notation"): Wikipedia
# matrix-by-scalar row 8, d^2 U^-1 / dx dy, with the article's cell as matrix claims.
TWO = {"x": {}, "y": {}, "U": {"shape": ["n", "n"], "depends_on": ["x", "y"],
                               "assume": ["invertible"]}}
MIXED = ("inv(U)[i,a] * (D(U, x)[a,b] * inv(U)[b,c] * D(U, y)[c,d] - D(U, x, y)[a,d]"
         " + D(U, y)[a,b] * inv(U)[b,c] * D(U, x)[c,d]) * inv(U)[d,j]")
CELL = ("inv(U) @ (D(U, x) @ inv(U) @ D(U, y) - D(U, x, y) + D(U, y) @ inv(U) @ D(U, x))"
        " @ inv(U)")


def _two_scalars(tmp_path, derivative, claims=(), symbols=None):
    from generator.verify import verify_entry
    doc = {"table": "matrix-by-scalar", "title": "T", "entries": [{
        "id": "e", "name": "n", "symbols": symbols or TWO, "of": "Y[i,j] = inv(U)[i,j]",
        "wrt": ["x", "y"], "derivative": derivative,
        "claims": [{"source": "s", "layout": lay, "matrix": m, **({"erratum": True} if bad
                                                                    else {})}
                   for lay, m, bad in claims]}]}
    path = tmp_path / "e.yaml"
    path.write_text(dump(doc))
    entries, problems = load_catalogue([str(path)])
    return entries, problems, (verify_entry(entries[0]) if entries else None)


@pytest.mark.parametrize("derivative, holds", [
    (MIXED, True),
    # the other order of the mixed partial is the same (exact level)
    (MIXED.replace("D(U, x, y)", "D(U, y, x)"), True),
    (MIXED.replace("- D(U, x, y)", "+ D(U, x, y)"), False),               # sign of d2U/dxdy
    ("inv(U)[i,a] * (2 * D(U, x)[a,b] * inv(U)[b,c] * D(U, y)[c,d] - D(U, x, y)[a,d])"
     " * inv(U)[d,j]", False),                                          # x and y commuted
    (MIXED.replace("D(U, y)[a,b]", "D(U, x)[a,b]"), False),               # y for x
])
def test_mixed_second_derivative_of_two_scalars(tmp_path, derivative, holds):
    """Wikipedia matrix-by-scalar row 8: d2 U^-1 / dx dy for U = U(x, y)."""
    entries, problems, res = _two_scalars(tmp_path, derivative)
    assert problems == []
    assert res.passed is holds, res.failures
    if holds and "y, x" not in derivative:
        assert res.general.status == "passed"
        assert equal(derived(entries[0]), entries[0].derivative, entries[0].free,
                     entries[0].symbols)


def test_mixed_second_derivative_claims(tmp_path):
    """Wikipedia matrix-by-scalar row 8: the article's cell holds as an n x n matrix in the
    numerator and mixed layouts; a sign or an order slip is refused."""
    claims = [("numerator", CELL, False), ("mixed", CELL, False),
              ("mixed", CELL.replace("- D(U, x, y)", "+ D(U, x, y)"), True),
              ("numerator", CELL.replace("D(U, y) @ inv(U) @ D(U, x)",
                                         "D(U, x) @ inv(U) @ D(U, y)"), True)]
    _, problems, res = _two_scalars(tmp_path, MIXED, claims)
    assert problems == []
    assert res.passed, res.failures
    assert [chk.holds for c, chk in res.claims if c.source == "s"] == [True, True, False, False]


@pytest.mark.parametrize("symbols, derivative, message", [
    (TWO, MIXED.replace("D(U, x)[a,b]", "D(U)[a,b]"), "does not depend directly"),
    (TWO, MIXED.replace("D(U, x, y)[a,d]", "D(U, x, y)[a,d,k]"), "needs 2 indices"),
    ({**TWO, "U": {**TWO["U"], "depends_on": ["x"]}}, MIXED, "two or more different"),
    ({**TWO, "U": {**TWO["U"], "depends_on": ["x", "x"]}}, MIXED, "two or more different"),
    ({**TWO, "y": {"shape": ["n"]}}, MIXED, "must be a declared plain scalar"),
    ({**TWO, "U": {**TWO["U"], "depends_on": ["x", "z"]}}, MIXED,
     "must be a declared plain scalar"),
])
def test_two_scalar_dependence_refused(tmp_path, symbols, derivative, message):
    entries, problems, _ = _two_scalars(tmp_path, derivative, symbols=symbols)
    assert entries == [] and any(message in p.message for p in problems), problems
