"""Reading time: words as an editor would count them (wc -w), 220 a minute, at least one minute."""

import importlib

import pytest
from support import ROOT


@pytest.fixture
def reader():
    from pelican.settings import read_settings

    from digest.reader import DigestMarkdownReader

    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(ROOT / "content")})
    for name in settings["PLUGINS"]:
        importlib.import_module(name).register()
    return DigestMarkdownReader(settings)


def post(tmp_path, body):
    path = tmp_path / "temps-de-lecture.md"
    path.write_text("---\ntitle: Un titre\ndate: 2025-03-04 10:00\nlang: fr\nslug: temps-de-lecture\n---\n\n"
                    + body, encoding="utf-8")
    return str(path)


def minutes(reader, path):
    _html, metadata = reader.read_one(path)
    return metadata["digest"]["words"], metadata["digest"]["reading_minutes"]


def test_minutes_are_words_over_220_rounded_up(reader, tmp_path):
    sentence = "Le modèle répond à la question posée par l’équipe de recherche.\n\n"  # 11 words
    assert minutes(reader, post(tmp_path, sentence * 20)) == (220, 1)
    assert minutes(reader, post(tmp_path, sentence * 21)) == (231, 2)
    assert minutes(reader, post(tmp_path, "Court.")) == (1, 1)


def test_a_link_address_is_one_word_not_one_per_path_segment(reader, tmp_path):
    link = "[l’annonce](https://www.example.com/fr/2025/03/04/annonce-du-modele-de-langage?id=42&page=2)"
    words, _ = minutes(reader, post(tmp_path, f"Voir {link} du jour."))
    assert words == 4  # "Voir", "[l’annonce](…)", "du", "jour."
