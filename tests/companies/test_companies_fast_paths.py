"""The shortcuts that make detection cheap answer exactly as the plain way they replace.

Each fast path (candidates jumping from capital to capital, the detector reading a lowercase copy,
plain_text skipping patterns, the equivalent regexes) is checked against the slow reading it stands
for, on tricky random texts: Unicode case oddities, marks that may or may not glue words, Markdown.
"""

import bisect
import collections
import html
import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from companies import candidates, text as text_module
from companies.detector import WORD_RE, MAX_WORD_CHARS, _TextContext
from companies.text import SENTENCE_END_RE, plain_text

WORDS = ["OpenAI", "OpenAI's", "d'Anthropic", "l’IA", "Claude", "Claude 3.5", "Mistral AI", "Mistral 7B",
         "GPT-4o", "Google DeepMind", "Apple", "apple", "Meta-Llama", "U.S.", "AT&T", "x.AI", "xAI", "iPhone",
         "Stability AI", "AI Act", "The", "Le", "la", "Selon", "According", "A", "I", "mot", "word", "année",
         "Jean-Claude", "Monet", "ǅungla", "Ⅻ", "x²B", "İstanbul", "ſoft", "\u212aelvin", "ẞig", "ΣΑΜ", "東京",
         "Ａpple", "_Meta", "Meta_", "4.Meta", "1B", "R1", "Llama-3-70B", "x-AI", "&Co", "São Paulo",
         "Hugging Face", "NEW YORK TIMES", "Chat GPT", "DALL·E", "**Meta**", "`code`", "~~x~~", "__init__",
         "[OpenAI](https://openai.com)", "![Meta](m.png)", "[Google][g]", "[g]: https://g.co", "<b>Bing</b>",
         "<!-- c -->", "```", "~~~", "http://x.com/Meta", "www.Google.com", "<https://a.b>", "&amp;", "&#10;"]
SEPARATORS = [" ", " ", " ", "\u00a0", "\n", "\n\n", "  ", "\t", "", "-", ".", ". ", "! ", "? ", "… ", ".) ",
              ".\u201d ", "\r\n", "\u2028", "&", "_", "2", "'", ", ", "# ", "- ", "> ", "1. ", "|"]
texts = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS).map(str.upper),
                           st.sampled_from(WORDS).map(str.lower), st.sampled_from(SEPARATORS),
                           st.characters(), st.text(max_size=3)), max_size=60).map("".join)

ORIGINAL_SENTENCE_END_RE = re.compile(r"[.!?\u2026]+[\"'\u00bb\u201d\u2019)\]]*(?=\s)|\n")


def names_by_sentence(text):
    """candidates._names the plain way: every sentence read word by word."""
    names, start = [], 0
    for end in [m.end() for m in ORIGINAL_SENTENCE_END_RE.finditer(text)] + [len(text)]:
        names.extend(candidates._sentence_names(text[start:end]))
        start = end
    return names


@settings(max_examples=400, deadline=None)
@given(texts)
def test_names_jump_from_capital_to_capital_as_sentences_read_word_by_word(text):
    assert candidates._names(text) == names_by_sentence(text)


def test_every_capital_may_start_a_capitalised_word():
    starter = re.compile(r"[^\W\d_]")
    capitals = [c for c in map(chr, range(0x110000)) if c.isupper() and starter.match(c)]
    assert len(capitals) > 1000
    assert [c for c in capitals if not candidates.CAPITAL_RE.match(c)] == []


def test_names_on_the_cases_that_take_the_slow_way():
    for text in ["Mistral 7B et Llama-3-70B. U.S. Steel, x.AI et AT&T.", "Le Monde Selon Google Apple Meta.",
                 "Les Grandes Entreprises Américaines Investissent Massivement.", "OpenAI\u00a0Foundation. "
                 "ǅungla Ⅻ Ａpple 東京 Meta", "iPhone\nMeta\n\nGoogle DeepMind"]:
        assert candidates._names(text) == names_by_sentence(text)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_sentence_ends_are_those_of_the_plain_pattern(text):
    assert [m.span() for m in SENTENCE_END_RE.finditer(text)] == \
        [m.span() for m in ORIGINAL_SENTENCE_END_RE.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(texts)
def test_the_lowercase_reading_finds_what_the_case_insensitive_one_finds(detector, text):
    fast = detector.detect(text).to_dict()
    slow_reader = _CaseInsensitiveOnly(detector)
    assert slow_reader.detect(text).to_dict() == fast


class _CaseInsensitiveOnly:
    """The detector with its lowercase shortcut turned off."""

    def __init__(self, detector):
        self.detector = detector

    def detect(self, text):
        lowercase = self.detector._lowercase
        self.detector._lowercase = lambda text: None
        try:
            return self.detector.detect(text)
        finally:
            del self.detector._lowercase
            assert self.detector._lowercase == lowercase


def test_a_text_with_exotic_case_foldings_is_read_case_insensitively(detector):
    for text in ["Claude ſonnet", "İnflection", "\u212aite", "Mistral 🚀 Apple", "Claude Monet ı"]:
        assert detector._lowercase(text) is None
    assert detector._lowercase("Selon l’IA d’OpenAI… « Claude » — 3 €") is not None


def window_forwards(context, start, end):
    """_TextContext.window as first written: the words before read forwards, the last ones kept."""
    bounds = [m.end() for m in ORIGINAL_SENTENCE_END_RE.finditer(context.text)]
    at = bisect.bisect_right(bounds, start)
    first = bounds[at - 1] if at else 0
    last = bounds[at] if at < len(bounds) else len(context.text)
    while last <= end and at + 1 < len(bounds):
        at += 1
        last = bounds[at]
    size = context.detector.window
    reach = MAX_WORD_CHARS * size
    before = collections.deque(
        (m.start() for m in WORD_RE.finditer(context.text, max(first, start - reach), start)), maxlen=size)
    after = [m.end() for m in itertools.islice(
        WORD_RE.finditer(context.text, end, min(max(last, end), end + reach)), size)]
    return (before[0] if before else start), (after[-1] if after else end)


@settings(max_examples=300, deadline=None)
@given(texts, st.data())
def test_the_window_read_backwards_is_the_window_read_forwards(detector, text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    context = _TextContext(text, detector)
    assert context.window(start, end) == window_forwards(_TextContext(text, detector), start, end)


# plain_text as first written: every pattern on every text, emphasis and entities paragraph by paragraph.
_URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>()\[\]]+")
_EMPHASIS_RE = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)|`+|~~")


def plain_text_reference(title, body):
    t = text_module
    text = t._FENCE_RE.sub("", body or "")
    text = t._COMMENT_RE.sub(" ", text)
    text = t._REF_DEF_RE.sub("", text)
    text = t._IMAGE_RE.sub(r"\1", text)
    text = t._LINK_RE.sub(r"\1", text)
    text = t._REF_LINK_RE.sub(r"\1", text)
    text = t._AUTOLINK_RE.sub(" ", text)
    text = t._INLINE_TAG_RE.sub("", text)
    text = t._TAG_RE.sub(" ", text)
    text = _URL_RE.sub(" ", text)
    paragraphs, current = [], []
    for line in text.splitlines():
        if not line.strip():
            paragraphs.append(current)
            current = []
            continue
        block = t._BLOCK_START_RE.match(line)
        if block:
            paragraphs.append(current)
            current = []
            line = line[block.end():].replace("|", " ")
        current.append(line.strip())
    paragraphs.append(current)
    lines = [" ".join(html.unescape(_EMPHASIS_RE.sub("", " ".join(p))).split()) for p in paragraphs]
    return "\n".join(line for line in [" ".join((title or "").split())] + lines if line)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.none(), texts), st.one_of(st.none(), texts))
def test_plain_text_skips_only_patterns_that_cannot_match(title, body):
    assert plain_text(title, body) == plain_text_reference(title, body)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_the_rewritten_url_and_emphasis_patterns_match_the_plain_ones(text):
    assert text_module._URL_RE.sub("|", text) == _URL_RE.sub("|", text)
    assert text_module._EMPHASIS_RE.sub("|", text) == _EMPHASIS_RE.sub("|", text)
