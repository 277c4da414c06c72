"""The cleaning rules of content/data/cleaning.yaml, compiled once (see the file's header for its format).

No Pelican import: `load_rules(path)` is what the build calls, `Rules.from_mapping(data)` what tests call.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from common.safety import read_data_file

from . import scorer as _scorer

# Between two boilerplate items on one line ("Partager sur Facebook · Partager sur X").
_SEPARATOR = r"(?:\s*[·|•,/\-]\s*|\s+)"
# Around a rule: bullets, icons, "> " before; punctuation and counts ("(12)", " :") after.
_LEAD = r"^[\W_]*"
_TRAIL = r"[\W\d_]*$"

_FAMILY_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
_FORBIDDEN = re.compile(r"\(\?P[<=]|\\[1-9]|\\g<")


class RulesError(ValueError):
    """cleaning.yaml is not usable; the message says where and how to fix it."""


# Folding: what a line looks like to a rule (lower case, no accents, plain quotes and dashes).
# The inner classes leave out the opening bracket too: from each "[" (or "<") the engine then scans
# to the next bracket at most, so a line of 200,000 "[" or "<" costs linear time, not quadratic.
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_EMPHASIS = re.compile(r"[*_~`]+")
# (?<=\w)-(?=\w), written to start with the hyphen: the engine then skips to the next one.
_INTRA_HYPHEN = re.compile(r"-(?<=\w-)(?=\w)")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Quotes and dashes a rule sees plain; all but "`" are outside ASCII ("`" is emphasis, removed first,
# but NFKD can make one: U+1FEF GREEK VARIA).
_FOLD_PAIRS = (
    ("’", "'"), ("‘", "'"), ("ʼ", "'"), ("‚", "'"), ("´", "'"),
    ("“", '"'), ("”", '"'), ("„", '"'),
    ("‐", "-"), ("‑", "-"), ("‒", "-"), ("–", "-"), ("—", "-"), ("―", "-"), ("−", "-"),
)


def fold(line: str) -> str:
    """The line as rules and similarity see it (see the header of cleaning.yaml)."""
    # Each pass runs only when the text holds what it could change (a C scan with `in`), in the
    # order of the rules of the header: most lines have no link, no tag, no dash between words.
    text = line
    if "](" in text:
        text = _MD_LINK.sub(r"\1", text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "*" in text or "_" in text or "~" in text or "`" in text:
        text = _EMPHASIS.sub("", text)
    if text.isascii():
        text = text.lower()  # casefold, for ASCII; no quote or dash to fold ("`" went with emphasis)
    else:
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()
        if not text.isascii():
            for char, plain in _FOLD_PAIRS:
                if char in text:
                    text = text.replace(char, plain)
        if "`" in text:
            text = text.replace("`", "'")
    if "-" in text:
        text = _INTRA_HYPHEN.sub(" ", text)
    # Runs of spaces -> one, none at the ends: str.split() and the regex \s agree on what a space is.
    return " ".join(text.split())


@dataclass(frozen=True)
class Rules:
    """Compiled rules. One regex per language holds every rule family (a named group each)."""

    line_patterns: dict = field(default_factory=dict)  # lang or "*" -> (whole-line regex, {group: family})
    families: dict = field(default_factory=dict)  # lang or "*" -> tuple of family names
    keep: re.Pattern | None = None
    stopwords: dict = field(default_factory=dict)  # lang -> frozenset of folded words
    heading_words: dict = field(default_factory=dict)  # lang -> frozenset of folded phrases
    title_threshold: float = 0.5
    said_share: float = 0.5
    said_min_words: int = 3
    head_lines: int = 6
    stray_max_words: int = 2
    max_line_chars: int = 400
    prefix_patterns: dict = field(default_factory=dict)  # lang or "*" -> regex (a rule, then more words)
    scorer: _scorer.ScorerConfig = field(default_factory=lambda: _scorer.ScorerConfig(enabled=False))
    source: str = "<defaults>"

    @classmethod
    def from_mapping(cls, data: dict | None, source: str = "<mapping>") -> Rules:
        data = data or {}
        if not isinstance(data, dict):
            raise RulesError(f"{source}: the file must hold a mapping (keys: lines, keep, ...)")
        lines = data.get("lines") or {}
        if not isinstance(lines, dict):
            raise RulesError(f"{source}: 'lines' must map a language (or \"*\") to rule families")
        common = _families(lines.get("*") or {}, source, "*")
        line_patterns, families, prefix_patterns = {}, {}, {}
        for lang in set(lines) | {"*"}:
            merged = dict(common)
            if lang != "*":
                for name, patterns in _families(lines.get(lang) or {}, source, lang).items():
                    merged[name] = merged.get(name, ()) + patterns
            if merged:
                line_patterns[lang] = _compile_line_pattern(merged)
                prefix_patterns[lang] = merged  # compiled when first asked for (see starts_with_rule)
                families[lang] = tuple(merged)
        scorer_data = data.get("scorer")
        if scorer_data is not None and not isinstance(scorer_data, dict):
            raise RulesError(f"{source}: 'scorer' must be a mapping (threshold, max_words, weights, words)")
        try:
            scorer = _scorer.from_mapping(scorer_data, source, fold)
        except ValueError as exc:
            raise RulesError(str(exc)) from None
        title = data.get("title_repeat") or {}
        stray = data.get("stray_word") or {}
        return cls(
            line_patterns=line_patterns,
            families=families,
            keep=_compile_keep(data.get("keep") or [], source),
            stopwords=_word_sets(title.get("stopwords") or {}, source, "title_repeat.stopwords"),
            heading_words=_word_sets(stray.get("heading_words") or {}, source, "stray_word.heading_words"),
            title_threshold=float(title.get("threshold", 0.5)),
            said_share=float(title.get("said_share", 0.5)),
            said_min_words=int(title.get("said_min_words", 3)),
            head_lines=int(title.get("head_lines", 6)),
            stray_max_words=int(stray.get("max_words", 2)),
            max_line_chars=int(data.get("max_line_chars", 400)),
            prefix_patterns=prefix_patterns,
            scorer=scorer,
            source=source,
        )

    def line_rule(self, folded: str, lang: str) -> str | None:
        """Name of the family whose rules make up the whole (folded) line, or None."""
        if not folded or len(folded) > self.max_line_chars:
            return None
        pattern = self.line_patterns.get(lang) or self.line_patterns.get("*")
        if pattern is None:
            return None
        regex, groups = pattern
        match = regex.match(folded)
        if match is None:
            return None
        return next((name for group, name in groups.items() if match.group(group) is not None), None)

    def starts_with_rule(self, folded: str, lang: str) -> bool:
        """True when a rule takes the start of the line and more words follow a separator
        ("Publicite - Continuez a lire ci dessous"): a strong signal for the scorer, not a removal."""
        if not folded or len(folded) > self.max_line_chars:
            return False
        key = lang if lang in self.prefix_patterns else "*"
        pattern = self.prefix_patterns.get(key)
        if isinstance(pattern, dict):  # the scorer asks for few lines: most builds never compile it
            pattern = self.prefix_patterns[key] = _compile_prefix_pattern(pattern)
        return bool(pattern and pattern.match(folded))

    def protects(self, line: str) -> bool:
        return bool(self.keep and self.keep.search(line))

    def stopwords_for(self, lang: str) -> frozenset:
        return self.stopwords.get(lang, frozenset())

    def heading_words_for(self, lang: str) -> frozenset:
        return self.heading_words.get(lang, frozenset())


def _families(mapping, source, lang):
    if not isinstance(mapping, dict):
        raise RulesError(f"{source}: lines.{lang} must map rule names to lists of patterns")
    out = {}
    for name, patterns in mapping.items():
        where = f"{source}: lines.{lang}.{name}"
        if not isinstance(name, str) or not _FAMILY_NAME.match(name):
            raise RulesError(f"{where}: a rule name is lower-case letters, digits, - or _")
        if isinstance(patterns, str):
            patterns = [patterns]
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise RulesError(f"{where}: expected a list of quoted patterns")
        for pattern in patterns:
            if _FORBIDDEN.search(pattern):
                raise RulesError(f"{where}: {pattern!r}: named groups and back-references are not allowed")
            try:
                re.compile(pattern)
            except re.error as exc:
                raise RulesError(f"{where}: {pattern!r} is not a valid regular expression: {exc}") from None
        out[name] = tuple(patterns)
    return out


def _compile_line_pattern(families):
    """(regex, {group: family}): the first item names the family, more items of any family may follow."""
    alternatives = {name: "|".join(f"(?:{p})" for p in patterns) for name, patterns in families.items()}
    groups = {f"f{i}": name for i, name in enumerate(alternatives)}
    first = "|".join(f"(?P<{group}>{alternatives[name]})" for group, name in groups.items())
    # A named group may appear once only, so the items after the first reuse the alternatives unnamed.
    any_item = "|".join(f"(?:{alt})" for alt in alternatives.values())
    return re.compile(f"{_LEAD}(?:{first})(?:{_SEPARATOR}(?:{any_item}))*{_TRAIL}"), groups


def _compile_prefix_pattern(families):
    any_item = "|".join(f"(?:{p})" for patterns in families.values() for p in patterns)
    return re.compile(f"{_LEAD}(?:{any_item})\\s*[-:|·•›»]\\s*\\w")


def _compile_keep(patterns, source):
    if isinstance(patterns, str):
        patterns = [patterns]
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise RulesError(f"{source}: 'keep' must be a list of quoted regular expressions")
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            message = f"{source}: keep: {pattern!r} is not a valid regular expression: {exc}"
            raise RulesError(message) from None
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def _word_sets(mapping, source, where):
    if not isinstance(mapping, dict):
        raise RulesError(f"{source}: {where} must map a language to a list of words")
    out = {}
    for lang, words in mapping.items():
        if not isinstance(words, list):
            raise RulesError(f"{source}: {where}.{lang} must be a list")
        out[lang] = frozenset(fold(str(w)) for w in words)
    return out


_CACHE: dict[str, tuple[int, Rules]] = {}
# libyaml when PyYAML has it: the same safe loading, ten times faster (20 ms of every build's start)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_rules(path: str) -> Rules:
    """The compiled rules of a cleaning.yaml, read again only when the file changed (path + mtime)."""
    path = os.path.abspath(path)
    mtime = os.stat(path).st_mtime_ns
    cached = _CACHE.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    try:
        text = read_data_file(path).decode("utf-8")  # the link rule, as for every data file
    except OSError as exc:
        raise RulesError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise RulesError(f"{path}: not UTF-8 text: save it as UTF-8") from None
    try:
        try:
            data = yaml.load(text, Loader=_LOADER)
        except yaml.YAMLError:  # the pure-Python parser words the error as before
            data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesError(f"{path}: not valid YAML: {exc}") from None
    rules = Rules.from_mapping(data, source=path)
    _CACHE[path] = (mtime, rules)
    return rules
