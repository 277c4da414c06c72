"""End to end: the real content, built with the real settings, checked against the URL contract."""

import re
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from support import build_site, copy_content, page, pages

SITE = "http://site.test"


def soup(html):
    return BeautifulSoup(html, "html.parser")


def rel(url):
    assert url.startswith(SITE + "/"), url
    return url[len(SITE) + 1:]


def stories(out):
    """slug -> {lang: url path} from the article pages written."""
    found = {}
    for path in pages(out):
        r = path.relative_to(out).as_posix()
        m = re.fullmatch(r"(?:(en)/)?(\d{4})/(\d{2})/([a-z0-9-]+)/index\.html", r)
        if m:
            found.setdefault(m.group(4), {})[m.group(1) or "fr"] = r[: -len("index.html")]
    return found


def test_build_has_no_content_errors(site):
    assert site["report"].errors == []


def test_url_contract_homes_archives_feeds(site):
    out = site["out"]
    for path in ["index.html", "en/index.html", "archives/index.html", "en/archives/index.html",
                 "feeds/all.atom.xml", "en/feeds/all.atom.xml", "sitemap.xml", "404.html",
                 "robots.txt"]:
        assert (out / path).is_file(), path
    n_fr = len(soup(page(out, "")).select("article.card, article.lead"))
    assert n_fr == site["settings"]["DIGEST_PER_PAGE"]
    assert (out / "page/2/index.html").is_file() and (out / "en/page/2/index.html").is_file()


def test_articles_share_slug_across_languages_and_follow_the_contract(site):
    found = stories(site["out"])
    assert len(found) >= 8
    pairs = [s for s, langs in found.items() if {"fr", "en"} <= set(langs)]
    assert pairs, "hand-translated pairs must give both language pages"
    for slug, langs in found.items():
        if "fr" in langs and "en" in langs:
            assert "en/" + langs["fr"] == langs["en"]


def test_every_page_has_lang_canonical_and_reciprocal_hreflang(site):
    out = site["out"]
    alternates = {}
    for path in pages(out):
        r = path.relative_to(out).as_posix()
        doc = soup(path.read_text(encoding="utf-8"))
        expected_lang = "en" if r.startswith("en/") else "fr"
        assert doc.html["lang"] == expected_lang, r
        if r == "404.html":
            continue
        canonical = doc.find("link", rel="canonical")["href"]
        assert rel(canonical) == r.removesuffix("index.html"), r
        alts = {link["hreflang"]: link["href"] for link in doc.find_all("link", rel="alternate")
                if link.get("hreflang")}
        assert alts.get(expected_lang) == canonical, r
        assert "x-default" in alts, r
        alternates[canonical] = alts
    for url, alts in alternates.items():
        for lang, other in alts.items():
            if lang == "x-default":
                continue
            assert other in alternates, f"{url} points to missing {other}"
            assert alternates[other].get(_lang_of(url)) == url, f"{other} does not point back to {url}"


def _lang_of(url):
    return "en" if rel(url).startswith("en/") else "fr"


def test_switcher_goes_to_counterpart_or_other_home(site):
    out = site["out"]
    found = stories(out)
    for slug, langs in found.items():
        for lang, path in langs.items():
            doc = soup(page(out, path))
            links = {a["hreflang"]: a["href"] for a in doc.select(".lang-switch a")}
            other = "en" if lang == "fr" else "fr"
            if other in langs:
                assert rel(links[other]) == langs[other]
            else:
                assert rel(links[other]) == ("en/" if other == "en" else "")


UNTRANSLATED = """---
title: "Une jeune pousse lyonnaise publie un modèle de langue"
date: 2024-05-02 09:00
lang: fr
slug: jeune-pousse-lyonnaise-modele
summary: "Un modèle ouvert, entraîné sur des textes juridiques."
---

La société a publié les poids de son modèle sous licence ouverte. Elle vise les cabinets d'avocats.
"""


def test_untranslated_story_is_listed_with_a_notice_not_fake_text(tmp_path):
    """A French post with no translation in the memory and no provider: no English page is made up;
    the English listings show the original with a notice."""
    content = copy_content(tmp_path)
    (content / "posts" / "2024" / "jeune-pousse-lyonnaise-modele.md").write_text(UNTRANSLATED, encoding="utf-8")
    _settings, report, out = build_site(tmp_path, content=content)
    assert report.errors == []
    assert stories(out)["jeune-pousse-lyonnaise-modele"] == {"fr": "2024/05/jeune-pousse-lyonnaise-modele/"}
    assert "2024/05/jeune-pousse-lyonnaise-modele/" in page(out, "en/archives/")
    cards = [c for p in pages(out) if p.relative_to(out).as_posix().startswith("en/")
             for c in soup(p.read_text(encoding="utf-8")).select("article.card[lang=fr]")
             if "jeune-pousse-lyonnaise-modele" in str(c)]
    assert cards, "the untranslated story is on no English listing"
    assert all(card.select_one(".notice-untranslated") for card in cards)


def test_dates_are_localised(site):
    out = site["out"]
    fr = soup(page(out, "")).select_one("article.card time").text
    en = soup(page(out, "en/")).select_one("article.card time").text
    months_fr = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    assert any(m in fr for m in months_fr.split()), fr
    assert re.match(r"[A-Z][a-z]+ \d{1,2}, \d{4}", en), en


def test_sitemap_lists_pages_with_alternates(site):
    xml = (site["out"] / "sitemap.xml").read_text()
    assert "<loc>http://site.test/en/</loc>" in xml
    assert 'hreflang="en"' in xml and "xhtml:link" in xml


def test_third_language_is_configuration_and_strings_only(tmp_path):
    from pelican.settings import read_settings

    content = copy_content(tmp_path)
    ui = (content / "data/ui.yaml").read_text(encoding="utf-8")
    ui += "\nde:\n  site_name: \"KI-Digest\"\n  tagline: \"Nachrichten über künstliche Intelligenz\"\n" \
          "  latest_posts: \"Neueste Beiträge\"\n  nav_home: \"Start\"\n"
    (content / "data/ui.yaml").write_text(ui, encoding="utf-8")
    post = content / "posts/2024/ki-gesetz.de.md"
    post.write_text("---\ntitle: Das EU-Parlament verabschiedet das KI-Gesetz\ndate: 2024-03-13 15:00\n"
                    "lang: de\nslug: eu-ai-act-parliament-vote\n---\n\nDas Parlament hat das Gesetz "
                    "mit großer Mehrheit angenommen.\n", encoding="utf-8")
    base = read_settings("pelicanconf.py")["DIGEST_LANGUAGES"]
    langs = dict(base, de={"name": "Deutsch", "locale": "de_DE", "prefix": "de",
                           "segments": {"topics": "themen", "companies": "unternehmen",
                                        "weeks": "wochen", "archives": "archiv", "search": "suche"}})
    settings, report, out = build_site(tmp_path, content=content, DIGEST_LANGUAGES=langs)
    assert report.errors == []
    assert (out / "de/index.html").is_file() and (out / "de/archiv/index.html").is_file()
    art = soup(page(out, "de/2024/03/eu-ai-act-parliament-vote/"))
    assert art.html["lang"] == "de"
    hreflangs = {l["hreflang"] for l in art.find_all("link", rel="alternate") if l.get("hreflang")}
    assert {"fr", "en", "de", "x-default"} <= hreflangs
    assert "März 2024" in page(out, "de/2024/03/eu-ai-act-parliament-vote/") or \
        "13. März 2024" in page(out, "de/2024/03/eu-ai-act-parliament-vote/")
    assert soup(page(out, "de/")).select_one("h1").text == "Neueste Beiträge"
    fr_page = soup(page(out, "2024/03/eu-ai-act-parliament-vote/"))
    assert "de" in {a["hreflang"] for a in fr_page.select(".lang-switch a")}


def test_removed_post_disappears_from_output_on_rebuild(tmp_path):
    content = copy_content(tmp_path)
    victim = sorted((content / "posts").rglob("*.md"))[0]
    settings, report, out = build_site(tmp_path, content=content)
    before = {p.relative_to(out).as_posix() for p in pages(out)}
    victim.unlink()
    settings, report, out = build_site(tmp_path, content=content)
    after = {p.relative_to(out).as_posix() for p in pages(out)}
    gone = before - after
    assert gone and any(re.search(r"\d{4}/\d{2}/", g) for g in gone)
    # Besides its article pages, only term pages may go: its week, a company or topic only it had.
    terms = r"^(en/)?(semaines|weeks|entreprises|companies|sujets|topics)/"
    assert all(re.search(r"\d{4}/\d{2}/", g) or re.search(terms, g) for g in gone), gone


def test_article_json_ld_describes_the_article_itself(site):
    import json

    doc = soup(page(site["out"], "en/2024/03/eu-ai-act-parliament-vote/"))
    data = json.loads(doc.find("script", type="application/ld+json").string)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == doc.h1.text
    assert data["description"] == doc.find("meta", attrs={"name": "description"})["content"]
    assert data["url"] == doc.find("link", rel="canonical")["href"]


def test_the_garbage_collector_is_back_on_and_nothing_frozen_after_a_build(tmp_path):
    import gc

    import digest.site

    build_site(tmp_path)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    # A build that stopped between the site model and the pages (another generator failed) leaves
    # collection off; the next build turns it back on.
    gc.disable()
    digest.site._paused = True
    build_site(tmp_path / "again")
    assert gc.isenabled() and gc.get_freeze_count() == 0 and not digest.site._paused
