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
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "\u00ad": None})
# Typographic apostrophes and quotes used as apostrophes ("l’IA", "l‘IA", "lʼIA").
_APOSTROPHES = str.maketrans({c: "'" for c in "\u2019\u2018\u02bc\u2032\u00b4`"})
# Hyphens, dashes and any run of spaces are one separator: "open-source" == "open source".
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def normalise(text):
    """Casefolded, accent-free, apostrophes and separators unified: the form both terms and text take."""
    # NFKD on both sides of casefold: "𝑨" only becomes "A" after NFKD, and casefolding can compose.
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    text = _MARKS.sub("", text).translate(_LIGATURES).translate(_APOSTROPHES)
    return _SEPARATORS.sub(" ", text).strip()


# Markdown syntax that is not prose. Order matters: code and link targets go before the bare-URL pass.
_FENCED_CODE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_HTML_TAG = re.compile(r"<[^>\n]+>")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$", re.M)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")  # [text](url) and ![alt](src): keep the words
_REF_LINK = re.compile(r"!?\[([^\]]*)\]\[[^\]]*\]")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_SYNTAX = re.compile(r"[*_~#>|]+")


def plain_text(markdown):
    """The words of a Markdown text: no code, no URLs, no markup (URL slugs like /ai-act/ must not count)."""
    text = _FENCED_CODE.sub(" ", markdown)
    text = _INLINE_CODE.sub(" ", text)
    text = _LINK_DEFINITION.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _HTML_TAG.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _SYNTAX.sub(" ", html.unescape(text))
    return text
