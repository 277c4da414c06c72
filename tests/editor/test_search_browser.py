"""Search always answers from the latest build: edit a post, rebuild, search for the new word in
Chromium (the theme's search page merging the shards of its language)."""

from __future__ import annotations

import functools
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "theme"))
from theme_support import CHROMIUM, SETUP_HINT, Quiet, launch  # noqa: E402

from editor_support import build_site, copy_content  # noqa: E402

POST = "posts/2024/mistral-ai-leve-600-millions.md"  # French, March... of 2024
WORD = "zorgfraicheur"


@pytest.fixture
def site(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    base = f"http://127.0.0.1:{server.server_address[1]}/output"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    content = copy_content(tmp_path)
    yield tmp_path, content, base
    server.shutdown()
    server.server_close()


def results(page, base, word):
    page.goto(f"{base}/recherche/?q={word}")
    page.locator("#search-status", has_text=word).wait_for(timeout=15_000)
    return page.eval_on_selector_all("#search-results a", "els => els.map(a => a.getAttribute('href'))")


def test_a_word_added_to_a_post_is_found_after_the_rebuild_and_gone_after_the_next(site):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: {SETUP_HINT}")
    from playwright.sync_api import sync_playwright

    tmp, content, base = site
    _s, report, out = build_site(tmp, content=content, siteurl=base)
    assert not report.errors
    path = content / POST
    original = path.read_text(encoding="utf-8")
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        assert results(page, base, WORD) == []

        path.write_text(original + f"\nUn mot tout neuf : {WORD}.\n", encoding="utf-8")
        build_site(tmp, content=content, siteurl=base)
        hrefs = results(page, base, WORD)
        assert len(hrefs) == 1 and hrefs[0].endswith("/mistral-ai-leve-600-millions/"), hrefs
        # The shards of older quarters are merged too: a word of an older post is found.
        assert any("/2023/" in h for h in results(page, base, "Bletchley"))

        path.write_text(original, encoding="utf-8")
        build_site(tmp, content=content, siteurl=base)
        assert results(page, base, WORD) == []
        browser.close()
    assert errors == []
