"""The matrix-notation parser: NumPy precedence, every example expression, clear errors."""
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.expr import MBin, MCall, MD, MDim, MNeg, MNum, MSym, MT, NotationError
from generator.parse_matrix import parse_matrix

F = frozenset({"f"})
A, B, C, U, X, x = (MSym(s) for s in ("A", "B", "C", "U", "X", "x"))


def inv(m):
    return MCall("inv", (m,))


VALID = [
    ("A", A),
    ("A.T", MT(A)),
    ("A.T.T", MT(MT(A))),
    ("A @ x", MBin("@", A, x)),
    ("A @ B @ C", MBin("@", MBin("@", A, B), C)),
    ("A - B - C", MBin("-", MBin("-", A, B), C)),
    ("A - (B - C)", MBin("-", A, MBin("-", B, C))),
    ("A + B @ C", MBin("+", A, MBin("@", B, C))),
    ("A * B @ C / 2", MBin("/", MBin("@", MBin("*", A, B), C), MNum(2))),
    ("(A + A.T) @ x", MBin("@", MBin("+", A, MT(A)), x)),
    ("x.T @ (A + A.T)", MBin("@", MT(x), MBin("+", A, MT(A)))),
    ("-inv(U) @ D(U) @ inv(U)", MBin("@", MBin("@", MNeg(inv(U)), MD("U")), inv(U))),
    ("-A.T", MNeg(MT(A))),
    ("(-A).T", MT(MNeg(A))),
    ("--A", MNeg(MNeg(A))),
    ("A @ -B", MBin("@", A, MNeg(B))),
    ("inv(X).T", MT(inv(X))),
    ("(A @ B).T", MT(MBin("@", A, B))),
    ("kron(B.T, A)", MCall("kron", (MT(B), A))),
    ("a @ b.T", MBin("@", MSym("a"), MT(MSym("b")))),
    ("ones(n) / tr(eye(n))",
     MBin("/", MCall("ones", (MDim("n"),)), MCall("tr", (MCall("eye", (MDim("n"),)),)))),
    ("0 * ones(m) @ ones(n).T",
     MBin("@", MBin("*", MNum(0), MCall("ones", (MDim("m"),))), MT(MCall("ones", (MDim("n"),))))),
    ("eye(3)", MCall("eye", (MDim("3"),))),
    ("unvec(v, p, q)", MCall("unvec", (MSym("v"), MDim("p"), MDim("q")))),
    ("commutation(m, n)", MCall("commutation", (MDim("m"), MDim("n")))),
    ("diag(vec(X))", MCall("diag", (MCall("vec", (X,)),))),
    ("det(X) * inv(X).T", MBin("*", MCall("det", (X,)), MT(inv(X)))),
    ("adj(X) + expm(X) + logm(X) + pinv(X)",
     MBin("+", MBin("+", MBin("+", MCall("adj", (X,)), MCall("expm", (X,))),
                    MCall("logm", (X,))), MCall("pinv", (X,)))),
    ("tanh(A @ x)", MCall("tanh", (MBin("@", A, x),))),
    ("sinm(X) @ cosm(X.T)", MBin("@", MCall("sinm", (X,)), MCall("cosm", (MT(X),)))),
    ("sin(X) + cos(2 * X)",             # elementwise sin and cos are other functions
     MBin("+", MCall("sin", (X,)), MCall("cos", (MBin("*", MNum(2), X),)))),
    ("f'(x) * D(u)", MBin("*", MCall("f", (x,), 1), MD("u"))),
    ("f''(x)", MCall("f", (x,), 2)),
    ("D(g, u)", MD("g", by="u")),
    ("0.5 * A", MBin("*", MNum(sympy.Rational(1, 2)), A)),
    ("(1/2) * A", MBin("*", MNum(sympy.Rational(1, 2)), A)),
    ("(-1/3) * A", MBin("*", MNum(sympy.Rational(-1, 3)), A)),
    ("1/2 * A", MBin("*", MBin("/", MNum(1), MNum(2)), A)),
    ("(A)", A),
    ("2.T", MT(MNum(2))),
]


@pytest.mark.parametrize("text, tree", VALID)
def test_valid(text, tree):
    assert parse_matrix(text, F) == tree


INVALID = [
    ("", "empty expression"),
    ("A B", "unexpected 'B'"),
    ("(A B)", "unexpected 'B'"),
    ("A +", "unexpected end of text"),
    ("+A", "unexpected '+'"),
    ("x^2", "matrix notation has no '^'"),
    ("x[i]", "matrix notation has no indices"),
    ("A.B", "only .T may follow '.'"),
    ("foo(A)", "unknown function 'foo'"),
    ("g(A)", "unknown function 'g'"),
    ("d(X)", "unknown function 'd'"),
    ("exp'(A)", "only a declared function takes primes"),
    ("A'", "only a declared function takes primes"),
    ("D'(u)", "only a declared function takes primes"),
    ("f", "function 'f' needs an argument"),
    ("inv", "'inv' is reserved"),
    ("T", "'T' is reserved"),
    ("inv()", "inv() takes 1 argument"),
    ("inv(A, B)", "inv() takes 1 argument"),
    ("kron(A)", "kron() takes 2 arguments"),
    ("sinm(A, B)", "sinm() takes 1 argument"),
    ("cosm()", "cosm() takes 1 argument"),
    ("sinm", "'sinm' is reserved"),
    ("cosm.T", "'cosm' is reserved"),
    ("kron(A, B, C)", "kron() takes 2 arguments"),
    ("unvec(v, p)", "unvec() takes 3 arguments"),
    ("commutation(m)", "commutation() takes 2 arguments"),
    ("eye(0)", "expected a dimension"),
    ("eye(2.5)", "expected a dimension"),
    ("eye(A @ B)", "unexpected '@' in the arguments of eye()"),
    ("ones(exp)", "expected a dimension"),
    ("D(2)", "expects a symbol name"),
    ("D(u, v, w, s)", "D() takes 1 to 3 arguments"),
    ("inv(A,)", "expected an argument after ','"),
    ("()", "empty parentheses"),
    ("(A", "unbalanced parentheses"),
    ("A)", "unbalanced parentheses"),
    ("A / 0", "division by zero"),
    ("A = B", "unexpected '='"),
    ("x.T @ \u0445", "non-ASCII character '\u0445' (U+0445) in a name"),
    ("__import__('os').system('echo pwned > pwned.txt')", "unexpected character '_'"),
    ("x.__class__.__mro__[1].__subclasses__()", "only .T may follow '.'"),
    ("lambda: A", "unexpected character ':'"),
    ("[a for a in A]", "unexpected '['"),
    ("A.T.__dict__", "only .T may follow '.'"),
    ("(" * 10000, "expression longer than 4000 characters"),
    ("(" * 100 + "A" + ")" * 100, "nesting deeper than 64 levels"),
    ("-" * 100 + "A", "nested deeper than 64 levels"),
    ("A" + ".T" * 100, "nested deeper than 64 levels"),
    ("A @ " * 100 + "A", "nested deeper than 64 levels"),
]


@pytest.mark.parametrize("text, message", INVALID)
def test_invalid(text, message):
    with pytest.raises(NotationError) as e:
        parse_matrix(text, F)
    assert message in e.value.message


# Every matrix-notation expression in shared/examples (hints and claims).
EXAMPLE_EXPRESSIONS = [
    "kron(B.T, A)", "-inv(U) @ D(U) @ inv(U)", "A.T", "A", "a @ b.T", "inv(X)", "(A + A.T) @ X",
    "x.T @ A @ x", "(A + A.T) @ x", "x.T @ (A + A.T)", "ones(n) / tr(eye(n))", "A @ x",
    "A @ D(u)", "D(u) @ A.T", "A @ X", "X.T @ A @ X",
]


@pytest.mark.parametrize("text", EXAMPLE_EXPRESSIONS)
def test_example_expressions(text):
    parse_matrix(text, F)


FRAGMENTS = ["A", "x", "2", "0.5", "(", ")", ",", " + ", " - ", " @ ", " * ", " / ", "-", ".T",
             "inv(", "kron(", "eye(", "n", "D(", "f'(", "^", "[", "]", "=", "_", "\u0445", ".",
             "'", ":", " "]


@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join),
                 st.text(max_size=40)))
def test_random_text_only_notation_errors(text):
    try:
        parse_matrix(text, F)
    except NotationError as e:
        assert isinstance(e.message, str) and e.message


# The matrix-power extension (README.md "Notation"): mpow(M, e) and sum(r, lo, hi, body).
N, I1 = MSym("n"), MNum(1)
POWER_VALID = [
    ("mpow(X, n)", MCall("mpow", (X, N))),
    ("mpow(X, n-1).T", MT(MCall("mpow", (X, MBin("-", N, I1))))),
    ("mpow(X.T, 2)", MCall("mpow", (MT(X), MNum(2)))),
    ("sum(i, 0, n-1, mpow(X, i) @ A)",
     MCall("sum", (MSym("i"), MNum(0), MBin("-", N, I1),
                   MBin("@", MCall("mpow", (X, MSym("i"))), A)))),
]
POWER_INVALID = [
    ("mpow(X)", "mpow() takes 2 arguments"),
    ("mpow(X, n, 2)", "mpow() takes 2 arguments"),
    ("X ^ n", "matrix notation has no '^'"),
    ("sum(i, 0, n-1)", "sum over a range needs a name, bounds and a body"),
    ("sum(I, 0, n, X)", "sum over a range needs a name, bounds and a body"),
    ("sum(i, 0, n, X, A)", "unexpected ',' in the arguments of sum()"),
    ("mpow", "'mpow' is reserved and cannot be a symbol"),
]


@pytest.mark.parametrize("text, tree", POWER_VALID)
def test_power_valid(text, tree):
    assert parse_matrix(text, F) == tree


@pytest.mark.parametrize("text, message", POWER_INVALID)
def test_power_invalid(text, message):
    with pytest.raises(NotationError) as e:
        parse_matrix(text, F)
    assert message in e.value.message
