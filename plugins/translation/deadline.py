"""A total deadline for one provider request, and a limit on the size of its answer.

requests' timeout bounds the connection and each socket read, not the request: a server that
trickles one byte every few seconds never trips it. Here the deadline is total (connect, status
line, headers and the whole body):
- the body is read in chunks (stream=True) against a monotonic deadline, and at most
  `answer_limit()` bytes of it: a 5 MB answer to a 1 KB request is refused, never loaded;
- a watchdog (`Deadline`, one per attempt, started by transport.call_with_retry) shuts down the
  sockets of the attempt's connections when the deadline passes, which ends a read blocked in the
  status line or the headers too. It knows the connections because our sessions mount
  `deadline_adapter()`, whose pools register each connection they hand out with the current
  thread's deadline.
Shutting a socket down ends a blocked read in any thread, where a worker thread with a deadline
could only be abandoned, still holding its connection and blocking interpreter exit.
"""

from __future__ import annotations

import json
import threading
import time
from urllib.parse import urlsplit

# The largest answer accepted: generous for any translation of the request (a French answer is
# rarely 1.3 times its English source; markup and JSON around it add little), far below what
# would hurt memory or the YAML of a memory file.
ANSWER_FLOOR, ANSWER_FACTOR = 64 * 1024, 16
_local = threading.local()


class DeadlineExceeded(Exception):
    """The whole request (connect + headers + body) did not fit in its deadline."""

    def __init__(self, seconds: float, host: str = "the provider"):
        super().__init__(f"no complete answer from {host} within {seconds:g}s")
        self.kind, self.retryable = "timeout", True  # transport.classify makes it a Fault


class AnswerTooLarge(Exception):
    """The answer is far larger than any translation of the request could be."""

    def __init__(self, limit: int, sent: int):
        super().__init__(f"answer larger than {limit:,} bytes for a request of {sent:,} bytes: "
                         "refused")
        self.kind, self.retryable = "oversized", False


class Deadline:
    """The deadline of one attempt on this thread, and the connections it may have to cut."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.fired = False
        self._connections: list = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def watch(self, connection):
        with self._lock:
            self._connections.append(connection)
            fired = self.fired
        if fired:
            _cut(connection)

    def _fire(self):
        with self._lock:
            self.fired = True
            connections = list(self._connections)
        for connection in connections:
            _cut(connection)

    def __enter__(self):
        _local.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc):
        self._timer.cancel()
        if getattr(_local, "deadline", None) is self:
            _local.deadline = None


def _cut(connection):
    import socket

    sock = getattr(connection, "sock", None)
    if sock is None:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)  # wakes a recv() blocked in another thread
    except OSError:
        pass


def current_deadline() -> Deadline | None:
    return getattr(_local, "deadline", None)


def _watch_pool(pool):
    """Make `pool` register every connection it hands out with the thread's deadline."""
    if getattr(pool, "_digest_watched", False):
        return pool
    original = pool._get_conn

    def get_conn(*args, **kwargs):
        connection = original(*args, **kwargs)
        deadline = current_deadline()
        if deadline is not None:
            deadline.watch(connection)
        return connection

    pool._get_conn = get_conn
    pool._digest_watched = True
    return pool


def deadline_adapter():
    """A requests HTTPAdapter whose connections the current Deadline can cut (see the module doc)."""
    from requests.adapters import HTTPAdapter

    class DeadlineAdapter(HTTPAdapter):
        def get_connection_with_tls_context(self, *args, **kwargs):
            return _watch_pool(super().get_connection_with_tls_context(*args, **kwargs))

        def get_connection(self, *args, **kwargs):  # requests < 2.32
            return _watch_pool(super().get_connection(*args, **kwargs))

    return DeadlineAdapter()


def guard_session(session):
    """Mount the deadline adapter on a requests Session (ours, or a client library's)."""
    adapter = deadline_adapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def answer_limit(sent: int) -> int:
    return max(ANSWER_FLOOR, ANSWER_FACTOR * sent)


def request_size(url, kwargs) -> int:
    size = len(url)
    for key in ("params", "data", "json"):
        value = kwargs.get(key)
        if isinstance(value, dict):
            size += sum(len(str(k)) + len(str(v)) for k, v in value.items())
        elif isinstance(value, (list, tuple)):
            size += len(json.dumps(value, ensure_ascii=False))
        elif isinstance(value, (str, bytes)):
            size += len(value)
    return size


def read_body(response, deadline, limit, sent) -> bytes:
    """The whole body, or DeadlineExceeded / AnswerTooLarge (the connection is dropped)."""
    chunks, size = [], 0
    try:
        declared = int(response.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        response.close()
        raise AnswerTooLarge(limit, sent)
    for chunk in response.iter_content(16384):
        size += len(chunk)
        if size > limit:
            response.close()
            raise AnswerTooLarge(limit, sent)
        if deadline.fired or deadline.remaining() <= 0:
            response.close()
            raise DeadlineExceeded(deadline.seconds, urlsplit(response.url or "").netloc
                                   or "the provider")
        chunks.append(chunk)
    if deadline.fired:  # cut in the body: what came is not the whole answer
        raise DeadlineExceeded(deadline.seconds, urlsplit(response.url or "").netloc
                               or "the provider")
    response._content_consumed = True
    try:
        response.raw.release_conn()  # read to the end: the connection can serve the next request
    except Exception:
        pass
    return b"".join(chunks)
