"""Rewriting matrix-notation trees: transposes, layout changes of inner D(u), tidy sums.

Used to print textbook forms: a transpose is pushed into products where that leaves fewer
transposes, a symmetric symbol absorbs its transpose, and common left or right factors of a
sum are pulled out ((A + A.T) @ x rather than A @ x + A.T @ x).
"""
from __future__ import annotations

from typing import Callable

import sympy

from .expr import MBin, MCall, MD, MDim, MExpr, MNeg, MNum, MSym, MT

SAME_UNDER_T = {"eye", "det", "tr"}
ELEMENTWISE_LIKE = {"exp", "log", "sqrt", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "abs"}


def count_t(e: MExpr) -> int:
    if isinstance(e, MT):
        return 1 + count_t(e.arg)
    if isinstance(e, (MBin,)):
        return count_t(e.left) + count_t(e.right)
    if isinstance(e, MNeg):
        return count_t(e.arg)
    if isinstance(e, MCall):
        return sum(count_t(a) for a in e.args)
    return 0


def size(e: MExpr) -> int:
    if isinstance(e, MBin):
        return 1 + size(e.left) + size(e.right)
    if isinstance(e, (MNeg, MT)):
        return 1 + size(e.arg)
    if isinstance(e, MCall):
        return 1 + sum(size(a) for a in e.args)
    return 1


def push_t(e: MExpr, is_scalar: Callable[[MExpr], bool], symmetric: frozenset[str]) -> MExpr:
    """e.T with the transpose moved inwards as far as it goes."""
    if is_scalar(e):
        return e
    if isinstance(e, MT):
        return e.arg
    if isinstance(e, MSym):
        return e if e.name in symmetric else MT(e)
    if isinstance(e, MNeg):
        return MNeg(push_t(e.arg, is_scalar, symmetric))
    if isinstance(e, MBin):
        a, b = e.left, e.right
        if e.op == "@":
            return MBin("@", push_t(b, is_scalar, symmetric), push_t(a, is_scalar, symmetric))
        return MBin(e.op, push_t(a, is_scalar, symmetric), push_t(b, is_scalar, symmetric))
    if isinstance(e, MCall):
        if e.func == "eye" or (e.func == "diag" and is_column(e.args[0], is_scalar)):
            return e
        if e.func in ("inv", "adj", "expm", "logm") and isinstance(e.args[0], MSym) \
                and e.args[0].name in symmetric:
            return e
        if e.func == "kron":
            return MCall("kron", tuple(push_t(a, is_scalar, symmetric) for a in e.args))
        if e.func in ELEMENTWISE_LIKE or e.order:
            return MCall(e.func, (push_t(e.args[0], is_scalar, symmetric),), e.order)
        if e.func in ("inv", "adj", "expm", "logm"):
            inner = e.args[0]
            if isinstance(inner, MT):
                return MCall(e.func, (inner.arg,))
    return MT(e)


def is_column(e: MExpr, is_scalar) -> bool:
    """Whether e is an n x 1 column; `is_scalar` carries the shape oracle's `column` too."""
    return getattr(is_scalar, "column", lambda x: False)(e)


def transpose(e: MExpr, is_scalar, symmetric: frozenset[str]) -> MExpr:
    """The transpose of e, printed with as few transposes as possible."""
    pushed = push_t(e, is_scalar, symmetric)
    wrapped = MT(e) if not is_scalar(e) else e
    return pushed if count_t(pushed) <= count_t(wrapped) else wrapped


def map_d(e: MExpr, fn: Callable[[MD], MExpr]) -> MExpr:
    """Replace every D(...) by fn(D)."""
    if isinstance(e, MD):
        return fn(e)
    if isinstance(e, MBin):
        return MBin(e.op, map_d(e.left, fn), map_d(e.right, fn))
    if isinstance(e, MNeg):
        return MNeg(map_d(e.arg, fn))
    if isinstance(e, MT):
        inner = map_d(e.arg, fn)
        return inner.arg if isinstance(inner, MT) else MT(inner)
    if isinstance(e, MCall):
        return MCall(e.func, tuple(map_d(a, fn) for a in e.args), e.order)
    return e


def tidy(e: MExpr, is_scalar, symmetric: frozenset[str]) -> MExpr:
    """Double transposes removed, transposes pushed where that saves some, and common
    factors of sums pulled out."""
    if isinstance(e, MT):
        inner = tidy(e.arg, is_scalar, symmetric)
        return transpose(inner, is_scalar, symmetric)
    if isinstance(e, MNeg):
        inner = tidy(e.arg, is_scalar, symmetric)
        return inner.arg if isinstance(inner, MNeg) else MNeg(inner)
    if isinstance(e, MBin):
        a, b = tidy(e.left, is_scalar, symmetric), tidy(e.right, is_scalar, symmetric)
        if e.op in "+-":
            return _factor_sum(MBin(e.op, a, b))
        if e.op == "*" and isinstance(a, MNum) and a.value == 1:
            return b
        return MBin(e.op, a, b)
    if isinstance(e, MCall):
        return MCall(e.func, tuple(tidy(a, is_scalar, symmetric) for a in e.args), e.order)
    return e


def _chain(e: MExpr) -> list[MExpr]:
    if isinstance(e, MBin) and e.op == "@":
        return _chain(e.left) + _chain(e.right)
    return [e]


def _join(parts: list[MExpr]) -> MExpr:
    out = parts[0]
    for p in parts[1:]:
        out = MBin("@", out, p)
    return out


def _factor_sum(e: MBin) -> MExpr:
    a, b = _chain(e.left), _chain(e.right)
    if len(a) > 1 and len(b) > 1 and a[-1] == b[-1]:
        return MBin("@", MBin(e.op, _join(a[:-1]), _join(b[:-1])), a[-1])
    if len(a) > 1 and len(b) > 1 and a[0] == b[0]:
        return MBin("@", a[0], MBin(e.op, _join(a[1:]), _join(b[1:])))
    return e


def scale(c: sympy.Expr, e: MExpr) -> MExpr:
    if c == 1:
        return e
    if c == -1:
        return MNeg(e)
    if c < 0:
        return MNeg(scale(-c, e))
    num, den = sympy.fraction(c)
    out = e if num == 1 else MBin("*", MNum(num), e)
    return out if den == 1 else MBin("/", out, MNum(den))


__all__ = ["transpose", "tidy", "map_d", "size", "count_t", "scale", "MDim"]
