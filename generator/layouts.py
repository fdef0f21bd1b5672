"""Where each layout puts the entries of T[I, K] (LAYOUTS.md), as row and column indices.

One rule table serves every use: arranging a numeric tensor for a check, placing an inner
D(u) in the layout of the form it appears in, and choosing the target of a matrix form.
Row and column groups of more than one index are vec-ordered: the first index runs fastest.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .model import LAYOUTS


def placement(f_rank: int, v_ranks: Sequence[int], layout: str) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """Positions (into T's axes: function's, then each variable's) that form rows and columns,
    or None where the layout gives no matrix (a second derivative of a non-scalar)."""
    f = tuple(range(f_rank))
    if len(v_ranks) == 2:          # second derivative of a scalar: the same in every layout
        if f_rank and not any(v_ranks):
            return placement(f_rank, [0], layout)   # by two scalars: laid out as by one
        if f_rank:
            return None
        a = tuple(range(v_ranks[0]))
        return a, tuple(range(v_ranks[0], v_ranks[0] + v_ranks[1]))
    v = tuple(range(f_rank, f_rank + v_ranks[0]))
    num: tuple[tuple[int, ...], tuple[int, ...]]
    if f_rank == 0 and len(v) == 2:          # scalar-by-matrix: numerator by X^T
        num = ((v[1],), (v[0],))
        den = ((v[0],), (v[1],))
        return num if layout == "numerator" else den
    if f_rank == 2 and not v:                # matrix-by-scalar: numerator by Y
        num = ((0,), (1,))
        return ((1,), (0,)) if layout == "denominator" else num
    num = (f, v)
    if layout == "denominator":
        return v, f
    if layout == "mixed" and f_rank == 0 and len(v) == 1:   # gradient shaped like x
        return v, f
    return num


def arrange(t: np.ndarray, f_rank: int, v_ranks: Sequence[int], layout: str) -> np.ndarray | None:
    """T (axes in index order) laid out as a 2-D array; a scalar is 1 x 1."""
    place = placement(f_rank, v_ranks, layout)
    if place is None:
        return None
    rows, cols = place
    t = np.asarray(t)
    moved = np.transpose(t, rows + cols) if t.ndim else t.reshape(())
    r = int(np.prod([t.shape[i] for i in rows])) if rows else 1
    c = int(np.prod([t.shape[i] for i in cols])) if cols else 1
    return np.reshape(moved, (r, c), order="F")


def same_arrangement(f_rank: int, v_ranks: Sequence[int], a: str, b: str) -> bool:
    return placement(f_rank, v_ranks, a) == placement(f_rank, v_ranks, b)


def transposed_arrangement(f_rank: int, v_ranks: Sequence[int], a: str, b: str) -> bool:
    pa, pb = placement(f_rank, v_ranks, a), placement(f_rank, v_ranks, b)
    return pa is not None and pb is not None and pa == (pb[1], pb[0]) and pa != pb


__all__ = ["LAYOUTS", "placement", "arrange", "same_arrangement", "transposed_arrangement"]
