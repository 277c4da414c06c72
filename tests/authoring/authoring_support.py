"""Helpers for the authoring tests: the fixtures' paths, a site over a content copy, a local server.

tests/conftest.py is loaded by path: several test folders have a conftest.py, and which one
`import conftest` finds depends on the collection order.
"""

from __future__ import annotations

import importlib.util
import socket
import sys
import threading
import time
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))

_spec = importlib.util.spec_from_file_location("_digest_tests_conftest", ROOT / "tests" / "conftest.py")
shared = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(shared)
build_site, copy_content = shared.build_site, shared.copy_content


@lru_cache(maxsize=1)
def base_settings():
    from pelican.settings import read_settings

    return read_settings(str(ROOT / "pelicanconf.py"))


def make_site(content: Path):
    """An authoring Site over `content` (a copy of content/), with the real pelicanconf.py."""
    from authoring.posts import Site

    return Site.from_settings({**base_settings(), "PATH": str(content)})


def folded(text: str) -> str:
    """Text as a reader sees it: Markdown links reduced to their words, one space between words."""
    import re

    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(text.split())


class _Handler(BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):  # noqa: N802 (http.server's name)
        route = self.routes.get(self.path.split("?")[0])
        if route is None:
            self.send_error(404, "Not Found")
            return
        status, headers, body, delay = route
        if delay:
            time.sleep(delay)
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up (timeout test)

    def log_message(self, *args):
        pass


class LocalServer:
    """An HTTP server on 127.0.0.1 serving fixed routes: path -> (status, headers, body, delay)."""

    def __init__(self, routes):
        handler = type("Handler", (_Handler,), {"routes": routes})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
