"""Text as the topic matcher sees it: Markdown reduced to prose, then one normal form for text and terms.

Terms and text go through the same `normalise`, so an editor writes a term the way it reads
("règlement sur l'IA", "open-source") and it matches every spelling of it.
"""

import html
import re
import unicodedata

# Combining marks left by NFKD: accents, cedillas, diaereses.
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Ligatures NFKD keeps as one letter; French writes "œuvre" and "oeuvre" alike.
_LIGATURES = (("œ", "oe"), ("æ", "ae"), ("\u00ad", ""))
# Typographic apostrophes and quotes used as apostrophes ("l’IA", "l‘IA", "lʼIA"); "`" is the ASCII one.
_APOSTROPHES = "\u2019\u2018\u02bc\u2032\u00b4"
# Hyphens, dashes and any run of spaces are one separator: "open-source" == "open source".
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


def normalise(text):
    """Casefolded, accent-free, apostrophes and separators unified: the form both terms and text take."""
    # NFKD on both sides of casefold: "𝑨" only becomes "A" after NFKD, and casefolding can compose.
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    # Each step below replaces single characters by text holding none of them, so a step whose
    # characters are absent is skipped (`in` is a C scan; a regex or translate pass is not): the
    # cost is that of the text, not of a table lookup per character. ASCII text has none of them
    # but the ASCII apostrophe and hyphen.
    if not text.isascii():
        text = _MARKS.sub("", text)
        for char, replacement in _LIGATURES:
            if char in text:
                text = text.replace(char, replacement)
        for char in _APOSTROPHES:
            if char in text:
                text = text.replace(char, "'")
        for char in _DASHES:
            if char in text:
                text = text.replace(char, " ")
    if "`" in text:
        text = text.replace("`", "'")
    if "-" in text:
        text = text.replace("-", " ")
    # A run of separators is one space, none at either end: str.split() and the regex \s agree on
    # what a space is (Unicode White_Space, Py_UNICODE_ISSPACE).
    return " ".join(text.split())


# Markdown syntax that is not prose. Order matters: code and link targets go before the bare-URL pass.
_FENCED_CODE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_HTML_TAG = re.compile(r"<[^<>\n]+>")  # no < inside: "<<<<..." is linear
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$", re.M)
# "!?\[" as two literal branches: the engine then goes from one "!" or "[" to the next instead of
# trying the pattern at every character (the same matches).
# [text](url) and ![alt](src): keep the words. No [ in the text and no ( in the address: from
# every [ of "[[[[..." the text ran to the end of the line and back (quadratic on one long line).
_LINK = re.compile(r"(?:!\[|\[)([^\[\]]*)\]\([^()]*\)")
_REF_LINK = re.compile(r"(?:!\[|\[)([^\[\]]*)\]\[[^\[\]]*\]")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_SYNTAX = re.compile(r"[*_~#>|]+")
_SYNTAX_MARKS = "*_~#>|"


def _words(match):  # a link's text (what the template r"\1" gives, without expanding a template)
    return match.group(1)


def _without_markup(markdown):
    # A pass runs only when the text it reads holds what its pattern cannot match without (most
    # posts have no code, no link definition, no HTML): same text, fewer passes over it.
    text = markdown
    if "```" in text or "~~~" in text:
        text = _FENCED_CODE.sub(" ", text)
    if "`" in text:
        text = _INLINE_CODE.sub(" ", text)
    if "]:" in text:
        text = _LINK_DEFINITION.sub(" ", text)
    if "](" in text:
        text = _LINK.sub(_words, text)
    if "][" in text:
        text = _REF_LINK.sub(_words, text)
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    if "://" in text or "www." in text:
        text = _URL.sub(" ", text)
    return html.unescape(text)


def plain_text(markdown):
    """The words of a Markdown text: no code, no URLs, no markup (URL slugs like /ai-act/ must not count)."""
    return _SYNTAX.sub(" ", _without_markup(markdown))


def prose(markdown):
    """plain_text as `normalise` reads it: each syntax mark is a space instead of each run of them
    (normalise makes any run of spaces one), which takes a scan per mark instead of a regex pass."""
    text = _without_markup(markdown)
    for mark in _SYNTAX_MARKS:
        if mark in text:
            text = text.replace(mark, " ")
    return text
