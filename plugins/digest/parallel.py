"""Work spread over every core with forked processes: they inherit the parent's plugins, compiled
patterns, settings and the items themselves, so nothing is pickled but the results.

Worker k of n makes items k, k + n, k + 2n... and writes each result down a pipe of its own; the
caller reads the next result from the worker that has it, in its own thread. No task is sent and no
thread of the caller's moves results (multiprocessing.Pool has three), so a caller busy with other
work, as Pelican is while the workers read, does not hand its interpreter lock around: reading
4,000 posts took 0.3 s less than with a pool.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal

from .config import setting

PIPE_SIZE = 1 << 20  # how far (bytes of results) a worker may run ahead of the caller


def workers(settings) -> int:
    """DIGEST_WORKERS, else every core; 1 where fork is not available."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return int(setting(settings, "DIGEST_WORKERS") or os.cpu_count() or 1)


def map_forked(fn, items, settings, minimum=None):
    """[fn(item) for item in items], by forked workers when there are at least `minimum` items
    (default DIGEST_PARALLEL_MIN, 200) and more than one worker; in this process otherwise, and for
    whatever a worker that died did not make."""
    items = list(items)
    if minimum is None:
        minimum = setting(settings, "DIGEST_PARALLEL_MIN")
    results = []
    if len(items) >= minimum:
        results = list(stream_forked(fn, items, settings) or ())
    results.extend(fn(item) for item in items[len(results):])
    return results


def stream_forked(fn, items, settings):
    """fn(item) for each item, in order, made ahead by forked workers while the caller consumes
    the first ones. None when no worker can be had (one worker, no fork). The stream ends early if
    a worker dies (the caller makes the rest); closing it (or dropping it) stops the workers."""
    count = workers(settings)
    if count < 2:
        return None
    items = list(items)
    started = []
    for k in range(count):
        try:
            started.append(_start(fn, items[k::count], started))
        except OSError:  # no process or pipe to be had: the stream is what the others make
            break
    if len(started) < count:
        _stop(started)
        return None
    return Stream(started, len(items))


def _start(fn, items, started):
    """(pid, readable end of its pipe) of a forked worker that writes fn(item) for each item."""
    read_end, write_end = os.pipe()
    try:
        import fcntl

        fcntl.fcntl(write_end, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_SIZE)
    except (ImportError, OSError):
        pass  # the system's pipe size: the worker waits for the caller more often, that is all
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        raise
    if pid == 0:  # the worker: its results, then out without running the caller's exit handlers
        code = 0
        gc.freeze()  # the collector never walks what the worker inherited (each walk copied pages)
        try:
            os.close(read_end)
            for _pid, other in started:
                other.close()
            with open(write_end, "wb", buffering=1 << 16) as out:
                for item in items:
                    pickle.dump(fn(item), out, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - the caller sees the stream end and does the rest
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, open(read_end, "rb", buffering=1 << 16)


class Stream:
    """The results of stream_forked's workers, in order. Its workers are stopped and reaped when
    the last result is read, when a worker dies, or when it is closed or dropped, even unread."""

    def __init__(self, started, total):
        self._started, self._total, self._index = started, total, 0

    def __iter__(self):
        return self

    def __next__(self):
        if self._index >= self._total or not self._started:
            self.close()
            raise StopIteration
        _pid, stream = self._started[self._index % len(self._started)]
        try:
            result = pickle.load(stream)
        except (EOFError, OSError, pickle.UnpicklingError):  # the worker died
            self.close()
            raise StopIteration from None
        self._index += 1
        return result

    def close(self):
        _stop(self._started)

    def __del__(self):
        self.close()


def _stop(started):
    """Kill (a worker still busy: nobody will read what it makes) and reap each worker, once:
    the list is emptied, so that a pid the system gives out again is never signalled."""
    while started:
        pid, stream = started.pop()
        stream.close()
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


_BACKGROUND: list = []  # (pid, pipe the error comes back on, on_error) of in_background's writers


def in_background(fn, on_error):
    """fn() in a forked process while this one goes on (a cache pickled to disk while the build
    carries on); in this process when no fork can be had. wait_background() waits for them all and
    calls on_error(message) here for each fn that raised, so a failure is reported (and fails the
    build under --fatal warnings) as if fn had run in this process."""
    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except (AttributeError, OSError):
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - reported as the forked writer's would be
            on_error(f"{type(exc).__name__}: {exc}")
        return
    if pid == 0:  # the writer: out without the caller's exit handlers, its error down the pipe
        code = 0
        try:
            os.close(read_end)
            fn()
        except BaseException as exc:  # noqa: BLE001
            code = 1
            try:
                os.write(write_end, f"{type(exc).__name__}: {exc}".encode("utf-8", "replace")[:4000])
            except OSError:
                pass
        finally:
            os._exit(code)
    os.close(write_end)
    _BACKGROUND.append((pid, read_end, on_error))


def wait_background():
    """Wait for every in_background writer (a build is over once its caches are on disk), and
    report those that failed."""
    while _BACKGROUND:
        pid, read_end, on_error = _BACKGROUND.pop(0)
        try:
            _pid, status = os.waitpid(pid, 0)
        except ChildProcessError:
            status = 0
        try:
            message = os.read(read_end, 4096).decode("utf-8", "replace")
        finally:
            os.close(read_end)
        if status != 0:
            on_error(message or f"the writer process ended with status {status}")
