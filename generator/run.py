"""Verify many entries: over all cores, each within a time limit.

Workers are forked processes, so each entry runs in isolation; a time limit is an interval
timer in the worker, so an entry that runs out fails naming the level it was in while the
rest of the run goes on.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from contextlib import contextmanager
from typing import Iterator, TextIO

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
    start = time.perf_counter()
    result = verify_entry(entry, limit)
    result.seconds = time.perf_counter() - start
    return result


class Progress:
    """A progress bar on a terminal (entries done, the slowest so far); silent otherwise."""

    def __init__(self, total: int, stream: TextIO | None = None):
        stream = stream or sys.stderr
        self.bar = None
        self.slowest: list[tuple[float, str]] = []
        if total and stream.isatty() and os.environ.get("TERM") != "dumb":
            from tqdm import tqdm
            self.bar = tqdm(total=total, unit="entry", file=stream, leave=False,
                            dynamic_ncols=True, desc="verifying")

    def done(self, result) -> None:
        if self.bar is None:
            return
        self.slowest = sorted(self.slowest + [(result.seconds, result.entry.id)],
                              reverse=True)[:3]
        self.bar.set_postfix_str("slowest: " + ", ".join(f"{i} {t:.1f}s"
                                                          for t, i in self.slowest),
                                 refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


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
    progress = Progress(len(work))
    for k, r in zip(todo, fresh):
        results[k] = r
        progress.done(r)
        if use_cache and not any("time limit" in f for f in r.failures):
            cache.store(r)
    progress.close()
    if jobs != 1 and len(work) >= 2:
        pool.close()
        pool.join()
    return results
