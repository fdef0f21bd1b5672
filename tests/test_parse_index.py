"""The index-notation parser: exact tree shapes, every example expression, clear errors."""
from pathlib import Path

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.expr import (Add, Call, Comp, Delta, Deriv, Differential, Dim, MatEntry,
                            MatScalar, MBin, MCall, MD, MNeg, MNum, MSym, MT, Mul, NotationError,
                            Num, Pow, RangeSum, Sum)
from generator.parse_index import parse_equation, parse_index, parse_variable

EXAMPLES = Path("/work/shared/examples")
F = frozenset({"f", "phi"})


def n(p, q=1):
    return Num(sympy.Rational(p, q))


M1 = n(-1)
x_i, x_j, x_k = Comp("x", ("i",)), Comp("x", ("j",)), Comp("x", ("k",))
a, b, c = Comp("a", ()), Comp("b", ()), Comp("c", ())
A_ij = Comp("A", ("i", "j"))


def inv(e):
    return Pow(e, M1)


VALID = [
    # tree shapes later stages rely on
    ("A[i,j] * x[j]", Mul((A_ij, x_j))),
    ("-A[i,j] * x[j]", Mul((M1, A_ij, x_j))),
    ("a * -b", Mul((a, M1, b))),
    ("a / -b", Mul((a, M1, inv(b)))),
    ("--a", Mul((M1, M1, a))),
    ("a/b*c", Mul((a, inv(b), c))),
    ("a - b", Add((a, Mul((M1, b))))),
    ("a - b * c", Add((a, Mul((M1, b, c))))),
    ("a - (b * c)", Add((a, Mul((M1, Mul((b, c))))))),
    ("a - -b", Add((a, Mul((M1, M1, b))))),
    ("a + b - c + a", Add((a, b, Mul((M1, c)), a))),
    ("(a + b) + c", Add((Add((a, b)), c))),
    ("(a*b)*c", Mul((Mul((a, b)), c))),
    ("a*(b*c)", Mul((a, Mul((b, c))))),
    ("(x[j])", x_j),
    ("((x[j]))", x_j),
    ("-x[i]^2", Mul((M1, Pow(x_i, n(2))))),
    ("x^-1", Pow(Comp("x", ()), M1)),
    ("x^-0.5", Pow(Comp("x", ()), n(-1, 2))),
    ("x^(1/2)", Pow(Comp("x", ()), n(1, 2))),
    ("x^(-2)", Pow(Comp("x", ()), Mul((M1, n(2))))),
    ("x^-a", Pow(Comp("x", ()), Mul((M1, a)))),
    ("2^3^2", Pow(n(2), Pow(n(3), n(2)))),
    ("(x^2)^3", Pow(Pow(Comp("x", ()), n(2)), n(3))),
    ("0.25", n(1, 4)),
    ("(1/2)", n(1, 2)),
    ("(-3/4) * a", Mul((n(-3, 4), a))),
    ("(4/2)", Mul((n(4), inv(n(2))))),
    ("(-2)", Mul((M1, n(2)))),
    ("3", n(3)),
    ("a", a),
    ("Sigma[i,j]", Comp("Sigma", ("i", "j"))),
    ("b1[k2]", Comp("b1", ("k2",))),
    ("delta[i,k]", Delta("i", "k")),
    ("dim(n)", Dim("n")),
    ("dim(3)", Dim("3")),
    ("sum(j, x[j])", Sum("j", x_j)),
    ("exp(z[i]) / sum(j, exp(z[j]))",
     Mul((Call("exp", Comp("z", ("i",))), inv(Sum("j", Call("exp", Comp("z", ("j",)))))))),
    ("tanh(w[i] * x[i])", Call("tanh", Mul((Comp("w", ("i",)), x_i)))),
    ("f(u[i])", Call("f", Comp("u", ("i",)))),
    ("f'(u[i])", Call("f", Comp("u", ("i",)), 1)),
    ("phi''(a)", Call("phi", a, 2)),
    ("det(X)", MatScalar("det", MSym("X"))),
    ("tr(X.T @ A)", MatScalar("tr", MBin("@", MT(MSym("X")), MSym("A")))),
    ("inv(X)[l,k]", MatEntry("inv", MSym("X"), ("l", "k"))),
    ("logm(X)[i,j]", MatEntry("logm", MSym("X"), ("i", "j"))),
    ("sinm(X)[i,j]", MatEntry("sinm", MSym("X"), ("i", "j"))),
    ("cosm(x * A)[j,i]", MatEntry("cosm", MBin("*", MSym("x"), MSym("A")), ("j", "i"))),
    ("pinv(-X)[i,j]", MatEntry("pinv", MNeg(MSym("X")), ("i", "j"))),
    ("(A @ x)[i]", MatEntry("", MBin("@", MSym("A"), MSym("x")), ("i",))),
    ("(kron(U, D(V)))[i,j]", MatEntry("", MCall("kron", (MSym("U"), MD("V"))), ("i", "j"))),
    ("(A @ X @ B)[i,j]",
     MatEntry("", MBin("@", MBin("@", MSym("A"), MSym("X")), MSym("B")), ("i", "j"))),
    ("D(u)[j,k]", Deriv("u", ("j", "k"))),
    ("D(u)", Deriv("u", ())),
    ("D(g, u)[i,j]", Deriv("g", ("i", "j"), by="u")),
    ("D(g, u, v)[i,j,k]", Deriv("g", ("i", "j", "k"), by="u,v")),
    ("d(X)[k,l]", Differential("X", ("k", "l"))),
    ("  a\t*\nb ", Mul((a, b))),
]


@pytest.mark.parametrize("text, tree", VALID)
def test_valid(text, tree):
    assert parse_index(text, F) == tree


INVALID = [
    ("", "empty expression"),
    ("foo(x)", "unknown function 'foo'"),
    ("h(x)", "unknown function 'h'"),
    ("x_1", "unexpected character '_'"),
    ("x[i j]", "expected ']' after indices"),
    ("x.T", "'.T' is matrix notation"),
    ("x.y", "only .T may follow '.'"),
    ("x[i", "unbalanced brackets"),
    ("sqrt((x[i] * x[i])", "unbalanced parentheses"),
    ("x[i] * x[i])", "unbalanced parentheses"),
    ("()", "empty parentheses"),
    ("x[]", "expected an index name"),
    ("x[I]", "expected an index name"),
    ("x[1]", "expected an index name"),
    ("x[ij]", "expected an index name"),
    ("x[i,]", "expected an index name"),
    ("x[i][j]", "take indices"),
    ("det(X)[i,j]", "take indices"),
    ("inv(X)", "must be indexed"),
    ("sinm(X)", "must be indexed"),
    ("cosm(X, Y)[i,j]", "cosm() takes 1 argument"),
    ("cosm[i]", "'cosm' is reserved"),
    ("kron(A, B)", "'kron' is matrix notation"),
    ("exp", "'exp' is reserved"),
    ("sum", "'sum' is reserved"),
    ("T[i]", "'T' is reserved"),
    ("D[i]", "'D' is reserved"),
    ("f", "function 'f' needs an argument"),
    ("x'", "only a declared function takes primes"),
    ("exp'(x)", "only a declared function takes primes"),
    ("delta[i]", "delta needs two indices"),
    ("delta", "delta needs two indices"),
    ("dim(0)", "expected a dimension"),
    ("dim(1.5)", "expected a dimension"),
    ("dim(x[i])", "dim() takes one dimension"),
    ("sum(x[i])", "sum needs an index and an expression"),
    ("sum(j)", "sum needs an index and an expression"),
    ("sum(j, )", "sum needs an index and an expression"),
    ("exp()", "exp() takes 1 argument"),
    ("exp(a, b)", "exp() takes 1 argument"),
    ("exp(a,)", "expected an argument after ','"),
    ("D(u, v, w, s)", "D() takes 1 to 3 arguments"),
    ("D(x[i])", "unexpected '['"),
    ("d(2)", "expects a symbol name"),
    ("(x[j])[i]", "matrix notation has no indices"),
    ("1 / 0", "division by zero"),
    ("(1/0)", "division by zero"),
    ("a b", "unexpected 'b'"),
    ("a +", "unexpected end of text"),
    ("a ** 2", "unexpected '*'"),
    ("+a", "unexpected '+'"),
    ("a = b", "unexpected '='"),
    ("2x", "a number cannot run into a name"),
    ("1e-05", "exponent notation"),
    ("x[i] * \u0445[i]", "non-ASCII character '\u0445' (U+0445) in a name"),
    ("\u03a3[i,j]", "non-ASCII character '\u03a3' (U+03A3) in a name"),
    # hostile input: never evaluated, always a NotationError
    ("__import__('os').system('echo pwned > pwned.txt')", "unexpected character '_'"),
    ("x.__class__.__mro__[1].__subclasses__()", "only .T may follow '.'"),
    ("lambda x: x", "unexpected character ':'"),
    ("(lambda: 0)()", "unexpected character ':'"),
    ("[x for x in y]", "unexpected '['"),
    ("{1: 2}", "unexpected character '{'"),
    ("exec('1')", "unexpected character"),
    ("eval(x)", "unknown function 'eval'"),
    ("open(x).read", "only .T may follow '.'"),
    ("x if y else z", "unexpected 'if'"),
    ("x; import os", "unexpected character ';'"),
    ("(" * 10000, "expression longer than 4000 characters"),
    ("(" * 100 + "x" + ")" * 100, "nesting deeper than 64 levels"),
    ("exp(" * 70 + "x" + ")" * 70, "nesting deeper than 64 levels"),
    ("x^" * 70 + "x", "nesting deeper than 64 levels"),
    ("x^-" * 40 + "x", "nesting deeper than 64 levels"),
    ("x + " * 1000 + "x", "expression longer than 4000 characters"),
]


@pytest.mark.parametrize("text, message", INVALID)
def test_invalid(text, message):
    with pytest.raises(NotationError) as e:
        parse_index(text, F)
    assert message in e.value.message
    assert e.value.column is None or 0 <= e.value.column <= len(text)


def test_long_but_valid():
    text = " + ".join(["x[i]"] * 500)
    assert len(parse_index(text).terms) == 500
    assert parse_index("x^" * 60 + "x").exp.exp.exp  # a chain of 60 powers is fine
    many = parse_index("-" * 3000 + "x")
    assert len(many.factors) == 3001


EQUATIONS = [
    ("y[i] = A[i,j] * x[j]", ("y", ("i",), Mul((A_ij, x_j)))),
    ("Y[i,j] = inv(X)[i,j]", ("Y", ("i", "j"), MatEntry("inv", MSym("X"), ("i", "j")))),
    ("y = x[i] * x[i]", ("y", (), Mul((x_i, x_i)))),
    ("L = -t[i] * a", ("L", (), Mul((M1, Comp("t", ("i",)), a)))),
    ("y", "expected '='"),
    ("y = a = b", "more than one '='"),
    ("= a", "expected the function's name before '='"),
    ("y =", "expected an expression after '='"),
    ("y(=)", "'=' inside brackets"),
    ("y[i] x = a", "unexpected 'x'"),
    ("y[I] = a", "expected an index name"),
    ("exp = a", "'exp' is reserved"),
    ("3 = a", "expected a name"),
    ("y = __import__('os').system('echo pwned > pwned.txt')", "unexpected character '_'"),
    ("y = x.__class__.__mro__[1].__subclasses__()", "only .T may follow '.'"),
    ("y = sqrt((x[i] * x[i])", "unbalanced parentheses"),
]


@pytest.mark.parametrize("text, expected", EQUATIONS)
def test_equation(text, expected):
    if isinstance(expected, tuple):
        assert parse_equation(text, F) == expected
    else:
        with pytest.raises(NotationError) as e:
            parse_equation(text, F)
        assert expected in e.value.message


@pytest.mark.parametrize("text, expected", [
    ("x[k]", ("x", ("k",))), ("X[k,l]", ("X", ("k", "l"))), ("t", ("t", ())),
    ("X[r,s]", ("X", ("r", "s"))), ("x[k2]", ("x", ("k2",))),
    ("", "empty expression"), ("x[k", "unbalanced brackets"), ("3", "expected a name"),
    ("x + y", "unexpected '+'"), ("x[K]", "expected an index name"), ("D", "'D' is reserved"),
    ("f'", "only a declared function takes primes"), ("x = y", "unexpected '='"),
])
def test_variable(text, expected):
    if isinstance(expected, tuple):
        assert parse_variable(text) == expected
    else:
        with pytest.raises(NotationError) as e:
            parse_variable(text)
        assert expected in e.value.message


# Every index-notation expression in shared/examples, as written there.
EXAMPLE_EXPRESSIONS = [
    "A[i,j] * x[j]", "A[i,k]", "A[k,i]", "A[i,j]", "x[i] * A[i,j] * x[j]",
    "A[k,j] * x[j] + x[i] * A[i,k]", "A[k,j] * x[j]", "2 * A[k,j] * x[j]", "A[k,l] + A[l,k]",
    "sqrt(x[i] * x[i])", "x[k] / sqrt(x[i] * x[i])", "-t[i] * log(exp(z[i]) / sum(j, exp(z[j])))",
    "sum(i, t[i]) * exp(z[k]) / sum(j, exp(z[j])) - t[k]", "sum(i, x[i]) / dim(n)",
    "1 / dim(n)", "A[i,j] * u[j]", "A[i,j] * D(u)[j,k]", "A[i,j] * D(u)[k,j]", "f(u[i])",
    "f'(u[i]) * D(u)[i,k]", "exp(z[i]) / sum(j, exp(z[j]))",
    "exp(z[i]) / sum(j, exp(z[j])) * (delta[i,k] - exp(z[k]) / sum(j, exp(z[j])))",
    "exp(z[i]) / sum(j, exp(z[j])) * (delta[i,k] + exp(z[k]) / sum(j, exp(z[j])))",
    "tanh(x[i])", "(1 - tanh(x[i])^2) * delta[i,k]", "tanh(w[i] * x[i])",
    "(1 - tanh(w[i] * x[i])^2) * w[i] * delta[i,k]", "A[i,k] * X[k,l] * B[l,j]",
    "A[i,r] * B[s,j]", "inv(X)[i,j]", "-inv(X)[i,k] * d(X)[k,l] * inv(X)[l,j]", "inv(U)[i,j]",
    "-inv(U)[i,k] * D(U)[k,l] * inv(U)[l,j]", "inv(U)[i,k] * D(U)[k,l] * inv(U)[l,j]",
    "U[i,k] * V[k,j]", "D(U)[i,k] * V[k,j] + U[i,k] * D(V)[k,j]", "tr(A @ X)", "A[l,k]",
    "a[i] * X[i,j] * b[j]", "a[k] * b[l]", "det(X)", "det(X) * inv(X)[l,k]",
    "log(abs(det(X)))", "inv(X)[l,k]", "inv(X)[k,l]", "tr(X.T @ A @ X)",
    "A[k,j] * X[j,l] + A[j,k] * X[j,l]", "x[k]", "2 * x[k]", "x[i] * x[i] * 3", "6 * x[k]",
    "A[i,j] * x[k]", "B[i,j] * x[j]", "B[i,k]", "x[i,j]", "x[i] * x[i]", "0",
]


@pytest.mark.parametrize("text", EXAMPLE_EXPRESSIONS)
def test_example_expressions(text):
    parse_index(text, F)


def _example_fields():
    yaml = pytest.importorskip("yaml")
    out = []
    for path in sorted(EXAMPLES.glob("*/*.yaml")):
        try:
            doc = yaml.safe_load(path.read_text())
        except yaml.YAMLError:
            continue  # the broken-YAML examples are the loader's concern
        for entry in (doc or {}).get("entries") or []:
            functions = frozenset(k for k, v in (entry.get("symbols") or {}).items()
                                  if isinstance(v, dict) and v.get("function"))
            for key in ("of", "derivative", "differential", "wrt"):
                values = entry.get(key)
                for v in values if isinstance(values, list) else [values]:
                    if v is not None:
                        out.append((path.parent.name, entry["id"], key, str(v), functions))
    return out


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="shared examples not present")
def test_every_example_file_field():
    fields = _example_fields()
    assert fields
    for folder, eid, key, text, functions in fields:
        hostile = key == "of" and eid in ("bad-python-expression", "bad-attribute-access",
                                          "bad-unbalanced")
        parse = {"of": lambda t: parse_equation(t, functions), "wrt": parse_variable}.get(
            key, lambda t: parse_index(t, functions))
        if hostile:
            with pytest.raises(NotationError):
                parse(text)
        else:
            parse(text)


FRAGMENTS = ["x[i]", "A[i,j]", "a", "2", "0.5", "(", ")", "[", "]", ",", " + ", " - ", "*",
             "/", "^", "-", "exp(", "sum(j, ", "delta[i,k]", "dim(n)", "D(u)", "d(X)", "inv(X)",
             "det(", "f'(", "@", ".T", "=", "_", "\u0445", "'", ".", "i", "k2", "lambda", ":",
             "1/0", " "]


@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join),
                 st.text(max_size=40)))
def test_random_text_only_notation_errors(text):
    for parse in (lambda t: parse_index(t, F), lambda t: parse_equation(t, F), parse_variable):
        try:
            parse(text)
        except NotationError as e:
            assert isinstance(e.message, str) and e.message


# The matrix-power extension (README.md "Notation"): mpow(M, e)[i,j] and sum(r, lo, hi, body)
# beside sum(j, body), which is unchanged.
def _mpow(e):
    return MCall("mpow", (MSym("X"), e))


POWER_VALID = [
    ("mpow(X, n)[i,j]", MatEntry("", _mpow(MSym("n")), ("i", "j"))),
    ("(mpow(X, n))[i,j]", MatEntry("", _mpow(MSym("n")), ("i", "j"))),
    ("n * mpow(X, n-1)[l,k]", Mul((Comp("n", ()), MatEntry(
        "", _mpow(MBin("-", MSym("n"), MNum(1))), ("l", "k"))))),
    ("tr(mpow(X, n))", MatScalar("tr", _mpow(MSym("n")))),
    ("sum(r, 0, n-1, mpow(X, r)[i,k])",
     RangeSum("r", n(0), Add((Comp("n", ()), Mul((M1, n(1))))),
              MatEntry("", _mpow(MSym("r")), ("i", "k")))),
    ("sum(j, x[j])", Sum("j", x_j)),
]
POWER_INVALID = [
    ("mpow(X, n)", "mpow(...) must be indexed"),
    ("mpow(X)[i,j]", "mpow() takes 2 arguments"),
    ("sum(r, 0, n-1)", "sum over a range needs a name, bounds and a body"),
    ("sum(R, 0, n-1, x[i])", "sum over a range needs a name, bounds and a body"),
    ("sum(r, 0, , x[i])", "sum over a range needs a name, bounds and a body"),
]


@pytest.mark.parametrize("text, tree", POWER_VALID)
def test_power_valid(text, tree):
    assert parse_index(text, F) == tree


@pytest.mark.parametrize("text, message", POWER_INVALID)
def test_power_invalid(text, message):
    with pytest.raises(NotationError) as e:
        parse_index(text, F)
    assert message in e.value.message
