"""`invoke livereload`: a save is built, served and shown in the open page; a content error is an
error page until it is fixed; each build has its own report."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "theme"))
from theme_support import CHROMIUM, SETUP_HINT, launch  # noqa: E402

from editor_support import ROOT, build_site, copy_content, post  # noqa: E402

POST = "posts/2024/meta-llama-3.md"
WAIT = 60_000  # ms: a wait for something to happen, not a measure of how fast it is


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Live:
    """`invoke livereload` on a copy of the content, its output read line by line."""

    def __init__(self, tmp):
        self.content = copy_content(tmp)
        post(self.content, "posts/2025/brouillon-live.md", title="Brouillon zorglive",
             date="2025-01-12 10:00", extra="status: draft\n")
        self.port = free_port()
        self.lines = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "invoke", "livereload", "--port", str(self.port), "--",
             str(self.content), "-o", str(tmp / "out"), "--cache-path", str(tmp / "cache")],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for("Serving ")
        self.base = f"http://127.0.0.1:{self.port}"

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)

    def wait_for(self, text, after=0):
        deadline = time.monotonic() + WAIT / 1000
        while time.monotonic() < deadline:
            if any(text in line for line in self.lines[after:]):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"no {text!r} in the output:\n{''.join(self.lines[-40:])}")

    def close(self):
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


@pytest.fixture
def live(tmp_path):
    site = Live(tmp_path)
    yield site
    site.close()


def test_a_save_reloads_the_page_an_error_shows_and_goes_away(live):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: {SETUP_HINT}")
    from playwright.sync_api import sync_playwright

    path = live.content / POST
    original = path.read_text(encoding="utf-8")
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        page.goto(live.base + "/2024/04/meta-llama-3/")
        page.wait_for_function("window.__live_seen = true")  # gone when the page reloads
        # A draft is built in the live loop, with its banner.
        draft = browser.new_page()
        draft.goto(live.base + "/2025/01/brouillon-live/")
        assert draft.locator(".banner-draft").count() == 1
        draft.close()

        mark = len(live.lines)
        path.write_text(original.replace('title: "', 'title: "Zorgsaved ', 1), encoding="utf-8")
        live.wait_for("Build report", after=mark)
        page.wait_for_function("!window.__live_seen", timeout=WAIT)
        page.locator("text=Zorgsaved").first.wait_for(timeout=WAIT)

        page.evaluate("window.__live_seen = true")
        broken = original.replace("date: ", "date: pas une date # ", 1)
        path.write_text(broken, encoding="utf-8")
        page.locator(".build-errors").wait_for(timeout=WAIT)
        text = page.locator(".build-errors").inner_text()
        assert "meta-llama-3.md" in text and "line" in text and "Fix:" in text

        path.write_text(original, encoding="utf-8")
        page.locator(".build-errors").wait_for(state="detached", timeout=WAIT)
        assert page.locator("article.post h1").count() == 1
        browser.close()
    # Every build printed its own report: the error was reported by one build only.
    out = "".join(live.lines)
    assert out.count("Build report") >= 4
    assert out.count("[errors] 1:") == 1


def test_one_pelican_building_twice_makes_a_report_per_build_and_sees_data_changes(tmp_path):
    from pelican import Pelican
    from pelican.settings import read_settings

    content = copy_content(tmp_path)
    post(content, "posts/2025/casse.md", title="Cassé", date="2025-13-40 10:00")
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(content), "OUTPUT_PATH": str(tmp_path / "out"),
        "CACHE_PATH": str(tmp_path / "cache"), "SITEURL": ""})
    pelican = Pelican(settings)
    pelican.run()
    first = settings["DIGEST_REPORT"]
    assert len(first.errors) == 1
    data = content / "data" / "topics.yaml"
    data.write_text(data.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    pelican.run()
    second = settings["DIGEST_REPORT"]
    assert second is not first and len(second.errors) == 1
    assert settings["LOAD_CONTENT_CACHE"] is False, "an edited data file drops the content cache"
    pelican.run()
    assert settings["LOAD_CONTENT_CACHE"] is True, "and the build after it uses it again"


def test_the_error_page_shows_hostile_file_names_and_messages_as_text():
    from digest.live import error_page, with_script

    page = error_page([("content/posts/<script>alert(1)</script>.md, line 2",
                        "'<img src=x onerror=alert(2)>' is not a date", "write \"2024-01-01\"")],
                      "1-2\"><script>")
    assert b"<script>alert" not in page and b"<img" not in page and b'"><script>' not in page
    assert b"&lt;script&gt;alert(1)" in page and b"Fix: write &quot;2024-01-01&quot;" in page
    assert with_script(b"<html><body><p>x</p></body></html>", "7").endswith(
        b'<script src="/__live/reload.js?build=7"></script></body></html>')
