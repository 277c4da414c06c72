"""Save-to-refresh: `invoke livereload` on the corpus, an article open in Chromium, the post saved
with a new sentence; the time from the save to the page showing it (build, search index, reload)."""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

from .corpus import ROOT

CHROMIUM = "/usr/bin/chromium"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def article_path(post):
    """The URL path of a corpus post (its front matter: date, lang, slug)."""
    meta = yaml.safe_load(Path(post).read_text(encoding="utf-8").split("---", 2)[1])
    date = str(meta["date"])
    prefix = "" if meta["lang"] == "fr" else f"{meta['lang']}/"
    return f"/{prefix}{date[:4]}/{date[5:7]}/{meta['slug']}/"


def save_to_refresh(work, victim, runs, log):
    """Seconds from each save to the page showing the saved words, `runs` times."""
    from playwright.sync_api import sync_playwright

    site = Path(work) / "site"
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "invoke", "livereload", "--port", str(port), "--",
         str(site / "content"), "-o", str(site / "output"), "--cache-path", str(site / "cache")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True, env=dict(os.environ, DIGEST_TRANSLATOR="none"))
    lines, ready = [], threading.Event()

    def read():
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("Serving "):
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    times = []
    try:
        if not ready.wait(300):
            raise RuntimeError("livereload did not start:\n" + "".join(lines[-30:]))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}{article_path(victim)}")
            time.sleep(1)  # the page's event stream is connected
            for i in range(runs):
                word = f"Zorgrefresh{i}x{os.getpid()}"
                started = time.perf_counter()
                with open(victim, "a", encoding="utf-8") as fh:
                    fh.write(f"\nUne phrase enregistrée : {word}.\n")
                page.locator(f"text={word}").first.wait_for(timeout=60_000)
                times.append(time.perf_counter() - started)
                built = next((l.strip() for l in reversed(lines) if l.startswith("Build finished")), "")
                log(f"save-to-refresh run {i + 1}: {times[-1]:.2f} s ({built[6:].rstrip('.')})")
                time.sleep(1)
            browser.close()
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return times


def row(times):
    return {"name": "(f) ours, `invoke livereload`: save to refreshed page in Chromium",
            "median": statistics.median(times), "runs": times}
