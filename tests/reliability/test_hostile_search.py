"""Issue 10 #4, the search index: markup pasted in a post reaches Pagefind's index as text, and the
search page shows it as text. Built, indexed and served like `invoke build` + `invoke serve`, then
searched in Chromium under the site's real CSP."""

import functools
import shutil
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from support import ROOT, build_site, copy_content

sys.path.insert(0, str(ROOT / "tests" / "theme"))
from theme_support import CHROMIUM, SETUP_HINT, Quiet, launch  # noqa: E402

playwright_api = pytest.importorskip("playwright.sync_api")

WORD = "zorglubxss"
# Each payload would set window.__xss if it ever became markup (the CSP would stop the handler,
# so the test also looks for the elements themselves).
POST = f"""---
title: "{WORD} <img src=x onerror=window.__xss=1> </script><svg onload=window.__xss=2>"
date: 2024-07-03 09:00
lang: fr
summary: "Résumé <b>gras</b> <img src=x onerror=window.__xss=3>"
---

Le mot {WORD} revient ici avec `<img src=x onerror=window.__xss=4>` en code, et du texte
&lt;img src=x onerror=window.__xss=5&gt; échappé.

<p>{WORD} <img src=x onerror="window.__xss=6"> <script>window.__xss=7</script> fin.</p>
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile-search")
    content = copy_content(tmp)
    (content / "posts/2024/hostile-search.md").write_text(POST, encoding="utf-8")
    www = tmp / "www"
    www.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(www)))
    base = f"http://127.0.0.1:{server.server_address[1]}/sub"
    _settings, report, built = build_site(tmp, content=content, siteurl=base)
    assert not [e for e in report.errors if "hostile-search" in e.path]
    shutil.move(str(built), str(www / "sub"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def test_hostile_text_in_the_search_index_is_shown_as_text(served):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: {SETUP_HINT}")
    with playwright_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page()
            dialogs = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(f"{served}/recherche/?q={WORD}")
            page.locator("#search-results li").first.wait_for(timeout=15_000)
            tags = set(page.eval_on_selector_all("#search-results *", "els => els.map(e => e.tagName)"))
            # The one span is the theme's own "Excerpt" label, not something from the index.
            spans = page.eval_on_selector_all("#search-results span", "els => els.map(e => e.className)")
            text = page.locator("#search-results").inner_text()
            xss = page.evaluate("window.__xss === undefined ? null : window.__xss")
        finally:
            browser.close()
    assert tags <= {"LI", "H2", "A", "P", "MARK", "SPAN"}, tags
    assert set(spans) <= {"excerpt-label"}, spans
    assert "onerror" in text  # the payloads are there, as text a reader can see
    assert xss is None and dialogs == []
