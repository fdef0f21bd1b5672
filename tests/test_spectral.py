"""Spectral matrix functions in the notation (README.md, "Notation"): fm(f, X), eigval(X),
eigvec(X) and divdiff(f, v) parsed, shaped, evaluated, printed, differentiated by the
Daleckii-Krein rule, and the `diagonalizable` assumption sampled.

Sources: "Wikipedia differential-matrix row 13" is row 13 of the table "Differential
identities: matrix" of the English Wikipedia article "Matrix calculus" (shared/reference/
wikipedia-matrix-calculus.yaml, dm-13).
"""
from __future__ import annotations

import numpy as np
import pytest
import yaml

from generator.catalogue import load_catalogue
from generator.derive import DeriveError
from generator.evaluate import Env, evaluate_index, evaluate_matrix, expm
from generator.exact import exact_check
from generator.expr import MatEntry, MCall, MSym, NotationError
from generator.latex import SymbolInfo, index_latex
from generator.parse_index import parse_index
from generator.parse_matrix import parse_matrix
from generator.printing import index_text
from generator.sample import assumption_violations, draw_symbol
from generator.verify import derive_entry, verify_entry

F = frozenset({"f"})
ROW_13 = ("eigvec(X)[i,p] * inv(eigvec(X))[p,a] * d(X)[a,b] * eigvec(X)[b,q] * "
          "inv(eigvec(X))[q,j] * divdiff(f, eigval(X))[p,q]")


@pytest.mark.parametrize("text, valid", [
    ("fm(f, X)[i,j]", True),
    ("eigval(X)[k]", True),
    ("eigvec(X)[i,k]", True),
    ("inv(eigvec(X))[k,j]", True),
    ("divdiff(f, eigval(X))[p,q]", True),
    ("(fm(f, X))[i,j]", True),                   # a group, as for kron
    ("fm(f, X)", False),                         # must be indexed
    ("eigval(X)", False),
    ("fm(X)[i,j]", False),                       # the function comes first
    ("fm(g, X)[i,j]", False),                    # g is not a declared function
    ("fm(exp, X)[i,j]", False),                  # only declared scalar functions
    ("fm(f', X)[i,j]", False),                   # no primes: divdiff says f^[1]
    ("fm(f(X), X)[i,j]", False),
    ("divdiff(f, eigval(X), eigval(X))[p,q]", False),
])
def test_parse_spectral(text, valid):
    if valid:
        e = parse_index(text, F)
        assert isinstance(e, MatEntry)
        assert parse_index(index_text(e), F) == e     # printing reads back to the same tree
    else:
        with pytest.raises(NotationError):
            parse_index(text, F)


@pytest.mark.parametrize("name", ["fm", "eigval", "eigvec", "divdiff"])
def test_spectral_names_are_reserved(name):
    with pytest.raises(NotationError, match="reserved"):
        parse_matrix(name)


def _env(x, f=np.exp, f1=np.exp):
    return Env({"X": x}, functions={"f": (f, f1)}, dims={"n": len(x)})


def _diagonalizable(n, seed=0):
    return draw_symbol(np.random.default_rng(seed), (n, n), frozenset({"diagonalizable"}))


def test_fm_of_exp_is_the_matrix_exponential():
    x = _diagonalizable(4)
    got = evaluate_matrix(parse_matrix("fm(f, X)", F), _env(x))
    assert np.max(np.abs(got - expm(x))) <= 1e-12 * np.max(np.abs(expm(x)))


def test_eigen_data_reassemble_the_matrix():
    x = _diagonalizable(3, seed=4)
    got = evaluate_matrix(parse_matrix(
        "eigvec(X) @ diag(eigval(X)) @ inv(eigvec(X))", F), _env(x))
    assert np.max(np.abs(got - x)) <= 1e-12
    lam = evaluate_matrix(parse_matrix("eigval(X)", F), _env(x))[:, 0]
    assert np.all(np.diff(lam) > 0)                 # ascending


@pytest.mark.parametrize("v, expected", [
    ([1.0, 2.0], [[np.exp(1.0), np.exp(2) - np.exp(1)], [np.exp(2) - np.exp(1), np.exp(2.0)]]),
    ([0.5, 0.5], [[np.exp(0.5)] * 2] * 2),          # equal arguments: f'
])
def test_divdiff(v, expected):
    e = parse_index("divdiff(f, v)[p,q]", F)
    env = Env({"v": np.array(v)}, functions={"f": (np.exp, np.exp)}, dims={"m": 2})
    got = evaluate_index(e, env, ("p", "q"), {"p": 2, "q": 2})
    assert np.allclose(got, expected, rtol=1e-12, atol=0)


def test_complex_spectrum_is_refused_numerically():
    x = np.array([[0.0, 1.0], [-1.0, 0.0]])
    with pytest.raises(ValueError, match="complex eigenvalues"):
        evaluate_matrix(parse_matrix("fm(f, X)", F), _env(x))


@pytest.mark.parametrize("assume", [("diagonalizable",), ("diagonalizable", "symmetric"),
                                    ("diagonalizable", "invertible")])
def test_diagonalizable_samples(assume):
    for n in (1, 2, 3, 4, 5):
        a = draw_symbol(np.random.default_rng(n), (n, n), frozenset(assume))
        assert assumption_violations(a, frozenset(assume)) == []


@pytest.mark.parametrize("a", [np.array([[0.0, 1.0], [-1.0, 0.0]]),   # complex spectrum
                               np.eye(2),                              # a repeated eigenvalue
                               np.array([[1.0, 1.0], [0.0, 1.0]])])    # not diagonalizable
def test_diagonalizable_violations(a):
    assert assumption_violations(a, frozenset({"diagonalizable"})) == ["diagonalizable"]


def test_latex_of_spectral_functions():
    info = SymbolInfo(ranks={"X": 2})
    tex = index_latex(parse_index("fm(f, X)[i,j] * divdiff(f, eigval(X))[i,j]", F), info)
    assert tex == (r"(f(\mathbf{X}))_{ij} (f^{[1]}(\operatorname{eigval}(\mathbf{X})))_{ij}")


# --- entries: row 13, and false variants ----------------------------------------------------

def entry(tmp_path, differential, of="fm(f, X)[i,j]", assume=("diagonalizable",)):
    x = {"shape": ["n", "n"]}
    if assume:
        x["assume"] = list(assume)
    doc = {"table": "differentials", "title": "T", "entries": [{
        "id": "e", "name": "n", "symbols": {"X": x, "f": {"function": "scalar"}},
        "of": f"Y[i,j] = {of}", "wrt": "X[k,l]", "differential": differential}]}
    path = tmp_path / "e.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    (e,), problems = load_catalogue([str(path)])
    assert problems == []
    return e


# (source, differential, holds)
CASES = [
    ("Wikipedia differential-matrix row 13", ROW_13, True),
    ("row 13, Hadamard form Q (F o (Q^-1 dX Q)) Q^-1, other names",
     "eigvec(X)[i,r] * divdiff(f, eigval(X))[r,s] * inv(eigvec(X))[r,u] * d(X)[u,w] * "
     "eigvec(X)[w,s] * inv(eigvec(X))[s,j]", True),
    # F is symmetric (f^[1](a, b) = f^[1](b, a)), so P_q dX P_p F_pq is the same sum
    ("row 13, projectors in the other order (F symmetric)",
     "eigvec(X)[i,q] * inv(eigvec(X))[q,a] * d(X)[a,b] * eigvec(X)[b,p] * "
     "inv(eigvec(X))[p,j] * divdiff(f, eigval(X))[p,q]", True),
    ("row 13, false: f'(lambda_p) for every pair (no divided difference)",
     "eigvec(X)[i,p] * inv(eigvec(X))[p,a] * d(X)[a,b] * eigvec(X)[b,q] * "
     "inv(eigvec(X))[q,j] * f'(eigval(X)[p])", False),
    ("row 13, false: Q and Q^-1 swapped",
     "inv(eigvec(X))[i,p] * eigvec(X)[p,a] * d(X)[a,b] * inv(eigvec(X))[b,q] * "
     "eigvec(X)[q,j] * divdiff(f, eigval(X))[p,q]", False),
    ("row 13, false: P_p dX^T P_q (dX transposed)",
     "eigvec(X)[i,p] * inv(eigvec(X))[p,a] * d(X)[b,a] * eigvec(X)[b,q] * "
     "inv(eigvec(X))[q,j] * divdiff(f, eigval(X))[p,q]", False),
    ("row 13, false: Q^-1 missing on the left of dX",
     "eigvec(X)[i,p] * d(X)[p,b] * eigvec(X)[b,q] * inv(eigvec(X))[q,j] * "
     "divdiff(f, eigval(X))[p,q]", False),
    ("row 13, false: Q^-1 missing on the right",
     "eigvec(X)[i,p] * inv(eigvec(X))[p,a] * d(X)[a,b] * eigvec(X)[b,j] * "
     "divdiff(f, eigval(X))[p,j]", False),
]


@pytest.mark.parametrize("source, differential, holds", CASES, ids=[c[0] for c in CASES])
def test_spectral_differentials(tmp_path, source, differential, holds):
    r = verify_entry(entry(tmp_path, differential))
    assert r.numeric.passed == holds, source
    assert (r.general.status == "passed") == holds, source
    assert r.passed == holds, (source, r.failures)
    assert r.exact.status in ("not run", "not proven")


def test_engine_derives_the_daleckii_krein_rule(tmp_path):
    d = derive_entry(entry(tmp_path, ROW_13))[1]
    assert index_text(d) == ("(eigvec(X))[i,b] * inv(eigvec(X))[b,k] * (eigvec(X))[l,a] * "
                             "inv(eigvec(X))[a,j] * (divdiff(f, eigval(X)))[b,a]")


def test_exact_level_says_spectral_functions_are_out_of_reach(tmp_path):
    ok, why, _ = exact_check(entry(tmp_path, ROW_13))
    assert ok is None and "fm" in why


@pytest.mark.parametrize("of", ["eigvec(X)[i,j]", "inv(eigvec(X))[i,j]"])
def test_eigen_data_of_a_varying_matrix_is_out_of_reach(tmp_path, of):
    with pytest.raises(DeriveError, match="eigvec"):
        derive_entry(entry(tmp_path, "d(X)[i,j]", of))


@pytest.mark.parametrize("symbols, of, problem", [
    ({"X": {"shape": ["n", "m"]}}, "fm(f, X)[i,j]", "non-square"),
    ({"X": {"shape": ["n", "n"]}}, "divdiff(f, X)[i,j]", "not a column"),
    ({"X": {"shape": ["n", "m"], "assume": ["diagonalizable"]}}, "X[i,j]",
     "needs a square matrix"),
])
def test_spectral_shapes(tmp_path, symbols, of, problem):
    doc = {"table": "differentials", "title": "T", "entries": [{
        "id": "e", "name": "n", "symbols": {**symbols, "f": {"function": "scalar"}},
        "of": f"Y[i,j] = {of}", "wrt": "X[k,l]", "differential": "d(X)[i,j]"}]}
    path = tmp_path / "e.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    _, problems = load_catalogue([str(path)])
    assert any(problem in p.message for p in problems), problems


def test_catalogue_entry_verifies():
    (e,), problems = load_catalogue(["identities/spectral-differentials.yaml"])
    assert problems == []
    r = verify_entry(e)
    assert r.passed and r.general.status == "passed" and r.numeric.passed


def test_matrix_notation_keeps_the_function_name():
    m = parse_matrix("fm(f, X)", F)
    assert m == MCall("fm", (MSym("f"), MSym("X")))
