"""The published references (references.yaml): citation data and the layout each uses."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..model import LAYOUTS

REFERENCES_FILE = Path(__file__).with_name("references.yaml")
URL_RE = re.compile(r"^https?://[^\s<>()\[\]\"'`]+$")
FIELDS = {"ref", "short", "title", "author", "year", "publisher", "url", "layout", "usage"}


@dataclass(frozen=True)
class Reference:
    ref: str
    short: str
    title: str
    author: str = ""
    year: str = ""
    publisher: str = ""
    url: str = ""
    layout: tuple[str, ...] = ()
    usage: str = ""

    def citation(self) -> str:
        """One line of plain text: author, title, publisher, year."""
        parts = [self.author, f"“{self.title}”", self.publisher, self.year]
        return ", ".join(p for p in parts if p) + "."


def load_references(path: Path = REFERENCES_FILE) -> dict[str, Reference]:
    """Every reference by its id; a malformed file raises ValueError naming the problem."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: dict[str, Reference] = {}
    for n, item in enumerate(data.get("references") or [], 1):
        where = f"{path}: reference {n}"
        if not isinstance(item, dict) or not {"ref", "short", "title"} <= set(item):
            raise ValueError(f"{where}: needs ref, short and title")
        unknown = set(item) - FIELDS
        if unknown:
            raise ValueError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        layout = tuple(item.get("layout") or ())
        bad = [x for x in layout if x not in LAYOUTS]
        if bad:
            raise ValueError(f"{where}: unknown layout(s) {', '.join(map(str, bad))}")
        if "url" in item and not URL_RE.match(str(item["url"])):
            raise ValueError(f"{where}: url must be an http(s) address")
        if item["ref"] in out:
            raise ValueError(f"{where}: duplicate ref {item['ref']}")
        out[item["ref"]] = Reference(**{k: str(v) for k, v in item.items() if k != "layout"},
                                     layout=layout)
    return out


def describe(ref: str, refs: dict[str, Reference]) -> Reference:
    """The reference `ref`, or a stand-in named by the id when references.yaml lacks it."""
    return refs.get(ref) or Reference(ref=ref, short=ref, title=ref)
