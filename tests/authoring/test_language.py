"""Language detection held to labelled French and English texts (tests/authoring/language_eval.py):
never a wrong answer where it answers, an answer for almost every real sentence and title, no
answer for names and numbers, cheap and linear on hostile input."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from language_eval import evaluate  # noqa: E402

from authoring.language import detect_language, detector  # noqa: E402


@pytest.fixture(scope="module")
def results():
    return evaluate(detect_language)


@pytest.mark.parametrize("group", ["held-out", "fixtures, whole", "fixtures, lines of 4+ words",
                                   "content, titles", "content, bodies"])
def test_never_wrong_and_rarely_unsure(results, group):
    right, unsure, wrong, total, mistakes = results[group]
    assert wrong == 0, mistakes
    assert right >= 0.9 * total, (right, unsure, total)


def test_whole_articles_are_all_detected(results):
    right, _unsure, _wrong, total, _ = results["fixtures, whole"]
    assert right == total == 3
    right, _unsure, _wrong, total, _ = results["content, bodies"]
    assert right == total


def test_names_numbers_and_urls_are_left_to_the_editor(results):
    right, _unsure, wrong, total, mistakes = results["held-out (nobody can tell)"]
    assert (right, wrong) == (total, 0), mistakes
    guess = detect_language("GPT-4o", ["fr", "en"])
    assert guess.lang is None and "cannot tell among fr, en" in guess.how


def test_apostrophes_of_both_kinds_count():
    for text in ["l'IA d'OpenAI qu'il n'a", "l’IA d’OpenAI qu’il n’a"]:
        assert detect_language(text, ["fr", "en"]).lang == "fr"
    for text in ["Nvidia's chip isn't ready", "Nvidia’s chip isn’t ready"]:
        assert detect_language(text, ["fr", "en"]).lang == "en"


def test_a_word_of_both_languages_is_evidence_for_neither():
    found = detector(("fr", "en"))
    assert "version" not in found.words and "the" in found.words and "les" in found.words
    assert detect_language("version", ["fr", "en"]).lang is None


def test_site_languages_without_a_word_list():
    guess = detect_language("Bonjour tout le monde, voici un texte.", ["fr", "en", "xx"])
    assert guess.lang == "fr" and "among fr, en " in guess.how
    only = detect_language("whatever", ["fr", "xx"])
    assert (only.lang, only.confidence) == ("fr", 1.0)
    none = detect_language("whatever", ["xx", "yy"])
    assert none.lang is None and "language_words.yaml" in none.how


def test_confidence_grows_with_evidence():
    short = detect_language("Le modèle", ["fr", "en"])
    long = detect_language("Le modèle est disponible dès aujourd'hui pour les développeurs.",
                           ["fr", "en"])
    assert short.lang == long.lang == "fr"
    assert 0.5 <= short.confidence < long.confidence <= 1


@pytest.mark.parametrize("hostile", ["a'" * 100_000, "'" * 200_000, "é" * 200_000,
                                     ("x" * 50 + "’") * 4000, "\x00\ud800\ufffe" * 1000, ""])
def test_hostile_text_gives_an_answer(hostile):
    guess = detect_language(hostile, ["fr", "en"])
    assert guess.lang in (None, "fr", "en") and 0 <= guess.confidence <= 1
