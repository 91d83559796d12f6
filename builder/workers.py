"""Per-source work in a pool of worker processes, sized by `--jobs`.

Cleaning a source is a pure function of that source (and of the few dossier-wide facts passed
with it), so a cold build cleans its sources in parallel: `Workers.map(function, arguments)`
gives, in order, each call's result with the warnings it gave. The warnings come back as data
instead of being logged, here or in a worker, so the caller (the memo of builder/cache.py) logs
them in source order and keeps them with the result: a build in parallel warns exactly like one
in a single process. Recognition has its own pool (builder/cache.py), whose workers each load the
spaCy model.
"""
from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Sequence
from typing import TypeVar

from builder.cache import Warning, warnings_caught

log = logging.getLogger(__name__)
T = TypeVar("T")
Outcome = tuple[T, tuple[Warning, ...]]   # a result and the warnings computing it gave

# Starting a worker costs about a second (a fresh interpreter imports the cleaning modules:
# trafilatura, lxml), and cleaning one source takes a few milliseconds: below this many calls
# one process is as fast as two.
POOL_MIN_CALLS = 400
# Calls per task sent to a worker: enough to amortise the pickling round trip, few enough that
# the workers finish at about the same time.
_CHUNK = 32


class Workers:
    """A pool of `jobs` spawned worker processes, started on the first map big enough to need
    it and kept for the next ones; use as a context manager, which stops it."""

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self._pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def map(self, function: Callable[..., T], arguments: Sequence[tuple]) -> list[Outcome[T]]:
        """`function(*args)` for each `args`, with its warnings, in order. `function` must be a
        module-level function and the arguments must pickle (they travel to the workers)."""
        calls = [(function, args) for args in arguments]
        if self.jobs == 1 or len(calls) < POOL_MIN_CALLS:
            return [_call(call) for call in calls]
        if self._pool is None:
            # "spawn": a fresh interpreter per worker, safe even when the caller has threads
            # (mkdocs serve) and the same on every platform.
            self._pool = multiprocessing.get_context("spawn").Pool(self.jobs)
            log.info("%s and what follows in %d worker processes", function.__name__, self.jobs)
        return self._pool.map(_call, calls, chunksize=_CHUNK)


def _call(call: tuple[Callable[..., T], tuple]) -> Outcome[T]:
    function, args = call
    with warnings_caught(instead_of_logging=True) as warnings:
        result = function(*args)
    return result, tuple(warnings)
