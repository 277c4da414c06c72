"""Text pasted from a web page: the title is the first non-empty line, the body the rest.

An editor may put the article's address alone on the first line: it becomes the source. The page
noise that comes along (headline repeats, widget words, share lines...) is the cleaning core's job;
`as_markdown` then gives the surviving text a Markdown shape (one paragraph per pasted line, short
title-like lines between paragraphs as ## headings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .sources import is_url

INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")  # zero-width characters, soft hyphen
END_PUNCT = tuple('.!?…:;,"»”’)]')
NOT_HEADING_END = tuple(c for c in END_PUNCT if c != "?")  # "Vers une IA plus ouverte ?" is a heading
LIST_OR_QUOTE = re.compile(r"^\s*([-*+>•]|\d+[.)])\s")


@dataclass
class Pasted:
    title: str
    body: str
    source: str | None
    body_line: int  # line of the file where `body` starts (1-based), to point at removed lines


def parse_pasted(text: str) -> Pasted | None:
    """Split pasted text; None when there is no title line at all."""
    text = INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.rstrip() for line in text.split("\n")]
    source = None
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if source is None and is_url(stripped) and " " not in stripped:
            source = stripped
            continue
        rest_lines = lines[i + 1:]
        skipped = next((n for n, line in enumerate(rest_lines) if line.strip()), len(rest_lines))
        body = "\n".join(rest_lines[skipped:]).rstrip()
        return Pasted(" ".join(stripped.split()), body, source, i + 2 + skipped)
    return None


def _is_subheading(block: str, following: str | None) -> bool:
    words = block.split()
    return (following is not None and "\n" not in block and 3 <= len(words) <= 16 and len(block) <= 110
            and block[0].isupper() and not block.endswith(NOT_HEADING_END) and not LIST_OR_QUOTE.match(block)
            and not block.startswith("#") and len(following) > 2 * len(block)
            and following.rstrip().endswith(END_PUNCT))


def as_markdown(body: str) -> str:
    """Each pasted line its own paragraph (a paste has no soft line breaks); title-like lines
    followed by a longer paragraph become ## headings."""
    blocks = [" ".join(line.split()) for line in body.split("\n") if line.strip()]
    out = []
    for i, block in enumerate(blocks):
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if following is not None and not following.startswith("#") and _is_subheading(block, following):
            block = "## " + block
        out.append(block)
    return "\n\n".join(out)
