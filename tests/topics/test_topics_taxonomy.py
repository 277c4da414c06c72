"""content/data/topics.yaml: the site's file is complete, and a broken file names the file and the topic."""

import pytest
import yaml

from topics.core import TaxonomyError, load_taxonomy, parse_taxonomy

REQUIRED_IDS = {"open-source", "regulation", "legal", "funding", "safety", "hardware", "model-release",
                "deals", "research"}


def test_site_taxonomy_has_the_required_topics_with_both_labels_and_descriptions(site_taxonomy):
    assert REQUIRED_IDS <= set(site_taxonomy.ids)
    for topic in site_taxonomy.topics.values():
        for lang in ("fr", "en"):
            assert topic.labels[lang], (topic.id, lang)
            assert 20 < len(topic.descriptions[lang]) < 300, (topic.id, lang)
            assert any(t.lang == lang for t in topic.terms), f"{topic.id} has no {lang} terms"
    assert (site_taxonomy.threshold, site_taxonomy.title_weight) == (2.0, 3.0)
    assert len(site_taxonomy.digest) == 64


def test_site_taxonomy_terms_named_in_the_issue_are_there(site_taxonomy):
    def texts(topic_id):
        return {t.text for t in site_taxonomy.topics[topic_id].terms}

    assert {"réglement*", "régulat*", "AI Act", "règlement sur l'IA"} <= texts("regulation")
    assert {"open source", "open-sourc*", "code source ouvert", "open weights", "poids ouverts"} <= texts(
        "open-source")


def test_single_word_weights_keep_one_body_mention_below_the_threshold(site_taxonomy):
    # The file's own rule (see its header): one passing mention in the body never tags a post.
    for topic in site_taxonomy.topics.values():
        for term in topic.terms:
            assert term.weight < site_taxonomy.threshold_of(topic.id), (topic.id, term.text)


def write(tmp_path, text):
    path = tmp_path / "topics.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def topic_yaml(**fields):
    topic = {"id": "regulation", "labels": {"fr": "Réglementation", "en": "Regulation"},
             "terms": {"fr": ["réglementation"]}}
    topic.update(fields)
    return yaml.safe_dump({"topics": [topic]}, allow_unicode=True)


@pytest.mark.parametrize("fields, message", [
    ({"labels": {"fr": "Réglementation"}}, "topic 'regulation': labels: missing en"),
    ({"labels": {"fr": "Réglementation", "en": ""}}, "topic 'regulation': labels: missing en"),
    ({"id": "Regulation"}, "id 'Regulation' must be lowercase"),
    ({"terms": {"fr": ["régle*ment"]}}, "topic 'regulation': terms.fr: 'régle*ment': '*' is only allowed at the end"),
    ({"terms": {"fr": ["ia*"]}}, "at least 3 characters before '*'"),
    ({"terms": {"fr": ["  "]}}, "is not a term"),
    ({"terms": {"fr": ["'IA"]}}, "must start with a letter or a digit"),
    ({"terms": {"fr": [{"term": "AI Act", "weight": 0}]}}, "weight of 'AI Act': expected a positive number"),
    ({"terms": {"fr": [{"text": "AI Act"}]}}, "a weighted term is {term:"),
    ({"terms": {"fr": "réglementation"}}, "terms.fr: expected a list"),
    ({"terms": {}}, "terms: expected a mapping of language"),
    ({"lables": {}}, "unknown key(s) ['lables']"),
    ({"exclude": "legal tender"}, "exclude: expected a list of phrases"),
    ({"threshold": "high"}, "threshold: expected a positive number"),
])
def test_invalid_topic_names_file_and_topic(tmp_path, fields, message):
    path = write(tmp_path, topic_yaml(**fields))
    with pytest.raises(TaxonomyError) as error:
        load_taxonomy(path, source="content/data/topics.yaml")
    assert str(error.value).startswith("content/data/topics.yaml: ")
    assert message in str(error.value)


def test_duplicate_id_is_an_error(tmp_path):
    topic = {"id": "legal", "labels": {"fr": "Justice", "en": "Legal"}, "terms": {"en": ["court"]}}
    with pytest.raises(TaxonomyError, match="topic 'legal': duplicate id"):
        parse_taxonomy({"topics": [topic, dict(topic)]}, source="t.yaml")


@pytest.mark.parametrize("text, message", [
    ("topics: [", "not valid UTF-8 YAML"),
    ("- a list", "expected a mapping with a 'topics' list"),
    ("treshold: 2\ntopics: []", "unknown top-level key(s) ['treshold']"),
    ("topics: []", "the 'topics' list is empty"),
    ("title_weight: -1\ntopics: []", "title_weight: expected a positive number"),
])
def test_invalid_file_names_the_file(tmp_path, text, message):
    with pytest.raises(TaxonomyError, match=r"topics\.yaml: ") as error:
        load_taxonomy(write(tmp_path, text))
    assert message in str(error.value)


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(TaxonomyError, match="nowhere.yaml: cannot read the topic taxonomy"):
        load_taxonomy(tmp_path / "nowhere.yaml")


def test_spelling_variants_of_a_term_are_one_term():
    taxonomy = parse_taxonomy({"topics": [{"id": "open-source", "labels": {"fr": "Open source", "en": "Open source"},
                                           "terms": {"fr": ["open source"], "en": ["Open-Source", "open-sourc*"]}}]})
    assert [(t.text, t.key, t.prefix) for t in taxonomy.topics["open-source"].terms] == [
        ("open source", "open source", False), ("open-sourc*", "open sourc", True)]


def test_topic_threshold_and_defaults():
    taxonomy = parse_taxonomy({"topics": [
        {"id": "a", "labels": {"fr": "A", "en": "A"}, "terms": {"en": ["a"]}, "threshold": 4},
        {"id": "b", "labels": {"fr": "B", "en": "B"}, "terms": {"en": ["b"]}},
    ]})
    assert (taxonomy.threshold_of("a"), taxonomy.threshold_of("b"), taxonomy.title_weight) == (4, 2, 3)
    assert taxonomy.ids == ("a", "b")
