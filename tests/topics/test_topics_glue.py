"""The plugin inside a build: the site_assembled receiver, the report, the cache, and `invoke topics`."""

import json
import shutil
import sys
import weakref
from datetime import datetime
from pathlib import Path

import pytest

import topics
from digest import signals
from digest.model import Post, Site, Story
from digest.report import BuildReport
from topics import assign_topics, cli
from topics_support import SITE_TAXONOMY


@pytest.fixture
def content(tmp_path):
    """A content folder holding the site's real topics.yaml."""
    (tmp_path / "content" / "data").mkdir(parents=True)
    shutil.copy(SITE_TAXONOMY, tmp_path / "content" / "data" / "topics.yaml")
    return tmp_path / "content"


def post(slug, lang, title, body, day=1, path=None, **meta):
    return Post(slug=slug, lang=lang, title=title, date=datetime(2024, 3, day), html="", body=body,
                path=path or f"content/posts/2024/{slug}.{lang}.md", meta=meta,
                translated_by=meta.pop("translated_by", None), reviewed=meta.pop("reviewed", False))


def make_site(content, *stories, cache=True):
    settings = {"PATH": str(content)}
    if cache:
        settings["CACHE_PATH"] = str(content.parent / "cache")
    return Site(stories={s.slug: s for s in stories}, pages={}, languages=["fr", "en"], default_lang="fr",
                settings=settings, report=BuildReport())


def story(slug, *posts):
    return Story(slug, versions={p.lang: p for p in posts})


AI_ACT_FR = post("ai-act", "fr", "Le Parlement européen adopte l'AI Act",
                 "Le [règlement](https://eur-lex.europa.eu/ai-act) encadre les usages de l'IA. "
                 "Les régulateurs nationaux appliqueront cette réglementation.", day=13)
# A machine translation: later, and not what detection reads (it reads the original).
AI_ACT_EN = post("ai-act", "en", "Europe passes the AI Act", "A funding round, investors, funding.", day=14,
                 translated_by="deepl")


def test_register_connects_a_module_level_receiver():
    topics.register()
    receivers = [r() if isinstance(r, weakref.ref) else r for r in signals.site_assembled.receivers.values()]
    assert assign_topics in receivers


def test_receiver_registers_the_taxonomy_and_tags_stories_once_from_the_original(content):
    site = make_site(content, story("ai-act", AI_ACT_FR, AI_ACT_EN))
    assign_topics(site)
    taxonomy = site.taxonomies["topics"]
    assert taxonomy.name == "topics" and list(taxonomy.terms)[:2] == ["open-source", "regulation"]
    term = taxonomy.terms["regulation"]
    assert (term.id, term.labels, term.label("en", "fr")) == ("regulation", {"fr": "Réglementation",
                                                                              "en": "Regulation"}, "Regulation")
    assert term.descriptions["fr"] and term.descriptions["en"]
    ai_act = site.stories["ai-act"]
    assert ai_act.terms["topics"] == ["regulation"]  # not funding: the translation is not read
    assert "AI Act" in ai_act.explain["topics"] and "topics: regulation" in ai_act.explain["topics"]
    [line] = site.report.sections["topics"][AI_ACT_FR.path]  # one report line per story
    assert line.startswith("regulation (scores: regulation ")
    assert not site.report.errors


def test_explicit_tags_and_vetoes_come_from_every_version_an_editor_wrote(content):
    fr = post("chips", "fr", "Nvidia présente ses puces Blackwell",
              "Les puces et les GPU de Nvidia. Une étude, un article scientifique.", tags=["deals"])
    en = post("chips", "en", "Nvidia shows its Blackwell chips", "Chips.", day=2, exclude_tags=["research"])
    machine = post("chips", "de", "Chips", "", day=3, translated_by="deepl", tags=["legal"])
    site = make_site(content, story("chips", fr, en, machine))
    assign_topics(site)
    assert site.stories["chips"].terms["topics"] == ["hardware", "deals"]  # no research, no legal


def test_unknown_tag_is_an_error_on_the_file_that_has_it(content):
    fr = post("s", "fr", "Titre", "Texte.")
    en = post("s", "en", "Title", "Text.", day=2, tags=["regulaton"], exclude_tags=["open source"])
    site = make_site(content, story("s", fr, en))
    assign_topics(site)
    errors = [(e.path, e.field, e.message, e.fix) for e in site.report.errors]
    assert errors == [
        (en.path, "tags", "unknown topic id 'regulaton' in tags; did you mean 'regulation'? "
                          "Known ids are listed in content/data/topics.yaml",
         "use one of the ids in content/data/topics.yaml, e.g. 'regulation'"),
        (en.path, "exclude_tags", "unknown topic id 'open source' in exclude_tags; did you mean "
                                  "'open-source'? Known ids are listed in content/data/topics.yaml",
         "use one of the ids in content/data/topics.yaml, e.g. 'open-source'"),
    ]
    assert site.stories["s"].terms["topics"] == []


def test_broken_taxonomy_is_one_error_naming_file_and_topic(content):
    path = content / "data" / "topics.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("en: Regulation}", "}", 1), encoding="utf-8")
    site = make_site(content, story("ai-act", AI_ACT_FR))
    assign_topics(site)
    assert [(e.path, e.message) for e in site.report.errors] == [
        ("content/data/topics.yaml", "content/data/topics.yaml: topic 'regulation': labels: missing en "
                                     "(a label in each of fr, en is required)")]
    assert "topics" not in site.taxonomies and "topics" not in site.stories["ai-act"].terms


def test_results_are_cached_by_text_and_taxonomy(content, monkeypatch):
    assign_topics(make_site(content, story("ai-act", AI_ACT_FR)))
    cache_file = content.parent / "cache" / "topics.json"
    data = json.loads(cache_file.read_text(encoding="utf-8"))
    assert data["format"] == topics.cache.FORMAT and len(data["entries"]) == 1

    def no_matching(*args):
        raise AssertionError("the cached result should have been used")

    monkeypatch.setattr(topics.core.TopicMatcher, "score", no_matching)
    site = make_site(content, story("ai-act", AI_ACT_FR))
    assign_topics(site)
    assert site.stories["ai-act"].terms["topics"] == ["regulation"]
    [line] = site.report.sections["topics"][AI_ACT_FR.path]  # the scores come from the cache too
    assert line.startswith("regulation (scores: regulation ")
    # The explanation is not cached: it is scored again when someone reads it.
    monkeypatch.undo()
    assert "AI Act" in site.stories["ai-act"].explain["topics"]

    # A changed taxonomy is a different key: the matcher runs again.
    monkeypatch.setattr(topics.core.TopicMatcher, "score", no_matching)
    path = content / "data" / "topics.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="cached result"):
        assign_topics(make_site(content, story("ai-act", AI_ACT_FR)))


def test_cache_keeps_only_this_builds_entries_and_survives_garbage(content):
    other = post("other", "fr", "Une levée de fonds", "Des investisseurs.")
    assign_topics(make_site(content, story("ai-act", AI_ACT_FR), story("other", other)))
    cache_file = content.parent / "cache" / "topics.json"
    assert len(json.loads(cache_file.read_text(encoding="utf-8"))["entries"]) == 2
    assign_topics(make_site(content, story("ai-act", AI_ACT_FR)))
    assert len(json.loads(cache_file.read_text(encoding="utf-8"))["entries"]) == 1

    cache_file.write_text("{not json", encoding="utf-8")
    site = make_site(content, story("ai-act", AI_ACT_FR))
    assign_topics(site)
    assert site.stories["ai-act"].terms["topics"] == ["regulation"]
    assert json.loads(cache_file.read_text(encoding="utf-8"))["format"] == topics.cache.FORMAT
    assert [p.name for p in cache_file.parent.iterdir()] == ["topics.json"]  # no temp file left


def count_scoring(monkeypatch):
    """A list that gets one item each time the matcher scores a text."""
    calls = []
    score = topics.core.TopicMatcher.score

    def counted(self, title, body):
        calls.append(title)
        return score(self, title, body)

    monkeypatch.setattr(topics.core.TopicMatcher, "score", counted)
    return calls


def test_a_changed_title_or_body_misses_the_cache(content, monkeypatch):
    assign_topics(make_site(content, story("ai-act", AI_ACT_FR)))
    calls = count_scoring(monkeypatch)
    assign_topics(make_site(content, story("ai-act", AI_ACT_FR)))
    assert calls == []
    # A changed body (one character, after the title) and a changed title are each scored again.
    edited_body = post("ai-act", "fr", AI_ACT_FR.title, AI_ACT_FR.body + " Les investisseurs.", day=13)
    site = make_site(content, story("ai-act", edited_body))
    assign_topics(site)
    assert len(calls) == 1 and "funding 1/2" in site.report.sections["topics"][edited_body.path][0]
    edited_title = post("ai-act", "fr", "Levée de fonds", AI_ACT_FR.body, day=13)
    assign_topics(make_site(content, story("ai-act", edited_title)))
    assert len(calls) == 2
    # Title and body are not one string: moving a word from one to the other is another text.
    moved = post("ai-act", "fr", AI_ACT_FR.title + " Le", AI_ACT_FR.body[3:], day=13)
    assert f"{AI_ACT_FR.title} {AI_ACT_FR.body}" == f"{moved.title} {moved.body}"
    calls.clear()
    assign_topics(make_site(content, story("ai-act", AI_ACT_FR), story("moved", moved)))
    assert len(calls) == 2


def test_changed_topics_code_misses_the_cache(content, monkeypatch):
    assign_topics(make_site(content, story("ai-act", AI_ACT_FR)))
    calls = count_scoring(monkeypatch)
    monkeypatch.setattr(topics.core, "_code_digest", lambda: "the code of another version")
    assign_topics(make_site(content, story("ai-act", AI_ACT_FR)))
    assert len(calls) == 1


def test_a_cached_build_reports_and_explains_like_a_fresh_one(content):
    other = post("other", "en", "Nvidia raises funds", "Investors fund the GPU maker; a funding round.")
    stories = (story("ai-act", AI_ACT_FR, AI_ACT_EN), story("other", other))
    fresh = make_site(content, *stories, cache=False)
    assign_topics(fresh)
    assign_topics(make_site(content, *stories))  # fills the cache
    cached = make_site(content, *stories)
    assign_topics(cached)
    assert cached.report.sections["topics"] == fresh.report.sections["topics"]
    for slug in ("ai-act", "other"):
        assert cached.stories[slug].terms == fresh.stories[slug].terms
        assert str(cached.stories[slug].explain["topics"]) == str(fresh.stories[slug].explain["topics"])


def test_no_cache_path_no_cache_file(content):
    site = make_site(content, story("ai-act", AI_ACT_FR), cache=False)
    assign_topics(site)
    assert site.stories["ai-act"].terms["topics"] == ["regulation"]
    assert not (content.parent / "cache").exists()


# --- invoke topics ------------------------------------------------------------------------------

def write_post(content, name, text):
    path = content / "posts" / "2024" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def posts(content):
    write_post(content, "ai-act.fr.md", "---\ntitle: Le Parlement adopte l'AI Act\ndate: 2024-03-13\nlang: fr\n"
                                        "tags: [research]\n---\nLa réglementation et les régulateurs.\n")
    write_post(content, "ai-act.en.md", "---\ntitle: Parliament passes the AI Act\ndate: 2024-03-14\nlang: en\n"
                                        "exclude_tags: [legal]\n---\nThe regulation.\n")
    write_post(content, "mistral.md", "---\ntitle: Mistral AI lève 600 millions d'euros\ndate: 2024-06-11\n"
                                      "lang: fr\nslug: mistral-ai-leve-600-millions\n---\nUne levée de fonds.\n")
    write_post(content, "broken.md", "---\ntitle: [unclosed\n---\nText\n")
    return content


def test_explain_story_reads_the_story_like_the_build(posts):
    text = cli.explain_story({"PATH": str(posts)}, "ai-act")
    lines = text.splitlines()
    assert lines[0] == "topics of 'ai-act': regulation, research"
    assert lines[1].startswith("computed on content/posts/2024/ai-act.fr.md (fr)")  # the oldest version
    assert "regulation" in text and "AI Act" in text and "title 1" in text
    assert "explicit (tags): research" in lines and "vetoed (exclude_tags): legal" in lines


def test_explain_unknown_slug_names_it_and_suggests(posts):
    with pytest.raises(LookupError, match="no post with slug 'mistral-ai' under .*posts; did you mean "
                                          "'mistral-ai-leve-600-millions'"):
        cli.explain_story({"PATH": str(posts)}, "mistral-ai")


def test_main_prints_the_explanation_or_an_error(posts, capsys):
    # Not named pelicanconf.py: Pelican loads a settings file as sys.modules[<file name>], and
    # publishconf.py's `from pelicanconf import *` would then get this file in a later test.
    settings_file = posts.parent / "topics-test-settings.py"
    settings_file.write_text('PATH = "content"\nARTICLE_PATHS = ["posts"]\n', encoding="utf-8")
    project_settings = sys.modules.get("pelicanconf")
    assert cli.main(["--explain", "mistral-ai-leve-600-millions", "--settings", str(settings_file)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("topics of 'mistral-ai-leve-600-millions': funding\n")
    assert cli.main(["--explain", "nope", "--settings", str(settings_file)]) == 1
    assert "error: no post with slug 'nope'" in capsys.readouterr().err
    assert cli.main(["--settings", str(settings_file)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "ai-act: regulation, research (scores: regulation 6.5/2 [AI Act: title 1; réglement*: body 1; "
        "régulat*: body 1])",
        "mistral-ai-leve-600-millions: funding (scores: funding 4.5/2 [lève: title 1; "
        "millions d'euros: title 1; levée de fonds: body 1])",
    ]
    assert sys.modules.get("pelicanconf") is project_settings
