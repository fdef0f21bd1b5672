"""The numeric level (`numeric.numeric_check`): central differences at three size assignments,
samples from a seed fixed by the entry id. True entries pass; false ones fail with a
counterexample; a claim off by 1e-3 relative in one component is refused."""
from __future__ import annotations


import numpy as np
import pytest
import yaml

import generator.numeric as numeric
from generator.catalogue import load_catalogue
from generator.numeric import TOLERANCE, entry_seed, numeric_check, size_assignments

# (source, id, symbols, of, wrt, true derivative, a false one)
CASES = [
    ("Wikipedia vector-by-vector row 3", "linear-map",
     {"A": {"shape": ["m", "n"]}, "x": {"shape": ["n"]}}, "y[i] = A[i,j] * x[j]", "x[k]",
     "A[i,k]", "2 * A[i,k]"),
    ("Wikipedia vector-by-vector row 3, transposed (square)", "linear-map-square",
     {"A": {"shape": ["n", "n"]}, "x": {"shape": ["n"]}}, "y[i] = A[i,j] * x[j]", "x[k]",
     "A[i,k]", "A[k,i]"),
    ("Wikipedia scalar-by-vector row 12 / Cookbook eq. 81", "quadratic-form",
     {"A": {"shape": ["n", "n"]}, "x": {"shape": ["n"]}}, "y = x[i] * A[i,j] * x[j]", "x[k]",
     "A[k,j] * x[j] + x[i] * A[i,k]", "2 * A[k,j] * x[j]"),
    ("Wikipedia scalar-by-matrix row 28 / Cookbook eq. 57", "log-abs-determinant",
     {"X": {"shape": ["n", "n"], "assume": ["invertible"]}}, "y = log(abs(det(X)))", "X[k,l]",
     "inv(X)[l,k]", "inv(X)[k,l]"),
    ("Wikipedia scalar-by-matrix row 21 / Cookbook eq. 101", "trace-axb",
     {"A": {"shape": ["p", "m"]}, "X": {"shape": ["m", "n"]}, "B": {"shape": ["n", "p"]}},
     "y = tr(A @ X @ B)", "X[k,l]", "A[j,k] * B[l,j]", "-A[j,k] * B[l,j]"),
    ("Wikipedia matrix-by-scalar row 7 / Cookbook eq. 59", "inverse-of-matrix-function",
     {"t": {}, "U": {"shape": ["n", "n"], "depends_on": "t", "assume": ["invertible"]}},
     "Y[i,j] = inv(U)[i,j]", "t", "-inv(U)[i,k] * D(U)[k,l] * inv(U)[l,j]",
     "inv(U)[i,k] * D(U)[k,l] * inv(U)[l,j]"),
    ("Wikipedia scalar-by-vector row 14 (Hessian)", "quadratic-form-hessian",
     {"A": {"shape": ["n", "n"]}, "x": {"shape": ["n"]}}, "y = x[i] * A[i,j] * x[j]",
     ["x[k]", "x[l]"], "A[k,l] + A[l,k]", "2 * A[k,l]"),
    ("Wikipedia 'Softmax function', Jacobian", "softmax",
     {"z": {"shape": ["n"]}}, "s[i] = exp(z[i]) / sum(j, exp(z[j]))", "z[k]",
     "exp(z[i]) / sum(j, exp(z[j])) * (delta[i,k] - exp(z[k]) / sum(j, exp(z[j])))",
     "exp(z[i]) / sum(j, exp(z[j])) * (delta[i,k] + exp(z[k]) / sum(j, exp(z[j])))"),
    ("Wikipedia scalar-by-matrix row 26", "trace-of-sine",
     {"X": {"shape": ["n", "n"]}}, "y = tr(sinm(X))", "X[k,l]", "cosm(X)[l,k]", "cosm(X)[k,l]"),
    ("Wikipedia matrix-by-scalar row 9 (g = cos)", "cosine-of-scaled-matrix",
     {"A": {"shape": ["n", "n"]}, "x": {}}, "Y[i,j] = cosm(x * A)[i,j]", "x",
     "-(sinm(x * A) @ A)[i,j]", "-(A @ sinm(x * A) @ A)[i,j]"),
    ("Wikipedia matrix-by-scalar row 5", "kronecker-product",
     {"x": {}, "U": {"shape": ["m", "n"], "depends_on": "x"},
      "V": {"shape": ["p", "q"], "depends_on": "x"}},
     "Y[i,j] = (kron(U, V))[i,j]", "x", "(kron(U, D(V)) + kron(D(U), V))[i,j]",
     "(kron(U, D(V)) + kron(U, V))[i,j]"),
    ("scalar by scalar: d(a t^3)/dt = 3 a t^2, and the claim off by 1e-3 relative",
     "cubic", {"a": {}, "t": {}}, "y = a * t^3", "t", "3 * a * t^2", "3.003 * a * t^2"),
]


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """{id: (true entry, false entry)}, the false entries under the same ids."""
    tmp = tmp_path_factory.mktemp("numeric")
    out: dict = {}
    for which in (5, 6):
        doc = {"table": "numeric-tests", "title": "Numeric-level tests", "entries": [
            {"id": row[1], "name": row[0], "symbols": row[2], "of": row[3], "wrt": row[4],
             "derivative": row[which]} for row in CASES]}
        path = tmp / f"claims-{which}.yaml"
        path.write_text(yaml.dump(doc, Dumper=_NoAliases, sort_keys=False))
        entries, problems = load_catalogue([str(path)])
        assert problems == []
        for e in entries:
            out.setdefault(e.id, []).append(e)
    return out


IDS = [row[1] for row in CASES]


@pytest.mark.parametrize("id_", IDS)
def test_true_passes_at_three_size_assignments(loaded, id_):
    entry = loaded[id_][0]
    run, cases = numeric_check(entry)
    assert run.passed and run.note == ""
    assert run.tolerance == TOLERANCE[len(entry.wrt)]
    assert len(run.samples) == 3 and len(cases) == 3
    for s in run.samples:
        assert set(s) >= {"sizes", "seed", "error"}
        assert 0 <= s["error"] <= run.tolerance


@pytest.mark.parametrize("id_", IDS)
def test_false_fails_with_a_counterexample(loaded, id_):
    entry = loaded[id_][1]
    run, _ = numeric_check(entry)
    assert not run.passed
    w = run.worst
    assert w is not None and w["error"] > run.tolerance
    assert w["sizes"] in [s["sizes"] for s in run.samples]
    assert w["seed"] in [s["seed"] for s in run.samples]
    at = w["index"]["at"]
    assert list(at) == list(entry.free)
    assert abs(w["index"]["claimed"] - w["index"]["numeric"]) > 0


@pytest.mark.parametrize("id_", ["linear-map", "quadratic-form", "log-abs-determinant",
                                 "inverse-of-matrix-function", "quadratic-form-hessian"])
def test_one_component_off_by_1e3_relative_is_refused(loaded, monkeypatch, id_):
    entry = loaded[id_][0]
    true_value = numeric.claim_value

    def perturbed(case, expr=None):
        t = np.array(true_value(case, expr), dtype=float)
        if t.ndim == 0:
            return t * (1 + 1e-3)
        k = np.unravel_index(int(np.argmax(np.abs(t))), t.shape)   # one component only
        t[k] *= 1 + 1e-3
        return t

    assert numeric_check(entry)[0].passed
    monkeypatch.setattr(numeric, "claim_value", perturbed)
    run, _ = numeric_check(entry)
    assert not run.passed
    assert run.worst["error"] > run.tolerance


@pytest.mark.parametrize("id_", ["linear-map", "log-abs-determinant", "softmax"])
def test_two_runs_give_identical_records(loaded, id_):
    for entry in loaded[id_]:
        one, _ = numeric_check(entry)
        two, _ = numeric_check(entry)
        assert one == two
        assert one.samples == two.samples and one.worst == two.worst


def test_seed_comes_from_the_entry_id(loaded):
    # the same id draws the same samples (true and false claim), another id other samples
    true, false = loaded["linear-map-square"]
    other = loaded["quadratic-form"][0]
    seeds = lambda e: [s["seed"] for s in numeric_check(e)[0].samples]
    assert entry_seed(true.id) == entry_seed("linear-map-square")
    assert seeds(true)[:1] == seeds(false)[:1]
    assert not set(seeds(true)) & set(seeds(other))


@pytest.mark.parametrize("id_, names", [
    ("cubic", []),
    ("softmax", ["n"]),
    ("linear-map", ["m", "n"]),
    ("trace-axb", ["m", "n", "p"]),
])
def test_three_size_assignments_with_distinct_sizes(loaded, id_, names):
    entry = loaded[id_][0]
    assignments = size_assignments(entry)
    assert len(assignments) == 3
    assert all(sorted(a) == names for a in assignments)
    for a in assignments:
        assert len(set(a.values())) == len(a)                  # distinct within one sample
        assert all(v >= 2 for v in a.values())
    if names:
        assert len({tuple(sorted(a.items())) for a in assignments}) == 3   # and across samples
    run, _ = numeric_check(entry)
    assert [s["sizes"] for s in run.samples] == assignments


def test_no_sample_in_the_domain_is_a_failure_with_a_note(tmp_path):
    path = tmp_path / "domain.yaml"
    path.write_text(yaml.safe_dump({"table": "t", "title": "T", "entries": [{
        "id": "log-of-negative", "name": "log of a negative number",
        "symbols": {"x": {"shape": ["n"]}}, "of": "y = log(-2 - x[i] * x[i])", "wrt": "x[k]",
        "derivative": "2 * x[k] / (2 + x[i] * x[i])"}]}))
    (entry,), problems = load_catalogue([str(path)])
    assert problems == []
    run, _ = numeric_check(entry)
    assert not run.passed and "no sample in the domain" in run.note
