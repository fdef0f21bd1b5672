"""Command line: verify, export, derive. Exit 0 when all holds, 1 when a claim fails,
2 for input errors (one line per problem: path:line: entry-id: message)."""
from __future__ import annotations

import argparse
import json
import re
import sys

from . import VERSION

# Imports are inside the commands: `check` on an unchanged catalogue must not pay for SymPy.


def _load(paths: list[str]):
    from .catalogue import load_catalogue
    entries, problems = load_catalogue(paths or ["identities"])
    for p in problems:
        print(p)
    return entries, problems


def _verify_all(entries, args=None):
    from .run import TIME_LIMIT, verify_all
    jobs = getattr(args, "jobs", 0) or 0
    limit = getattr(args, "time_limit", None) or TIME_LIMIT
    return verify_all(entries, jobs, limit, not getattr(args, "no_cache", False))


def cmd_verify(args) -> int:
    from .load import Problem
    entries, problems = _load(args.paths)
    if problems:
        print(f"0 verified, 0 failed; {len(problems)} input problem"
              f"{'s' if len(problems) != 1 else ''}")
        return 2
    results = _verify_all(entries, args)
    failed = 0
    for r in results:
        if not r.passed:
            failed += 1
            for msg in r.failures:
                print(Problem(r.entry.path, r.entry.line, r.entry.id, msg))
    print(f"{len(results) - failed} verified, {failed} failed")
    return 1 if failed else 0


def cmd_export(args) -> int:
    from .catalogue import load_catalogue
    from .export import catalogue_json
    from .load import Problem
    entries, problems = load_catalogue(args.paths or ["identities"])
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        return 2
    results = _verify_all(entries, args)
    for r in results:
        for msg in r.failures:
            print(Problem(r.entry.path, r.entry.line, r.entry.id, msg), file=sys.stderr)
    json.dump(catalogue_json(results, VERSION), sys.stdout, indent=1, sort_keys=True,
              ensure_ascii=False)
    sys.stdout.write("\n")
    return 1 if any(not r.passed for r in results) else 0


def parse_symbols(spec: str) -> dict:
    """'A: m,n symmetric; u: p depends_on=x; f: function; t:' as YAML-like symbol options."""
    from .model import ASSUMPTIONS
    out: dict = {}
    for part in filter(None, (p.strip() for p in spec.split(";"))):
        name, _, rest = part.partition(":")
        opts: dict = {}
        for word in rest.replace(", ", ",").split():
            if "=" in word:
                k, _, v = word.partition("=")
                opts[k] = v
            elif word == "function":
                opts["function"] = "scalar"
            elif word in ASSUMPTIONS:
                opts.setdefault("assume", []).append(word)
            elif re.fullmatch(r"[A-Za-z0-9]+(,[A-Za-z0-9]+)*", word) and "shape" not in opts \
                    and not opts.get("assume"):
                opts["shape"] = word.split(",")
            else:
                opts.setdefault("assume", []).append(word)
        out[name.strip()] = opts
    return out


def cmd_derive(args) -> int:
    from .calculator import run_calculator
    return run_calculator(parse_symbols(args.symbols), args.of, args.wrt)


def cmd_site(args) -> int:
    from pathlib import Path
    from .check import inputs_digest, load_pages, store_pages
    docs, paths = Path(args.docs), args.paths or ["identities"]
    # pages already generated from exactly these inputs (by `check` or `site`) are reused
    key = inputs_digest(paths, docs.parent / "mkdocs.yml", docs.parent / "ids.lock",
                        docs.parent / "removed.yaml")
    pages = None if args.no_cache else load_pages(key)
    if pages is not None:
        from .site.atomic import write_tree
        write_tree(docs, pages)
        print(f"unchanged inputs: wrote the {len(pages)} files generated from them to {docs}")
        return 0
    from .site import build_site
    pages = {}
    code = build_site(paths, docs, verify=lambda entries: _verify_all(entries, args), keep=pages)
    if code == 0 and not args.no_cache:
        store_pages(key, pages)
    return code


def cmd_check(args) -> int:
    from pathlib import Path
    from .check import run_check
    return run_check(args.paths or ["identities"], Path(args.docs), jobs=args.jobs,
                     limit=args.time_limit or 0, use_cache=not args.no_cache)


def cmd_lock(args) -> int:
    from pathlib import Path
    from .revisions import (LOCK, REMOVED, lock_problems, lock_text, new_lock, published,
                            read_lock, read_removed)
    from .site.atomic import write_file
    entries, problems = _load(args.paths)
    removed, more = read_removed(REMOVED)
    for p in more:
        print(p)
    if problems or more:
        return 2
    try:
        old = read_lock(LOCK)
    except ValueError as e:
        print(e)
        return 2
    now = published(entries)
    broken = lock_problems(now, old, removed)
    for p in broken:
        print(p)
    if broken:
        print(f"{LOCK} not written: {len(broken)} published id"
              f"{'s' if len(broken) != 1 else ''} broken")
        return 1
    lock = new_lock(now, old, removed)
    text = lock_text(lock)
    if old is not None and lock_text(old) == text:
        print(f"{LOCK} up to date ({len(lock.ids)} ids, {len(lock.removed)} removed, "
              f"{lock.date})")
        return 0
    write_file(Path(LOCK), text)
    print(f"wrote {LOCK}: {len(lock.ids)} ids, {len(lock.removed)} removed, {lock.date}")
    return 0


def _run_options(p) -> None:
    p.add_argument("-j", "--jobs", type=int, default=0, help="worker processes (default: all cores)")
    p.add_argument("--time-limit", type=float, default=None,
                   help="seconds per entry (default 120, or $MCR_TIME_LIMIT)")
    p.add_argument("--no-cache", action="store_true", help="verify every entry afresh")


def main(argv: list[str] | None = None) -> int:
    # a console that cannot show a character (ASCII-only, say) gets an escape, not a crash
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    ap = argparse.ArgumentParser(prog="python -m generator",
                                 description="The verified reference of matrix calculus.")
    ap.add_argument("--version", action="version", version=VERSION)
    sub = ap.add_subparsers(dest="command", required=True)
    v = sub.add_parser("verify", help="verify identity files (default: identities/)")
    v.add_argument("paths", nargs="*")
    v.set_defaults(fn=cmd_verify)
    v.add_argument("-j", "--jobs", type=int, default=0, help="worker processes (default: all cores)")
    v.add_argument("--time-limit", type=float, default=None,
                   help="seconds per entry (default 120, or $MCR_TIME_LIMIT)")
    v.add_argument("--no-cache", action="store_true", help="verify every entry afresh")
    x = sub.add_parser("export", help="print the verified catalogue")
    x.add_argument("--format", choices=["json"], default="json")
    x.add_argument("paths", nargs="*")
    x.add_argument("-j", "--jobs", type=int, default=0, help="worker processes (default: all cores)")
    x.add_argument("--time-limit", type=float, default=None, help="seconds per entry")
    x.add_argument("--no-cache", action="store_true", help="verify every entry afresh")
    x.set_defaults(fn=cmd_export)
    d = sub.add_parser("derive", help="derive, verify and lay out one derivative")
    d.add_argument("--symbols", required=True, help="e.g. 'A: m,n; x: n'")
    d.add_argument("--of", required=True, help="e.g. 'y[i] = A[i,j] * x[j]'")
    d.add_argument("--wrt", required=True, nargs="+", help="e.g. 'x[k]' (two for a second derivative)")
    d.set_defaults(fn=cmd_derive)
    s = sub.add_parser("site", help="verify, then write the generated pages into docs/")
    s.add_argument("--docs", default="docs", help="the MkDocs docs folder (default: docs)")
    s.add_argument("paths", nargs="*")
    s.add_argument("-j", "--jobs", type=int, default=0, help="worker processes (default: all cores)")
    s.add_argument("--time-limit", type=float, default=None, help="seconds per entry")
    s.add_argument("--no-cache", action="store_true", help="verify every entry afresh")
    s.set_defaults(fn=cmd_site)
    c = sub.add_parser("check", help="verify, and fail if regenerating would change a generated "
                                     "file or a published id lost its meaning")
    c.add_argument("--docs", default="docs", help="the MkDocs docs folder (default: docs)")
    c.add_argument("paths", nargs="*")
    _run_options(c)
    c.set_defaults(fn=cmd_check)
    lk = sub.add_parser("lock", help="record the published ids and their statements in ids.lock")
    lk.add_argument("paths", nargs="*")
    lk.set_defaults(fn=cmd_lock)
    args = ap.parse_args(argv)
    try:
        return args.fn(args)
    except KeyboardInterrupt:
        return 130
