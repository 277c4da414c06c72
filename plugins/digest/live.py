"""`invoke livereload` / `invoke serve --reload`: build, serve, and rebuild on every change.

- Watches content/ (posts, translations, data files), theme/, plugins/ and the settings files
  (watchfiles, which Pelican itself uses for --autoreload). A change to content or theme is built
  again in this process (its imports and registries are warm); a change to plugin code or settings
  starts the process again, since code already imported would not change.
- Every build prints its report (a new one per build, see digest.new_build) and updates the search
  index (plugins/digest/search.py) like any build.
- Open pages refresh by themselves: each HTML page is served with one script of ours
  (/__live/reload.js) that listens to server-sent events (/__live/events) and reloads the page
  when a build ends. Nothing is added to the files on disk: output/ stays what a build writes.
- A build with content errors answers every page with an error page naming the file, the line or
  field, and the fix; the next good build takes it away (the page reloads by itself).
"""

from __future__ import annotations

import html
import http.server
import os
import sys
import threading
import time

LIVE = "/__live/"
# The page reloads when the build it was served from (named in the script's address) is no longer
# the latest. EventSource reconnects by itself when the server restarts (after a change to plugin
# code), and the build it then announces is a new one.
RELOAD_JS = b"""// Live reload (invoke livereload): reload this page when a new build is served.
(() => {
  const served = new URL(document.currentScript.src).searchParams.get("build");
  const events = new EventSource("/__live/events");
  events.onmessage = (event) => {
    if (event.data !== served) window.location.reload();
  };
})();
"""


def script(build_id):
    return f'<script src="{LIVE}reload.js?build={html.escape(build_id)}"></script>'



class State:
    """The latest build, shared by the build loop and the server's threads."""

    def __init__(self):
        self.changed = threading.Condition()
        self.build_id = ""
        self.problems = []  # [(where, message, fix)] of the latest build
        self.root = None
        self.building = False

    def start(self):
        with self.changed:
            self.building = True

    def publish(self, root, problems):
        with self.changed:
            self.root = root
            self.problems = problems
            self.building = False
            # Unique across restarts of the process, so a page served before one reloads after it.
            self.build_id = f"{os.getpid()}-{time.time_ns()}"
            self.changed.notify_all()

    def settled(self, timeout=60):
        """(build id, problems) once no build is running: a page is never served half-built."""
        with self.changed:
            self.changed.wait_for(lambda: not self.building, timeout=timeout)
            return self.build_id, self.problems


def problems_of(outcome):
    """What the error page lists: [(where, message, fix)]."""
    if outcome.report is None:
        return [("the build", outcome.failure or "it stopped", "see the terminal for the details")]
    out = []
    for p in outcome.report.errors:
        where = p.path + (f", line {p.line}" if p.line else "") + (f", field '{p.field}'" if p.field else "")
        out.append((where, p.message, p.fix or ""))
    return out


def error_page(problems, build_id):
    items = "\n".join(
        f"<li><p><strong>{html.escape(where)}</strong></p><p>{html.escape(message)}</p>"
        + (f"<p>Fix: {html.escape(fix)}</p>" if fix else "") + "</li>"
        for where, message, fix in problems)
    return (f"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Build error</title></head><body>\n<main>\n<h1>The last build has "
            f"{len(problems)} content error(s)</h1>\n<ol class=\"build-errors\">\n{items}\n</ol>\n"
            f"<p>Fix the file and save it: this page reloads by itself.</p>\n</main>\n"
            f"{script(build_id)}\n</body></html>\n").encode("utf-8")


def with_script(data: bytes, build_id) -> bytes:
    at = data.rfind(b"</body>")
    tag = script(build_id).encode()
    return data[:at] + tag + data[at:] if at >= 0 else data + tag


def not_found(build_id):
    return (f"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found"
            f"</title></head><body><h1>Not found</h1><p>The last build wrote no page here; this "
            f"page reloads by itself after the next one.</p>{script(build_id)}</body></html>\n"
            ).encode("utf-8")


class Handler(http.server.SimpleHTTPRequestHandler):
    state: State = None  # set by make_server

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=self.state.root, **kwargs)

    def log_message(self, *args):
        pass

    def end_headers(self):
        # Always the latest build: nothing served from the browser's cache.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == LIVE + "reload.js":
            return self._send(200, "text/javascript; charset=utf-8", RELOAD_JS)
        if path == LIVE + "events":
            return self._events()
        local = self.translate_path(path)
        if path.endswith("/"):
            local = os.path.join(local, "index.html")  # a page, even one the last build removed
        elif os.path.isdir(local):
            return super().do_GET()  # the redirect to the folder
        if not local.endswith(".html"):
            return super().do_GET()
        build_id, problems = self.state.settled()
        if problems:
            return self._send(500, "text/html; charset=utf-8", error_page(problems, build_id))
        try:
            with open(local, "rb") as fh:
                data = fh.read()
        except OSError:
            return self._send(404, "text/html; charset=utf-8", not_found(build_id))
        return self._send(200, "text/html; charset=utf-8", with_script(data, build_id))

    def _send(self, code, kind, data):
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _events(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        state, sent = self.state, None
        try:
            while True:
                with state.changed:
                    if state.build_id == sent:
                        state.changed.wait(timeout=15)
                    current = state.build_id
                if current != sent:
                    self.wfile.write(f"data: {current}\n\n".encode())
                    sent = current
                else:
                    self.wfile.write(b": still here\n\n")  # finds a closed tab out
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return


def make_server(state, host, port):
    handler = type("LiveHandler", (Handler,), {"state": state})
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def needs_restart(path, code_roots):
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in code_roots)


def run(argv, *, host, port, watch, code, build_once):
    """Build with `argv`, serve the output at host:port, and rebuild on every change under `watch`
    (folders and files) and the content and theme folders the build read; a change under `code`
    restarts the process. Returns on Ctrl-C."""
    from pelican.log import LimitFilter
    from watchfiles import DefaultFilter, watch as watch_changes

    state = State()

    def one_build():
        LimitFilter._raised_messages.clear()  # each build's warnings are logged again
        state.start()
        _code, outcome = build_once(argv)
        state.publish(outcome.output or state.root, problems_of(outcome))
        return outcome

    outcome = one_build()
    if state.root is None:
        print("The first build failed before it had an output folder; fix it and run again.",
              file=sys.stderr)
        return 2
    watch = sorted({os.path.realpath(w) for w in [*watch, *outcome.sources] if os.path.exists(w)})
    server = make_server(state, host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving {state.root} on http://{host}:{port}/ with live reload; watching "
          f"{', '.join(os.path.relpath(w) for w in watch)} (Ctrl-C stops)")
    code = [os.path.realpath(c) for c in code]
    try:
        for changes in watch_changes(*watch, watch_filter=DefaultFilter(), debounce=400, step=30,
                                     raise_interrupt=False):
            paths = sorted({os.path.realpath(p) for _kind, p in changes})
            if outcome.output and all(p.startswith(os.path.realpath(outcome.output) + os.sep)
                                      for p in paths):
                continue  # our own output (if it sits under a watched folder)
            if any(needs_restart(p, code) for p in paths):
                print("Plugin code or settings changed: starting again.", flush=True)
                server.server_close()
                os.execv(sys.executable, [sys.executable, *sys.argv])
            shown = ", ".join(os.path.relpath(p) for p in paths[:3]) + (" ..." if len(paths) > 3 else "")
            print(f"\nChanged: {shown}", flush=True)
            outcome = one_build()
    finally:
        server.shutdown()
        server.server_close()
    return 0
