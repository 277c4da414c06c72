"""A small HTML tokenizer: enough to rewrite text nodes and tags without reserialising anything else.

Tags, comments and attribute values come back byte for byte, so code that only changes text nodes (or
one tag) cannot change what the rest of the document means.
"""

from __future__ import annotations

import re

# Text after one of these starts a new block: quotes and spacing do not carry over.
BLOCK_TAGS = frozenset(
    "address article aside blockquote br caption dd details div dl dt figcaption figure footer h1 h2 h3 "
    "h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
# Elements whose content is never typeset (code, and raw text that is not prose).
SKIPPED_TAGS = frozenset("code pre kbd samp tt var script style textarea title template svg math".split())
_RAW_TEXT = frozenset("script style textarea title".split())
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())

_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<![^>]*>"
    r"|<\?[^>]*>"
    r"|<(/?)([A-Za-z][^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S,
)


def iter_tokens(markup: str):
    """(kind, chunk, name): kind is "text", "start", "end" or "other" (comment, doctype)."""
    position = 0
    for match in _TOKEN.finditer(markup):
        if match.start() > position:
            yield "text", markup[position : match.start()], None
        if match.group(2) is None:
            yield "other", match.group(), None
        else:
            yield ("end" if match.group(1) else "start"), match.group(), match.group(2).lower()
        position = match.end()
    if position < len(markup):
        yield "text", markup[position:], None


def iter_text_nodes(markup: str):
    """Like iter_tokens, but each code/pre/script/... element comes whole as ("skipped", chunk, name)."""
    tokens = iter_tokens(markup)
    for kind, chunk, name in tokens:
        if kind != "start" or name not in SKIPPED_TAGS or _self_closing(chunk, name):
            yield kind, chunk, name
            continue
        parts, depth = [chunk], 1
        for inner_kind, inner_chunk, inner_name in tokens:
            parts.append(inner_chunk)
            if name in _RAW_TEXT:
                # Raw text elements end at their end tag, whatever looks like a tag inside.
                if inner_kind == "end" and inner_name == name:
                    break
                continue
            if inner_name == name and inner_kind == "start" and not _self_closing(inner_chunk, name):
                depth += 1
            elif inner_name == name and inner_kind == "end":
                depth -= 1
                if depth == 0:
                    break
        yield "skipped", "".join(parts), name


def _self_closing(chunk, name):
    return name in _VOID or chunk.endswith("/>")
