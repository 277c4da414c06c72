"""What the theme tests share: the real site built under a subpath and indexed by Pagefind (the build does it: plugins/digest/search.py), a static
server in a thread, Chromium through Playwright, and the page kinds to visit in each language."""

from __future__ import annotations

import functools
import importlib.util
import re
import shutil
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]
SUBPATH = "sub"  # the site is served under /sub/, as on a project page (http://host/repo/)
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SETUP_HINT = "run `invoke setup` (Debian's chromium, then `npm ci` for axe-core and vnu-jar)"


def _shared_helpers():
    """The suite's build helpers: tests/support.py, or the root conftest.py that held them before.
    Never `import conftest`: several test folders have one, so that name is ambiguous."""
    for name in ("support.py", "conftest.py"):
        path = ROOT / "tests" / name
        if not path.is_file():
            continue
        sys.path.insert(0, str(path.parent))
        spec = importlib.util.spec_from_file_location(f"digest_tests_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if hasattr(module, "build_site"):
            return module
    raise ImportError("no build_site helper in tests/support.py or tests/conftest.py")


shared = _shared_helpers()
build_site = shared.build_site
copy_content = shared.copy_content


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Served:
    """The site built into <tmp>/www/sub/ with SITEURL http://127.0.0.1:PORT/sub and served there."""

    def __init__(self, tmp, content=None):
        self.www = Path(tmp) / "www"
        self.www.mkdir()
        handler = functools.partial(Quiet, directory=str(self.www))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/{SUBPATH}"
        self.settings, self.report, built = build_site(Path(tmp), siteurl=self.base, content=content)
        self.out = self.www / SUBPATH
        shutil.move(str(built), str(self.out))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def url(self, path=""):
        return f"{self.base}/{path}"

    def html(self, path):
        file = self.out / path
        if path == "" or path.endswith("/"):
            file = file / "index.html"
        return file.read_text(encoding="utf-8")

    def soup(self, path):
        return BeautifulSoup(self.html(path), "html.parser")

    def rel(self, url):
        assert url.startswith(self.base + "/"), url
        return url[len(self.base) + 1:]

    def first_link(self, path, selector):
        return self.rel(self.soup(path).select_one(selector)["href"])

    def kinds(self):
        """{(kind, lang): url path}: one page of every kind, in every language (404 once)."""
        langs = self.settings["DIGEST_LANGUAGES"]
        out = {}
        pair = self.translated_pair()
        for lang, info in langs.items():
            prefix = f"{info['prefix']}/" if info.get("prefix") else ""
            seg = info["segments"]
            out[("home", lang)] = prefix
            out[("home-page-2", lang)] = f"{prefix}page/2/"
            out[("article", lang)] = pair[lang]
            out[("archives", lang)] = f"{prefix}{seg['archives']}/"
            out[("about", lang)] = f"{prefix}about/"
            out[("search", lang)] = f"{prefix}{seg['search']}/"
            for name, kind in (("companies", "company"), ("topics", "topic"), ("weeks", "week")):
                index = f"{prefix}{seg[name]}/"
                out[(f"{name}-index", lang)] = index
                out[(kind, lang)] = self.first_link(index, ".term-index a")
        out[("404", "fr")] = "404.html"
        return out

    def articles(self):
        """{slug: {lang: url path}} from the article pages written."""
        found = {}
        for path in self.out.rglob("index.html"):
            rel = path.relative_to(self.out).as_posix()
            m = re.fullmatch(r"(?:(en)/)?(\d{4})/(\d{2})/([a-z0-9-]+)/index\.html", rel)
            if m:
                found.setdefault(m.group(4), {})[m.group(1) or "fr"] = rel[: -len("index.html")]
        return found

    def translated_reviewed(self):
        """The url path of an article whose page is a translation an editor reviewed."""
        for langs in self.articles().values():
            for path in langs.values():
                if 'translation-state reviewed' in self.html(path):
                    return path
        raise AssertionError("the sample content must hold a reviewed translation")

    def translated_pair(self):
        """The newest story written in both languages: {lang: url path}."""
        pairs = sorted((langs for langs in self.articles().values() if {"fr", "en"} <= set(langs)),
                       key=lambda langs: langs["fr"], reverse=True)
        assert pairs, "the sample content must have a story in both languages"
        return pairs[0]


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
