"""End to end: the real site built once (the shared `site` fixture of tests/conftest.py), company pages
in both languages and article pages that link the companies of the sample-post table."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from cleaning.typography import typeset_text
from companies_cases import read_post
from test_companies_posts import CONTENT, POSTS

SEGMENTS = {"fr": "entreprises", "en": "en/companies"}


def soup(path):
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html.parser")


def article_pages(out, path):
    """{lang: page} for the article pages written for the post at `path` (its story's slug and date)."""
    meta, _ = read_post(CONTENT / path)
    slug = meta.get("slug") or re.sub(r"(\.[a-z]{2})?\.md$", "", Path(path).name)
    date = str(meta["date"])
    found = {}
    for lang, prefix in (("fr", ""), ("en", "en/")):
        page = Path(out) / f"{prefix}{date[:4]}/{date[5:7]}/{slug}/index.html"
        if page.is_file():
            found[lang] = page
    return found


def chip_ids(page, lang):
    """Company ids linked from the article's own company chips (not the site navigation)."""
    article = soup(page).find("article") or soup(page)
    pattern = re.compile(rf"/{SEGMENTS[lang]}/([a-z0-9-]+)/$")
    return {m.group(1) for a in article.find_all("a", href=True) if (m := pattern.search(a["href"]))}


def test_the_build_reports_no_company_error(site):
    assert [e for e in site["report"].errors if e.field in ("companies", "exclude_companies")] == []
    assert not [e for e in site["report"].errors if "companies.yaml" in e.path]


def test_candidates_to_add_are_organisations_not_laws(site):
    """Issue 6 #5: recurring capitalised names not in the registry. The sample posts name IBM in two
    stories; "Artificial Intelligence Act" (the AI Act's full name, in two stories) is not a company."""
    names = [line.split(":", 1)[0] for line in site["report"].sections["companies"]["candidates"]]
    assert "IBM" in names
    assert "Artificial Intelligence Act" not in names


def test_one_report_line_per_story(site):
    section = site["report"].sections["companies"]
    assert len([p for p in section if p != "candidates"]) >= 15
    assert all(len(lines) == 1 for path, lines in section.items() if path != "candidates")


@pytest.mark.parametrize("expected", POSTS, ids=lambda p: p.path)
def test_article_pages_link_the_right_companies(site, expected):
    pages = article_pages(site["out"], expected.path)
    assert pages, f"no article page for {expected.path}"
    for lang, page in pages.items():
        linked = chip_ids(page, lang)
        assert set(expected.must) <= linked, (lang, linked)
        assert not set(expected.must_not) & linked, (lang, linked)


def test_company_pages_exist_in_both_languages_with_their_profile(site, registry):
    out = site["out"]
    with_posts = set().union(*(p.must for p in POSTS))
    for cid in registry.ids:
        pages = {lang: out / SEGMENTS[lang] / cid / "index.html" for lang in SEGMENTS}
        assert pages["fr"].is_file() == pages["en"].is_file(), cid
        if cid in with_posts:
            assert pages["fr"].is_file(), cid
        if pages["fr"].is_file():
            company = registry.companies[cid]
            for lang, page in pages.items():
                text = " ".join(soup(page).get_text(" ").split())
                # Shown with the posts' typography (curly apostrophes, French spaces).
                assert typeset_text(company.description[lang], lang)[:60] in text, (cid, lang)
                assert (out / SEGMENTS[lang] / cid / "feed.atom.xml").is_file(), (cid, lang)


def test_company_index_lists_companies_with_posts(site):
    for lang in SEGMENTS:
        text = " ".join(soup(site["out"] / SEGMENTS[lang] / "index.html").get_text(" ").split())
        for name in ("xAI", "OpenAI", "Anthropic", "Mistral AI", "DeepSeek"):
            assert name in text, (lang, name)
