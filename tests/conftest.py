"""Import the generator before anything loads numpy, so its BLAS kernels are pinned
(generator/__init__.py) in the test process as in `python -m generator`. Also the one way
tests set up a project folder."""
from __future__ import annotations

import shutil
from pathlib import Path

import generator  # noqa: F401
import pytest

ROOT = Path(__file__).resolve().parent.parent
HAND_WRITTEN = ("index.md", "contributing.md")


def copy_project(folder: Path) -> Path:
    """`folder` made a project: mkdocs.yml, the theme's overrides and the hand-written part
    of docs/ (the pages and the vendored assets) copied in; returns its docs/."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", folder / "overrides", dirs_exist_ok=True)
    docs = folder / "docs"
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    for name in HAND_WRITTEN:
        shutil.copy(ROOT / "docs" / name, docs / name)
    return docs


@pytest.fixture(scope="session")
def new_project():
    """copy_project, for tests in any folder (a fixture, as conftest is not importable)."""
    return copy_project
