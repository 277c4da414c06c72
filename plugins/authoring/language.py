"""Language of a text, with lingua, among the site's languages that lingua knows.

The detector is built once per set of languages and only when a text needs it: `--lang` given means
lingua is never loaded.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

MIN_CONFIDENCE = 0.5  # below this the guess is reported as unsure, the editor should pass --lang


@dataclass(frozen=True)
class Guess:
    lang: str | None
    confidence: float
    how: str  # for the summary: "given (--lang)", "detected (lingua, confidence 0.98)"


@functools.lru_cache(maxsize=4)
def detector(codes: tuple[str, ...]):
    """A lingua detector for the ISO 639-1 `codes` it knows (low accuracy mode: fast, and whole
    articles are long enough for it). Returns (detector, supported codes)."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    known = []
    for code in codes:
        try:
            known.append(IsoCode639_1.from_str(code))
        except ValueError:
            continue  # a site language lingua cannot detect: only --lang can set it
    if len(known) < 2:
        return None, tuple(c.name.lower() for c in known)
    built = LanguageDetectorBuilder.from_iso_codes_639_1(*known).with_low_accuracy_mode().build()
    return built, tuple(c.name.lower() for c in known)


def detect_language(text: str, languages) -> Guess:
    """The most likely of `languages` for `text`; Guess.lang is None when lingua cannot tell."""
    languages = tuple(languages)
    built, supported = detector(languages)
    if built is None:
        if len(supported) == 1:
            return Guess(supported[0], 1.0, "the only language lingua knows among the site's")
        return Guess(None, 0.0, "lingua knows none of the site's languages")
    values = built.compute_language_confidence_values(text)
    if not values or values[0].value <= 0:
        return Guess(None, 0.0, "lingua could not tell")
    best = values[0]
    code = best.language.iso_code_639_1.name.lower()
    how = f"detected by lingua among {', '.join(supported)} (confidence {best.value:.2f})"
    if best.value < MIN_CONFIDENCE:
        how += ", unsure: check it or pass --lang"
    return Guess(code, round(best.value, 2), how)
