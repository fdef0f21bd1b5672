"""Sections: how a table of the catalogue is divided into pages. An entry names its section
with `section: Title`; a table whose entries name none is one page. A page of the site holds
at most PAGE_LIMIT entries, so that even the largest is typeset quickly in a browser (make
bench); verification alone has no such limit."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

from .load import Problem
from .model import Entry

PAGE_LIMIT = 16
TITLE_MAX = 60
T = TypeVar("T")


def slug(title: str) -> str:
    """The section's page name: `Traces of products` -> `traces-of-products`."""
    return "-".join(re.findall(r"[a-z0-9]+", title.lower()))


def check_section(value: object) -> Iterator[str]:
    """Problems with one entry's `section` field."""
    if not isinstance(value, str) or not value.strip():
        yield "section must be non-empty text"
    elif len(value) > TITLE_MAX or value != " ".join(value.split()):
        yield f"section must be one line of at most {TITLE_MAX} characters, single spaces"
    elif not slug(value):
        yield "section must contain a letter or a digit"
    elif slug(value) == "index":
        yield "section 'index' would take the table's own page: choose another title"


def section_of(entry: Entry) -> str | None:
    value = entry.raw.get("section")
    return value if isinstance(value, str) else None


def reading_key(entry: Entry) -> tuple[bool, str]:
    """The order in which the site shows entries (a stable sort keeps each file's order): a
    table's own file, named for the table, first, then the files that add to it by path."""
    return Path(entry.path).stem != entry.table, entry.path


def grouped(items: Iterable[T], key: Callable[[T], str]) -> dict[str, list[T]]:
    """Items by key, keys in order of first appearance, items in their order."""
    out: dict[str, list[T]] = {}
    for item in items:
        out.setdefault(key(item), []).append(item)
    return out


def pages(entries: Sequence[Entry]) -> dict[str, dict[str, list[Entry]]]:
    """Per table, its pages in reading order: section title (or "" for a table without
    sections) -> its entries."""
    by_table = grouped(sorted(entries, key=reading_key), lambda e: e.table)
    return {table: grouped(members, lambda e: section_of(e) or "")
            for table, members in by_table.items()}


def check_sections(entries: Iterable[Entry]) -> list[Problem]:
    """Across the catalogue: a table has sections for all of its entries or for none, and two
    sections of a table do not share a page name."""
    problems = []
    for table, by_section in pages(list(entries)).items():
        unsectioned = by_section.get("", [])
        if unsectioned and len(by_section) > 1:
            problems += [Problem(e.path, e.line, e.id, f"table '{table}' is divided into "
                                 "sections: give this entry a section too")
                         for e in unsectioned]
            continue
        names: dict[str, str] = {}
        for title, members in by_section.items():
            if slug(title) in names and names[slug(title)] != title:
                problems += [Problem(e.path, e.line, e.id,
                                     f"section {title!r} and section {names[slug(title)]!r} "
                                     f"of table '{table}' would share one page name: rename "
                                     "one") for e in members]
            names.setdefault(slug(title), title)
    return problems


def check_pages(entries: Iterable[Entry]) -> list[Problem]:
    """For the site: no page (a table without sections, or a section) exceeds PAGE_LIMIT."""
    problems = []
    for table, by_section in pages(list(entries)).items():
        for title, members in by_section.items():
            if len(members) > PAGE_LIMIT:
                over = members[PAGE_LIMIT]
                where = f"section {title!r} of table '{table}'" if title else f"table '{table}'"
                advice = ("split the section" if title
                          else "divide the table with `section:` on its entries")
                problems.append(Problem(over.path, over.line, over.id,
                                        f"{where} would hold {len(members)} entries on one "
                                        f"page; a page holds at most {PAGE_LIMIT}: {advice}"))
    return problems
