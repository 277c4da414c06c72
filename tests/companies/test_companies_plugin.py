"""The glue: what the plugin leaves in the Site model and the build report when site_assembled fires."""

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest

import companies
from companies.cache import CACHE_FILE
from digest import signals
from digest.model import Post, Site, Story
from digest.report import BuildReport

ROOT = Path(__file__).resolve().parents[2]


def post(slug, lang, title, body, day=1, translated_by=None, **meta):
    return Post(slug=slug, lang=lang, title=title, date=datetime(2024, 3, day), html="", body=body,
                path=f"content/posts/2024/{slug}.{lang}.md", meta=dict(meta), translated_by=translated_by)


def make_site(tmp_path, stories, languages=("fr", "en"), cache=True, registry=None):
    content = tmp_path / "content"
    (content / "data").mkdir(parents=True, exist_ok=True)
    if registry is None:
        shutil.copy(ROOT / "content" / "data" / "companies.yaml", content / "data" / "companies.yaml")
    elif registry is not False:
        (content / "data" / "companies.yaml").write_text(registry, encoding="utf-8")
    settings = {"PATH": str(content)}
    if cache:
        settings["CACHE_PATH"] = str(tmp_path / "cache")
    by_slug = {}
    for p in stories:
        by_slug.setdefault(p.slug, Story(p.slug)).versions[p.lang] = p
    return Site(stories=by_slug, pages={}, languages=list(languages), default_lang=languages[0],
                settings=settings, report=BuildReport())


@pytest.fixture
def news(tmp_path):
    return make_site(tmp_path, [
        post("claude-3", "en", "Anthropic launches Claude 3", "Claude 3 Opus beats GPT-4. Claude Monet does not."),
        post("claude-3", "fr", "Anthropic lance Claude 3", "Google et Meta aussi.", translated_by="deepl"),
        post("mistral", "fr", "Le mistral souffle", "Le mistral souffle, Perplexity aussi.", day=2,
             companies=["mistral-ai"]),
        post("grok", "fr", "xAI ouvre Grok", "Elon Musk publie Grok-1. Google et Perplexity regardent.", day=3,
             exclude_companies=["google"]),
        post("typo", "en", "A typo", "Nothing here.", day=4, companies=["open-ai"]),
    ])


def test_taxonomy_holds_every_company_with_its_profile(news):
    companies.assign_companies(news)
    taxonomy = news.taxonomies["companies"]
    assert taxonomy.name == "companies"
    assert {"xai", "openai", "google", "mistral-ai", "deepseek"} <= set(taxonomy.terms)
    term = taxonomy.terms["google"]
    assert term.labels == {"fr": "Google", "en": "Google"}
    assert set(term.descriptions) == {"fr", "en"} and term.descriptions["fr"] != term.descriptions["en"]
    assert term.data["website"].startswith("https://") and term.data["founded"] == 1998
    assert term.data["headquarters"] == "Mountain View (Californie, États-Unis)"  # default language
    assert term.data["headquarters_by_lang"]["en"] == "Mountain View, California, United States"
    assert "Google DeepMind" in term.data["aliases"] and "Gemini" in term.data["products"]
    assert "logo" in term.data


def test_story_terms_detection_front_matter_and_veto(news):
    companies.assign_companies(news)
    terms = {slug: story.terms["companies"] for slug, story in news.stories.items()}
    # The translation's "Google et Meta" is not read: a story's companies come from its original.
    assert terms["claude-3"] == ["anthropic", "openai"]
    assert terms["mistral"] == ["mistral-ai"]  # explicit, though the text is about the wind
    assert terms["grok"] == ["xai"]  # google vetoed
    assert terms["typo"] == []


def test_explain_keeps_forms_snippets_and_what_was_set_aside(news):
    companies.assign_companies(news)
    explain = news.stories["claude-3"].explain["companies"]
    assert explain["detected"]["anthropic"]["forms"] == {"Anthropic": 1, "Claude": 2}
    assert explain["detected"]["anthropic"]["snippets"][0].startswith("[Anthropic] launches")
    assert {"company": "anthropic", "surface": "Claude", "reason": "followed by 'Monet'"} in explain["not_counted"]
    assert news.stories["grok"].explain["companies"]["vetoed"] == ["google"]


def test_unknown_id_is_a_content_error_on_the_file_that_holds_it(news):
    companies.assign_companies(news)
    (error,) = news.report.errors
    assert error.path == "content/posts/2024/typo.en.md"
    assert error.field == "companies"
    assert error.message.startswith("unknown company id 'open-ai' in companies; did you mean 'openai'?")
    assert error.fix == "write 'openai' instead of 'open-ai'"


def test_one_report_line_per_story_and_the_candidates(news):
    companies.assign_companies(news)
    section = news.report.sections["companies"]
    assert section["content/posts/2024/claude-3.en.md"] == [
        "anthropic (Anthropic, Claude ×2); openai (GPT-4) | not counted: Claude (followed by 'Monet')"]
    assert section["content/posts/2024/grok.fr.md"][0].startswith("xai (xAI, Grok") \
        and "vetoed: google" in section["content/posts/2024/grok.fr.md"][0]
    assert section["candidates"] == ["Perplexity: 2 mentions in 2 posts"]


def test_register_connects_the_receiver_to_site_assembled(news):
    companies.register()
    signals.site_assembled.send(news)
    assert "companies" in news.taxonomies and news.stories["grok"].terms["companies"] == ["xai"]


def test_cache_is_written_atomically_and_reused(news, tmp_path, monkeypatch):
    companies.assign_companies(news)
    cache_file = tmp_path / "cache" / CACHE_FILE
    assert len(json.loads(cache_file.read_text(encoding="utf-8"))) == 4
    assert not list((tmp_path / "cache").glob("*.tmp"))

    def no_detection(self, text):
        raise AssertionError("detected again although cached")

    monkeypatch.setattr(companies.CompanyDetector, "detect", no_detection)
    again = make_site(tmp_path, [s for story in news.stories.values() for s in story.versions.values()])
    companies.assign_companies(again)
    assert again.stories["claude-3"].terms["companies"] == ["anthropic", "openai"]


def test_a_registry_change_invalidates_the_cache(news, tmp_path):
    companies.assign_companies(news)
    registry = tmp_path / "content" / "data" / "companies.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("- Claude Code", "- Claude Code\n      - Opus"),
                        encoding="utf-8")
    again = make_site(tmp_path, [s for story in news.stories.values() for s in story.versions.values()],
                      registry=registry.read_text(encoding="utf-8"))
    companies.assign_companies(again)
    assert again.stories["claude-3"].explain["companies"]["detected"]["anthropic"]["forms"] == {
        "Anthropic": 1, "Claude": 2, "Opus": 1}


def test_no_cache_path_no_cache_file(tmp_path):
    site = make_site(tmp_path, [post("a", "fr", "OpenAI", "ChatGPT.")], cache=False)
    companies.assign_companies(site)
    assert site.stories["a"].terms["companies"] == ["openai"]
    assert not (tmp_path / "cache").exists()


def test_missing_registry_is_a_warning(tmp_path):
    site = make_site(tmp_path, [post("a", "fr", "OpenAI", "")], registry=False)
    companies.assign_companies(site)
    assert "companies" not in site.taxonomies
    assert site.report.warnings[0].message == "no company registry: no company pages"


def test_broken_registry_errors_name_the_file_and_the_company(tmp_path):
    site = make_site(tmp_path, [post("a", "fr", "OpenAI", "")],
                     registry="companies:\n  - {id: acme, name: Acme, founded: soon, description: {fr: x}}\n")
    companies.assign_companies(site)
    (error,) = site.report.errors
    assert error.path.endswith("data/companies.yaml")
    assert error.message.startswith("company 'acme': 'founded' must be a year")


def test_a_third_language_falls_back_to_the_default_description(tmp_path):
    site = make_site(tmp_path, [post("a", "fr", "OpenAI", "")], languages=("fr", "en", "de"))
    companies.assign_companies(site)
    term = site.taxonomies["companies"].terms["openai"]
    assert term.labels["de"] == "OpenAI"
    assert term.descriptions["de"] == term.descriptions["fr"]
    assert term.data["headquarters_by_lang"]["de"] == term.data["headquarters_by_lang"]["fr"]
    assert any("no description in 'de'" in w.message for w in site.report.warnings)


def story_posts(site):
    return [p for story in site.stories.values() for p in story.versions.values()]


def counted(monkeypatch, name):
    """Count the calls of CompanyDetector.<name> (detect, candidate_names)."""
    calls = []
    method = getattr(companies.CompanyDetector, name)

    def wrapper(self, text):
        calls.append(text)
        return method(self, text)

    monkeypatch.setattr(companies.CompanyDetector, name, wrapper)
    return calls


def test_a_cached_build_reports_and_explains_like_a_fresh_one(news, tmp_path):
    fresh = make_site(tmp_path, story_posts(news), cache=False)
    companies.assign_companies(fresh)
    companies.assign_companies(news)  # fills the cache
    cached = make_site(tmp_path, story_posts(news))
    companies.assign_companies(cached)
    assert cached.report.sections["companies"] == fresh.report.sections["companies"]
    assert [str(e) for e in cached.report.errors] == [str(e) for e in fresh.report.errors]
    for slug, story in fresh.stories.items():
        assert cached.stories[slug].terms == story.terms
        assert dict(cached.stories[slug].explain["companies"]) == dict(story.explain["companies"])
    # Most mentioned first, as detected: the cache file keeps the order of what it holds.
    assert cached.stories["claude-3"].explain["companies"]["detected"]["anthropic"]["forms"] == {
        "Anthropic": 1, "Claude": 2}
    assert list(cached.stories["claude-3"].explain["companies"]["detected"]["anthropic"]["forms"]) == [
        "Anthropic", "Claude"]


def test_candidates_come_from_the_cache_without_reading_the_texts(news, tmp_path, monkeypatch):
    companies.assign_companies(news)
    detections, names = counted(monkeypatch, "detect"), counted(monkeypatch, "candidate_names")
    again = make_site(tmp_path, story_posts(news))
    companies.assign_companies(again)
    assert again.report.sections["companies"]["candidates"] == ["Perplexity: 2 mentions in 2 posts"]
    assert detections == [] and names == []


def test_a_changed_title_or_body_misses_the_cache(news, tmp_path, monkeypatch):
    companies.assign_companies(news)
    detections = counted(monkeypatch, "detect")
    posts = story_posts(news)
    grok = next(p for p in posts if p.slug == "grok")
    grok.body += " Nvidia aussi."
    again = make_site(tmp_path, posts)
    companies.assign_companies(again)
    assert len(detections) == 1 and again.stories["grok"].terms["companies"] == ["xai", "nvidia"]
    grok.title = "Anthropic ouvre Grok"
    companies.assign_companies(make_site(tmp_path, posts))
    assert len(detections) == 2


def test_changed_detection_code_misses_the_cache(news, tmp_path, monkeypatch):
    companies.assign_companies(news)
    detections = counted(monkeypatch, "detect")
    monkeypatch.setattr(companies.cache, "_CODE_DIGEST", "the code of another version")
    companies.assign_companies(make_site(tmp_path, story_posts(news)))
    assert len(detections) == 4  # every story with an original


def test_the_code_digest_covers_every_module_a_cached_entry_depends_on():
    import inspect

    source = inspect.getsource(companies.cache.code_digest)
    for module in ("detector", "registry", "text", "candidates", "core", "cache"):
        assert f'"{module}.py"' in source, module


def test_an_entry_in_an_older_layout_is_detected_again(news, tmp_path, monkeypatch):
    companies.assign_companies(news)
    cache_file = tmp_path / "cache" / CACHE_FILE
    entries = json.loads(cache_file.read_text(encoding="utf-8"))
    cache_file.write_text(json.dumps({key: {"companies": [], "rejected": []} for key in entries}),
                          encoding="utf-8")
    detections = counted(monkeypatch, "detect")
    again = make_site(tmp_path, story_posts(news))
    companies.assign_companies(again)
    assert len(detections) == 4 and again.stories["claude-3"].terms["companies"] == ["anthropic", "openai"]
