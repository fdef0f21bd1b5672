"""Mutation testing of the verifier: false variants of every catalogue entry are refused.

For each entry the declared index form is mutated (one factor transposed, the result's
indices swapped, a term dropped, a sign flipped, a factor scaled by 2) and each printed
layout form is transposed. A variant that is numerically the same function as the original
(a transpose of a symmetric matrix, say) is equivalent, excluded and counted; every other
variant must be refused by the same comparisons `verify` makes. The kill rate must be 100%.
"""
from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from generator import cache
from generator.catalogue import load_catalogue
from generator.expr import Add, Comp, Deriv, Differential, Expr, MatEntry, MT, Mul, Num
from generator.forms import FORM_TOLERANCE, check_form
from generator.numeric import TOLERANCE, claim_error, is_complex, numeric_check
from generator.treeops import children, rebuild, rename
from generator.verify import verify_entry

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT = 1e-9


@lru_cache(maxsize=1)
def catalogue():
    entries, problems = load_catalogue([str(ROOT / "identities")])
    assert not problems, problems
    return entries


def _swap_leaf(e: Expr) -> Expr | None:
    if isinstance(e, (Comp, MatEntry)) and len(e.indices) == 2 and len(set(e.indices)) == 2:
        return dataclasses.replace(e, indices=e.indices[::-1])
    if isinstance(e, (Deriv, Differential)) and len(e.indices) == 2 and len(set(e.indices)) == 2:
        return dataclasses.replace(e, indices=e.indices[::-1])
    return None


def _leaf_variants(e: Expr):
    """Every tree with one leaf's two indices swapped (one factor transposed)."""
    swapped = _swap_leaf(e)
    if swapped is not None:
        yield swapped
    kids = children(e)
    for k, kid in enumerate(kids):
        for v in _leaf_variants(kid):
            yield rebuild(e, list(kids[:k]) + [v] + list(kids[k + 1:]))


def _terms(e: Expr):
    return list(e.terms) if isinstance(e, Add) else [e]


def variants(entry) -> list[tuple[str, Expr]]:
    d = entry.derivative
    out = [("scaled by 2", Mul((Num(2), d))), ("sign flipped", Mul((Num(-1), d)))]
    out += [("factor transposed", v) for v in _leaf_variants(d)]
    free = entry.free
    for a in range(len(free)):
        for b in range(a + 1, len(free)):
            i, k = free[a], free[b]
            if entry.index_dims[i] == entry.index_dims[k]:
                out.append(("result indices swapped",
                            rename(rename(rename(d, i, "zz9"), k, i), "zz9", k)))
    terms = _terms(d)
    if len(terms) > 1:
        for n in range(len(terms)):
            rest = terms[:n] + terms[n + 1:]
            out.append(("term dropped", rest[0] if len(rest) == 1 else Add(tuple(rest))))
            flipped = terms[:n] + [Mul((Num(-1), terms[n]))] + terms[n + 1:]
            out.append(("one term's sign flipped", Add(tuple(flipped))))
    return out


def _mutate_entry(entry, cases, tol):
    killed = equivalent = 0
    survivors = []
    for what, v in variants(entry):
        errs = [claim_error(c, v) for c in cases]
        same = [claim_error(c, entry.derivative) for c in cases]
        if all(np.isfinite(errs)) and max(abs(e - s) for e, s in zip(errs, same)) <= EQUIVALENT \
                and max(errs) <= tol:
            equivalent += 1
        elif max(errs) > tol:
            killed += 1
        else:
            survivors.append(what)
    return killed, equivalent, survivors


def _mutate_complex(entry):
    """An entry with complex symbols states a differential (d(X) atoms) and has no tensor T:
    each variant of it is checked as the entry would be (numeric_check_complex)."""
    killed = 0
    survivors = []
    for what, v in variants(entry):
        run, _ = numeric_check(dataclasses.replace(entry, derivative=v))
        if run.passed:
            survivors.append(what)
        else:
            killed += 1
    return killed, 0, survivors


def _mutate_forms(entry, result, cases):
    killed = equivalent = 0
    survivors = []
    for layout, lf in result.layouts.items():
        if lf.form is None:
            continue
        t = MT(lf.form)
        chk = check_form(entry, cases, t, layout)
        if chk.holds:
            equivalent += 1          # a symmetric (or 1 x 1) result: its transpose is itself
        else:
            killed += 1
    return killed, equivalent, survivors


def test_every_false_variant_is_refused(capsys):
    totals = {"killed": 0, "equivalent": 0}
    survivors = []
    for entry in catalogue():
        run, cases = numeric_check(entry)
        assert run.passed, entry.id
        result = cache.load(entry) or verify_entry(entry)
        for fn in ((_mutate_complex(entry),) if is_complex(entry) else (
                _mutate_entry(entry, cases, TOLERANCE[len(entry.wrt)]),
                _mutate_forms(entry, result, cases))):
            k, e, s = fn
            totals["killed"] += k
            totals["equivalent"] += e
            survivors += [f"{entry.id}: {w}" for w in s]
    total = totals["killed"] + len(survivors)
    rate = 100.0 * totals["killed"] / total if total else 100.0
    with capsys.disabled():
        print(f"\nmutation testing: {totals['killed']} of {total} non-equivalent variants "
              f"refused (kill rate {rate:.1f}%), {totals['equivalent']} equivalent variants "
              f"excluded, {len(catalogue())} entries")
    assert not survivors, survivors
    assert total > 5 * len(catalogue())


@pytest.mark.parametrize("bad, message", [
    ("scaled by 2", "every entry gives a scaled variant"),
])
def test_variants_include_each_kind(bad, message):
    entry = next(e for e in catalogue() if e.id == "vv-linear-map")
    kinds = {w for w, _ in variants(entry)}
    assert {"scaled by 2", "sign flipped", "factor transposed"} <= kinds, message
    assert bad in kinds


def test_a_small_perturbation_is_refused():
    """A correct result perturbed by 1e-3 relative in one component is refused."""
    entry = next(e for e in catalogue() if e.id == "vv-linear-map")
    run, cases = numeric_check(entry)
    case = cases[0]
    from generator.numeric import claim_value, relative_error
    t = np.array(claim_value(case), dtype=float)
    k = np.unravel_index(int(np.argmax(np.abs(t))), t.shape)
    t[k] *= 1 + 1e-3
    assert relative_error(t, case.t_num) > TOLERANCE[1]
    assert FORM_TOLERANCE < TOLERANCE[1]
