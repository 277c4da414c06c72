"""`invoke new`: an empty post with its front matter filled, never over an existing file."""

import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from authoring_support import ROOT, copy_content, make_site


@pytest.fixture
def site(tmp_path):
    return make_site(copy_content(tmp_path))


def create(site, title, lang="fr", **kw):
    from authoring.posts import new_post, write_post

    post = new_post(site, title, lang, **kw)
    write_post(post.path, post.text)
    return post


def test_new_post_has_its_front_matter(site):
    from digest import frontmatter

    post = create(site, "Google présente Gemini 1.5 : un million de tokens", company="google",
                  source="https://blog.example.com/gemini-1-5?utm_campaign=launch")
    now = datetime.now(ZoneInfo("Europe/Paris"))
    assert post.path == f"{site.posts}/{now:%Y}/google-presente-gemini-1-5-un-million-de-tokens.md"
    doc = frontmatter.load(open(post.path, "rb").read(), post.path, languages=site.languages,
                           timezone="Europe/Paris", known_ids=site.known_ids())
    assert doc.problems == []
    assert doc.meta["title"] == "Google présente Gemini 1.5 : un million de tokens"
    assert doc.meta["lang"] == "fr"
    assert doc.meta["companies"] == ["google"]
    assert doc.meta["source"] == "https://blog.example.com/gemini-1-5"
    assert abs(doc.meta["date"] - now) < timedelta(minutes=2)  # the site's clock, not UTC


def test_new_refuses_to_overwrite(site):
    from authoring import AuthoringError

    first = create(site, "Un titre déjà pris")
    before = open(first.path, encoding="utf-8").read()
    with pytest.raises(AuthoringError, match="refusing to overwrite"):
        create(site, "Un titre déjà pris")
    assert open(first.path, encoding="utf-8").read() == before


def test_write_post_never_replaces_a_file(site, tmp_path):
    from authoring import AuthoringError
    from authoring.posts import write_post

    path = tmp_path / "x.md"
    path.write_text("mine")
    with pytest.raises(AuthoringError, match="refusing to overwrite"):
        write_post(str(path), "theirs")
    assert path.read_text() == "mine"


def test_other_language_of_a_story_gets_a_suffixed_file(site):
    fr = create(site, "Même histoire", slug="meme-histoire")
    en = create(site, "Same story", lang="en", slug="meme-histoire")
    assert en.path.endswith("/meme-histoire.en.md")
    assert en.siblings == [fr.path]


def test_existing_post_in_another_year_is_a_duplicate(site):
    from authoring import AuthoringError

    with pytest.raises(AuthoringError, match=r"content/posts/2024/meta-llama-3.md already holds"):
        create(site, "Llama 3", slug="meta-llama-3")


@pytest.mark.parametrize("kw, message", [
    ({"company": "opneai"}, "unknown company 'opneai': did you mean 'openai'? ids are listed in "
                            "content/data/companies.yaml"),
    ({"company": "zzzz"}, "unknown company 'zzzz': ids are listed in content/data/companies.yaml"),
    ({"source": "javascript:alert(1)"}, "is not an http(s) address"),
    ({"lang": "de"}, "unknown language 'de': use one of fr, en"),
    ({"slug": "Not A Slug"}, "gives no usable URL slug; use 'not-a-slug'"),
])
def test_bad_input_is_refused_with_a_hint(site, kw, message):
    from authoring import AuthoringError

    with pytest.raises(AuthoringError) as info:
        create(site, "Titre", **{"lang": "fr", **kw})
    assert message in str(info.value)


def invoke(*args):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)


def test_cli_unknown_company_suggests_and_writes_nothing():
    proc = invoke("new", "Un titre de test", "--lang", "fr", "--company", "opneai")
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == ["invoke new: unknown company 'opneai': did you mean 'openai'? "
                                        "ids are listed in content/data/companies.yaml"]
    assert not list((ROOT / "content" / "posts").rglob("un-titre-de-test*"))


def test_cli_refuses_an_existing_post():
    proc = invoke("new", "Llama 3", "--lang", "fr", "--slug", "meta-llama-3")
    assert proc.returncode == 1
    assert "content/posts/2024/meta-llama-3.md already holds the post 'meta-llama-3' in fr" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_help_is_not_a_title():
    proc = invoke("new", "--help")
    assert proc.returncode == 1 and "looks like an option" in proc.stderr
    assert not list((ROOT / "content" / "posts").rglob("help.md"))
