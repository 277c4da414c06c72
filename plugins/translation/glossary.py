"""The translation glossary: names a provider must never translate, and terms it must say our way.

content/data/glossary.yaml holds the editor's list (`keep`, `pairs`, `untranslated`); every
company name, alias and product of content/data/companies.yaml is kept too, so a company added
there is protected without a second edit. `Glossary.split(tokens, source, target)` turns each
occurrence in the prose runs of inline.protect()'s token list into a Span: the provider sees a
placeholder, and the span puts back the name (kept) or the target-language term (pair). The quality
checks (checks.py) then verify on the answer that every kept name and every pair target is there.

Matching: a kept name as written (case-sensitive: "Meta" is a company, "meta" a word), a pair
ignoring case but following the source's first letter; both as whole words, where a word may be
preceded by a French elision (l'IA générative, d'OpenAI) and followed by a possessive or a version
(OpenAI's, Grok-1, Llama 3) but not be part of a hyphenated or longer word (Jean-Claude, Llamas).
The longest form wins where two overlap ("Mistral AI" over "Mistral").
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass, field

import yaml

from common.safety import read_data_file

logger = logging.getLogger(__name__)

GLOSSARY_FILE = "data/glossary.yaml"
COMPANIES_FILE = "data/companies.yaml"
_BEFORE = r"(?<![\w\-])"  # not inside a word nor after a hyphen (Jean-Claude)
_AFTER = r"(?![\w])"  # a hyphen may follow: Grok-1, GPT-4o-mini


class GlossaryError(ValueError):
    """glossary.yaml cannot be used; `problems` are lines naming the entry and the fix."""

    def __init__(self, path, problems):
        self.path, self.problems = str(path), list(problems)
        super().__init__("; ".join(f"{self.path}: {p}" for p in self.problems))


@dataclass(frozen=True)
class Pair:
    terms: dict  # lang -> term


@dataclass
class Glossary:
    keep: tuple = ()  # names never translated, longest first
    pairs: tuple = ()  # Pair
    untranslated: dict = field(default_factory=dict)  # target lang -> note
    digest: str = ""  # of the files it was read from: part of what a segment depends on

    def __post_init__(self):
        self._keep_rx = _alternation(self.keep, flags=0)
        self._pair_rx: dict = {}

    def pair_regex(self, source: str, target: str):
        """(regex over the source-language terms, {casefolded source term: (source, target)})."""
        key = (source, target)
        if key not in self._pair_rx:
            table = {p.terms[source].casefold(): (p.terms[source], p.terms[target])
                     for p in self.pairs if source in p.terms and target in p.terms}
            self._pair_rx[key] = (_alternation(sorted(table, key=len, reverse=True), re.I), table)
        return self._pair_rx[key]

    # -- what the provider is sent ------------------------------------------------------------------
    def matches(self, text: str, source: str, target: str):
        """[(start, end, replacement, kind, source form)] for `text`, left to right, not overlapping:
        kind "keep" (replacement = the name) or "pair" (replacement = the target term)."""
        found = []
        if self._keep_rx is not None:
            found += [(m.start(), m.end(), m.group(), "keep", m.group())
                      for m in self._keep_rx.finditer(text)]
        pair_rx, table = self.pair_regex(source, target)
        if pair_rx is not None:
            for m in pair_rx.finditer(text):
                written, term = table[m.group().casefold()]
                found.append((m.start(), m.end(), follow_case(m.group(), written, term), "pair",
                              m.group()))
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        out, end = [], -1
        for item in found:
            if item[0] >= end:
                out.append(item)
                end = item[1]
        return out

    def split(self, tokens: list, source: str, target: str, make_span) -> list:
        """inline.protect() tokens with every glossary match in their text runs made a Span
        (built by `make_span(replacement, kind, form)`)."""
        if not self.keep and not self.pairs:
            return tokens
        out = []
        for token in tokens:
            if not isinstance(token, str):
                out.append(token)
                continue
            last = 0
            for start, end, replacement, kind, form in self.matches(token, source, target):
                if start > last:
                    out.append(token[last:start])
                out.append(make_span(replacement, kind, form))
                last = end
            if last < len(token):
                out.append(token[last:])
        return out

    # -- what the checks look for -------------------------------------------------------------------
    def without_kept(self, text: str) -> str:
        return self._keep_rx.sub(" ", text) if self._keep_rx else text

    def kept_in(self, text: str) -> set:
        return {m.group() for m in self._keep_rx.finditer(text)} if self._keep_rx else set()

    def pairs_in(self, text: str, source: str, target: str) -> dict:
        """{source form found: target term it must become}."""
        pair_rx, table = self.pair_regex(source, target)
        if pair_rx is None:
            return {}
        return {m.group(): table[m.group().casefold()][1] for m in pair_rx.finditer(text)}

    def note(self, lang: str) -> str:
        return self.untranslated.get(lang) or "original language: not translated"


def follow_case(found: str, written: str, term: str) -> str:
    """`term` with its first letter capitalised when the source capitalised a glossary term that
    is written in lowercase ("Grand modèle de langage" at the start of a sentence); "IA
    générative" is always capitalised, so it says nothing about the sentence."""
    if found[:1].isupper() and written[:1].islower() and term[:1].islower():
        return term[:1].upper() + term[1:]
    return term


def _alternation(forms, flags):
    forms = [f for f in forms if f]
    if not forms:
        return None
    body = "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))
    return re.compile(f"{_BEFORE}(?:{body}){_AFTER}", flags)


# -- loading ---------------------------------------------------------------------------------------

_cache: dict = {}


def load_glossary(content_dir, languages=()) -> Glossary:
    """The glossary of a content folder (glossary.yaml + companies.yaml); GlossaryError when
    glossary.yaml is broken. A missing glossary.yaml is an empty editor list (companies still
    kept). Read again only when one of the two files changed."""
    path = os.path.join(os.fspath(content_dir), GLOSSARY_FILE)
    companies = os.path.join(os.fspath(content_dir), COMPANIES_FILE)
    raw = _read(path)
    names = _company_forms(companies)
    digest = hashlib.sha256(raw + b"\0" + "\n".join(names).encode()).hexdigest()
    key = (path, digest, tuple(languages))
    if key not in _cache:
        _cache.clear()
        _cache[key] = parse_glossary(raw, path, names, languages, digest)
    return _cache[key]


def _read(path) -> bytes:
    try:
        if not os.path.lexists(path):
            return b""  # no editor list: company names are still kept
        return read_data_file(path)  # the link rule, as for every data file
    except OSError as exc:
        raise GlossaryError(path, [f"cannot be read ({exc.strerror or exc})"]) from None


def _company_forms(path) -> list:
    if not os.path.exists(path):
        return []
    try:
        from companies.registry import RegistryError, load_registry
    except ImportError:  # the companies plugin is not installed: only the editor's list counts
        return []
    try:
        registry = load_registry(path)
    except RegistryError as exc:  # the companies plugin reports it; keep what glossary.yaml lists
        logger.warning("translation glossary: company names not protected: %s", exc)
        return []
    return sorted({form.text for form in registry.forms()} |
                  {company.name for company in registry.companies.values()})


def parse_glossary(raw: bytes, path="glossary.yaml", company_names=(), languages=(),
                   digest="") -> Glossary:
    try:
        data = yaml.safe_load(raw) if raw.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise GlossaryError(path, [f"{where}not valid YAML ({getattr(exc, 'problem', exc)}): "
                                   "check quotes and colons"]) from None
    if not isinstance(data, dict):
        raise GlossaryError(path, ["must be a mapping with keep:, pairs: and untranslated:"])
    problems = []
    unknown = sorted(set(data) - {"keep", "pairs", "untranslated"})
    if unknown:
        problems.append(f"unknown key(s) {', '.join(map(str, unknown))}: use keep, pairs, "
                        "untranslated")
    keep = []
    for n, item in enumerate(data.get("keep") or [], 1):
        if not isinstance(item, str) or not item.strip():
            problems.append(f"keep entry {n} ({item!r}) must be a name, e.g. - Le Chat")
        elif len(item.strip()) < 2:
            problems.append(f"keep entry {n} ({item!r}) is shorter than two characters")
        else:
            keep.append(item.strip())
    pairs = []
    for n, item in enumerate(data.get("pairs") or [], 1):
        if not isinstance(item, dict) or len(item) < 2 or not all(
                isinstance(v, str) and v.strip() for v in item.values()):
            problems.append(f"pairs entry {n} must give the term in two languages or more, e.g. "
                            "- {fr: IA générative, en: generative AI}")
            continue
        odd = [lang for lang in item if languages and lang not in languages]
        if odd:
            problems.append(f"pairs entry {n}: unknown language(s) {', '.join(map(str, odd))} "
                            f"(site languages: {', '.join(languages)})")
            continue
        pairs.append(Pair({str(k): v.strip() for k, v in item.items()}))
    notes = data.get("untranslated") or {}
    if not isinstance(notes, dict) or not all(isinstance(v, str) for v in notes.values()):
        problems.append("untranslated must map a language to a note, e.g. en: original language")
        notes = {}
    if problems:
        raise GlossaryError(path, problems)
    names = sorted(set(keep) | {n for n in company_names if len(n) >= 2}, key=len, reverse=True)
    return Glossary(tuple(names), tuple(pairs), {str(k): v for k, v in notes.items()}, digest)
