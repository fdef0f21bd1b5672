"""Permanent ids: the lock file of published ids, revisions and removals.

`ids.lock` (written by `python -m generator lock`, committed) records every published id
with a hash of its statement: the fields that say what the identity is (symbols, of, wrt,
derivative or differential). Names, tags, sources, claims and hints may change freely. An id
in the lock must stay in the catalogue with the same statement, unless the entry records a
revision (`revisions: [{date, reason}]`, one more than the lock counts) or `removed.yaml`
records its removal; a removed id keeps a tombstone page at its permalink.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import yaml

from . import VERSION
from .load import Problem

LOCK = Path("ids.lock")
REMOVED = Path("removed.yaml")
STATEMENT_FIELDS = ("symbols", "of", "wrt", "derivative", "differential")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Revision:
    date: str
    reason: str


@dataclass(frozen=True)
class Removal:
    id: str
    date: str
    reason: str
    replaced_by: str
    line: int


@dataclass(frozen=True)
class Locked:
    statement: str
    revisions: int
    line: int


@dataclass(frozen=True)
class Lock:
    version: str
    date: str
    ids: Mapping[str, Locked]
    removed: Mapping[str, Locked]


def statement_hash(raw: Mapping[str, Any]) -> str:
    """A hash of what the entry states (not of how it is named, tagged or sourced)."""
    fields = {k: raw[k] for k in STATEMENT_FIELDS if k in raw}
    text = json.dumps(fields, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def revisions_of(raw: Mapping[str, Any]) -> tuple[Revision, ...]:
    """The entry's revisions (already checked by check_form)."""
    return tuple(Revision(str(r["date"]), str(r["reason"])) for r in raw.get("revisions") or ())


def check_revisions(value: Any) -> list[str]:
    """Problems with an entry's `revisions` field (plain values)."""
    if not isinstance(value, list) or not value:
        return ["revisions must be a non-empty list of {date, reason}"]
    out, last = [], ""
    for k, r in enumerate(value, 1):
        if not isinstance(r, dict) or set(r) != {"date", "reason"}:
            out.append(f"revision {k} must have exactly 'date' and 'reason'")
            continue
        date, reason = r["date"], r["reason"]
        if not valid_date(date):
            out.append(f"revision {k}: date must be a date written YYYY-MM-DD")
        elif date < last:
            out.append(f"revision {k}: revisions must be in date order")
        else:
            last = date
        if not isinstance(reason, str) or not reason.strip():
            out.append(f"revision {k}: reason must be non-empty text")
    return out


def valid_date(text: Any) -> bool:
    if not isinstance(text, str) or not DATE_RE.fullmatch(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def today() -> str:
    """SOURCE_DATE_EPOCH's date where set (reproducible builds), else today's (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = (datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc)
              if epoch.isdigit() else datetime.datetime.now(datetime.timezone.utc))
    return moment.date().isoformat()


def _lines_of(text: str) -> dict[str, int]:
    """The line of each `  id: {...}` row of the lock file."""
    out = {}
    for n, line in enumerate(text.splitlines(), 1):
        m = re.match(r"  ([a-z0-9-]+): \{", line)
        if m:
            out.setdefault(m.group(1), n)
    return out


def read_lock(path: Path = LOCK) -> Lock | None:
    """The lock, or None when there is none yet; ValueError when it is damaged."""
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=_LOADER) or {}
        lines = _lines_of(text)

        def rows(section: str) -> dict[str, Locked]:
            return {k: Locked(str(v["statement"]), int(v.get("revisions", 0)), lines.get(k, 1))
                    for k, v in (data.get(section) or {}).items()}
        return Lock(str(data["version"]), str(data["date"]), rows("ids"), rows("removed"))
    except (yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as e:
        raise ValueError(f"{path}: not a lock file written by python -m generator lock ({e})")


def read_removed(path: Path = REMOVED) -> tuple[list[Removal], list[Problem]]:
    """The recorded removals, and a problem for each malformed one."""
    if not path.is_file():
        return [], []
    from .load import read_file, plain
    root, problems = read_file(path)
    if root is None:
        return [], problems
    items = root.value.get("removed") if isinstance(root.value, dict) else None
    if items is None or not isinstance(items.value, list) or set(root.value) != {"removed"}:
        return [], problems + [Problem(str(path), root.line, "",
                                       "removed.yaml holds one field, 'removed': a list")]
    out = []
    for item in items.value:
        r = plain(item)
        rid = r.get("id") if isinstance(r, dict) else None
        shown = rid if isinstance(rid, str) else ""
        wrong = []
        if not isinstance(r, dict) or not {"id", "date", "reason"} <= set(r) \
                or not set(r) <= {"id", "date", "reason", "replaced_by"}:
            wrong.append("a removal has id, date, reason and optionally replaced_by")
        else:
            if not isinstance(rid, str) or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rid):
                wrong.append("id must be an entry id")
            if not valid_date(r["date"]):
                wrong.append("date must be a date written YYYY-MM-DD")
            if not isinstance(r["reason"], str) or not r["reason"].strip():
                wrong.append("reason must be non-empty text")
            if not isinstance(r.get("replaced_by", ""), str):
                wrong.append("replaced_by must be an entry id")
        problems += [Problem(str(path), item.line, shown, w) for w in wrong]
        if not wrong:
            out.append(Removal(rid, r["date"], r["reason"], r.get("replaced_by", ""),
                               item.line))
    return out, problems


@dataclass(frozen=True)
class Published:
    """What the catalogue publishes now, per id: statement hash, revision count, place."""
    id: str
    statement: str
    revisions: int
    path: str
    line: int


def published(entries: Iterable) -> list[Published]:
    return [Published(e.id, statement_hash(e.raw), len(revisions_of(e.raw)), e.path, e.line)
            for e in entries]


def lock_problems(now: Sequence[Published], lock: Lock | None, removed: Sequence[Removal],
                  lock_path: Path = LOCK, removed_path: Path = REMOVED) -> list[Problem]:
    """Every broken promise: an id gone without a recorded removal, a statement changed
    without a recorded revision, a removal of an id still in the catalogue."""
    if lock is None:
        return []
    here = {p.id: p for p in now}
    gone = {r.id: r for r in removed}
    out = []
    for eid, old in sorted(lock.ids.items()):
        p = here.get(eid)
        if p is None and eid not in gone:
            out.append(Problem(str(lock_path), old.line, eid,
                               "this published id has disappeared from the catalogue: restore "
                               f"the entry, or record its removal in {removed_path}"))
        elif p is not None and p.statement != old.statement and p.revisions <= old.revisions:
            out.append(Problem(p.path, p.line, eid,
                               "the statement of this published entry changed: restore it, or "
                               "record a revision (revisions: [{date, reason}]) to keep the id "
                               "with a new meaning (or give the new statement a new id)"))
    for r in removed:
        if r.id in here:
            out.append(Problem(str(removed_path), r.line, r.id,
                               "recorded as removed but still in the catalogue"))
        elif r.id not in lock.ids and r.id not in lock.removed:
            out.append(Problem(str(removed_path), r.line, r.id,
                               "recorded as removed but was never published (not in "
                               f"{lock_path})"))
        if r.replaced_by and r.replaced_by not in here:
            out.append(Problem(str(removed_path), r.line, r.id,
                               f"replaced_by {r.replaced_by!r} is not an entry of the catalogue"))
    return out


def new_lock(now: Sequence[Published], old: Lock | None, removed: Sequence[Removal]) -> Lock:
    """The lock for the catalogue as it is; its date moves only when its content does."""
    ids = {p.id: Locked(p.statement, p.revisions, 0) for p in now}
    old_ids, old_removed = (old.ids, old.removed) if old else ({}, {})
    # a removed id stays in the lock for good, so that it can never come back silently
    gone = {k: v for k, v in old_removed.items() if k not in ids}
    gone |= {r.id: old_ids[r.id] for r in removed if r.id in old_ids and r.id not in ids}
    same = old is not None and old.version == VERSION and _plain(old.ids) == _plain(ids) \
        and _plain(old.removed) == _plain(gone)
    return Lock(VERSION, old.date if same else today(), ids, gone)


def _plain(rows: Mapping[str, Locked]) -> dict[str, tuple[str, int]]:
    return {k: (v.statement, v.revisions) for k, v in rows.items()}


def lock_text(lock: Lock) -> str:
    head = ("# generated by python -m generator lock: every published id with a hash of its\n"
            "# statement (symbols, of, wrt, derivative or differential) and its number of\n"
            "# revisions. Do not edit: change the catalogue, record revisions in the entries and\n"
            "# removals in removed.yaml, then run python -m generator lock.\n")
    body = [f"version: {json.dumps(lock.version)}", f"date: {json.dumps(lock.date)}", "ids:"]
    body += [f"  {k}: {{statement: {v.statement}, revisions: {v.revisions}}}"
             for k, v in sorted(lock.ids.items())]
    body.append("removed:" + ("" if lock.removed else " {}"))
    body += [f"  {k}: {{statement: {v.statement}, revisions: {v.revisions}}}"
             for k, v in sorted(lock.removed.items())]
    return head + "\n".join(body) + "\n"


def stale(lock: Lock | None, fresh: Lock) -> bool:
    """True when `python -m generator lock` would change the lock file."""
    return lock is None or lock_text(lock) != lock_text(fresh)
