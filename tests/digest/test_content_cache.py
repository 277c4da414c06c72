"""Pelican's content cache is on and keyed on content: a git checkout (new mtimes on every file)
reads nothing again, and a real edit is read again even when its mtime did not move (issue 2 #11)."""

import os
import time

from support import ROOT, build_site, copy_content


def test_settings_name_the_plugins_and_cache_by_content_hash():
    import hashlib

    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    assert settings["PLUGINS"] == ["digest", "cleaning", "translation", "topics", "companies"]
    assert settings["CACHE_CONTENT"] is True and settings["LOAD_CONTENT_CACHE"] is True
    assert settings["CHECK_MODIFIED_METHOD"] in hashlib.algorithms_guaranteed


def _count_reads(monkeypatch):
    from digest.reader import DigestMarkdownReader

    calls = []
    original = DigestMarkdownReader.read_one

    def counted(self, path):
        calls.append(os.path.basename(path))
        return original(self, path)

    monkeypatch.setattr(DigestMarkdownReader, "read_one", counted)
    return calls


def _touch_everything(folder, when):
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, (when, when))


def test_a_checkout_that_changes_every_mtime_reads_nothing_again(tmp_path, monkeypatch):
    content = copy_content(tmp_path)
    # One process: the forked readers of a cold build would not be counted here.
    build_site(tmp_path, content=content, DIGEST_WORKERS=1)
    later = time.time() + 3600
    _touch_everything(content, later)
    calls = _count_reads(monkeypatch)
    _s, report, out = build_site(tmp_path, content=content, DIGEST_WORKERS=1)
    assert report.errors == [] and calls == []

    post = content / "posts/2024/meta-llama-3.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8")
    os.utime(post, (later, later))  # same mtime as the cached version: only the hash can tell
    _s, report, out = build_site(tmp_path, content=content, DIGEST_WORKERS=1)
    assert calls == ["meta-llama-3.md"]
    assert "Une phrase ajoutée." in (out / "2024/04/meta-llama-3/index.html").read_text(encoding="utf-8")


def test_a_cache_that_cannot_be_written_in_the_background_is_reported(tmp_path, caplog):
    # DIGEST_PARALLEL_MIN=0: the content cache is written by a forked process even for this small
    # site; its failure must come back to the build's log (where --fatal warnings stops a build).
    import logging

    from support import build_site

    blocker = tmp_path / "cache" / "ArticlesGenerator-Readers" / "in-the-way"
    blocker.mkdir(parents=True)  # the new cache cannot replace a folder that holds something
    with caplog.at_level(logging.WARNING):
        build_site(tmp_path, DIGEST_PARALLEL_MIN=0)
    assert any("Could not save cache" in r.getMessage() and "ArticlesGenerator-Readers" in r.getMessage()
               for r in caplog.records)
