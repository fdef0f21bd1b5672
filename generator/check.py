"""`python -m generator check`: verify the catalogue, and fail if regenerating would change
any generated file (drift) or if a published id lost its meaning (ids.lock).

Exit 0 when all holds, 1 when a claim fails, a generated file drifted or a published id
broke, 2 for input errors. When GITHUB_ACTIONS is set, every failure is also printed as an
`::error file=...,line=...::` annotation.

An unchanged catalogue is re-checked from one snapshot keyed by every input of the check
(identity files, the generator's code and templates, mkdocs.yml, the lock and removals, the
environment that changes results), so the warm path imports neither SymPy nor NumPy; the
generated files on disk are always hashed afresh and compared with the snapshot's.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence, TextIO

from . import VERSION
from .load import Problem, identity_files
from .revisions import (Published, lock_problems, new_lock, published, read_lock,
                        read_removed, stale)

FOLDER = Path(os.environ.get("MCR_CACHE", ".cache/verify")).parent / "check"
ENV_KEYS = ("MCR_EXACT_ALWAYS", "SOURCE_DATE_EPOCH")


@dataclass(frozen=True)
class Snapshot:
    """What a full check found, in plain values only (so loading it imports nothing)."""
    problems: tuple[tuple[str, int, str, str], ...]   # input problems: Problem fields
    failures: tuple[tuple[str, int, str, str], ...]   # failed claims: (path, line, id, message)
    entries: int
    published: tuple[tuple[str, str, int, str, int], ...]   # revisions.Published fields
    files: dict[str, str]                      # generated file -> sha256 (empty if not built)


def _tree_files(root: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in suffixes)


def inputs_digest(paths: Sequence[str], config: Path, lock: Path, removed: Path) -> str:
    """A digest of everything a check's outcome depends on, except the files it compares."""
    package = Path(__file__).parent
    h = hashlib.sha256(f"{VERSION}\0{sys.version_info[:2]}\0".encode())
    for key in ENV_KEYS:
        h.update(f"{key}={os.environ.get(key, '')}\0".encode())
    named = [Path(p) for p in paths]
    files = _tree_files(package, (".py", ".j2", ".yaml")) + [config, lock, removed]
    files += sorted(Path("coverage").glob("*.yaml"))
    files += list(identity_files([str(p) for p in named if p.exists()]))
    for p in files:
        h.update(str(p).encode() + b"\0")
        h.update(p.read_bytes() if p.is_file() else b"<missing>")
        h.update(b"\0")
    h.update(repr(sorted(str(p) for p in named if not p.exists())).encode())
    return h.hexdigest()


def _load_snapshot(key: str) -> Snapshot | None:
    try:
        with open(FOLDER / f"{key}.pickle", "rb") as f:
            snap = pickle.load(f)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
        return None
    return snap if isinstance(snap, Snapshot) else None


def _store_snapshot(key: str, snap: Snapshot) -> None:
    _store(FOLDER / f"{key}.pickle", snap)


def _store(path: Path, value) -> None:
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        if tmp:
            Path(tmp).unlink(missing_ok=True)


def load_pages(key: str) -> dict[str, str] | None:
    """The generated files of a successful build with these inputs, if one was kept."""
    try:
        with open(FOLDER / f"{key}.pages.pickle", "rb") as f:
            pages = pickle.load(f)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
        return None
    return pages if isinstance(pages, dict) else None


def store_pages(key: str, pages: dict[str, str]) -> None:
    _store(FOLDER / f"{key}.pages.pickle", pages)


def full_check(paths: Sequence[str], config: Path, lock_path: Path, removed_path: Path,
               jobs: int, limit: float, use_cache: bool, key: str) -> Snapshot:
    """Load, verify and generate everything (the per-entry cache still applies); the pages
    generated are kept under `key` for `python -m generator site`."""
    from .catalogue import load_catalogue
    from .run import verify_all
    from .sections import check_pages
    entries, problems = load_catalogue(list(paths))
    problems += check_pages(entries)
    removed, more = read_removed(removed_path)
    problems += more
    if problems:
        return Snapshot(tuple((p.path, p.line, p.entry, p.message) for p in problems),
                        (), 0, (), {})
    results = verify_all(entries, jobs, limit, use_cache)
    failures = tuple((r.entry.path, r.entry.line, r.entry.id, m)
                     for r in results for m in r.failures)
    now = tuple((p.id, p.statement, p.revisions, p.path, p.line) for p in published(entries))
    files: dict[str, str] = {}
    if not failures:
        from .site.build import generate, site_info
        from .site.references import load_references
        try:
            lock = read_lock(lock_path)
        except ValueError:           # reported by the lock check that follows
            lock = None
        pages = generate(results, site_info(config, lock), load_references(), lock, removed)
        if use_cache:
            store_pages(key, pages)
        files = {k: hashlib.sha256(v.encode() if isinstance(v, str) else v).hexdigest()
                 for k, v in pages.items()}
    return Snapshot((), failures, len(results), now, files)


def drift(docs: Path, files: dict[str, str]) -> list[str]:
    """Generated files that regenerating would change, add or delete, with what."""
    out = []
    tops = sorted({k.split("/", 1)[0] for k in files})
    on_disk: set[str] = set()
    for top in tops:
        p = docs / top
        if p.is_dir():
            on_disk |= {q.relative_to(docs).as_posix() for q in p.rglob("*") if q.is_file()}
        elif p.is_file():
            on_disk.add(top)
    for rel in sorted(set(files) | on_disk):
        if rel not in on_disk:
            out.append((rel, "missing: regenerating would create it"))
        elif rel not in files:
            out.append((rel, "stale: regenerating would delete it"))
        elif hashlib.sha256((docs / rel).read_bytes()).hexdigest() != files[rel]:
            out.append((rel, "out of date: regenerating would change it"))
    return out


def _gh(text: str, prop: bool = False) -> str:
    """Escape for a GitHub Actions workflow command (data, or a property value)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


class Report:
    def __init__(self, out: TextIO, annotate: bool):
        self.out, self.annotate, self.count = out, annotate, 0

    def error(self, path: str, line: int, entry: str, message: str) -> None:
        self.count += 1
        # a generated file as a whole has no line and no entry: `path: message`
        print(Problem(path, line, entry, message) if line else f"{path}: {message}",
              file=self.out)
        if self.annotate:
            where = f"file={_gh(path, True)}" + (f",line={line}" if line else "")
            print(f"::error {where}::{_gh((entry + ': ' if entry else '') + message)}",
                  file=self.out)


def run_check(paths: Sequence[str], docs: Path, config: Path | None = None,
              lock_path: Path | None = None, removed_path: Path | None = None,
              jobs: int = 0, limit: float = 0, use_cache: bool = True,
              out: TextIO | None = None) -> int:
    out = out or sys.stdout
    config = config or docs.parent / "mkdocs.yml"
    lock_path = lock_path or docs.parent / "ids.lock"
    removed_path = removed_path or docs.parent / "removed.yaml"
    report = Report(out, bool(os.environ.get("GITHUB_ACTIONS")))
    key = inputs_digest(paths, config, lock_path, removed_path)
    snap = _load_snapshot(key) if use_cache else None
    if snap is None:
        if not limit:
            from .run import TIME_LIMIT
            limit = TIME_LIMIT
        snap = full_check(paths, config, lock_path, removed_path, jobs, limit, use_cache, key)
        if use_cache and not any("time limit" in f[3] for f in snap.failures):
            _store_snapshot(key, snap)
    if snap.problems:
        for problem in snap.problems:
            report.error(*problem)
        print(f"check: {len(snap.problems)} input problem"
              f"{'s' if len(snap.problems) != 1 else ''}; nothing verified", file=out)
        return 2
    for f in snap.failures:
        report.error(*f)
    failed = len({f[2] for f in snap.failures})
    summary = [f"{snap.entries - failed} verified, {failed} failed"]
    if failed:
        summary.append("generated files not compared (an entry failed)")
    else:
        changed = drift(docs, snap.files)
        for rel, what in changed:
            report.error((docs / rel).as_posix(), 0, "",
                         f"{what} (run python -m generator site)")
        summary.append(f"{len(snap.files) - len(changed)} of {len(snap.files)} generated "
                       "files up to date" if changed else
                       f"{len(snap.files)} generated files up to date")
    summary.append(_check_lock(snap, lock_path, removed_path, report))
    print("check: " + "; ".join(summary), file=out)
    return 1 if report.count else 0


def _check_lock(snap: Snapshot, lock_path: Path, removed_path: Path, report: Report) -> str:
    try:
        lock = read_lock(lock_path)
    except ValueError as e:
        report.error(str(lock_path), 1, "", str(e))
        return "ids.lock unreadable"
    removed, _ = read_removed(removed_path)
    now = [Published(*p) for p in snap.published]
    broken = lock_problems(now, lock, removed, lock_path, removed_path)
    for p in broken:
        report.error(p.path, p.line, p.entry, p.message)
    if broken:
        return f"{len(broken)} published id{'s' if len(broken) != 1 else ''} broken"
    if stale(lock, new_lock(now, lock, removed)):
        report.error(str(lock_path), 1, "", "out of date with the catalogue: run python -m "
                     "generator lock and commit it" if lock else
                     "missing: run python -m generator lock and commit it")
        return f"{lock_path} out of date"
    return f"{lock_path} up to date ({len(lock.ids)} ids, {len(lock.removed)} removed)"
