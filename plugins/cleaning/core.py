"""Line cleaning of a pasted article's Markdown body: boilerplate, title repeats, stray widget words.

Pure: text and compiled Rules in, cleaned text and the list of removed lines out.

A line goes when:
- it is made only of boilerplate of one of the rule families of cleaning.yaml (share, follow, ...);
- it sits at the top, before the first real paragraph, is not a sentence, and repeats the title with
  small changes, or says again mostly what the title and summary say (a reworded headline);
- it is a stray widget word: 1-2 words, no punctuation, alone between blank lines, at the top or after
  the last paragraph, and does not introduce what follows;
- the line scorer (scorer.py) gives it a score at or above the threshold: a short line made of
  interface words, addressed to the reader, shaped like a widget, and not like a sentence.
Headings, code, tables and lines matching a `keep` pattern are never removed. Removing lines never
leaves more than one blank line in their place. Cleaning a cleaned text changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from . import scorer
from .lines import BLANK, CODE, HEADING, HTML, LIST, QUOTE, TABLE, TEXT
from .lines import balanced as _balanced
from .lines import classify as _classify
from .lines import folds_longer as _folds_longer
from .recurring import line_key
from .rules import Rules, fold
from .typography import strip_invisible


class Removed(NamedTuple):
    line: int  # 1-based, in the text given to clean_markdown
    text: str
    rule: str
    score: float = 1.0  # the scorer's total; 1.0 for a rule, a title repeat or a stray word
    why: str = ""  # what fired: "phrase list", or the scorer's signals and their weights

    def explain(self) -> str:
        """"share 1.00: phrase list", "scored 1.43: call-to-action +0.40, ... = 1.43" (build report)."""
        return f"{self.rule} {self.score:.2f}: {self.why}" if self.why else self.rule


@dataclass
class Cleaned:
    text: str
    removed: list[Removed] = field(default_factory=list)


TITLE_RULE = "title-repeat"
STRAY_RULE = "stray-word"
SCORED_RULE = scorer.SCORED_RULE
RECURRING_RULE = "recurring"
_WHY = {TITLE_RULE: "repeats the title", STRAY_RULE: "a widget word alone"}

# A real paragraph: a sentence of some length, or a long line.
_SENTENCE_END = re.compile(r"[.!…][\s\"'»”’)\]*_]*$")
_PARAGRAPH_WORDS = 8
_LONG_LINE_WORDS = 25
_WORD = re.compile(r"\w+")
_STRAY = re.compile(r"^\w+(?:['’\-]\w+)*(?:[ \t]+\w+(?:['’\-]\w+)*)?$")
_STEM = 5

_RULE_KINDS = frozenset({TEXT, LIST, QUOTE, HTML})


def clean_markdown(text: str, *, lang: str, title: str = "", rules: Rules, summary: str = "",
                   recurring: dict | None = None, source: str = "") -> Cleaned:
    """Remove boilerplate lines from a Markdown body; see the module docstring for what goes.

    `title` and `summary` (front matter) tell headline repeats at the top of the body.
    `recurring`: {line key: number of posts} of the lines of this post that recur in other posts of
    its source (recurring.Index.recurring_in); `source` names that source for the report.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    trailing_newline = text.endswith("\n")
    if trailing_newline:
        text = text[:-1]
    raw = text.split("\n")
    raw_kinds = _classify(raw)
    # NFC and no invisible characters, except in code.
    stripped = [line if kind == CODE else strip_invisible(line) for line, kind in zip(raw, raw_kinds)]
    lines = list(enumerate(stripped, start=1))
    # The first pass reads the kinds of these lines: those of the raw ones, unless stripping changed a line.
    kinds = raw_kinds if stripped == raw else None
    ctx = _Context(lang, rules)
    headline = _Headline(ctx.stems(title or ""), ctx.stems(summary or ""))
    removed: list[Removed] = []
    # Removing a line changes what is "at the top" or "alone between blank lines": repeat until stable,
    # so that cleaning the result again removes nothing. Each pass removes at least one line.
    while True:
        if kinds is None:
            kinds = _classify([line for _, line in lines])
        zones = _Zones(lines, kinds, ctx)  # title repeats and stray words look at the same zones
        marks = (
            _boilerplate(lines, kinds, ctx)
            or _recurring(lines, kinds, ctx, recurring)
            or _title_repeats(lines, kinds, headline, ctx, zones)
            or _stray_words(lines, kinds, ctx, zones)
        )
        details = {}
        if not marks:
            details = _scored(lines, kinds, ctx, zones)
            marks = dict.fromkeys(details, SCORED_RULE)
        if not marks:
            break
        for i, rule in sorted(marks.items()):
            score = details.get(i)
            if score is not None:
                removed.append(Removed(lines[i][0], lines[i][1].strip(), rule, score.total, score.describe()))
            elif rule == RECURRING_RULE:
                posts = recurring[line_key(lines[i][1])]
                why = f"the same line is in {posts} posts of {source or 'this source'}"
                removed.append(Removed(lines[i][0], lines[i][1].strip(), rule, 1.0, why))
            else:
                why = _WHY.get(rule, "phrase list")
                removed.append(Removed(lines[i][0], lines[i][1].strip(), rule, 1.0, why))
        lines = _without(lines, marks)
        kinds = None
    removed.sort()
    out = "\n".join(line for _, line in lines)
    return Cleaned(out + "\n" if trailing_newline and out else out, removed)


class _Context:
    """Rules for one language, and what was computed on each line text (the passes see lines again)."""

    def __init__(self, lang, rules):  # noqa: D107
        self.lang = lang
        self.rules = rules
        self.stopwords = rules.stopwords_for(lang)
        self._folded = {}
        self._rule = {}
        self._words = {}
        self._stems = {}
        self.scores = {}  # (line, scorer.Place) -> Score or None
        self._scorable = {}

    def fold(self, line):
        folded = self._folded.get(line)
        if folded is None:
            folded = self._folded[line] = fold(line)
        return folded

    def line_rule(self, line):
        if line not in self._rule:
            if _folds_longer(line, self.rules.max_line_chars):  # never a rule's, and maybe never folded
                self._rule[line] = None
            else:
                self._rule[line] = self.rules.line_rule(self.fold(line), self.lang)
        return self._rule[line]

    def scorable(self, line):
        """The folded line when the scorer may look at it, else None (long, protected, empty)."""
        if line in self._scorable:
            return self._scorable[line]
        rules = self.rules
        folded = None
        # A line of many more spaces than max_words words is prose: told without folding it (only
        # a line made mostly of punctuation could be mistaken, and such a line is kept).
        if line.count(" ") <= 3 * rules.scorer.max_words and not _folds_longer(line, rules.max_line_chars):
            folded = self.fold(line)
            if not folded or len(folded) > rules.max_line_chars or rules.protects(line):
                folded = None
        self._scorable[line] = folded
        return folded

    def stems(self, line):
        """Word stems of a line, stop words left out: what title similarity compares."""
        stems = self._stems.get(line)
        if stems is None:
            stopwords = self.stopwords
            stems = self._stems[line] = frozenset(
                word[:_STEM] for word in self.words(line) if len(word) > 1 and word not in stopwords)
        return stems

    def words(self, line):
        """The words of the folded line (a list the caller must not change: it is kept)."""
        words = self._words.get(line)
        if words is None:
            words = self._words[line] = _WORD.findall(self.fold(line))
        return words


def _boilerplate(lines, kinds, ctx):
    marks = {}
    for index, ((_, line), kind) in enumerate(zip(lines, kinds)):
        if kind not in _RULE_KINDS:
            continue
        rule = ctx.line_rule(line)
        if rule and not ctx.rules.protects(line) and (kind != HTML or _balanced(line)):
            marks[index] = rule
    return marks


def _recurring(lines, kinds, ctx, recurring):
    if not recurring:
        return {}
    marks = {}
    for index, ((_, line), kind) in enumerate(zip(lines, kinds)):
        if kind in (TEXT, HTML) and line_key(line) in recurring and not ctx.rules.protects(line) \
                and (kind != HTML or _balanced(line)):
            marks[index] = RECURRING_RULE
    return marks


def _is_paragraph(line, kind, ctx):
    if kind not in (TEXT, QUOTE, HTML):
        return False
    words = len(ctx.words(line))
    if words >= _LONG_LINE_WORDS:
        return True
    return words >= _PARAGRAPH_WORDS and bool(_SENTENCE_END.search(line.rstrip()))


class _Zones:
    """_zones of one pass, computed when first asked for."""

    __slots__ = ("_args", "_zones")

    def __init__(self, lines, kinds, ctx):
        self._args = (lines, kinds, ctx)
        self._zones = None

    def get(self):
        if self._zones is None:
            self._zones = _zones(*self._args)
        return self._zones


def _zones(lines, kinds, ctx):
    """(head, tail): indexes of the non-empty lines before the first and after the last real paragraph."""
    count = len(lines)
    first = next((i for i in range(count) if _is_paragraph(lines[i][1], kinds[i], ctx)), None)
    if first is None:
        return [i for i in range(count) if kinds[i] != BLANK][: ctx.rules.head_lines], []
    last = next(i for i in reversed(range(count)) if _is_paragraph(lines[i][1], kinds[i], ctx))
    head = [i for i in range(first) if kinds[i] != BLANK][: ctx.rules.head_lines]
    tail = [i for i in range(last + 1, count) if kinds[i] != BLANK]
    return head, tail


def similarity(a: frozenset, b: frozenset) -> float:
    """Dice coefficient of two sets of word stems."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


class _Headline:
    """What the front matter already says: a line at the top that says it again is a repeat."""

    def __init__(self, title, summary):
        self.title = title
        self.said = title | summary

    def repeated_by(self, stems, rules):
        if similarity(stems, self.title) >= rules.title_threshold:
            return True
        # A reworded headline ("X keeps his word: Y opens Z") mostly reuses words of title and summary.
        shared = len(stems & self.said)
        return shared >= rules.said_min_words and shared / len(stems) >= rules.said_share


def _title_repeats(lines, kinds, headline, ctx, zones):
    if not headline.title:
        return {}
    head, _ = zones.get()
    rules = ctx.rules
    marks = {}
    for index in head:
        line = lines[index][1]
        # A headline variant never ends like a sentence; a short first sentence is content.
        if kinds[index] not in (TEXT, HTML) or rules.protects(line) or _SENTENCE_END.search(line.rstrip()):
            continue
        if kinds[index] == HTML and not _balanced(line):
            continue
        stems = ctx.stems(line)
        if stems and headline.repeated_by(stems, rules):
            marks[index] = TITLE_RULE
    return marks


def _stray_words(lines, kinds, ctx, zones):
    head, tail = zones.get()
    rules = ctx.rules
    heading_words = rules.heading_words_for(ctx.lang)
    marks = {}
    for index in head + tail:
        line = lines[index][1].strip()
        if kinds[index] != TEXT or rules.protects(line) or not _STRAY.match(line):
            continue
        words = ctx.fold(line).split()
        # "_ _" has the shape of a stray word but no word: it is markup, and kept
        if not words or len(words) > rules.stray_max_words or words[0] in ctx.stopwords:
            continue
        if " ".join(words) in heading_words:
            continue
        if not _alone(kinds, index) or _introduces(lines, kinds, index, ctx):
            continue
        marks[index] = STRAY_RULE
    return marks


_SCORED_KINDS = frozenset({TEXT, LIST, HTML})


def _scored(lines, kinds, ctx, zones):
    """{index: Score} of the lines the scorer removes (see scorer.py).

    Where a line sits is decided the way jusText revises a block by its neighbours: every line is
    scored as if it were inside the article first; those that score below the context floor (and
    headings, tables, code, quotations, long lines) anchor the article. Lines above the first anchor
    and below the last one are scored again with the edge signal: junk clusters there."""
    rules = ctx.rules
    config = rules.scorer
    if not config.enabled:
        return {}
    candidates = {}  # index -> (line, folded, Place inside the article)
    inside = {}
    anchors = []
    for index, ((_, line), kind) in enumerate(zip(lines, kinds)):
        if kind == BLANK:
            continue
        score = None
        folded = ctx.scorable(line) if kind in _SCORED_KINDS else None
        if folded is not None:
            if kind != HTML or _balanced(line):
                followed = _followed(kinds, index)
                place = scorer.Place(at_edge=False, list_item=kind == LIST,
                                     introduces=line.rstrip().endswith(":") and followed,
                                     last=not followed)
                score = _score(line, folded, ctx, place)
                if score is not None:
                    candidates[index] = (line, folded, place)
                    inside[index] = score
        # What anchors the article: a line the scorer does not take (long, a heading, a table...),
        # or a sentence or a line of some length that scores low. A short fragment that scores low
        # ("More on this topic:") is neither: it must not shield the junk around it.
        if score is None or (score.total < config.context_floor
                             and (scorer.PROSE_END.search(line) or len(ctx.words(line)) >= 8)):
            anchors.append(index)
    out = {}
    first, last = (anchors[0], anchors[-1]) if anchors else (None, None)
    for index, score in inside.items():
        if first is not None and (index < first or index > last):
            line, folded, place = candidates[index]
            score = _score(line, folded, ctx, place._replace(at_edge=True))
        if score.total >= config.threshold:
            out[index] = score
    return out


def _score(line, folded, ctx, place):
    """The line's score at this place, computed once per cleaning (passes repeat until stable)."""
    key = (line, place)
    if key in ctx.scores:
        return ctx.scores[key]
    rules = ctx.rules
    words = ctx.words(line)
    score = None
    if len(words) <= rules.scorer.max_words:
        score = scorer.score_line(line, folded, words, place, config=rules.scorer,
                                  stopwords=ctx.stopwords, lang=ctx.lang,
                                  phrase_prefix=lambda: rules.starts_with_rule(folded, ctx.lang))
    ctx.scores[key] = score
    return score


def _followed(kinds, index):
    return any(kind != BLANK for kind in kinds[index + 1:])


def _alone(kinds, index):
    before = kinds[index - 1] if index else BLANK
    after = kinds[index + 1] if index + 1 < len(kinds) else BLANK
    return before == BLANK and after == BLANK


def _introduces(lines, kinds, index, ctx):
    """A short line followed by a list, a table, code, or a paragraph that takes up one of its words."""
    following = next((i for i in range(index + 1, len(lines)) if kinds[i] != BLANK), None)
    if following is None:
        return False
    if kinds[following] in (LIST, TABLE, CODE):
        return True
    if kinds[following] not in (TEXT, QUOTE, HTML):
        return False
    return bool(ctx.stems(lines[index][1]) & ctx.stems(lines[following][1]))


def _without(lines, marks):
    """`lines` without the marked ones; a gap left by removals keeps at most one blank line."""
    out = []
    gap = []  # blank or removed lines waiting to be written
    gap_has_removal = False
    for index, item in enumerate(lines):
        is_removed = index in marks
        if is_removed or not item[1].strip():
            gap.append(None if is_removed else item)
            gap_has_removal |= is_removed
            continue
        out.extend(_close_gap(gap, gap_has_removal, at_start=not out))
        gap, gap_has_removal = [], False
        out.append(item)
    out.extend(_close_gap(gap, gap_has_removal, at_start=not out, at_end=True))
    return out


def _close_gap(gap, has_removal, at_start=False, at_end=False):
    if not has_removal:
        return gap
    blanks = [item for item in gap if item is not None]
    if not blanks or at_start or at_end:
        return []
    return [(blanks[0][0], "")]
