"""Text is text: template syntax and HTML in an entry's name, tags, note, source and claim
notes and revision reason are shown literally on every page and in every download, escaped
for each format, and never become a template expression or an element."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.site.build import build_site

ROOT = Path(__file__).resolve().parents[2]
JINJA = "{{ 7*7 }} {% if true %}yes{% endif %} {# c #}"
TAGS = '<script>alert("s")</script> <img src=x onerror=alert(1)>'
TEXT = f"Evil {JINJA} {TAGS} end"
SECTION = "{{ 6*7 }} <img src=z onerror=alert(3)>"        # at most 60 characters
SECTION_PAGE = "tables/vector-by-vector/6-7-img-src-z-onerror-alert-3/index.html"

CATALOGUE = textwrap.dedent("""\
    table: vector-by-vector
    title: 'Table {{ 6*7 }} <img src=y onerror=alert(2)>'
    entries:
    - id: x-evil
      name: %(text)s
      section: %(section)s
      tags: [%(text)s]
      note: %(text)s
      revisions:
      - {date: 2026-01-02, reason: %(text)s}
      symbols:
        A: {shape: [m, n]}
        x: {shape: [n]}
      of: y[i] = A[i,j] * x[j]
      wrt: x[k]
      derivative: A[i,k]
      sources:
      - {ref: %(text)s, note: %(text)s}
      claims:
      - {source: %(text)s, layout: numerator, matrix: "A", note: %(text)s}
      - {source: %(text)s, layout: denominator, matrix: "A", erratum: true, note: %(text)s}
    """) % {"text": json.dumps(TEXT), "section": json.dumps(SECTION)}


class Elements(HTMLParser):
    """Every element and attribute of a page, and its visible text."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)
        elif self.elements and self.elements[-1][0] == "script":
            self.scripts.append(data)


@pytest.fixture(scope="module")
def site(tmp_path_factory, new_project):
    tmp = tmp_path_factory.mktemp("evil")
    docs = new_project(tmp)
    (tmp / "identities").mkdir()
    (tmp / "identities" / "evil.yaml").write_text(CATALOGUE, encoding="utf-8")
    assert build_site([str(tmp / "identities")], docs) == 0
    r = subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "--strict", "-q",
                        "-f", str(tmp / "mkdocs.yml"), "-d", str(tmp / "site")],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return tmp


def pages(site: Path) -> dict[str, Elements]:
    out = {}
    for p in sorted((site / "site").rglob("*.html")):
        parsed = Elements()
        parsed.feed(p.read_text(encoding="utf-8"))
        out[p.relative_to(site / "site").as_posix()] = parsed
    return out


def test_no_page_gains_an_element_or_a_handler(site):
    for name, page in pages(site).items():
        for tag, attrs in page.elements:
            assert not any(k.startswith("on") for k in attrs), (name, tag, attrs)
            assert not (tag == "img" and attrs.get("src") in ("x", "y", "z")), name
            if tag == "script":
                assert "src" in attrs or attrs.get("type") in ("application/json", None), name
            if tag == "script" and "src" in attrs:
                assert attrs["src"].startswith(("assets/", "../", "search/")) \
                    or "/assets/" in attrs["src"], (name, attrs)
        assert not any("alert" in code for code in page.scripts), name


@pytest.mark.parametrize("page, literal", [
    ("entries/x-evil/index.html", TEXT),
    ("entries/index.html", TEXT),
    ("errata/index.html", TEXT),
    ("tables/vector-by-vector/index.html", "Table {{ 6*7 }} <img src=y onerror=alert(2)>"),
    ("tables/index.html", "Table {{ 6*7 }} <img src=y onerror=alert(2)>"),
    (SECTION_PAGE, "Table {{ 6*7 }} <img src=y onerror=alert(2)>: " + SECTION),
    ("tables/vector-by-vector/index.html", SECTION),
    ("tables/index.html", SECTION),
    ("entries/x-evil/index.html", SECTION),
    ("entries/index.html", SECTION),
])
def test_the_text_is_shown_literally(site, page, literal):
    text = " ".join("".join(pages(site)[page].text).split())
    assert " ".join(literal.split()) in text, page
    assert "Evil 49" not in text and "Table 42" not in text


def test_the_entry_page_shows_every_field_literally(site):
    text = " ".join("".join(pages(site)["entries/x-evil/index.html"].text).split())
    # name (title and heading), tag, note, revision reason, source note, claim note
    assert text.count(" ".join(TEXT.split())) >= 6, text.count(TEXT)
    assert "<img src=x onerror=alert(1)>" in text


def test_the_json_download_holds_the_text_unchanged(site):
    data = json.loads((site / "docs" / "downloads" / "catalogue.json").read_text())
    [entry] = data["entries"]
    assert entry["name"] == TEXT and entry["tags"] == [TEXT]


def test_latex_and_bibtex_escape_it(site):
    tex = (site / "docs" / "downloads" / "matrix-calculus-numerator.tex").read_text()
    assert r"\{\{ 7*7 \}\}" in tex and r"\{\% if true \%\}" in tex
    assert r"\textless{}script\textgreater{}" in tex and "<script>" not in tex
    bib = (site / "docs" / "downloads" / "matrix-calculus.bib").read_text()
    record = bib.split("@misc{mcr-x-evil,")[1]
    title = re.search(r"title\s*=\s*\{\{(.*)\}\},", record).group(1)
    assert "7*7" in title and "<script>" not in title and "{{" not in title


def test_markdown_sources_carry_no_live_template_or_tag(site):
    for p in (site / "docs").rglob("*.md"):
        # a fenced code block (the cite box) shows its content as written: leave it out
        text = re.sub(r"^( *)(`{3,}).*?^\1\2$", "", p.read_text(encoding="utf-8"),
                      flags=re.M | re.S)
        assert "<script>alert" not in text and "<img src=x" not in text, p
        body = text.split("\n---\n", 1)[-1]
        assert "{{ 7*7 }}" not in body, p      # braces are written as entities
