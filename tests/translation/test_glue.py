"""The site_assembled receiver on a hand-made Site: the branches a small build does not reach."""

from datetime import datetime, timezone

import pytest
from digest.model import Post, Site, Story
from digest.report import BuildReport
from translation import translate_site
from translation.memory import read_memory
from translation_support import fast_translation

WHEN = datetime(2024, 3, 13, 10, 30, tzinfo=timezone.utc)


def make_post(slug, lang, *, path, title="Titre", body="Un texte.\n", **fields):
    return Post(slug=slug, lang=lang, title=title, date=WHEN, html="", body=body, path=path,
                meta={"title": title, "lang": lang, "slug": slug, **fields.pop("meta", {})},
                **fields)


def make_site(tmp_path, url, *posts, site_languages=("fr", "en"), **translation):
    stories = {}
    for post in posts:
        stories.setdefault(post.slug, Story(post.slug)).versions[post.lang] = post
    settings = {"PATH": str(tmp_path / "content"), "TIMEZONE": "UTC",
                "TRANSLATION": fast_translation(url, **translation)}
    return Site(stories=stories, pages={}, languages=list(site_languages), default_lang="fr",
                settings=settings, report=BuildReport())


def read_back(path):
    entry = read_memory(path)
    return make_post(entry.meta["slug"], entry.meta["lang"], path=str(path),
                     title=entry.meta["title"], body=entry.body, translated_by="libre",
                     meta=dict(entry.meta))


def warnings(site):
    return [str(w) for w in site.report.warnings]


def test_a_missing_language_is_translated_and_read_back(tmp_path, libre_server):
    site = make_site(tmp_path, libre_server.url,
                     make_post("a", "fr", path="content/posts/2024/a.md"))
    site.make_post = read_back
    translate_site(site)
    english = site.stories["a"].versions["en"]
    assert english.title == "EN:Titre" and "EN:Un EN:texte." in english.body
    assert (tmp_path / "content/translations/en/2024/a.md").exists()
    assert site.missing == {} and warnings(site) == []


def test_without_make_post_the_translation_waits_for_the_next_build(tmp_path, libre_server):
    site = make_site(tmp_path, libre_server.url,
                     make_post("a", "fr", path="content/posts/2024/a.md"))
    translate_site(site)  # a Site without make_post
    assert (tmp_path / "content/translations/en/2024/a.md").exists()
    assert site.missing == {"en": ["a"]} and "en" not in site.stories["a"].versions
    assert any("could not be read back" in w for w in warnings(site))


def test_a_corrupt_file_pelican_skipped_is_replaced(tmp_path, libre_server):
    broken = tmp_path / "content/translations/en/2024/a.md"
    broken.parent.mkdir(parents=True)
    broken.write_text("---\ntitle: EN:Tit")  # truncated: the reader skipped it
    site = make_site(tmp_path, libre_server.url,
                     make_post("a", "fr", path="content/posts/2024/a.md"))
    site.make_post = read_back
    translate_site(site)
    assert any("unreadable memory file" in w for w in warnings(site))
    assert read_memory(broken).meta["title"] == "EN:Titre"
    assert site.stories["a"].versions["en"].title == "EN:Titre"


def test_editor_written_versions_are_left_alone(tmp_path, libre_server):
    site = make_site(tmp_path, libre_server.url,
                     make_post("a", "fr", path="content/posts/2024/a.md"),
                     make_post("a", "en", path="content/posts/2024/a.en.md", title="Mine"))
    translate_site(site)
    assert libre_server.count == 0 and site.stories["a"].versions["en"].title == "Mine"


def test_a_translation_whose_source_is_gone_is_reported(tmp_path, libre_server):
    orphan = make_post("gone", "en", path="content/translations/en/2024/gone.md",
                       translated_by="libre", meta={"translation_of": "posts/2024/gone.md"})
    site = make_site(tmp_path, libre_server.url, orphan)
    translate_site(site)
    assert any("no longer exists" in w and "posts/2024/gone.md" in w for w in warnings(site))
    assert libre_server.count == 0


def test_only_the_configured_target_languages(tmp_path, libre_server):
    site = make_site(tmp_path, libre_server.url,
                     make_post("a", "fr", path="content/posts/2024/a.md"),
                     site_languages=("fr", "en", "de"), languages=["en"])
    site.make_post = read_back
    translate_site(site)
    assert set(site.stories["a"].versions) == {"fr", "en"}


@pytest.mark.parametrize("provider", ["deepl", "babelfish"])
def test_an_unusable_provider_is_reported_and_the_build_goes_on(tmp_path, libre_server, provider):
    site = make_site(tmp_path, libre_server.url,
                     make_post("a", "fr", path="content/posts/2024/a.md"), provider=provider)
    translate_site(site)
    assert any("translation" in w and ("DIGEST_TRANSLATOR_KEY" in w or "unknown" in w)
               for w in warnings(site))
    assert libre_server.count == 0 and set(site.stories["a"].versions) == {"fr"}


def test_a_memory_that_cannot_be_written_does_not_stop_the_build(tmp_path, libre_server,
                                                                 monkeypatch):
    from translation import memory

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(memory, "atomic_write", full_disk)
    site = make_site(tmp_path, libre_server.url,
                     make_post("a", "fr", path="content/posts/2024/a.md"),
                     make_post("b", "fr", path="content/posts/2024/b.md"))
    translate_site(site)
    assert site.missing == {"en": ["a", "b"]}
    assert sum("No space left" in w for w in warnings(site)) == 2


@pytest.mark.parametrize("path, root", [
    ("/site/content/posts/2024/a.md", "/site/content"), ("/site/content/posts/a.md", "/site/content/"),
    ("/site/content/../other/a.md", "/site/content"), ("/site/contents/a.md", "/site/content"),
    ("/site/content", "/site/content"), ("/site//content/a.md", "/site"), ("/a/b", "//a"),
    ("/site/content/a.md/", "/site"), ("relative/a.md", "."), ("/", "/")])
def test_relative_to_cuts_the_root_like_relpath(path, root):
    import os
    from pathlib import Path

    from translation.engine import relative_to

    expected = os.path.relpath(os.path.abspath(path), os.path.abspath(root)).replace(os.sep, "/")
    assert relative_to(path, root) == expected
    assert relative_to(Path(path), Path(root)) == expected
