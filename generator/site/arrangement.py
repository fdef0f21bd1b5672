"""Which indices of T[I, K] become rows and which columns, in each layout, and the shape
of the result: the placement rules of generator.layouts, described for readers."""
from __future__ import annotations

from dataclasses import dataclass
from math import prod
from typing import Sequence

from ..layouts import placement, same_arrangement, transposed_arrangement
from ..model import LAYOUTS, Entry

TIMES = "×"


def size_text(dims: Sequence[str]) -> str:
    """The size of a group of axes: `1`, `n`, `pq`, `6`, `p·q2`."""
    if not dims:
        return "1"
    if all(d.isdigit() for d in dims):
        return str(prod(int(d) for d in dims))
    return ("" if all(len(d) == 1 for d in dims) else "·").join(dims)


def shape_text(rows: Sequence[str], cols: Sequence[str]) -> str:
    return f"{size_text(rows)} {TIMES} {size_text(cols)}"


def symbol_shape_text(shape: Sequence[str]) -> str:
    """A symbol's shape as a matrix: scalars are 1 × 1, vectors columns."""
    if not shape:
        return "scalar"
    return shape_text(shape[:1], shape[1:])


@dataclass(frozen=True)
class Arrangement:
    layout: str
    rows: tuple[str, ...]          # index names, vec-ordered (the first runs fastest)
    cols: tuple[str, ...]
    row_dims: tuple[str, ...]
    col_dims: tuple[str, ...]
    same_as: tuple[str, ...]       # other layouts with this arrangement
    transpose_of: tuple[str, ...]  # other layouts whose arrangement this one transposes

    @property
    def shape(self) -> str:
        return shape_text(self.row_dims, self.col_dims)


def arrangements(f_indices: Sequence[str], v_indices: Sequence[Sequence[str]],
                 dims: dict[str, str]) -> dict[str, Arrangement | None]:
    """Each layout's arrangement of T, whose axes are `f_indices` then each variable's
    indices; None where the layout has no matrix form."""
    f_rank, v_ranks = len(f_indices), [len(v) for v in v_indices]
    axes = tuple(f_indices) + tuple(i for v in v_indices for i in v)
    out: dict[str, Arrangement | None] = {}
    for layout in LAYOUTS:
        place = placement(f_rank, v_ranks, layout)
        if place is None:
            out[layout] = None
            continue
        rows = tuple(axes[p] for p in place[0])
        cols = tuple(axes[p] for p in place[1])
        others = [o for o in LAYOUTS if o != layout]
        out[layout] = Arrangement(
            layout, rows, cols, tuple(dims[i] for i in rows), tuple(dims[i] for i in cols),
            tuple(o for o in others if same_arrangement(f_rank, v_ranks, layout, o)),
            tuple(o for o in others if transposed_arrangement(f_rank, v_ranks, layout, o)))
    return out


def entry_arrangements(entry: Entry) -> dict[str, Arrangement | None]:
    return arrangements(entry.lhs_indices, [v.indices for v in entry.wrt],
                        dict(entry.index_dims))
