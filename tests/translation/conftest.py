"""Fixtures for translation tests: the fake provider, a small content folder, no real provider."""

import re
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
for path in (HERE.parents[1] / "plugins", HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from libre_server import FakeTranslator  # noqa: E402
from translation_support import EN_POST, FAST, FR_POST, write  # noqa: E402


@pytest.fixture(autouse=True)
def _no_provider_from_the_environment(monkeypatch):
    """A developer's DIGEST_TRANSLATOR* must never send test text to a real service."""
    for name in ("DIGEST_TRANSLATOR", "DIGEST_TRANSLATOR_URL", "DIGEST_TRANSLATOR_KEY",
                 "DIGEST_TRANSLATE_ON_BUILD", "LIBRE_API_KEY", "MICROSOFT_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture(autouse=True)
def _detector_reads_the_fake_servers_language_tags(monkeypatch):
    """The fake server's "translation" tags each word with the target language ("EN:Bonjour"):
    the words stay French, so the real detector rightly calls them French. Teach the checks' one
    language function to read the tag; an answer without tags (an echo, a scripted real
    translation, a mistranslation) still goes to the real detector."""
    from translation import checks

    real = checks.answer_language

    def detect(text, languages):
        tags = re.findall(r"(?<![^\W\d_])([A-Z]{2}):(?=[^\W\d_])", text)
        if tags:
            lang = max(set(tags), key=tags.count).lower()
            return (lang, True) if lang in languages else (None, False)
        return real(text, languages)

    monkeypatch.setattr(checks, "answer_language", detect)


@pytest.fixture
def libre_server():
    """A started LibreTranslate-compatible server on 127.0.0.1 (see libre_server.py)."""
    with FakeTranslator() as server:
        yield server


@pytest.fixture
def project(tmp_path):
    """A project folder with content/posts holding one French and one English post."""
    content = tmp_path / "content"
    write(content / "posts" / "2024" / "ia-generative.md", FR_POST)
    write(content / "posts" / "2024" / "open-models.md", EN_POST)
    return tmp_path


@pytest.fixture
def run(project, monkeypatch, capsys):
    """Run the CLI in the project folder against a URL; returns (exit code, printed text).
    No pelicanconf.py there, so no plugin cleans the text: source_loaded is muted, because a
    build run earlier in this process may have connected the cleaning plugin to it."""
    from digest import signals as digest_signals
    from translation import cli

    monkeypatch.chdir(project)
    monkeypatch.setenv("DIGEST_TRANSLATOR", "libre")

    def go(url, *args):
        monkeypatch.setenv("DIGEST_TRANSLATOR_URL", url)
        with digest_signals.source_loaded.muted():
            code = cli.main([*FAST, *args])
        return code, capsys.readouterr().out

    return go
