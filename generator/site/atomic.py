"""Write the generated part of docs/ all at once: everything goes into a temporary folder
next to docs/ first, and only a complete build is moved into place, item by item, each
move atomic (a directory is swapped with renameat2's RENAME_EXCHANGE where the kernel has
it). A failed or killed build leaves the previous pages as they were; hand-written pages
(anything not generated) are never touched."""
from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from pathlib import Path
from typing import Mapping

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
    docs.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=PREFIX, dir=docs.parent))
    try:
        new, trash = tmp / "new", tmp / "old"
        trash.mkdir()
        for rel, content in sorted(files.items()):
            path = new / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            data = content.encode("utf-8") if isinstance(content, str) else content
            path.write_bytes(data)
            path.chmod(0o644)
        for item in sorted(new.iterdir()):
            if item.is_dir():
                item.chmod(0o755)
            _install(item, docs / item.name, trash)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
