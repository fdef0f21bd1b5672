"""The built site in Chromium: every page loads cleanly and offline (every page by instant
navigation, a sample in full), every formula is typeset, the layout switch works and is
remembered, rows link to entry pages, search finds entries; screenshots for review."""
from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

MATH_STATE = """() => {
  const maths = [...document.querySelectorAll(".arithmatex")];
  const untypeset = maths.filter(e => !e.querySelector(".katex"))
                         .map(e => e.textContent.slice(0, 80));
  const errors = [...document.querySelectorAll(".katex-error")]
                 .map(e => (e.getAttribute("title") || e.textContent).slice(0, 120));
  const raw = [];
  const root = document.querySelector(".md-content") || document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest("pre, code, script, style, .katex")) continue;
    if (/\\\\[()\\[\\]]|\\$\\$|\\\\(frac|mathbf|partial)\\b/.test(node.textContent))
      raw.push(node.textContent.trim().slice(0, 80));
  }
  return {count: maths.length, untypeset, errors, raw};
}"""

TYPESET = """() => [...document.querySelectorAll(".arithmatex")]
  .every(e => e.querySelector(".katex, .katex-error"))"""

COLUMNS = """() => {
  const out = {};
  document.querySelectorAll(".mcr-layouts table thead th").forEach(th => {
    const name = th.textContent.trim().toLowerCase();
    if (["numerator", "denominator", "mixed"].includes(name))
      out[name] = (out[name] || true) && th.offsetParent !== null;
  });
  return out;
}"""


def catalogue(built) -> list[dict]:
    return json.loads((built.docs / "downloads" / "catalogue.json").read_text())["entries"]


def pages_of(site: Path) -> list[str]:
    return sorted("" if p.parent == site else f"{p.parent.relative_to(site).as_posix()}/"
                  for p in site.rglob("index.html") if p.parent.name != "404")


GO = """(url) => {
  window.mcrArrived = null;
  const sub = document$.subscribe(() => {
    if (location.href !== url) return;
    window.mcrArrived = url;
    setTimeout(() => sub.unsubscribe(), 0);
  });
  const a = document.createElement("a");
  a.href = url;
  document.body.appendChild(a);
  a.click();
  a.remove();
}"""
LANES = 2


def sample(built) -> list[str]:
    """The pages opened in full (every page is also crawled by instant navigation): every
    page other than tables and entries, both index pages, one table, and the first entry of
    a few tables and every 40th entry (every page with MCR_BROWSER_ALL=1)."""
    pages = pages_of(built.site)
    if os.environ.get("MCR_BROWSER_ALL"):
        return pages
    entries = catalogue(built)
    firsts: dict[str, str] = {}
    for e in entries:
        firsts.setdefault(e["table"], e["id"])
    ids = set(list(firsts.values())[:4]) | {e["id"] for e in entries[::40]}
    return [p for p in pages if not p.startswith(("entries/", "tables/"))] + \
        ["tables/", f"tables/{entries[0]['table']}/", "entries/"] + \
        [f"entries/{i}/" for i in sorted(ids)]


def open_page_at(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_function(TYPESET, timeout=15000)


def math_problems(page, path: str) -> list[str]:
    state = page.evaluate(MATH_STATE)
    return [f"{path}: {what}: {x}" for what in ("untypeset", "errors", "raw")
            for x in state[what]]


def test_every_page_by_instant_navigation(built, base_url, new_page):
    """A light crawl of every page, the way readers move between them: Material swaps the
    content in place (no reload) and the site's scripts run again through document$. A few
    pages crawl side by side, each in its own browser context."""
    lanes = [new_page() for _ in range(LANES)]
    todo = [base_url + path for path in pages_of(built.site)]
    problems, at = [], {}
    for lane in lanes:
        open_page_at(lane, base_url)
        lane.evaluate("window.mcrMarker = 1")
    for lane in lanes:
        if todo:
            at[lane] = todo.pop()
            lane.evaluate(GO, at[lane])
    while at:
        for lane, url in list(at.items()):
            lane.wait_for_function("(u) => window.mcrArrived === u", arg=url,
                                   timeout=20000, polling=50)
            problems += math_problems(lane, url[len(base_url):])
            if todo:
                at[lane] = todo.pop()
                lane.evaluate(GO, at[lane])
            else:
                del at[lane]
    for lane in lanes:
        assert lane.evaluate("window.mcrMarker") == 1, "a page was loaded in full"
        problems += lane.monitor.problems
    assert not problems, "\n".join(problems[:40])


def test_a_sample_of_pages_loads_in_full_offline_and_cleanly(built, base_url, page):
    problems = []
    for path in sample(built):
        open_page_at(page, base_url + path)
        problems += math_problems(page, path)
    problems += page.monitor.problems
    assert not problems, "\n".join(problems[:40])


class _Formulas(HTMLParser):
    """The TeX of every element marked `arithmatex`."""

    def __init__(self):
        super().__init__()
        self.depth, self.found = 0, []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
        elif "arithmatex" in (dict(attrs).get("class") or "").split():
            self.depth, self.found = 1, self.found + [""]

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.found[-1] += data


def test_every_formula_of_every_page_is_valid_katex(built, base_url, page):
    formulas = set()
    for html_file in built.site.rglob("*.html"):
        parser = _Formulas()
        parser.feed(html_file.read_text(encoding="utf-8"))
        for tex in parser.found:
            tex = tex.strip()
            m = re.fullmatch(r"\\\((.*)\\\)|\\\[(.*)\\\]", tex, re.S)
            assert m, f"{html_file}: formula without delimiters: {tex[:80]}"
            formulas.add((m.group(1) if m.group(1) is not None else m.group(2),
                          m.group(2) is not None))
    assert len(formulas) > 100
    open_page_at(page, base_url)
    errors = page.evaluate("""(formulas) => formulas.map(([tex, display]) => {
        try { katex.renderToString(tex, {displayMode: display, throwOnError: true}); return null; }
        catch (e) { return tex.slice(0, 100) + ": " + e.message; }
      }).filter(x => x)""", sorted(formulas))
    assert not errors, "\n".join(errors[:20])


def test_the_layout_switch_works_and_is_remembered(built, base_url, page):
    entries = catalogue(built)
    table = "vector-by-vector" if any(e["table"] == "vector-by-vector" for e in entries) \
        else entries[0]["table"]
    open_page_at(page, f"{base_url}tables/{table}/")
    assert page.evaluate(COLUMNS) == {"numerator": True, "denominator": True, "mixed": True}
    page.click('[data-mcr-show="denominator"]')
    assert page.evaluate(COLUMNS) == {"numerator": False, "denominator": True, "mixed": False}
    assert page.get_attribute('[data-mcr-show="denominator"]', "aria-pressed") == "true"
    # Material's instant navigation swaps the page without a reload: the switch must
    # re-apply through document$; the marker shows no full load happened.
    page.evaluate("window.mcrMarker = 1")
    link = page.locator(".mcr-layouts tbody tr td:last-child a[id]").first
    entry_id = link.get_attribute("id")
    link.click()
    page.wait_for_url(f"**/entries/{entry_id}/")
    # the URL changes before the content is swapped: wait for the entry page itself
    page.locator("#verification").wait_for(state="attached", timeout=15000)
    page.wait_for_function(TYPESET, timeout=15000)
    assert page.evaluate("window.mcrMarker") == 1, "not an instant navigation"
    assert page.evaluate(COLUMNS) == {"numerator": False, "denominator": True, "mixed": False}
    blocks = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
        '[data-mcr-layout]')].map(b => [b.dataset.mcrLayout, !b.hidden]))""")
    assert blocks == {"numerator": False, "denominator": True, "mixed": False}
    page.reload()
    page.wait_for_function(TYPESET, timeout=15000)
    assert page.evaluate(COLUMNS) == {"numerator": False, "denominator": True, "mixed": False}
    page.click('[data-mcr-show="all"]')
    assert page.evaluate(COLUMNS) == {"numerator": True, "denominator": True, "mixed": True}
    assert page.evaluate("localStorage.getItem('mcr-layout')") == "all"
    assert not page.monitor.problems, page.monitor.problems


def row_page(built, eid: str) -> str:
    """The page under tables/ whose table has the entry's row (a table, or a section)."""
    for path in sorted((built.docs / "tables").rglob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if f"{{#{eid}}}" in line and ".mcr-verified" in line:
                rel = path.relative_to(built.docs / "tables").with_suffix("").as_posix()
                return rel[:-len("index")] if rel.endswith("index") else rel + "/"
    raise AssertionError(f"no table row for {eid}")


def test_a_row_links_to_its_entry_page(built, base_url, page):
    entries = {e["id"]: e for e in catalogue(built)}
    ordered = sorted(entries.values(), key=lambda e: e["table"])
    # an entry of a table divided into sections where there is one: the link to its row on
    # the table's own page (as it was before the table was divided) leads on to the row
    first = next((e for e in ordered if row_page(built, e["id"]) != e["table"] + "/"),
                 ordered[0])
    section = row_page(built, first["id"])
    if section != first["table"] + "/":
        open_page_at(page, f"{base_url}tables/{first['table']}/#{first['id']}")
        page.locator(f"a#{first['id']}").click()
        page.wait_for_url(f"**/tables/{section}#{first['id']}")
        page.locator(f"tr:has(a#{first['id']}) .mcr-verified").wait_for(timeout=15000)
        page.wait_for_function(TYPESET, timeout=15000)
    else:
        open_page_at(page, f"{base_url}tables/{section}#{first['id']}")
    anchor = page.locator(f"a#{first['id']}")
    assert anchor.is_visible()
    row = page.locator(f"tr:has(a#{first['id']})")
    assert row.locator(".mcr-verified").count() == 1
    anchor.click()
    page.wait_for_url(f"**/entries/{first['id']}/")
    # instant navigation changes the URL before it swaps the content: wait for the new page
    name = " ".join(first["name"].split())
    page.locator(".md-content h1", has_text=name).wait_for(timeout=15000)
    page.wait_for_function(TYPESET, timeout=15000)
    heading = page.locator(".md-content h1").inner_text().replace("¶", "").strip()
    assert heading == name
    assert page.locator("#verification").count() == 1
    assert page.locator("#cite").count() == 1
    # copy buttons (Material's content.code.copy) on the LaTeX and citation blocks
    assert page.locator("[data-clipboard-target]").count() >= 2
    assert not page.monitor.problems, page.monitor.problems


SEARCHES = {"log det": ("log det", "log-determinant", "log determinant"),
            "softmax": ("softmax",), "trace": ("trace",)}


@pytest.mark.parametrize("query", sorted(SEARCHES))
def test_search_finds_entries_by_name_and_tag(built, base_url, page, query):
    words = SEARCHES[query]
    wanted = {e["id"] for e in catalogue(built)
              if any(w in (e["name"] + " " + " ".join(e["tags"])).lower() for w in words)}
    if not wanted:
        pytest.skip(f"no entry of the catalogue mentions {query!r}")
    open_page_at(page, base_url)
    page.click(".md-search__input")
    page.keyboard.type(query, delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=30000)
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    found = {m.group(1) for h in hrefs for m in [re.search(r"/entries/([a-z0-9-]+)/", h)] if m}
    assert found & wanted, (query, hrefs[:10])
    assert not page.monitor.problems, page.monitor.problems


def test_search_finds_an_entry_by_id(built, base_url, page):
    entry = catalogue(built)[0]
    open_page_at(page, base_url)
    page.click(".md-search__input")
    page.keyboard.type(entry["id"], delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=30000)
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    assert any(f"/entries/{entry['id']}/" in h for h in hrefs), hrefs[:10]


def test_screenshots(built, base_url, page, artifacts):
    entries = catalogue(built)
    entry = next((e for e in entries if e["id"] == "vv-linear-map"), entries[0])
    for name, path in (("home", ""), ("table", f"tables/{entry['table']}/"),
                       ("entry", f"entries/{entry['id']}/")):
        open_page_at(page, base_url + path)
        target = artifacts / f"{name}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
    assert not page.monitor.problems, page.monitor.problems
