"""The text detection reads: a post's title and body as plain prose, one paragraph per line."""

from __future__ import annotations

import html
import re

HYPHENS = "-\u2010\u2011"
# Sentence ends: punctuation followed by a space, or a line break (plain_text puts one paragraph a line).
# Written as [.!?\u2026]+[closers]*(?=\s)|\n would match the same; starting with one character class
# lets the regex engine skip from mark to mark instead of trying every position (3x faster).
# A run of marks is tried from its first mark only (the lookbehind after it): tried from every mark
# of "!!!!..." with no space after, each ran to the end of the run and back (quadratic).
SENTENCE_END_RE = re.compile(r"[.!?\u2026\n](?:(?<=\n)|(?<![.!?\u2026][.!?\u2026])[.!?\u2026]*"
                             r"[\"'\u00bb\u201d\u2019)\]]*(?=\s))")

_FENCE_RE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", re.M | re.S)
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_INLINE_TAG_RE = re.compile(
    r"</?(?:a|abbr|b|bdi|cite|code|em|i|kbd|mark|q|s|small|span|strong|sub|sup|time|u)\b[^<>]*>", re.I)
_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
# Link text stops at a bracket or a line end, a destination at a space or a paren: each attempt is
# bounded, so a hostile run of "[" or "](" costs linear time, not quadratic.
_DESTINATION = r"\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
_IMAGE_RE = re.compile(r"!\[([^\[\]\n]*)\]" + _DESTINATION)
_LINK_RE = re.compile(r"\[([^\[\]\n]+)\]" + _DESTINATION)
_REF_LINK_RE = re.compile(r"\[([^\[\]\n]+)\]\[[^\[\]\n]*\]")
_REF_DEF_RE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+.*$", re.M)
_AUTOLINK_RE = re.compile(r"<(?:https?|mailto|ftp):[^>\s]*>")
# \b(?:https?://|www\.)[^\s<>()\[\]]+ with the word boundary checked after the first letter, so the
# regex starts with a literal and the engine skips to the next "h" or "w".
_URL_RE = re.compile(r"(?:h(?<!\w.)ttps?://|w(?<!\w.)ww\.)[^\s<>()\[\]]+")
_BLOCK_START_RE = re.compile(r"^\s*(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,3}[.)]\s+|\|)")
# \*+|(?<!\w)_+|_+(?!\w)|`+|~~ starting with one character class (then each branch checks, looking
# back, the mark it starts with): the engine skips to the next mark instead of trying every position.
_EMPHASIS_RE = re.compile(r"[*_`~](?:(?<=\*)\**|(?<!\w_)(?<=_)_*|(?<=_)_*(?!\w)|(?<=`)`*|(?<=~)~)")


def normalise(text):
    """Comparison key of a phrase: one space between words, one kind of hyphen and apostrophe."""
    text = " ".join(text.split())
    for char in HYPHENS[1:]:
        text = text.replace(char, "-")
    return text.replace("\u2019", "'")


def plain_text(title, body):
    """Title and Markdown body as prose: no URLs, no markup, code blocks dropped, soft line wraps
    joined so a sentence is never cut in two, and one line per paragraph, heading or list item."""
    # Each pattern runs only on a text holding the mark every one of its matches holds (most posts
    # have no code fence, comment, tag or bare URL), looked for one character first: that is quick.
    text = body or ""
    if ("`" in text and "```" in text) or ("~" in text and "~~~" in text):
        text = _FENCE_RE.sub("", text)
    if "<" in text and "<!--" in text:
        text = _COMMENT_RE.sub(" ", text)
    if "]" in text:
        if "]:" in text:
            text = _REF_DEF_RE.sub("", text)
        if "!" in text:
            text = _IMAGE_RE.sub(r"\1", text)
        text = _LINK_RE.sub(r"\1", text)
        text = _REF_LINK_RE.sub(r"\1", text)
    if "<" in text:
        text = _AUTOLINK_RE.sub(" ", text)
        text = _INLINE_TAG_RE.sub("", text)  # <b>Meta</b>. stays "Meta."
        text = _TAG_RE.sub(" ", text)
    if ("/" in text and "://" in text) or "www." in text:
        text = _URL_RE.sub(" ", text)
    paragraphs, current = [], []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            paragraphs.append(current)
            current = []
            continue
        block = _BLOCK_START_RE.match(line)
        if block:
            paragraphs.append(current)
            current = []
            stripped = line[block.end():].replace("|", " ").strip()
        current.append(stripped)
    paragraphs.append(current)
    # Emphasis marks go in one pass over all paragraphs (one a line: a mark never spans two), the
    # entities paragraph by paragraph (one may be a line break, which must stay inside its paragraph).
    joined = "\n".join(" ".join(p) for p in paragraphs)
    if "*" in joined or "_" in joined or "`" in joined or "~" in joined:
        joined = _EMPHASIS_RE.sub("", joined)
    paragraphs = joined.split("\n")
    if "&" in text:
        paragraphs = [html.unescape(p) for p in paragraphs]
    lines = [" ".join(p.split()) for p in paragraphs]
    return "\n".join(line for line in [" ".join((title or "").split())] + lines if line)
