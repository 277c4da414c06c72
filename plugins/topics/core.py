"""Topic detection: one compiled pattern for the whole taxonomy, scores that explain themselves,
and the rule that merges detected topics with the editor's tags. No Pelican import.

    taxonomy = load_taxonomy("content/data/topics.yaml")
    matcher = TopicMatcher(taxonomy)
    result = matcher.score(title, plain_text(markdown))
    topics = resolve_topics(tags, result.selected, exclude_tags, taxonomy.ids)
    print(explain(result, explicit=tags, veto=exclude_tags, topics=topics))
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from common.suggest import closest

from .taxonomy import TaxonomyError, TopicTaxonomy, TopicTerm, load_taxonomy, parse_taxonomy  # noqa: F401
from .text import normalise, plain_text, prose  # noqa: F401

TAXONOMY_SOURCE = "content/data/topics.yaml"  # where messages send an editor
_EPSILON = 1e-9  # 0.1 + 0.2 must still reach a threshold of 0.3
_EXACT, _PREFIX = 0, 1  # trie node markers (characters are str keys)
_WORD = re.compile(r"\w")


# --- matching -----------------------------------------------------------------------------------

def _trie_pattern(keys):
    """A regex matching any of `keys` ((normalised text, is_prefix) pairs), factored as a trie.

    A flat alternation tries every term at every word start: cost text x taxonomy. Factored by
    common prefix, the engine follows one path per word start (sre skips a branch whose first
    literal differs without entering it), so the cost is bounded by the alphabet, not the term
    count. Deeper branches come first: at a given start the longest term wins, and a prefix term
    ("réglement*") is the fallback once its more specific continuations fail.
    """
    root = {}
    for key, prefix in keys:
        node = root
        for char in key:
            node = node.setdefault(char, {})
        node[_PREFIX if prefix else _EXACT] = True

    def emit(node, last):
        branches = [re.escape(char) + emit(child, char)
                    for char, child in sorted((k, v) for k, v in node.items() if isinstance(k, str))]
        if _PREFIX in node:
            branches.append(r"\w*")  # the rest of the word; always matches, so it ends the list
        elif _EXACT in node:
            # A term ends on a word boundary; one ending in an apostrophe ("à la recherche d'") needs none.
            branches.append(r"(?!\w)" if _WORD.match(last) else "")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    # Lookarounds instead of \b: \w is Unicode-aware, and an apostrophe is a boundary ("l'ia").
    # Every key starts with a word character (taxonomy.py checks), so one lookbehind serves all.
    return re.compile(r"(?<!\w)" + emit(root, ""))


class TopicMatcher:
    """Scores a text against every topic in one pass over it. Build once per taxonomy (per build)."""

    def __init__(self, taxonomy: TopicTaxonomy):
        self.taxonomy = taxonomy
        self._exact = {}  # normalised text -> [(topic id, TopicTerm)]
        self._prefix = {}  # normalised prefix -> [(topic id, TopicTerm)]
        exclusions = {}  # normalised phrase -> {topic ids}
        for topic in taxonomy.topics.values():
            for term in topic.terms:
                index = self._prefix if term.prefix else self._exact
                index.setdefault(term.key, []).append((topic.id, term))
            for phrase in topic.exclude:
                exclusions.setdefault(normalise(phrase), set()).add(topic.id)
        keys = [(k, False) for k in self._exact] + [(k, True) for k in self._prefix]
        self.pattern = _trie_pattern(keys)  # the one pattern for every term of every topic
        self._exclusions = exclusions
        self._longest_exclusion = max(map(len, exclusions), default=0)
        self._terms_at = {}  # matched text -> terms_at(): news repeats its words
        # Exclusions overlap terms by design ("legal tender" holds "legal"), so they need their own pass.
        self.exclusion_pattern = _trie_pattern((k, False) for k in exclusions) if exclusions else None

    def terms_at(self, matched):
        """(topic id, term) pairs a matched span counts for: per topic, the most specific term."""
        found = self._terms_at.get(matched)
        if found is None:
            found = self._terms_at[matched] = self._lookup(matched)
        return found

    def _lookup(self, matched):
        found = list(self._exact.get(matched, ()))
        topics = {topic_id for topic_id, _ in found}
        for end in range(len(matched), 0, -1):
            for topic_id, term in self._prefix.get(matched[:end], ()):
                if topic_id not in topics:
                    topics.add(topic_id)
                    found.append((topic_id, term))
        return found

    def _excluded_spans(self, text):
        """Sorted (start, end, topic ids) of exclusion phrases, overlapping ones included."""
        if self.exclusion_pattern is None:
            return []
        spans = []
        pos = 0
        while (match := self.exclusion_pattern.search(text, pos)) is not None:
            spans.append((match.start(), match.end(), self._exclusions[match.group()]))
            pos = match.start() + 1  # "a court de" and "court terme" may share a word
        return spans

    def _occurrences(self, text):
        """{matched text: times} in order of first occurrence, or, when exclusion phrases occur in
        the text, {(matched text, blocked topic ids): times}.

        Counting distinct spans and adding them up once (instead of once per occurrence) keeps what
        the order of hits depends on: a term's hit, and a prefix term's forms, appear where the first
        occurrence that counts for them does, as when occurrences were added one by one."""
        spans = self._excluded_spans(text)
        counts = {}
        if not spans:  # most texts: no exclusion phrase, every match counts for all its topics
            for matched in self.pattern.findall(text):  # the pattern has no group: whole matches
                counts[matched] = counts.get(matched, 0) + 1
            return counts
        starts = [s for s, _, _ in spans]
        longest = self._longest_exclusion
        for match in self.pattern.finditer(text):
            start, end = match.span()
            blocked = set()
            # Walk back over the phrases starting before this match ends, as far as the longest could reach.
            for i in range(bisect.bisect_left(starts, end) - 1, -1, -1):
                s, e, topic_ids = spans[i]
                if s + longest <= start:
                    break
                if e > start:
                    blocked |= topic_ids
            key = (match.group(), frozenset(blocked))
            counts[key] = counts.get(key, 0) + 1
        return counts

    def _count(self, text, hits, in_title):
        occurrences = self._occurrences(text)
        for key, times in occurrences.items():
            if type(key) is tuple:
                matched, blocked = key
            else:
                matched, blocked = key, ()
            for topic_id, term in self.terms_at(matched):
                if topic_id in blocked:
                    continue
                by_term = hits[topic_id]
                hit = by_term.get(term.text)
                if hit is None:
                    hit = by_term[term.text] = TermHit(term.text, term.weight)
                if in_title:
                    hit.title += times
                else:
                    hit.body += times
                if term.prefix and len(hit.forms) < 5 and matched not in hit.forms:
                    hit.forms.append(matched)

    def score(self, title, body) -> TopicResult:
        """Scores of every topic for a plain-text title and body (see text.plain_text)."""
        tax = self.taxonomy
        hits = {topic_id: {} for topic_id in tax.topics}
        self._count(normalise(title), hits, True)
        self._count(normalise(body), hits, False)
        title_weight = tax.title_weight
        scores = {}
        for topic_id, by_term in hits.items():
            if not by_term:  # no term matched: what the sum of no points rounds to
                scores[topic_id] = TopicScore(topic_id, 0, tax.threshold_of(topic_id), [])
                continue
            terms = list(by_term.values())
            for hit in terms:
                hit.count = hit.title * title_weight + hit.body
                hit.points = round(hit.count * hit.weight, 6)
            if len(terms) > 1:
                terms.sort(key=_minus_points)
            total = round(sum(h.points for h in terms), 6)
            scores[topic_id] = TopicScore(topic_id, total, tax.threshold_of(topic_id), terms)
        return TopicResult(title_weight, scores)

    def detect(self, title, body) -> list[str]:
        """Ids of the topics whose score reaches the threshold, in taxonomy order."""
        return self.score(title, body).selected


# --- results ------------------------------------------------------------------------------------

def _minus_points(hit):
    return -hit.points


@dataclass
class TermHit:
    term: str  # as written in topics.yaml
    weight: float
    title: int = 0  # occurrences in the title
    body: int = 0
    count: float = 0  # title * title_weight + body
    points: float = 0  # count * weight
    forms: list[str] = field(default_factory=list)  # words a prefix term matched (normalised)


@dataclass
class TopicScore:
    id: str
    score: float
    threshold: float
    terms: list[TermHit]  # highest points first

    @property
    def selected(self):
        return self.score >= self.threshold - _EPSILON


@dataclass
class TopicResult:
    title_weight: float
    scores: dict[str, TopicScore]  # every topic, in taxonomy order

    @property
    def selected(self):
        return [s.id for s in self.scores.values() if s.selected]

    def as_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        scores = {
            topic_id: TopicScore(s["id"], s["score"], s["threshold"], [TermHit(**h) for h in s["terms"]])
            for topic_id, s in data["scores"].items()
        }
        return cls(data["title_weight"], scores)


# --- explicit tags ------------------------------------------------------------------------------

@dataclass(frozen=True)
class UnknownTopic:
    field: str  # "tags" or "exclude_tags"
    id: str
    suggestion: str | None
    message: str


class UnknownTopicError(ValueError):
    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(p.message for p in self.problems))


def suggest(unknown_id, ids):
    """The known id nearest to a mistyped one ('regulaton' -> 'regulation'), or None."""
    ids = list(ids)
    wanted = re.sub(r"[\s_]+", "-", str(unknown_id).strip().casefold())
    if wanted in ids:
        return wanted
    return closest(wanted, ids)


def unknown_topic(topic_id, field_name, ids, source=TAXONOMY_SOURCE):
    nearest = suggest(topic_id, ids)
    hint = f"; did you mean '{nearest}'?" if nearest else "; no known id is close."
    message = f"unknown topic id '{topic_id}' in {field_name}{hint} Known ids are listed in {source}"
    return UnknownTopic(field_name, str(topic_id), nearest, message)


def resolve_topics(explicit, detected, veto, known, *, errors=None,
                   source=TAXONOMY_SOURCE) -> list[str]:
    """The topics of a story: explicit tags always, detected ones unless vetoed, in taxonomy order.

    `known` gives the order (pass taxonomy.ids; a set is sorted). Unknown ids in `explicit` or
    `veto` raise UnknownTopicError, or are appended to `errors` (UnknownTopic) when it is a list;
    the rest is resolved either way.
    """
    order = sorted(known) if isinstance(known, (set, frozenset)) else list(known)
    known_set = set(order)
    problems = [unknown_topic(i, name, order, source)
                for name, ids in (("tags", explicit), ("exclude_tags", veto))
                for i in ids if i not in known_set]
    if problems:
        if errors is None:
            raise UnknownTopicError(problems)
        errors.extend(problems)
    vetoed = set(veto)
    chosen = set(explicit) | {i for i in detected if i not in vetoed}
    return [i for i in order if i in chosen]


# --- one story -----------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _code_digest():
    """Hash of the modules that decide a result: a cached result dies with the code that made it.

    Read once per process: code that changed under a running process is not the code it runs."""
    digest = hashlib.sha256()
    for name in ("text.py", "taxonomy.py", "core.py"):
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()


class Tagging:
    """Everything known about one story's topics: the report and the explain command read this.

    `detected` and `scores` (the report's score list) are what the cache keeps; the full TopicResult
    behind them is scored again only when an explanation is asked for."""

    __slots__ = ("tagger", "title", "markdown", "detected", "scores", "explicit", "veto", "topics",
                 "problems", "_result")

    def __init__(self, tagger, title, markdown, detected, scores, explicit, veto, topics, problems,
                 result=None):
        self.tagger, self.title, self.markdown = tagger, title, markdown
        self.detected = detected  # ids whose score reached the threshold, in taxonomy order
        self.scores = scores  # "regulation 4/2, funding 1/2" (see scores_line)
        self.explicit = explicit
        self.veto = veto
        self.topics = topics
        self.problems = problems  # UnknownTopic
        self._result = result

    @property
    def result(self) -> TopicResult:
        if self._result is None:
            self._result = self.tagger.score(self.title, self.markdown)
        return self._result

    def explain(self):
        return explain(self.result, explicit=self.explicit, veto=self.veto, topics=self.topics)

    def explanation(self):
        """explain(), deferred until it is read (story.explain in a build)."""
        return Explanation(self.tagger, self.title, self.markdown, self.explicit, self.veto, self.topics)

    def summary(self):
        return f"{', '.join(self.topics) or '(none)'} (scores: {self.scores or 'no term matched'})"


class Explanation:
    """A story's explain() text, made the first time it is read: a build reads it for no story unless
    a person asks, and scoring a story again costs what the cache saved. Reads like the str it holds.
    One small object per story until then (no Tagging, no TopicResult kept alive)."""

    __slots__ = ("_tagger", "_title", "_markdown", "_explicit", "_veto", "_topics", "_text")

    def __init__(self, tagger, title, markdown, explicit, veto, topics):
        self._tagger, self._title, self._markdown = tagger, title, markdown
        self._explicit, self._veto, self._topics = explicit, veto, topics
        self._text = None

    def __str__(self):
        if self._text is None:
            result = self._tagger.score(self._title, self._markdown)
            self._text = explain(result, explicit=self._explicit, veto=self._veto, topics=self._topics)
            self._tagger = self._title = self._markdown = None
        return self._text

    def __contains__(self, part):
        return part in str(self)

    def __eq__(self, other):
        return str(self) == (str(other) if isinstance(other, Explanation) else other)

    def __hash__(self):
        return hash(str(self))

    def __repr__(self):
        return f"Explanation({str(self)!r})"


# Tagger matchers, by taxonomy digest: a long-lived process compiles an unchanged taxonomy once.
_matchers: dict = {}


class Tagger:
    """Tags stories against one taxonomy: the build and `invoke topics --explain` share this path.

    `cache` is any object with get(key) -> str | None and put(key, str) (see cache.ResultCache);
    the key is a hash of the raw title and Markdown (no text is reduced to plain words to make it),
    the taxonomy file bytes and this package's code. An entry holds the detected ids and the score
    list: what every build reads. The explanation is scored again when asked for.
    """

    def __init__(self, taxonomy: TopicTaxonomy, cache=None, source=TAXONOMY_SOURCE):
        self.taxonomy = taxonomy
        self.cache = cache
        self.source = source
        self._matcher = None  # compiled on first cache miss: a fully cached build never compiles
        self._known = set(taxonomy.ids)
        self._salt = b""
        if cache is not None:
            # A taxonomy built in memory (tests) has no file digest: its repr stands for its content.
            content = taxonomy.digest or hashlib.sha256(repr(taxonomy).encode()).hexdigest()
            self._salt = f"{_code_digest()}\0{content}\0".encode()

    @property
    def matcher(self):
        if self._matcher is None:
            digest = self.taxonomy.digest
            self._matcher = _matchers.get(digest) if digest else None
            if self._matcher is None or self._matcher.taxonomy is not self.taxonomy:
                self._matcher = TopicMatcher(self.taxonomy)
                if digest:
                    _matchers.clear()
                    _matchers[digest] = self._matcher
        return self._matcher

    def score(self, title, markdown) -> TopicResult:
        """Every topic's score for a title and a Markdown body (never cached: explanations read it)."""
        # prose(): the words of plain_text(), which the matcher reads through normalise().
        return self.matcher.score(prose(title), prose(markdown))

    def entry(self, title, markdown):
        """(result, cache entry): one string "id,id\tscore line" (ids never hold a tab or a comma,
        and a file of strings loads without making a list and a dict per story)."""
        result = self.score(title, markdown)
        return result, ",".join(result.selected) + "\t" + scores_line(result)

    def prefill(self, texts, fill):
        """Put in the cache the entries of the (title, markdown) pairs it lacks, computed by
        `fill(function, items)` (the build passes a parallel map)."""
        if self.cache is None:
            return
        missing = {}
        for title, markdown in texts:
            key = self.key(title, markdown)
            if not isinstance(self.cache.peek(key), str):
                missing[key] = (title, markdown)
        if not missing:
            return
        self.matcher  # compiled here, before `fill` forks its workers, not once in each of them
        entries = fill(self._entry_only, list(missing.values()))
        for key, entry in zip(missing, entries):
            self.cache.put(key, entry)

    def _entry_only(self, pair):
        return self.entry(*pair)[1]

    def key(self, title, markdown):
        text = f"{title}\0{markdown}".encode("utf-8", "surrogatepass")
        return hashlib.sha1(self._salt + text).hexdigest()

    def tag(self, title, markdown, explicit=(), veto=()) -> Tagging:
        """Score a story's title and Markdown body, then merge with its tags and exclude_tags."""
        # Most stories have neither: one shared empty tuple instead of two lists kept per story.
        explicit = [str(i) for i in explicit] if explicit else ()
        veto = [str(i) for i in veto] if veto else ()
        result = entry = None
        if self.cache is not None:
            key = self.key(title, markdown)
            entry = self.cache.get(key)
            if not (isinstance(entry, str) and "\t" in entry):
                entry = None
        if entry is None:
            result, entry = self.entry(title, markdown)
            if self.cache is not None:
                self.cache.put(key, entry)
        ids, _, scores = entry.partition("\t")
        detected = ids.split(",") if ids else []
        problems = []
        if explicit or veto:
            topics = resolve_topics(explicit, detected, veto, self.taxonomy.ids,
                                    errors=problems, source=self.source)
        else:  # nothing to merge: the detected ids, in taxonomy order, are the topics
            topics = [i for i in detected if i in self._known]
        return Tagging(self, title, markdown, detected, scores, explicit, veto, topics, problems or (),
                       result)


# --- explanation --------------------------------------------------------------------------------

def _num(value):
    return f"{value:g}"


def explain(result: TopicResult, *, explicit=(), veto=(), topics=None) -> str:
    """A table a person can read: per topic, which terms matched how often, score vs threshold."""
    lines = [f"title counts x{_num(result.title_weight)}; a topic is selected when score >= threshold"]
    silent = []
    for s in result.scores.values():
        if not s.terms:
            silent.append(s.id)
            continue
        verdict = "selected" if s.selected else "not selected"
        sign = ">=" if s.selected else "<"
        lines.append(f"{s.id:<14} {_num(s.score):>6} {sign} {_num(s.threshold):<4} {verdict}")
        for h in s.terms:
            seen = ", ".join(part for part in (f"title {h.title}" if h.title else "",
                                               f"body {h.body}" if h.body else "") if part)
            forms = f"  ({', '.join(h.forms)})" if h.forms else ""
            arithmetic = f"{_num(h.count)} x {_num(h.weight)} = {_num(h.points)}"
            lines.append(f"    {h.term:<28} {seen:<17} -> {arithmetic}{forms}")
    if silent:
        lines.append("no match: " + ", ".join(silent))
    if explicit or veto or topics is not None:
        lines.append("explicit (tags): " + (", ".join(explicit) or "-"))
        lines.append("vetoed (exclude_tags): " + (", ".join(veto) or "-"))
    if topics is not None:
        lines.append("topics: " + (", ".join(topics) or "-"))
    return "\n".join(lines)


REPORT_TERMS = 4  # terms shown per topic in a report line; `invoke topics --explain` shows them all


def scores_line(result: TopicResult) -> str:
    """The scores that decide a story's topics and the terms behind them, for the build report:
    "regulation 4/2 [AI Act: title 1; régulat*: body 1], funding 1/2 [investors: body 1]"
    ("" when none matched). Terms come highest points first."""
    parts = []
    for s in result.scores.values():
        if not s.terms:
            continue
        shown = []
        for h in s.terms[:REPORT_TERMS]:  # what " ".join of the non-zero "title n", "body n" gives
            title, body = h.title, h.body
            if title:
                seen = f"title {title} body {body}" if body else f"title {title}"
            else:
                seen = f"body {body}" if body else ""
            shown.append(f"{h.term}: {seen}")
        more = f"; +{len(s.terms) - REPORT_TERMS} more" if len(s.terms) > REPORT_TERMS else ""
        parts.append(f"{s.id} {s.score:g}/{s.threshold:g} [{'; '.join(shown)}{more}]")
    return ", ".join(parts)


def summary(result: TopicResult, topics) -> str:
    """One report line: the story's topics, then the scores that decided them."""
    return f"{', '.join(topics) or '(none)'} (scores: {scores_line(result) or 'no term matched'})"


__all__ = [
    "TAXONOMY_SOURCE", "Explanation", "Tagger", "Tagging", "TaxonomyError", "TermHit", "TopicMatcher",
    "TopicResult", "TopicScore", "TopicTaxonomy", "UnknownTopic", "UnknownTopicError", "explain",
    "load_taxonomy", "normalise", "parse_taxonomy", "plain_text", "resolve_topics", "scores_line", "suggest",
    "summary", "unknown_topic",
]
