"""What kind of Markdown line a line is, seen one line at a time (the cleaner never parses
Markdown: it needs to know which lines are text it may remove, and which are headings, code, tables
or raw HTML it leaves alone). Pure; no Pelican import.

Every pattern here is anchored at the start of the line or stops at the next bracket: linear time on
a line of any length.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s|$)")
_HTML_HEADING = re.compile(r"^\s*<h[1-6][\s>]", re.I)
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
_QUOTE = re.compile(r"^ {0,3}>")
_TABLE = re.compile(r"^\s*\|")
_INDENTED = re.compile(r"^(?: {4}|\t)")
_HTML_LINE = re.compile(r"^\s*<")
# [^<>]: from each "<" the engine scans to the next bracket at most (linear on a line of "<a<a<a...").
_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)[^<>]*?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())

# Line kinds.
BLANK, TEXT, LIST, QUOTE, HTML, HEADING, CODE, TABLE = "blank text list quote html heading code table".split()


_ASCII_SPACES = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"  # what str.isspace() says of ASCII


def folds_longer(line, limit):
    """True when fold(line) surely has more than `limit` characters, told without folding the line.

    Without a link, a tag or emphasis, folding keeps every ASCII character that is not a space:
    NFKD leaves it be, casefold lowers it, an inner hyphen becomes a space between two letters, and
    only spaces merge. So their number is a lower bound. A long paragraph in the middle of a post
    (no rule takes a line longer than max_line_chars) is then never folded at all."""
    if len(line) <= limit or "](" in line or "<" in line or "*" in line or "_" in line or "~" in line \
            or "`" in line:
        return False
    return len(line.encode("ascii", "ignore").translate(None, _ASCII_SPACES)) > limit


def _closes(marker, fence, line):
    return marker[0] == fence[0] and len(marker) >= len(fence) and not line.strip()[len(marker) :].strip()


# A line can only be something other than text (or code, inside a fence) when it starts with one of
# these, with a space (any Unicode space: the patterns' \s) or with a digit: the line patterns above
# all start so. Any other first character makes it a text line without trying them.
_MARKUP_STARTS = frozenset(" \t`~#<=-|*+>")


def classify(lines):
    kinds = []
    fence = None
    previous_blank = True
    for index, line in enumerate(lines):
        if not line:  # blank, or code in a fence
            kinds.append(CODE if fence is not None else BLANK)
            if fence is None:
                previous_blank = True
            continue
        first = line[0]
        if not (first in _MARKUP_STARTS or first.isspace() or first.isdigit()):
            if fence is not None:  # cannot close the fence: a fence line starts with ` ~ or spaces
                kinds.append(CODE)
            else:
                kinds.append(TEXT)
                previous_blank = False
            continue
        opening = _FENCE.match(line)
        if fence is not None:
            kinds.append(CODE)
            if opening and _closes(opening.group(1), fence, line):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            kinds.append(CODE)
            continue
        if not line.strip():
            kind = BLANK
        elif _INDENTED.match(line) and (previous_blank or kinds[-1] == CODE):
            kind = CODE
        elif _ATX_HEADING.match(line) or _HTML_HEADING.match(line):
            kind = HEADING
        elif _SETEXT_UNDERLINE.match(line) and index and kinds[-1] in (TEXT, HEADING):
            kind = HEADING
            kinds[-1] = HEADING  # the line above is the heading's text
        elif _TABLE.match(line):
            kind = TABLE
        elif _LIST_ITEM.match(line):
            kind = LIST
        elif _QUOTE.match(line):
            kind = QUOTE
        elif _HTML_LINE.match(line):
            kind = HTML
        else:
            kind = TEXT
        kinds.append(kind)
        previous_blank = kind == BLANK
    return kinds


def balanced(line):
    """True when every element opened on an HTML line closes on it (removing it keeps the HTML whole)."""
    stack = []
    for closing, name, self_closing in _TAG.findall(line):
        name = name.lower()
        if name in _VOID or self_closing:
            continue
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack
