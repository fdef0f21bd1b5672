"""Complex symbols (project extension, README.md "Notation"): the assumption `complex`,
`conj(...)`, and differentials of functions of complex matrices, checked along E_K and i E_K.

Valid and invalid statements side by side; identity tests name their source.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy

from generator.canonical import normal_form
from generator.catalogue import load_catalogue
from generator.derive import differential
from generator.exact import exact_check_complex
from generator.evaluate import Env, evaluate_index
from generator.expr import Add, Call, Comp, Delta, Differential, Mul, Num
from generator.latex_matrix import apply_tex
from generator.model import Symbol, Variable
from generator.numeric import numeric_check
from generator.printing import index_text
from generator.verify import verify_entry


def _entries(tmp_path, body: str):
    path = tmp_path / "t.yaml"
    path.write_text("table: differentials\nentries:\n" + body)
    return load_catalogue([str(path)])


def _one(tmp_path, symbols: str, of: str, differential_text: str, wrt: str = "X[k,l]"):
    entries, problems = _entries(tmp_path, f"""- id: t-entry
  name: test
  symbols: {symbols}
  of: {of}
  wrt: {wrt}
  differential: {differential_text}
""")
    assert problems == [], problems
    return entries[0]


# Wikipedia "Matrix calculus", differential-matrix row 9, and the Matrix Cookbook (2012) eq. 45:
# d(X^H) = (dX)^H. The false variants: no conjugate ((dX)^T), no transpose (conj(dX)), a sign.
@pytest.mark.parametrize("shape, claim, valid", [
    ("[p, q]", "conj(d(X)[j,i])", True),
    ("[p, q]", "d(X)[j,i]", False),              # (dX)^T: the conjugate is missing
    ("[n, n]", "conj(d(X)[i,j])", False),        # conj(dX): the transpose is missing
    ("[p, q]", "-conj(d(X)[j,i])", False),
])
def test_differential_of_conjugate_transpose(tmp_path, shape, claim, valid):
    """Source: wikipedia-matrix-calculus differential-matrix row 9; matrix-cookbook-2012 eq. 45."""
    entry = _one(tmp_path, f"{{X: {{shape: {shape}, assume: [complex]}}}}",
                 "Y[i,j] = conj(X[j,i])", claim)
    res = verify_entry(entry)
    assert res.passed is valid, res.failures
    assert (res.general.status == "passed") is valid
    assert res.numeric.passed is valid
    assert res.exact.status == ("not run" if valid else "failed")
    ok, why, _ = exact_check_complex(entry)     # real and imaginary parts as real symbols
    assert ok is valid, why


# A product with a conjugate-linear and a linear part: d(X^H A X) = (dX)^H A X + X^H A dX.
@pytest.mark.parametrize("claim, valid", [
    ("conj(d(X)[k,i]) * A[k,m] * X[m,j] + conj(X[k,i]) * A[k,m] * d(X)[m,j]", True),
    ("d(X)[k,i] * A[k,m] * X[m,j] + conj(X[k,i]) * A[k,m] * d(X)[m,j]", False),
    ("conj(d(X)[k,i] * A[k,m]) * X[m,j] + conj(X[k,i]) * A[k,m] * d(X)[m,j]", False),
    ("conj(d(X)[k,i]) * A[k,m] * X[m,j]", False),
])
def test_differential_of_hermitian_form(tmp_path, claim, valid):
    entry = _one(tmp_path, "{X: {shape: [p, q], assume: [complex]}, "
                           "A: {shape: [p, p], assume: [complex]}}",
                 "Y[i,j] = conj(X[k,i]) * A[k,m] * X[m,j]", claim, wrt="X[a,b]")
    res = verify_entry(entry)
    assert res.passed is valid, res.failures
    assert res.numeric.passed is valid


# conj on a real symbol is the identity: harmless, and proven by the general level.
@pytest.mark.parametrize("of, claim, valid", [
    ("Y[i,j] = conj(X[j,i])", "d(X)[j,i]", True),
    ("Y[i,j] = X[j,i]", "conj(d(X)[j,i])", True),
    ("Y[i,j] = conj(X[j,i])", "d(X)[i,j]", False),
    ("Y[i,j] = conj(X[j,i])", "-conj(d(X)[j,i])", False),
])
def test_conj_of_a_real_symbol_is_harmless(tmp_path, of, claim, valid):
    shape = "[n, n]" if claim.endswith("[i,j]") else "[p, q]"
    entry = _one(tmp_path, f"{{X: {{shape: {shape}}}}}", of, claim)
    res = verify_entry(entry)
    assert res.passed is valid, res.failures
    if valid:
        assert res.general.status == "passed"


@pytest.mark.parametrize("symbols, field, message", [
    ("{x: {assume: [complex]}}", "derivative: \"1\"", "state a 'differential'"),
    ("{x: {assume: [complex]}}", "differential: d(x)", None),
    ("{x: {assume: [complex, positive]}}", "differential: d(x)", "'complex' takes no other"),
    ("{X: {shape: [n, n], assume: [complex, invertible]}}", "differential: d(x)",
     "'complex' takes no other"),
])
def test_complex_symbol_declarations(tmp_path, symbols, field, message):
    entries, problems = _entries(tmp_path, f"""- id: t-entry
  name: test
  symbols: {symbols}
  of: y = x
  wrt: x
  {field}
""")
    if message is None:
        assert problems == [] and verify_entry(entries[0]).passed
    else:
        assert any(message in p.message for p in problems), problems


@pytest.mark.parametrize("of, claim, valid", [
    ("y = abs(x)", "abs(x) / x * d(x)", False),   # abs is not holomorphic: refused
    ("y = exp(conj(x)) * x", "exp(conj(x)) * conj(d(x)) * x + exp(conj(x)) * d(x)", True),
    ("y = exp(conj(x)) * x", "exp(conj(x)) * d(x) * x + exp(conj(x)) * d(x)", False),
])
def test_scalar_complex_differentials(tmp_path, of, claim, valid):
    entry = _one(tmp_path, "{x: {assume: [complex]}}", of, claim, wrt="x")
    assert verify_entry(entry).passed is valid


def test_inverse_rule_holds_over_the_complex_numbers(tmp_path):
    entry = _one(tmp_path, "{X: {shape: [n, n], assume: [complex]}}",
                 "Y[i,j] = conj(inv(X)[i,j])",
                 "-conj(inv(X)[i,a] * d(X)[a,b] * inv(X)[b,j])")
    res = verify_entry(entry, exact_always=True)
    assert res.passed, res.failures
    assert res.general.status == "passed" and res.exact.status == "passed"


@pytest.mark.parametrize("of, claim, status", [
    ("y = abs(x)", "abs(x) / x * d(x)", "not proven"),   # a real-argument rule: out of reach
    ("y = x * conj(x)", "conj(d(x)) * x + conj(x) * d(x)", "passed"),
    ("y = x * conj(x)", "2 * conj(x) * d(x)", "failed"),   # |x|^2 is not holomorphic
])
def test_exact_level_with_complex_symbols(tmp_path, of, claim, status):
    entry = _one(tmp_path, "{x: {assume: [complex]}}", of, claim, wrt="x")
    assert verify_entry(entry, exact_always=True).exact.status == status


SYMS = {"X": Symbol("X", ("n", "n"), frozenset({"complex"})), "R": Symbol("R", ("n", "n"))}


@pytest.mark.parametrize("left, right, same", [
    (Call("conj", Add((Comp("X", ("i", "j")), Comp("R", ("i", "j"))))),
     Add((Call("conj", Comp("X", ("i", "j"))), Comp("R", ("i", "j")))), True),
    (Call("conj", Call("conj", Comp("X", ("i", "j")))), Comp("X", ("i", "j")), True),
    (Call("conj", Mul((Num(sympy.I), Delta("i", "j")))), Mul((Num(-sympy.I), Delta("i", "j"))),
     True),
    (Call("conj", Comp("X", ("i", "j"))), Comp("X", ("i", "j")), False),
    (Call("conj", Differential("X", ("i", "j"))), Differential("X", ("i", "j")), False),
])
def test_canonical_form_takes_conj_to_atoms(left, right, same):
    free = ("i", "j")
    assert (normal_form(left, free, SYMS) == normal_form(right, free, SYMS)) is same


def test_derived_differential_keeps_conj_on_the_differential():
    d = differential(Call("conj", Comp("X", ("j", "i"))), Variable("X", ("k", "l")), SYMS)
    assert d == Call("conj", Differential("X", ("j", "i")))
    assert index_text(d) == "conj(d(X)[j,i])"


def test_conj_evaluates_and_prints():
    x = np.array([[1 + 2j, 3 - 1j], [0.5j, 2.0]])
    env = Env(values={"X": x, "d(X)": np.ones((2, 2))})
    out = evaluate_index(Call("conj", Comp("X", ("j", "i"))), env, ("i", "j"))
    assert np.allclose(out, x.conj().T)
    real = evaluate_index(Call("conj", Comp("X", ("i", "j"))), Env(values={"X": x.real}),
                          ("i", "j"))
    assert real.dtype == float and np.allclose(real, x.real)
    assert apply_tex("conj", r"\mathbf{X}") == r"\overline{\mathbf{X}}"


def test_catalogue_entry_numeric_record(tmp_path):
    """Source: wikipedia-matrix-calculus differential-matrix row 9 (entry dfc-conjugate-transpose)."""
    entry = _one(tmp_path, "{X: {shape: [p, q], assume: [complex]}}",
                 "Y[i,j] = conj(X[j,i])", "conj(d(X)[j,i])")
    run, cases = numeric_check(entry)
    assert run.passed and cases == [] and len(run.samples) == 3
    assert "i E_K" in run.note
