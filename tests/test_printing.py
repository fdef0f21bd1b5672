"""The printers: readable text, and parse(print(tree)) == tree for every parsed tree."""
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.expr import (Add, Call, Comp, Deriv, MatEntry, MBin, MCall, MNeg, MNum, MSym, MT,
                            Mul, Num, Pow, Sum)
from generator.parse_index import parse_index
from generator.parse_matrix import parse_matrix
from generator.printing import index_text, matrix_text

try:  # the parser tests' cases, whether or not tests/ is a package
    from tests import test_parse_index as pi, test_parse_matrix as pm
except ImportError:
    import test_parse_index as pi
    import test_parse_matrix as pm

INDEX_EXAMPLES, INDEX_VALID = pi.EXAMPLE_EXPRESSIONS, pi.VALID
MATRIX_EXAMPLES, MATRIX_VALID = pm.EXAMPLE_EXPRESSIONS, pm.VALID

F = frozenset({"f", "phi"})


def n(p, q=1):
    return Num(sympy.Rational(p, q))


x, y, a, b = Comp("x", ("i",)), Comp("y", ("k",)), Comp("a", ()), Comp("b", ())


@pytest.mark.parametrize("text, printed", [
    ("A[i,j]*x[j]", "A[i,j] * x[j]"),
    ("-A[i,j] * x[j]", "-A[i,j] * x[j]"),
    ("a*-b", "a * -b"),
    ("a/-b", "a / -b"),
    ("a-b", "a - b"),
    ("a-(b*c)", "a - (b * c)"),
    ("(a*b)*c", "(a * b) * c"),
    ("(a+b)+c", "(a + b) + c"),
    ("((x[j]))", "x[j]"),
    ("-x[i]^2", "-x[i]^2"),
    ("(-x[i])^2", "(-x[i])^2"),
    ("x^-1", "x^-1"),
    ("x^(1/2)", "x^(1/2)"),
    ("x^-0.5", "x^(-1/2)"),
    ("x^(-2)", "x^(-2)"),
    ("x^-a", "x^(-a)"),
    ("x^(a+b)", "x^(a + b)"),
    ("2^3^2", "2^3^2"),
    ("(x^2)^3", "(x^2)^3"),
    ("0.5 * x[i]", "(1/2) * x[i]"),
    ("-0.5", "-(1/2)"),
    ("(-0.5)", "(-1/2)"),
    ("a^-1 * b", "a^-1 * b"),
    ("1/b", "1 / b"),
    ("f'(u[i])*D(u)[i,k]", "f'(u[i]) * D(u)[i,k]"),
    ("sum(j,exp(z[j]))", "sum(j, exp(z[j]))"),
    ("delta[i,k]-s[k]", "delta[i,k] - s[k]"),
    ("inv(X)[i,j]", "inv(X)[i,j]"),
    ("(A@x)[i]", "(A @ x)[i]"),
    ("(A)[i,j]", "(A)[i,j]"),
    ("tr(X.T@A@X)", "tr(X.T @ A @ X)"),
    ("D(g,u)[i,j]", "D(g, u)[i,j]"),
    ("D(g,u,v)[i,j,k]", "D(g, u, v)[i,j,k]"),
    ("d(X)[k,l]", "d(X)[k,l]"),
    ("D(t)", "D(t)"),
    ("dim(n)", "dim(n)"),
])
def test_index_text(text, printed):
    assert index_text(parse_index(text, F)) == printed


@pytest.mark.parametrize("text, printed", [
    ("(A+A.T)@x", "(A + A.T) @ x"),
    ("inv(X).T", "inv(X).T"),
    ("kron(B.T,A)", "kron(B.T, A)"),
    ("-inv(U)@D(U)@inv(U)", "-inv(U) @ D(U) @ inv(U)"),
    ("A-(B-C)", "A - (B - C)"),
    ("(A-B)-C", "A - B - C"),
    ("A@(B@C)", "A @ (B @ C)"),
    ("(-A).T", "(-A).T"),
    ("-(A.T)", "-A.T"),
    ("-(A @ B)", "-(A @ B)"),
    ("0.5*A", "(1/2) * A"),
    ("-(1/2)*A", "-(1/2) * A"),
    ("D(g,u)", "D(g, u)"),
    ("unvec(v,p,q)", "unvec(v, p, q)"),
    ("f'(x)", "f'(x)"),
    ("eye(007)", "eye(7)"),
])
def test_matrix_text(text, printed):
    assert matrix_text(parse_matrix(text, F)) == printed


# Trees other stages build (not only the parser's): printed with the same meaning.
@pytest.mark.parametrize("tree, printed", [
    (Mul((n(1, 2), x)), "(1/2) * x[i]"),
    (Add((a, Mul((n(-3), b)))), "a - 3 * b"),
    (Add((a, n(-2))), "a - 2"),
    (Mul((a, n(-1))), "a * -1"),
    (Pow(n(-2), n(2)), "(-2)^2"),
    (Pow(b, M1 := n(-1)), "b^-1"),
    (Mul((M1, Pow(b, M1))), "-b^-1"),
    (Mul((a, Pow(Mul((a, b)), M1))), "a / (a * b)"),
    (Num(sympy.sqrt(2)), "sqrt(2)"),
    (Mul((Num(sympy.sqrt(2) / 2), a)), "((1/2) * sqrt(2)) * a"),
    (Num(sympy.E), "exp(1)"),
    (Sum("j", Comp("x", ("j",)), dim="n"), "sum(j, x[j])"),
    (Add(()), "0"),
    (Mul(()), "1"),
    (Call("f", Add((a, b)), 1), "f'(a + b)"),
    (Deriv("g", ("i", "j"), by="u"), "D(g, u)[i,j]"),
    (MatEntry("", MBin("@", MSym("A"), MSym("x")), ("i",)), "(A @ x)[i]"),
])
def test_index_text_of_built_trees(tree, printed):
    assert index_text(tree) == printed
    parse_index(printed, F)  # always readable back


@pytest.mark.parametrize("tree, printed", [
    (MBin("*", MNum(sympy.Rational(1, 2)), MSym("A")), "(1/2) * A"),
    (MBin("*", MNum(-3), MSym("A")), "-3 * A"),
    (MT(MNum(-3)), "(-3).T"),
    (MNeg(MNeg(MSym("A"))), "--A"),
    (MCall("kron", (MBin("+", MSym("A"), MSym("B")), MT(MSym("C")))), "kron(A + B, C.T)"),
])
def test_matrix_text_of_built_trees(tree, printed):
    assert matrix_text(tree) == printed
    parse_matrix(printed, F)


INDEX_TEXTS = INDEX_EXAMPLES + [t for t, _ in INDEX_VALID]
MATRIX_TEXTS = MATRIX_EXAMPLES + [t for t, _ in MATRIX_VALID]


@pytest.mark.parametrize("text", INDEX_TEXTS)
def test_index_round_trip(text):
    tree = parse_index(text, F)
    printed = index_text(tree)
    assert parse_index(printed, F) == tree
    assert index_text(parse_index(printed, F)) == printed


@pytest.mark.parametrize("text", INDEX_EXAMPLES)
def test_examples_print_as_written(text):
    assert index_text(parse_index(text, F)) == text


@pytest.mark.parametrize("text", MATRIX_TEXTS)
def test_matrix_round_trip(text):
    tree = parse_matrix(text, F)
    printed = matrix_text(tree)
    assert parse_matrix(printed, F) == tree


@pytest.mark.parametrize("text", MATRIX_EXAMPLES)
def test_matrix_examples_print_as_written(text):
    assert matrix_text(parse_matrix(text, F)) == text


# Random well-formed texts from a small grammar: every one must round-trip exactly.
INDEX_ATOMS = ["x[i]", "A[i,j]", "a", "2", "0.5", "(1/3)", "(-2/5)", "delta[i,k]", "dim(n)",
               "D(u)[j,k]", "D(g, u)[i]", "d(X)[k,l]", "det(X)", "tr(A @ X)", "inv(X)[i,j]",
               "(A @ x)[i]", "(x.T @ A)[i]", "f'(z[i])", "(-3)"]
MATRIX_ATOMS = ["A", "x", "2", "0.5", "(1/2)", "(-1/4)", "D(u)", "D(g, u)", "eye(n)",
                "ones(3)", "commutation(m, n)", "f'(x)"]


def _grammar(atoms, binary, unary, wraps):
    def extend(kids):
        return st.one_of(
            st.tuples(kids, st.sampled_from(binary), kids).map("".join),
            st.tuples(st.sampled_from(unary), kids).map("".join),
            st.tuples(st.sampled_from(wraps), kids).map(lambda t: t[0].replace("#", t[1])),
        )
    return st.recursive(st.sampled_from(atoms), extend, max_leaves=10)


INDEX_GRAMMAR = _grammar(INDEX_ATOMS, [" + ", " - ", " * ", " / ", "^", "^-", " * -", " / -"],
                         ["-", "--"], ["(#)", "exp(#)", "f(#)", "phi''(#)", "sum(j, #)",
                                       "sqrt(#)", "(#) * (#)"])
MATRIX_GRAMMAR = _grammar(MATRIX_ATOMS, [" + ", " - ", " @ ", " * ", " / ", " @ -"],
                          ["-"], ["(#)", "(#).T", "inv(#)", "kron(#, #)", "tanh(#)",
                                  "unvec(#, p, q)", "f''(#)"])


@settings(max_examples=600, deadline=None)
@given(INDEX_GRAMMAR)
def test_index_round_trip_property(text):
    tree = parse_index(text, F)
    printed = index_text(tree)
    assert parse_index(printed, F) == tree, printed


@settings(max_examples=600, deadline=None)
@given(MATRIX_GRAMMAR)
def test_matrix_round_trip_property(text):
    tree = parse_matrix(text, F)
    printed = matrix_text(tree)
    assert parse_matrix(printed, F) == tree, printed
