"""The pseudo-inverse as the variable (README.md, "Notation"): the assumption `full-row-rank`,
sampled and checked, and pinv of a full-row-rank or full-column-rank symbol differentiated
through its closed form; a pinv without such an assumption stays out of reach.

Sources: "Wikipedia scalar-by-matrix row 32" is row 32 of the table "Identities:
scalar-by-matrix" of the English Wikipedia article "Matrix calculus" (shared/reference/
wikipedia-matrix-calculus.yaml, sm-32): d ln|X^T X| / d X^+ = -2X (numerator layout), -2X^T
(denominator layout), X of full column rank. "Golub-Pereyra" is Theorem 4.3 of G. H. Golub
and V. Pereyra, "The differentiation of pseudo-inverses and nonlinear least squares problems
whose variables separate", SIAM J. Numer. Anal. 10 (1973): for A(x) of constant rank,
dA^+ = -A^+ dA A^+ + A^+ A^+T dA^T (I - A A^+) + (I - A^+ A) dA^T A^+T A^+; for full row rank
the middle term vanishes and A^+T A^+ = (A A^T)^-1, for full column rank the last one does and
A^+ A^+T = (A^T A)^-1.
"""
from __future__ import annotations

import numpy as np
import pytest
import yaml

from generator.catalogue import load_catalogue
from generator.derive import DeriveError, pinv_closed_form
from generator.exact import exact_check, exact_sizes
from generator.expr import MCall, MSym, MT
from generator.model import Symbol
from generator.numeric import size_assignments
from generator.sample import assumption_violations, draw_symbol
from generator.verify import derive_entry, verify_entry

ROW_32_OF = "y = log(det(pinv(Z).T @ pinv(Z)))"


def entry(tmp_path, derivative="-2 * pinv(Z)[l,k]", assume=("full-row-rank",), shape=("2", "p"),
          of=ROW_32_OF, claims=()):
    doc = {"table": "scalar-by-matrix", "entries": [{
        "id": "t-pinv", "name": "pinv test",
        "symbols": {"Z": {"shape": list(shape), "assume": list(assume)}},
        "of": of, "wrt": "Z[k,l]", "derivative": derivative,
        **({"claims": [{"source": "wikipedia-matrix-calculus", "layout": lay, "matrix": m}
                       for lay, m in claims]} if claims else {}),
        **({"sources": [{"ref": "wikipedia-matrix-calculus", "table": "scalar-by-matrix",
                         "row": 32}]} if claims else {})}]}
    path = tmp_path / "e.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    entries, problems = load_catalogue([str(path)])
    assert problems == [], problems
    return entries[0]


@pytest.mark.parametrize("shape, assume, ok", [
    ((2, 4), ("full-row-rank",), True),
    ((3, 3), ("full-row-rank",), True),
    ((2, 4), ("full-row-rank", "positive"), True),
    ((4, 2), ("full-row-rank",), False),            # more rows than columns
    ((3,), ("full-row-rank",), False),              # not a matrix
])
def test_full_row_rank_samples(shape, assume, ok):
    rng = np.random.default_rng(7)
    if not ok:
        with pytest.raises(ValueError):
            draw_symbol(rng, shape, frozenset(assume))
        return
    for _ in range(20):
        a = draw_symbol(rng, shape, frozenset(assume))
        assert a.shape == shape and assumption_violations(a, frozenset(assume)) == []
        assert np.linalg.matrix_rank(a) == shape[0]


@pytest.mark.parametrize("a, violated", [
    (np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), []),
    (np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]]), ["full-row-rank"]),    # rank 1
    (np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]), ["full-row-rank"]),  # tall
])
def test_full_row_rank_violations(a, violated):
    assert assumption_violations(a, frozenset({"full-row-rank"})) == violated


@pytest.mark.parametrize("m, assume, closed", [
    (MSym("Z"), "full-row-rank", "Z.T @ inv(Z @ Z.T)"),
    (MSym("Z"), "full-column-rank", "inv(Z.T @ Z) @ Z.T"),
    (MT(MSym("Z")), "full-row-rank", "inv(Z @ Z.T) @ Z"),        # Z.T has full column rank
    (MSym("Z"), None, None),                                     # no rank: no closed form
    (MCall("inv", (MSym("Z"),)), "full-row-rank", None),         # not a symbol
])
def test_pinv_closed_form(m, assume, closed):
    from generator.parse_matrix import parse_matrix
    sym = {"Z": Symbol("Z", ("q", "p"), frozenset({assume} if assume else ()))}
    got = pinv_closed_form(m, sym)
    if closed is None:
        assert got is None
        return
    want = parse_matrix(closed)
    rng = np.random.default_rng(3)
    from generator.evaluate import Env, evaluate_matrix   # the closed form is numpy's pinv
    z = draw_symbol(rng, (2, 4) if assume == "full-row-rank" else (4, 2), frozenset({assume}))
    env = Env({"Z": z})
    ref = np.linalg.pinv(z.T if isinstance(m, MT) else z)
    assert np.allclose(evaluate_matrix(got, env), ref)
    assert np.allclose(evaluate_matrix(want, env), ref)


def test_sizes_put_full_row_rank_wide(tmp_path):
    e = entry(tmp_path, shape=("q", "p"))
    for sizes in size_assignments(e):
        assert sizes["q"] < sizes["p"]
    s = exact_sizes(e)
    assert s["q"] < s["p"]


# Wikipedia scalar-by-matrix row 32, in index form: true and false variants side by side
@pytest.mark.parametrize("derivative, holds", [
    ("-2 * pinv(Z)[l,k]", True),
    ("-2 * (Z.T @ inv(Z @ Z.T))[l,k]", True),
    ("-2 * pinv(Z)[k,l]", False),          # transposed (shapes differ: refused or failed)
    ("2 * pinv(Z)[l,k]", False),           # sign
    ("-1 * pinv(Z)[l,k]", False),          # factor
])
def test_row_32_by_the_pseudo_inverse(tmp_path, derivative, holds):
    try:
        e = entry(tmp_path, derivative)
    except AssertionError:
        assert not holds       # refused as input (an index running over two dimensions)
        return
    r = verify_entry(e)
    assert r.passed == holds, r.failures
    if holds:
        assert r.numeric.passed and r.exact.status == "passed"


# Wikipedia scalar-by-matrix row 32: the article's cells and false variants of them
@pytest.mark.parametrize("layout, matrix, holds", [
    ("numerator", "-2 * pinv(Z)", True),
    ("denominator", "-2 * pinv(Z).T", True),
    ("mixed", "-2 * pinv(Z).T", True),
    ("numerator", "-2 * pinv(Z).T", False),      # the denominator cell in numerator layout
    ("numerator", "2 * pinv(Z)", False),         # +2
    ("denominator", "2 * pinv(Z).T", False),
])
def test_row_32_claims(tmp_path, layout, matrix, holds):
    r = verify_entry(entry(tmp_path, claims=[(layout, matrix)]))
    (claim, chk), = r.claims
    assert chk.holds == holds
    assert r.passed == holds, r.failures


@pytest.mark.parametrize("assume", [(), ("nonzero",)])
def test_pinv_without_a_rank_assumption_is_out_of_reach(tmp_path, assume):
    """Without full-row-rank the engine does not differentiate pinv (not silently), and the
    exact level does not expand it: the entry is not verified."""
    e = entry(tmp_path, assume=assume)
    with pytest.raises(DeriveError, match="pinv"):
        derive_entry(e)
    ok, why, _ = exact_check(e)
    assert ok is None and "pinv" in why
    r = verify_entry(e)
    assert not r.passed
    assert any("out of reach" in f for f in r.failures)


def test_full_row_rank_needs_a_matrix(tmp_path):
    doc = {"table": "t", "entries": [{
        "id": "t-bad", "name": "bad", "symbols": {"z": {"shape": ["n"], "assume": ["full-row-rank"]}},
        "of": "y = z[i] * z[i]", "wrt": "z[k]", "derivative": "2 * z[k]"}]}
    path = tmp_path / "e.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    _, problems = load_catalogue([str(path)])
    assert any("full-row-rank" in str(p) and "needs a matrix" in str(p) for p in problems)


def test_catalogue_states_row_32_directly():
    from pathlib import Path
    path = Path(__file__).resolve().parent.parent / "identities" / "pseudo-inverse.yaml"
    (e,), problems = load_catalogue([str(path)])
    assert problems == []
    assert "full-row-rank" in e.symbols["Z"].assume
    assert any(s.get("row") == 32 if isinstance(s, dict) else getattr(s, "row", None) == 32
               for s in e.sources)


GP_WIDE = ("-(pinv(U) @ D(U) @ pinv(U))[i,j] + ((eye(n) - pinv(U) @ U) @ D(U).T @ "
           "inv(U @ U.T))[i,j]")
GP_TALL = ("-(pinv(U) @ D(U) @ pinv(U))[i,j] + (inv(U.T @ U) @ D(U).T @ "
           "(eye(n) - U @ pinv(U)))[i,j]")


# Golub-Pereyra, for a dependent U(x) of full row rank (2 x n) or full column rank (n x 2)
@pytest.mark.parametrize("shape, assume, derivative, holds", [
    (["2", "n"], "full-row-rank", GP_WIDE, True),
    (["n", "2"], "full-column-rank", GP_TALL, True),
    (["2", "n"], "full-row-rank", "-(pinv(U) @ D(U) @ pinv(U))[i,j]", False),  # the square case
    (["n", "2"], "full-column-rank", "-(pinv(U) @ D(U) @ pinv(U))[i,j]", False),
    (["2", "n"], "full-row-rank", GP_WIDE.replace("+ ((eye", "- ((eye"), False),
])
def test_derivative_of_pinv_golub_pereyra(tmp_path, shape, assume, derivative, holds):
    doc = {"table": "matrix-by-scalar", "entries": [{
        "id": "t-gp", "name": "t", "symbols": {
            "x": {}, "U": {"shape": shape, "depends_on": "x", "assume": [assume]}},
        "of": "Y[i,j] = pinv(U)[i,j]", "wrt": "x", "derivative": derivative}]}
    path = tmp_path / "e.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    (e,), problems = load_catalogue([str(path)])
    assert problems == []
    r = verify_entry(e)
    assert r.passed == holds, r.failures
    if holds:      # the closed form makes it a general proof, for every size
        assert r.general.status == "passed"
