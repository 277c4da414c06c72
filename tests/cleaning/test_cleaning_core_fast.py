"""The shortcuts that make line cleaning cheap give what the plain formulations give (issue 11).

fold() skips the passes a line cannot need, and _classify() calls a line text without trying the
line patterns when its first character rules them all out: both are checked against the plain way.
"""

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cleaning_support import rules  # noqa: F401 (a fixture)

from cleaning import core
from cleaning import lines as line_kinds
from cleaning.core import clean_markdown
from cleaning.rules import fold

_FOLD_MAP = str.maketrans({
    "’": "'", "‘": "'", "ʼ": "'", "‚": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
})


def reference_fold(line):
    # A link's text holds no bracket and its address no parenthesis, a tag no "<": what keeps the
    # fold linear on a line of 200,000 "[" or "<" (a link text with brackets stays as written).
    text = re.sub(r"!?\[([^\[\]]*)\]\([^()]*\)", r"\1", line)
    text = re.sub(r"</?[A-Za-z][^<>]*>", " ", text)
    text = re.sub(r"[*_~`]+", "", text)
    if not text.isascii():
        text = re.sub("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]", "",
                      unicodedata.normalize("NFKD", text))
    text = text.casefold().translate(_FOLD_MAP)
    text = re.sub(r"(?<=\w)-(?=\w)", " ", text)
    return re.sub(r"\s+", " ", text).strip()


SPECIAL = ["’", "‘", "ʼ", "‚", "`", "´", "“", "”", "„", "‐", "‑", "‒", "–", "—", "―", "−", "-", "\u00a0",
           "\u202f", "\u2028", "\x1c", "\x85", "\t", "é", "e\u0301", "\u0344", "Œ", "ß", "ﬁ", "İ", "\u1fef",
           "*", "_", "~", "<b>", "</span>", "<", "[", "](", "](u)", "![", "«", "»"]
FAST = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


@FAST
@given(st.one_of(st.text(), st.lists(st.one_of(st.sampled_from(SPECIAL), st.text(max_size=5)),
                                     max_size=25).map("".join)))
def test_fold_is_the_reference_fold(line):
    assert fold(line) == reference_fold(line)


@pytest.mark.parametrize("char", SPECIAL)
def test_fold_of_each_special_character(char):
    for line in (char, f"a{char}b", f"A-{char}-B", f" {char}{char} ", f"Suivez{char}nous"):
        assert fold(line) == reference_fold(line)


LINE_PATTERNS = [line_kinds._FENCE, line_kinds._INDENTED, line_kinds._ATX_HEADING, line_kinds._HTML_HEADING,
                 line_kinds._SETEXT_UNDERLINE, line_kinds._TABLE, line_kinds._LIST_ITEM, line_kinds._QUOTE,
                 line_kinds._HTML_LINE]


def takes_the_text_shortcut(line):
    first = line[0]
    return not (first in line_kinds._MARKUP_STARTS or first.isspace() or first.isdigit())


@FAST
@given(st.characters(), st.text(max_size=8))
def test_a_line_taking_the_shortcut_matches_no_line_pattern(first, rest):
    line = first + rest
    if takes_the_text_shortcut(line):
        assert line.strip()
        assert not any(pattern.match(line) for pattern in LINE_PATTERNS)


@pytest.mark.parametrize("first", [" ", "\t", "\u00a0", "\u2003", "\x1f", "`", "~", "#", "<", "=", "-", "|",
                                   "*", "+", ">", "1", "\u0663", "\uff11"])
def test_markup_starts_do_not_take_the_shortcut(first):
    assert not takes_the_text_shortcut(first + " x")


LINES = st.sampled_from([
    "", "", "", "   ", "\t", "Texte simple.", "- item", "* item", "1. un", "2) deux", "# Titre",
    "## Sous-titre",
    "Titre", "=====", "-----", "> citation", "| a | b |", "    code()", "\tcode", "```", "```python", "~~~",
    "````", "<div>", "<h2>T</h2>", "</div>", "Partager sur Facebook", "Publicité", "Shazam", "Contexte",
    "Par Jean Dupont", "\u200bPublicité", "Share on X", "Read more", "\u00adA", "e\u0301te\u0301",
    "Un paragraphe qui est assez long pour compter comme une vraie phrase de contenu.",
])


@FAST
@given(lines=st.lists(LINES, max_size=25), lang=st.sampled_from(["fr", "en"]),
       title=st.sampled_from(["", "Titre", "Shazam"]))
def test_classify_as_line_by_line_and_clean_as_with_it(lines, lang, title, rules):  # noqa: F811
    assert core._classify(lines) == reference_classify(lines)
    text = "\n".join(lines)
    cleaned = clean_markdown(text, lang=lang, title=title, rules=rules)
    fast = core._classify
    core._classify = reference_classify  # every pass classifies its lines afresh, the plain way
    try:
        expected = clean_markdown(text, lang=lang, title=title, rules=rules)
    finally:
        core._classify = fast
    assert (cleaned.text, cleaned.removed) == (expected.text, expected.removed)


def reference_classify(lines):
    """_classify trying every line pattern on every line."""
    kinds = []
    fence = None
    previous_blank = True
    for index, line in enumerate(lines):
        opening = line_kinds._FENCE.match(line)
        if fence is not None:
            kinds.append(core.CODE)
            if opening and line_kinds._closes(opening.group(1), fence, line):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            kinds.append(core.CODE)
            continue
        if not line.strip():
            kind = core.BLANK
        elif line_kinds._INDENTED.match(line) and (previous_blank or kinds[-1] == core.CODE):
            kind = core.CODE
        elif line_kinds._ATX_HEADING.match(line) or line_kinds._HTML_HEADING.match(line):
            kind = core.HEADING
        elif line_kinds._SETEXT_UNDERLINE.match(line) and index and kinds[-1] in (core.TEXT, core.HEADING):
            kind = core.HEADING
            kinds[-1] = core.HEADING
        elif line_kinds._TABLE.match(line):
            kind = core.TABLE
        elif line_kinds._LIST_ITEM.match(line):
            kind = core.LIST
        elif line_kinds._QUOTE.match(line):
            kind = core.QUOTE
        elif line_kinds._HTML_LINE.match(line):
            kind = core.HTML
        else:
            kind = core.TEXT
        kinds.append(kind)
        previous_blank = kind == core.BLANK
    return kinds


SPACES = ["a-b", "x - y", "\u0301", "    ", " \t\r\x0b\x0c", "\x1c\x1d\x1e\x1f", "\u0344"]


@FAST
@given(st.one_of(st.text(max_size=30),
                 st.lists(st.one_of(st.sampled_from(SPECIAL + SPACES), st.text(max_size=5)),
                          max_size=12).map("".join)),
       st.integers(min_value=0, max_value=12))
@example("a \t\x0b\x0c\r\x1c\x1d\x1e\x1f b", 3)
@example("\u0344\u0344\u0344\u0344 ab", 3)
def test_a_line_said_to_fold_longer_does(line, limit):
    if core._folds_longer(line, limit):
        assert len(fold(line)) > limit


def test_long_paragraphs_are_told_without_folding(rules):  # noqa: F811
    paragraph = "Une phrase d’exemple, assez longue pour n’être celle d’aucune règle. " * 8
    ctx = core._Context("fr", rules)
    assert core._folds_longer(paragraph, rules.max_line_chars)
    assert ctx.line_rule(paragraph) is None and paragraph not in ctx._folded
    assert not core._folds_longer("[" + paragraph + "](https://example.com)", rules.max_line_chars)
