"""`python -m generator site` killed with SIGKILL while it writes (issue 6, point 7): the
previous docs/ must stay byte for byte as it was (or, if the kill came after the one swap
that puts a build in place, be exactly the new build), with no half-written file in it; and
the next build cleans up after the killed one.

Every build is a real subprocess on the small test catalogue, with its own verification
cache (warm after the first build), so each takes about a second. The second build differs
from the first in every page that dates a citation (SOURCE_DATE_EPOCH), so a mix of the two
would show. Kills come at chosen points (a driver pauses the build there and says so in a
file, then it is killed) and at several moments after the temporary folder appears.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.site.atomic import PREFIX

ROOT = Path(__file__).resolve().parents[2]
HAND_WRITTEN = ("index.md", "contributing.md")
OLD_DATE, NEW_DATE = "1735689600", "1767225600"        # 2025-01-01, 2026-01-01
TIMEOUT = 300

# Runs the CLI with one pause point armed: the build writes a marker file there and sleeps
# until it is killed. The points name the steps of generator/site/atomic.py.
DRIVER = r"""
import sys, time
from pathlib import Path
import generator.site.atomic as atomic

marker, point, argv = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]

def pause():
    marker.write_text(point)
    time.sleep(600)

if point.startswith("write:"):              # in the middle of writing the n-th page
    n, real, count = int(point[6:]), Path.write_bytes, [0]
    def write_bytes(self, data):
        count[0] += 1
        if count[0] == n:
            real(self, data[:len(data) // 2])
            pause()
        return real(self, data)
    Path.write_bytes = write_bytes
elif point == "before-swap":                # everything written and linked, nothing swapped
    real_exchange = atomic._exchange
    def exchange(a, b):
        pause()
        return real_exchange(a, b)
    atomic._exchange = exchange
elif point == "after-swap":                 # swapped, the old folder not yet removed
    real_exchange = atomic._exchange
    def exchange(a, b):
        done = real_exchange(a, b)
        pause()
        return done
    atomic._exchange = exchange
else:
    raise SystemExit(f"unknown pause point {point}")

from generator.cli import main
sys.exit(main(argv))
"""


def tree(path: Path) -> dict[str, str]:
    """Every file under `path` with a digest of its bytes (and every folder, as '/')."""
    out = {}
    for p in sorted(path.rglob("*")):
        rel = str(p.relative_to(path))
        out[rel] = "/" if p.is_dir() and not p.is_symlink() else \
            hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def env(tmp: Path, date: str) -> dict[str, str]:
    return {**os.environ, "MCR_CACHE": str(tmp / "cache"), "SOURCE_DATE_EPOCH": date,
            "PYTHONPATH": str(ROOT)}


def site_args(docs: Path, catalogue: Path) -> list[str]:
    return ["site", "--docs", str(docs), "-j", "1", str(catalogue)]


def build(tmp: Path, docs: Path, catalogue: Path, date: str) -> None:
    r = subprocess.run([sys.executable, "-m", "generator", *site_args(docs, catalogue)],
                       cwd=tmp, env=env(tmp, date), capture_output=True, text=True,
                       timeout=TIMEOUT)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.fixture(scope="module")
def builds(tmp_path_factory, catalogue_dir, new_project):
    """The pages of a build dated OLD_DATE (in place before every kill) and of one dated
    NEW_DATE (what every killed build was writing), with a warm cache for both."""
    tmp = tmp_path_factory.mktemp("kill")
    old = new_project(tmp / "old")
    build(tmp, old, catalogue_dir, OLD_DATE)
    new = new_project(tmp / "new")
    build(tmp, new, catalogue_dir, NEW_DATE)
    before, after = tree(old), tree(new)
    changed = [k for k in before if k in after and before[k] != after[k]]
    assert len(changed) > 5, "the two builds must differ in many pages for a mix to show"
    return tmp, old, before, after


def fresh(tmp: Path, old: Path, name: str) -> Path:
    """A copy of the old project in which a build is to be killed."""
    folder = tmp / name
    folder.mkdir()
    shutil.copy(old.parent / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(old, folder / "docs", symlinks=True)
    return folder / "docs"


def leftovers(docs: Path) -> list[Path]:
    return sorted(docs.parent.glob(PREFIX + "*"))


def wait_for(predicate, proc: subprocess.Popen, what: str, seconds: float = TIMEOUT) -> None:
    end = time.monotonic() + seconds
    while not predicate():
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the build ended (exit {proc.returncode}) before {what}:\n{out}{err}")
        if time.monotonic() > end:
            proc.kill()
            pytest.fail(f"no {what} within {seconds} s")
        time.sleep(0.0005)


def kill(proc: subprocess.Popen) -> int:
    """SIGKILL, then the exit status (0 if the build was done before the signal came)."""
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=TIMEOUT)
    assert proc.returncode in (-signal.SIGKILL, 0), proc.communicate()
    return proc.returncode


@pytest.mark.parametrize("point, outcome", [
    ("write:1", "old"),           # the first page half written into the temporary folder
    ("write:25", "old"),          # half of the pages written, one of them half
    ("before-swap", "old"),       # the new folder complete, hand-written pages linked in
    ("after-swap", "new"),        # the one step done: docs/ is the whole new build
])
def test_killed_at_a_point(builds, catalogue_dir, point, outcome):
    tmp, old, before, after = builds
    docs = fresh(tmp, old, point.replace(":", "-"))
    marker = tmp / f"{point.replace(':', '-')}.paused"
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(marker), point,
                             *site_args(docs, catalogue_dir)], cwd=tmp, env=env(tmp, NEW_DATE),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(marker.exists, proc, f"pause at {point}")
    assert leftovers(docs), "the build writes into a temporary folder beside docs/"
    assert kill(proc) == -signal.SIGKILL           # it was paused: the signal ended it
    assert tree(docs) == (before if outcome == "old" else after)
    for name in HAND_WRITTEN:
        assert (docs / name).read_bytes() == (ROOT / "docs" / name).read_bytes()
    # the next build finishes the job and removes what the killed one left behind
    build(tmp, docs, catalogue_dir, NEW_DATE)
    assert tree(docs) == after
    assert leftovers(docs) == []


@pytest.mark.parametrize("delay", [0.0, 0.002, 0.01, 0.03, 0.1])
def test_killed_at_some_moment_while_writing(builds, catalogue_dir, delay):
    # No instrumentation: the real command, killed `delay` seconds after its temporary folder
    # appears. Whenever the kill lands, docs/ is one whole build, never a mix.
    tmp, old, before, after = builds
    docs = fresh(tmp, old, f"moment-{delay}")
    proc = subprocess.Popen([sys.executable, "-m", "generator", *site_args(docs, catalogue_dir)],
                            cwd=tmp, env=env(tmp, NEW_DATE), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    # (on a loaded machine this process may wake only after the build is done: then it was
    # not killed, and what it wrote must be the whole new build)
    end = time.monotonic() + TIMEOUT
    while not leftovers(docs) and proc.poll() is None and time.monotonic() < end:
        time.sleep(0.0005)
    time.sleep(delay)
    if proc.poll() is None:
        kill(proc)
    assert proc.returncode in (-signal.SIGKILL, 0), proc.communicate()
    state = tree(docs)
    assert state in (before, after), sorted(
        k for k in set(state) | set(before) if state.get(k) != before.get(k))[:10]
    if proc.returncode == 0:
        assert state == after


# --- what the kills rely on, in-process ------------------------------------------------------

PAGES = {"entries/a.md": "new a\n", "tables/t.md": "new t\n", "layouts.md": "new layouts\n"}


def old_docs(tmp: Path) -> Path:
    docs = tmp / "docs"
    (docs / "entries").mkdir(parents=True)
    (docs / "assets" / "katex").mkdir(parents=True)
    (docs / "entries" / "stale.md").write_text("old page\n")
    (docs / "layouts.md").write_text("old layouts\n")
    (docs / "index.md").write_text("hand-written\n")
    (docs / "assets" / "katex" / "k.js").write_text("vendored\n")
    return docs


def expected(docs: Path) -> dict[str, str]:
    return {**{k: hashlib.sha256(v.encode()).hexdigest() for k, v in PAGES.items()},
            "index.md": hashlib.sha256(b"hand-written\n").hexdigest(),
            "assets/katex/k.js": hashlib.sha256(b"vendored\n").hexdigest(),
            "entries": "/", "tables": "/", "assets": "/", "assets/katex": "/"}


@pytest.mark.parametrize("swap", [True, False])
def test_write_tree_swaps_the_folder_or_goes_item_by_item(tmp_path, monkeypatch, swap):
    # The one swap keeps the hand-written files themselves (hard links, same inode); where
    # the system cannot swap, generated items are replaced one by one and the rest untouched.
    from generator.site import atomic
    if not swap:
        monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    docs = old_docs(tmp_path)
    inode = (docs / "index.md").stat().st_ino
    atomic.write_tree(docs, PAGES)
    assert tree(docs) == expected(docs)
    assert (docs / "index.md").stat().st_ino == inode
    assert leftovers(docs) == []


def test_write_tree_removes_what_killed_builds_left(tmp_path):
    from generator.site import atomic
    docs = old_docs(tmp_path)
    (tmp_path / f"{PREFIX}killed" / "new").mkdir(parents=True)
    atomic.write_tree(docs, PAGES)
    assert tree(docs) == expected(docs) and leftovers(docs) == []


def test_write_tree_into_the_working_directory(tmp_path, monkeypatch):
    # `site --docs .` from inside docs/: the folder must not be swapped away from under the
    # process (it would be left in a deleted directory), so it goes item by item
    from generator.site import atomic
    docs = old_docs(tmp_path)
    monkeypatch.chdir(docs)
    atomic.write_tree(Path("."), PAGES)
    assert Path.cwd().exists() and tree(docs) == expected(docs)
    assert leftovers(docs) == []
