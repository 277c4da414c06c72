"""A page cannot take a URL the site writes itself, and two sources for one output file are an
error: the same on a cold build and on a rebuild."""

from pathlib import Path

import pytest

from support import build_site, copy_content, page

from digest.check import check_tree, reserved_paths

PAGE = "---\ntitle: {title}\ndate: 2024-05-02 10:00\nlang: {lang}\nslug: {slug}\n---\n\nPrise de {slug}.\n"

# (lang, slug): what it would have replaced
HOSTILE = [("fr", "sujets"), ("fr", "en"), ("fr", "archives"), ("fr", "recherche"), ("fr", "feeds"),
           ("fr", "pagefind"), ("fr", "theme"), ("fr", "images"), ("fr", "page"), ("fr", "entreprises"),
           ("fr", "semaines"), ("en", "topics"), ("en", "search"), ("en", "companies"), ("en", "weeks"),
           ("en", "archives"), ("en", "feeds"), ("en", "page")]


def test_the_reserved_set_comes_from_the_url_settings():
    from pelican.settings import read_settings
    from support import ROOT

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    reserved = reserved_paths(settings)
    assert {"sujets", "entreprises", "semaines", "archives", "recherche", "feeds", "page", "en",
            "theme", "images", "pagefind"} <= set(reserved["fr"])
    assert {"topics", "companies", "weeks", "archives", "search", "feeds", "page"} <= set(reserved["en"])
    assert "pagefind" not in reserved["en"]  # en/pagefind/ is nobody's
    languages = {lang: dict(info) for lang, info in settings["DIGEST_LANGUAGES"].items()}
    languages["de"] = {"name": "Deutsch", "locale": "de_DE", "prefix": "de",
                       "segments": {"topics": "themen", "search": "suche"}}
    reserved = reserved_paths({**settings, "DIGEST_LANGUAGES": languages})
    assert {"themen", "suche"} <= set(reserved["de"]) and "de" in reserved["fr"]


@pytest.fixture(scope="module")
def taken(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reserved")
    content = copy_content(tmp)
    for lang, slug in HOSTILE:
        (content / "pages" / f"take-{slug}.{lang}.md").write_text(
            PAGE.format(title=f"Prise {slug}", lang=lang, slug=slug), encoding="utf-8")
    cold = build_site(tmp, content=content)
    cold_home = page(cold[2], "en/")
    cold_topics = page(cold[2], "sujets/")
    rebuilt = build_site(tmp, content=content)
    return {"cold": cold, "rebuilt": rebuilt, "cold_home": cold_home, "cold_topics": cold_topics}


def named(report):
    return sorted(str(e) for e in report.errors if "/take-" in e.path)


def test_each_reserved_slug_is_an_error_naming_the_page_it_would_replace(taken):
    errors = {Path(e.path).name: e for e in taken["cold"][1].errors if "/take-" in e.path}
    assert len(errors) == len(HOSTILE), sorted(errors)
    assert "the 'en' home page (en/)" in errors["take-en.fr.md"].message
    assert "the topics pages (sujets/)" in errors["take-sujets.fr.md"].message
    assert "the search pages (en/search/)" in errors["take-search.en.md"].message
    assert all(e.field == "slug" and e.fix for e in errors.values())


def test_the_site_pages_are_kept_on_a_cold_build_and_a_rebuild(taken):
    out = taken["cold"][2]
    for html in (taken["cold_home"], page(out, "en/")):
        assert "Prise de" not in html and 'lang="en"' in html
    for html in (taken["cold_topics"], page(out, "sujets/")):
        assert "Prise de" not in html
    assert "Prise de" not in page(out, "en/search/")


def test_cold_build_rebuild_and_check_report_the_same(taken):
    assert named(taken["cold"][1]) == named(taken["rebuilt"][1])
    _count, errors, _warnings = check_tree(taken["cold"][0])
    assert sorted(str(e) for e in errors if "/take-" in e.path) == named(taken["cold"][1])


def test_two_writes_to_one_file_are_an_error(tmp_path):
    from digest.output import Output

    out = Output(tmp_path / "out", {})
    out.write("a/index.html", "one")
    out.write("a/index.html", "two")
    assert out.twice == ["a/index.html"]
