"""Write the generated part of docs/ all at once: everything goes into a temporary folder
next to docs/ first, with the hand-written pages (anything not generated) linked in beside
the new pages, and only the complete folder takes the place of docs/, in one step: one call
of renameat2 with RENAME_EXCHANGE swaps the two folders. A failed or killed build leaves the
previous docs/ exactly as it was, never a mix of old and new pages; the hand-written pages
keep their content (the same files, linked). Where the folder cannot be swapped (no
renameat2, docs/ a symbolic link or a mount point, a file that cannot be linked), the
generated items are moved into place one by one instead, each move atomic.

Builds into one folder take turns (a lock on the folder that holds docs/), and a build first
removes the temporary folders that killed builds left behind."""
from __future__ import annotations

import ctypes
import os
import shutil
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

try:
    import fcntl
except ImportError:          # not on Windows: builds are then not made to take turns
    fcntl = None

PREFIX = ".docs-site-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths atomically; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def _install(new: Path, target: Path, trash: Path) -> None:
    """Put `new` at `target`; whatever was there ends up under `trash`."""
    if not target.exists() and not target.is_symlink():
        os.rename(new, target)
    elif new.is_dir() == target.is_dir() and not new.is_dir():
        os.replace(new, target)           # a file over a file: atomic
    elif target.is_dir() and new.is_dir() and _exchange(new, target):
        os.rename(new, trash / target.name)   # `new` now holds the old tree
    else:
        os.rename(target, trash / target.name)
        os.rename(new, target)


def write_tree(docs: Path, files: Mapping[str, str | bytes]) -> None:
    """Replace the generated items of `docs` by `files` (relative POSIX paths -> content).

    The top-level items that `files` names (a directory such as `entries/`, or a page such
    as `layouts.md`) are replaced as a whole, so pages that are no longer generated go away.
    """
    docs = Path(os.path.abspath(docs))    # `--docs .` has a parent outside itself too
    docs.mkdir(parents=True, exist_ok=True)
    with _turn(docs.parent):
        _sweep(docs.parent)
        tmp = Path(tempfile.mkdtemp(prefix=PREFIX, dir=docs.parent))
        try:
            new = tmp / "new"
            new.mkdir()
            for rel, content in sorted(files.items()):
                path = new / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                data = content.encode("utf-8") if isinstance(content, str) else content
                path.write_bytes(data)
                path.chmod(0o644)
            generated = {item.name for item in new.iterdir()}
            for item in new.iterdir():
                if item.is_dir():
                    item.chmod(0o755)
            if _swappable(docs) and _link_hand_written(docs, new, generated) \
                    and _exchange(new, docs):
                return                    # `new` now holds the old docs/, removed below
            trash = tmp / "old"
            trash.mkdir()
            for name in sorted(generated):
                _install(new / name, docs / name, trash)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def _swappable(docs: Path) -> bool:
    """Whether docs/ itself may be swapped: not a symbolic link (which would be replaced by
    a folder), and not this process's working directory or a folder above it (which would
    be left behind, deleted)."""
    if docs.is_symlink():
        return False
    try:
        here, real = Path.cwd().resolve(), docs.resolve()
    except OSError:
        return False
    return real != here and real not in here.parents


def _link_hand_written(docs: Path, new: Path, generated: set[str]) -> bool:
    """Put every item of `docs` that is not generated into `new` as well: files as hard
    links (the same files), folders as folders of links. False if something cannot be."""
    try:
        for item in docs.iterdir():
            if item.name in generated or item.name.startswith(PREFIX):
                continue
            target = new / item.name
            if item.is_symlink():
                os.symlink(os.readlink(item), target)
            elif item.is_dir():
                shutil.copytree(item, target, symlinks=True, copy_function=_link)
            elif item.is_file():
                _link(item, target)
            else:                         # a socket or a device: leave docs/ where it is
                return False
        os.chmod(new, stat.S_IMODE(docs.stat().st_mode))
        return True
    except (OSError, shutil.Error):
        return False


def _link(src, dst) -> None:
    try:
        os.link(src, dst)
    except OSError:                       # a file system without hard links: a copy
        shutil.copy2(src, dst)


@contextmanager
def _turn(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on `folder` (released by the system if the process dies)."""
    if fcntl is None:
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _sweep(folder: Path) -> None:
    """Remove the temporary folders of builds that were killed (with the lock held, no other
    build is running: every such folder is left over). Before its swap a killed build's folder
    holds only new pages; after it, the old docs/, whose hand-written files are linked in
    docs/ too. (Only item by item can a kill leave an old generated item there alone: a page
    that the next build writes again.)"""
    if fcntl is None:
        return
    for old in folder.glob(PREFIX + "*"):
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)


def write_file(path: Path, text: str) -> None:
    """Replace one file at once: a temporary file beside it, then a rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent or Path("."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
