"""The build: missing translations made or listed, memory reused offline, stale ones flagged."""

import re
import shutil
import time

import pytest
from libre_server import free_port
from translation import cli
from translation.memory import read_memory
from translation_support import ROOT, build, fast_translation

EN_MEMORY = "translations/en/2024/ia-generative.md"
EN_PAGE = "en/2024/03/ia-generative/index.html"


@pytest.fixture
def content(project):
    shutil.copytree(ROOT / "content" / "data", project / "content" / "data")
    return project / "content"


def lines(report, section="translation"):
    return [line for items in report.sections.get(section, {}).values() for line in items]


def warnings(report):
    return [str(w) for w in report.warnings]


def test_build_translates_then_builds_offline(content, tmp_path, libre_server):
    report, out = build(content, tmp_path, **fast_translation(libre_server.url))
    assert report.errors == []
    assert (content / EN_MEMORY).exists() and (content / "translations/fr/2024/open-models.md").exists()
    page = (out / EN_PAGE).read_text()
    assert "EN:Les EN:entreprises" in page and "machine-translated" in page
    assert sum("translated from" in line for line in lines(report)) == 2
    first = libre_server.count
    report, out = build(content, tmp_path, **fast_translation(libre_server.url))
    assert libre_server.count == first  # the warm memory is enough: no request
    assert sum("reused" in line for line in lines(report)) == 2


def test_without_provider_the_build_lists_missing_translations(content, tmp_path, libre_server):
    report, out = build(content, tmp_path, **fast_translation(libre_server.url, on_build=False))
    assert libre_server.count == 0 and report.errors == []
    assert not (content / "translations").exists()
    assert any("2 translation(s) missing" in line and "invoke translate" in line
               for line in lines(report))  # why, once; digest lists each missing post
    assert not (out / EN_PAGE).exists()
    assert "Not yet translated" in (out / "en/index.html").read_text()
    # Issue 2 #6: with no counterpart, the switcher goes to the other home and no hreflang
    # announces a page that does not exist (the sample site has every story in both languages).
    fr_page = (out / "2024/03/ia-generative/index.html").read_text()
    switch = re.search(r'<nav class="lang-switch".*?</nav>', fr_page, re.S).group()
    assert re.findall(r'href="([^"]+)" hreflang="en"', switch) == ["http://site.test/en/"]
    assert 'hreflang="en"' not in fr_page.split("</head>", 1)[0]


def edit(content, old, new):
    path = content / "posts/2024/ia-generative.md"
    path.write_text(path.read_text().replace(old, new))


def test_stale_translations_refreshed_or_flagged(content, tmp_path, libre_server):
    build(content, tmp_path, **fast_translation(libre_server.url))
    edit(content, "Une citation d'un dirigeant.", "Une autre citation.")
    libre_server.reset()
    report, out = build(content, tmp_path, **fast_translation(libre_server.url))
    assert libre_server.texts == ["Une autre citation."]  # unreviewed: refreshed, changed part only
    assert "EN:Une EN:autre EN:citation." in (out / EN_PAGE).read_text()
    assert any("refreshed" in line for line in lines(report))

    memory = content / EN_MEMORY
    memory.write_text(memory.read_text().replace("reviewed: false", "reviewed: true"))
    reviewed = memory.read_bytes()
    edit(content, "Dernier paragraphe", "Ultime paragraphe")
    libre_server.reset()
    report, out = build(content, tmp_path, **fast_translation(libre_server.url))
    assert libre_server.count == 0 and memory.read_bytes() == reviewed
    assert any("reviewed translation is out of date" in w for w in warnings(report))
    assert "it may be out of date" in (out / EN_PAGE).read_text()


def test_unreviewed_stale_without_provider_is_shown_flagged(content, tmp_path, libre_server):
    build(content, tmp_path, **fast_translation(libre_server.url))
    edit(content, "Dernier paragraphe", "Ultime paragraphe")
    report, out = build(content, tmp_path, **fast_translation(libre_server.url, on_build=False))
    assert "it may be out of date" in (out / EN_PAGE).read_text()
    assert any("out of date" in line for line in lines(report))


def test_a_dead_provider_does_not_stop_the_build(content, tmp_path):
    started = time.perf_counter()
    report, out = build(content, tmp_path, **fast_translation(f"http://127.0.0.1:{free_port()}/"))
    assert time.perf_counter() - started < 15
    assert report.errors == [] and (out / "en/index.html").exists()
    failed = [w for w in warnings(report) if "translation into" in w and "failed" in w]
    assert len(failed) == 2 and "connection to 127.0.0.1" in failed[0] and "refused" in failed[0]
    assert "provider left alone" in failed[1]  # the breaker spared the second post the retries
    assert not any("?q=" in w or "api_key" in w for w in warnings(report))  # no text, no key


@pytest.mark.parametrize("fault, expected", [
    ("429", None),  # then success: translated as usual
    ("error", "server error (HTTP 500)"),
    ("invalid_json", "invalid response"),
    ("slow", "within 0.3s"),
    ("drop_markup", "markup dropped by the provider"),
])
def test_each_provider_fault_ends_in_a_finished_build_with_a_clear_report(content, tmp_path,
                                                                          libre_server, fault,
                                                                          expected):
    """Issue 4, done when: every fault ends in a finished build (not only in `invoke translate`)."""
    if fault == "429":
        libre_server.fail_next(429, times=2)
    else:
        libre_server.reset(mode=fault, delay=3)
    started = time.perf_counter()
    report, out = build(content, tmp_path, **fast_translation(libre_server.url, timeout=0.3))
    assert time.perf_counter() - started < 15
    assert report.errors == [] and (out / "en/index.html").is_file() and (out / "index.html").is_file()
    if expected is None:
        assert (out / EN_PAGE).is_file() and warnings(report) == []
        return
    said = [w for w in warnings(report) if "ia-generative" in w]
    assert said and expected in said[0], warnings(report)
    assert not any("?q=" in w or "api_key" in w for w in warnings(report))
    if fault == "drop_markup":  # translated piece by piece: the page is there, structure kept
        assert "EN:Les EN:entreprises" in (out / EN_PAGE).read_text()
    else:  # nothing half-translated: the original is listed with the notice
        assert not (out / EN_PAGE).exists()
        assert "Not yet translated" in (out / "en/index.html").read_text()


def test_memory_filled_by_the_cli_is_what_the_build_expects(content, tmp_path, libre_server,
                                                            monkeypatch):
    """The CLI cleans posts like the build (the cleaning plugin via source_loaded), so the build
    finds the source hash it computes itself and makes no request."""
    edit(content, "## Ce qui change", "Partager sur Facebook\n\n## Ce qui change")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--no-progress", "--settings", str(ROOT / "pelicanconf.py"), "--content",
                     str(content), "--provider", "libre", "--url", libre_server.url]) == 0
    assert "Partager" not in read_memory(content / EN_MEMORY).body  # cleaned before translation
    libre_server.reset()
    report, out = build(content, tmp_path, **fast_translation(libre_server.url))
    assert libre_server.count == 0
    assert sum("reused" in line for line in lines(report)) == 2
