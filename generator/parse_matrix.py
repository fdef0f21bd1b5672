"""The parser of matrix notation (NOTATION.md, "Matrix notation"): NumPy-like text to MExpr.

Precedence is Python's: `+ -` lowest, then `@ * /` (left-associative), then unary minus,
then postfix `.T` and calls. Nothing is evaluated; numbers are exact Rationals.
"""
from __future__ import annotations

from .expr import (ELEMENTWISE, RESERVED, MBin, MCall, MD, MDim, MExpr, MNeg, MNum, MSym, MT,
                   NotationError)
from .lexer import (Cursor, check_depth, is_index, is_name, number_value, rational_group,
                    tokenize)

# Argument kinds per function: 'e' a matrix expression, 'd' a dimension.
SIGNATURES: dict[str, str] = {
    **{f: "e" for f in ("inv", "det", "tr", "adj", "expm", "logm", "sinm", "cosm", "pinv",
                        "diag", "vec")},
    **{f: "e" for f in ELEMENTWISE},
    "kron": "ee", "eye": "d", "ones": "d", "unvec": "edd", "commutation": "dd",
    "mpow": "ee",       # mpow(M, e): M to an integer power e (an extension)
    # spectral functions (an extension): 'f' is a declared scalar function's name
    "fm": "fe", "eigval": "e", "eigvec": "e", "divdiff": "fe",
}


def parse_matrix(text: str, functions: frozenset[str] = frozenset()) -> MExpr:
    """Parse matrix-notation text; `functions` are the entry's abstract scalar functions."""
    cur = Cursor(tokenize(text))
    if cur.peek().kind == "end":
        raise cur.error("empty expression")
    e = matrix_expr(cur, functions)
    if cur.peek().kind != "end":
        raise cur.unexpected()
    return check_depth(e)


def matrix_expr(cur: Cursor, functions: frozenset[str]) -> MExpr:
    """An expression up to the first token that cannot continue it (')', ',', end)."""
    left = _product(cur, functions)
    while cur.at("+") or cur.at("-"):
        op = cur.next().text
        left = MBin(op, left, _product(cur, functions))
    return left


def _product(cur: Cursor, functions: frozenset[str]) -> MExpr:
    left = _unary(cur, functions)
    while cur.at("@") or cur.at("*") or cur.at("/"):
        op = cur.next().text
        at = cur.peek()
        right = _unary(cur, functions)
        if op == "/" and right == MNum(0):
            raise cur.error("division by zero", at)
        left = MBin(op, left, right)
    return left


def _unary(cur: Cursor, functions: frozenset[str]) -> MExpr:
    # Iterative, so a long run of '-' cannot exhaust the stack.
    negations = 0
    while cur.accept("-"):
        negations += 1
    e = _postfix(cur, functions)
    for _ in range(negations):
        e = MNeg(e)
    return e


def _postfix(cur: Cursor, functions: frozenset[str]) -> MExpr:
    e = _primary(cur, functions)
    while cur.accept(".T"):
        e = MT(e)
    if cur.at("["):
        raise cur.error("matrix notation has no indices")
    if cur.at("^"):
        raise cur.error("matrix notation has no '^'")
    return e


def _primary(cur: Cursor, functions: frozenset[str]) -> MExpr:
    t = cur.peek()
    if t.kind == "num":
        cur.next()
        return MNum(number_value(t.text))
    if cur.at("("):
        value = rational_group(cur)
        if value is not None:
            return MNum(value)
        cur.next()
        if cur.at(")"):
            raise cur.error("empty parentheses")
        e = matrix_expr(cur, functions)
        if not cur.accept(")"):
            raise cur.unexpected()
        return e
    if t.kind == "name":
        cur.next()
        if cur.at("("):
            return _call(cur, t, functions)
        return MSym(symbol_name(cur, t, functions))
    raise cur.unexpected()


def symbol_name(cur: Cursor, t, functions: frozenset[str]) -> str:
    """Check that a name token not followed by '(' can be a symbol."""
    if t.primes and t.text not in functions:
        raise cur.error(f"only a declared function takes primes ('{t.text}')", t)
    if t.text in RESERVED:
        raise cur.error(f"'{t.text}' is reserved and cannot be a symbol", t)
    if t.text in functions:
        raise cur.error(f"function '{t.text}' needs an argument in parentheses", t)
    return t.text


def _call(cur: Cursor, t, functions: frozenset[str]) -> MExpr:
    name = t.text
    if name == "D" and not t.primes:
        args = arguments(cur, "D", "nnn", functions, required=1)
        return MD(args[0], by=",".join(args[1:]))
    if name == "sum" and not t.primes:
        return range_sum(cur, functions, matrix_expr, lambda r, lo, hi, body:
                         MCall("sum", (MSym(r), lo, hi, body)))
    if name in SIGNATURES and not t.primes:
        return MCall(name, tuple(arguments(cur, name, SIGNATURES[name], functions)))
    if name in functions:
        return MCall(name, tuple(arguments(cur, name, "e", functions)), t.primes)
    if t.primes:
        raise cur.error(f"only a declared function takes primes ('{name}')", t)
    raise cur.error(f"unknown function '{name}'", t)


def arguments(cur: Cursor, name: str, kinds: str, functions: frozenset[str],
              required: int | None = None, expr=None) -> list:
    """The arguments of a call at '(': kinds 'e' (an expression, parsed by `expr`, matrix
    notation by default), 'd' (a dimension, as MDim), 'n' (a symbol name, as str) or 'f' (a
    declared scalar function's name, as MSym)."""
    expr = expr or matrix_expr
    required = len(kinds) if required is None else required
    counted = (f"{required} to {len(kinds)}" if required != len(kinds) else str(required))
    message = f"{name}() takes {counted} argument{'s' if len(kinds) > 1 else ''}"
    cur.expect("(", f"expected '(' after {name}")
    args: list = []
    while not cur.at(")"):
        if len(args) == len(kinds):
            raise cur.error(message)
        kind = kinds[len(args)]
        if kind == "e":
            args.append(expr(cur, functions))
        elif kind == "d":
            args.append(MDim(dimension(cur)))
        elif kind == "f":       # a declared scalar function, by name (fm, divdiff)
            t = cur.next()
            if t.kind != "name" or t.primes or t.text not in functions \
                    or not (cur.at(",") or cur.at(")")):
                raise cur.error(f"{name}() expects a declared scalar function's name "
                                "(function: scalar) first", t)
            args.append(MSym(t.text))
        else:
            t = cur.next()
            if t.kind != "name":
                raise cur.error(f"{name}() expects a symbol name", t)
            args.append(symbol_name(cur, t, functions))
        if not cur.accept(","):
            if not cur.at(")"):
                raise cur.unexpected(f" in the arguments of {name}()")
            break
        if cur.at(")"):
            raise cur.error(f"expected an argument after ',' in {name}()")
    if len(args) < required:
        raise cur.error(message)
    cur.next()
    return args


def range_sum(cur: Cursor, functions: frozenset[str], expr, build):
    """At '(' after sum: `sum(r, lo, hi, body)` (an extension), the finite sum over the
    integer r = lo..hi; r is one lowercase letter, optionally followed by digits."""
    usage = "sum over a range needs a name, bounds and a body, as in sum(r, 0, n-1, ...)"
    cur.expect("(", "expected '(' after sum")
    r = cur.next()
    if not (r.kind == "name" and not r.primes and is_index(r.text)) or not cur.accept(","):
        raise cur.error(usage, r)
    parts = []
    for k in range(3):
        if cur.at(")") or cur.at(","):
            raise cur.error(usage)
        parts.append(expr(cur, functions))
        if k < 2 and not cur.accept(","):
            raise cur.error(usage)
    if not cur.accept(")"):
        raise cur.unexpected(" in the arguments of sum()")
    return build(r.text, *parts)


def dimension(cur: Cursor) -> str:
    """A dimension argument: a name or a positive integer, returned as its text."""
    t = cur.next()
    ok = (t.kind == "name" and not t.primes and is_name(t.text) and t.text not in RESERVED) or \
         (t.kind == "num" and "." not in t.text and int(t.text) > 0)
    if not ok:
        raise NotationError("expected a dimension (a name or a positive integer)", t.col)
    return t.text if t.kind == "name" else str(int(t.text))
