"""One slug function for `invoke new`, `invoke import` and the build: letters are transliterated,
never dropped, and the sample site's URLs (and translation pairs) are the ones they were."""

import re
from pathlib import Path

import pytest
import yaml

from authoring_support import ROOT, copy_content, make_site

from digest import frontmatter
from digest.slugs import slugify


@pytest.mark.parametrize("text, slug", [
    ("Le cœur de l'IA : Œuvres et Straße", "le-coeur-de-l-ia-oeuvres-et-strasse"),
    ("Ærø", "aero"),
    ("ça marche", "ca-marche"),
    ("Mistral AI lève 600 millions d'euros", "mistral-ai-leve-600-millions-d-euros"),
    ("Łódź, Dvořák, Ångström", "lodz-dvorak-angstrom"),
    ("  --Déjà vu--  ", "deja-vu"),
    ("中文 AI", "zhong-wen-ai"),
    ("\u200b\x00\ufffe", ""),
    ("a" * 200, "a" * 80),
    ("x-" * 60, ("x-" * 40).strip("-")),
])
def test_slugs_transliterate(text, slug):
    assert slugify(text) == slug
    assert slugify(slug) == slug  # a slug is its own slug: the build accepts what new writes


def test_new_import_and_the_reader_share_the_function():
    from authoring import posts

    assert frontmatter.slugify is slugify
    assert posts.slug_for("Le cœur de l'IA") == "le-coeur-de-l-ia"


def test_invoke_new_writes_the_transliterated_slug(tmp_path):
    from authoring.posts import new_post

    site = make_site(copy_content(tmp_path))
    post = new_post(site, "Le cœur de l'IA : Œuvres et Straße", "fr")
    assert Path(post.path).name == "le-coeur-de-l-ia-oeuvres-et-strasse.md"
    assert "slug: le-coeur-de-l-ia-oeuvres-et-strasse" in post.text


def test_a_file_name_with_accents_gives_the_same_slug_in_the_build():
    raw = "---\ntitle: Le cœur\ndate: 2024-05-01 10:00\nlang: fr\n---\n\nTexte.\n".encode()
    doc = frontmatter.load(raw, "content/posts/2024/Le cœur de l'IA.md", languages=["fr", "en"])
    assert doc.meta["slug"] == "le-coeur-de-l-ia"


def test_the_sample_site_keeps_its_urls_and_its_translation_pairs():
    """Every sample file's slug is the one its URL had (the file name, or its `slug:`), and every
    translation in the memory still pairs with a post."""
    stories = {}
    for path in sorted((ROOT / "content").rglob("*.md")):
        head = path.read_text(encoding="utf-8").split("\n---\n", 1)[0].lstrip("-\n")
        meta = yaml.safe_load(head) or {}
        stem = re.sub(r"\.(fr|en)$", "", path.stem)
        expected = str(meta.get("slug") or stem)
        doc = frontmatter.load(path.read_bytes(), str(path), languages=["fr", "en"])
        assert doc.meta["slug"] == expected, path
        stories.setdefault(path.relative_to(ROOT).parts[1], set()).add(expected)
    assert stories["translations"] <= stories["posts"]
