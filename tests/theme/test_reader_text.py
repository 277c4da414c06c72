"""Pure pieces of the reader's text layer: standfirsts, monograms, date spans, coverage."""

from __future__ import annotations

from datetime import date, datetime

from digest.profiles import coverage, initials
from digest.views import first_sentence


def test_a_standfirst_is_the_first_sentence_not_a_cut_abbreviation_or_number():
    text = "OpenAI a levé 6,6 milliards de dollars. La société vaut 157 milliards. Elle recrute."
    assert first_sentence(text) == "OpenAI a levé 6,6 milliards de dollars."
    assert first_sentence("Le GPT-4.5 arrive. Suite.") == "Le GPT-4.5 arrive."
    assert first_sentence("« Nous ouvrons Grok. » L’annonce a surpris.") == "« Nous ouvrons Grok. »"
    assert first_sentence("Une phrase sans point final") == "Une phrase sans point final"
    assert first_sentence("") == ""
    long = "mot " * 100
    assert len(first_sentence(long)) <= 241 and first_sentence(long).endswith("…")


def test_monograms_read_like_the_names():
    assert [initials(n) for n in ("Hugging Face", "DeepSeek", "xAI", "Nvidia", "OpenAI", "Mistral AI")] \
        == ["HF", "DS", "xAI", "N", "OA", "MA"]


def test_french_dates_write_the_first_of_the_month_1er_and_spans_name_shared_parts_once():
    from pathlib import Path

    from pelican.settings import read_settings

    from digest.i18n import Catalogue

    root = Path(__file__).resolve().parents[2]
    cat = Catalogue(read_settings(str(root / "pelicanconf.py"), override={"PATH": str(root / "content")}))
    assert cat.date(date(2024, 8, 1), "fr") == "1er août 2024"
    assert cat.date(date(2024, 8, 11), "fr") == "11 août 2024"
    assert cat.date(date(2024, 8, 1), "en") == "August 1, 2024"
    assert cat.span(date(2024, 3, 18), date(2024, 3, 24), "fr") == "18 au 24 mars 2024"
    assert cat.span(date(2024, 4, 1), date(2024, 4, 7), "fr") == "1er au 7 avril 2024"
    assert cat.span(date(2024, 12, 30), date(2025, 1, 5), "fr") == "30 décembre 2024 au 5 janvier 2025"
    assert cat.span(date(2024, 1, 29), date(2024, 2, 4), "en") == "January 29 – February 4, 2024"
    assert cat.span(date(2024, 3, 18), date(2024, 3, 24), "en") == "March 18–24, 2024"
    assert cat.provider("libre") == "LibreTranslate" and cat.provider("deepl") == "DeepL"
    assert cat.join(["OpenAI", "Google", "Nvidia"], "fr") == "OpenAI, Google et Nvidia"


class Story:
    def __init__(self, when):
        self.date = when


def test_coverage_counts_every_month_of_the_period_and_says_it_in_words():
    stories = [Story(datetime(2024, 3, d)) for d in (4, 13, 18)] + [Story(datetime(2024, 6, 10))]
    first, last = 2024 * 12 + 1, 2024 * 12 + 6  # February to July 2024
    plot = coverage(stories, (first, last), lambda y, m: f"{m}/{y}", lambda n: f"{n} posts",
                    lambda **v: "{count} from {start} to {end}; the busiest month: {month} ({n}).".format(**v))
    assert [b["n"] for b in plot["bars"]] == [0, 3, 0, 0, 1, 0]
    assert plot["rows"] == [{"label": "3/2024", "n": 3}, {"label": "6/2024", "n": 1}]
    assert plot["summary"] == "4 posts from 2/2024 to 7/2024; the busiest month: 3/2024 (3)."
    tallest = max(plot["bars"], key=lambda b: b["height"])
    assert tallest["label"] == "3/2024" and tallest["y"] + tallest["height"] == plot["height"] - 16
