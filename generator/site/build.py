"""`python -m generator site`: verify the catalogue, then write the generated pages into
docs/ in one step. Exit 0 when written, 1 when a claim fails, 2 for input errors; nothing
is written unless every entry verifies."""
from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import Callable, Sequence, TextIO

import yaml

from .. import VERSION
from ..catalogue import load_catalogue
from ..export import catalogue_json
from ..load import Problem
from ..model import Entry
from ..revisions import LOCK, REMOVED, Lock, Removal, read_lock, read_removed
from ..run import verify_all
from ..sections import check_pages, reading_key
from ..verify import Result
from .atomic import write_tree
from .cite import SiteInfo, build_date
from .coverage import load_coverage
from .diagrams import all_diagrams
from .downloads import download_files
from .entry_view import Table, entry_view
from .references import Reference, load_references
from .render import CATALOGUE, Pages, banner

PLACEHOLDER_URL = "https://matrix-calculus.example.org/"


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml may carry tags (!!python/name, !ENV) that only MkDocs resolves."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def site_info(config: Path, lock: "Lock | None" = None) -> SiteInfo:
    """The site's name, address and the catalogue's version and date (the date of the last
    change to the published ids, from ids.lock; SOURCE_DATE_EPOCH's where there is no lock)."""
    data = {}
    if config.is_file():
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_AnyTagLoader) or {}
    url = str(data.get("site_url") or PLACEHOLDER_URL)
    return SiteInfo(name=str(data.get("site_name") or "Matrix calculus, verified"),
                    url=url if url.endswith("/") else url + "/",
                    directory_urls=bool(data.get("use_directory_urls", True)),
                    version=VERSION,
                    date=datetime.date.fromisoformat(lock.date) if lock else build_date())


def table_order(results: Sequence[Result]) -> list[Result]:
    """The entries as the site shows them (sections.reading_key)."""
    return sorted(results, key=lambda r: reading_key(r.entry))


def table_titles(results: Sequence[Result]) -> dict[str, str]:
    """Each table's title, from the `title` of the first file that declares the table, in
    table_order (the files were checked by load_catalogue already; libyaml reads them fast
    where present)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    titles: dict[str, str] = {}
    for path in dict.fromkeys(r.entry.path for r in table_order(results)):
        top = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)
        table, title = top.get("table"), top.get("title")
        if isinstance(table, str) and title is not None:
            titles.setdefault(table, str(title))
    return titles


def generate(results: Sequence[Result], site: SiteInfo, refs: dict[str, Reference],
             lock: Lock | None = None, removed: Sequence[Removal] = ()) -> dict[str, str]:
    """Every generated file under docs/, by relative path."""
    catalogue = catalogue_json(list(results), VERSION)
    data = {d["id"]: d for d in catalogue["entries"]}
    titles = table_titles(results)
    tables: dict[str, Table] = {}
    for r in table_order(results):      # as the authors arranged each file
        e = r.entry
        title = titles.get(e.table) or e.table.replace("-", " ").capitalize()
        t = tables.setdefault(e.table, Table(e.table, title, e.path, []))
        t.entries.append(entry_view(r, data[e.id], t.title))
    ordered = [tables[k] for k in sorted(tables)]
    files = Pages(site, ordered, refs, removed, load_coverage(results)).files()
    note = banner(site.version, CATALOGUE)
    for name, text in download_files(catalogue, ordered, site, note).items():
        files[f"downloads/{name}"] = text
    for name, text in all_diagrams().items():
        files[f"diagrams/{name}"] = text
    return files


def build_site(paths: Sequence[str], docs: Path, config: Path | None = None,
               verify: Callable[[list[Entry]], list[Result]] = verify_all,
               out: TextIO | None = None, err: TextIO | None = None,
               keep: dict[str, str] | None = None) -> int:
    """Verify, generate and write; `keep`, if given, receives the files written."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        refs = load_references()
    except (OSError, ValueError, yaml.YAMLError) as e:
        print(f"references: {e}", file=err)
        return 2
    entries, problems = load_catalogue(list(paths))
    problems += check_pages(entries)
    removed, more = read_removed(docs.parent / REMOVED)
    problems += more
    try:
        lock = read_lock(docs.parent / LOCK)
    except ValueError as e:
        print(e, file=err)
        return 2
    for p in problems:
        print(p, file=err)
    if problems:
        print(f"{len(problems)} input problem{'s' if len(problems) != 1 else ''}; "
              f"nothing written", file=err)
        return 2
    results = verify(entries)
    failed = [Problem(r.entry.path, r.entry.line, r.entry.id, msg)
              for r in results for msg in r.failures]
    for p in failed:
        print(p, file=err)
    if failed:
        print(f"{sum(not r.passed for r in results)} of {len(results)} entries failed; "
              "nothing written", file=err)
        return 1
    files = generate(results, site_info(config or docs.parent / "mkdocs.yml", lock), refs,
                     lock, removed)
    write_tree(docs, files)
    if keep is not None:
        keep.update(files)
    print(f"{len(results)} verified; wrote {len(files)} files to {docs}", file=out)
    return 0
