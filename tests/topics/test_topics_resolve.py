"""Explicit tags, vetoes, unknown ids, and the explanation an editor reads."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from topics.core import (TopicMatcher, UnknownTopicError, explain, resolve_topics, suggest, summary,
                         unknown_topic)

IDS = ("open-source", "regulation", "legal", "funding", "safety", "hardware", "model-release", "deals",
       "research")


def test_explicit_always_kept_and_veto_removes_only_automatic_ones():
    topics = resolve_topics(explicit=["research", "legal"], detected=["funding", "legal", "hardware"],
                            veto=["hardware", "legal"], known=IDS)
    # legal is both explicit and vetoed: the editor's explicit tag wins.
    assert topics == ["legal", "funding", "research"]


def test_result_follows_taxonomy_order_and_has_no_duplicates():
    assert resolve_topics(["research", "research", "open-source"], ["open-source"], [], IDS) == [
        "open-source", "research"]
    assert resolve_topics([], ["b", "a"], [], {"b", "a"}) == ["a", "b"]  # a set has no order: sorted


@given(explicit=st.lists(st.sampled_from(IDS)), detected=st.lists(st.sampled_from(IDS)),
       veto=st.lists(st.sampled_from(IDS)))
def test_merge_rule_properties(explicit, detected, veto):
    topics = resolve_topics(explicit, detected, veto, IDS)
    assert set(explicit) <= set(topics)
    assert set(topics) == set(explicit) | (set(detected) - set(veto))
    assert topics == [i for i in IDS if i in topics]


def test_unknown_explicit_id_raises_with_the_nearest_id():
    with pytest.raises(UnknownTopicError) as error:
        resolve_topics(["regulaton"], [], [], IDS)
    assert str(error.value) == ("unknown topic id 'regulaton' in tags; did you mean 'regulation'? "
                                "Known ids are listed in content/data/topics.yaml")


def test_unknown_ids_collected_when_asked_and_the_rest_still_resolved():
    errors = []
    topics = resolve_topics(["regulaton", "legal"], ["funding", "hardware"], ["hardwear", "zzz"], IDS,
                            errors=errors)
    assert topics == ["legal", "funding", "hardware"]  # "hardwear" vetoes nothing: it is not "hardware"
    assert [(e.field, e.id, e.suggestion) for e in errors] == [
        ("tags", "regulaton", "regulation"), ("exclude_tags", "hardwear", "hardware"),
        ("exclude_tags", "zzz", None)]
    assert errors[2].message == ("unknown topic id 'zzz' in exclude_tags; no known id is close. "
                                 "Known ids are listed in content/data/topics.yaml")


@pytest.mark.parametrize("typed, nearest", [
    ("regulaton", "regulation"), ("Regulation", "regulation"), ("open source", "open-source"),
    ("open_source", "open-source"), ("model-releases", "model-release"), ("deal", "deals"),
    ("reserch", "research"), ("hardwares", "hardware"), ("quantum", None),
])
def test_suggest(typed, nearest):
    assert suggest(typed, IDS) == nearest


def test_unknown_topic_names_the_file_it_is_given():
    assert unknown_topic("legl", "tags", IDS, source="site/data/topics.yaml").message.endswith(
        "Known ids are listed in site/data/topics.yaml")


def test_explanation_lists_terms_counts_score_threshold_and_decision(matcher_for):
    m = matcher_for(("regulation", {"en": [{"term": "AI Act", "weight": 1.5}], "fr": ["réglement*"]}),
                    ("funding", {"en": ["investors"]}), ("hardware", {"en": ["chips"]}), title_weight=3)
    result = m.score("The AI Act is law", "Réglementation and réglementaire rules. The AI Act. Investors.")
    text = explain(result, explicit=["hardware"], veto=["funding"],
                   topics=resolve_topics(["hardware"], result.selected, ["funding"], m.taxonomy.ids))
    assert text.splitlines() == [
        "title counts x3; a topic is selected when score >= threshold",
        "regulation          8 >= 2    selected",
        "    AI Act                       title 1, body 1   -> 4 x 1.5 = 6",
        "    réglement*                   body 2            -> 2 x 1 = 2  (reglementation, reglementaire)",
        "funding             1 < 2    not selected",
        "    investors                    body 1            -> 1 x 1 = 1",
        "no match: hardware",
        "explicit (tags): hardware",
        "vetoed (exclude_tags): funding",
        "topics: regulation, hardware",
    ]
    # The build report's line: the scores against the threshold and which terms matched how often.
    assert summary(result, ["regulation", "hardware"]) == (
        "regulation, hardware (scores: regulation 8/2 [AI Act: title 1 body 1; réglement*: body 2], "
        "funding 1/2 [investors: body 1])")


def test_report_line_names_at_most_a_few_terms_per_topic(matcher_for):
    m = matcher_for(("funding", {"en": ["seed", "series A", "investors", "raises", "valuation", "round"]}))
    line = summary(m.score("", "seed series A investors raises valuation round round"), [])
    assert line == ("(none) (scores: funding 7/2 [round: body 2; seed: body 1; series A: body 1; "
                    "investors: body 1; +2 more])")


def test_explanation_of_a_text_matching_nothing(site_taxonomy):
    result = TopicMatcher(site_taxonomy).score("Bonjour", "Rien à signaler.")
    assert explain(result).splitlines()[-1] == "no match: " + ", ".join(site_taxonomy.ids)
    assert summary(result, []) == "(none) (scores: no term matched)"


def test_result_survives_a_json_round_trip(site_matcher):
    import json

    from topics.core import TopicResult

    result = site_matcher.score("Mistral AI lève 600 millions d'euros", "Une levée de fonds menée par des investisseurs.")
    again = TopicResult.from_dict(json.loads(json.dumps(result.as_dict())))
    assert again == result and again.selected == result.selected == ["funding"]
