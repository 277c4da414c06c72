"""The topic taxonomy file (content/data/topics.yaml): loading and validation.

Every error names the file and, when there is one, the topic id, so an editor can fix it without
reading code. The file format is documented at the top of content/data/topics.yaml.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import yaml

from common.safety import read_data_file

from .text import normalise

REQUIRED_LANGUAGES = ("fr", "en")  # every topic needs a label in each (issue 5)
DEFAULT_THRESHOLD = 2.0
DEFAULT_TITLE_WEIGHT = 3.0
MIN_PREFIX = 3  # "réglement*" is fine, "ia*" would match half the language

# libyaml when PyYAML was built with it: the same safe loading, ~8x faster than the pure-Python parser.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# (file digest, source) -> taxonomy: a long-lived process (pelican --listen) does not parse and
# validate an unchanged file again. One entry: an edited file replaces it.
_loaded: dict = {}

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # an id is a URL segment: /sujets/{id}/
_TOPIC_KEYS = {"id", "labels", "descriptions", "terms", "exclude", "threshold"}
_FILE_KEYS = {"threshold", "title_weight", "topics"}


class TaxonomyError(ValueError):
    """topics.yaml is not valid; the message names the file and the topic."""


@dataclass(frozen=True)
class TopicTerm:
    text: str  # as the editor wrote it, for explanations ("réglement*")
    key: str  # normalised, without the trailing '*'
    prefix: bool  # "réglement*": any word starting with the key
    weight: float = 1.0
    lang: str = ""


@dataclass
class Topic:
    id: str
    labels: dict[str, str]
    descriptions: dict[str, str]
    terms: list[TopicTerm]
    exclude: list[str] = field(default_factory=list)  # phrases, as written
    threshold: float | None = None  # None: the file's threshold


@dataclass
class TopicTaxonomy:
    topics: dict[str, Topic]  # in file order, which is the order topics are listed on a story
    threshold: float = DEFAULT_THRESHOLD
    title_weight: float = DEFAULT_TITLE_WEIGHT
    source: str = "topics.yaml"
    digest: str = ""  # sha256 of the file bytes: part of the result cache key

    @property
    def ids(self):
        return tuple(self.topics)

    def threshold_of(self, topic_id):
        own = self.topics[topic_id].threshold
        return self.threshold if own is None else own


def load_taxonomy(path, source=None):
    """Read and validate a topics.yaml file. Raises TaxonomyError naming the file and the topic.

    `source` is the name messages use for the file (default: `path`), e.g. "content/data/topics.yaml".
    """
    source = source or str(path)
    try:
        raw = read_data_file(path)  # the link rule: never a link out of content/, a FIFO, a device
    except OSError as exc:
        raise TaxonomyError(f"{source}: cannot read the topic taxonomy ({exc.strerror or exc})") from exc
    digest = hashlib.sha256(raw).hexdigest()
    taxonomy = _loaded.get((digest, source))
    if taxonomy is not None:
        return taxonomy
    try:
        text = raw.decode("utf-8")
        try:
            data = yaml.load(text, Loader=_LOADER)
        except yaml.YAMLError:  # the pure-Python parser words the error as editors know it
            data = yaml.safe_load(text)
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TaxonomyError(f"{source}: not valid UTF-8 YAML: {exc}") from exc
    taxonomy = parse_taxonomy(data, source=source)
    taxonomy.digest = digest
    _loaded.clear()
    _loaded[(digest, source)] = taxonomy
    return taxonomy


def parse_taxonomy(data, source="topics.yaml"):
    """Validate already-parsed YAML (a mapping with `topics`); see load_taxonomy."""

    def fail(message, topic_id=None):
        where = f"{source}: topic '{topic_id}'" if topic_id else source
        raise TaxonomyError(f"{where}: {message}")

    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        fail("expected a mapping with a 'topics' list (see the comment at the top of the file)")
    unknown = set(data) - _FILE_KEYS
    if unknown:
        fail(f"unknown top-level key(s) {sorted(unknown)}; allowed: {sorted(_FILE_KEYS)}")
    threshold = _number(data.get("threshold", DEFAULT_THRESHOLD), "threshold", fail)
    title_weight = _number(data.get("title_weight", DEFAULT_TITLE_WEIGHT), "title_weight", fail)

    topics = {}
    for index, entry in enumerate(data["topics"], 1):
        if not isinstance(entry, dict):
            fail(f"topic #{index} is not a mapping with id, labels, descriptions, terms")
        topic_id = entry.get("id")
        if not isinstance(topic_id, str) or not _ID.match(topic_id):
            fail(f"topic #{index}: id {topic_id!r} must be lowercase letters, digits and hyphens "
                 "(it is the URL segment, e.g. 'model-release')")
        if topic_id in topics:
            fail("duplicate id: each id appears once", topic_id)
        topics[topic_id] = _parse_topic(entry, topic_id, lambda msg, t=topic_id: fail(msg, t))
    if not topics:
        fail("the 'topics' list is empty")
    return TopicTaxonomy(topics, threshold, title_weight, source)


def _parse_topic(entry, topic_id, fail):
    unknown = set(entry) - _TOPIC_KEYS
    if unknown:
        fail(f"unknown key(s) {sorted(unknown)}; allowed: {sorted(_TOPIC_KEYS)}")
    labels = _texts(entry.get("labels"), "labels", fail)
    missing = [lang for lang in REQUIRED_LANGUAGES if not labels.get(lang)]
    if missing:
        fail(f"labels: missing {', '.join(missing)} (a label in each of {', '.join(REQUIRED_LANGUAGES)} "
             "is required)")
    descriptions = _texts(entry.get("descriptions") or {}, "descriptions", fail)

    by_lang = entry.get("terms")
    if not isinstance(by_lang, dict) or not by_lang:
        fail("terms: expected a mapping of language to a list of terms, e.g. {fr: [...], en: [...]}")
    terms, seen = [], set()
    for lang, items in by_lang.items():
        if not isinstance(items, list):
            fail(f"terms.{lang}: expected a list")
        for item in items:
            term = _parse_term(item, str(lang), fail)
            if (term.key, term.prefix) not in seen:  # "open source" and "open-source" are one term
                seen.add((term.key, term.prefix))
                terms.append(term)

    exclude = entry.get("exclude") or []
    if not isinstance(exclude, list) or not all(isinstance(p, str) for p in exclude):
        fail("exclude: expected a list of phrases")
    for phrase in exclude:
        if not re.match(r"\w", normalise(phrase)):
            fail(f"exclude: {phrase!r} must start with a letter or a digit")
    threshold = entry.get("threshold")
    if threshold is not None:
        threshold = _number(threshold, "threshold", fail)
    return Topic(topic_id, labels, descriptions, terms, list(exclude), threshold)


def _parse_term(item, lang, fail):
    if isinstance(item, dict):
        unknown = set(item) - {"term", "weight"}
        if unknown or "term" not in item:
            fail(f"terms.{lang}: {item!r}: a weighted term is {{term: \"AI Act\", weight: 1.5}}")
        text, weight = item["term"], _number(item.get("weight", 1), f"weight of {item['term']!r}", fail)
    else:
        text, weight = item, 1.0
    if not isinstance(text, str) or not text.strip():
        fail(f"terms.{lang}: {text!r} is not a term (expected text)")
    text = text.strip()
    prefix = text.endswith("*")
    body = text[:-1] if prefix else text
    if "*" in body:
        fail(f"terms.{lang}: {text!r}: '*' is only allowed at the end (prefix match)")
    key = normalise(body)
    if not re.match(r"\w", key):
        fail(f"terms.{lang}: {text!r} must start with a letter or a digit")
    if prefix and len(key) < MIN_PREFIX:
        fail(f"terms.{lang}: {text!r}: a prefix needs at least {MIN_PREFIX} characters before '*'")
    return TopicTerm(text, key, prefix, weight, lang)


def _texts(value, name, fail):
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        fail(f"{name}: expected a mapping of language to text, e.g. {{fr: ..., en: ...}}")
    return {str(lang): text.strip() for lang, text in value.items()}


def _number(value, name, fail):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        fail(f"{name}: expected a positive number, got {value!r}")
    return float(value)

