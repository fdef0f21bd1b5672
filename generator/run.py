"""Verify many entries: over all cores, each within a time limit.

Workers are forked processes, so each entry runs in isolation; a time limit is an interval
timer in the worker, so an entry that runs out fails naming the level it was in while the
rest of the run goes on.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
from contextlib import contextmanager
from typing import Iterator

from .model import Entry

TIME_LIMIT = float(os.environ.get("MCR_TIME_LIMIT", "120"))


class OutOfTime(Exception):
    pass


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise OutOfTime in this process when `seconds` have passed (main thread only)."""
    if seconds <= 0 or not hasattr(signal, "setitimer"):
        yield
        return

    def ring(signum, frame):
        raise OutOfTime()
    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _one(args):
    entry, limit = args
    from .verify import verify_entry
    return verify_entry(entry, limit)


def verify_all(entries: list[Entry], jobs: int = 0, limit: float = TIME_LIMIT) -> list:
    """Results in the order of `entries`; jobs=0 uses every core, 1 runs in this process."""
    jobs = jobs or os.cpu_count() or 1
    work = [(e, limit) for e in entries]
    if jobs == 1 or len(entries) < 2:
        return [_one(w) for w in work]
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(min(jobs, len(entries))) as pool:
        return list(pool.imap(_one, work, chunksize=1))
