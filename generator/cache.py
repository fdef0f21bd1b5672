"""A cache of verification results, so that an unchanged catalogue re-checks at once.

A result is keyed by the entry's content (its fields as read, with its file's table) and by
the generator itself (its version and a digest of its source), so any change to an entry or
to the engine re-verifies. The folder (`.cache/verify/`) is ignored by git and written only
by this module; a damaged file is treated as a miss.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path

from . import VERSION
from .model import Entry

FOLDER = Path(os.environ.get("MCR_CACHE", ".cache/verify"))


@lru_cache(maxsize=1)
def engine_digest() -> str:
    """The generator's version and a digest of its Python source."""
    h = hashlib.sha256(VERSION.encode())
    for p in sorted(Path(__file__).parent.glob("*.py")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def entry_key(entry: Entry) -> str:
    text = json.dumps({"table": entry.table, "entry": entry.raw, "engine": engine_digest(),
                       "exact_always": os.environ.get("MCR_EXACT_ALWAYS", "")},
                      sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def load(entry: Entry):
    path = FOLDER / f"{entry_key(entry)}.pickle"
    try:
        with open(path, "rb") as f:
            result = pickle.load(f)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
        return None
    # the entry object itself (path, line) may differ from the cached one's: use today's
    result.entry = entry
    return result


def store(result) -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    path = FOLDER / f"{entry_key(result.entry)}.pickle"
    fd, tmp = tempfile.mkstemp(dir=FOLDER, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except (OSError, pickle.PickleError, TypeError, AttributeError):
        Path(tmp).unlink(missing_ok=True)
