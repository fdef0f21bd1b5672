"""Shape diagrams (SVG) for every kind of derivative in every layout, from the same placement
rules the engine uses. Plain SVG: a generic font family, no external resources."""
from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from ..model import LAYOUTS
from .arrangement import Arrangement, arrangements

# The shapes of LAYOUTS.md: x, y are columns of length n, m; X is p×q; Y is m×n.
F_SHAPES = {"scalar": ((), ()), "vector": (("i",), ("m",)), "matrix": (("i", "j"), ("m", "n"))}
V_SHAPES = {"scalar": ((), ()), "vector": (("k",), ("n",)), "matrix": (("k", "l"), ("p", "q"))}
SECOND = {"vector": (("l",), ("n",)), "matrix": (("r", "s"), ("p", "q"))}


@dataclass(frozen=True)
class Kind:
    name: str
    function: str
    variable: str
    second: bool = False

    @property
    def title(self) -> str:
        if self.second:
            return f"Second derivative of a scalar by one {self.variable} (Hessian)"
        return f"{self.function.capitalize()} by {self.variable}"

    def arrangements(self) -> dict[str, Arrangement | None]:
        f_idx, f_dims = F_SHAPES[self.function]
        v_idx, v_dims = V_SHAPES[self.variable]
        vs = [v_idx]
        dims = dict(zip(f_idx, f_dims)) | dict(zip(v_idx, v_dims))
        if self.second:
            s_idx, s_dims = SECOND[self.variable]
            vs.append(s_idx)
            dims |= dict(zip(s_idx, s_dims))
        return arrangements(f_idx, vs, dims)


KINDS = [Kind(f"{f}-by-{v}", f, v) for f in ("scalar", "vector", "matrix")
         for v in ("scalar", "vector", "matrix")]
KINDS += [Kind(f"scalar-by-{v}-by-{v}", "scalar", v, True) for v in ("vector", "matrix")]

STROKE, FILL, TEXT = "#3f51b5", "#3f51b51f", "#555"


def _length(dims: tuple[str, ...]) -> int:
    return {0: 14, 1: 46, 2: 80}[len(dims)]


def _label(indices: tuple[str, ...]) -> str:
    return ", ".join(indices) if indices else "\u2014"


def svg(kind: Kind, layout: str) -> str | None:
    """The diagram of `kind` in `layout`, or None where the layout has no matrix form."""
    a = kind.arrangements()[layout]
    if a is None:
        return None
    w, h = _length(a.col_dims), _length(a.row_dims)
    x0, y0 = 66, 30
    width, height = max(x0 + w + 8, 150), y0 + h + 24
    title = (f"{kind.title}, {layout} layout: {a.shape}; rows indexed by {_label(a.rows)}, "
             f"columns by {_label(a.cols)}")
    inside = h >= 40 and w >= 44          # the shape's label fits in the box, else below it
    shape_x, shape_y = (x0 + w / 2, y0 + h / 2 + 4) if inside else (x0, y0 + h + 16)
    anchor = "middle" if inside else "start"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="{FILL}" stroke="{STROKE}" '
        'stroke-width="1.5"/>',
        f'<g font-family="sans-serif" font-size="12" fill="{TEXT}">',
        f'<text x="{x0}" y="{y0 - 10}">columns: {escape(_label(a.cols))}</text>',
        f'<text x="{x0 - 8}" y="{y0 + h / 2 + 4}" text-anchor="end">rows: '
        f"{escape(_label(a.rows))}</text>",
        f'<text x="{shape_x}" y="{shape_y}" text-anchor="{anchor}" font-weight="bold">'
        f"{escape(a.shape)}</text>",
        "</g>",
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def all_diagrams() -> dict[str, str]:
    """File name -> SVG text, for every kind and layout that has a matrix form."""
    out = {}
    for kind in KINDS:
        for layout in LAYOUTS:
            text = svg(kind, layout)
            if text is not None:
                out[f"{kind.name}-{layout}.svg"] = text
    return out
