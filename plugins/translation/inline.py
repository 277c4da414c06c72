"""Inline Markdown as the provider should see it: prose, with every piece of markup replaced by a
numbered placeholder ⟦n⟧, and back.

Protected (never sent): code spans, URLs and link/image destinations, HTML tags, autolinks,
entities, backslash escapes, emphasis markers, reference labels. Sent: prose, link texts, image alt
texts.
Placeholders are numbered per segment (1, 2, ...), so identical prose with different URLs is one
segment. ⟦n⟧ was chosen over XML-ish tags because deep-translator sends LibreTranslate format=text
and Google's answer goes through BeautifulSoup get_text(), which would eat a tag; brackets are text
to both.
No form survives every provider (LibreTranslate reshapes ###T01###-style tokens per language, its
issue #944, and mangles bare markup characters, #123), so none is trusted: `Chunk.restore` checks
that every placeholder came back exactly once and links kept their order, else returns None and the
caller translates the prose pieces between the markup one by one ("markup dropped by the
provider"), which keeps the structure whatever the provider does.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from itertools import count

from .sentences import chunk_tokens, merge as _merge

def normalize_reference(label: str) -> str:
    """markdown-it's normalisation of a link reference label, imported on first use: a build that
    translates nothing does not load markdown-it (26 ms)."""
    from markdown_it.common.utils import normalizeReference

    return normalizeReference(label)


PLACEHOLDER = re.compile(r"⟦\s*(\d+)\s*⟧")
# Spans carry `glue`: an opener ("[", "**" before a word) sticks to the text after it, a closer to
# the text before it, so "⟦1⟧ text ⟦2⟧" from a provider still gives "**text**".
RIGHT, LEFT = "right", "left"

_DEST = re.compile(r"""\(\s*(?:<[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*)"""
                   r"""(?:\s+(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?\s*\)""")
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*"
                       r"|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)>")
_HTML = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<\?.*?\?>", re.S)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>]+")
_TASK = re.compile(r"\[[ xX]\](?=\s)")
_ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


@dataclass(eq=False)
class Span:
    """A piece of markup kept verbatim; `pair` links an opener to its closer."""

    markup: str
    glue: str = ""
    pair: int | None = None
    term: str | None = None  # a glossary match: the source form (markup is what replaces it)
    kind: str = ""  # "keep" or "pair" for glossary spans


def _is_punct(ch: str) -> bool:
    return ch in _ASCII_PUNCT or unicodedata.category(ch)[0] in "PS"


def _delimiter(text, i, j):
    """Opener/closer/neutral Span for the run text[i:j] of * _ ~, or None when it is plain text."""
    run = text[i:j]
    if run[0] == "~" and len(run) != 2:
        return None
    prev = text[i - 1] if i > 0 else " "
    nxt = text[j] if j < len(text) else " "
    left = not nxt.isspace() and (not _is_punct(nxt) or prev.isspace() or _is_punct(prev))
    right = not prev.isspace() and (not _is_punct(prev) or nxt.isspace() or _is_punct(nxt))
    if run[0] == "_":
        can_open = left and (not right or _is_punct(prev))
        can_close = right and (not left or _is_punct(nxt))
    else:
        can_open, can_close = left, right
    if not (can_open or can_close):
        return None
    glue = RIGHT if can_open and not can_close else LEFT if can_close and not can_open else ""
    return Span(run, glue)


def _code_span_end(text, i):
    run = len(text) - i - len(text[i:].lstrip("`"))
    closing = re.compile(rf"(?<!`)`{{{run}}}(?!`)")
    match = closing.search(text, i + run)
    return (match.end() if match else i + run), bool(match)


def _close_bracket(text, i):
    """Index of the "]" matching text[i] == "[", skipping escapes and code spans."""
    depth, k = 0, i
    while k < len(text):
        ch = text[k]
        if ch == "\\":
            k += 2
            continue
        if ch == "`":
            k = _code_span_end(text, k)[0]
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return k
        k += 1
    return None


def _link(text, i, refs):
    """(inner start, inner end, tail end, whole) for a link/image whose "[" is at i, else None.
    `whole` means the entire link is protected (shortcut and collapsed references: their text is
    the label, translating it would break the link)."""
    j = _close_bracket(text, i)
    if j is None:
        return None
    after = text[j + 1: j + 2]
    if after == "(":
        match = _DEST.match(text, j + 1)
        if match:
            return i + 1, j, match.end(), False
    if after == "[":
        k = _close_bracket(text, j + 1)
        if k is not None:
            label = text[j + 2: k]
            if label.strip() == "":
                if normalize_reference(text[i + 1: j]) in refs:
                    return i + 1, j, k + 1, True
            elif normalize_reference(label) in refs:
                return i + 1, j, k + 1, False
    if normalize_reference(text[i + 1: j]) in refs:
        return i + 1, j, j + 1, True
    return None


def _url_end(text, i):
    match = _URL.match(text, i)
    if not match:
        return None
    end = match.end()
    while end > i and text[end - 1] in ".,;:!?'\"»”’*_" or (
            text[end - 1] == ")" and text[i:end].count("(") < text[i:end].count(")")):
        end -= 1
    return end


def protect(text: str, refs=frozenset(), _pairs=None) -> list:
    """Split inline Markdown into text runs (str) and Spans, in order."""
    pairs = _pairs or count(1)
    out: list = []
    buf: list[str] = []
    i = 0

    def keep(span):
        if buf:
            out.append("".join(buf))
            buf.clear()
        out.append(span)

    if _TASK.match(text):
        keep(Span(text[:3]))
        i = 3
    while i < len(text):
        ch = text[i]
        if ch == "`":
            end = _code_span_end(text, i)[0]
            keep(Span(text[i:end]))
            i = end
            continue
        if ch == "<":
            match = _AUTOLINK.match(text, i) or _HTML.match(text, i)
            if match:
                keep(Span(match.group()))
                i = match.end()
                continue
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in _ASCII_PUNCT:
            keep(Span(text[i: i + 2]))
            i += 2
            continue
        if ch == "&":
            match = _ENTITY.match(text, i)
            if match:
                keep(Span(match.group()))
                i = match.end()
                continue
        image = ch == "!" and text[i + 1: i + 2] == "["
        if ch == "[" or image:
            start = i + 1 if image else i
            found = _link(text, start, refs)
            if found:
                inner_start, inner_end, end, whole = found
                if whole:
                    keep(Span(text[i:end]))
                else:
                    pair = next(pairs)
                    keep(Span(text[i:inner_start], RIGHT, pair))
                    for token in protect(text[inner_start:inner_end], refs, pairs):
                        if isinstance(token, str):
                            buf.append(token)
                        else:
                            keep(token)
                    keep(Span(text[inner_end:end], LEFT, pair))
                i = end
                continue
        if ch in "*_~":
            j = i
            while j < len(text) and text[j] == ch:
                j += 1
            span = _delimiter(text, i, j)
            if span:
                keep(span)
            else:
                buf.append(text[i:j])
            i = j
            continue
        if ch in "hw" and (i == 0 or not text[i - 1].isalnum()):
            end = _url_end(text, i)
            if end:
                keep(Span(text[i:end]))
                i = end
                continue
        buf.append(ch)
        i += 1
    if buf:
        out.append("".join(buf))
    return out


def has_words(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


@dataclass
class Chunk:
    """One segment: what is sent (`text`) and how to put the markup back."""

    tokens: list
    spans: list = field(init=False)
    text: str = field(init=False)

    def __post_init__(self):
        self.spans = [t for t in self.tokens if isinstance(t, Span)]
        number = {id(s): n for n, s in enumerate(self.spans, 1)}
        self.text = "".join(t if isinstance(t, str) else f"⟦{number[id(t)]}⟧" for t in self.tokens)
        openers = {}
        self.pairs = []
        for n, span in enumerate(self.spans, 1):
            if span.pair is not None:
                if span.glue == RIGHT:
                    openers[span.pair] = n
                elif span.pair in openers:
                    self.pairs.append((openers.pop(span.pair), n))

    @property
    def original(self) -> str:
        return "".join(t if isinstance(t, str) else t.markup for t in self.tokens)

    def restore(self, translated: str) -> str | None:
        """The translation with the markup back, or None if placeholders were lost or reordered."""
        found = list(PLACEHOLDER.finditer(translated))
        numbers = [int(m.group(1)) for m in found]
        if sorted(numbers) != list(range(1, len(self.spans) + 1)):
            return None
        position = {n: k for k, n in enumerate(numbers)}
        if any(position[a] > position[b] for a, b in self.pairs):
            return None
        out, last, glue_next = [], 0, False
        for match in found:
            span = self.spans[int(match.group(1)) - 1]
            piece = translated[last: match.start()]
            if glue_next:
                piece = piece.lstrip()
            if span.glue == LEFT:
                piece = piece.rstrip()
            out += [piece, span.markup]
            glue_next, last = span.glue == RIGHT, match.end()
        tail = translated[last:]
        out.append(tail.lstrip() if glue_next else tail)
        return "".join(out)

    def pieces(self) -> list[str]:
        """The prose between the markup, for the piece-by-piece fallback."""
        return [t.strip() for t in self.tokens if isinstance(t, str) and has_words(t)]

    def restore_pieces(self, translations: dict) -> str:
        out = []
        for token in self.tokens:
            if isinstance(token, Span):
                out.append(token.markup)
            elif has_words(token):
                core = token.strip()
                lead = token[: len(token) - len(token.lstrip())]
                trail = token[len(token.rstrip()):]
                out.append(lead + translations[core] + trail)
            else:
                out.append(token)
        return "".join(out)


class Inline:
    """One run of inline Markdown (a heading, a paragraph line group, a table cell, the title)."""

    def __init__(self, source: str, limit: int, refs=frozenset(), terms=None):
        """`terms(tokens) -> tokens`: the glossary's protection (glossary.Glossary.split)."""
        self.source = source
        self.parts: list = []  # str kept verbatim, Chunk translated
        tokens = protect(source, refs)
        if terms is not None:
            tokens = terms(tokens)
        # (source form, target term) of each glossary pair this run enforces, for the report
        self.enforced = [(t.term, t.markup) for t in tokens
                         if isinstance(t, Span) and t.kind == "pair"]
        for part in chunk_tokens(tokens, limit):
            if isinstance(part, str):
                self.parts.append(part)
                continue
            text = "".join(t if isinstance(t, str) else "x" for t in part)
            if not text.strip():
                self.parts.append("".join(part))
                continue
            lead = len(text) - len(text.lstrip())
            trail = len(text) - len(text.rstrip())
            if lead:
                self.parts.append(part[0][:lead])
                part = [part[0][lead:]] + part[1:]
            tail = ""
            if trail:
                tail = part[-1][len(part[-1]) - trail:]
                part = part[:-1] + [part[-1][: len(part[-1]) - trail]]
            part = _merge(part)
            chunk = Chunk(part)
            self.parts.append(chunk if any(isinstance(t, str) and has_words(t) for t in part)
                              else chunk.original)
            if tail:
                self.parts.append(tail)
        self.result: str | None = None
        self.fallback = False
        self.untranslated = False  # failed its checks twice: shown in the source language

    @property
    def chunks(self) -> list[Chunk]:
        return [p for p in self.parts if isinstance(p, Chunk)]

    def apply(self, translations: dict, verify=None) -> bool:
        """Put the translations in; False when a placeholder came back wrong (use the fallback)."""
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            restored = part.restore(translations[part.text])
            if restored is None:
                return False
            out.append(restored)
        text = "".join(out)
        if verify is not None and not verify(self.source, text):
            return False
        self.result = text
        return True

    def fallback_texts(self) -> list[str]:
        return [p for chunk in self.chunks for p in chunk.pieces()]

    def keep_source(self, marker: str):
        """The source text as the result, followed by `marker` (it says so to the reader)."""
        self.untranslated = True
        self.result = self.source + marker

    def apply_fallback(self, translations: dict):
        self.fallback = True
        self.result = "".join(p if isinstance(p, str) else p.restore_pieces(translations)
                              for p in self.parts)
