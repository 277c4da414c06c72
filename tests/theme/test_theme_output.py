"""The built site, read as files: page kinds, weekly digests, feeds, SEO, sitemap, search index,
weight budget and HTML validity (Nu Html Checker)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).resolve().parent))
from theme_support import SETUP_HINT, VNU, Served, build_site, copy_content  # noqa: E402

CSS_BUDGET = 15_000  # bytes: "15 KB", read strictly
ARTICLE_BUDGET = 30_000  # bytes: the article page's HTML + the CSS


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    site = Served(tmp_path_factory.mktemp("theme-output"))
    yield site
    site.close()


def html_files(out):
    return sorted(p for p in Path(out).rglob("*.html") if "pagefind" not in p.parts)


def rel_path(out, path):
    r = path.relative_to(out).as_posix()
    return r.removesuffix("index.html")


def test_build_is_clean_and_every_page_kind_exists_in_both_languages(served):
    assert served.report.errors == []
    kinds = served.kinds()
    for (kind, lang), path in kinds.items():
        assert served.html(path), (kind, lang)
    names = {kind for kind, _ in kinds}
    assert names >= {"home", "home-page-2", "article", "archives", "about", "search", "company",
                     "companies-index", "topic", "topics-index", "week", "weeks-index", "404"}
    assert served.soup(kinds[("404", "fr")]).select('[lang="en"] h2'), "the 404 page speaks both"


# -- weekly digests ------------------------------------------------------------------------------
def week_of(iso):
    year, week, _ = datetime.fromisoformat(iso).isocalendar()
    return f"{year}-{week:02d}"


@pytest.mark.parametrize("lang,segment", [("fr", "semaines"), ("en", "en/weeks")])
def test_weeks_index_newest_first_and_week_pages_group_that_weeks_posts_by_company(served, lang,
                                                                                   segment):
    index = served.soup(f"{segment}/")
    links = [served.rel(a["href"]) for a in index.select(".term-index a")]
    ids = [re.fullmatch(rf"{segment}/(\d{{4}}-\d{{2}})/", link).group(1) for link in links]
    assert ids and ids == sorted(ids, reverse=True)
    listed = 0
    for week_id, link in zip(ids, links):
        page = served.soup(link)
        # Titled by its dates ("Digest du 18 au 24 mars 2024"), the ISO week above it, then a
        # generated line: how many stories, the most covered companies and topics.
        title = page.h1.get_text(strip=True)
        assert re.search(r"\b20\d\d$", title) and not re.search(r"Semaine|Week", title), title
        assert re.search(r"Semaine|Week", page.select_one(".term-header .kicker").text)
        intro = page.select_one(".term-header .lead-line").get_text(strip=True)
        count = len(page.select(".week-list li"))
        assert intro.startswith(str(count)) and intro.endswith("."), intro
        groups = page.select("section.week-group")
        assert groups
        if len(groups) == 1:
            assert groups[0].h2 is None, "one list needs no heading"
        for group in groups:
            heading = group.h2.get_text(strip=True) if group.h2 else None
            items = group.select(".week-list li")
            if group.h2 and group.h2.a:  # a company's group holds two stories or more
                assert len(items) >= 2, (link, heading)
            for item in items:
                listed += 1
                assert week_of(item.time["datetime"]) == week_id
                assert item.p and item.p.get_text(strip=True), "a one-line summary per post"
                article = served.soup(served.rel(item.a["href"]))
                companies = [a.get_text(strip=True) for a in article.select(".chip-companies a")]
                if group.h2 and group.h2.a:
                    assert heading in companies, (link, heading, companies)
    # Every story of the language's listing is in exactly one week.
    archive = served.soup(f"{'' if lang == 'fr' else 'en/'}archives/")
    assert listed == len(archive.select(".archive-list li"))


def test_article_page_has_what_a_reader_needs(served):
    pair = served.translated_pair()
    for lang, path in pair.items():
        doc = served.soup(path)
        post = doc.select_one("article.post[data-pagefind-body]")
        assert post.h1.get_text(strip=True)
        # Headline, standfirst, then one meta line: date, reading time, author, source.
        header = post.select_one(".post-header")
        assert [el.name for el in header.find_all(recursive=False)][1:3] == ["h1", "p"]
        assert "standfirst" in header.select_one("h1 + p")["class"]
        assert len(header.select(".meta")) == 1
        meta = post.select_one(".meta").get_text(" ", strip=True)
        assert re.search(r"\d+ min", meta)
        time = post.select_one(".meta time")
        assert time["datetime"][:4] in time.text
        if lang == "fr":
            assert re.search(r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|"
                             r"novembre|décembre", time.text)
        else:  # the one English style: "March 18, 2024"
            assert re.fullmatch(r"[A-Z][a-z]+ \d{1,2}, \d{4}", time.text), time.text
        source = post.select_one(".meta a[rel~=external]")
        assert source["href"].startswith("http") and source.text and source.text != source["href"]
        # Topics and companies: one list, after the story.
        chips = post.select(".post-footer ul.chips")
        assert len(chips) == 1 and chips[0].select(".chip-topics a") and chips[0].select(".chip-companies a")
        assert not post.select(".post-header .chips")
        assert doc.select(".post-nav a[rel]")
        assert post.select_one(".week-link a")
        other = "en" if lang == "fr" else "fr"
        switch = doc.select_one(f'.lang-switch a[hreflang="{other}"]')
        assert served.rel(switch["href"]) == pair[other]


def test_machine_translation_notice_renders_for_an_unreviewed_translation(tmp_path):
    content = copy_content(tmp_path)
    # The story's English version becomes a machine translation nobody reviewed yet (the sample
    # content may hold a reviewed one at this path: it is replaced).
    memory = content / "translations/en/2024/meta-llama-3.md"
    memory.parent.mkdir(parents=True, exist_ok=True)
    memory.write_text(
        "---\ntitle: \"Meta releases Llama 3 and puts it at the heart of Meta AI\"\n"
        "date: 2024-04-18 20:00\nlang: en\nslug: meta-llama-3\n"
        "translation_of: posts/2024/meta-llama-3.md\nsource_lang: fr\n"
        "source_hash: 0000\nprovider: deepl\ntranslated: 2024-04-19\nreviewed: false\n---\n\n"
        "Meta unveiled Llama 3 on Thursday.\n", encoding="utf-8")
    _, report, out = build_site(tmp_path, content=content)
    assert report.errors == []
    doc = BeautifulSoup((out / "en/2024/04/meta-llama-3/index.html").read_text(), "html.parser")
    notice = doc.select_one(".notice-machine")
    # The service by its proper name, never its id; a notice of its own, not the reviewed line.
    assert notice is not None and "machine-translated by DeepL" in notice.text
    assert "(deepl)" not in doc.text and not doc.select(".reviewed")
    assert notice.has_attr("data-pagefind-ignore")
    original = notice.select_one('a[hreflang="fr"]')
    assert original["href"].endswith("/2024/04/meta-llama-3/")
    ld = json.loads(doc.find("script", type="application/ld+json").string)
    assert ld["translationOfWork"]["url"] == original["href"]


# -- feeds ---------------------------------------------------------------------------------------
def test_feeds_are_discoverable_from_every_page_and_parse(served):
    out = served.out
    for path in html_files(out):
        r = rel_path(out, path)
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        feeds = [served.rel(link["href"]) for link in
                 doc.find_all("link", rel="alternate", type="application/atom+xml")]
        lang_feed = "en/feeds/all.atom.xml" if doc.html["lang"] == "en" else "feeds/all.atom.xml"
        assert feeds and feeds[0] == lang_feed, r
        if re.match(r"(en/)?(entreprises|companies|sujets|topics)/[^/]+/$", r):
            assert f"{r}feed.atom.xml" in feeds, r
        for feed in feeds:
            assert (out / feed).is_file(), (r, feed)
    all_feeds = sorted(out.rglob("*.atom.xml"))
    assert len(all_feeds) > 4
    for feed in all_feeds:
        parsed = feedparser.parse(feed.read_bytes())
        assert parsed.bozo == 0, (feed, parsed.get("bozo_exception"))
        # A term feed may be empty in a language where its stories are not translated yet.
        assert parsed.entries or "/feeds/" not in feed.as_posix(), feed
        assert parsed.feed.get("language") in ("fr", "en"), feed


# -- SEO -----------------------------------------------------------------------------------------
def meta(doc, key):
    tag = doc.find("meta", attrs={"property": key}) or doc.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def test_every_page_has_canonical_social_tags_and_articles_a_news_article(served):
    out = served.out
    articles = 0
    for path in html_files(out):
        r = rel_path(out, path)
        if r == "404.html":
            continue
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        canonical = doc.find("link", rel="canonical")["href"]
        assert served.rel(canonical) == r
        for key in ("og:title", "og:description", "og:site_name", "og:type", "og:locale",
                    "twitter:card", "twitter:title", "twitter:description", "description"):
            assert meta(doc, key), (r, key)
        assert meta(doc, "og:url") == canonical
        assert meta(doc, "og:locale") in ("fr_FR", "en_US")
        if re.match(r"(en/)?\d{4}/\d{2}/", r):
            articles += 1
            assert meta(doc, "og:type") == "article"
            ld = json.loads(doc.find("script", type="application/ld+json").string)
            assert ld["@context"] == "https://schema.org" and ld["@type"] == "NewsArticle"
            assert ld["headline"] == doc.h1.get_text(strip=True)
            assert ld["url"] == canonical == ld["mainEntityOfPage"]["@id"]
            datetime.fromisoformat(ld["datePublished"])
            datetime.fromisoformat(ld["dateModified"])
            assert ld["inLanguage"].split("-")[0] == doc.html["lang"]
            assert ld["author"]["name"] and ld["publisher"]["name"]
            assert ld["description"]
    assert articles >= 10


def test_sitemap_lists_every_page_with_its_alternates_and_robots_points_to_it(served):
    out = served.out
    xml = BeautifulSoup((out / "sitemap.xml").read_text(encoding="utf-8"), "xml")
    entries = {}
    for url in xml.find_all("url"):
        entries[url.loc.text] = {link["hreflang"]: link["href"] for link in url.find_all("link")}
    pages = {}
    for path in html_files(out):
        r = rel_path(out, path)
        if r == "404.html":
            continue
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        alts = {link["hreflang"]: link["href"] for link in doc.find_all("link", rel="alternate")
                if link.get("hreflang") and link["hreflang"] != "x-default"}
        pages[served.url(r)] = alts
    assert set(entries) == set(pages)
    for url, alts in pages.items():
        if len(alts) > 1:
            assert entries[url] == alts, url
    robots = (out / "robots.txt").read_text()
    assert f"Sitemap: {served.url('sitemap.xml')}" in robots


# -- search index --------------------------------------------------------------------------------
def test_pagefind_indexes_every_article_once_per_language(served):
    out = served.out
    counts = {}  # the index is in shards, one per language and quarter (search_index.py)
    for entry_file in (out / "pagefind").glob("*/pagefind-entry.json"):
        for lang, info in json.loads(entry_file.read_text())["languages"].items():
            counts[lang] = counts.get(lang, 0) + info["page_count"]
    articles = served.articles()
    for lang in ("fr", "en"):
        assert counts.get(lang) == sum(lang in langs for langs in articles.values()), counts
    for path in html_files(out):
        r = rel_path(out, path)
        body = 'data-pagefind-body' in path.read_text(encoding="utf-8")
        assert body == bool(re.match(r"(en/)?\d{4}/\d{2}/", r)), r


# -- light and strict ----------------------------------------------------------------------------
def test_weight_budget_and_no_framework_or_blocking_script(served):
    out = served.out
    css = (out / "theme/css/site.css").stat().st_size
    assert css <= CSS_BUDGET, f"site.css is {css} bytes"
    assert "@font-face" not in (out / "theme/css/site.css").read_text()
    heaviest = max((p.stat().st_size, p) for p in out.rglob("index.html")
                   if re.match(r"(en/)?\d{4}/\d{2}/", p.relative_to(out).as_posix()))
    assert heaviest[0] + css <= ARTICLE_BUDGET, f"{heaviest[1]}: {heaviest[0]} + {css} bytes"
    for path in html_files(out):
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for script in doc.find_all("script"):
            if script.get("type") == "application/ld+json":
                continue
            # No inline code (the CSP forbids it) and nothing that blocks rendering.
            assert script.get("src") and (script.get("type") == "module" or script.has_attr("defer")), path
        assert not doc.find("style") and not doc.select("[style]"), path
        assert not doc.find("link", rel="preload", attrs={"as": "font"}), path
        stylesheets = [link["href"] for link in doc.find_all("link", rel="stylesheet")]
        assert stylesheets == [served.url("theme/css/site.css")], path


def test_nu_html_checker_reports_no_error_on_any_page_kind(served):
    if not VNU.is_file():
        pytest.fail(f"vnu.jar is missing: {SETUP_HINT}")
    files = sorted({str(served.out / (path + "index.html" if path == "" or path.endswith("/") else path))
                    for path in served.kinds().values()})
    run = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                         capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [(m.get("url", "").rsplit("/sub/", 1)[-1], m.get("lastLine"), m["message"])
              for m in messages if m.get("type") in ("error", "non-document-error")]
    assert errors == [], errors
