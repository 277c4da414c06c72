"""The text detection reads: a post's title and body as plain prose, one paragraph per line."""

from __future__ import annotations

import html
import re

HYPHENS = "-\u2010\u2011"
# Sentence ends: punctuation followed by a space, or a line break (plain_text puts one paragraph a line).
SENTENCE_END_RE = re.compile(r"[.!?\u2026]+[\"'\u00bb\u201d\u2019)\]]*(?=\s)|\n")

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
_URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>()\[\]]+")
_BLOCK_START_RE = re.compile(r"^\s*(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,3}[.)]\s+|\|)")
_EMPHASIS_RE = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)|`+|~~")


def normalise(text):
    """Comparison key of a phrase: one space between words, one kind of hyphen and apostrophe."""
    text = " ".join(text.split())
    for char in HYPHENS[1:]:
        text = text.replace(char, "-")
    return text.replace("\u2019", "'")


def plain_text(title, body):
    """Title and Markdown body as prose: no URLs, no markup, code blocks dropped, soft line wraps
    joined so a sentence is never cut in two, and one line per paragraph, heading or list item."""
    text = _FENCE_RE.sub("", body or "")
    text = _COMMENT_RE.sub(" ", text)
    text = _REF_DEF_RE.sub("", text)
    text = _IMAGE_RE.sub(r"\1", text)
    text = _LINK_RE.sub(r"\1", text)
    text = _REF_LINK_RE.sub(r"\1", text)
    text = _AUTOLINK_RE.sub(" ", text)
    text = _INLINE_TAG_RE.sub("", text)  # <b>Meta</b>. stays "Meta."
    text = _TAG_RE.sub(" ", text)
    text = _URL_RE.sub(" ", text)
    paragraphs, current = [], []
    for line in text.splitlines():
        if not line.strip():
            paragraphs.append(current)
            current = []
            continue
        block = _BLOCK_START_RE.match(line)
        if block:
            paragraphs.append(current)
            current = []
            line = line[block.end():].replace("|", " ")
        current.append(line.strip())
    paragraphs.append(current)
    lines = [" ".join(html.unescape(_EMPHASIS_RE.sub("", " ".join(p))).split()) for p in paragraphs]
    return "\n".join(line for line in [" ".join((title or "").split())] + lines if line)
