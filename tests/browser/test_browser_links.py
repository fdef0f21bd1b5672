"""A crawl of the served site: every internal link, resource and #anchor exists, no page
loads anything from another host, and the generated pages in docs/ are up to date."""
from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
RESOURCE = {("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"),
            ("iframe", "src"), ("video", "src"), ("audio", "src"), ("embed", "src")}


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []      # (tag, url)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if a.get(key):
                self.ids.add(a[key])
        for attr in ("href", "src"):
            if a.get(attr) is not None and (tag == "a" and attr == "href"
                                            or (tag, attr) in RESOURCE):
                self.links.append((tag, a[attr]))


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.headers.get_content_type(), r.read()
    except urllib.error.HTTPError as e:
        return e.code, "", b""


def test_every_link_and_anchor_of_the_site_exists(built, base_url):
    host = urlsplit(base_url).netloc
    pages: dict[str, Page | None] = {}
    status: dict[str, int] = {}
    todo, problems, anchors = [base_url], [], []

    def visit(url: str) -> None:
        if url in status:
            return
        code, kind, body = fetch(url)
        status[url] = code
        if code == 200 and kind == "text/html":
            p = Page()
            p.feed(body.decode("utf-8"))
            pages[url] = p
            todo.append(url)

    visit(base_url)
    todo = [base_url]
    while todo:
        url = todo.pop()
        page = pages[url]
        for tag, link in page.links:
            target, fragment = urldefrag(urljoin(url, link))
            parts = urlsplit(target)
            if parts.scheme in ("mailto", "data", "javascript"):
                continue
            if parts.netloc != host:
                if (tag, "href" if tag == "link" else "src") in RESOURCE:
                    problems.append(f"{url}: loads {target} from another host")
                continue
            visit(target)
            if status[target] != 200:
                problems.append(f"{url}: {tag} {link} -> HTTP {status[target]}")
            elif fragment and tag == "a":
                anchors.append((url, link, target, fragment))
    for url, link, target, fragment in anchors:
        if target in pages and fragment not in pages[target].ids:
            problems.append(f"{url}: {link}: no anchor #{fragment}")
    entry_pages = [u for u in pages if "/entries/" in u]
    assert len(pages) > 20 and entry_pages, "the crawl found too little"
    assert not problems, "\n".join(problems[:40])


def _normalised(path: Path):
    """The content of a generated file; for the catalogue, without the numeric errors of
    the samples, the one figure that may differ in its last digits between machines."""
    if path.name != "catalogue.json":
        return path.read_bytes()
    data = json.loads(path.read_text(encoding="utf-8"))
    for e in data["entries"]:
        for s in e["verification"]["numeric"]["samples"]:
            s.pop("error", None)
    return data


def test_the_generated_pages_in_docs_are_up_to_date(built):
    """docs/ holds the generated pages as `python -m generator site` writes them now."""
    if os.environ.get("MCR_SITE_IDENTITIES"):
        pytest.skip("built from other identity files")
    fresh = {p.relative_to(built.docs) for p in built.docs.rglob("*") if p.is_file()}
    kept = {p.relative_to(ROOT / "docs") for p in (ROOT / "docs").rglob("*") if p.is_file()}
    stale = sorted(str(p) for p in kept - fresh)
    missing = sorted(str(p) for p in fresh - kept)
    changed = sorted(str(p) for p in fresh & kept
                     if _normalised(built.docs / p) != _normalised(ROOT / "docs" / p))
    assert not (stale or missing or changed), (
        "docs/ is out of date, run `python -m generator site` (or `make site`):\n"
        f"stale: {stale[:10]}\nmissing: {missing[:10]}\nchanged: {changed[:10]}")
