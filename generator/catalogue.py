"""Load identity files into checked entries: every problem of every file, in one pass."""
from __future__ import annotations

import re
from pathlib import Path

from .check_form import check_entry
from .load import Located, Problem, identity_files, read_file
from .model import Entry
from .sections import check_sections

FILE_FIELDS = {"table", "title", "entries", "description"}
TABLE_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")       # fullmatch: "t\n" is no table


def check_file(path: Path, root: Located) -> tuple[list[Entry], list[Problem]]:
    shown = str(path)
    if not isinstance(root.value, dict):
        return [], [Problem(shown, root.line, "", "the file must be a mapping with table, "
                                                  "title and entries")]
    top = root.value
    problems = [Problem(shown, v.at, "", f"unknown file field {k!r}") for k, v in top.items()
                if k not in FILE_FIELDS]
    table = top.get("table")
    if table is None or not isinstance(table.value, str) or not TABLE_RE.fullmatch(table.value):
        problems.append(Problem(shown, table.line if table else 1, "",
                                "table must be lowercase words joined by hyphens"))
    title = top.get("title")
    if title is not None and (not isinstance(title.value, str) or not title.value.strip()):
        problems.append(Problem(shown, title.line, "", "title must be text"))
    entries_node = top.get("entries")
    if entries_node is None or not isinstance(entries_node.value, list):
        problems.append(Problem(shown, entries_node.line if entries_node else 1, "",
                                "entries must be a list"))
        return [], problems
    out = []
    for item in entries_node.value:
        entry, found, eid = check_entry(item, table.value if table else "", shown)
        problems += [Problem(shown, line, eid or f"entry at line {item.line}", msg)
                     for line, msg in found]
        if entry is not None and not found:
            out.append(entry)
    return out, problems


def _raw_ids(root: Located) -> list[tuple[int, str]]:
    node = root.value.get("entries") if isinstance(root.value, dict) else None
    items = node.value if node is not None and isinstance(node.value, list) else []
    return [(item.line, item.value["id"].value) for item in items
            if isinstance(item.value, dict) and "id" in item.value
            and isinstance(item.value["id"].value, str)]


def load_catalogue(paths: list[str]) -> tuple[list[Entry], list[Problem]]:
    """Checked entries from files and folders, and every problem found (ids unique across
    all files)."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    first: dict[str, str] = {}
    for p in paths:
        if not Path(p).exists():
            problems.append(Problem(p, 1, "", "no such file or folder"))
        elif Path(p).is_dir() and not any(identity_files([p])):
            problems.append(Problem(p, 1, "", "no identity files (*.yaml, *.yml) in this folder"))
    files = list(identity_files([p for p in paths if Path(p).exists()]))
    for path in files:
        root, found = read_file(path)
        problems += found
        if root is None:
            continue
        got, found = check_file(path, root)
        problems += found
        entries += got
        # duplicate ids are found from the raw ids so that invalid entries count too
        for line, eid in _raw_ids(root):
            if eid in first:
                problems.append(Problem(str(path), line, eid,
                                        f"duplicate id (first at {first[eid]})"))
            else:
                first[eid] = f"{path}:{line}"
    dup = {p.entry for p in problems if p.message.startswith("duplicate id")}
    entries = [e for e in entries if e.id not in dup]
    found = check_sections(entries)
    wrong = {(p.path, p.line) for p in found}
    return [e for e in entries if (e.path, e.line) not in wrong], problems + found
