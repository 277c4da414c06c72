"""Work spread over every core with forked processes: they inherit the parent's plugins, compiled
patterns and settings, so nothing is pickled but the items and the results."""

from __future__ import annotations

import multiprocessing
import os

_TASK = None


def _run(item):
    return _TASK(item)


def workers(settings) -> int:
    """DIGEST_WORKERS, else every core; 1 where fork is not available."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return int(settings.get("DIGEST_WORKERS") or os.cpu_count() or 1)


def map_forked(fn, items, settings, minimum=None):
    """[fn(item) for item in items], in a pool of forked workers when there are at least `minimum`
    items (default DIGEST_PARALLEL_MIN, 200) and more than one worker; in this process otherwise
    (or when a pool cannot start)."""
    items = list(items)
    if minimum is None:
        minimum = settings.get("DIGEST_PARALLEL_MIN", 200)
    stream = None
    if len(items) >= minimum:
        stream = stream_forked(fn, items, settings,
                               chunksize=max(1, len(items) // (workers(settings) * 8)))
    if stream is None:
        return [fn(item) for item in items]
    return list(stream)


def stream_forked(fn, items, settings, chunksize=16):
    """fn(item) for each item, in order, made ahead by a pool of forked workers while the caller
    consumes the first ones. None when no pool can be had (one worker, no fork, no semaphores);
    closing the generator (or dropping it) stops the pool."""
    count = workers(settings)
    if count < 2:
        return None
    global _TASK
    _TASK = fn  # the workers are forked with it: nothing is pickled but items and results
    try:
        pool = multiprocessing.get_context("fork").Pool(count)
    except OSError:
        return None
    finally:
        _TASK = None

    def results():
        try:
            yield from pool.imap(_run, items, chunksize=chunksize)
        finally:
            pool.terminate()

    return results()
