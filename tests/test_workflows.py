"""The CI workflow and .ci/run run the same steps, and the pages workflow deploys the site the
way GitHub Pages expects."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _workflow(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())


def _make_targets(commands: list[str]) -> list[str]:
    return [m.group(1) for c in commands for m in re.finditer(r"\bmake (\w+)", c)]


def test_ci_and_ci_run_run_the_same_steps():
    steps = _workflow("ci.yml")["jobs"]["test"]["steps"]
    workflow = _make_targets([s["run"] for s in steps if "run" in s])
    script = _make_targets([line for line in (ROOT / ".ci" / "run").read_text().splitlines()
                            if not line.lstrip().startswith("#")])
    assert workflow == script == ["test", "site", "linkcheck"]


def test_ci_steps_are_named_for_what_the_issue_asks():
    names = [s.get("name", "") for s in _workflow("ci.yml")["jobs"]["test"]["steps"]]
    assert {"Tests and check", "Site build", "Link check"} <= set(names)
    makefile = (ROOT / "Makefile").read_text()
    test_recipe = makefile.split("\ntest:")[1].split("\n\n")[0]
    assert "-m generator check" in test_recipe and "-m pytest" in test_recipe
    assert "linkchecker" in makefile.split("\nlinkcheck:")[1].split("\n\n")[0]


def test_pages_deploys_with_the_official_actions():
    wf = _workflow("pages.yml")
    uses = [s.get("uses", "") for job in wf["jobs"].values() for s in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert wf["permissions"]["pages"] == "write" and wf["permissions"]["id-token"] == "write"
