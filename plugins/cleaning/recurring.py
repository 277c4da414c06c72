"""Lines that recur verbatim across posts of one source: that source's page furniture.

A news site repeats its footer, its subscription box and its "related" header on every article; a
paste from it carries them along. No single post tells them from content, but three posts of the same
source do (trafilatura drops text segments it has already seen many times for the same reason).

Pure, no Pelican import. The build runs `scan` over every post once at its start (cheap: no YAML
parsing, no folding, a set of its short lines), builds an `Index`, and the cleaner asks it which lines
of a post recur. Each post's `salt` names the recurring lines it holds, so whatever caches a cleaned
post can tell when that set changed (see plugins/cleaning/__init__.py).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import NamedTuple
from urllib.parse import urlsplit

MIN_POSTS = 3  # a line in this many posts of one source recurs
MIN_CHARS = 12  # shorter lines ("Oui.", "Pourquoi ?") recur by chance
MAX_CHARS = 400  # longer lines are paragraphs
_SKIPPED_STARTS = ("#", "|", ">", "    ", "\t")  # headings, tables, quotations, indented code
_FENCES = ("```", "~~~")
# The line that closes the front matter, and the three fields read from it (top-level keys only).
_FRONT_MATTER_END = re.compile(r"\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)")
_FIELD = re.compile(r"^(source_name|source|clean):([^\r\n]*)", re.M)


class Entry(NamedTuple):
    """What the index needs from one post."""

    source: str  # "" when the post names no source
    keys: frozenset  # line keys of its candidate lines


def line_key(line: str) -> str:
    """The key of a line: its text with runs of spaces made one (verbatim otherwise). The text
    itself, not a digest of it: hashing every short line of every post cost more than keeping them
    (about 1 MB at 2,000 posts); only each post's salt is a digest."""
    return " ".join(line.split())


def source_key(source_name, source_url) -> str:
    """Posts are grouped by `source_name` (case and spacing ignored), else by the host of `source`."""
    if isinstance(source_name, str) and source_name.strip():
        return "name:" + " ".join(source_name.casefold().split())
    if isinstance(source_url, str) and source_url.strip():
        try:
            host = urlsplit(source_url.strip()).hostname or ""
        except ValueError:
            return ""
        host = host.removeprefix("www.")
        return "host:" + host if host else ""
    return ""


def source_label(key: str) -> str:
    """"Exemple Info" or "example.com" for a report (the key folded: what the editor wrote, lower case)."""
    return key.split(":", 1)[1] if ":" in key else key


def candidate(line: str) -> bool:
    """Lines that may be page furniture: not blank, not a heading, table, quotation or code line,
    not a list item, of some length."""
    size = len(line)
    if size < MIN_CHARS or size > 2 * MAX_CHARS:  # (raw length first: most lines are long paragraphs)
        return False
    first = line[0]
    if first in _SPECIAL_STARTS or first.isdigit():
        if line.startswith(_SKIPPED_STARTS):
            return False
        stripped = line.strip()
        head = stripped[:1]
        if head in "-*+" and stripped[1:2] in (" ", "\t"):
            return False
        if head.isdigit() and stripped.split(" ", 1)[0].rstrip(".)").isdigit():
            return False
    else:
        stripped = line.strip()
    if len(stripped) < MIN_CHARS or len(stripped) > MAX_CHARS:
        return False
    return " " in stripped or "\t" in stripped


_SPECIAL_STARTS = frozenset("#|> \t-*+")


def scan(raw: bytes) -> Entry | None:
    """The source and line keys of a post file (Markdown with YAML front matter), or None when it
    has no front matter, says `clean: false`, or is not UTF-8. Only top-level `key: value` lines of
    the front matter are read: no YAML parser runs here (the reader validates the file)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    text = text.lstrip("\ufeff")
    if not text.startswith("---"):
        return None
    end = _FRONT_MATTER_END.search(text, 3)
    if end is None:
        return None
    fields = {key: _scalar(value) for key, value in _FIELD.findall(text, 3, end.start() + 1)}
    if str(fields.get("clean", "")).lower() in ("false", "no", "off"):
        return None
    body = text[end.end():]
    if "\r" in body:
        body = body.replace("\r\n", "\n").replace("\r", "\n")
    keys = set()
    fence = None
    for line in body.split("\n"):
        if not line:
            continue
        if line[0] in "`~ ":  # only such a line can open or close a fence
            marker = line.lstrip(" ")[:3]
            if marker in _FENCES and len(line) - len(line.lstrip(" ")) < 4:
                fence = None if fence == marker else (fence or marker)
                continue
        if fence is None and candidate(line):
            keys.add(line_key(line))
    return Entry(source_key(fields.get("source_name"), fields.get("source")), frozenset(keys))


def _scalar(value: str) -> str:
    """A one-line YAML scalar, quotes removed (enough for a name or a URL)."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"' and "\\" not in value:
        return value[1:-1]
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    if " #" in value:
        value = value.split(" #", 1)[0].rstrip()
    return value


class Index:
    """Which line keys recur in MIN_POSTS or more posts of a source."""

    def __init__(self, entries: dict, min_posts: int = MIN_POSTS):
        self.entries = entries  # path -> Entry
        self.min_posts = min_posts
        counts = Counter()
        for entry in entries.values():
            if entry.source:
                counts.update((entry.source, key) for key in entry.keys)
        self.counts = {pair: n for pair, n in counts.items() if n >= min_posts}

    def recurring_in(self, path) -> dict:
        """{line key: number of posts of the source that hold it} for the recurring lines of a post."""
        entry = self.entries.get(path)
        if entry is None or not entry.source or not self.counts:
            return {}
        counts = self.counts
        source = entry.source
        return {key: counts[(source, key)] for key in entry.keys if (source, key) in counts}

    def salt(self, path) -> str:
        """A digest of the recurring lines of a post ("" when none): it changes when that set does."""
        keys = self.recurring_in(path)
        if not keys:
            return ""
        text = "\n".join(sorted(keys)).encode("utf-8", "surrogatepass")
        return hashlib.blake2b(text, digest_size=8).hexdigest()

    def digest(self) -> str:
        """A digest of every post's salt: it changes when any post's set of recurring lines does."""
        h = hashlib.blake2b(digest_size=16)
        for path in sorted(self.entries):
            salt = self.salt(path)
            if salt:
                h.update(f"{path}\0{salt}\n".encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def __bool__(self):
        return bool(self.counts)
