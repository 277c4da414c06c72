"""A line-level boilerplate scorer: page junk found by what it is, not by a listed phrase.

Pure: a line (as written and folded), where it sits, and the `scorer:` section of cleaning.yaml in;
a score and the signals that made it out. core.py removes a line whose score reaches the threshold.

The design follows what boilerplate studies found (jusText, boilerpipe, trafilatura), moved from
HTML blocks to the lines of a pasted Markdown body:
- junk is short, and long grammatical text is content: a line of more than `max_words` words, or one
  that reads as a sentence (a final period, a normal share of stop words), is never junk by shape;
- junk talks about the page, not about the news: its words are interface words (share, comment,
  subscribe, notifications, video player...) and it often addresses the reader (an imperative in
  the second person, "vous", "your", a question put to the reader);
- junk has shapes no paragraph has: a run of labels between separators, a player's timestamps, a
  line that is only a link, "3 hours ago";
- junk clusters where the article is not: above the first paragraph and below the last one. A line
  there that is not prose gets a bonus; the same line in the middle of the article needs more
  evidence, so a short heading-like line or a list of names inside the text stays.
Every signal is a weight of cleaning.yaml, and the score is their sum: the build report shows each.

All matching is word-set lookups and a few linear regexes (no nested quantifiers): a line of any
length costs time in proportion to its length.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

from common.suggest import closest

SCORED_RULE = "scored"

# Signal names (they show in the build report).
INTERFACE = "interface-words"
IMPERATIVE = "call-to-action"
PRONOMINAL = "call-to-action-pronoun"  # "abonnez-vous", "dites-nous": an order with its pronoun
READER = "reader-address"
PUBLISHER = "publisher-voice"
POINTER = "points-to-page"
BUTTON = "button-like"
LABEL_HEAD = "interface-label"
COUNTER = "counter"
DOWNLOAD = "file-link"
DATELINE = "dateline"
BYLINE = "byline"
DANGLING = "dangling-colon"
QUESTION = "question-to-reader"
LABELS = "label-list"
TIMESTAMP = "player-timestamp"
DURATION = "media-duration"
LINK_ONLY = "link-only"
RELATIVE_TIME = "relative-time"
GLYPHS = "icon-glyphs"
EDGE = "edge-not-prose"
PREFIX = "phrase-prefix"
PROSE = "sentence"
STOPWORDS = "stopword-density"
INTRODUCES = "introduces-next"
CREDIT = "attribution"
LIST_ITEM = "list-item"
QUOTED = "quotation"

DEFAULT_WEIGHTS = {
    INTERFACE: 0.8,  # times the share of the line's words that are interface words
    IMPERATIVE: 0.4,
    PRONOMINAL: 0.5,
    READER: 0.2,
    PUBLISHER: 0.25,
    POINTER: 0.4,
    BUTTON: 0.3,
    LABEL_HEAD: 0.5,
    COUNTER: 0.3,
    DOWNLOAD: 0.5,
    DATELINE: 0.5,
    BYLINE: 0.4,
    DANGLING: 0.5,
    QUESTION: 0.3,
    LABELS: 1.0,
    "labels-inside": 0.4,  # the same run of labels in the middle of the article
    TIMESTAMP: 1.2,
    DURATION: 0.5,
    LINK_ONLY: 0.5,
    RELATIVE_TIME: 0.8,
    GLYPHS: 0.2,
    EDGE: 0.3,
    PREFIX: 0.5,
    PROSE: -0.6,
    STOPWORDS: -0.3,
    INTRODUCES: -0.5,
    CREDIT: -1.0,
    LIST_ITEM: -0.2,
    QUOTED: -0.6,
}

_WORD = re.compile(r"\w+")
_ONLY_TIMESTAMPS = re.compile(r"[\W_]*\d{1,2}:\d{2}(?::\d{2})?(?:[\s/|·-]+\d{1,2}:\d{2}(?::\d{2})?)*[\W_]*")
_PAREN_DURATION = re.compile(r"\(\d{1,2}:\d{2}(?::\d{2})?\)\W*$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_BARE_URL = re.compile(r"<?https?://\S+>?")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
# A sentence ends with one period (not an ellipsis), then maybe closing quotes or brackets.
PROSE_END = re.compile(r"(?<!\.)\.[\s\"'»”’)\]*_]*$")
_QUOTES = frozenset("«»“”\"")
_LABEL_SEPARATORS = "·|•"
_PREFIX_SEPARATOR = re.compile(r"\w\s*[-:|·•›»]")  # what rules.starts_with_rule needs after a rule
_COUNTER = re.compile(r"\(\d{1,6}\)$")  # "Vos reactions (0)"
_FILE_LINK = re.compile(r"\((?:pdf|docx?|xlsx?|pptx?|odt|zip|epub|mp3|mp4)\b[^()]{0,40}\)$|\b\d+(?:[.,]\d+)? ?(?:ko|mo|go|kb|mb|gb)\)$")
_CLOCK = re.compile(r"\b\d{1,2}(?::\d{2}|h\d{0,2})\b")  # 8:15, 08h15, 14h
_CLOCK_WORD = re.compile(r"\d{1,2}h\d{0,2}")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b")
_CLAUSE_START = re.compile(r"(?:[:;.!?,]| - )\s*(\w+)")


class Signal(NamedTuple):
    name: str
    value: float


class Score(NamedTuple):
    total: float
    signals: tuple  # of Signal, in the order they were found

    def describe(self) -> str:
        """"call-to-action +0.40, edge-not-prose +0.30" for the build report."""
        return ", ".join(f"{s.name} {s.value:+.2f}" for s in self.signals)


@dataclass(frozen=True)
class Words:
    """The word lists of one language (folded: lower case, no accents)."""

    interface: frozenset = frozenset()
    imperative: frozenset = frozenset()
    reader: frozenset = frozenset()
    second_person: frozenset = frozenset()
    time_units: frozenset = frozenset()
    ago: tuple = ()  # word sequences: ("ago",), ("il", "y", "a")
    credit: frozenset = frozenset()
    publisher: frozenset = frozenset()
    months: frozenset = frozenset()
    byline: frozenset = frozenset()  # "par", "by": a line of a few words after them is a byline
    pointers: tuple = ()  # phrases that point at the page, padded: " cet article "
    pointer_starts: frozenset = frozenset()  # their first words (a cheap test before the phrases)
    page_words: frozenset = frozenset()  # interface | imperative


@dataclass(frozen=True)
class ScorerConfig:
    enabled: bool = True
    threshold: float = 1.0
    max_words: int = 16
    context_floor: float = 0.4  # below this (scored in the middle), a line anchors the article
    weights: dict = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    words: dict = field(default_factory=dict)  # lang -> Words

    def words_for(self, lang: str) -> Words:
        return self.words.get(lang) or self.words.get("*") or Words()


class Place(NamedTuple):
    """Where a line sits, as core.py sees it."""

    at_edge: bool  # above the first real paragraph or below the last one
    list_item: bool
    introduces: bool  # ends with ":" and something follows it
    last: bool = False  # nothing but blank lines follows it


def score_line(line: str, folded: str, words: list, place: Place, *, config: ScorerConfig,
               stopwords: frozenset, lang: str, phrase_prefix=False) -> Score | None:
    """The score of one line, or None when the line is too long to be junk (it is prose).
    `phrase_prefix`: whether a rule of cleaning.yaml starts the line, or a function that tells."""
    if len(words) > config.max_words:
        return None
    lex = config.words_for(lang)
    w = config.weights
    signals: list[Signal] = []

    def add(name, value):  # noqa: E306
        if value:
            signals.append(Signal(name, round(value, 2)))

    text = _LIST_MARK.sub("", line, count=1).strip() if place.list_item else line.strip()
    prose = bool(PROSE_END.search(text)) and len(words) >= 4
    # The words that say what the line is about: not stop words, numbers, or who speaks to whom.
    content = [word for word in words if word not in stopwords and not word.isdigit()
               and word not in lex.reader and word not in lex.publisher and word not in lex.time_units
               and not _CLOCK_WORD.fullmatch(word)]
    present = frozenset(words)
    share = 0.0

    # What the words are about: the page, or the news.
    if content:
        page_words = lex.page_words
        share = sum(1 for word in content if word in page_words) / len(content)
        add(INTERFACE, w[INTERFACE] * share)
    imperative = _imperative(folded, words, lex)
    if imperative == 2:
        add(PRONOMINAL, w[PRONOMINAL])
    elif imperative == 1:
        add(IMPERATIVE, w[IMPERATIVE])
    if not lex.reader.isdisjoint(present):
        add(READER, w[READER])
    if not lex.publisher.isdisjoint(present):
        add(PUBLISHER, w[PUBLISHER])
    if not lex.pointer_starts.isdisjoint(present):
        joined = f" {' '.join(words)} "
        if any(pointer in joined for pointer in lex.pointers):
            add(POINTER, w[POINTER])
    if 1 <= len(words) <= 5 and not prose and words[0] in lex.page_words:
        add(BUTTON, w[BUTTON])
    if "?" in text and not lex.second_person.isdisjoint(present):
        add(QUESTION, w[QUESTION])

    # Shapes no paragraph has.
    if ":" in folded and _ONLY_TIMESTAMPS.fullmatch(folded):  # (cheap tests first)
        add(TIMESTAMP, w[TIMESTAMP])
    elif ":" in folded and ")" in folded and _PAREN_DURATION.search(folded):
        add(DURATION, w[DURATION])
    elif words and len(words) <= 4 and all(word.isdigit() or word in lex.time_units for word in words) \
            and any(word in lex.time_units for word in words):
        add(DURATION, w[DURATION])  # "3 min", "⏱ 5 min": a reading time alone
    if ("·" in folded or "|" in folded or "•" in folded or "," in folded) and _label_list(folded):
        add(LABELS, w[LABELS] if place.at_edge else w["labels-inside"])
    if ("](" in text or "://" in text) and _link_only(text):
        add(LINK_ONLY, w[LINK_ONLY])
    if not lex.time_units.isdisjoint(present) and _relative_time(words, lex):
        add(RELATIVE_TIME, w[RELATIVE_TIME])
    if _has_glyphs(text):
        add(GLYPHS, w[GLYPHS])
    if place.at_edge:
        add(EDGE, w[EDGE])

    if folded.endswith(")") and _COUNTER.search(folded):
        add(COUNTER, w[COUNTER])
    if folded.endswith(")") and _FILE_LINK.search(folded):
        add(DOWNLOAD, w[DOWNLOAD])
    if not prose and len(words) <= 8 and _dateline(folded, words, lex):
        add(DATELINE, w[DATELINE])
    if not prose and words and words[0] in lex.byline and len(words) <= 8:
        add(BYLINE, w[BYLINE])
    if place.last and text.endswith(":"):
        add(DANGLING, w[DANGLING])
    label_head = _interface_label(folded, lex, stopwords)
    if label_head:
        add(LABEL_HEAD, w[LABEL_HEAD])

    # What content looks like. A sentence to the reader about the page ("Vous lisez un article
    # gratuit. Pour lire la suite, abonnez-vous.") is a prompt, not prose.
    to_reader = imperative or not lex.reader.isdisjoint(present)
    if prose and not (to_reader and share >= 0.6):
        add(PROSE, w[PROSE])
    if prose and len(words) >= 12 and sum(1 for word in words if word in stopwords) / len(words) >= 0.35:
        add(STOPWORDS, w[STOPWORDS])
    if place.introduces:
        add(INTRODUCES, w[INTRODUCES])
    if words and words[0] in lex.credit and ":" in folded[:40]:
        add(CREDIT, w[CREDIT])
    if place.list_item:
        add(LIST_ITEM, w[LIST_ITEM])
    if not label_head and _quoted(text, words):  # "Lecture en cours : « Titre »" names a title
        add(QUOTED, w[QUOTED])
    # The costliest test (every rule of cleaning.yaml at once), asked last and only when its weight
    # could lift the line to a level that matters.
    if callable(phrase_prefix):
        total = sum(s.value for s in signals)
        phrase_prefix = (total + w[PREFIX] >= min(config.context_floor, config.threshold)
                         and _PREFIX_SEPARATOR.search(folded) is not None and phrase_prefix())
    if phrase_prefix:
        add(PREFIX, w[PREFIX])
    return Score(round(sum(s.value for s in signals), 2), tuple(signals))


def _imperative(folded, words, lex):
    """2: an imperative with its pronoun ("abonnez vous", "dites nous"); 1: an imperative that starts
    the line or a clause (after : ; . ! ? or a comma); 0: none."""
    for index, word in enumerate(words):
        if word not in lex.imperative:
            continue
        following = words[index + 1] if index + 1 < len(words) else ""
        if following in ("vous", "nous", "moi", "us", "me") and not _question_inversion(folded, word):
            return 2
    if words and words[0] in lex.imperative:
        return 1
    # a clause start: the word after punctuation
    for match in _CLAUSE_START.finditer(folded):
        if match.group(1) in lex.imperative:
            return 1
    return 0


def _question_inversion(folded, word):
    """"Partagez-vous vos photos ?": a question, not an order (the verb and pronoun then a "?")."""
    at = folded.find(word)
    end = folded.find("?", at)
    stop = min((i for i in (folded.find(".", at), folded.find("!", at)) if i >= 0), default=-1)
    return end >= 0 and (stop < 0 or end < stop)


def _dateline(folded, words, lex):
    """A date or a time and little else: "Mis en ligne le 12/03 a 08h15", "March 4"."""
    if _CLOCK.search(folded) or _NUMERIC_DATE.search(folded):
        return True
    for i, word in enumerate(words):
        if word in lex.months and ((i and words[i - 1].isdigit())
                                   or (i + 1 < len(words) and words[i + 1].isdigit())):
            return True
    return False


def _interface_label(folded, lex, stopwords):
    """"Vidéo : ...", "Now playing: ...": a head of 1-3 words before a colon, all of them page words."""
    head, colon, rest = folded.partition(":")
    if not colon or not rest.strip():
        return False
    words = [word for word in _WORD.findall(head) if word not in stopwords]
    return 1 <= len(words) <= 3 and all(word in lex.page_words for word in words)


def _label_list(folded):
    """A run of 3+ short labels between · | •, or "Key: a, b, c" with 3+ short items."""
    for separator in _LABEL_SEPARATORS:
        if folded.count(separator) >= 2:
            parts = [part.strip() for part in folded.split(separator)]
            if all(_label(part) for part in parts):
                return True
    head, colon, rest = folded.partition(":")
    if colon and len(head.split()) <= 2 and rest.count(",") >= 2:
        items = [item.strip() for item in rest.split(",")]
        return all(_label(item) for item in items)
    return False


def _label(part):
    words = part.split()
    return 1 <= len(words) <= 3 and not part.endswith(".")


def _link_only(text):
    """The line is links and nothing else (a bare URL, or Markdown links with short text)."""
    if _BARE_URL.fullmatch(text):
        return True
    if "](" not in text:
        return False
    rest = _MD_LINK.sub("", text)
    if rest.strip(" \t-*·|•,/>»→") != "":
        return False
    return all(len(label.split()) <= 8 for label in _MD_LINK.findall(text))


def _relative_time(words, lex):
    """"3 hours ago", "il y a 3 heures": a page's clock, never the news' date."""
    for index, word in enumerate(words[:-1]):
        if word.isdigit() and words[index + 1] in lex.time_units:
            joined = f" {' '.join(words)} "
            return any(f" {' '.join(ago)} " in joined for ago in lex.ago)
    return False


def _has_glyphs(text):
    """Icons: stars, bells, pointing hands (Unicode "other symbols"), as rating and alert widgets use."""
    return not text.isascii() and any(unicodedata.category(char) == "So" or "\u2190" <= char <= "\u21ff"
                                      for char in text if ord(char) > 0x2000)


def _quoted(text, words):
    """A quotation of some length: what someone said is content."""
    if len(words) < 4 or not any(quote in text for quote in _QUOTES):
        return False
    return sum(1 for char in text if char in _QUOTES) >= 2 and not text.rstrip().endswith(":")


def from_mapping(data, source, fold) -> ScorerConfig:
    """The `scorer:` section of cleaning.yaml (RulesError-free: rules.py checks types first)."""
    if not data:
        return ScorerConfig(enabled=False)
    weights = dict(DEFAULT_WEIGHTS)
    for name, value in (data.get("weights") or {}).items():
        if name not in weights:
            guess = closest(name, weights)
            hint = f"did you mean {guess!r}? " if guess else ""
            raise ValueError(f"{source}: scorer.weights.{name}: unknown signal; {hint}known: "
                             f"{', '.join(sorted(weights))}")
        try:
            weights[name] = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{source}: scorer.weights.{name}: expected a number, got {value!r}") from None
    words = {}
    for lang, lists in (data.get("words") or {}).items():
        if not isinstance(lists, dict):
            raise ValueError(f"{source}: scorer.words.{lang} must map list names to lists of words")
        folded = {}
        for name in ("interface", "imperative", "reader", "second_person", "time_units", "ago", "credit",
                     "publisher", "pointers", "months", "byline"):
            items = lists.get(name) or []
            if not isinstance(items, list):
                raise ValueError(f"{source}: scorer.words.{lang}.{name} must be a list of words")
            folded[name] = [fold(str(item)) for item in items]
        unknown = sorted(set(lists) - set(folded))
        if unknown:
            guess = closest(unknown[0], folded)
            hint = f"did you mean {guess!r}? " if guess else ""
            raise ValueError(f"{source}: scorer.words.{lang}: unknown list {unknown[0]!r}; {hint}known: "
                             f"{', '.join(folded)}")
        words[lang] = Words(
            interface=frozenset(w for item in folded["interface"] for w in item.split()),
            imperative=frozenset(folded["imperative"]),
            reader=frozenset(folded["reader"]),
            second_person=frozenset(folded["second_person"]),
            time_units=frozenset(folded["time_units"]),
            ago=tuple(tuple(item.split()) for item in folded["ago"] if item),
            credit=frozenset(folded["credit"]),
            publisher=frozenset(folded["publisher"]),
            months=frozenset(folded["months"]),
            byline=frozenset(folded["byline"]),
            pointers=tuple(f" {item} " for item in folded["pointers"] if item),
            pointer_starts=frozenset(item.split()[0] for item in folded["pointers"] if item.split()),
            page_words=frozenset(w for item in folded["interface"] for w in item.split())
            | frozenset(folded["imperative"]),
        )
    try:
        threshold = float(data.get("threshold", 1.0))
        max_words = int(data.get("max_words", 16))
        context_floor = float(data.get("context_floor", 0.4))
    except (TypeError, ValueError):
        raise ValueError(f"{source}: scorer.threshold must be a number and scorer.max_words a whole number") from None
    return ScorerConfig(enabled=bool(data.get("enabled", True)), threshold=threshold, max_words=max_words,
                        context_floor=context_floor,
                        weights=weights, words=words)
