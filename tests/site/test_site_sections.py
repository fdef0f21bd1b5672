"""A table divided into sections: one page per section holding its rows, the table's own page
listing the sections with an anchor for every entry (old links to a row still arrive), and
every link to an entry's row pointing at its section's page; mkdocs --strict checks them."""
from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.site.build import build_site


def entry(eid: str, section: str, power: int) -> str:
    return textwrap.dedent(f"""\
        - id: {eid}
          name: Power {power} of the norm
          section: {section}
          symbols:
            x: {{shape: [n]}}
          of: y = (x[i] * x[i]) ^ {power}
          wrt: x[k]
          derivative: {2 * power} * (x[i] * x[i]) ^ {power - 1} * x[k]
        """)


SECTIONS = {"Squares": ["s-one", "s-two"], "Higher powers": ["s-three"]}
PLAIN = textwrap.dedent("""\
    table: scalar-by-vector
    title: Scalar by vector
    entries:
    - id: p-linear
      name: Linear form
      symbols:
        a: {shape: [n]}
        x: {shape: [n]}
      of: y = a[i] * x[i]
      wrt: x[k]
      derivative: a[k]
    """)


@pytest.fixture(scope="module")
def project(tmp_path_factory, new_project):
    tmp = tmp_path_factory.mktemp("sections")
    docs = new_project(tmp)
    (tmp / "identities").mkdir()
    body = "".join(entry(eid, title, power) for power, (title, eid) in enumerate(
        ((t, e) for t, ids in SECTIONS.items() for e in ids), start=1))
    (tmp / "identities" / "sectioned.yaml").write_text(
        "table: vector-norms\ntitle: Norms\nentries:\n" + body, encoding="utf-8")
    (tmp / "identities" / "plain.yaml").write_text(PLAIN, encoding="utf-8")
    assert build_site([str(tmp / "identities")], docs) == 0
    r = subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "--strict", "-q",
                        "-f", str(tmp / "mkdocs.yml"), "-d", str(tmp / "site")],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr          # every link and anchor resolves
    return tmp


def rows(html: str) -> list[str]:
    """The ids of a page's table rows, from their Entry column anchors."""
    return re.findall(r'<a href="[^"]*entries/([a-z0-9-]+)/" id="\1"', html)


def test_each_section_is_a_page_holding_its_rows(project):
    tables = project / "docs" / "tables"
    assert not (tables / "vector-norms.md").exists()
    assert sorted(p.name for p in (tables / "vector-norms").iterdir()) == [
        "higher-powers.md", "index.md", "squares.md"]
    site = project / "site" / "tables" / "vector-norms"
    assert rows((site / "squares" / "index.html").read_text()) == ["s-one", "s-two"]
    assert rows((site / "higher-powers" / "index.html").read_text()) == ["s-three"]
    squares = (site / "squares" / "index.html").read_text()
    assert "Section 1 of 2" in squares and 'href="../higher-powers/"' in squares


def test_the_table_page_lists_the_sections_and_keeps_an_anchor_per_entry(project):
    page = (project / "site" / "tables" / "vector-norms" / "index.html").read_text()
    for title, ids in SECTIONS.items():
        slug = title.lower().replace(" ", "-")
        assert f'href="{slug}/">{title}</a>' in page
        for eid in ids:
            assert f'<a href="{slug}/#{eid}" id="{eid}">{eid}</a>' in page


def test_links_to_a_row_go_to_its_section(project):
    entry = (project / "docs" / "entries" / "s-three.md").read_text()
    assert "[Norms: Higher powers](../tables/vector-norms/higher-powers.md#s-three)" in entry
    index = (project / "docs" / "entries" / "index.md").read_text()
    assert "(../tables/vector-norms/squares.md#s-one)" in index
    assert "(../tables/scalar-by-vector.md#p-linear)" in index
    tables = (project / "docs" / "tables" / "index.md").read_text()
    assert "[Norms](vector-norms/index.md)" in tables
    assert "[Squares](vector-norms/squares.md) · [Higher powers](vector-norms/higher-powers.md)" \
        in tables
    assert "[Scalar by vector](scalar-by-vector.md) | 1 | one page |" in tables


def test_a_table_without_sections_stays_one_page(project):
    assert rows((project / "site" / "tables" / "scalar-by-vector" / "index.html").read_text()) \
        == ["p-linear"]
