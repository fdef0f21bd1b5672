"""`verify.verify_entry` on the shared examples (valid ones pass; each wrong one fails, the
failure naming the check that failed) and on every entry of the project's catalogue.

The catalogue is large, so the entries the selected tests need are verified once, in a pool
of worker processes (one per core), each within the time limit the command line applies, and
each test asserts on its entry's summary. Its cost grows with the catalogue.
"""
from __future__ import annotations

import os
import traceback
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest

from generator.catalogue import load_catalogue
from generator.run import TIME_LIMIT
from generator import cache
from generator.verify import verify_entry

EXAMPLES = Path("/work/shared/examples")
CATALOGUE = Path(__file__).resolve().parent.parent / "identities"


def entries_of(path: Path):
    entries, problems = load_catalogue([str(path)])
    assert problems == [], problems
    return entries


VALID = entries_of(EXAMPLES / "valid")
WRONG = entries_of(EXAMPLES / "wrong")
IDENTITIES = entries_of(CATALOGUE)

# what each wrong example's failure must say (NOTATION.md: "rejected with a clear message
# naming the entry and the failed check")
FAILED_CHECK = {
    "wrong-transposed-jacobian": "numeric level failed",
    "wrong-quadratic-missing-term": "numeric level failed",
    "wrong-symmetric-shortcut": "numeric level failed",
    "wrong-log-det-transposed": "numeric level failed",
    "wrong-inverse-sign": "numeric level failed",
    "wrong-chain-rule-order": "numeric level failed",
    "wrong-softmax-sign": "numeric level failed",
    "wrong-hint": "matrix hint numerator: 'A.T' does not hold",
    "wrong-unmarked-claim": "claim of example-note (denominator: 'A') does not hold",
    "wrong-erratum-that-holds": "claim of example-note (numerator: 'A') is marked erratum but holds",
}
CHECK_WORDS = ("numeric level", "general", "exact level", "matrix hint", "claim of")


def test_examples_and_catalogue_are_not_empty():
    assert len(VALID) >= 20 and len(WRONG) >= 10 and len(IDENTITIES) >= 40


GROUPS = {"valid": VALID, "wrong": WRONG, "catalogue": IDENTITIES}


def summary(key: tuple[str, int]) -> dict:
    """What the tests read of verify_entry's result (plain data, to cross processes)."""
    group, index = key
    try:   # the limit `python -m generator verify` applies (generator/run.py, MCR_TIME_LIMIT)
        # the cache `python -m generator verify` fills (make test runs it first) is keyed by the
        # entry and the engine's source, so a hit is the same result verified afresh
        entry = GROUPS[group][index]
        r = cache.load(entry)
        if r is None:
            r = verify_entry(entry, TIME_LIMIT)
            cache.store(r)
    except Exception:                     # reported by the test, not lost in the pool
        return {"error": traceback.format_exc()}
    return {"failures": list(r.failures), "passed": r.passed, "numeric": r.numeric.passed,
            "general": r.general.status, "exact": r.exact.status,
            "layouts": {k: (lf.form is None, lf.text is None) for k, lf in r.layouts.items()}}


@pytest.fixture(scope="module")
def verified(request) -> dict:
    wanted = sorted({(item.callspec.params["group"], item.callspec.params["index"])
                     for item in request.session.items
                     if item.module is request.module and hasattr(item, "callspec")
                     and "group" in item.callspec.params})
    workers = min(os.cpu_count() or 1, len(wanted)) or 1
    if workers == 1:
        return {k: summary(k) for k in wanted}
    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
        return dict(zip(wanted, pool.map(summary, wanted, chunksize=1)))


def params(group: str):
    return pytest.mark.parametrize("group, index", [(group, i) for i in range(len(GROUPS[group]))],
                                   ids=[e.id for e in GROUPS[group]])


def result(verified, group, index) -> dict:
    r = verified[(group, index)]
    assert "error" not in r, r.get("error")
    return r


def assert_verified(r: dict) -> None:
    assert r["failures"] == []
    assert r["passed"] and r["numeric"]
    assert "passed" in (r["general"], r["exact"])
    assert set(r["layouts"]) == {"numerator", "denominator", "mixed"}
    assert all(no_form == no_text for no_form, no_text in r["layouts"].values())


@params("valid")
def test_valid_example_verifies(verified, group, index):
    assert_verified(result(verified, group, index))


@params("wrong")
def test_wrong_example_fails_naming_the_check(verified, group, index):
    entry = WRONG[index]
    r = result(verified, group, index)
    assert not r["passed"] and r["failures"]
    if entry.id in FAILED_CHECK:
        assert any(FAILED_CHECK[entry.id] in f for f in r["failures"]), r["failures"]
    else:       # an example added after this test was written
        assert any(w in f for f in r["failures"] for w in CHECK_WORDS), r["failures"]


def test_every_wrong_example_has_its_check_listed():
    assert {e.id for e in WRONG} >= set(FAILED_CHECK)


def test_numeric_failure_gives_the_counterexample():
    (entry,) = [e for e in WRONG if e.id == "wrong-transposed-jacobian"]
    (message,) = verify_entry(entry).failures
    for part in ("at sizes {'n': ", "seed ", "largest relative error", "tolerance 1e-07",
                 "claimed", "numeric", "the engine derives A[i,k]"):
        assert part in message


@params("catalogue")
def test_catalogue_entry_verifies(verified, group, index):
    assert_verified(result(verified, group, index))
