"""`python -m generator check` and `lock` on a small project in a temporary folder: drift of
generated files named, GitHub annotations, the warm path, per-entry re-verification, and the
promises of ids.lock (revisions keep an id, removals leave a tombstone)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator import run as run_module
from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent

CATALOGUE = textwrap.dedent("""\
    table: vector-by-vector
    title: Test table
    entries:
    - id: c-linear-map
      name: Linear map
      symbols:
        A: {shape: [m, n]}
        x: {shape: [n]}
      of: y[i] = A[i,j] * x[j]
      wrt: x[k]
      derivative: A[i,k]
    - id: c-scaled
      name: Scaled vector
      symbols:
        a: {}
        x: {shape: [n]}
      of: y[i] = a * x[i]
      wrt: x[k]
      derivative: a * delta[i,k]
    """)


@pytest.fixture
def project(tmp_path, monkeypatch, new_project):
    """A project folder with a two-entry catalogue, its site generated and its ids locked."""
    new_project(tmp_path)
    (tmp_path / "identities").mkdir()
    (tmp_path / "identities" / "t.yaml").write_text(CATALOGUE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")         # 2026-01-01
    assert main(["lock"]) == 0
    assert main(["site", "-j", "1"]) == 0
    return tmp_path


def check(capsys, *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["check", "-j", "1", *extra])
    return code, capsys.readouterr().out


def test_an_unchanged_project_passes(project, capsys):
    code, out = check(capsys)
    assert code == 0, out
    assert "2 verified, 0 failed" in out and "generated files up to date" in out
    assert "ids.lock up to date (2 ids, 0 removed)" in out


@pytest.mark.parametrize("change, what", [
    (lambda d: (d / "entries" / "c-scaled.md").write_text("edited by hand\n"), "out of date"),
    (lambda d: (d / "entries" / "c-scaled.md").unlink(), "missing"),
    (lambda d: (d / "entries" / "old-page.md").write_text("left over\n"), "stale"),
])
def test_drift_is_named(project, capsys, change, what):
    change(project / "docs")
    code, out = check(capsys)
    assert code == 1
    line = next(x for x in out.splitlines() if what in x)
    assert line.startswith("docs/entries/") and line.endswith("(run python -m generator site)")
    assert line.split(": ")[1].startswith(what)


def test_untouched_hand_written_pages_are_not_drift(project, capsys):
    (project / "docs" / "index.md").write_text("# A different home page\n")
    assert check(capsys)[0] == 0


def test_github_actions_annotations(project, capsys, monkeypatch):
    (project / "docs" / "layouts.md").write_text("x\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out = check(capsys)
    assert code == 1
    assert "::error file=docs/layouts.md::out of date: regenerating would change it" in out


def test_failures_name_the_entry_and_annotate_its_line(project, capsys, monkeypatch):
    path = project / "identities" / "t.yaml"
    path.write_text(CATALOGUE.replace("derivative: A[i,k]", "derivative: 2 * A[i,k]"))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out = check(capsys)
    assert code == 1
    assert "identities/t.yaml:4: c-linear-map: " in out
    assert "::error file=identities/t.yaml,line=4::c-linear-map: " in out
    assert "generated files not compared" in out


def test_input_problems_exit_2(project, capsys):
    (project / "identities" / "t.yaml").write_text(CATALOGUE.replace("wrt: x[k]", "wrt: z[k]", 1))
    code, out = check(capsys)
    assert code == 2 and "identities/t.yaml:" in out and "c-linear-map" in out


def test_the_warm_path_imports_neither_sympy_nor_numpy(project):
    probe = ("import sys; from generator.cli import main; rc = main(['check', '-j', '1']); "
             "print('heavy:', sorted({'sympy', 'numpy'} & set(sys.modules))); sys.exit(rc)")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cold = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    warm = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert cold.returncode == 0 and warm.returncode == 0, cold.stdout + warm.stdout
    assert "heavy: ['numpy', 'sympy']" in cold.stdout      # the snapshot was made afresh
    assert "heavy: []" in warm.stdout


def test_a_change_to_one_entry_reverifies_that_entry_alone(project, capsys, monkeypatch):
    assert check(capsys)[0] == 0
    seen = []
    real = run_module._one
    monkeypatch.setattr(run_module, "_one", lambda args: seen.append(args[0].id) or real(args))
    path = project / "identities" / "t.yaml"
    path.write_text(CATALOGUE.replace("name: Scaled vector", "name: A scaled vector"))
    code, out = check(capsys)
    assert seen == ["c-scaled"]
    assert code == 1 and "docs/entries/c-scaled.md" in out     # its page would change


def test_a_changed_statement_needs_a_revision(project, capsys):
    path = project / "identities" / "t.yaml"
    changed = CATALOGUE.replace("a * x[i]", "x[i] * a").replace("a * delta[i,k]", "delta[i,k] * a")
    path.write_text(changed)
    code, out = check(capsys)
    assert code == 1
    assert "identities/t.yaml:12: c-scaled: the statement of this published entry changed" in out
    assert main(["lock"]) == 1                     # the lock refuses to forget the promise
    revised = changed.replace("  name: Scaled vector\n", "  name: Scaled vector\n  revisions:\n"
                              "  - {date: 2026-01-02, reason: Factors written in <b>order</b>}\n")
    path.write_text(revised)
    code, out = check(capsys)
    assert code == 1 and "ids.lock:1: -: out of date with the catalogue" in out
    assert main(["lock"]) == 0 and main(["site", "-j", "1"]) == 0
    assert check(capsys)[0] == 0
    page = (project / "docs" / "entries" / "c-scaled.md").read_text()
    assert "| 2026-01-02 | Factors written in &#60;b&#62;order&#60;/b&#62; |" in page
    assert "c-scaled: {statement: " in (project / "ids.lock").read_text()


def test_names_tags_and_sources_may_change_freely(project, capsys):
    path = project / "identities" / "t.yaml"
    path.write_text(CATALOGUE.replace("name: Linear map", "name: The linear map\n  tags: [linear]"))
    assert main(["lock"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_a_removed_entry_leaves_a_tombstone(project, capsys):
    path = project / "identities" / "t.yaml"
    path.write_text(CATALOGUE.split("- id: c-scaled")[0])
    code, out = check(capsys)
    assert code == 1
    assert "ids.lock:" in out and "c-scaled: this published id has disappeared" in out
    (project / "removed.yaml").write_text(
        "removed:\n- {id: c-scaled, date: 2026-01-03, reason: Same as <i>c-linear-map</i> with "
        "A = aI, replaced_by: c-linear-map}\n")
    assert main(["lock"]) == 0 and main(["site", "-j", "1"]) == 0
    assert check(capsys)[0] == 0
    tomb = (project / "docs" / "entries" / "c-scaled.md").read_text()
    assert "removed from the catalogue on 2026-01-03" in tomb
    assert "&#60;i&#62;c-linear-map&#60;/i&#62;" in tomb and "(c-linear-map.md)" in tomb
    assert "c-scaled: {statement: " in (project / "ids.lock").read_text().split("removed:")[1]
    # the id can never come back silently as something else
    path.write_text(CATALOGUE)
    code, out = check(capsys)
    assert code == 1 and "recorded as removed but still in the catalogue" in out


@pytest.mark.parametrize("text, message", [
    ("removed:\n- {id: c-scaled, date: 2026-13-01, reason: x}\n", "date must be a date"),
    ("removed:\n- {id: c-scaled, date: 2026-01-01}\n", "a removal has id, date, reason"),
    ("removed:\n- {id: nope, date: 2026-01-01, reason: x}\n", "never published"),
    ("gone: []\n", "removed.yaml holds one field"),
])
def test_bad_removals_are_refused(project, capsys, text, message):
    (project / "removed.yaml").write_text(text)
    code, out = check(capsys)
    assert code in (1, 2)
    assert any(x.startswith("removed.yaml:") and message in x for x in out.splitlines()), out


def test_the_site_states_version_and_date(project):
    page = (project / "docs" / "tables" / "index.md").read_text()
    assert "Catalogue version 0.1.0 of 2026-01-01" in page
    lock = (project / "ids.lock").read_text()
    assert 'date: "2026-01-01"' in lock


def test_lock_date_moves_only_when_the_lock_changes(project, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")      # 2026-01-02
    assert main(["lock"]) == 0
    assert 'date: "2026-01-01"' in (project / "ids.lock").read_text()


def test_two_site_builds_with_fresh_verification_are_byte_identical(project, tmp_path_factory):
    """Determinism end to end: verification afresh (no cache) in two processes."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    trees = []
    for k in range(2):
        docs = tmp_path_factory.mktemp(f"build{k}") / "docs"
        shutil.copytree(project / "docs", docs)
        shutil.copy(project / "mkdocs.yml", docs.parent / "mkdocs.yml")
        shutil.copy(project / "ids.lock", docs.parent / "ids.lock")
        subprocess.run([sys.executable, "-m", "generator", "site", "--no-cache", "-j", "1",
                        "--docs", str(docs), "identities"], check=True, env=env,
                       capture_output=True)
        trees.append({p.relative_to(docs).as_posix(): p.read_bytes()
                      for p in sorted(docs.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1]
    assert len(trees[0]) > 10


def test_site_reuses_the_pages_a_check_generated_from_the_same_inputs(project, capsys):
    assert check(capsys)[0] == 0
    before = {p: p.read_bytes() for p in (project / "docs").rglob("*") if p.is_file()}
    (project / "docs" / "layouts.md").write_text("damaged\n")
    assert main(["site"]) == 0
    assert "unchanged inputs" in capsys.readouterr().out
    after = {p: p.read_bytes() for p in (project / "docs").rglob("*") if p.is_file()}
    assert after == before
    (project / "identities" / "t.yaml").write_text(CATALOGUE.replace("Linear map", "Linear"))
    assert main(["site", "-j", "1"]) == 0
    assert "unchanged inputs" not in capsys.readouterr().out
