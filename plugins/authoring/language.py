"""Language of a text among the site's languages, from the words and letters it uses.

No model, no dependency: the build calls this per translated segment (to check a provider's answer)
and `invoke import` once per article, so it must be cheap to call and cheap to install. Each site
language has a word list in language_words.yaml: the most frequent words of news prose, letters
only that language writes, elided prefixes (l', qu') and apostrophe endings ('s, n't). Every word,
letter and apostrophe form is one piece of evidence; the language with the most wins, with a
confidence of (its evidence + 1) / (all evidence + number of languages). A text with no evidence
("GPT-4o", a URL, a name) or a tie has no language: the editor passes --lang.

`python3 tests/authoring/language_eval.py` measures it on labelled texts of every length; on the
held-out set it is never wrong where lingua (the 96 MB model it replaces) was wrong 3 times in 94,
and says "cannot tell" for names and numbers that lingua assigned a language at random.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass

import yaml

MIN_CONFIDENCE = 0.5  # below this the guess is reported as unsure, the editor should pass --lang
WORDS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "language_words.yaml")
# A word: letters, with inner apostrophes kept (l'IA, aujourd'hui, Nvidia's, don't).
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@dataclass(frozen=True)
class Guess:
    lang: str | None
    confidence: float
    how: str  # for the summary: "given (--lang)", "detected among fr, en (confidence 0.98)"


@functools.lru_cache(maxsize=1)
def word_lists() -> dict:
    with open(WORDS_FILE, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


@dataclass(frozen=True)
class Detector:
    codes: tuple[str, ...]  # the languages it can tell apart, in the site's order
    words: dict  # word -> index in codes (words of one language only)
    letters: dict  # letter -> index in codes
    elisions: dict  # prefix before an apostrophe -> index
    endings: dict  # ending after an apostrophe -> index


def _owned(per_language: list[set]) -> dict:
    """{item: index} for the items that only one language claims."""
    owner = {}
    for index, items in enumerate(per_language):
        for item in items:
            owner[item] = index if item not in owner else None
    return {item: index for item, index in owner.items() if index is not None}


@functools.lru_cache(maxsize=8)
def detector(codes: tuple[str, ...]) -> Detector:
    """The evidence tables for the site languages that have a word list (built once per set)."""
    lists = word_lists()
    known = tuple(code for code in codes if code in lists)
    entries = [lists[code] for code in known]
    return Detector(
        codes=known,
        words=_owned([set(str(e.get("words", "")).lower().split()) for e in entries]),
        letters=_owned([set(str(e.get("letters", ""))) for e in entries]),
        elisions=_owned([set(e.get("elisions", [])) for e in entries]),
        endings=_owned([set(e.get("endings", [])) for e in entries]),
    )


def evidence(text: str, found: Detector) -> list[int]:
    """Pieces of evidence per language of `found.codes` in `text`."""
    counts = [0] * len(found.codes)
    words, letters, elisions, endings = found.words, found.letters, found.elisions, found.endings
    for word in WORD.findall(text.lower().replace("’", "'")):
        index = words.get(word)
        if index is None and "'" in word:
            head, _, tail = word.partition("'")
            mark = elisions.get(head)
            if mark is not None:
                counts[mark] += 1
                index = words.get(tail)
            else:
                mark = endings.get(word.rpartition("'")[2])
                if mark is not None:
                    counts[mark] += 1
                index = words.get(head)
        if index is not None:
            counts[index] += 1
        if letters and not word.isascii():
            marks = {letters[ch] for ch in word if ch in letters}
            for mark in marks:  # a word with accents is one piece of evidence, not one per accent
                counts[mark] += 1
    return counts


def detect_language(text: str, languages) -> Guess:
    """The most likely of `languages` for `text`; Guess.lang is None when nothing in the text tells."""
    found = detector(tuple(languages))
    among = ", ".join(found.codes)
    if len(found.codes) < 2:
        if len(found.codes) == 1:
            return Guess(found.codes[0], 1.0, "the only site language with a word list")
        return Guess(None, 0.0, "no site language has a word list in "
                                "plugins/authoring/language_words.yaml")
    counts = evidence(text, found)
    total = sum(counts)
    best = max(range(len(counts)), key=counts.__getitem__)
    if total == 0 or counts.count(counts[best]) > 1:
        what = "no word of " + among if total == 0 else "as many words of one language as another"
        return Guess(None, 0.0, f"cannot tell among {among}: {what}")
    confidence = round((counts[best] + 1) / (total + len(counts)), 2)
    how = f"detected among {among} (confidence {confidence:.2f})"
    if confidence < MIN_CONFIDENCE:
        how += ", unsure: check it or pass --lang"
    return Guess(found.codes[best], confidence, how)
