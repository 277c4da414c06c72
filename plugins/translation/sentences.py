"""Long blocks cut under the provider's limit: at sentence ends, else clauses, else spaces.

Works on token lists from inline.protect: str runs of text, and markup spans that are never cut
(counted as 5 characters, the most their ⟦n⟧ placeholder takes in practice). Returns the pieces and
the whitespace between them, so joining them gives back the text exactly.
"""

from __future__ import annotations

import re


def length(tokens) -> int:
    """Characters sent for these tokens (a span is sent as its placeholder)."""
    return sum(len(t) if isinstance(t, str) else 5 for t in tokens)


def merge(tokens) -> list:
    """Adjacent text runs joined, empty ones dropped."""
    out: list = []
    for token in tokens:
        if isinstance(token, str):
            if not token:
                continue
            if out and isinstance(out[-1], str):
                out[-1] += token
                continue
        out.append(token)
    return out


_SENTENCE = re.compile(r"(?<=[.!?…])[\"'»”’)\]]*(\s+)(?=[\"'«“‘(\[¿¡]*\s*[A-ZÀ-ÖØ-ÞŒ0-9])")
_CLAUSE = re.compile(r"(?<=[,;:])(\s+)")
_SPACE = re.compile(r"(\s+)")
# A period after these is not the end of a sentence ("M. Dupont", "p. ex. 3").
ABBREVIATIONS = {"m", "mm", "mme", "mmes", "mlle", "dr", "pr", "st", "ste", "etc", "ex", "cf", "vs",
                 "p", "pp", "n°", "no", "mr", "mrs", "ms", "inc", "ltd", "jr", "sr", "av", "env",
                 "fig", "vol", "art", "e.g", "i.e"}


def _sentence_ok(text, match):
    word = re.search(r"([\w.°]+)[.!?…][\"'»”’)\]]*$", text[: match.start(1)])
    if not word:
        return True
    stem = word.group(1).lower()
    return stem not in ABBREVIATIONS and not (len(stem) == 1 and stem.isalpha())


def _cut(tokens, pattern):
    """Units (token lists) and the whitespace separating them, cut at pattern matches."""
    units, seps, current = [], [], []
    for token in tokens:
        if not isinstance(token, str):
            current.append(token)
            continue
        last = 0
        for match in pattern.finditer(token):
            if pattern is _SENTENCE and not _sentence_ok(token, match):
                continue
            start, end = match.span(1)
            head = merge(current + [token[last:start]])
            if not head:
                continue  # nothing before this space: not a cut
            units.append(head)
            seps.append(token[start:end])
            current, last = [], end
        current.append(token[last:])
    current = merge(current)
    if current or not units:
        units.append(current)
    else:  # the text ended with the separator: give it back to the last unit
        units[-1] = merge(units[-1] + [seps.pop()])
    return units, seps


def _hard_cut(tokens, limit):
    units, current = [], []
    for token in tokens:
        if isinstance(token, str):
            while length(current) + len(token) > limit:
                room = max(1, limit - length(current))
                current.append(token[:room])
                units.append(merge(current))
                current, token = [], token[room:]
        elif current and length(current) + length([token]) > limit:
            units.append(merge(current))
            current = []
        current.append(token)
    if current:
        units.append(merge(current))
    return units, [""] * (len(units) - 1)


def chunk_tokens(tokens, limit, _level=0) -> list:
    """Token lists no longer than limit, with the separators between them (str)."""
    tokens = merge(tokens)
    if length(tokens) <= limit:
        return [tokens]
    units, seps = [tokens], []
    levels = (_SENTENCE, _CLAUSE, _SPACE)
    while _level < len(levels):
        units, seps = _cut(tokens, levels[_level])
        if len(units) > 1:
            break
        _level += 1
    if len(units) == 1:
        units, seps = _hard_cut(tokens, limit)
    out, current = [], units[0]
    for sep, unit in zip(seps, units[1:]):
        if length(current) + len(sep) + length(unit) <= limit:
            current = merge(current + [sep] + unit)
        else:
            out += chunk_tokens(current, limit, _level + 1) + [sep]
            current = unit
    return out + chunk_tokens(current, limit, _level + 1)
