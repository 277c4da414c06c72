"""Network discipline for deep-translator: a total deadline on every request, retries, a breaker.

deep-translator 1.11.4 calls `requests.get/post` with no timeout (its issue #186), so one stalled
server hangs a build for ever. We replace the `requests` name inside its provider modules with
`GuardedRequests`, which forwards everything to `requests` but adds our limits and records the HTTP
status of each exchange, so a retry decision does not depend on how each deep-translator class
wraps (or swallows) errors.

The deadline is total (connect, headers, whole body) and the answer's size is bounded: see
deadline.py.
Why this and not "run each call in a worker thread with a deadline": a thread stuck in a socket read
cannot be killed; it keeps its connection open and blocks interpreter exit (ThreadPoolExecutor joins
its workers), so the deadline would only move the hang to the end of the run. Shutting the socket
down (deadline.py) ends the read itself. The substitution is installed once, under a lock, and holds no per-call
state (deadline, connections and the exchange record are thread-local), so concurrent calls do not
race.
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from dataclasses import dataclass

from urllib.parse import urlsplit

from .deadline import (AnswerTooLarge, Deadline, DeadlineExceeded, answer_limit, current_deadline,
                       guard_session, read_body, request_size)

logger = logging.getLogger(__name__)


def _requests():
    """requests, imported on first use: a build that calls no provider never loads it (~50 ms)."""
    import requests

    return requests

DEFAULT_TIMEOUT = 10.0
_local = threading.local()
_install_lock = threading.Lock()
@dataclass
class Exchange:
    """What the last request of this thread did: filled by GuardedRequests, read by classify()."""

    status: int | None = None
    error: BaseException | None = None
    retry_after: float | None = None


def exchange() -> Exchange:
    if getattr(_local, "exchange", None) is None:
        _local.exchange = Exchange()
    return _local.exchange


def begin_exchange(timeout: float) -> Exchange:
    _local.timeout = timeout
    _local.exchange = Exchange()
    return _local.exchange


def current_timeout() -> float:
    return getattr(_local, "timeout", None) or DEFAULT_TIMEOUT


def _session():
    # One session per thread: keep-alive across segments, and Session is not shared between threads.
    if getattr(_local, "session", None) is None:
        _local.session = guard_session(_requests().Session())
    return _local.session


def _retry_after(response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


class GuardedRequests:
    """Stands in for the `requests` module inside deep-translator's provider modules."""

    def __getattr__(self, name):
        return getattr(_requests(), name)

    def get(self, url, params=None, **kwargs):
        return self.request("GET", url, params=params, **kwargs)

    def post(self, url, data=None, json=None, **kwargs):  # noqa: A002 (requests' own names)
        return self.request("POST", url, data=data, json=json, **kwargs)

    def request(self, method, url, **kwargs):
        record = exchange()
        deadline = current_deadline()
        own = deadline is None  # called outside call_with_retry: a deadline of our own
        if own:
            deadline = Deadline(current_timeout()).__enter__()
        try:
            return self._request(method, url, record, deadline, kwargs)
        finally:
            if own:
                deadline.__exit__(None, None, None)

    def _request(self, method, url, record, deadline, kwargs):
        requests = _requests()
        left = max(0.001, deadline.remaining())
        kwargs["timeout"] = (left, left)
        kwargs["stream"] = True
        sent = request_size(url, kwargs)
        try:
            response = _session().request(method, url, **kwargs)
            if deadline.fired:  # cut in the headers: what was parsed is not an answer
                response.close()
                raise DeadlineExceeded(deadline.seconds, urlsplit(url).netloc or "the provider")
            record.status = response.status_code
            record.retry_after = _retry_after(response)
            response._content = read_body(response, deadline, answer_limit(sent), sent)
        except requests.RequestException as exc:
            if deadline.fired or deadline.remaining() <= 0:
                exc = DeadlineExceeded(deadline.seconds, urlsplit(url).netloc or "the provider")
            record.error = exc
            raise exc from None
        except (DeadlineExceeded, AnswerTooLarge) as exc:
            record.error = exc
            raise
        except OSError as exc:  # the watchdog shut the socket down under a read
            if deadline.fired:
                exc = DeadlineExceeded(deadline.seconds, urlsplit(url).netloc or "the provider")
            record.error = exc
            raise exc from None
        return response


GUARD = GuardedRequests()


def install(*modules):
    """Make the given modules' `requests` the guarded one (idempotent, thread-safe)."""
    with _install_lock:
        for module in modules:
            if getattr(module, "requests", None) is not GUARD:
                module.requests = GUARD


# -- failures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    kind: str  # rate_limited, server_error, timeout, connection, invalid_response, refused, ...
    message: str
    retryable: bool
    fatal: bool = False  # no point trying again this run (bad key, quota)
    retry_after: float | None = None


class ProviderError(Exception):
    """One or more segments could not be translated; `partial` holds those that were."""

    def __init__(self, fault: Fault, partial: dict | None = None):
        super().__init__(fault.message)
        self.fault = fault
        self.partial = partial or {}


def _status_of(exc, record: Exchange) -> int | None:
    for candidate in (getattr(exc, "http_status_code", None), record.status):
        if isinstance(candidate, int):
            return candidate
    return None


INVALID = "invalid response (not the JSON the client expects)"


def classify(exc: BaseException, record: Exchange | None = None) -> Fault:
    """Turn whatever a provider raised into a Fault, using the recorded HTTP exchange first."""
    if isinstance(getattr(exc, "fault", None), Fault):
        return exc.fault
    record = record or Exchange()
    for ours in (exc, record.error):  # the deadline's own faults, perhaps wrapped by the client
        if isinstance(ours, (DeadlineExceeded, AnswerTooLarge)):
            return Fault(ours.kind, str(ours), ours.retryable)
    cause = exc.__cause__ if isinstance(exc.__cause__, _requests().RequestException) else None
    transport = record.error or cause or exc
    if isinstance(transport, _requests().JSONDecodeError):  # a RequestException, but not the network
        return Fault("invalid_response", INVALID, False)
    if isinstance(transport, _requests().Timeout):
        return Fault("timeout", f"no answer from {_host(transport)} within {current_timeout():g}s",
                     True)
    if isinstance(transport, _requests().ConnectionError):
        return Fault("connection", f"connection to {_host(transport)} failed "
                     f"({_reason(transport)})", True)
    if isinstance(transport, _requests().RequestException):
        return Fault("request", f"request to {_host(transport)} failed ({_reason(transport)})",
                     False)
    status = _status_of(exc, record)
    if type(exc).__name__ in ("TooManyRequests", "TooManyRequestsException"):
        status = 429
    if status == 429:
        return Fault("rate_limited", "rate limited (HTTP 429)", True,
                     retry_after=record.retry_after)
    if status is not None and status >= 500:
        return Fault("server_error", f"server error (HTTP {status})", True,
                     retry_after=record.retry_after)
    if status in (401, 403, 456):
        what = "the quota" if status == 456 else "the key"
        return Fault("refused", f"refused (HTTP {status}): check {what}", False, fatal=True)
    if status is not None and status >= 400:
        return Fault("bad_request", f"request rejected (HTTP {status})", False)
    if isinstance(exc, (json.JSONDecodeError, ValueError)) or "json" in type(exc).__name__.lower():
        return Fault("invalid_response", INVALID, False)
    if isinstance(exc, (KeyError, TypeError, AttributeError, IndexError)):
        return Fault("invalid_response", f"unexpected response shape ({type(exc).__name__})", False)
    return Fault("error", f"{type(exc).__name__}: {_short(exc)}", False)


def _host(exc) -> str:
    """Where the request went, without path or query: deep-translator puts the text and
    LibreTranslate's api_key in the query string, and messages end up in logs and reports."""
    url = getattr(getattr(exc, "request", None), "url", None) or ""
    return urlsplit(url).netloc or "the provider"


def _reason(exc) -> str:
    text = str(exc).lower()
    for needle, reason in (("refused", "refused"), ("name or service", "unknown host"),
                           ("nodename", "unknown host"), ("resolve", "unknown host"),
                           ("reset", "reset by the server"), ("ssl", "TLS error"),
                           ("remotedisconnected", "the server hung up"),
                           ("aborted", "the server hung up")):
        if needle in text:
            return reason
    return type(exc).__name__


def _short(exc, limit=160):
    text = " ".join(str(exc).split()) or type(exc).__name__
    text = re.sub(r"\?[^\s'\")]+", "?…", text)  # never a query string (text, api_key) in a report
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- retry and circuit breaker -------------------------------------------------------------------


class CircuitBreaker:
    """After `threshold` consecutive failed requests, the provider is left alone for the run."""

    def __init__(self, threshold: int):
        self.threshold = max(1, threshold)
        self._failures = 0
        self._open_fault: Fault | None = None
        self._lock = threading.Lock()

    @property
    def open(self) -> bool:
        return self._open_fault is not None

    @property
    def fault(self) -> Fault | None:
        return self._open_fault

    def success(self):
        with self._lock:
            self._failures = 0

    def failure(self, fault: Fault):
        with self._lock:
            self._failures += 1
            if self._open_fault is None and (fault.fatal or self._failures >= self.threshold):
                why = fault.message if fault.fatal else (
                    f"{self._failures} consecutive failures, last: {fault.message}")
                self._open_fault = Fault("circuit_open", f"provider left alone for this run "
                                         f"({why})", False, fatal=True)
                logger.warning("translation: %s", self._open_fault.message)


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 3
    backoff: float = 1.0
    backoff_max: float = 30.0

    def delay(self, attempt: int, fault: Fault) -> float:
        """Exponential backoff with "equal jitter": between half and all of base * 2**attempt."""
        ceiling = min(self.backoff_max, self.backoff * (2 ** attempt))
        wait = ceiling / 2 + random.uniform(0, ceiling / 2)
        if fault.retry_after is not None:
            wait = max(wait, min(fault.retry_after, self.backoff_max))
        return wait


def call_with_retry(fn, *, timeout: float, policy: RetryPolicy, breaker: CircuitBreaker,
                    sleep=time.sleep):
    """Call fn() with our timeout, retrying retryable faults; ProviderError when it gives up."""
    attempt = 0
    while True:
        if breaker.open:
            raise ProviderError(breaker.fault)
        record = begin_exchange(timeout)
        try:
            with Deadline(timeout):
                result = fn()
        except Exception as exc:  # providers raise anything, including bare Exception
            fault = classify(exc, record)
            breaker.failure(fault)
            if not fault.retryable or attempt >= policy.retries or breaker.open:
                raise ProviderError(fault) from exc
            wait = policy.delay(attempt, fault)
            logger.info("translation: %s; retry %d/%d in %.2fs", fault.message, attempt + 1,
                        policy.retries, wait)
            sleep(wait)
            attempt += 1
            continue
        breaker.success()
        return result
