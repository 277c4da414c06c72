"""Company mentions in a text: which companies a post names, where, and why each mention counted.

The rule is documented in docs/companies.md. Cost: one pass of one compiled regex over the text for
every form of every company (on a lowercase copy of the text when that reads the same: faster); the
cue regex and the sentence splitter run only when a guarded form (Claude, Mistral, Apple...) was met,
and no further into the text than it, and each guarded mention then looks at a bounded slice around it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .candidates import find_candidates, text_candidates
from .registry import Form, Registry
from .text import HYPHENS, SENTENCE_END_RE, normalise

APOSTROPHES = "'\u2019"
# A version right after a versioned form: "Claude 3", "Llama 3.1", "Grok-1", "GPT-4o", "Mistral 7B".
VERSION = r"(?P<v>[ \-\u2010\u2011]v?\d{1,2}(?:\.\d+)*[a-zA-Z]{0,2}(?!\w))?"
WORD_RE = re.compile(r"\w+(?:['\u2019.\-]\w+)*")
WORD_CHARS = "'\u2019.-_"
NEXT_WORD_RE = re.compile(r"\s+([\w'\u2019\-]+)")
SNIPPET_CONTEXT = 40
MAX_SNIPPETS = 3
MAX_REJECTED = 50
MAX_WORD_CHARS = 20  # a word and its spaces, at most, when measuring a window in characters


def phrase_regex(phrases):
    """A case-insensitive regex matching any of `phrases` as whole words, the longest first.

    The phrases are folded into a character trie, so the engine walks each position once instead of
    trying every phrase in turn; greedy optional branches make a longer phrase win over its prefix
    ("Mistral AI" over "Mistral", "Google DeepMind" over "Google").
    """
    trie = {}
    for phrase in phrases:
        node = trie
        for char in normalise(phrase).lower():
            node = node.setdefault(char, {})
        node[""] = {}

    def char_pattern(char):
        if char == " ":
            return r"\s+"
        if char == "-":
            return "[" + re.escape(HYPHENS) + "]"
        if char == "'":
            return "[" + APOSTROPHES + "]"
        return re.escape(char)

    def build(node):
        ends = "" in node
        branches = [char_pattern(c) + build(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if ends else body

    return build(trie) if trie else "(?!)"  # no phrase: a pattern that never matches


# Where a text may be read in lowercase: Latin letters, the usual punctuation and symbols. A text with
# any other character is read with the case-insensitive patterns.
_LOWERCASE_CANDIDATES = [*range(0x250), *range(0x2000, 0x2070), 0x20AC, 0x2122]


def _lowercase_safe(phrases):
    """A regex finding a character on which the patterns of `phrases` (phrase_regex, the word bounds,
    VERSION) may answer otherwise in lowercase without IGNORECASE than as written with it.

    Each test the patterns make of one character is tried on every candidate character both ways;
    a character is safe when all agree and its lowercase is one character (so positions match)."""
    chars = [chr(c) for c in _LOWERCASE_CANDIDATES if len(chr(c).lower()) == 1]
    tests = {re.escape(c) for phrase in phrases for c in normalise(phrase).lower() if c not in " -'"}
    tests.update([r"\w", r"\s", r"\d", "[a-zA-Z]", "v", r"\.", "[ " + re.escape(HYPHENS) + "]",
                  "[" + re.escape(HYPHENS) + "]", "[" + APOSTROPHES + "]"])
    written = "".join(chars)
    lower = "".join(c.lower() for c in chars)  # position by position, as each test matches one character
    unsafe = set()
    for test in tests:
        folding = {m.start() for m in re.finditer(test, written, re.IGNORECASE)}
        unsafe.update(folding.symmetric_difference(m.start() for m in re.finditer(test, lower)))
    safe = [ord(c) for at, c in enumerate(chars) if at not in unsafe]
    ranges = []  # [first, last] code points
    for code in safe:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "[^" + "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]"


def cue_key(phrase):
    """A cue written with a capital matches that exact spelling; in lowercase it matches any case."""
    phrase = normalise(phrase)
    return ("=", phrase) if any(c.isupper() for c in phrase) else ("~", phrase.lower())


_NO_WORDS = (frozenset(), ())


def _words(items):
    """not_preceded_by / not_followed_by lists: (exact words, prefixes) in lowercase."""
    exact = {normalise(w).lower() for w in items if not w.endswith("*")}
    prefixes = tuple(normalise(w[:-1]).lower() for w in items if w.endswith("*"))
    return exact, prefixes


@dataclass
class Mention:
    company: str
    surface: str  # as written in the text
    form: str  # the registry form it matched
    start: int
    end: int
    reason: str  # why it counted, or why not


@dataclass
class CompanyMatch:
    id: str
    count: int = 0
    forms: dict = field(default_factory=dict)  # surface as written -> count
    positions: list = field(default_factory=list)  # [start, end] in the detection text
    snippets: list = field(default_factory=list)  # the first few mentions in context
    reasons: dict = field(default_factory=dict)  # reason -> count


@dataclass
class Detection:
    companies: dict  # id -> CompanyMatch, most mentioned first
    rejected: list  # Mention: a form met but not counted (first MAX_REJECTED)

    @property
    def ids(self):
        return list(self.companies)

    def to_dict(self):
        # Field by field: dataclasses.asdict deep-copies through copy.deepcopy, a fifth of a cold
        # build's detection time.
        return {"companies": [{"id": m.id, "count": m.count, "forms": dict(m.forms),
                               "positions": [list(p) for p in m.positions], "snippets": list(m.snippets),
                               "reasons": dict(m.reasons)} for m in self.companies.values()],
                "rejected": [vars(m).copy() for m in self.rejected]}

    @classmethod
    def from_dict(cls, data):
        companies = {}
        for item in data["companies"]:
            match = CompanyMatch(**item)
            match.positions = [list(p) for p in match.positions]
            companies[match.id] = match
        return cls(companies=companies, rejected=[Mention(**m) for m in data["rejected"]])


class _Prepared:
    """A guarded form with its word lists turned into lookup sets once."""

    def __init__(self, form: Form):
        self.form = form
        self.cues = frozenset(cue_key(c) for c in form.cues)
        self.anti_cues = frozenset(cue_key(c) for c in form.anti_cues)
        self.not_preceded_by = _words(form.not_preceded_by)
        self.not_followed_by = _words(form.not_followed_by)
        self.needs_previous = self.not_preceded_by != _NO_WORDS or form.ambiguous
        self.needs_following = self.not_followed_by != _NO_WORDS
        # A name that counts wherever it is met (most forms): _judge would only say "name".
        self.plain = not (form.guarded or self.needs_previous or self.needs_following
                          or form.versioned == "required")


class CompanyDetector:
    """Every form of every company in one compiled regex, built once per registry."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self.window = registry.window
        self.determiners = frozenset(registry.determiners)
        self._forms = {}  # lowercase key -> [_Prepared], exact-case forms first
        cue_phrases = set()
        for form in registry.forms():
            prepared = _Prepared(form)
            self._forms.setdefault(normalise(form.text).lower(), []).append(prepared)
            cue_phrases.update(form.cues)
            cue_phrases.update(form.anti_cues)
        for entries in self._forms.values():
            entries.sort(key=lambda p: not p.form.case_sensitive)
        form_pattern = r"(?<!\w)(?P<f>" + phrase_regex(self._forms) + r")(?!\w)" + VERSION
        cue_pattern = r"(?<!\w)(?:" + phrase_regex(cue_phrases) + r")(?!\w)"
        self.form_regex = re.compile(form_pattern, re.IGNORECASE)
        self.cue_regex = re.compile(cue_pattern, re.IGNORECASE)
        self.compiled_patterns = (self.form_regex, self.cue_regex)
        # The same patterns without IGNORECASE, for the text in lowercase: the engine then skips the
        # phrases that cannot start at a position instead of trying each (2-3x faster). Only for a text
        # whose every character answers each test of the patterns as its lowercase does (see
        # _lowercase_safe): anything else ("ſ", "İ", an emoji) is read with the patterns above.
        self._lower_form_regex = re.compile(form_pattern)
        self._lower_cue_regex = re.compile(cue_pattern)
        self._unsafe_re = re.compile(_lowercase_safe(list(self._forms) + sorted(cue_phrases)))
        self._ascii_safe = self._unsafe_re.search("".join(map(chr, range(128)))) is None
        # Up to `window` words, as WORD_RE.finditer finds them one after the other: one match instead.
        self._window_words_re = re.compile(r"(?:\W*(?:%s)){0,%d}" % (WORD_RE.pattern, self.window))
        # Names the candidates report must not propose: cues (people, places) and the editors' ignore list.
        names = cue_phrases | set(registry.candidate_ignore)
        names.update(cue for company in registry.companies.values() for cue in company.cues)
        self._known_names = {normalise(name).lower() for name in names}
        self._knows = {}  # name -> knows(name): names recur from post to post
        self._surfaces = {}  # surface as written -> (its forms, the one it meets): surfaces recur too
        self._folded = {}  # word -> normalise(word).lower(), for the word lists and determiners

    # -- detection ---------------------------------------------------------------------------------

    def _lowercase(self, text):
        """The text in lowercase when the lowercase patterns read it as the others read the text."""
        if (self._ascii_safe and text.isascii()) or self._unsafe_re.search(text) is None:
            lower = text.lower()
            if len(lower) == len(text):
                return lower
        return None

    def detect(self, text: str) -> Detection:
        lower = self._lowercase(text)
        context = _TextContext(text, self, lower)
        accepted, pending, rejected = [], [], []
        surfaces = self._surfaces
        scan = self.form_regex.finditer(text) if lower is None else self._lower_form_regex.finditer(lower)
        for match in scan:
            start, end = match.span("f")
            surface = text[start:end]
            known = surfaces.get(surface)
            if known is None:
                if len(surfaces) > 10_000:
                    surfaces.clear()
                entries = self._forms.get(normalise(surface).lower())
                known = surfaces[surface] = (entries, entries and self._pick(surface, entries))
            entries, prepared = known
            if entries is None:
                continue  # a case folding the regex accepts but str.lower() spells apart ("İ"): no form
            if prepared is None:
                # Name the most lenient spelling in the reason: "Llama", not "LLaMA".
                closest = entries[-1].form
                rejected.append(Mention(closest.company, surface, closest.text, start, end,
                                        f"case differs from '{closest.text}'"))
                continue
            form = prepared.form
            if prepared.plain:
                accepted.append(Mention(form.company, surface, form.text, start, end, "name"))
                continue
            version = None
            if form.versioned:
                low, stop = match.span("v")
                version = text[low:stop] if low >= 0 else None
            if not version:
                stop = end
            mention = Mention(form.company, surface, form.text, start, end, "")
            verdict = self._judge(prepared, mention, version, stop, context)
            if verdict is None:
                pending.append(mention)
            else:
                (accepted if verdict else rejected).append(mention)
        confirmed = {m.company for m in accepted}
        for mention in pending:
            if mention.company in confirmed:
                mention.reason = "company named elsewhere in the text"
                accepted.append(mention)
            else:
                mention.reason += "no cue nearby and company not named elsewhere"
                rejected.append(mention)
        return Detection(companies=self._group(accepted, text),
                         rejected=sorted(rejected, key=lambda m: m.start)[:MAX_REJECTED])

    @staticmethod
    def _pick(surface, entries):
        """The form whose case rule the surface meets, exact-case forms first; None if none does."""
        for prepared in entries:
            text = prepared.form.text
            if prepared.form.case_sensitive:
                if normalise(surface) == text:
                    return prepared
            elif surface[0] == text[0]:
                return prepared
        return None

    def _judge(self, prepared, mention, version, stop, context):
        """True: counts; False: does not (mention.reason says why); None: counts if the company is
        named elsewhere in the text."""
        form, start, end = prepared.form, mention.start, mention.end
        text = context.text
        if form.versioned == "required" and not version:
            mention.reason = "counts only with a version (like GPT-4)"
            return False
        previous = context.previous_word(start) if prepared.needs_previous else None
        if previous is not None and self._listed(previous, prepared.not_preceded_by):
            mention.reason = f"preceded by '{previous}'"
            return False
        following = context.next_word(end) if prepared.needs_following else None
        if following is not None and self._listed(following, prepared.not_followed_by):
            mention.reason = f"followed by '{following}'"
            return False
        if not form.guarded:
            mention.reason = "name"
            return True
        if (start >= 2 and text[start - 1] in HYPHENS and text[start - 2].isalnum()) or (
                not version and end + 1 < len(text) and text[end] in HYPHENS and text[end + 1].isalnum()):
            mention.reason = "part of a hyphenated word"
            return False
        window = context.window(start, stop)
        if prepared.anti_cues:
            anti = context.cue_in(window, (start, stop), prepared.anti_cues)
            if anti:
                mention.reason = f"anti-cue '{anti}' nearby"
                return False
        weak = previous is not None and self._fold(previous) in self.determiners
        if form.ambiguous and not weak:
            mention.reason = "capitalised name"
            return True
        if version:
            mention.reason = f"version '{version.strip(' -')}'"
            return True
        cue = context.cue_in(window, (start, stop), prepared.cues)
        if cue:
            mention.reason = f"cue '{cue}' nearby"
            return True
        mention.reason = f"after '{previous}': " if weak else ""  # completed once the whole text is read
        return None

    def _fold(self, word):
        """normalise(word).lower(), remembered: the words around mentions recur from post to post."""
        folded = self._folded.get(word)
        if folded is None:
            if len(self._folded) > 10_000:
                self._folded.clear()
            folded = self._folded[word] = normalise(word).lower()
        return folded

    def _listed(self, word, listing):
        """`word` (a str) is in a not_preceded_by / not_followed_by list (see _words)."""
        exact, prefixes = listing
        if not exact and not prefixes:
            return False
        word = self._fold(word)
        return word in exact or (bool(prefixes) and word.startswith(prefixes))

    def _group(self, accepted, text):
        groups = {}
        for mention in sorted(accepted, key=lambda m: m.start):
            match = groups.get(mention.company)
            if match is None:
                match = groups[mention.company] = CompanyMatch(mention.company)
            match.count += 1
            match.forms[mention.surface] = match.forms.get(mention.surface, 0) + 1
            match.positions.append([mention.start, mention.end])
            match.reasons[mention.reason] = match.reasons.get(mention.reason, 0) + 1
            if len(match.snippets) < MAX_SNIPPETS:
                match.snippets.append(snippet(text, mention.start, mention.end))
        ordered = sorted(groups.values(), key=lambda m: (-m.count, m.positions[0][0]))
        return {m.id: m for m in ordered}

    # -- candidates --------------------------------------------------------------------------------

    def knows(self, name):
        """True when `name` contains a registry form, is a cue or is in the registry's ignore list."""
        known = self._knows.get(name)
        if known is None:
            if len(self._knows) > 100_000:  # a long-lived process reads many sites' worth of names
                self._knows.clear()
            known = self._knows[name] = (normalise(name).lower() in self._known_names
                                         or bool(self.form_regex.search(name)))
        return known

    def candidates(self, texts, min_posts=2):
        """Capitalised names that recur across posts and are not in the registry: [(name, count, posts)]."""
        return find_candidates(texts, self.knows, min_posts=min_posts)

    def candidate_names(self, text):
        """One text's share of candidates() (see candidates.text_candidates): kept with its detection."""
        return text_candidates(text, self.knows)


class _TextContext:
    """What guarded mentions look at around them; built lazily, at most once per text."""

    def __init__(self, text, detector, lower=None):
        self.text = text
        self.detector = detector
        self.lower = lower  # the text in lowercase, when the lowercase patterns may read it
        # Sentence ends and cues are found as far into the text as a mention needs, not further: the
        # lists hold the first matches of one scan of the whole text (the *_scan iterators, None
        # before the first mention that needs them, False once the text is read to its end).
        self._bounds = []
        self._bound_scan = None
        self._cues = []
        self._starts = []
        self._cue_scan = None

    def previous_word(self, start):
        """The word right before `start`, joined by spaces or an elision ("l'"); None after punctuation."""
        text = self.text
        stop = start
        if stop > 1 and text[stop - 1] in APOSTROPHES and text[stop - 2].isalnum():
            stop -= 1
        else:
            while stop > 0 and text[stop - 1].isspace() and start - stop < 10:
                stop -= 1
            if stop == start:
                return None
        first = stop
        while first > 0 and stop - first < 40 and (text[first - 1].isalnum()
                                                    or text[first - 1] in WORD_CHARS):
            first -= 1
        return text[first:stop] or None

    def next_word(self, end):
        found = NEXT_WORD_RE.match(self.text, end, end + 60)
        return found.group(1) if found else None

    def window(self, start, end):
        """Character span of `window` words either side of [start, end), inside the sentence."""
        if self._bound_scan is None:
            self._bound_scan = SENTENCE_END_RE.finditer(self.text)
        bounds = self._bounds
        while self._bound_scan and (not bounds or bounds[-1] <= end):  # up to the first end after the mention
            found = next(self._bound_scan, None)
            if found is None:
                self._bound_scan = False
            else:
                bounds.append(found.end())
        at = bisect.bisect_right(self._bounds, start)
        first = self._bounds[at - 1] if at else 0
        last = self._bounds[at] if at < len(self._bounds) else len(self.text)
        while last <= end and at + 1 < len(self._bounds):  # a boundary inside the mention itself
            at += 1
            last = self._bounds[at]
        reach = MAX_WORD_CHARS * self.detector.window  # bounds the slice read, whatever the text
        words = self.detector._window_words_re  # `window` words at most
        # The words before are read backwards from the mention: a word spelled backwards is a word
        # too (runs of letters joined by single marks), and the nearest ones come first.
        before = words.match(self.text[max(first, start - reach):start][::-1]).end()
        after = words.match(self.text, end, min(max(last, end), end + reach)).end()
        return start - before, after

    def cue_in(self, window, own, keys):
        """The first cue of `keys` inside `window`, not overlapping the mention itself."""
        low, high = window
        cues = self._cues
        if self._cue_scan is None:
            self._cue_scan = (self.detector.cue_regex.finditer(self.text) if self.lower is None
                              else self.detector._lower_cue_regex.finditer(self.lower))
        while self._cue_scan and (not cues or cues[-1][0] < high):  # up to the first cue past the window
            found = next(self._cue_scan, None)
            if found is None:
                self._cue_scan = False
                break
            start, end = found.span()
            surface = self.text[start:end]
            key = normalise(surface)
            cues.append((start, end, surface, ("=", key), ("~", key.lower())))
            self._starts.append(start)
        for index in range(bisect.bisect_left(self._starts, low), len(cues)):
            start, end, surface, exact, folded = cues[index]
            if start >= high:
                break
            if end > high or (start < own[1] and end > own[0]):
                continue
            if exact in keys or folded in keys:
                return surface
        return None


def snippet(text, start, end, context=SNIPPET_CONTEXT):
    """The mention in brackets with some context, on one line: "Selon [OpenAI], ChatGPT compte…"."""
    low, high = max(0, start - context), end + context
    shown = " ".join((text[low:start] + "[" + text[start:end] + "]" + text[end:high]).split())
    return ("…" if low else "") + shown + ("…" if high < len(text) else "")
