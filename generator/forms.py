"""The matrix form of an entry in each layout, and the numeric check of every printed form.

Candidates come from the entry's hints (in their own layout, or carried to another layout
by the layout rules), and from the engine's conversion of the declared and of the simplified
index form. Each is checked numerically against the index form laid out in that layout; the
first hint that holds wins, otherwise the smallest derived form that holds.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import sympy

from .evaluate import Env, evaluate_index, evaluate_matrix
from .expr import Expr, MExpr, MT
from .layouts import LAYOUTS, arrange, placement, same_arrangement, transposed_arrangement
from .matrix_ops import count_t, map_d, size, tidy, transpose
from .model import Claim, Entry
from .numeric import Case, claim_value, index_sizes, relative_error
from .powers import expand
from .shapes import ONE, ShapeError
from .to_matrix import Converter, NoForm, Target

FORM_TOLERANCE = 1e-9


@dataclass(frozen=True)
class FormCheck:
    holds: bool
    error: float
    note: str = ""


def v_ranks(entry: Entry) -> list[int]:
    return [entry.symbols[v.name].rank for v in entry.wrt]


def check_form(entry: Entry, cases: Sequence[Case], form: MExpr, layout: str) -> FormCheck:
    """Does `form` equal T laid out in `layout` at every sample?"""
    worst = 0.0
    for case in cases:
        point = {v.name: case.constants[v.name] for v in entry.wrt}
        env = case.env(point)
        env = Env(env.values, env.derivs, env.functions, env.dims, case.deriv_matrices(env, layout))
        want = arrange(claim_value(case), entry.function_rank, v_ranks(entry), layout)
        if want is None:
            return FormCheck(False, float("inf"), "no matrix form in this layout")
        note = _shape_problem(entry, layout, form, case.sizes, want.shape)
        if note:        # refused before evaluating: a wrong shape, or an absurd size
            return FormCheck(False, float("inf"), note)
        try:
            with np.errstate(all="ignore"):
                # a form with mpow or a range sum: expanded at this case's exponents
                got = evaluate_matrix(expand(form, case.exponents, entry.symbols)
                                      if case.exponents else form, env)
        except (ValueError, KeyError, np.linalg.LinAlgError) as e:
            return FormCheck(False, float("inf"), f"cannot evaluate: {e}")
        if got.shape != want.shape:
            return FormCheck(False, float("inf"), f"shape {got.shape[0]}x{got.shape[1]}, "
                                                   f"expected {want.shape[0]}x{want.shape[1]}")
        err = relative_error(got, want)
        worst = max(worst, err)
        if not err <= FORM_TOLERANCE:
            return FormCheck(False, err)
    return FormCheck(True, worst)


def _shape_problem(entry: Entry, layout: str, form: MExpr, sizes, want) -> str:
    try:
        shape = Target(entry, layout, dict(entry.index_dims)).shape(form)
    except (ShapeError, NoForm, KeyError) as e:
        return f"shape: {e}"
    subs = {sympy.Symbol(k, positive=True, integer=True): v for k, v in sizes.items()}
    got = tuple(int(sympy.sympify(x).subs(subs)) if not sympy.sympify(x).subs(subs).free_symbols
                else -1 for x in shape)
    if got != tuple(want):
        return f"shape {got[0]}x{got[1]}, expected {want[0]}x{want[1]}"
    return ""


def check_of_hint(entry: Entry, cases: Sequence[Case], form: MExpr) -> FormCheck:
    worst = 0.0
    for case in cases:
        env = case.env({v.name: case.constants[v.name] for v in entry.wrt})
        want = evaluate_index(entry.of, env, entry.lhs_indices, index_sizes(entry, case.sizes))
        try:
            got = evaluate_matrix(form, env)
        except (ValueError, KeyError, np.linalg.LinAlgError) as e:
            return FormCheck(False, float("inf"), f"cannot evaluate: {e}")
        want = np.asarray(want, dtype=float)
        if want.ndim < 2 or 1 in got.shape:     # a row function is read as a column
            got, want = got.reshape(-1), want.reshape(-1)
        if got.shape != want.shape:
            return FormCheck(False, float("inf"), "shape differs from the function's")
        worst = max(worst, relative_error(got, want))
    return FormCheck(worst <= FORM_TOLERANCE, worst)


class Oracle:
    """Shapes of matrix forms in one layout, for printing decisions."""

    def __init__(self, target: Target):
        self.target = target

    def shape(self, m: MExpr):
        try:
            return self.target.shape(m)
        except (ShapeError, KeyError, NoForm):
            return None

    def __call__(self, m: MExpr) -> bool:
        return self.shape(m) == (ONE, ONE)

    def column(self, m: MExpr) -> bool:
        s = self.shape(m)
        return s is not None and s[1] == ONE


def symmetric_names(entry: Entry) -> frozenset[str]:
    return frozenset(n for n, s in entry.symbols.items() if s.symmetric)


def carry(entry: Entry, form: MExpr, src: str, dst: str, oracle: Oracle) -> MExpr:
    """A form in layout src rewritten for layout dst by the layout rules."""
    def inner(d):
        by = d.by.split(",") if d.by else [entry.wrt[0].name]
        f = entry.symbols[d.name].rank
        vr = [entry.symbols[b].rank for b in by]
        return d if same_arrangement(f, vr, src, dst) else MT(d)
    out = map_d(form, inner)
    if transposed_arrangement(entry.function_rank, v_ranks(entry), src, dst):
        out = transpose(out, oracle, symmetric_names(entry), top=True)
    return tidy(out, oracle, symmetric_names(entry))


def derived_candidates(entry: Entry, layout: str, exprs: Sequence[Expr], dims) -> list[MExpr]:
    place = placement(entry.function_rank, v_ranks(entry), layout)
    if place is None:
        return []
    free = entry.free
    rows, cols = [free[p] for p in place[0]], [free[p] for p in place[1]]
    target = Target(entry, layout, dims)
    conv = Converter(target)
    oracle = Oracle(target)
    out = []
    for e in exprs:
        try:
            if len(rows) <= 1 and len(cols) <= 1:
                m = conv.convert(e, rows[0] if rows else None, cols[0] if cols else None)
            else:
                from .kron_form import kron_form
                m = kron_form(conv, e, rows, cols)
            out.append(tidy(m, oracle, symmetric_names(entry)))
        except (NoForm, ShapeError, KeyError):
            continue
    return out


def rank_forms(forms: list[MExpr]) -> list[MExpr]:
    seen, out = set(), []
    for f in sorted(forms, key=lambda m: (size(m), count_t(m))):
        if f not in seen:
            seen.add(f)
            out.append(f)
    return out


__all__ = ["check_form", "check_of_hint", "carry", "derived_candidates", "rank_forms", "Oracle",
           "LAYOUTS", "Claim"]
