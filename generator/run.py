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


def verify_all(entries: list[Entry], jobs: int = 0, limit: float = TIME_LIMIT,
               use_cache: bool = True) -> list:
    """Results in the order of `entries`, from the cache where it has them; jobs=0 uses
    every core, 1 runs in this process."""
    from . import cache
    results = [cache.load(e) if use_cache else None for e in entries]
    todo = [k for k, r in enumerate(results) if r is None]
    jobs = jobs or os.cpu_count() or 1
    work = [(entries[k], limit) for k in todo]
    if jobs == 1 or len(work) < 2:
        fresh = map(_one, work)
    else:
        ctx = multiprocessing.get_context("fork")
        pool = ctx.Pool(min(jobs, len(work)))
        fresh = pool.imap(_one, work, chunksize=1)
    for k, r in zip(todo, fresh):
        results[k] = r
        if use_cache and not any("time limit" in f for f in r.failures):
            cache.store(r)
    if jobs != 1 and len(work) >= 2:
        pool.close()
        pool.join()
    return results
