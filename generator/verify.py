"""Verify one entry: the engine's derivation, three levels of proof, and every printed form.

An entry passes only if the numeric level passes and the general or the exact level does,
every hint holds, every unmarked claim holds and every claim marked erratum fails.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from .canonical import equal
from .derive import DeriveError, differential, differentiate
from .exact import exact_check, exact_check_complex
from .forms import (FormCheck, carry, check_form, check_of_hint, derived_candidates, rank_forms,
                    symmetric_names, Oracle)
from .expr import Expr, MExpr
from .layouts import LAYOUTS
from .model import Claim, Entry
from .numeric import NumericRun, is_complex, numeric_check, numeric_check_complex
from .powers import PowerError, assignments, checked_text, expand, instance, integer_names
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
    if is_complex(entry):
        return _verify_complex(entry, stage, exact_always)
    if integer_names(entry.symbols):
        return _verify_powers(entry, stage)
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
        exact = _exact_level(ok, why, sizes)
    stage[0] = "numeric"
    run, cases = numeric_check(entry)
    res = Result(entry, general, exact, run, derived, text)
    if not run.passed:
        res.failures.append(_numeric_failure(run.worst, run.tolerance, run.note, text))
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
    hints = _judge_claims(res, lambda form, layout: check_form(entry, cases, form, layout))
    exprs = [entry.derivative] + ([derived] if derived is not None else [])
    dims = _dims(entry, exprs)
    derived_forms = {layout: derived_candidates(entry, layout, exprs, dims) for layout in LAYOUTS}
    for layout in LAYOUTS:
        res.layouts[layout] = choose_form(entry, cases, layout, hints, derived_forms, dims)
    return res


def _verify_complex(entry: Entry, stage: list[str], exact_always: bool = False) -> Result:
    """An entry with complex symbols (an extension) states a differential, kept with d(X)
    atoms (entry.derivative): the general level compares it with the engine's differential
    in canonical form (conj atoms); the numeric level checks it along E_K and i E_K
    (numeric_check_complex); the exact level, where the general one does not prove it, with
    real SymPy symbols for real and imaginary parts (exact_check_complex). There is no
    derivative tensor to lay out, so no layout form and no claim is checked."""
    sym = symmetric_names(entry)
    try:
        derived, display = simplify(differential(entry.of, entry.wrt[0], entry.symbols),
                                    entry.lhs_indices, entry.symbols, sym)
        text = index_text(display)
        same = equal(derived, entry.derivative, entry.lhs_indices, entry.symbols, sym)
        general = Level("passed" if same else "not proven",
                        "" if same else "the canonical forms differ")
    except DeriveError as e:
        derived, text, general = None, "", Level("out of reach", str(e))
    stage[0] = "exact"
    if general.status == "passed" and not exact_always:
        exact = Level("not run", "the general level proved the claim for all sizes")
    else:
        ok, why, sizes = exact_check_complex(entry)
        exact = _exact_level(ok, why, sizes)
    stage[0] = "numeric"
    run = numeric_check_complex(entry)
    res = Result(entry, general, exact, run, derived, text)
    if not run.passed:
        res.failures.append(_numeric_failure(run.worst, run.tolerance, run.note, text))
        return res
    if general.status != "passed" and exact.status != "passed":
        res.failures.append(f"neither the general ({general.status}: {general.detail}) nor the "
                            f"exact level ({exact.status}: {exact.detail}) proves the claim"
                            + (f"; the engine derives {text}" if text else ""))
    if entry.claims or entry.of_hint is not None:
        res.failures.append("claims and hints are not checked for an entry with complex "
                            "symbols; state the differential only")
    for layout in LAYOUTS:
        res.layouts[layout] = LayoutForm(None, None, "none", None)
    return res


def _verify_powers(entry: Entry, stage: list[str]) -> Result:
    """An entry with integer symbols (mpow, sum over a range): the general level has no rule
    for a symbolic exponent; the exact and numeric levels and every printed form are checked
    at each exponent of powers.EXPONENTS, on the entry expanded there (powers.instance)."""
    checked = checked_text(entry.symbols)
    general = Level("out of reach", "a matrix power with a symbolic exponent (mpow) or a sum "
                                    "over an integer range has no rule at the general level; "
                                    "the exact and numeric levels are " + checked)
    runs = [(values, instance(entry, values)) for values in assignments(entry.symbols)]
    stage[0] = "exact"
    verdicts = []
    for values, inst in runs:
        ok, why, sizes = exact_check(inst)
        verdicts.append((values, ok, why, sizes))
    sizes = dict(verdicts[0][3]) if verdicts else {}
    for name in integer_names(entry.symbols):
        sizes[name] = [v[name] for v, *_ in verdicts]
    bad = next((v for v in verdicts if v[1] is False), None) or next(
        (v for v in verdicts if v[1] is None), None)
    if bad is None:
        exact = Level("passed", checked, sizes)
    else:
        at = ", ".join(f"{k} = {x}" for k, x in sorted(bad[0].items()))
        exact = Level("failed" if bad[1] is False else "not proven", f"at {at}: {bad[2]}", sizes)
    stage[0] = "numeric"
    samples, groups, worst, passed, note = [], [], None, True, ""
    for values, inst in runs:
        run, cases = numeric_check(inst)
        samples += [dict(rec, sizes={**rec["sizes"], **values}) for rec in run.samples]
        groups.append((inst, cases, values))
        if run.worst is not None and (worst is None or run.worst["error"] > worst["error"]
                                      or not run.passed):
            worst = dict(run.worst, sizes={**run.worst["sizes"], **values})
        if not run.passed:
            passed, note = False, run.note
            break
    tol = run.tolerance if runs else 0.0
    numeric = NumericRun(passed, tol, tuple(samples), worst,
                         note or ("at each exponent of the exact level" if passed else ""))
    res = Result(entry, general, exact, numeric, None, "")
    if not passed:
        res.failures.append(_numeric_failure(worst, tol, note))
        return res
    if exact.status != "passed":
        res.failures.append(f"neither the general ({general.status}) nor the exact level "
                            f"({exact.status}: {exact.detail}) proves the claim")

    def check(form: MExpr, layout: str) -> FormCheck:
        worst_err = 0.0
        for inst, cases, values in groups:
            try:
                chk = check_form(inst, cases, expand(form, values, entry.symbols), layout)
            except PowerError as e:
                return FormCheck(False, float("inf"), str(e))
            if not chk.holds:
                at = ", ".join(f"{k} = {x}" for k, x in sorted(values.items()))
                return FormCheck(False, chk.error, f"at {at}: {chk.note}".rstrip(": "))
            worst_err = max(worst_err, chk.error)
        return FormCheck(True, worst_err)

    stage[0] = "layout"
    if entry.of_hint is not None:
        worst_err, holds, why = 0.0, True, ""
        for inst, cases, values in groups:
            chk = check_of_hint(inst, cases, inst.of_hint[1])
            worst_err, holds, why = max(worst_err, chk.error), holds and chk.holds, chk.note
        res.of_hint = FormCheck(holds, worst_err, why)
        if not holds:
            res.failures.append(f"matrix hint of: '{entry.of_hint[0]}' does not equal the "
                                f"function {entry.of_text} {why}".rstrip())
    hints = _judge_claims(res, check)
    dims = _dims(entry, [entry.derivative])
    derived_forms = {}
    for layout in LAYOUTS:
        try:
            derived_forms[layout] = derived_candidates(entry, layout, [entry.derivative], dims)
        except (ValueError, TypeError, AttributeError):
            derived_forms[layout] = []
    for layout in LAYOUTS:
        res.layouts[layout] = choose_form(entry, None, layout, hints, derived_forms, dims, check)
    return res


def _exact_level(ok: bool | None, why: str, sizes) -> Level:
    """The exact level's record from its verdict (True, False, or None: undecided)."""
    return Level("passed" if ok else ("failed" if ok is False else "not proven"), why, sizes)


def _numeric_failure(worst: dict | None, tolerance: float, note: str, text: str = "") -> str:
    """The failure line of the numeric level: where it failed, and the engine's own form."""
    w = worst or {}
    where = ""
    if w:
        where = (f" at sizes {w['sizes']}, seed {w['seed']}: largest relative error "
                 f"{w['error']:.3g} (tolerance {tolerance:g})")
        at = w.get("index", {})
        if at.get("at") is not None:
            where += (f", T{list(at['at'].values())} claimed {at['claimed']:.6g}, "
                      f"numeric {at['numeric']:.6g}")
    return (f"numeric level failed{where}{'; ' + note if note else ''}"
            + (f"; the engine derives {text}" if text else ""))


def _judge_claims(res: Result, check) -> dict[str, Claim]:
    """Check every hint and claim of the entry with `check(form, layout)`, recording each
    and a failure where a hint fails, a claim fails unmarked, or an erratum holds; returns
    the hints by layout."""
    for c in res.entry.claims:
        chk = check(c.form, c.layout)
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
    return {c.layout: c for c in res.entry.claims if c.hint}


def _why(chk: FormCheck) -> str:
    return chk.note or f"largest relative error {chk.error:.3g}"


def choose_form(entry: Entry, cases, layout: str, hints: dict[str, Claim],
                derived_forms: dict[str, list[MExpr]], dims, check=None) -> LayoutForm:
    """The first hint that holds, else the smallest derived form that holds (derived in this
    layout, or derived in another and carried over by the layout rules). `check(form,
    layout)` replaces check_form(entry, cases, ...) (for entries with integer symbols)."""
    check = check or (lambda form, lay: check_form(entry, cases, form, lay))
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
        chk = check(form, layout)
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
