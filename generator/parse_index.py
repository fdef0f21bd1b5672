"""The parser of index notation (NOTATION.md, "Index notation"): text to Expr trees.

Tree shapes that later stages rely on:
- a sum of terms is one Add; a subtracted term t is Mul((Num(-1), t)), or Num(-1) prepended
  to t's own factors when t is a product written at that level;
- a product term is ONE flat Mul; a/b is a factor Pow(b, Num(-1)); a unary minus adds a
  factor Num(-1) in place (`a * -b` is Mul((a, Num(-1), b)));
- nested Add/Mul nodes come only from parentheses and function arguments (Einstein scopes);
- a parenthesised ratio of literals that is not an integer, such as (1/2), is one Num.
"""
from __future__ import annotations

import sympy

from .expr import (ELEMENTWISE, MATRIX_SCALAR, MATRIX_VALUED, Add, Call, Comp, Delta, Deriv,
                   Differential, Dim, Expr, Integral, MatEntry, MatScalar, MCall, Mul,
                   NotationError, Num, Pow, RangeSum, SPECTRAL, Sum)
from .lexer import (Cursor, Token, check_depth, is_index, number_value, rational_group,
                    tokenize)
from .parse_matrix import (SIGNATURES, arguments, dimension, matrix_expr, range_sum,
                           symbol_name)

MINUS_ONE = Num(sympy.Integer(-1))


def parse_index(text: str, functions: frozenset[str] = frozenset()) -> Expr:
    """Parse an index-notation expression; `functions` are the entry's abstract functions."""
    return _whole(Cursor(tokenize(text)), functions)


def parse_equation(text: str, functions: frozenset[str] = frozenset()
                   ) -> tuple[str, tuple[str, ...], Expr]:
    """Parse an `of` field, `Y[i,j] = ...`: the left side's name and indices, the right side."""
    tokens = tokenize(text)
    equals, depth = [], 0
    for k, t in enumerate(tokens):
        if t.kind == "op":
            depth += (t.text in "([") - (t.text in ")]")
            if t.text == "=":
                if depth:
                    raise NotationError("'=' inside brackets", t.col)
                equals.append(k)
    if not equals:
        raise NotationError("expected '=' with the function's name on the left, as in "
                            "y[i] = ...", 0)
    if len(equals) > 1:
        raise NotationError("more than one '='", tokens[equals[1]].col)
    k = equals[0]
    if k == 0:
        raise NotationError("expected the function's name before '='", tokens[k].col)
    if tokens[k + 1].kind == "end":
        raise NotationError("expected an expression after '='", tokens[k].col)
    name, indices = _variable(Cursor(tokens[:k] + [Token("end", "", tokens[k].col)]))
    return name, indices, _whole(Cursor(tokens[k + 1:]), functions)


def parse_variable(text: str) -> tuple[str, tuple[str, ...]]:
    """Parse a `wrt` variable, `x[k]`, `X[k,l]` or `t`: its name and indices."""
    return _variable(Cursor(tokenize(text)))


def _variable(cur: Cursor) -> tuple[str, tuple[str, ...]]:
    t = cur.next()
    if t.kind != "name":
        raise cur.error("expected a name, as in x[k]" if t.kind != "end" else
                        "empty expression", t)
    name = symbol_name(cur, t, frozenset())
    indices = _indices(cur) if cur.at("[") else ()
    if cur.peek().kind != "end":
        raise cur.unexpected()
    return name, indices


def _whole(cur: Cursor, functions: frozenset[str]) -> Expr:
    if cur.peek().kind == "end":
        raise cur.error("empty expression")
    e = _expr(cur, functions)
    if cur.peek().kind != "end":
        raise cur.unexpected()
    return check_depth(e)


def _expr(cur: Cursor, functions: frozenset[str]) -> Expr:
    terms = [_term(cur, functions)[0]]
    while cur.at("+") or cur.at("-"):
        minus = cur.next().text == "-"
        t, flat = _term(cur, functions)
        if minus:
            t = Mul((MINUS_ONE,) + t.factors) if flat else Mul((MINUS_ONE, t))
        terms.append(t)
    return terms[0] if len(terms) == 1 else Add(tuple(terms))


def _term(cur: Cursor, functions: frozenset[str]) -> tuple[Expr, bool]:
    """A product term, and whether it is a Mul built at this level (not a bare factor)."""
    factors: list[Expr] = []
    _factor(cur, functions, factors, False)
    while cur.at("*") or cur.at("/"):
        _factor(cur, functions, factors, cur.next().text == "/")
    return (factors[0], False) if len(factors) == 1 else (Mul(tuple(factors)), True)


def _factor(cur: Cursor, functions: frozenset[str], out: list[Expr], divide: bool) -> None:
    while cur.accept("-"):
        out.append(MINUS_ONE)
    at = cur.peek()
    p = _power(cur, functions)
    if divide:
        if p == Num(sympy.Integer(0)):
            raise cur.error("division by zero", at)
        p = Pow(p, MINUS_ONE)
    out.append(p)


def _power(cur: Cursor, functions: frozenset[str]) -> Expr:
    base = _atom(cur, functions)
    if cur.at("["):
        raise cur.error("only symbols, delta, D(...), d(...), matrix functions and "
                        "parenthesised matrix expressions take indices")
    if cur.at(".T"):
        raise cur.error("'.T' is matrix notation; index a group instead, as in (A.T)[i,j]")
    if not cur.accept("^"):
        return base
    with cur.nested():
        return Pow(base, _exponent(cur, functions))


def _exponent(cur: Cursor, functions: frozenset[str]) -> Expr:
    if cur.accept("-"):
        with cur.nested():
            e = _exponent(cur, functions)
        return Num(-e.value) if isinstance(e, Num) else Mul((MINUS_ONE, e))
    return _power(cur, functions)


def _atom(cur: Cursor, functions: frozenset[str]) -> Expr:
    t = cur.peek()
    if t.kind == "num":
        cur.next()
        return Num(number_value(t.text))
    if cur.at("("):
        if cur.after_group().text == "[":
            cur.next()
            m = _group_body(cur, functions, matrix_expr)
            return MatEntry("", m, _indices(cur))
        value = rational_group(cur)
        if value is not None:
            return Num(value)
        cur.next()
        return _group_body(cur, functions, _expr)
    if t.kind == "name":
        cur.next()
        return _call(cur, t, functions) if cur.at("(") else _symbol(cur, t, functions)
    raise cur.unexpected()


def _group_body(cur: Cursor, functions: frozenset[str], parse):
    if cur.at(")"):
        raise cur.error("empty parentheses")
    e = parse(cur, functions)
    if not cur.accept(")"):
        raise cur.unexpected()
    return e


def _symbol(cur: Cursor, t: Token, functions: frozenset[str]) -> Expr:
    if t.text == "delta" and not t.primes:
        if not cur.at("["):
            raise cur.error("delta needs two indices, as in delta[i,j]", t)
        indices = _indices(cur)
        if len(indices) != 2:
            raise cur.error("delta needs two indices, as in delta[i,j]", t)
        return Delta(*indices)
    name = symbol_name(cur, t, functions)
    return Comp(name, _indices(cur) if cur.at("[") else ())


def _call(cur: Cursor, t: Token, functions: frozenset[str]) -> Expr:
    name = t.text
    if t.primes:
        if name not in functions:
            raise cur.error(f"only a declared function takes primes ('{name}')", t)
        return Call(name, arguments(cur, name, "e", functions, expr=_expr)[0], t.primes)
    if name in ELEMENTWISE or name in functions:
        return Call(name, arguments(cur, name, "e", functions, expr=_expr)[0])
    if name == "sum":
        if _arity(cur) in (3, 4):   # sum(r, lo, hi, body): a finite sum over an integer range
            return range_sum(cur, functions, _expr, RangeSum)
        cur.next()
        j = cur.next()
        if not (j.kind == "name" and not j.primes and is_index(j.text)) or not cur.accept(","):
            raise cur.error("sum needs an index and an expression, as in sum(j, x[j])", j)
        if cur.at(")"):
            raise cur.error("sum needs an index and an expression, as in sum(j, x[j])")
        body = _group_body(cur, functions, _expr)
        return Sum(j.text, body)
    if name == "integral":
        return _integral(cur, functions)
    if name == "mpow":
        m = MCall("mpow", tuple(arguments(cur, name, "ee", functions)))
        if not cur.at("["):
            raise cur.error("mpow(...) must be indexed, as in mpow(X, n)[i,j]")
        return MatEntry("", m, _indices(cur))
    if name in SPECTRAL:     # fm(f, X)[i,j], eigval(X)[k], eigvec(X)[i,k], divdiff(f, v)[p,q]
        m = MCall(name, tuple(arguments(cur, name, SIGNATURES[name], functions)))
        if not cur.at("["):
            raise cur.error(f"{name}(...) must be indexed, as in {name}(...)[i,j]")
        return MatEntry("", m, _indices(cur))
    if name == "dim":
        cur.expect("(", "expected '(' after dim")
        d = dimension(cur)
        cur.expect(")", "dim() takes one dimension, as in dim(n)")
        return Dim(d)
    if name in MATRIX_SCALAR:
        m = arguments(cur, name, "e", functions)[0]
        return MatScalar(name, m)
    if name in MATRIX_VALUED:
        m = arguments(cur, name, "e", functions)[0]
        if not cur.at("["):
            raise cur.error(f"{name}(...) must be indexed, as in {name}(X)[i,j]")
        return MatEntry(name, m, _indices(cur))
    if name in ("D", "d"):
        names = arguments(cur, name, "nnn" if name == "D" else "n", functions, required=1)
        indices = _indices(cur) if cur.at("[") else ()
        if name == "d":
            return Differential(names[0], indices)
        # D(g, u) is ∂g/∂u; D(f, x, x) the second derivative (by holds "x,x")
        return Deriv(names[0], indices, by=",".join(names[1:]))
    if name in SIGNATURES:
        raise cur.error(f"'{name}' is matrix notation; index a group, as in ({name}(...))[i,j]",
                        t)
    raise cur.error(f"unknown function '{name}'", t)


def _integral(cur: Cursor, functions: frozenset[str]) -> Integral:
    """At '(' after integral: `integral(v, lo, hi, body)` (an extension), the integral of body
    over the real scalar v from lo to hi; v is one lowercase letter, optionally followed by
    digits; the bounds are numbers, the upper one may be `inf`."""
    usage = ("integral needs a variable, two constant bounds and a body, as in "
             "integral(a, 0, 1, ...)")
    cur.expect("(", "expected '(' after integral")
    v = cur.next()
    if not (v.kind == "name" and not v.primes and is_index(v.text)) or not cur.accept(","):
        raise cur.error(usage, v)
    bounds = []
    for k in range(2):
        if cur.at(")") or cur.at(","):
            raise cur.error(usage)
        t = cur.peek()
        if k == 1 and t.kind == "name" and t.text == "inf" and not t.primes \
                and cur.peek(1).text in (",", ")"):
            cur.next()
            bounds.append(sympy.oo)
        else:
            value = _constant(_expr(cur, functions))
            if value is None:
                raise cur.error("the bounds of an integral are numbers (the upper one may be "
                                "inf)", t)
            bounds.append(value)
        if not cur.accept(","):
            raise cur.error(usage)
    if cur.at(")"):
        raise cur.error(usage)
    body = _expr(cur, functions)
    if not cur.accept(")"):
        raise cur.unexpected(" in the arguments of integral()")
    if not bounds[0] < bounds[1]:
        raise cur.error("the lower bound of an integral must be below the upper one", v)
    return Integral(v.text, Num(bounds[0]), Num(bounds[1]), body)


def _constant(e: Expr):
    """The value of a number written as a Num, a product of Nums (-1) or a ratio; else None."""
    if isinstance(e, Num):
        return e.value
    if isinstance(e, Mul):
        out = sympy.Integer(1)
        for f in e.factors:
            v = _constant(f)
            if v is None:
                return None
            out *= v
        return out
    if isinstance(e, Pow):
        b, x = _constant(e.base), _constant(e.exp)
        return None if b is None or x is None or b == 0 else b ** x
    return None


def _arity(cur: Cursor) -> int:
    """At '(': the number of top-level arguments of the call."""
    start, end = cur.pos, cur.closing[cur.pos]
    count, depth = 1, 0
    for t in cur.tokens[start + 1:end]:
        if t.kind == "op" and t.text in "([":
            depth += 1
        elif t.kind == "op" and t.text in ")]":
            depth -= 1
        elif t.kind == "op" and t.text == "," and depth == 0:
            count += 1
    return count


def _indices(cur: Cursor) -> tuple[str, ...]:
    cur.expect("[", "expected '['")
    out = []
    while True:
        t = cur.next()
        if not (t.kind == "name" and not t.primes and is_index(t.text)):
            raise cur.error("expected an index name (a lowercase letter, optionally followed "
                            "by digits)", t)
        out.append(t.text)
        if not cur.accept(","):
            break
    cur.expect("]", "expected ']' after indices")
    return tuple(out)
