"""Catalogue coverage, counted from the files: Wikipedia rows, Cookbook equations, entries.

The figures printed here are the ones the README quotes.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "reference" / "wikipedia-matrix-calculus.yaml"


def _entries():
    for path in sorted((ROOT / "identities").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        for e in data.get("entries") or []:
            yield data["table"], e


def _listed(name: str) -> list[dict]:
    path = ROOT / "coverage" / name
    return (yaml.safe_load(path.read_text()) or {}).get("rows", []) if path.exists() else []


def wikipedia_rows() -> set[tuple[str, int]]:
    ref = yaml.safe_load(REFERENCE.read_text())
    return {(r["table"], r["row"]) for r in ref["identities"]}


def covered_rows() -> set[tuple[str, int]]:
    return {(s["table"], s["row"]) for _, e in _entries() for s in e.get("sources") or []
            if s.get("ref") == "wikipedia-matrix-calculus" and "row" in s}


def test_every_wikipedia_row_is_covered_or_listed(capsys):
    rows = wikipedia_rows()
    covered = covered_rows() & rows
    listed = {(r["table"], r["row"]) for r in _listed("not-yet-covered.yaml")}
    missing = sorted(rows - covered - listed)
    per_table = Counter(t for t, _ in covered)
    cookbook = {s["eq"] for _, e in _entries() for s in e.get("sources") or []
                if s.get("ref") == "matrix-cookbook-2012" and "eq" in s}
    tables = Counter(t for t, _ in _entries())
    with capsys.disabled():
        print(f"\ncoverage: {len(covered)} of {len(rows)} Wikipedia rows covered by entries, "
              f"{len(listed - covered)} listed as not yet covered; "
              f"{len(cookbook)} Matrix Cookbook equations cited; "
              f"{sum(tables.values())} entries in {len(tables)} tables")
        print("  Wikipedia rows covered per table: "
              + ", ".join(f"{t} {n}" for t, n in sorted(per_table.items())))
        print("  entries per table: " + ", ".join(f"{t} {n}" for t, n in sorted(tables.items())))
    assert not missing, missing


def test_first_three_tables_are_complete():
    """Wikipedia's vector-by-vector (11), scalar-by-vector (20) and vector-by-scalar (9)."""
    covered = covered_rows()
    for table, n in (("vector-by-vector", 11), ("scalar-by-vector", 20), ("vector-by-scalar", 9)):
        assert {(table, r) for r in range(1, n + 1)} <= covered, table


def test_listed_rows_give_a_reason():
    for name in ("not-yet-covered.yaml", "cookbook-not-covered.yaml"):
        for r in _listed(name):
            assert r.get("reason"), r


def test_every_entry_has_a_name_and_sources_or_tags():
    for _, e in _entries():
        assert e.get("name"), e["id"]
