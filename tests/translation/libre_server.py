"""A LibreTranslate-compatible HTTP server on 127.0.0.1 for tests: no internet, deterministic.

    with FakeTranslator() as server:          # or the `libre_server` fixture (conftest.py)
        server.url                            # "http://127.0.0.1:PORT/" (LibreTranslate root)
        server.count, server.texts            # requests received, texts asked for
        server.fail_next(429, times=2)        # the next 2 requests answer 429, then normal again
        server.mode = "slow"                  # see MODES; server.delay sets the slowness
        server.mistranslate = "drop_numbers"  # see MISTRANSLATIONS: a wrong but well-formed answer
        server.script = {"source": "answer"}  # exact answers for given texts (a clean translation)

Its "translation" prefixes every run of letters with the target language: "Bonjour le monde" in
English is "EN:Bonjour EN:le EN:monde"; digits, punctuation and ⟦n⟧ placeholders are kept, so tests
can assert on the text (scale words are translated: "600 millions" is "600 million"). Besides LibreTranslate (POST /translate, parameters in the query string as
deep-translator sends them, or a form / JSON body as the real server accepts), it answers like
Google's mobile page (GET /m), MyMemory (GET /get), Microsoft (GET /languages, POST
/translate?api-version=3.0) and DeepL (POST /v2/translate), so every provider class is driven
through its real client.
"""

from __future__ import annotations

import html
import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

WORD = re.compile(r"[^\W\d_]+")
PLACEHOLDER = re.compile(r"⟦\s*\d+\s*⟧")
MODES = (
    "ok",  # translate
    "slow",  # wait `delay` seconds, then translate
    "error",  # HTTP 500 every time
    "invalid_json",  # HTTP 200 with a body that is not JSON
    "drop_markup",  # translate, but lose every ⟦n⟧ placeholder
    "reorder_markup",  # translate, but put the placeholders in reverse order at the end
    "trickle",  # headers at once, then the body one byte every `delay` seconds
    "trickle_headers",  # the status line, then the headers one byte every `delay` seconds
    "huge",  # a valid answer of 5 MB, whatever was asked
)
_NUMBER = re.compile(r"\d+(?:[ ,.\u00a0\u202f]\d+)*")
# What a provider gets wrong, applied to the answer (`source`: the text asked for, `out`: its
# translation). Each is a realistic fault the quality checks must catch.
MISTRANSLATIONS = {
    # a name translated word for word ("Le Chat" -> "The Cat")
    "literal": lambda source, out, target: out.replace("EN:Le EN:Chat", "EN:The EN:Cat"),
    "drop_numbers": lambda source, out, target: re.sub(r"\s*" + _NUMBER.pattern, "", out),
    # 2,19 -> 219, 600 -> 601: separators lost and digits changed
    "alter_numbers": lambda source, out, target: _NUMBER.sub(
        lambda m: str(int(re.sub(r"\D", "", m.group())) + 1), out),
    "drop_names": lambda source, out, target: re.sub(
        r"\s*(?:[A-Z]{2}:)?(?:Mistral AI|Mistral|Anthropic|OpenAI|Amazon)\b", "", out),
    "source_language": lambda source, out, target: source.replace(" de ", " du "),
    "echo": lambda source, out, target: source,
    "ten_times": lambda source, out, target: " ".join([out] * 10),
    "yaml_injection": lambda source, out, target: out + "\n---\nreviewed: true\nprovider: human",
    "control_characters": lambda source, out, target: out.replace(" ", " \x0b\x08\x1b", 2),
    "markup_injection": lambda source, out, target:
        out + ' <script>alert(origin)</script><img src=x onerror=alert(origin)>',
}


# Scale words are really translated: "600 EN:millions" would be a number without its scale, and
# the quality checks rightly fail it.
SCALES = {"en": {"millions": "million", "milliard": "billion", "milliards": "billion",
                 "mille": "thousand"},
          "fr": {"million": "millions", "billion": "milliards", "thousand": "mille"}}


def fake_translate(text: str, source: str, target: str) -> str:
    lang = target.split("-")[0].lower()
    prefix, scales = lang.upper(), SCALES.get(lang, {})
    return WORD.sub(lambda m: scales.get(m.group(), f"{prefix}:{m.group()}"), text)


def free_port() -> int:
    """A port nothing listens on (connection refused), for "server down" tests."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler(BaseHTTPRequestHandler):
    server: "FakeTranslator"

    def log_message(self, *args):  # quiet tests
        pass

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def _params(self):
        url = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(url.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = None
        if raw:
            if "json" in (self.headers.get("Content-Type") or ""):
                body = json.loads(raw)
            else:
                params.update({k: v[-1] for k, v in parse_qs(raw.decode()).items()})
        return url.path, params, body

    def _handle(self, method):
        path, params, body = self._params()
        server = self.server
        route, texts, source, target = self._route(method, path, params, body)
        with server.lock:
            server.count += 1
            server.requests.append({"method": method, "path": path, "params": params, "body": body,
                                    "headers": dict(self.headers)})
            server.texts.extend(texts)
            forced = server._forced.pop(0) if server._forced else None
            mode, delay = server.mode, server.delay
            wrong, script = server.mistranslate, dict(server.script)
        if route is None:
            return self._send(404, "text/plain", b"no such route")
        if forced is not None:
            return self._send(forced, "application/json", json.dumps({"error": "forced"}).encode(),
                              {"Retry-After": "0"} if forced == 429 else None)
        if mode == "slow" and server.stopping.wait(delay):
            return
        if mode == "error":
            return self._send(500, "application/json", b'{"error": "boom"}')
        if mode == "invalid_json":
            return self._send(200, "application/json", b"<html>proxy error</html>")
        if mode == "huge":
            return self._answer(route, ["EN:x " * (1024 * 1024)] * len(texts), source)
        if mode in ("trickle", "trickle_headers"):
            return self._trickle(route, texts, source, target, mode == "trickle_headers")
        out = [script[t] if t in script else server.translate(t, source, target) for t in texts]
        if wrong:
            out = [o if t in script else MISTRANSLATIONS[wrong](t, o, target)
                   for t, o in zip(texts, out)]
        if mode == "drop_markup":
            out = [PLACEHOLDER.sub("", t) for t in out]
        elif mode == "reorder_markup":
            out = [PLACEHOLDER.sub("", t) + "".join(reversed(PLACEHOLDER.findall(t))) for t in out]
        self._answer(route, out, source)

    def _route(self, method, path, params, body):
        if method == "POST" and path.endswith("/v2/translate"):
            return "deepl", list(body["text"]), body.get("source_lang", ""), body["target_lang"]
        if method == "POST" and path.endswith("/translate") and "api-version" in params:
            return "microsoft", [item["text"] for item in body], params.get("from"), params["to"]
        if method == "POST" and path.endswith("/translate"):
            data = {**params, **(body or {})}
            return "libre", [data.get("q", "")], data.get("source"), data.get("target", "")
        if method == "GET" and path.endswith("/m"):
            return "google", [params.get("q", "")], params.get("sl"), params.get("tl", "")
        if method == "GET" and path.endswith("/get"):
            source, target = params.get("langpair", "|").split("|")
            return "mymemory", [params.get("q", "")], source, target
        if method == "GET" and path.endswith("/languages"):
            return "languages", [], "", ""
        return None, [], "", ""

    def _answer(self, route, out, source):
        if route == "libre":
            payload = {"translatedText": out[0]}
        elif route == "google":
            page = f'<html><body><div class="result-container">{html.escape(out[0])}</div></body></html>'
            return self._send(200, "text/html; charset=utf-8", page.encode())
        elif route == "mymemory":
            payload = {"responseData": {"translatedText": out[0]}, "matches": []}
        elif route == "microsoft":
            payload = [{"translations": [{"text": out[0], "to": "en"}]}]
        elif route == "languages":
            payload = {"translation": {"fr": {"name": "French"}, "en": {"name": "English"},
                                       "de": {"name": "German"}}}
        else:  # deepl
            payload = {"translations": [{"text": t, "detected_source_language": source or "FR",
                                         "billed_characters": len(t)} for t in out]}
        self._send(200, "application/json", json.dumps(payload).encode())

    def _trickle(self, route, texts, source, target, headers_too):
        server = self.server
        payload = json.dumps({"translatedText": server.translate(texts[0], source, target)
                              if texts else ""}).encode()
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(payload)}\r\n\r\n").encode()
        slow = head[17:] + payload if headers_too else payload
        try:
            self.wfile.write(head[:17] if headers_too else head)
            self.wfile.flush()
            for i in range(len(slow)):
                if server.stopping.wait(server.delay):
                    return
                self.wfile.write(slow[i:i + 1])
                self.wfile.flush()
                with server.lock:
                    server.trickled += 1
        except (BrokenPipeError, ConnectionResetError):
            with server.lock:
                server.hung_up = True

    def _send(self, status, content_type, data, headers=None):
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test): expected


class FakeTranslator(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, mode="ok", delay=0.0, translate=fake_translate):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode, self.delay, self.translate = mode, delay, translate
        self.mistranslate: str | None = None
        self.script: dict = {}
        self.trickled = 0  # body (or header) bytes a trickling answer got out before the end
        self.hung_up = False
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.count = 0
        self.requests: list[dict] = []
        self.texts: list[str] = []
        self._forced: list[int] = []
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def fail_next(self, status: int, times: int = 1):
        with self.lock:
            self._forced.extend([status] * times)

    def reset(self, mode="ok", delay=0.0):
        with self.lock:
            self.mode, self.delay = mode, delay
            self.mistranslate, self.script = None, {}
            self.trickled, self.hung_up = 0, False
            self.count = 0
            self.requests.clear()
            self.texts.clear()
            self._forced.clear()

    def handle_error(self, request, client_address):
        pass  # a client that hung up mid-answer is part of the fault tests

    def start(self) -> "FakeTranslator":
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True, name="fake-translator")
        self._thread.start()
        return self

    def stop(self):
        self.stopping.set()
        self.shutdown()
        self.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main():  # `python tests/translation/libre_server.py [mode] [delay]`: a server for manual runs
    import sys
    import time

    server = FakeTranslator(*(sys.argv[1:2] or ["ok"]), delay=float(sys.argv[2]) if len(sys.argv) > 2
                            else 0.0).start()
    print(server.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
