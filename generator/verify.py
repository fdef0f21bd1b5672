"""Verify one entry: the engine's derivation, three levels of proof, and every printed form.

An entry passes only if the numeric level passes and the general or the exact level does,
every hint holds, every unmarked claim holds and every claim marked erratum fails.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from .canonical import equal
from .derive import DeriveError, differentiate
from .exact import exact_check
from .forms import (FormCheck, carry, check_form, check_of_hint, derived_candidates, rank_forms,
                    symmetric_names, Oracle)
from .expr import Expr, MExpr
from .layouts import LAYOUTS
from .model import Claim, Entry
from .numeric import NumericRun, numeric_check
from .printing import index_text, matrix_text
from .simplify import simplify
from .to_matrix import Target
from .expr import Sum
from .treeops import walk


EXACT_ALWAYS = os.environ.get("MCR_EXACT_ALWAYS", "") not in ("", "0")


@dataclass(frozen=True)
class Level:
    status: str            # passed | not proven | failed | out of reach | not run
    detail: str = ""
    sizes: dict | None = None


@dataclass(frozen=True)
class LayoutForm:
    form: MExpr | None
    text: str | None
    origin: str            # hint | carried hint | derived | none
    check: FormCheck | None


@dataclass
class Result:
    entry: Entry
    general: Level
    exact: Level
    numeric: NumericRun
    derived: Expr | None = None
    derived_text: str = ""
    layouts: dict[str, LayoutForm] = field(default_factory=dict)
    claims: list[tuple[Claim, FormCheck]] = field(default_factory=list)
    of_hint: FormCheck | None = None
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0           # wall time of this entry's verification

    @property
    def passed(self) -> bool:
        return not self.failures


def derive_entry(entry: Entry):
    """The engine's derivative (resolved, display), or a DeriveError."""
    d = entry.of
    for v in entry.wrt:
        d = differentiate(d, v, entry.symbols)
    return simplify(d, entry.free, entry.symbols, symmetric_names(entry))


def verify_entry(entry: Entry, limit: float = 0, exact_always: bool = EXACT_ALWAYS) -> Result:
    """The entry's full record; if `limit` seconds run out, a failure naming the level."""
    from .run import OutOfTime, time_limit
    stage = ["general"]
    try:
        with time_limit(limit):
            return _verify(entry, stage, exact_always)
    except OutOfTime:
        res = Result(entry, Level("not run"), Level("not run"), NumericRun(False, 0.0, (), None))
        res.failures.append(f"time limit of {limit:g} s ran out during the {stage[0]} level")
        return res
    except Exception as e:      # a defect of the engine must not stop the other entries
        res = Result(entry, Level("not run"), Level("not run"), NumericRun(False, 0.0, (), None))
        res.failures.append(f"engine error during the {stage[0]} level ({type(e).__name__}: "
                            f"{e}); this is a defect of the generator, please report it")
        return res


def _verify(entry: Entry, stage: list[str], exact_always: bool) -> Result:
    sym = symmetric_names(entry)
    try:
        derived, display = derive_entry(entry)
        text = index_text(display)
        same = equal(derived, entry.derivative, entry.free, entry.symbols, sym)
        general = Level("passed" if same else "not proven",
                        "" if same else "the canonical forms differ")
    except DeriveError as e:
        derived, text, general = None, "", Level("out of reach", str(e))
    stage[0] = "exact"
    if general.status == "passed" and not exact_always:
        # the general proof covers every size; the exact level (the costliest) adds nothing
        # to the verdict, so it runs only where the general level did not prove the claim
        why, exact = "", Level("not run", "the general level proved the claim for all sizes")
    else:
        ok, why, sizes = exact_check(entry)
        exact = Level("passed" if ok else ("failed" if ok is False else "not proven"), why,
                      sizes)
    stage[0] = "numeric"
    run, cases = numeric_check(entry)
    res = Result(entry, general, exact, run, derived, text)
    if not run.passed:
        w = run.worst or {}
        where = ""
        if w:
            at = w.get("index", {})
            where = (f" at sizes {w['sizes']}, seed {w['seed']}: largest relative error "
                     f"{w['error']:.3g} (tolerance {run.tolerance:g})")
            if at.get("at") is not None:
                where += (f", T{list(at['at'].values())} claimed {at['claimed']:.6g}, "
                          f"numeric {at['numeric']:.6g}")
        res.failures.append(f"numeric level failed{where}{'; ' + run.note if run.note else ''}"
                            + (f"; the engine derives {text}" if text else ""))
        return res
    if general.status != "passed" and exact.status != "passed":
        res.failures.append(f"neither the general ({general.status}: {general.detail}) nor the "
                            f"exact level ({exact.status}: {why}) proves the claim"
                            + (f"; the engine derives {text}" if text else ""))
    stage[0] = "layout"
    if entry.of_hint is not None:
        res.of_hint = check_of_hint(entry, cases, entry.of_hint[1])
        if not res.of_hint.holds:
            res.failures.append(f"matrix hint of: '{entry.of_hint[0]}' does not equal the "
                                f"function {entry.of_text} {res.of_hint.note}".rstrip())
    hints = {c.layout: c for c in entry.claims if c.hint}
    for c in entry.claims:
        chk = check_form(entry, cases, c.form, c.layout)
        res.claims.append((c, chk))
        if c.hint and not chk.holds:
            res.failures.append(f"matrix hint {c.layout}: '{c.text}' does not hold "
                                f"({_why(chk)})")
        elif not c.hint and c.erratum and chk.holds:
            res.failures.append(f"claim of {c.source} ({c.layout}: '{c.text}') is marked "
                                "erratum but holds")
        elif not c.hint and not c.erratum and not chk.holds:
            res.failures.append(f"claim of {c.source} ({c.layout}: '{c.text}') does not hold "
                                f"({_why(chk)}); mark it erratum: true if the source is wrong")
    exprs = [entry.derivative] + ([derived] if derived is not None else [])
    dims = _dims(entry, exprs)
    derived_forms = {layout: derived_candidates(entry, layout, exprs, dims) for layout in LAYOUTS}
    for layout in LAYOUTS:
        res.layouts[layout] = choose_form(entry, cases, layout, hints, derived_forms, dims)
    return res


def _why(chk: FormCheck) -> str:
    return chk.note or f"largest relative error {chk.error:.3g}"


def choose_form(entry: Entry, cases, layout: str, hints: dict[str, Claim],
                derived_forms: dict[str, list[MExpr]], dims) -> LayoutForm:
    """The first hint that holds, else the smallest derived form that holds (derived in this
    layout, or derived in another and carried over by the layout rules)."""
    target = Target(entry, layout, dims)
    oracle = Oracle(target)
    tried: list[tuple[str, MExpr]] = []
    if layout in hints:
        tried.append(("hint", hints[layout].form))
    for src, c in hints.items():
        if src != layout:
            try:
                tried.append(("carried hint", carry(entry, c.form, src, layout, oracle)))
            except (KeyError, ValueError):
                pass
    candidates = list(derived_forms[layout])
    for src, forms in derived_forms.items():
        if src != layout:
            candidates += [carry(entry, m, src, layout, oracle) for m in forms]
    tried += [("derived", m) for m in rank_forms(candidates)]
    for origin, form in tried:
        chk = check_form(entry, cases, form, layout)
        if chk.holds:
            return LayoutForm(form, matrix_text(form), origin, chk)
    return LayoutForm(None, None, "none", None)


def _dims(entry: Entry, exprs=()) -> dict[str, str]:
    dims = dict(entry.index_dims)
    for tree in (entry.derivative, *exprs):
        for n in walk(tree):
            if isinstance(n, Sum) and n.dim:
                dims[n.index] = n.dim
    return dims
