"""How terms match: case, accents, apostrophes, hyphens, word boundaries, prefixes, weights, exclusions."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from topics.core import TopicMatcher, parse_taxonomy
from topics.text import normalise, plain_text


def counts(matcher, title="", body=""):
    """{topic: {term: (title, body)}} of a score, for compact assertions."""
    result = matcher.score(title, body)
    return {t: {h.term: (h.title, h.body) for h in s.terms} for t, s in result.scores.items() if s.terms}


@pytest.mark.parametrize("text, expected", [
    ("Open-Source", "open source"),
    ("open\u2011source", "open source"),  # non-breaking hyphen
    ("open \u00a0 – source", "open source"),  # spaces and an en dash collapse to one separator
    ("Règlement sur l’IA", "reglement sur l'ia"),
    ("RÉGULATEURS", "regulateurs"),
    ("œuvre", "oeuvre"),
    ("Straße", "strasse"),
])
def test_normalise_unifies_case_accents_apostrophes_and_separators(text, expected):
    assert normalise(text) == expected


@given(st.text())
def test_normalise_is_idempotent(text):
    assert normalise(normalise(text)) == normalise(text)


def test_plain_text_keeps_words_and_drops_urls_code_and_markup():
    markdown = (
        "## L'**AI Act** adopté\n\n"
        "Voir [le texte du règlement](https://example.eu/ai-act/open-source) et <https://x.org/ai-act>.\n"
        "![schéma des régulateurs](img/ai-act.png) `open_source()` https://github.com/open-source\n\n"
        "```python\nopen_source = True  # AI Act\n```\n[ref]: https://eu.eu/ai-act\n"
    )
    text = plain_text(markdown)
    assert "AI Act" in text and "le texte du règlement" in text and "schéma des régulateurs" in text
    assert "http" not in text and "ai-act" not in text and "open" not in text and "**" not in text


def test_case_and_accent_insensitive(matcher_for):
    m = matcher_for(("regulation", {"fr": ["réglementation", "AI Act"]}))
    assert counts(m, body="REGLEMENTATION, Réglementation, réglementation. L'ai act, l’AI ACT.") == {
        "regulation": {"réglementation": (0, 3), "AI Act": (0, 2)}}


def test_whole_words_only(matcher_for):
    m = matcher_for(("regulation", {"fr": ["règlement", "AI Act"]}))
    assert counts(m, body="MAIN ACT. Le réglementation, les règlements, dérèglement, AI Actor.") == {}
    assert counts(m, body="Le règlement (AI Act) s'applique; «AI Act»; d'AI Act.") == {
        "regulation": {"règlement": (0, 1), "AI Act": (0, 3)}}


def test_site_taxonomy_does_not_find_ai_act_in_main_act(site_matcher):
    scores = site_matcher.score("", "MAIN ACT: the main actor acts.").scores
    assert not any(h.term == "AI Act" for h in scores["regulation"].terms)


def test_prefix_term_matches_inflections_not_other_words(matcher_for):
    m = matcher_for(("regulation", {"fr": ["réglement*"]}))
    hits = counts(m, body="Réglementation, réglementer, réglementaires, règlement. Déréglementation, réglé.")
    assert hits == {"regulation": {"réglement*": (0, 4)}}
    assert m.score("", "réglementaires réglementer").scores["regulation"].terms[0].forms == [
        "reglementaires", "reglementer"]


def test_hyphen_and_space_variants_are_one_term(matcher_for):
    m = matcher_for(("open-source", {"fr": ["open source"], "en": ["open-source", "open-sourc*"]}))
    hits = counts(m, body="open source, open-source, Open\u2011Source, open  source, open-sourcé, open-sourcing")
    # "open source" and "open-source" are one term (the first spelling names it); the exact term wins
    # its own span, the prefix takes the inflections; "open-sourcé" without its accent is "open source".
    assert hits == {"open-source": {"open source": (0, 5), "open-sourc*": (0, 1)}}


def test_longest_term_wins_a_span(matcher_for):
    m = matcher_for(("safety", {"en": ["safety", "AI Safety Institute"]}),
                    ("research", {"en": ["institute"]}))
    assert counts(m, body="The AI Safety Institute said safety matters.") == {
        "safety": {"AI Safety Institute": (0, 1), "safety": (0, 1)}}


def test_same_term_in_two_topics_counts_for_both(matcher_for):
    m = matcher_for(("model-release", {"en": ["benchmark*"]}), ("research", {"en": ["benchmarks"]}))
    assert counts(m, body="new benchmarks") == {
        "model-release": {"benchmark*": (0, 1)}, "research": {"benchmarks": (0, 1)}}


def test_title_counts_title_weight_times(matcher_for):
    m = matcher_for(("funding", {"fr": ["levée de fonds"]}), title_weight=3)
    score = m.score("Une levée de fonds record", "La levée de fonds est close.").scores["funding"]
    hit = score.terms[0]
    assert (hit.title, hit.body, hit.count, hit.points, score.score) == (1, 1, 4, 4, 4)


def test_weights_multiply(matcher_for):
    m = matcher_for(("regulation", {"en": [{"term": "AI Act", "weight": 1.5}, {"term": "law", "weight": 0.5}]}))
    assert m.score("", "AI Act law law").scores["regulation"].score == 2.5


def test_one_passing_mention_does_not_tag(matcher_for):
    m = matcher_for(("funding", {"en": ["funding", "investors"]}), threshold=2)
    assert m.detect("", "The lab, which has never needed outside funding, published a paper.") == []
    assert m.detect("", "The funding round was led by new investors.") == ["funding"]
    assert m.detect("Funding for a lab", "") == ["funding"]  # the title counts 3 times


def test_topic_threshold_overrides_the_global_one(matcher_for):
    m = matcher_for(("legal", {"en": ["court"]}, {"threshold": 3}), ("hardware", {"en": ["chips"]}),
                    threshold=2)
    result = m.score("", "court court chips chips")
    assert (result.scores["legal"].threshold, result.selected) == (3, ["hardware"])


def test_threshold_reached_exactly_despite_float_rounding(matcher_for):
    m = matcher_for(("safety", {"en": [{"term": "risk", "weight": 0.1}]}), threshold=0.3)
    assert m.detect("", "risk risk risk") == ["safety"]


def test_exclusion_neutralises_its_topics_terms_inside_it(matcher_for):
    m = matcher_for(("legal", {"en": ["legal", "court"], "fr": ["règlement à l'amiable"]},
                     {"exclude": ["legal tender", "court terme", "à court de"]}),
                    ("regulation", {"fr": ["règlement*"]}, {"exclude": ["règlement à l'amiable"]}),
                    ("funding", {"en": ["tender"]}))
    text = ("Bitcoin became legal tender. À court terme, l'entreprise est à court de liquidités. "
            "Un règlement à l'amiable.")
    # The exclusion only blocks the topic that lists it: "tender" still counts for funding, and the
    # settlement still counts for legal while regulation ignores the "règlement" inside it.
    assert counts(m, body=text) == {"legal": {"règlement à l'amiable": (0, 1)}, "funding": {"tender": (0, 1)}}
    assert counts(m, body="The court ruled it legal.") == {"legal": {"court": (0, 1), "legal": (0, 1)}}


def test_overlapping_exclusions_are_all_found(matcher_for):
    # "à court de" and "court terme" share "court": both phrases must be seen.
    m = matcher_for(("legal", {"en": ["court", "terme"]}, {"exclude": ["a court de", "court terme"]}))
    assert counts(m, body="à court de court terme") == {}


def test_exclusion_ending_with_an_apostrophe(matcher_for):
    m = matcher_for(("research", {"fr": ["recherche"]}, {"exclude": ["à la recherche d'"]}))
    assert counts(m, body="À la recherche d'investisseurs; la recherche avance.") == {
        "research": {"recherche": (0, 1)}}


def test_apostrophe_is_a_word_boundary(matcher_for):
    m = matcher_for(("regulation", {"fr": ["IA", "AI Act"]}))
    assert counts(m, body="l'IA, l’IA, d'AI Act, aujourd'hui") == {"regulation": {"IA": (0, 2), "AI Act": (0, 1)}}


_ONE_TERM = TopicMatcher(parse_taxonomy(
    {"topics": [{"id": "topic", "labels": {"fr": "T", "en": "T"}, "terms": {"fr": ["réglementation"]}}]}))


@given(st.text(alphabet="aéeè -'’AÉ.", max_size=40), st.text(alphabet="aéeè -'’AÉ.", max_size=40))
def test_a_term_between_separators_is_always_found(before, after):
    body = f"{before} Réglementation {after}"
    assert _ONE_TERM.score("", body).scores["topic"].score >= 1


def test_every_topic_is_scored_in_taxonomy_order(site_matcher, site_taxonomy):
    assert list(site_matcher.score("", "").scores) == list(site_taxonomy.ids)
    assert isinstance(site_matcher, TopicMatcher)
