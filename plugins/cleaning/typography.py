"""Typography by language, on plain strings and on the text nodes of HTML.

French: narrow no-break space (U+202F) before ; ! ?, no-break space (U+00A0) before : and inside « »,
straight double quotes become « » (we chose to convert them: pasted French copy often uses "..."),
apostrophes ’. English: curly quotes “ ” ‘ ’ and apostrophes. Both: "..." -> "…", Unicode NFC,
zero-width characters and soft hyphens removed, runs of spaces collapsed. Never inside code, URLs or
attributes.
Every function here is idempotent: applying it to its own output changes nothing.
"""

from __future__ import annotations

import html
import re
import unicodedata

from .markup import BLOCK_TAGS, iter_split_nodes, split_texts, split_tokens

NBSP = "\u00a0"
NNBSP = "\u202f"

# U+200D (zero-width joiner) glues emoji sequences (👩‍💻); it is kept between two symbols only.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_EMOJI_CATEGORIES = {"So", "Sk"}


def strip_invisible(text: str) -> str:
    """NFC, without zero-width characters and soft hyphens."""
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub(_keep_emoji_joiner, text)
    return unicodedata.normalize("NFC", text)


def _keep_emoji_joiner(match):
    if match.group() != "\u200d":
        return ""
    text, start, end = match.string, match.start(), match.end()
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if before == "\ufe0f" or (before and unicodedata.category(before) in _EMOJI_CATEGORIES):
        if after and unicodedata.category(after) == "So":
            return "\u200d"
    return ""


# Runs of spaces: one space, or the no-break space that was in the run.
_SPACE_RUN = re.compile(r"[ \t\u00a0\u202f]{2,}|\t")
_ALL_SPACE_RUN = re.compile(r"[ \t\r\n\f\v\u00a0\u202f]{2,}|[\t\r\n\f\v]")


def _collapse_spaces(text):
    """Runs of spaces and tabs as one; without two spaces, a tab or a no-break space, nothing to do."""
    if "  " in text or "\t" in text or NBSP in text or NNBSP in text:
        return _SPACE_RUN.sub(_one_space, text)
    return text


def _one_space(match):
    run = match.group()
    if NBSP in run:
        return NBSP
    if NNBSP in run:
        return NNBSP
    return " "


# Never typeset: URLs, e-mail addresses, `code` in a plain string.
_PROTECTED = re.compile(
    r"`[^`\n]*`"
    r"|\b(?:https?|ftp)://[^\s<>\"«»“”]*[^\s<>\"«»“”.,;:!?)\]’']"
    r"|\b(?:mailto|tel):[^\s<>\"«»“”]*[^\s<>\"«»“”.,;:!?)\]’']"
    r"|\bwww\.[^\s<>\"«»“”]*[^\s<>\"«»“”.,;:!?)\]’']"
    # An address starts where a run of its characters starts: tried from inside a run, the run
    # was scanned again to its end for an @ at every position (quadratic on "@a.a.a.a...").
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)


def _may_be_protected(text):
    """False when _PROTECTED cannot match: a cheap test before the costly search (`in` runs at C speed)."""
    return ("`" in text or "@" in text or "://" in text or "www." in text or "mailto:" in text
            or "tel:" in text)


_ELLIPSIS = re.compile(r"\.\.\.")
# What comes before an opening quote: nothing, a space, an opening bracket or a dash.
_OPENING_CONTEXT = set(" \t\n\r\u00a0\u202f([{«“‘—–-/") | {""}
_QUOTES = {"fr": ("«", "»", "‘", "’"), "en": ("“", "”", "‘", "’")}
# Patterns that start with the character they are about (here ') let the regex engine skip to that
# character; a pattern that starts with a lookbehind is tried at every position. So the lookbehinds
# come after the character, and look back over it: (?<![\w']') there is (?<![\w']) before the quote.
_DECADE = re.compile(r"'(?<![\w']')(?=\d\d(?:s|\b))")

# French spacing. "Word" is a letter, digit or something that closes (» ) ] ” ’ % …).
_WORD_END = r"[\w»)\]”’%…]"
_AFTER_HIGH = r"(?=[;!?]*(?:[\s»”\"')\].,…]|$))"
_SPACE = "[ \t\u00a0\u202f]"
_FR_RULES = [
    # (a test, pattern, replacement): the rule runs only when the test finds something, and the test
    # finds what the pattern needs to match (most text runs hold none of « » ; ! ? :). The tests start
    # with their mark, so they are far cheaper than the patterns, which start with a lookbehind.
    # « x » : no-break space inside the guillemets, replacing any space there.
    (re.compile("«").search, re.compile("«[ \t\u00a0\u202f]*(?=[^ \t\r\n\u00a0\u202f])"), "«" + NBSP),
    (re.compile("»").search, re.compile("(?<=[^ \t\r\n\u00a0\u202f])[ \t\u00a0\u202f]*»"), NBSP + "»"),
    # ; ! ? : narrow no-break space before the first mark of a run ("Quoi ?!").
    (re.compile("[;!?](?<=" + _SPACE + "[;!?])").search,
     re.compile(r"(?<=\S)[ \t\u00a0\u202f]+(?=[;!?])" + _AFTER_HIGH), NNBSP),
    (re.compile("[;!?](?<=" + _WORD_END + "[;!?])").search,
     re.compile(r"(?<=" + _WORD_END + r")(?=[;!?]+(?:[\s»”\"')\].,…]|$))"), NNBSP),
    # : no-break space, only when a space or the end follows (not 10:30, not https://).
    (re.compile(":(?<=" + _SPACE + r":)(?=[\s»”]|$)").search,
     re.compile(r"(?<=\S)[ \t\u00a0\u202f]+(?=:(?:[\s»”]|$))"), NBSP),
    (re.compile(":(?<=" + _WORD_END + r":)(?=[\s»”]|$)").search,
     re.compile(r"(?<=" + _WORD_END + r")(?=:(?:[\s»”]|$))"), NBSP),
]
_FR_MARK = re.compile("[«»;!?:]")


# An opening quote: at the start, or after a character of _OPENING_CONTEXT. The lookbehind sees the
# string as it was before the substitution, as the test on match.string did, so the result is the same.
_CONTEXT_CLASS = "".join(re.escape(c) for c in sorted(_OPENING_CONTEXT - {""}))
_OPENING_DOUBLE = re.compile('"(?<![^' + _CONTEXT_CLASS + ']")')
_OPENING_SINGLE = re.compile("'(?<![^" + _CONTEXT_CLASS + "]')")


def _convert_quotes(text, lang):
    marks = _QUOTES.get(lang)
    if not marks:
        return text
    open_double, close_double, open_single, close_single = marks
    if "'" in text:
        text = _DECADE.sub(close_single, text)
    if '"' in text:
        text = _OPENING_DOUBLE.sub(open_double, text).replace('"', close_double)
    if "'" in text:
        text = _OPENING_SINGLE.sub(open_single, text).replace("'", close_single)
    return text


def _typeset_prose(text, lang):
    """Language rules on prose without URLs or code. Spaces are already collapsed."""
    if "..." in text:
        text = _ELLIPSIS.sub("…", text)
    text = _convert_quotes(text, lang)
    if lang == "fr" and _FR_MARK.search(text):
        for needed, pattern, replacement in _FR_RULES:
            if needed(text):
                text = pattern.sub(replacement, text)
    return text


def _typeset_run(text, lang, before):
    """Typeset `text`, knowing the character that precedes it ("" at the start of a block)."""
    # The preceding character decides opening/closing quotes and spacing; it is typeset with the run and
    # cut off after. Spaces and opening marks behave like the start of a block.
    context = "" if before in _OPENING_CONTEXT else "x"
    if not _may_be_protected(text):  # most runs: no URL, e-mail or code, one piece
        return _typeset_prose(context + text, lang)[len(context) :]
    out = []
    position = 0
    for match in _PROTECTED.finditer(text):
        if match.start() > position:
            piece = _typeset_prose(context + text[position : match.start()], lang)
            out.append(piece[len(context) :])
        out.append(match.group())
        context = "x"
        position = match.end()
    if position < len(text):
        piece = _typeset_prose(context + text[position:], lang)
        out.append(piece[len(context) :])
    return "".join(out)


def typeset_text(text: str, lang: str) -> str:
    """A plain string (title, summary): normalised, one line, typeset for `lang`."""
    if not text:
        return text
    text = strip_invisible(text)
    text = _ALL_SPACE_RUN.sub(_one_space, text).strip(" \t\r\n")
    return _typeset_run(text, lang, "")


# A « that ends a text node: what it opens is in the next node ("«<em>omni</em>»").
_OPEN_AT_END = re.compile("«[ \t\r\n\u00a0\u202f]*$")
_LEADING_SPACE = re.compile("^[ \t\r\n\u00a0\u202f]+")


# A text node in NFC holding none of these comes out of typeset_html as it went in: no entity to read or
# write back (& < >), nothing to strip or collapse (a no-break space counts, to keep the test simple), no
# ellipsis and no mark a language rule reacts to (keep in step with _QUOTES and _FR_RULES; the tests
# compare with the full treatment). Searching for them costs far less than the work they would trigger.
_UNTOUCHED_COMMON = "&<>\t\u200b\u200c\u200d\u2060\ufeff\u00ad" + NBSP + NNBSP
_LANGUAGE_MARKS = {"fr": "\"'«»;!?:", "en": "\"'"}


def _untouched_test(lang):
    marks = re.compile("[" + re.escape(_UNTOUCHED_COMMON + _LANGUAGE_MARKS.get(lang, "")) + "]").search

    def untouched(text):
        """True when typesetting `text` as a text node can only give it back unchanged."""
        return (marks(text) is None and "  " not in text and "..." not in text
                and (text.isascii() or unicodedata.is_normalized("NFC", text)))

    return untouched


_UNTOUCHED = {lang: _untouched_test(lang) for lang in _LANGUAGE_MARKS}
_UNTOUCHED_OTHER = _untouched_test("")


def typeset_html(markup: str, lang: str) -> str:
    """HTML with its text nodes typeset for `lang`; tags, attributes, code and scripts untouched."""
    if not markup:
        return markup
    untouched = _UNTOUCHED.get(lang, _UNTOUCHED_OTHER)
    parts = split_tokens(markup)
    # Most posts: no text node needs anything, and then the markup is the answer. One test on all the
    # text nodes at once (and the text inside code, which can only make it fail): a NUL between nodes
    # keeps them apart for NFC and can't form "  " or "..." with them, so each node passes if all do.
    if untouched("\0".join(split_texts(parts))):
        return markup
    return _typeset_nodes(parts, lang, untouched)


def _typeset_nodes(parts, lang, untouched):
    """typeset_html node by node, on split_tokens' parts; text nodes `untouched` accepts stay as they are."""
    out = []
    before = ""  # last character of the text typeset so far in the current block
    opened = False  # that text ends with « and its no-break space: the next text starts with no space
    for kind, chunk, tag in iter_split_nodes(parts):
        if kind == "text":
            if not opened and untouched(chunk):
                out.append(chunk)  # what the full treatment below would give back
                before = chunk[-1]
                continue
            text = html.unescape(chunk)
            text = strip_invisible(text)
            text = _collapse_spaces(text)
            text = _typeset_run(text, lang, before)
            if opened:
                text = _LEADING_SPACE.sub("", text)
            if lang == "fr" and _OPEN_AT_END.search(text):
                text = _OPEN_AT_END.sub("«" + NBSP, text)
                opened = True
            elif text:
                opened = False
            if text:
                before = text[-1]
            out.append(html.escape(text, quote=False))
            continue
        out.append(chunk)
        if tag in BLOCK_TAGS:
            before = ""
            opened = False
        elif kind == "skipped":
            before = "x"  # inline code or a script counts as a word for what follows
            opened = False
    return "".join(out)
