"""Matrix powers with a symbolic exponent (`powers`, README.md "Notation"): the symbol option
`integer: positive`, mpow(M, e) and sum(r, lo, hi, body). Each identity is checked at the
exponents n = 1, 2, 3, 4 only; a false variant is refused."""
from __future__ import annotations

from pathlib import Path

import pytest
import sympy
import yaml

from generator.catalogue import load_catalogue
from generator.expr import MCall, MDim, MNum, MSym
from generator.latex_matrix import SymbolInfo, matrix_latex
from generator.model import Symbol
from generator.parse_matrix import parse_matrix
from generator.powers import EXPONENTS, expand, integer_problems
from generator.verify import verify_entry

SQ = {"shape": ["m", "m"]}
INV = {"shape": ["m", "m"], "assume": ["invertible"]}
N = {"integer": "positive"}
COEF = {"function": "scalar"}       # c(r): the r-th coefficient of a polynomial, any sequence
G_X = "y = tr(sum(r, 0, n, c(r) * mpow(X, r)))"

# (source, id, symbols, of, wrt, field, a true statement, a false one)
CASES = [
    ("Wikipedia scalar-by-matrix row 23", "trace-of-power", {"X": SQ, "n": N},
     "y = tr(mpow(X, n))", "X[k,l]", "derivative",
     "n * mpow(X, n-1)[l,k]", "(n-1) * mpow(X, n-1)[l,k]"),
    ("Wikipedia scalar-by-matrix row 23 (transpose)", "trace-of-power-transpose",
     {"X": SQ, "n": N}, "y = tr(mpow(X, n))", "X[k,l]", "derivative",
     "n * mpow(X.T, n-1)[k,l]", "n * mpow(X, n-1)[k,l]"),
    ("Wikipedia scalar-by-matrix row 24", "trace-constant-times-power",
     {"A": SQ, "X": SQ, "n": N}, "y = tr(A @ mpow(X, n))", "X[k,l]", "derivative",
     "sum(i, 0, n-1, (mpow(X, i) @ A @ mpow(X, n-i-1))[l,k])",
     "sum(i, 0, n-1, (mpow(X, i) @ A @ mpow(X, n-i-1))[k,l])"),
    ("Wikipedia scalar-by-matrix row 30", "determinant-of-power",
     {"X": INV, "n": N}, "y = det(mpow(X, n))", "X[k,l]", "derivative",
     "n * det(mpow(X, n)) * inv(X)[l,k]", "n * det(mpow(X, n)) * inv(X)[k,l]"),
    ("Wikipedia scalar-by-matrix row 30 (n - 1)", "determinant-of-power-count",
     {"X": INV, "n": N}, "y = det(mpow(X, n))", "X[k,l]", "derivative",
     "n * det(mpow(X, n)) * inv(X)[l,k]", "(n-1) * det(mpow(X, n)) * inv(X)[l,k]"),
    ("Wikipedia differential-matrix row 10", "differential-of-power", {"X": SQ, "n": N},
     "Y[p,q] = mpow(X, n)[p,q]", "X[k,l]", "differential",
     "sum(i, 0, n-1, mpow(X, i)[p,a] * d(X)[a,b] * mpow(X, n-i-1)[b,q])",
     "sum(i, 0, n-1, mpow(X, i)[p,a] * d(X)[a,b] * mpow(X, n-i)[b,q])"),
    # a polynomial g(z) = sum_{r=0}^{n} c(r) z^r of any degree n, coefficients c(r) arbitrary
    ("Wikipedia scalar-by-matrix row 16", "trace-of-polynomial", {"X": SQ, "n": N, "c": COEF},
     G_X, "X[k,l]", "derivative", "sum(r, 1, n, r * c(r) * mpow(X, r-1)[l,k])",
     "sum(r, 1, n, r * c(r) * mpow(X, r-1)[k,l])"),          # g'(X) without the transpose
    ("Wikipedia scalar-by-matrix row 16 (exponent)", "trace-of-polynomial-exponent",
     {"X": SQ, "n": N, "c": COEF}, G_X, "X[k,l]", "derivative",
     "sum(r, 0, n-1, (r+1) * c(r+1) * mpow(X, r)[l,k])",      # the same sum, shifted
     "sum(r, 1, n, r * c(r) * mpow(X, r)[l,k])"),             # r instead of r - 1
    ("Wikipedia scalar-by-matrix row 16 (factor)", "trace-of-polynomial-factor",
     {"X": SQ, "n": N, "c": COEF}, G_X, "X[k,l]", "derivative",
     "sum(r, 1, n, r * c(r) * mpow(X.T, r-1)[k,l])",
     "sum(r, 1, n, c(r) * mpow(X, r-1)[l,k])"),               # the factor r dropped
    ("Wikipedia scalar-by-matrix row 16 (coefficient)", "trace-of-polynomial-coefficient",
     {"X": SQ, "n": N, "c": COEF}, G_X, "X[k,l]", "derivative",
     "sum(r, 1, n, r * c(r) * mpow(X, r-1)[l,k])",
     "sum(r, 1, n, r * c(r-1) * mpow(X, r-1)[l,k])"),         # the coefficient shifted
    ("Wikipedia matrix-by-scalar row 9", "polynomial-of-scaled-matrix",
     {"A": SQ, "x": {}, "n": N, "c": COEF}, "Y[i,j] = sum(r, 0, n, c(r) * mpow(x * A, r)[i,j])",
     "x", "derivative", "sum(r, 1, n, r * c(r) * (A @ mpow(x * A, r-1))[i,j])",
     "sum(r, 1, n, r * c(r) * mpow(x * A, r-1)[i,j])"),       # the factor A dropped
    ("Wikipedia matrix-by-scalar row 9 (g'(xA) A)", "polynomial-of-scaled-matrix-right",
     {"A": SQ, "x": {}, "n": N, "c": COEF}, "Y[i,j] = sum(r, 0, n, c(r) * mpow(x * A, r)[i,j])",
     "x", "derivative", "sum(r, 1, n, r * c(r) * (mpow(x * A, r-1) @ A)[i,j])",
     "sum(r, 1, n, r * c(r) * (mpow(x * A, r) @ A)[i,j])"),   # r instead of r - 1
    ("Wikipedia scalar-by-scalar-with-matrices row 5", "trace-of-polynomial-of-scaled-matrix",
     {"A": SQ, "x": {}, "n": N, "c": COEF}, "y = tr(sum(r, 0, n, c(r) * mpow(x * A, r)))", "x",
     "derivative", "tr(A @ sum(r, 1, n, r * c(r) * mpow(x * A, r-1)))",
     "tr(sum(r, 1, n, r * c(r) * mpow(x * A, r-1)))"),        # the factor A dropped
]


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def _load(tmp_path: Path, entries: list[dict]):
    path = tmp_path / "powers.yaml"
    path.write_text(yaml.dump({"table": "power-tests", "title": "Power tests",
                               "entries": entries}, Dumper=_NoAliases, sort_keys=False))
    return load_catalogue([str(path)])


def _entry(row, statement: str) -> dict:
    return {"id": row[1], "name": row[0], "symbols": row[2], "of": row[3], "wrt": row[4],
            row[5]: statement}


@pytest.mark.parametrize("row", CASES, ids=[c[1] for c in CASES])
@pytest.mark.parametrize("true", [True, False], ids=["true", "false"])
def test_identity_checked_at_each_exponent(tmp_path, row, true):
    entries, problems = _load(tmp_path, [_entry(row, row[6] if true else row[7])])
    assert problems == []
    res = verify_entry(entries[0])
    assert res.general.status == "out of reach"
    if true:
        assert res.passed, (row[0], res.failures)
        assert res.exact.status == "passed"
        assert res.exact.sizes["n"] == list(EXPONENTS)
        assert "not a proof for every n" in res.exact.detail
        assert sorted({s["sizes"]["n"] for s in res.numeric.samples}) == list(EXPONENTS)
    else:
        assert not res.passed, row[0]
        assert res.exact.status != "passed" or not res.numeric.passed


def test_claims_are_checked_at_each_exponent(tmp_path):
    """Wikipedia scalar-by-matrix row 23: the article's cells hold; a missing transpose and
    n - 1 for n are refused."""
    row = CASES[0]
    entry = _entry(row, row[6])
    entry["claims"] = [
        {"source": "wikipedia-matrix-calculus", "layout": "numerator",
         "matrix": "n * mpow(X, n-1)"},
        {"source": "wikipedia-matrix-calculus", "layout": "denominator",
         "matrix": "n * mpow(X, n-1).T"},
        {"source": "wrong", "layout": "denominator", "matrix": "n * mpow(X, n-1)",
         "erratum": True},
        {"source": "wrong", "layout": "numerator", "matrix": "(n-1) * mpow(X, n-1)",
         "erratum": True},
    ]
    entries, problems = _load(tmp_path, [entry])
    assert problems == []
    res = verify_entry(entries[0])
    assert res.passed, res.failures
    assert [chk.holds for _, chk in res.claims] == [True, True, False, False]


@pytest.mark.parametrize("symbols, of, derivative, message", [
    ({"X": SQ, "n": {"integer": "yes"}}, "y = tr(mpow(X, n))", "n * mpow(X, n-1)[l,k]",
     "integer must be 'positive'"),
    ({"X": SQ, "n": {"integer": "positive", "shape": ["m"]}}, "y = tr(mpow(X, n))",
     "n * mpow(X, n-1)[l,k]", "takes no 'shape'"),
    ({"X": {"shape": ["n", "n"]}, "n": N}, "y = tr(mpow(X, n))", "n * mpow(X, n-1)[l,k]",
     "cannot also be a dimension name"),
    ({"X": SQ, "n": N, "a": {}}, "y = tr(mpow(X, a))", "a * mpow(X, a-1)[l,k]",
     "'a' is not an integer symbol"),
    ({"X": SQ, "n": N}, "y = tr(mpow(X, n / 2))", "n * mpow(X, n-1)[l,k]",
     "must be an integer expression"),
    ({"X": {"shape": ["m", "p"]}, "n": N}, "y = tr(mpow(X, n))", "n * mpow(X, n-1)[l,k]",
     "mpow() of a non-square"),
    ({"X": SQ, "n": N}, "y = tr(mpow(X, n))", "sum(i, 0, n-1, X[i,k] * delta[i,l])",
     "'i' is a summation variable over a range"),
    ({"X": SQ, "n": N}, "y = tr(mpow(X, n))", "sum(i, 0, n-1, mpow(X, n-1)[l,i] * delta[i,k])",
     "not as an index"),
    ({"X": SQ, "n": N, "c": COEF}, G_X, "r * c(r) * mpow(X, n-1)[l,k]",
     "undeclared symbol 'r'"),
])
def test_invalid_declarations(tmp_path, symbols, of, derivative, message):
    entries, problems = _load(tmp_path, [{"id": "bad", "name": "bad", "symbols": symbols,
                                          "of": of, "wrt": "X[k,l]",
                                          "derivative": derivative}])
    assert entries == [] and any(message in p.message for p in problems), problems


def test_integer_symbol_is_not_a_variable(tmp_path):
    entries, problems = _load(tmp_path, [{"id": "bad", "name": "bad",
                                          "symbols": {"X": SQ, "n": N},
                                          "of": "y = tr(mpow(X, n))", "wrt": "n",
                                          "derivative": "0"}])
    assert any("must be a plain variable" in p.message for p in problems)


SYMBOLS = {"X": Symbol("X", ("m", "m")), "A": Symbol("A", ("m", "m")),
           "n": Symbol("n", integer=True)}


@pytest.mark.parametrize("text, n, want", [
    ("mpow(X, n)", 1, "X"),
    ("mpow(X, n)", 3, "X @ X @ X"),
    ("mpow(X, n-1)", 1, "eye(m)"),
    ("n * mpow(X, n-1).T", 2, "2 * X.T"),
    ("sum(i, 0, n-1, mpow(X, i) @ A @ mpow(X, n-i-1))", 2, "eye(m) @ A @ X + X @ A @ eye(m)"),
])
def test_expand(text, n, want):
    assert expand(parse_matrix(text), {"n": n}, SYMBOLS) == parse_matrix(want)


@pytest.mark.parametrize("text, problem", [
    ("mpow(X, n-i-1)", "'i' is not an integer symbol"),
    ("sum(i, 0, n-1, mpow(X, n-i-1))", ""),
    ("sum(i, 0, n-j, X)", "'j' is not an integer symbol"),
    ("sum(A, 0, n, X)", None),
])
def test_integer_problems(text, problem):
    if problem is None:
        with pytest.raises(Exception):
            parse_matrix(text)
        return
    found = integer_problems(parse_matrix(text), SYMBOLS)
    assert (problem in " ".join(found)) if problem else found == []


def test_latex():
    info = SymbolInfo(ranks={"X": 2, "A": 2, "n": 0})
    assert matrix_latex(parse_matrix("n * mpow(X, n-1).T"), info) == \
        r"n(\mathbf{X}^{n - 1})^\top"
    assert matrix_latex(parse_matrix("sum(i, 0, n-1, mpow(X, i) @ A)"), info) == \
        r"\sum_{i=0}^{n - 1} \mathbf{X}^{i}\mathbf{A}"
    assert expand(MCall("mpow", (MSym("X"), MNum(sympy.Integer(0)))), {}, SYMBOLS) == \
        MCall("eye", (MDim("m"),))


@pytest.mark.parametrize("layout, matrix, holds", [
    ("numerator", "sum(r, 1, n, r * c(r) * mpow(X, r-1))", True),
    ("denominator", "sum(r, 1, n, r * c(r) * mpow(X, r-1)).T", True),
    ("mixed", "sum(r, 1, n, r * c(r) * mpow(X, r-1).T)", True),
    ("denominator", "sum(r, 1, n, r * c(r) * mpow(X, r-1))", False),   # g'(X) untransposed
    ("numerator", "sum(r, 1, n, r * c(r) * mpow(X, r))", False),       # r for r - 1
    ("numerator", "sum(r, 1, n, c(r) * mpow(X, r-1))", False),         # the factor r dropped
])
def test_polynomial_claims(tmp_path, layout, matrix, holds):
    """Wikipedia scalar-by-matrix row 16 for a polynomial g of any degree n: g'(X) in the
    numerator layout, g'(X)^T in the denominator and mixed layouts; slips are refused."""
    row = next(c for c in CASES if c[1] == "trace-of-polynomial")
    entry = _entry(row, row[6])
    entry["claims"] = [{"source": "s", "layout": layout, "matrix": matrix,
                        **({} if holds else {"erratum": True})}]
    entries, problems = _load(tmp_path, [entry])
    assert problems == []
    res = verify_entry(entries[0])
    assert res.passed, res.failures
    assert [chk.holds for c, chk in res.claims if c.source == "s"] == [holds]


@pytest.mark.parametrize("text, problem", [
    ("sum(r, 0, n, c(r) * mpow(X, r))", ""),                 # r as an argument of c
    ("sum(r, 1, n, r * c(r-1) * mpow(X, r-1))", ""),         # r in a factor and an argument
])
def test_summation_variable_as_a_scalar(text, problem):
    symbols = {**SYMBOLS, "c": Symbol("c", function=True)}
    assert integer_problems(parse_matrix(text, frozenset({"c"})), symbols) == []


def test_expand_coefficients():
    """c(r) at r = 0..2 becomes c(0), c(1), c(2): independent coefficients."""
    symbols = {**SYMBOLS, "c": Symbol("c", function=True)}
    got = expand(parse_matrix("sum(r, 0, n, c(r) * mpow(X, r))", frozenset({"c"})),
                 {"n": 2}, symbols)
    assert got == parse_matrix("c(0) * eye(m) + c(1) * X + c(2) * (X @ X)", frozenset({"c"}))
