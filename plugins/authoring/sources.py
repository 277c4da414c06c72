"""Where an article comes from: a pasted text file, a saved HTML page, or a URL fetched here.

`read_source` returns the raw material and its kind; it never parses the article (see extract.py
and pasted.py). Every failure is an AuthoringError with one line an editor can act on.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from .errors import AuthoringError

USER_AGENT = "DigestIA-import/1.0 (one article, fetched once by an editor)"
TIMEOUT = 15  # seconds, for connecting and between bytes
DEADLINE = 30  # seconds for the whole request: DNS, connecting, headers and the whole body
MAX_BYTES = 5 * 1024 * 1024  # no news article needs more; stops a runaway download
HTML_TYPES = ("text/html", "application/xhtml+xml")
HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)


@dataclass
class RawSource:
    kind: str  # "text" or "html"
    data: bytes
    url: str | None  # where it was fetched from (after redirects), None for a file
    origin: str  # what the editor passed, for messages


def is_url(source: str) -> bool:
    """Whether `source` is meant as an http(s) address (readable or not: fetch_url says why not)."""
    return re.match(r"^\s*https?:", source, re.I) is not None


def looks_like_html(path: str, data: bytes) -> bool:
    if os.path.splitext(path)[1].lower() in (".html", ".htm", ".xhtml"):
        return True
    return bool(HTML_START.match(data[:2048]))


def read_file(path: str) -> RawSource:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise AuthoringError(f"{path}: no such file (give a text file, an HTML file or an http(s) URL)") from None
    except IsADirectoryError:
        raise AuthoringError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise AuthoringError(f"{path}: cannot read it ({exc.strerror})") from None
    if len(data) > MAX_BYTES:
        raise AuthoringError(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MB, not an article")
    if not data.strip():
        raise AuthoringError(f"{path}: the file is empty")
    return RawSource("html" if looks_like_html(path, data) else "text", data, None, path)


def _causes(exc) -> str:
    """The text of an exception and of everything it wraps (requests nests the real cause deep)."""
    seen, stack = [], [exc]
    while stack and len(seen) < 12:
        err = stack.pop()
        if not isinstance(err, BaseException) or any(err is s for s in seen):
            continue
        seen.append(err)
        stack += [err.__cause__, err.__context__, getattr(err, "reason", None), *err.args]
    return " ".join(str(e) for e in seen).lower()


def _network_reason(exc) -> str:
    text = _causes(exc)
    if any(k in text for k in ("name or service not known", "nodename nor servname", "getaddrinfo",
                               "name resolution", "no address associated", "failed to resolve")):
        return "the host name does not resolve (DNS): check the address"
    if "refused" in text:
        return "the connection was refused: nothing answers at that address"
    if "certificate" in text or "ssl" in text:
        return "the secure connection failed (TLS certificate problem)"
    if "reset" in text or "aborted" in text or "remote end closed" in text:
        return "the server closed the connection"
    return "the server could not be reached"


def fetch_url(url: str, *, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES,
              deadline: float = DEADLINE) -> RawSource:
    """GET an article page within `deadline` seconds in all. Raises AuthoringError on a network
    failure, an HTTP error status, a response that is not HTML, one larger than `max_bytes`, or
    one that has not fully arrived by the deadline.

    requests' timeout bounds each wait for a byte, not the request: a server that trickles a byte
    a second (headers or body) was never cut off, and name resolution ignores it. The request runs
    in a daemon thread that this one waits for until the deadline, and stops reading at its next
    chunk once it is given up on (a thread blocked in a read ends with the read timeout, or with
    the process: the command has failed and is exiting)."""
    import threading

    from digest.frontmatter import http_url_problem

    problem = http_url_problem(url)
    if problem is not None:
        raise AuthoringError(f"{url}: not an address that can be fetched ({problem})")
    given_up = threading.Event()
    outcome = {}

    def work():
        try:
            outcome["source"] = _fetch(url, timeout=min(timeout, deadline), max_bytes=max_bytes,
                                       given_up=given_up)
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="import-fetch", daemon=True)
    worker.start()
    worker.join(deadline)
    if worker.is_alive():
        given_up.set()
        raise AuthoringError(f"{url}: the page had not fully arrived after {deadline:g} s (the "
                             "deadline for the whole download); try again later, or save the page "
                             "from the browser and import the file")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["source"]


def _fetch(url, *, timeout, max_bytes, given_up):
    import requests
    import urllib3

    try:
        with requests.get(url, timeout=timeout, stream=True, allow_redirects=True,
                          headers={"User-Agent": USER_AGENT,
                                   "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"}) as resp:
            if resp.status_code >= 400:
                reason = f" {resp.reason}" if resp.reason else ""
                raise AuthoringError(f"{url}: the server answered HTTP {resp.status_code}{reason}")
            ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
            declared = resp.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise AuthoringError(f"{url}: the page is {int(declared) // 1024} KB, over the "
                                     f"{max_bytes // 1024} KB limit")
            chunks, size = [], 0
            resp.raw.decode_content = True
            # read1: what has arrived, after at most one wait (iter_content waits for 64 KB)
            while chunk := resp.raw.read1(64 * 1024):
                if given_up.is_set():
                    raise AuthoringError(f"{url}: given up (deadline)")
                size += len(chunk)
                if size > max_bytes:
                    raise AuthoringError(f"{url}: the page is over the {max_bytes // 1024} KB limit")
                chunks.append(chunk)
            data = b"".join(chunks)
            final = resp.url or url
    except AuthoringError:
        raise
    except (requests.exceptions.Timeout, urllib3.exceptions.TimeoutError):
        raise AuthoringError(f"{url}: no answer within {timeout:g} s (timeout)") from None
    except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError) as exc:
        raise AuthoringError(f"{url}: {_network_reason(exc)} during the download") from None
    except requests.exceptions.TooManyRedirects:
        raise AuthoringError(f"{url}: too many redirects") from None
    except requests.exceptions.InvalidURL as exc:
        raise AuthoringError(f"{url}: not a valid address ({exc})") from None
    except requests.exceptions.ConnectionError as exc:
        raise AuthoringError(f"{url}: {_network_reason(exc)}") from None
    except requests.exceptions.RequestException as exc:
        raise AuthoringError(f"{url}: the download failed ({type(exc).__name__})") from None
    if ctype and ctype not in HTML_TYPES:
        raise AuthoringError(f"{url}: not an HTML page (Content-Type: {ctype}); save the text and "
                             "import the file instead")
    if not ctype and not HTML_START.match(data[:2048]):
        raise AuthoringError(f"{url}: not an HTML page (no Content-Type, no <html>)")
    if not data.strip():
        raise AuthoringError(f"{url}: the page is empty")
    return RawSource("html", data, final, url)


def read_source(source: str, *, timeout: float = TIMEOUT) -> RawSource:
    if is_url(source):
        return fetch_url(source, timeout=timeout)
    if re.match(r"^[a-z][a-z0-9+.-]*://", source, re.I):
        raise AuthoringError(f"{source}: only http:// and https:// addresses can be fetched")
    return read_file(source)
