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
ELEMENTWISE_LIKE = {"exp", "log", "sqrt", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "abs",
                    "conj"}


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


def push_t(e: MExpr, is_scalar: Callable[[MExpr], bool], symmetric: frozenset[str],
           sums: bool = False) -> MExpr:
    """e.T with the transpose moved inwards; into sums only if `sums` (at the top of a row
    gradient, where textbooks transpose term by term, not inside a product)."""
    if is_scalar(e):
        return e
    if isinstance(e, MT):
        return e.arg
    if isinstance(e, MSym):
        return e if e.name in symmetric else MT(e)
    if isinstance(e, MNeg):
        return MNeg(push_t(e.arg, is_scalar, symmetric, sums))
    if isinstance(e, MBin):
        a, b = e.left, e.right
        if e.op == "@":
            return MBin("@", push_t(b, is_scalar, symmetric), push_t(a, is_scalar, symmetric))
        if e.op in "+-" and not sums:
            return MT(e)
        return MBin(e.op, push_t(a, is_scalar, symmetric, sums),
                    push_t(b, is_scalar, symmetric, sums))
    if isinstance(e, MCall):
        if e.func == "eye" or (e.func == "diag" and is_column(e.args[0], is_scalar)):
            return e
        if e.func in ("inv", "adj", "expm", "logm", "sinm", "cosm") \
                and isinstance(e.args[0], MSym) and e.args[0].name in symmetric:
            return e
        if e.func == "kron":
            return MCall("kron", tuple(push_t(a, is_scalar, symmetric) for a in e.args))
        if e.func in ("inv", "adj", "expm", "logm", "sinm", "cosm"):
            inner = e.args[0]
            if isinstance(inner, MT):
                return MCall(e.func, (inner.arg,))
    return MT(e)


def is_column(e: MExpr, is_scalar) -> bool:
    """Whether e is an n x 1 column; `is_scalar` carries the shape oracle's `column` too."""
    return getattr(is_scalar, "column", lambda x: False)(e)


def transpose(e: MExpr, is_scalar, symmetric: frozenset[str], top: bool = False) -> MExpr:
    """The transpose of e, printed with as few transposes as possible; at the top of a form
    a sum is transposed term by term."""
    if isinstance(e, MNeg):
        return MNeg(transpose(e.arg, is_scalar, symmetric, top))
    if top and isinstance(e, MBin) and _is_sum(e):
        return tidy(push_t(e, is_scalar, symmetric, sums=True), is_scalar, symmetric)
    pushed = push_t(e, is_scalar, symmetric)
    parts = _chain(e)
    if 1 < len(parts) <= 4 and all(_atomic(p) for p in parts):
        return pushed            # (A @ B).T reads A.T-style in textbooks: B.T @ A.T
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
    """The textbook spelling of e: no double transposes, products as flat chains with the
    scalars in front and identities dropped, common factors of sums pulled out."""
    if isinstance(e, MT):
        inner = tidy(e.arg, is_scalar, symmetric)
        return transpose(inner, is_scalar, symmetric)
    if isinstance(e, MNeg):
        inner = tidy(e.arg, is_scalar, symmetric)
        return inner.arg if isinstance(inner, MNeg) else MNeg(inner)
    if isinstance(e, MBin):
        a, b = tidy(e.left, is_scalar, symmetric), tidy(e.right, is_scalar, symmetric)
        if e.op in "+-":
            if e.op == "+" and isinstance(b, MNeg):
                return _factor_sum(MBin("-", a, b.arg))
            if e.op == "+" and count_t(a) > count_t(b):
                a, b = b, a
            return _factor_sum(MBin(e.op, a, b))
        if e.op == "*":
            if isinstance(a, MNum) and a.value == 1:
                return b
            if isinstance(a, MNum) and a.value == -1:
                return MNeg(b)
            if isinstance(a, MBin) and a.op == "/" and isinstance(a.left, MNum) \
                    and a.left.value == 1 and is_scalar(a.right):
                return MBin("/", b, a.right)      # (1 / s) * X is X / s
            if is_scalar(a) and not is_scalar(b):
                return _scaled_chain(a, b, is_scalar, symmetric)
            if isinstance(b, MNum) and not isinstance(a, MNum):
                return tidy(MBin("*", b, a), is_scalar, symmetric)
        if e.op == "@":
            return _tidy_chain(_chain(a) + _chain(b), is_scalar, symmetric)
        return MBin(e.op, a, b)
    if isinstance(e, MCall):
        return MCall(e.func, tuple(tidy(a, is_scalar, symmetric) for a in e.args), e.order)
    return e


def _atomic(m: MExpr) -> bool:
    """A symbol, its inverse or derivative, possibly transposed."""
    if isinstance(m, MT):
        m = m.arg
    if isinstance(m, MCall) and m.func in ("inv", "adj") and isinstance(m.args[0], MSym):
        return True
    return isinstance(m, (MSym, MD))


def _is_sum(m: MExpr) -> bool:
    while isinstance(m, MNeg):
        m = m.arg
    return isinstance(m, MBin) and m.op in "+-"


def _is_identity(m: MExpr) -> bool:
    if isinstance(m, MCall) and m.func == "eye":
        return True
    return isinstance(m, MCall) and m.func == "kron" and all(_is_identity(a) for a in m.args)


def _tidy_chain(parts: list[MExpr], is_scalar, symmetric) -> MExpr:
    flat: list[MExpr] = []
    scalars: list[MExpr] = []
    for p in parts:
        if isinstance(p, MT) and isinstance(p.arg, MBin) and p.arg.op == "@":
            flat += _chain(push_t(p.arg, is_scalar, symmetric))
        elif isinstance(p, MNeg):
            scalars.append(MNum(sympy.Integer(-1)))
            flat += _chain(p.arg)
        elif isinstance(p, MBin) and p.op == "*" and is_scalar(p.left) and not is_scalar(p.right):
            scalars.append(p.left)
            flat += _chain(p.right)
        else:
            flat.append(p)
    kept = [p for p in flat if not _is_identity(p)] or flat[:1]
    out = _join(kept)
    for s in reversed(scalars):
        out = MNeg(out) if isinstance(s, MNum) and s.value == -1 else _scaled_chain(s, out, is_scalar, symmetric)
    return out


def _scaled_chain(s: MExpr, m: MExpr, is_scalar, symmetric) -> MExpr:
    """s * (A @ B) printed as s * A @ B (same value; NumPy reads it left to right)."""
    if isinstance(m, MNeg):
        return MNeg(_scaled_chain(s, m.arg, is_scalar, symmetric))
    if isinstance(s, MNum) and s.value == 0:
        return MBin("*", s, m)         # a zero array reads as one piece: 0 * (ones(m) @ ...)
    parts = _chain(m)
    if len(parts) > 1:
        return _join([MBin("*", s, parts[0])] + parts[1:])
    return MBin("*", s, m)


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
