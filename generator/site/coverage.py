"""What the catalogue covers of the standard references, for the coverage page: every row of
Wikipedia's ten identity tables and every derivative equation of the Matrix Cookbook's
section 2, each with the entries that state it or the reason it is not yet stated.

The Wikipedia rows come from coverage/wikipedia-matrix-calculus.yaml (a copy of the shared
transcription, so the site builds without it); the reasons from coverage/*-not-covered.yaml.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml

FOLDER = Path("coverage")
WIKIPEDIA = "wikipedia-matrix-calculus.yaml"
COOKBOOK_EQS = range(33, 145)      # section 2, "Derivatives", of the 2012-11-15 version
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Item:
    """One row or equation: the entries stating it, and the reason given where it is listed."""
    label: str
    expression: str                  # LaTeX from the transcription ('' for the Cookbook)
    entries: tuple[str, ...]
    reason: str

    @property
    def status(self) -> str:
        if self.entries and self.reason:
            return "partly"
        return "covered" if self.entries else ("listed" if self.reason else "missing")


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    items: tuple[Item, ...]

    def count(self, status: str) -> int:
        return sum(i.status == status for i in self.items)


@dataclass(frozen=True)
class Coverage:
    wikipedia: tuple[Group, ...]
    cookbook: Group

    @property
    def wikipedia_rows(self) -> int:
        return sum(len(g.items) for g in self.wikipedia)


def _read(name: str) -> dict:
    path = FOLDER / name
    return (yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}) \
        if path.is_file() else {}


def load_coverage(results: Sequence) -> Coverage | None:
    """The coverage of the entries verified, or None where the transcription is absent."""
    ref = _read(WIKIPEDIA)
    if not ref:
        return None
    cited: dict[tuple, list[str]] = {}
    for r in results:
        for s in r.entry.sources:
            if s.get("ref") == "wikipedia-matrix-calculus" and "row" in s:
                cited.setdefault((s.get("table"), s["row"]), []).append(r.entry.id)
            elif s.get("ref") == "matrix-cookbook-2012" and "eq" in s:
                cited.setdefault(("cookbook", s["eq"]), []).append(r.entry.id)
    reasons = {(x.get("table"), x.get("row")): str(x.get("reason", ""))
               for x in _read("not-yet-covered.yaml").get("rows") or []}
    reasons |= {("cookbook", x.get("eq")): str(x.get("reason", ""))
                for x in _read("cookbook-not-covered.yaml").get("rows") or []}

    def item(key: tuple, label: str, expression: str = "") -> Item:
        return Item(label, expression, tuple(sorted(set(cited.get(key, ())))),
                    reasons.get(key, ""))
    groups = []
    for t in ref.get("tables") or []:
        rows = [i for i in ref.get("identities") or [] if i.get("table") == t["id"]]
        groups.append(Group(t["id"], str(t.get("caption") or t["id"]), tuple(
            item((t["id"], i["row"]), f"row {i['row']}", str(i.get("expression") or ""))
            for i in sorted(rows, key=lambda i: i["row"]))))
    cookbook = Group("matrix-cookbook-2012", "The Matrix Cookbook, section 2, eqs. 33–144",
                     tuple(item(("cookbook", n), f"eq. {n}") for n in sorted(
                         set(COOKBOOK_EQS) | {k[1] for k in cited if k[0] == "cookbook"})))
    return Coverage(tuple(groups), cookbook)
