"""The shared tokenizer: tokens with columns, and a clear NotationError for everything else."""
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.expr import Comp, Mul, NotationError, Num
from generator.lexer import (MAX_DEPTH, MAX_LENGTH, check_depth, is_index, is_name,
                             number_value, tokenize)


def kinds(text):
    return [(t.kind, t.text, t.col, t.primes) for t in tokenize(text)]


@pytest.mark.parametrize("text, expected", [
    ("A[i,j]", [("name", "A", 0, 0), ("op", "[", 1, 0), ("name", "i", 2, 0), ("op", ",", 3, 0),
                ("name", "j", 4, 0), ("op", "]", 5, 0), ("end", "", 6, 0)]),
    ("f''(z)", [("name", "f", 0, 2), ("op", "(", 3, 0), ("name", "z", 4, 0),
                ("op", ")", 5, 0), ("end", "", 6, 0)]),
    ("x.T @ b1", [("name", "x", 0, 0), ("op", ".T", 1, 0), ("op", "@", 4, 0),
                  ("name", "b1", 6, 0), ("end", "", 8, 0)]),
    ("0.25*x^-1", [("num", "0.25", 0, 0), ("op", "*", 4, 0), ("name", "x", 5, 0),
                   ("op", "^", 6, 0), ("op", "-", 7, 0), ("num", "1", 8, 0), ("end", "", 9, 0)]),
    ("y = a + b / 2", [("name", "y", 0, 0), ("op", "=", 2, 0), ("name", "a", 4, 0),
                       ("op", "+", 6, 0), ("name", "b", 8, 0), ("op", "/", 10, 0),
                       ("num", "2", 12, 0), ("end", "", 13, 0)]),
    ("2.T", [("num", "2", 0, 0), ("op", ".T", 1, 0), ("end", "", 3, 0)]),
    (" \t\n", [("end", "", 3, 0)]),
])
def test_tokens(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize("text, message, column", [
    ("x_1", "unexpected character '_'", 1),
    ("__import__('os')", "unexpected character '_'", 0),
    ("x.__class__", "only .T may follow '.'", 1),
    ("x.Tx", "only .T may follow '.'", 1),
    ("x.shape", "only .T may follow '.'", 1),
    (".5", "a number needs a digit before '.'", 0),
    ("2x", "a number cannot run into a name ('2x')", 1),
    ("1e-05", "exponent notation", 1),
    ("2E+3", "exponent notation", 1),
    ("x[i] * \u0445[i]", "non-ASCII character '\u0445' (U+0445) in a name", 7),
    ("x\u0445", "non-ASCII character '\u0445' (U+0445) in a name", 1),
    ("\u2202y", "non-ASCII character '\u2202' (U+2202)", 0),
    ("x\x00", "unexpected character '\\x00' (U+0000)", 1),
    ("lambda x: x", "unexpected character ':'", 8),
    ("'os'", "unexpected character \"'\"", 0),
    ('"x"', "unexpected character '\"'", 0),
    ("a; b", "unexpected character ';'", 1),
    ("a ** 2", None, None),
    ("(x", "unbalanced parentheses: '(' is never closed", 0),
    ("x)", "unbalanced parentheses: ')' has no matching '('", 1),
    ("x[i", "unbalanced brackets: '[' is never closed", 1),
    ("x[i)", "'[' at column 2 is closed by ')'", 3),
    ("(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH, None, None),
    ("(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1), "nesting deeper than 64 levels", 64),
    ("(" * 10000, "expression longer than 4000 characters", MAX_LENGTH),
    ("x" * (MAX_LENGTH + 1), "expression longer than 4000 characters", MAX_LENGTH),
])
def test_errors(text, message, column):
    if message is None:
        tokenize(text)
        return
    with pytest.raises(NotationError) as e:
        tokenize(text)
    assert message in e.value.message
    assert e.value.column == column


def test_not_text():
    with pytest.raises(NotationError):
        tokenize(None)


@pytest.mark.parametrize("text, value", [
    ("0", 0), ("7", 7), ("007", 7), ("0.25", sympy.Rational(1, 4)), ("2.50", sympy.Rational(5, 2)),
    ("1.0", 1), ("3.14159", sympy.Rational(314159, 100000)),
])
def test_number_value(text, value):
    v = number_value(text)
    assert v == value and isinstance(v, sympy.Rational)


@pytest.mark.parametrize("text, name, index", [
    ("x", True, True), ("k2", True, True), ("Sigma", True, False), ("b1", True, True),
    ("ij", True, False), ("A", True, False), ("1a", False, False), ("", False, False),
    ("x_1", False, False), ("\u0445", False, False),
])
def test_name_rules(text, name, index):
    assert is_name(text) is name and is_index(text) is index


def test_check_depth():
    x = Comp("x", ())
    shallow = x
    for _ in range(MAX_DEPTH - 1):
        shallow = Mul((Num(sympy.Integer(-1)), shallow))
    assert check_depth(shallow) is shallow
    with pytest.raises(NotationError, match="nested deeper"):
        check_depth(Mul((Num(sympy.Integer(-1)), shallow)))


@settings(max_examples=2000, deadline=None)
@given(st.text(max_size=60))
def test_random_text_only_notation_errors(text):
    try:
        tokens = tokenize(text)
    except NotationError as e:
        assert e.column is None or 0 <= e.column <= len(text)
    else:
        assert tokens[-1].kind == "end"
        assert all(0 <= t.col <= len(text) for t in tokens)
