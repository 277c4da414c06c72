"""Drafts are built only when asked and listed nowhere; future-dated stories wait for their date in
publish builds and carry a banner in local ones (plugins/digest/schedule.py)."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from editor_support import build_site, containing, copy_content, files, indexed, post, report_text

DRAFT = "zorgbrouillon"
FUTURE = "zorgavenir"
NOW = "2025-06-01 12:00"
PUBLISH = {"DIGEST_PUBLISH": True}


@pytest.fixture
def content(tmp_path):
    content = copy_content(tmp_path)
    post(content, "posts/2025/un-brouillon.md", title=f"Un brouillon {DRAFT}", date="2025-01-10 10:00",
         body=f"Le texte du brouillon {DRAFT} parle d’OpenAI et de modèles.", extra="status: draft\n")
    post(content, "posts/2025/une-annonce.md", title=f"Une annonce {FUTURE}", date="2025-06-20 09:00",
         body=f"Le texte programmé {FUTURE} parle d’OpenAI et de modèles.")
    return content


def build(tmp_path, name, content, **overrides):
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    return build_site(folder, content=content, **{"DIGEST_NOW": NOW, **overrides})


def soup(out, rel):
    return BeautifulSoup((out / rel / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_a_draft_is_built_only_when_asked_and_linked_from_nowhere(tmp_path, content):
    _s, report, out = build(tmp_path, "plain", content)
    assert containing(out, DRAFT) == []
    assert "`invoke build --drafts`" in report_text(report, "drafts")["content/posts/2025/un-brouillon.md"]

    _s, report, out = build(tmp_path, "drafts", content, DIGEST_DRAFTS=True)
    page = "2025/01/un-brouillon/index.html"
    assert containing(out, DRAFT) == [page], "its own page and nothing else"
    doc = soup(out, "2025/01/un-brouillon")
    assert doc.select_one(".banner-draft").get_text(strip=True)
    assert doc.select_one('meta[name=robots]')["content"] == "noindex"
    assert not [name for name, data in files(out).items() if b"un-brouillon" in data and name != page]
    assert "/2025/01/un-brouillon/" not in indexed(out)
    line = report_text(report, "drafts")["content/posts/2025/un-brouillon.md"]
    assert "2025/01/un-brouillon/" in line and "listed nowhere" in line
    # No translation is made or listed for it.
    assert not list((content / "translations").rglob("un-brouillon*"))


def test_a_publish_build_never_has_a_draft_even_when_asked(tmp_path, content):
    _s, report, out = build(tmp_path, "pub", content, DIGEST_DRAFTS=True, **PUBLISH)
    assert containing(out, DRAFT) == []
    assert "never published" in report_text(report, "drafts")["content/posts/2025/un-brouillon.md"]


def test_drafts_built_once_are_removed_by_the_next_build_without_them(tmp_path, content):
    _s, _r, out = build(tmp_path, "same", content, DIGEST_DRAFTS=True)
    assert containing(out, DRAFT)
    _s, _r, out = build(tmp_path, "same", content)
    assert containing(out, DRAFT) == []


def test_a_draft_with_a_published_posts_slug_leaves_that_page_alone(tmp_path, content):
    published = content / "posts/2024/anthropic-claude-3.md"
    text = published.read_text(encoding="utf-8")
    post(content, "posts/2024/anthropic-claude-3-rewrite.md", title="Réécriture zorgclash",
         date="2024-03-04 18:00", body="Nouveau texte zorgclash.",
         extra="slug: anthropic-claude-3\nstatus: draft\n")
    _s, report, out = build(tmp_path, "clash", content, DIGEST_DRAFTS=True)
    assert containing(out, "zorgclash") == []
    warning = [w for w in report.warnings if "anthropic-claude-3-rewrite" in w.path]
    assert warning and warning[0].field == "slug" and warning[0].fix
    assert published.read_text(encoding="utf-8") == text


def test_a_scheduled_story_is_shown_locally_with_a_banner_everywhere_it_is_listed(tmp_path, content):
    _s, report, out = build(tmp_path, "local", content)
    where = containing(out, FUTURE)
    assert "2025/06/une-annonce/index.html" in where and "index.html" in where
    for name in where:
        assert not name.endswith((".xml", ".txt")), f"{name}: no feed or sitemap has it"
    # Every listing that shows it (home, archives, week and term pages, each language) says it is
    # scheduled, beside its title.
    listings = [name for name in where if not re.match(r"(en/)?\d{4}/\d{2}/", name)]
    assert len(listings) >= 6, listings
    for name in listings:
        doc = BeautifulSoup((out / name).read_text(encoding="utf-8"), "html.parser")
        links = doc.select('a[href*="une-annonce"]')
        assert links, name
        for link in links:
            item = link.find_parent(["article", "li"])
            assert item is not None and item.select_one(".banner-scheduled"), name
    home = soup(out, "")
    first = home.select("article.lead, article.card")[0]  # the lead story, then the list
    assert FUTURE in first.get_text() and first.select_one(".banner-scheduled"), \
        "it sorts first, and says so"
    assert "2025" in soup(out, "2025/06/une-annonce").select_one(".banner-scheduled").get_text()
    assert "/2025/06/une-annonce/" not in indexed(out)
    line = report_text(report, "scheduled")["content/posts/2025/une-annonce.md"]
    assert "2025-06-20 09:00" in line and "banner" in line


def test_a_publish_build_leaves_a_scheduled_story_out_until_its_date(tmp_path, content):
    _s, report, out = build(tmp_path, "before", content, **PUBLISH)
    assert containing(out, FUTURE) == []
    line = report_text(report, "scheduled")["content/posts/2025/une-annonce.md"]
    assert "goes out on 2025-06-20 09:00" in line
    _s, report, out = build(tmp_path, "before", content, **{**PUBLISH, "DIGEST_NOW": "2025-06-20 09:00"})
    assert "2025/06/une-annonce/index.html" in containing(out, FUTURE)
    assert "feeds/all.atom.xml" in containing(out, FUTURE)
    assert "/2025/06/une-annonce/" in indexed(out)
    assert not soup(out, "2025/06/une-annonce").select(".banner")
    assert report_text(report, "scheduled") == {}


def test_the_day_it_goes_out_a_rebuild_equals_a_cold_build(tmp_path, content):
    """The fast path (the daily run on yesterday's output and caches) against a full rebuild."""
    build(tmp_path, "daily", content, **PUBLISH)
    later = {**PUBLISH, "DIGEST_NOW": "2025-06-21 06:00"}
    _s, second, out = build(tmp_path, "daily", content, **later)
    assert second.output["kept"] > 0, "the rebuild used its caches"
    _s, _r, cold = build(tmp_path, "cold", content, **later)
    mine, theirs = files(out), files(cold)
    assert set(mine) == set(theirs)
    assert [name for name in mine if mine[name] != theirs[name]] == []


@pytest.mark.parametrize("value", ["Draft", " DRAFT ", "draft"])
def test_status_is_read_whatever_its_case(tmp_path, content, value):
    post(content, "posts/2025/un-brouillon.md", title=f"Un brouillon {DRAFT}", date="2025-01-10 10:00",
         extra=f"status: \"{value}\"\n")
    _s, _r, out = build(tmp_path, "case", content)
    assert containing(out, DRAFT) == []


def test_an_unknown_status_is_a_content_error_naming_the_choices(tmp_path, content):
    post(content, "posts/2025/un-brouillon.md", title=f"Un brouillon {DRAFT}", date="2025-01-10 10:00",
         extra="status: brouillon\n")
    _s, report, out = build(tmp_path, "bad", content)
    error = [e for e in report.errors if e.path.endswith("un-brouillon.md")]
    assert error and error[0].field == "status" and "draft" in error[0].fix
    assert containing(out, DRAFT) == []


def test_now_is_the_setting_in_the_sites_time_zone_and_a_bad_one_says_how_to_write_it():
    from digest.schedule import now

    moment = now({"TIMEZONE": "Europe/Paris", "DIGEST_NOW": "2025-06-20 09:00"})
    assert moment.isoformat() == "2025-06-20T09:00:00+02:00"
    with pytest.raises(ValueError, match="DIGEST_NOW .*YYYY-MM-DD HH:MM"):
        now({"TIMEZONE": "UTC", "DIGEST_NOW": "demain"})
    assert now({"TIMEZONE": "UTC"}).tzinfo is not None
