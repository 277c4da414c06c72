"""Topic and company pages as a reader browses them (issue 5 #5, issue 6 #4): built from the real
content with two posts a page, so that every term with more than two posts is paginated.

Each term page lists that term's posts newest first, across all its pages; the index counts the
posts a term page holds; cards and article pages name topics and companies in the page's language.
"""

import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from support import ROOT, build_site

PER_PAGE = 2
SEGMENTS = {"topics": {"fr": "sujets", "en": "en/topics"},
            "companies": {"fr": "entreprises", "en": "en/companies"}}


@pytest.fixture(scope="module")
def paged(tmp_path_factory):
    settings, report, out = build_site(tmp_path_factory.mktemp("term-pages"), DIGEST_PER_PAGE=PER_PAGE)
    assert not report.errors, report.errors
    return out


def soup(path):
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html.parser")


def labels():
    """{taxonomy: {id: {lang: label}}} from the editors' YAML files, as the site shows them (with
    the posts' typography: "Sécurité de l’IA")."""
    from cleaning.typography import typeset_text

    topics = yaml.safe_load((ROOT / "content/data/topics.yaml").read_text(encoding="utf-8"))
    companies = yaml.safe_load((ROOT / "content/data/companies.yaml").read_text(encoding="utf-8"))
    return {"topics": {t["id"]: {lang: typeset_text(text, lang) for lang, text in t["labels"].items()}
                       for t in topics["topics"]},
            "companies": {c["id"]: {"fr": c["name"], "en": c["name"]} for c in companies["companies"]}}


def term_pages(out, taxonomy, lang, term_id):
    """The term's pages in reading order, following rel=next from the first."""
    path = Path(out) / SEGMENTS[taxonomy][lang] / term_id / "index.html"
    found = []
    while path is not None:
        doc = soup(path)
        found.append(doc)
        nxt = doc.select_one('nav.pagination a[rel="next"]')
        path = Path(out) / urlsplit(nxt["href"]).path.lstrip("/") / "index.html" if nxt else None
        assert len(found) < 50, "pagination loops"
    return found


def index_counts(out, taxonomy, lang):
    """{term id: post count} as the index page at /sujets/, /en/companies/... shows it."""
    doc = soup(Path(out) / SEGMENTS[taxonomy][lang] / "index.html")
    counts = {}
    for item in doc.select("ul.term-index li"):
        term_id = item.a["href"].rstrip("/").rsplit("/", 1)[-1]
        counts[term_id] = int(re.search(r"\d+", item.select_one(".count").get_text()).group())
    return counts


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("taxonomy", ["topics", "companies"])
def test_term_pages_list_every_post_newest_first_across_pages(paged, taxonomy, lang):
    counts = index_counts(paged, taxonomy, lang)
    assert counts and max(counts.values()) > PER_PAGE, "no term is paginated: the test proves nothing"
    for term_id, count in counts.items():
        pages = term_pages(paged, taxonomy, lang, term_id)
        cards = [card for doc in pages for card in doc.select("main article.card")]
        assert len(pages) == -(-count // PER_PAGE), (term_id, len(pages), count)
        assert all(len(doc.select("main article.card")) <= PER_PAGE for doc in pages)
        assert len(cards) == count, (term_id, len(cards), count)
        urls = [card.select_one("h2 a")["href"] for card in cards]
        assert len(set(urls)) == len(urls), (term_id, urls)
        dates = [datetime.fromisoformat(card.select_one("time")["datetime"]) for card in cards]
        assert dates == sorted(dates, reverse=True), (term_id, dates)
        # Every card on a term page carries that term.
        assert all(any(a["href"].rstrip("/").endswith(f"/{term_id}")
                       for a in card.select(f"ul.chips .chip-{taxonomy} a")) for card in cards), term_id
        assert pages[0].select_one("h1").get_text(strip=True) == labels()[taxonomy][term_id][lang]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_article_pages_name_their_topics_in_the_page_language(paged, lang):
    names = labels()
    prefix = "" if lang == "fr" else "en/"
    articles = [p for p in Path(paged).glob(f"{prefix}[0-9][0-9][0-9][0-9]/*/*/index.html")]
    assert articles
    seen = 0
    for path in articles:
        post = soup(path).select_one("article.post") or soup(path)
        for taxonomy in ("topics", "companies"):
            for link in post.select(f"ul.chips .chip-{taxonomy} a"):
                assert link["href"].rstrip("/").rsplit("/", 2)[-2] == SEGMENTS[taxonomy][lang].rsplit("/")[-1]
                term_id = link["href"].rstrip("/").rsplit("/", 1)[-1]
                assert link.get_text(strip=True) == names[taxonomy][term_id][lang], (path, term_id)
                seen += 1
    assert seen
