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

from .markup import BLOCK_TAGS, iter_text_nodes

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
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)

_ELLIPSIS = re.compile(r"\.\.\.")
# What comes before an opening quote: nothing, a space, an opening bracket or a dash.
_OPENING_CONTEXT = set(" \t\n\r\u00a0\u202f([{«“‘—–-/") | {""}
_QUOTES = {"fr": ("«", "»", "‘", "’"), "en": ("“", "”", "‘", "’")}
_DOUBLE = re.compile('"')
_SINGLE = re.compile("'")
_DECADE = re.compile(r"(?<![\w'])'(?=\d\d(?:s|\b))")

# French spacing. "Word" is a letter, digit or something that closes (» ) ] ” ’ % …).
_WORD_END = r"[\w»)\]”’%…]"
_AFTER_HIGH = r"(?=[;!?]*(?:[\s»”\"')\].,…]|$))"
_FR_RULES = [
    # (characters without which the rule cannot match, pattern, replacement): most text runs hold
    # none of « » ; ! ? :, and testing for a character is far cheaper than running a pattern.
    # « x » : no-break space inside the guillemets, replacing any space there.
    ("«", re.compile("«[ \t\u00a0\u202f]*(?=[^ \t\r\n\u00a0\u202f])"), "«" + NBSP),
    ("»", re.compile("(?<=[^ \t\r\n\u00a0\u202f])[ \t\u00a0\u202f]*»"), NBSP + "»"),
    # ; ! ? : narrow no-break space before the first mark of a run ("Quoi ?!").
    (";!?", re.compile(r"(?<=\S)[ \t\u00a0\u202f]+(?=[;!?])" + _AFTER_HIGH), NNBSP),
    (";!?", re.compile(r"(?<=" + _WORD_END + r")(?=[;!?]+(?:[\s»”\"')\].,…]|$))"), NNBSP),
    # : no-break space, only when a space or the end follows (not 10:30, not https://).
    (":", re.compile(r"(?<=\S)[ \t\u00a0\u202f]+(?=:(?:[\s»”]|$))"), NBSP),
    (":", re.compile(r"(?<=" + _WORD_END + r")(?=:(?:[\s»”]|$))"), NBSP),
]


def _convert_quotes(text, lang):
    marks = _QUOTES.get(lang)
    if not marks:
        return text
    open_double, close_double, open_single, close_single = marks
    text = _DECADE.sub(close_single, text)

    def replace(match, opening, closing):
        start = match.start()
        before = match.string[start - 1] if start else ""
        return opening if before in _OPENING_CONTEXT else closing

    if '"' in text:
        text = _DOUBLE.sub(lambda m: replace(m, open_double, close_double), text)
    if "'" in text:
        text = _SINGLE.sub(lambda m: replace(m, open_single, close_single), text)
    return text


def _typeset_prose(text, lang):
    """Language rules on prose without URLs or code. Spaces are already collapsed."""
    if "..." in text:
        text = _ELLIPSIS.sub("…", text)
    text = _convert_quotes(text, lang)
    if lang == "fr":
        for chars, pattern, replacement in _FR_RULES:
            if any(c in text for c in chars):
                text = pattern.sub(replacement, text)
    return text


def _typeset_run(text, lang, before):
    """Typeset `text`, knowing the character that precedes it ("" at the start of a block)."""
    # The preceding character decides opening/closing quotes and spacing; it is typeset with the run and
    # cut off after. Spaces and opening marks behave like the start of a block.
    context = "" if before in _OPENING_CONTEXT else "x"
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


def typeset_html(markup: str, lang: str) -> str:
    """HTML with its text nodes typeset for `lang`; tags, attributes, code and scripts untouched."""
    if not markup:
        return markup
    out = []
    before = ""  # last character of the text typeset so far in the current block
    opened = False  # that text ends with « and its no-break space: the next text starts with no space
    for kind, chunk, tag in iter_text_nodes(markup):
        if kind == "text":
            text = html.unescape(chunk)
            text = strip_invisible(text)
            text = _SPACE_RUN.sub(_one_space, text)
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
