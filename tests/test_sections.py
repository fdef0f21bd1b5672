"""Sections (generator/sections.py): a table divided into pages of at most PAGE_LIMIT entries.
Titles and their consistency are checked by `load_catalogue` (for every command), the page
limit by the site's stages; every problem is a `path:line: id: message` line."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.catalogue import load_catalogue
from generator.sections import PAGE_LIMIT, check_pages, check_section, pages, slug
from generator.site.build import build_site


def entry(eid: str, section: str | None) -> str:
    line = f"  section: {section}\n" if section is not None else ""
    return (f"- id: {eid}\n  name: Entry {eid}\n{line}  symbols:\n    x: {{shape: [n]}}\n"
            f"  of: y = x[i] * x[i]\n  wrt: x[k]\n  derivative: 2 * x[k]\n")


def catalogue(tmp_path: Path, sections: list[str | None], table: str = "t") -> Path:
    path = tmp_path / f"{table}.yaml"
    path.write_text(f"table: {table}\ntitle: T\nentries:\n" +
                    "".join(entry(f"e{k}", s) for k, s in enumerate(sections)), encoding="utf-8")
    return path


def entry_line(k: int, sections: list[str | None]) -> int:
    """The line of entry k's `- id:` in the file `catalogue` writes."""
    return 4 + sum(7 + (s is not None) for s in sections[:k])


@pytest.mark.parametrize("title, slugged", [
    ("Traces of products", "traces-of-products"),
    ("Losses: cross-entropy & MSE", "losses-cross-entropy-mse"),
    ("Inverses (X⁻¹)", "inverses-x"),
    ("2-norms", "2-norms"),
])
def test_a_section_page_is_named_by_its_title(title, slugged):
    assert slug(title) == slugged
    assert list(check_section(title)) == []


@pytest.mark.parametrize("value, fragment", [
    ("", "non-empty text"),
    ("   ", "non-empty text"),
    (3, "non-empty text"),
    (["Losses"], "non-empty text"),
    ("Losses\nand more", "one line"),
    ("Losses  and more", "single spaces"),
    (" Losses", "single spaces"),
    ("x" * 61, "at most 60 characters"),
    ("∂ ∇", "a letter or a digit"),
    ("Index", "take the table's own page"),
])
def test_a_bad_section_title_is_refused(value, fragment):
    assert [m for m in check_section(value) if fragment in m]


def test_a_table_has_sections_for_all_its_entries_or_for_none(tmp_path):
    sections = ["Basics", None, "Basics", None]
    path = catalogue(tmp_path, sections)
    entries, problems = load_catalogue([str(path)])
    assert [e.id for e in entries] == ["e0", "e2"]
    assert [str(p) for p in problems] == [
        f"{path}:{entry_line(k, sections)}: e{k}: table 't' is divided into sections: give "
        "this entry a section too" for k in (1, 3)]


def test_no_table_without_sections_holds_more_than_a_page(tmp_path):
    sections = [None] * (PAGE_LIMIT + 1)
    path = catalogue(tmp_path, sections)
    entries, problems = load_catalogue([str(path)])
    assert problems == [] and len(entries) == PAGE_LIMIT + 1      # verification has no limit
    assert [str(p) for p in check_pages(entries)] == [
        f"{path}:{entry_line(PAGE_LIMIT, sections)}: e{PAGE_LIMIT}: table 't' would hold "
        f"{PAGE_LIMIT + 1} entries on one page; a page holds at most {PAGE_LIMIT}: divide the "
        "table with `section:` on its entries"]
    entries, _ = load_catalogue([str(catalogue(tmp_path, [None] * PAGE_LIMIT))])
    assert check_pages(entries) == []


def test_no_section_holds_more_than_a_page(tmp_path):
    sections = ["Small"] * 2 + ["Big"] * (PAGE_LIMIT + 2)
    path = catalogue(tmp_path, sections)
    entries, problems = load_catalogue([str(path)])
    assert problems == []
    assert [str(p) for p in check_pages(entries)] == [
        f"{path}:{entry_line(2 + PAGE_LIMIT, sections)}: e{2 + PAGE_LIMIT}: section 'Big' of "
        f"table 't' would hold {PAGE_LIMIT + 2} entries on one page; a page holds at most "
        f"{PAGE_LIMIT}: split the section"]


def test_the_site_refuses_a_page_over_the_limit_and_writes_nothing(tmp_path, new_project,
                                                                  capsys):
    docs = new_project(tmp_path / "project")
    before = sorted(p.relative_to(docs) for p in docs.rglob("*"))
    path = catalogue(tmp_path, [None] * (PAGE_LIMIT + 1))
    assert build_site([str(path)], docs, verify=lambda entries: pytest.fail("verified")) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{path}:") and "a page holds at most" in err[0]
    assert err[1:] == ["1 input problem; nothing written"]
    assert sorted(p.relative_to(docs) for p in docs.rglob("*")) == before


def test_two_sections_may_not_share_a_page_name(tmp_path):
    sections = ["Norms", "norms", "Other"]
    path = catalogue(tmp_path, sections)
    entries, problems = load_catalogue([str(path)])
    assert [e.id for e in entries] == ["e0", "e2"]      # an entry with a problem is not kept
    assert [str(p) for p in problems] == [
        f"{path}:{entry_line(1, sections)}: e1: section 'norms' and section 'Norms' of table "
        "'t' would share one page name: rename one"]


def test_sections_of_different_tables_are_independent(tmp_path):
    first = catalogue(tmp_path, ["Basics"] * 3, table="a")
    second = catalogue(tmp_path, [None] * 3, table="b")
    second.write_text(second.read_text().replace("id: e", "id: f"), encoding="utf-8")
    entries, problems = load_catalogue([str(first), str(second)])
    assert problems == []
    assert {t: list(p) for t, p in pages(entries).items()} == {"a": ["Basics"], "b": [""]}


def test_pages_keep_the_order_of_first_appearance(tmp_path):
    path = catalogue(tmp_path, ["Later", "First", "Later", "First"])
    entries, problems = load_catalogue([str(path)])
    assert problems == []
    by_page = pages(entries)["t"]
    assert list(by_page) == ["Later", "First"]
    assert [e.id for e in by_page["Later"]] == ["e0", "e2"]
