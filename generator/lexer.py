"""The tokenizer and token cursor shared by the index- and matrix-notation parsers.

Text is checked as a whole before parsing (length, characters, bracket balance and nesting),
so the recursive parsers can never be driven past a fixed depth by hostile input; the trees
they return are checked for depth too (`check_depth`), since later stages walk them
recursively.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, fields, is_dataclass
from typing import Iterator

import sympy

from .expr import NotationError

MAX_LENGTH = 4000
MAX_DEPTH = 64
PUNCTUATION = frozenset("+-*/^@()[],=")
_PAIRS = {")": "(", "]": "["}
_SPACE = frozenset(" \t\r\n")


@dataclass(frozen=True)
class Token:
    """kind is 'num', 'name', 'op' (punctuation or '.T') or 'end'; primes count trailing "'"."""
    kind: str
    text: str
    col: int
    primes: int = 0


def _letter(c: str) -> bool:
    return c.isascii() and c.isalpha()


def _digit(c: str) -> bool:
    return "0" <= c <= "9"


def _bad_char(c: str, col: int) -> NotationError:
    if not c.isascii():
        where = " in a name" if c.isalpha() else ""
        return NotationError(f"non-ASCII character {c!r} (U+{ord(c):04X}){where}", col)
    if not c.isprintable():
        return NotationError(f"unexpected character {c!r} (U+{ord(c):04X})", col)
    return NotationError(f"unexpected character {c!r}", col)


def _exponent_at(text: str, j: int) -> bool:
    """Whether text[j:] reads like the exponent of 1e-05 (what YAML floats print as)."""
    if text[j:j + 1] not in ("e", "E"):
        return False
    k = j + 2 if text[j + 1:j + 2] in ("+", "-") else j + 1
    return _digit(text[k:k + 1] or "x")


def tokenize(text: str) -> list[Token]:
    """Split text into tokens ending with an 'end' token; NotationError on any bad input."""
    if not isinstance(text, str):
        raise NotationError("expected text", None)
    if len(text) > MAX_LENGTH:
        raise NotationError(f"expression longer than {MAX_LENGTH} characters", MAX_LENGTH)
    out: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in _SPACE:
            i += 1
        elif _digit(c):
            j = i
            while j < n and _digit(text[j]):
                j += 1
            if j + 1 < n and text[j] == "." and _digit(text[j + 1]):
                j += 1
                while j < n and _digit(text[j]):
                    j += 1
            if _exponent_at(text, j):
                raise NotationError("exponent notation such as 1e-05 is not supported; "
                                    "write the number as a decimal", j)
            if j < n and (_letter(text[j]) or text[j] == "_"):
                raise NotationError(f"a number cannot run into a name ({text[i:j + 1]!r})", j)
            out.append(Token("num", text[i:j], i))
            i = j
        elif _letter(c):
            j = i
            while j < n and (_letter(text[j]) or _digit(text[j])):
                j += 1
            if j < n and not text[j].isascii() and text[j].isalpha():
                raise _bad_char(text[j], j)
            k = j
            while k < n and text[k] == "'":
                k += 1
            out.append(Token("name", text[i:j], i, k - j))
            i = k
        elif c == ".":
            if text[i + 1:i + 2] == "T" and not (i + 2 < n and (text[i + 2].isalnum()
                                                                 or text[i + 2] == "_")):
                out.append(Token("op", ".T", i))
                i += 2
            elif i + 1 < n and _digit(text[i + 1]):
                raise NotationError("a number needs a digit before '.'", i)
            else:
                raise NotationError("only .T may follow '.'", i)
        elif c in PUNCTUATION:
            out.append(Token("op", c, i))
            i += 1
        else:
            raise _bad_char(c, i)
    out.append(Token("end", "", n))
    _check_brackets(out)
    return out


def _check_brackets(tokens: list[Token]) -> None:
    stack: list[Token] = []
    for t in tokens:
        if t.kind != "op":
            continue
        if t.text in "([":
            stack.append(t)
            if len(stack) > MAX_DEPTH:
                raise NotationError(f"nesting deeper than {MAX_DEPTH} levels", t.col)
        elif t.text in _PAIRS:
            kind = "parentheses" if t.text == ")" else "brackets"
            if not stack:
                raise NotationError(f"unbalanced {kind}: {t.text!r} has no matching "
                                    f"{_PAIRS[t.text]!r}", t.col)
            opened = stack.pop()
            if opened.text != _PAIRS[t.text]:
                raise NotationError(f"{opened.text!r} at column {opened.col + 1} is closed by "
                                    f"{t.text!r}", t.col)
    if stack:
        t = stack[-1]
        kind = "parentheses" if t.text == "(" else "brackets"
        raise NotationError(f"unbalanced {kind}: {t.text!r} is never closed", t.col)


class Cursor:
    """A position in a token list, with helpers that raise NotationError at the right column."""

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.pos = 0
        self.depth = 0
        self.closing = _matching(tokens)

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def next(self) -> Token:
        t = self.peek()
        if t.kind != "end":
            self.pos += 1
        return t

    def at(self, text: str, ahead: int = 0) -> bool:
        t = self.peek(ahead)
        return t.kind == "op" and t.text == text

    def accept(self, text: str) -> bool:
        if self.at(text):
            self.pos += 1
            return True
        return False

    def expect(self, text: str, message: str) -> Token:
        if not self.at(text):
            raise self.error(message)
        return self.next()

    def after_group(self) -> Token:
        """The token after the ')' matching the '(' at the cursor."""
        return self.tokens[self.closing[self.pos] + 1]

    def error(self, message: str, token: Token | None = None) -> NotationError:
        return NotationError(message, (token or self.peek()).col)

    def unexpected(self, where: str = "") -> NotationError:
        t = self.peek()
        what = "end of text" if t.kind == "end" else repr(t.text + "'" * t.primes)
        return self.error(f"unexpected {what}{where}", t)

    @contextmanager
    def nested(self) -> Iterator[None]:
        """Guard a recursion that brackets do not bound (a chain of '^')."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"nesting deeper than {MAX_DEPTH} levels")
        try:
            yield
        finally:
            self.depth -= 1


def _matching(tokens: list[Token]) -> dict[int, int]:
    out, stack = {}, []
    for k, t in enumerate(tokens):
        if t.kind == "op" and t.text in "([":
            stack.append(k)
        elif t.kind == "op" and t.text in ")]":
            out[stack.pop()] = k
    return out


def is_name(text: str) -> bool:
    """A symbol or dimension name: an ASCII letter followed by ASCII letters or digits."""
    return bool(text) and _letter(text[0]) and all(_letter(c) or _digit(c) for c in text)


def is_index(text: str) -> bool:
    """An index name: one lowercase ASCII letter, optionally followed by digits."""
    return bool(text) and "a" <= text[0] <= "z" and all(_digit(c) for c in text[1:])


def number_value(text: str) -> sympy.Rational:
    """The exact value of a number token: '0.25' is Rational(25, 100)."""
    whole, _, frac = text.partition(".")
    return sympy.Rational(int(whole + frac), 10 ** len(frac))


def rational_group(cur: Cursor) -> sympy.Rational | None:
    """At '(': read a group such as (1/2) or (-0.5) as one number, if its value is not an
    integer. The printer writes such numbers this way, so they must parse back to one Num."""
    start = cur.pos
    inner = cur.tokens[start + 1:cur.closing[start]]
    sign = 1
    if inner and inner[0].kind == "op" and inner[0].text == "-":
        sign, inner = -1, inner[1:]
    if len(inner) == 1 and inner[0].kind == "num":
        value = number_value(inner[0].text)
    elif (len(inner) == 3 and inner[0].kind == "num" and inner[2].kind == "num"
          and inner[1].kind == "op" and inner[1].text == "/"):
        den = number_value(inner[2].text)
        if den == 0:
            raise NotationError("division by zero", inner[2].col)
        value = number_value(inner[0].text) / den
    else:
        return None
    if value.is_integer:
        return None
    cur.pos = cur.closing[start] + 1
    return sign * value


def check_depth(tree, limit: int = MAX_DEPTH):
    """Return tree, or raise if it is nested deeper than `limit` levels: long chains such as
    `A @ A @ ...` or `- - - A` are deep trees, and every later stage walks trees recursively."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            raise NotationError(f"expression nested deeper than {limit} levels", None)
        for f in fields(node):
            value = getattr(node, f.name)
            for child in value if isinstance(value, tuple) else (value,):
                if is_dataclass(child):
                    stack.append((child, depth + 1))
    return tree
