"""Quality checks on one provider answer: is this segment safe to publish as a translation?

`check_segment(source, answer, source_lang, target_lang, glossary)` returns the Failures, one per
check that fired (empty: the answer passes):
- numbers: every number of the source is in the answer, read with each language's rules
  (fr: "2,19", "1 500", "600 millions", "4 %"; en: "2.19", "1,500", "600 million", "4%"), and
  the answer adds none. A small number the answer spells out ("the first quarter" for "1er
  trimestre") is accepted.
- terms: every kept name of the glossary in the source is in the answer, and each glossary pair
  found in the source appears in the answer in the target language.
- language: the answer is not in the source language. Short answers are often unsure: then the
  check does not fail (see `answer_language`); nor when the language's short words disagree.
- echo: the answer is not the source itself (short ones and names-only segments may be).
- length: the answer is neither more than about three times longer than the source nor less than
  half as long (a segment the provider cut).
The thresholds were set with the held-out pairs of tests/translation/data/heldout_checks.yaml in
view (written before this module); test_checks.py reports precision and recall on them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

CHECKS = ("numbers", "terms", "language", "echo", "length")

MAX_RATIO, MAX_SLACK = 3.0, 20  # answer longer than 3 x source + 20 characters: not a translation
MIN_RATIO, MIN_SOURCE = 0.5, 40  # below half the source, for sources of 40 characters or more
ECHO_WORDS = 3  # a source with fewer words (beyond names) may come back unchanged
LANGUAGE_LETTERS = 30  # fewer letters than this: language detection is not trusted
# Between two languages 0.5 is a coin toss; lingua's fast mode gives 0.6 to plain English
# sentences of six words. Only a clear verdict fails an answer.
SURE_LANGUAGE = 0.8


@dataclass(frozen=True)
class Failure:
    check: str
    detail: str


# -- numbers --------------------------------------------------------------------------------------

_SPACES = " \u00a0\u202f\u2009"
_RUN = re.compile(rf"\d+(?:(?:[.,]|[{_SPACES}])\d+)*")
_SCALES = {
    "fr": {"mille": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9,
           "billion": 1e12, "billions": 1e12, "md": 1e9, "mds": 1e9, "mrd": 1e9, "mrds": 1e9,
           "k": 1e3},
    "en": {"thousand": 1e3, "thousands": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9,
           "billions": 1e9, "trillion": 1e12, "trillions": 1e12, "bn": 1e9, "k": 1e3},
}
_ATTACHED = {"en": {"m": 1e6}, "fr": {"m": 1e6}}  # "$600m", "600M€" (no space); not "8B", a model size
_SCALE_WORD = re.compile(rf"[{_SPACES}-]?([A-Za-zé]+)")  # "314 milliards", "314-billion"
_WORDS = {
    "fr": {"zéro": 0, "un": 1, "une": 1, "premier": 1, "première": 1, "deux": 2, "deuxième": 2,
           "second": 2, "seconde": 2, "trois": 3, "troisième": 3, "quatre": 4, "quatrième": 4,
           "cinq": 5, "cinquième": 5, "six": 6, "sixième": 6, "sept": 7, "septième": 7, "huit": 8,
           "huitième": 8, "neuf": 9, "neuvième": 9, "dix": 10, "dixième": 10},
    "en": {"zero": 0, "one": 1, "first": 1, "two": 2, "second": 2, "three": 3, "third": 3,
           "four": 4, "fourth": 4, "five": 5, "fifth": 5, "six": 6, "sixth": 6, "seven": 7,
           "seventh": 7, "eight": 8, "eighth": 8, "nine": 9, "ninth": 9, "ten": 10, "tenth": 10},
}
_WORD = re.compile(r"[^\W\d_]+")


def _value(piece: str, lang: str) -> float:
    """One number written without spaces, read with `lang`'s separators."""
    decimal, group = (",", ".") if lang == "fr" else (".", ",")
    if group in piece:
        parts = piece.split(group)
        last = parts[-1].split(decimal)[0]
        if len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:-1]) and len(last) == 3:
            piece = piece.replace(group, "")
        elif decimal not in piece and piece.count(group) == 1:
            piece = piece.replace(group, decimal)  # "2,19" in English text, "3.5" in French
        else:
            piece = piece.replace(group, "")
    if piece.count(decimal) > 1:  # "1.2.3": a version or a date, compared as its digits
        return float(piece.replace(decimal, ""))
    return float(piece.replace(decimal, "."))


def numbers(text: str, lang: str) -> Counter:
    """The values of the numbers in `text`, scale words applied (600 millions -> 600000000)."""
    lang = lang.split("-")[0].lower()
    scales, attached = _SCALES.get(lang, _SCALES["en"]), _ATTACHED.get(lang, {})
    found = Counter()
    for match in _RUN.finditer(text):
        # Spaces group thousands only as 1-3 digits then groups of exactly 3 ("1 500", not
        # "2023 500"); elsewhere they separate two numbers.
        groups = re.split(f"[{_SPACES}]", match.group())
        merged, open_group = [groups[0]], len(groups[0]) <= 3 and groups[0].isdigit()
        for g in groups[1:]:
            if open_group and re.fullmatch(r"\d{3}", g):
                merged[-1] += g
            else:
                merged.append(g)
                open_group = len(g) <= 3 and g.isdigit()
        end = match.end()
        for n, piece in enumerate(merged):
            value = _value(piece, lang)
            if n == len(merged) - 1:
                value *= _scale(text, end, scales, attached)
            found[round(value, 6)] += 1
    return found


def _scale(text, end, scales, attached) -> float:
    word = _SCALE_WORD.match(text, end)
    if not word:
        return 1.0
    name = word.group(1).lower()
    spaced = word.group().startswith(tuple(_SPACES + "-"))
    if name in scales and (spaced or len(name) > 1):
        after = word.end()
        return scales[name] if not (after < len(text) and text[after].isalpha()) else 1.0
    if not spaced and name in attached:
        return attached[name]
    return 1.0


def _number_words(text: str, lang: str) -> Counter:
    table = _WORDS.get(lang.split("-")[0].lower(), {})
    return Counter(table[w.lower()] for w in _WORD.findall(text) if w.lower() in table)


def check_numbers(source, answer, source_lang, target_lang) -> Failure | None:
    have, got = numbers(source, source_lang), numbers(answer, target_lang)
    missing, extra = have - got, got - have
    spelled_out, spelled_in = _number_words(answer, target_lang), _number_words(source, source_lang)
    missing = Counter({v: c for v, c in missing.items() if not (v <= 10 and spelled_out[v])})
    extra = Counter({v: c for v, c in extra.items() if not (v <= 10 and spelled_in[v])})
    if not missing and not extra:
        return None
    parts = []
    if missing:
        parts.append("missing " + ", ".join(_show(v) for v in sorted(missing.elements())))
    if extra:
        parts.append("not in the source " + ", ".join(_show(v) for v in sorted(extra.elements())))
    return Failure("numbers", "; ".join(parts))


def _show(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return "a number too long to read"
    return f"{value:,.6g}" if value != int(value) else f"{int(value):,}"


# -- the other checks -----------------------------------------------------------------------------


def _singular(text: str) -> str:
    """Casefolded, each word without a plural s/x: a translator may rightly say "grands modèles
    de langage" for "large language model inference"."""
    return re.sub(r"(?<=[^\W\d_]{3})[sx]\b", "", text.casefold())


def check_terms(source, answer, source_lang, target_lang, glossary) -> Failure | None:
    if glossary is None:
        return None
    lost = sorted(glossary.kept_in(source) - glossary.kept_in(answer))
    answer_folded = _singular(answer)
    wrong = sorted(f"'{form}' must be '{term}'" for form, term in
                   glossary.pairs_in(source, source_lang, target_lang).items()
                   if _singular(term) not in answer_folded)
    if not lost and not wrong:
        return None
    parts = ([f"lost {', '.join(repr(t) for t in lost)}"] if lost else []) + wrong
    return Failure("terms", "; ".join(parts))


_MARKUP = re.compile(r"https?://\S+|www\.\S+|`[^`]*`|<[^>]*>|\]\([^)]*\)|⟦\s*\d+\s*⟧")


def prose(text: str, glossary=None) -> str:
    """The words of a segment that say what language it is in: no URLs, code, markup or names."""
    text = _MARKUP.sub(" ", text)
    return glossary.without_kept(text) if glossary is not None else text


def answer_language(text: str, languages):
    """(language, sure) of an answer, through the one detector the site uses (plugins/authoring/
    language.py). (None, False) when it cannot tell, is unsure, or the text is too short to judge."""
    letters = sum(ch.isalpha() for ch in text)
    if letters < LANGUAGE_LETTERS:
        return None, False
    try:
        from authoring.language import detect_language
    except ImportError:  # the detector is not installed: the other checks still run
        return None, False
    try:
        guess = detect_language(text, languages)
    except Exception:  # a detector problem must never pass or fail a translation by itself
        return None, False
    return guess.lang, guess.lang is not None and guess.confidence >= SURE_LANGUAGE


# The commonest short words of each language: a second, independent vote. lingua's fast mode is
# sure of itself on short texts it gets wrong ("A more frugal artificial intelligence" is French
# to it at 0.99); an answer fails on language only when both agree.
FUNCTION_WORDS = {
    "fr": {"le", "la", "les", "un", "une", "des", "du", "de", "et", "est", "sont", "pour", "dans",
           "qui", "que", "sur", "avec", "au", "aux", "par", "ne", "pas", "ce", "cette", "ses",
           "leur", "leurs", "il", "elle", "ils", "nous", "vous", "en", "l", "d", "qu"},
    "en": {"the", "a", "an", "of", "and", "is", "are", "to", "in", "for", "with", "that", "on",
           "by", "it", "its", "this", "was", "were", "be", "has", "have", "from", "as", "at",
           "not", "will", "their", "they", "we", "you", "or"},
}


def _votes(text: str, lang: str) -> int:
    words = FUNCTION_WORDS.get(lang.split("-")[0].lower())
    if words is None:
        return -1
    return sum(w.lower() in words for w in _WORD.findall(text))


def check_language(source, answer, source_lang, target_lang, glossary, detect) -> Failure | None:
    if source_lang == target_lang:
        return None
    text = prose(answer, glossary)
    lang, sure = detect(text, (source_lang, target_lang))
    if not (sure and lang == source_lang):
        return None
    theirs, ours = _votes(text, source_lang), _votes(text, target_lang)
    if theirs >= 0 and ours >= 0 and theirs <= ours:
        return None  # the short words say otherwise: unsure, not failed
    return Failure("language", f"the answer is in '{source_lang}', not '{target_lang}'")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def check_echo(source, answer, glossary) -> Failure | None:
    if _fold(source) != _fold(answer):
        return None
    words = [w for w in _WORD.findall(prose(source, glossary)) if len(w) > 1]
    if len(words) < ECHO_WORDS:
        return None  # a name, a model, a two-word heading may be the same in both languages
    return Failure("echo", "the answer is the source, untranslated")


def check_length(source, answer) -> Failure | None:
    n, m = len(source.strip()), len(answer.strip())
    if m > MAX_RATIO * n + MAX_SLACK:
        return Failure("length", f"{m} characters for a source of {n} (more than "
                       f"{MAX_RATIO:g} times longer)")
    if n >= MIN_SOURCE and m < MIN_RATIO * n:
        return Failure("length", f"{m} characters for a source of {n} (less than half: cut?)")
    return None


def check_segment(source: str, answer: str, source_lang: str, target_lang: str, glossary=None,
                  detect=None) -> list[Failure]:
    """Every check on one segment (the source and the answer as they will be published).
    `detect(text, languages) -> (lang, sure)`: answer_language unless given."""
    detect = detect or answer_language
    out = [check_numbers(source, answer, source_lang, target_lang),
           check_terms(source, answer, source_lang, target_lang, glossary),
           check_echo(source, answer, glossary)]
    if out[2] is None:  # an echo is in the source language by definition: say it once
        out.append(check_language(source, answer, source_lang, target_lang, glossary, detect))
    out.append(check_length(source, answer))
    return [f for f in out if f is not None]
