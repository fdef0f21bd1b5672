"""Matrix powers with a symbolic integer exponent (an extension of NOTATION.md).

A symbol declared `integer: positive` (n = 1, 2, 3, ...) may be the exponent of `mpow(M, e)`
and a bound of the finite sum `sum(r, lo, hi, body)`; e, lo and hi are integer expressions:
integers, integer symbols, summation variables, `+`, `-` and `*`. Inside body, r is also an
integer scalar (a factor `r * ...`, an argument `c(r)` of a declared scalar function, which
writes a coefficient sequence c_r), never an index. No level proves such an
entry for every n: it is checked at the exponents EXPONENTS, each by expanding mpow into
products and each range sum into its terms (`instance`), which leaves notation version 1
that every level already knows.
"""
from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import Mapping

import sympy

from .expr import (Add, Comp, Delta, Deriv, Differential, MatEntry, MBin, MCall, MDim, MExpr,
                   MNeg, MNum, MSym, Mul, Num, RangeSum)
from .model import Entry, Symbol
from .shapes import ShapeError, shape_of
from .treeops import children, leaf_indices, rebuild

EXPONENTS = (1, 2, 3, 4)      # each integer symbol takes these values in turn
MAX_POWER = 64                # an expanded exponent beyond this is refused


class PowerError(ValueError):
    pass


def integer_names(symbols: Mapping[str, Symbol]) -> tuple[str, ...]:
    return tuple(sorted(n for n, s in symbols.items() if s.integer))


def assignments(symbols: Mapping[str, Symbol]) -> list[dict[str, int]]:
    """The exponent values checked: every integer symbol at each of EXPONENTS together."""
    names = integer_names(symbols)
    return [{n: k for n in names} for k in EXPONENTS] if names else []


def checked_text(symbols: Mapping[str, Symbol]) -> str:
    """What the record says was checked: the exponents, and that this is not a proof."""
    names = integer_names(symbols)
    values = ", ".join(map(str, EXPONENTS))
    return (f"checked at {' = '.join(names)} = {values} only: a check at these exponents, "
            f"not a proof for every {names[0]}")


# --- integer expressions --------------------------------------------------------------------

def _int_value(e, values: Mapping[str, int]) -> int:
    """The value of an integer expression (matrix or index notation)."""
    if isinstance(e, (MNum, Num)):
        if not e.value.is_Integer:
            raise PowerError(f"{e.value} is not an integer")
        return int(e.value)
    if isinstance(e, MSym) or (isinstance(e, Comp) and not e.indices):
        if e.name not in values:
            raise PowerError(f"'{e.name}' is not an integer symbol or a summation variable")
        return values[e.name]
    if isinstance(e, MNeg):
        return -_int_value(e.arg, values)
    if isinstance(e, MBin) and e.op in "+-*":
        a, b = _int_value(e.left, values), _int_value(e.right, values)
        return a + b if e.op == "+" else a - b if e.op == "-" else a * b
    if isinstance(e, Add):
        return sum(_int_value(t, values) for t in e.terms)
    if isinstance(e, Mul):
        out = 1
        for f in e.factors:
            out *= _int_value(f, values)
        return out
    raise PowerError("an exponent or a bound must be an integer expression (integers, integer "
                     "symbols, summation variables, + - *)")


def _check_int(e, names: frozenset[str], where: str, out: list[str]) -> None:
    try:
        _int_value(e, {n: 1 for n in names})
    except PowerError as err:
        msg = f"{where}: {err}"
        if msg not in out:
            out.append(msg)


def integer_problems(tree, symbols: Mapping[str, Symbol]) -> list[str]:
    """Problems with the exponents of mpow and the bounds of range sums in a tree."""
    out: list[str] = []
    names = frozenset(integer_names(symbols))

    def visit(node, bound: frozenset[str]) -> None:
        if isinstance(node, MCall) and node.func == "mpow":
            _check_int(node.args[1], bound, "mpow() exponent", out)
            visit(node.args[0], bound)
            return
        if isinstance(node, (RangeSum, MCall)) and _is_range(node):
            var, lo, hi, body = _parts(node)
            if var in symbols:
                out.append(f"sum over '{var}': the name is a declared symbol")
            _check_int(lo, bound, "sum() bound", out)
            _check_int(hi, bound, "sum() bound", out)
            visit(body, bound | {var})
            return
        ranged = bound - names
        used = set(leaf_indices(node)) if isinstance(node, (Comp, Delta, Deriv, Differential,
                                                             MatEntry)) else set()
        for r in sorted(used & ranged):
            msg = (f"'{r}' is a summation variable over a range: use it in exponents, bounds "
                   "and as a scalar (a factor, an argument of a function), not as an index")
            if msg not in out:
                out.append(msg)
        for child in _children(node):
            visit(child, bound)

    visit(tree, names)
    return out


def uses_powers(tree) -> bool:
    return any(_is_power(n) or isinstance(n, RangeSum) for n in _walk(tree))


def _is_power(n) -> bool:
    return isinstance(n, MCall) and n.func in ("mpow", "sum")


def _is_range(n) -> bool:
    return isinstance(n, RangeSum) or (isinstance(n, MCall) and n.func == "sum"
                                        and len(n.args) == 4 and isinstance(n.args[0], MSym))


def _parts(n):
    if isinstance(n, RangeSum):
        return n.var, n.lo, n.hi, n.body
    return n.args[0].name, n.args[1], n.args[2], n.args[3]


def _children(node) -> list:
    out = []
    if not is_dataclass(node):
        return out
    for f in fields(node):
        v = getattr(node, f.name)
        for c in (v if isinstance(v, tuple) else (v,)):
            if is_dataclass(c):
                out.append(c)
    return out


def _walk(node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack += _children(n)


# --- expansion at concrete exponents --------------------------------------------------------

def expand(node, values: Mapping[str, int], symbols: Mapping[str, Symbol]):
    """`node` (index or matrix notation) with integer symbols replaced by their values, mpow
    by products (M^0 the identity) and range sums by their terms."""
    if isinstance(node, MSym) and node.name in values:
        return MNum(sympy.Integer(values[node.name]))
    if isinstance(node, Comp) and not node.indices and node.name in values:
        return Num(sympy.Integer(values[node.name]))
    if isinstance(node, MCall) and node.func == "mpow":
        base = expand(node.args[0], values, symbols)
        k = _int_value(node.args[1], values)
        if not 0 <= k <= MAX_POWER:
            raise PowerError(f"mpow() exponent {k} at {_show(values)} is not 0 to {MAX_POWER}")
        if k == 0:
            try:
                rows = shape_of(node.args[0], symbols)[0]
            except ShapeError as err:
                raise PowerError(str(err)) from None
            return MCall("eye", (MDim(str(rows)),))
        out = base
        for _ in range(k - 1):
            out = MBin("@", out, base)
        return out
    if _is_range(node):
        var, lo, hi, body = _parts(node)
        a, b = _int_value(lo, values), _int_value(hi, values)
        if b - a > MAX_POWER:
            raise PowerError(f"sum over {var} = {a}..{b} has too many terms")
        terms = [expand(body, {**values, var: v}, symbols) for v in range(a, b + 1)]
        if isinstance(node, RangeSum):
            if not terms:
                return Num(sympy.Integer(0))
            return terms[0] if len(terms) == 1 else Add(tuple(terms))
        if not terms:
            return MBin("*", MNum(sympy.Integer(0)), expand(body, {**values, var: a}, symbols))
        out = terms[0]
        for t in terms[1:]:
            out = MBin("+", out, t)
        return out
    if not is_dataclass(node):
        return node
    changes = {}
    for f in fields(node):
        v = getattr(node, f.name)
        if isinstance(v, tuple):
            new = tuple(expand(c, values, symbols) if is_dataclass(c) else c for c in v)
        elif is_dataclass(v):
            new = expand(v, values, symbols)
        else:
            continue
        if new != v:
            changes[f.name] = new
    return replace(node, **changes) if changes else node


def differential_as_derivative(e, var):
    """T from a differential linear in d(X): each d(X)[a,b] becomes delta[a,k] * delta[b,l]
    for the variable X[k,l] (whose indices must not occur in e)."""
    if isinstance(e, Differential):
        ds = tuple(Delta(a, k) for a, k in zip(e.indices, var.indices))
        return ds[0] if len(ds) == 1 else Mul(ds) if ds else Num(sympy.Integer(1))
    kids = children(e)
    return rebuild(e, [differential_as_derivative(k, var) for k in kids]) if kids else e


def _show(values: Mapping[str, int]) -> str:
    return ", ".join(f"{k} = {v}" for k, v in sorted(values.items()))


def instance(entry: Entry, values: Mapping[str, int]) -> Entry:
    """The entry at concrete exponents: notation version 1 only, integer symbols dropped."""
    symbols = {n: s for n, s in entry.symbols.items() if not s.integer}

    def ex(tree):
        return expand(tree, values, entry.symbols)
    claims = tuple(replace(c, form=ex(c.form)) for c in entry.claims)
    of_hint = (entry.of_hint[0], ex(entry.of_hint[1])) if entry.of_hint else None
    return replace(entry, symbols=symbols, of=ex(entry.of), derivative=ex(entry.derivative),
                   derivative_display=ex(entry.derivative_display), claims=claims,
                   of_hint=of_hint)


def expand_form(form: MExpr, values: Mapping[str, int], symbols) -> MExpr:
    return expand(form, values, symbols)


__all__ = ["EXPONENTS", "PowerError", "assignments", "checked_text", "expand", "expand_form",
           "instance", "integer_names", "integer_problems", "uses_powers"]
