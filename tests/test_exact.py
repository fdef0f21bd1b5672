"""The exact level (`exact.exact_check`): every component differentiated from first principles
by SymPy at small sizes. True identities pass (det and inverse ones included); false ones do
not. Sources are named as in test_derive."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.catalogue import load_catalogue
from generator.exact import exact_check, exact_sizes

INV = {"shape": ["n", "n"], "assume": ["invertible"]}
SQ = {"shape": ["n", "n"]}


class _NoAliases(yaml.SafeDumper):
    """The loader refuses YAML anchors (rightly); the shared dicts above must not make any."""

    def ignore_aliases(self, data):
        return True

# (source, id, symbols, of, wrt, a true derivative, a false one)
CASES = [
    ("Wikipedia vector-by-vector row 3", "linear-map",
     {"A": {"shape": ["m", "n"]}, "x": {"shape": ["n"]}}, "y[i] = A[i,j] * x[j]", "x[k]",
     "A[i,k]", "2 * A[i,k]"),
    ("Wikipedia scalar-by-vector row 12 / Cookbook eq. 81", "quadratic-form",
     {"A": SQ, "x": {"shape": ["n"]}}, "y = x[i] * A[i,j] * x[j]", "x[k]",
     "A[k,j] * x[j] + x[i] * A[i,k]", "2 * A[k,j] * x[j]"),
    ("Wikipedia scalar-by-vector row 13: symmetry imposed after differentiating",
     "quadratic-form-symmetric",
     {"A": {"shape": ["n", "n"], "assume": ["symmetric"]}, "x": {"shape": ["n"]}},
     "y = x[i] * A[i,j] * x[j]", "x[k]", "2 * A[k,j] * x[j]", "A[k,j] * x[j]"),
    ("NOTATION.md: a symmetric variable's entries are independent (Cookbook eq. 70)",
     "bilinear-in-symmetric-variable",
     {"a": {"shape": ["n"]}, "b": {"shape": ["n"]},
      "X": {"shape": ["n", "n"], "assume": ["symmetric"]}},
     "y = a[i] * X[i,j] * b[j]", "X[k,l]", "a[k] * b[l]", "(a[k] * b[l] + a[l] * b[k]) / 2"),
    ("Wikipedia scalar-by-matrix row 27 / Cookbook eq. 49", "determinant",
     {"X": INV}, "y = det(X)", "X[k,l]", "det(X) * inv(X)[l,k]", "det(X) * inv(X)[k,l]"),
    ("Wikipedia scalar-by-matrix row 28 / Cookbook eq. 57", "log-abs-determinant",
     {"X": INV}, "y = log(abs(det(X)))", "X[k,l]", "inv(X)[l,k]", "inv(X)[k,l]"),
    ("Wikipedia scalar-by-matrix row 29 / Cookbook eq. 51", "determinant-of-product",
     {"A": INV, "B": INV, "X": INV}, "y = det(A @ X @ B)", "X[k,l]",
     "det(A @ X @ B) * inv(X)[l,k]", "det(A @ X @ B) * inv(X)[k,l]"),
    ("Wikipedia scalar-by-matrix row 20 / Cookbook eq. 63", "trace-of-inverse-times-a",
     {"A": SQ, "X": INV}, "y = tr(inv(X) @ A)", "X[k,l]",
     "-(inv(X) @ A @ inv(X))[l,k]", "(inv(X) @ A @ inv(X))[l,k]"),
    ("Cookbook eq. 60", "inverse",
     {"X": INV}, "Y[i,j] = inv(X)[i,j]", "X[k,l]",
     "-inv(X)[i,k] * inv(X)[l,j]", "-inv(X)[i,l] * inv(X)[k,j]"),
    ("Wikipedia matrix-by-scalar row 7 / Cookbook eq. 59", "inverse-of-matrix-function",
     {"t": {}, "U": {"shape": ["n", "n"], "depends_on": "t", "assume": ["invertible"]}},
     "Y[i,j] = inv(U)[i,j]", "t", "-inv(U)[i,k] * D(U)[k,l] * inv(U)[l,j]",
     "inv(U)[i,k] * D(U)[k,l] * inv(U)[l,j]"),
    ("Wikipedia differential-scalar-of-matrix row 2 (adjugate form)", "determinant-adjugate",
     {"X": INV}, "y = det(X)", "X[k,l]", "adj(X)[l,k]", "adj(X)[k,l]"),
    ("Wikipedia vector-by-vector row 10 (chain rule)", "elementwise-chain",
     {"f": {"function": "scalar"}, "x": {"shape": ["n"]}, "u": {"shape": ["m"], "depends_on": "x"}},
     "y[i] = f(u[i])", "x[k]", "f'(u[i]) * D(u)[i,k]", "f'(u[i]) * D(u)[i,k] * 2"),
    ("Wikipedia 'Softmax function', Jacobian", "softmax",
     {"z": {"shape": ["n"]}}, "s[i] = exp(z[i]) / sum(j, exp(z[j]))", "z[k]",
     "exp(z[i]) / sum(j, exp(z[j])) * (delta[i,k] - exp(z[k]) / sum(j, exp(z[j])))",
     "exp(z[i]) / sum(j, exp(z[j])) * (delta[i,k] + exp(z[k]) / sum(j, exp(z[j])))"),
    ("Wikipedia scalar-by-vector row 14 (Hessian)", "quadratic-form-hessian",
     {"A": SQ, "x": {"shape": ["n"]}}, "y = x[i] * A[i,j] * x[j]", ["x[k]", "x[l]"],
     "A[k,l] + A[l,k]", "2 * A[k,l]"),
    # kron and vec, expanded entry by entry (indices over m*p, n**2)
    ("Wikipedia matrix-by-scalar row 5", "kronecker-product",
     {"x": {}, "U": {"shape": ["m", "n"], "depends_on": "x"},
      "V": {"shape": ["p", "q"], "depends_on": "x"}},
     "Y[i,j] = (kron(U, V))[i,j]", "x", "(kron(U, D(V)) + kron(D(U), V))[i,j]",
     "(kron(D(U), V))[i,j]"),
    ("Wikipedia matrix-by-scalar row 5, U and V square of one size", "kronecker-square",
     {"x": {}, "U": {"shape": ["n", "n"], "depends_on": "x"},
      "V": {"shape": ["n", "n"], "depends_on": "x"}},
     "Y[i,j] = (kron(U, V))[i,j]", "x", "(kron(U, D(V)) + kron(D(U), V))[i,j]",
     "(kron(V, D(U)) + kron(D(V), U))[i,j]"),
    ("Cookbook eq. 105", "trace-of-kronecker",
     {"A": {"shape": ["m", "m"]}, "X": {"shape": ["n", "n"]}}, "y = tr(kron(A, X))", "X[k,l]",
     "tr(A) * delta[k,l]", "dim(m) * delta[k,l]"),
    ("Wikipedia scalar-by-matrix row 21 through vec: tr(A^T X) = vec(A)^T vec(X)",
     "vec-inner-product", {"A": {"shape": ["m", "n"]}, "X": {"shape": ["m", "n"]}},
     "y = tr(vec(A).T @ vec(X))", "X[k,l]", "A[k,l]", "2 * A[k,l]"),
]


def write(tmp_path: Path, rows, which: int) -> Path:
    doc = {"table": "exact-tests", "title": "Exact-level tests", "entries": [
        {"id": row[1], "name": row[0], "symbols": row[2], "of": row[3], "wrt": row[4],
         "derivative": row[which]} for row in rows]}
    path = tmp_path / f"claims-{which}.yaml"
    path.write_text(yaml.dump(doc, Dumper=_NoAliases, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """{id: (true entry, false entry)}"""
    tmp = tmp_path_factory.mktemp("exact")
    out = {}
    for which in (5, 6):
        entries, problems = load_catalogue([str(write(tmp, CASES, which))])
        assert problems == []
        for e in entries:
            out.setdefault(e.id, []).append(e)
    return out


@pytest.mark.parametrize("source, id_", [(row[0], row[1]) for row in CASES],
                         ids=[row[1] for row in CASES])
def test_true_passes_false_does_not(loaded, source, id_):
    true, false = loaded[id_]
    ok, why, sizes = exact_check(true)
    assert (ok, why) == (True, ""), source
    assert sizes and len(set(sizes.values())) == len(sizes)      # distinct sizes
    ok, why, _ = exact_check(false)
    assert ok is not True, source
    assert why                                                   # it says why


@pytest.mark.parametrize("id_", ["linear-map", "quadratic-form", "determinant"])
def test_false_claim_is_refuted(loaded, id_):
    ok, _, _ = exact_check(loaded[id_][1])
    assert ok is False


def test_sizes_are_small_distinct_and_smallest_for_square_matrices(loaded):
    sizes = exact_sizes(loaded["determinant-of-product"][0])
    assert sizes == {"n": 2}
    sizes = exact_sizes(loaded["linear-map"][0])
    assert sorted(sizes.values()) == [2, 3] and sizes["m"] != sizes["n"]


def test_explicit_claim_argument(loaded):
    # exact_check(entry, claim) checks another tree against the entry's function
    true, false = loaded["quadratic-form"]
    assert exact_check(true, false.derivative)[0] is not True
    assert exact_check(false, true.derivative)[0] is True


@pytest.mark.parametrize("name", sorted(p.name for p in Path("/work/shared/examples/valid").glob("*.yaml")))
def test_every_valid_example_passes_at_the_exact_level(name):
    entries, problems = load_catalogue([f"/work/shared/examples/valid/{name}"])
    assert problems == []
    for e in entries:
        assert exact_check(e)[0] is True, e.id
