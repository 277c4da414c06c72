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

# No "<" outside quotes inside a tag: on a run of "<a <a <a" with no ">", each start then fails at
# the next "<" instead of scanning to the end of the text (quadratic). In the sanitiser's output a
# "<" in a tag only ever stands in a quoted value.
_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<![^<>]*>"
    r"|<\?[^<>]*>"
    r"|<(/?)([A-Za-z][^\s/<>]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>",
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


# The same tokens, found by one re.split call: [text, token, "/" or "", name or None, attributes, text,
# token, ...]. Texts may be empty; name is None for comments, doctypes and processing instructions.
_TOKEN_SPLIT = re.compile("(" + _TOKEN.pattern + ")", _TOKEN.flags)
STRIDE = 5  # a token and its 3 groups, then the text after it


def split_tokens(markup: str) -> list:
    """The markup cut at its tokens in one pass at C speed; the texts are parts[::5]."""
    return _TOKEN_SPLIT.split(markup)


def split_texts(parts: list) -> list:
    """The texts of split_tokens' result, in order (with the texts inside code, scripts...)."""
    return parts[::STRIDE]


def iter_text_nodes(markup: str):
    """Like iter_tokens, but each code/pre/script/... element comes whole as ("skipped", chunk, name)."""
    yield from iter_split_nodes(split_tokens(markup))


def iter_split_nodes(parts: list):
    """iter_text_nodes over what split_tokens returned (walking a list: no nested generators)."""
    if parts[0]:
        yield "text", parts[0], None
    count = len(parts)
    index = 1
    while index < count:
        chunk, slash, name = parts[index], parts[index + 1], parts[index + 2]
        if name is None:
            yield "other", chunk, None
        else:
            name = name.lower()
            if slash:
                yield "end", chunk, name
            elif name not in SKIPPED_TAGS or _self_closing(chunk, name):
                yield "start", chunk, name
            else:
                chunk, index = _skipped(parts, index, name)
                yield "skipped", chunk, name
                if index >= count:
                    return  # never closed: the element took the rest of the markup
        if parts[index + 4]:
            yield "text", parts[index + 4], None
        index += STRIDE


def _skipped(parts, index, name):
    """The element opened by the start tag at parts[index], whole, and the index of its end tag."""
    pieces = [parts[index], parts[index + 4]]
    depth = 1
    raw_text = name in _RAW_TEXT
    count = len(parts)
    index += STRIDE
    while index < count:
        chunk, slash, inner_name = parts[index], parts[index + 1], parts[index + 2]
        pieces.append(chunk)
        if inner_name is not None and inner_name.lower() == name:
            # Raw text elements end at their end tag, whatever looks like a tag inside.
            if slash:
                depth -= 1
                if raw_text or depth == 0:
                    break
            elif not raw_text and not _self_closing(chunk, name):
                depth += 1
        pieces.append(parts[index + 4])
        index += STRIDE
    return "".join(pieces), index


def _self_closing(chunk, name):
    return name in _VOID or chunk.endswith("/>")
