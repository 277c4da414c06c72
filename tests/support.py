"""Shared test helpers (a uniquely named module: several test folders have a conftest.py, so
`from conftest import` would be ambiguous across the suite)."""

import os
import shutil
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT))


def build_site(tmp_path, *, content=None, siteurl="http://site.test", **overrides):
    """Build with the real pelicanconf.py into tmp_path/output; returns (settings, report, out)."""
    from pelican import Pelican
    from pelican.settings import read_settings

    out = Path(tmp_path) / "output"
    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={
            "PATH": str(content or ROOT / "content"),
            "OUTPUT_PATH": str(out),
            "CACHE_PATH": str(Path(tmp_path) / "cache"),
            "SITEURL": siteurl,
            **overrides,
        },
    )
    Pelican(settings).run()
    return settings, settings["DIGEST_REPORT"], out


def copy_content(tmp_path):
    """A writable copy of the real content/ to change in a test."""
    target = Path(tmp_path) / "content"
    shutil.copytree(ROOT / "content", target)
    return target


def page(out, url_path):
    """The HTML written for a URL path like 'en/archives/'."""
    path = Path(out) / url_path
    if url_path == "" or url_path.endswith("/"):
        path = path / "index.html"
    return path.read_text(encoding="utf-8")


def pages(out):
    return sorted(p for p in Path(out).rglob("*.html"))


os.environ.setdefault("DIGEST_TRANSLATOR", "none")
