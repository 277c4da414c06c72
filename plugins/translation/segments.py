"""A post cut into the segments a provider translates, and put back together.

Blocks come from markdown-it (the reader's options): headings, paragraphs (in lists and quotes too)
and table cells are translated; fenced and indented code, HTML blocks, rules, link reference
definitions and blank lines are copied as they are. Each translated block keeps its line's prefix
("## ", "> ", "- ", "1. ", indentation), so the translation has the same structure as the source.
A paragraph's soft line breaks become spaces (one line per paragraph in the translation); hard
breaks are kept. Inline markup is protected by inline.py.

Use: plan = prepare(title, summary, body, limit); send plan.texts(); plan.apply(translations);
send plan.fallback_texts(failed) if any; plan.apply_fallback(...); plan.render() gives
(title, summary, body).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from .inline import Inline

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_CONTAINER = re.compile(r"^[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)?")
# Inline tokens whose count must be the same after translation (see `same_structure`).
COUNTED = ("link_open", "image", "code_inline", "html_inline", "em_open", "strong_open", "s_open")


def make_markdown() -> MarkdownIt:
    """The same parser options as digest.reader.make_markdown (kept here so this module has no
    Pelican import); structure checks must parse like the build renders. Imported here, on first
    use: a build that translates nothing does not load markdown-it."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True, "typographer": False}).enable(
        ["table", "strikethrough"])


def _prefix(line: str, content: str) -> str:
    """What comes before `content` on `line` (container markers, indentation)."""
    core = content.rstrip()
    stripped = line.rstrip()
    if core and stripped.endswith(core):
        return stripped[: len(stripped) - len(core)]
    at = line.find(content.strip()) if content.strip() else -1
    return line[:at] if at >= 0 else _CONTAINER.match(line).group()


def _hard_break(line: str) -> str:
    if line.endswith("\\"):
        return "\\"
    return "  " if len(line) - len(line.rstrip(" ")) >= 2 else ""


class Plan:
    def __init__(self, title: str, summary: str, body: str, limit: int, md: MarkdownIt = None,
                 terms=None):
        self.md = md or make_markdown()
        self.terms = terms  # the glossary's protection, see Inline
        self.env: dict = {}
        tokens = self.md.parse(body, self.env)
        self.refs = frozenset(self.env.get("references", {}))
        self.limit = limit
        self.title = Inline(title, limit, terms=terms) if title else None
        self.summary = Inline(summary, limit, terms=terms) if summary else None
        self.lines: list[list] = [[line] for line in body.split("\n")]
        self._build(tokens)
        self.faults: list[str] = []

    def _inline(self, text):
        return Inline(text, self.limit, self.refs, self.terms)

    def _build(self, tokens):
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.type == "table_open":
                i = self._table(tokens, i)
                continue
            if token.type == "inline" and token.map and token.content.strip():
                parent = tokens[i - 1]
                if parent.type == "heading_open" and parent.markup.startswith("#"):
                    self._atx(token)
                elif parent.type in ("paragraph_open", "heading_open"):
                    self._paragraph(token)
            i += 1

    def _atx(self, token):
        row = token.map[0]
        line = self.lines[row][0]
        start = line.index("#")
        at = line.find(token.content, start + 1)
        if at < 0:
            return
        self.lines[row] = [line[:at], self._inline(token.content),
                           line[at + len(token.content):]]

    def _paragraph(self, token):
        first = token.map[0]
        contents = token.content.split("\n")
        rows = list(range(first, first + len(contents)))  # a setext underline stays as it is
        groups, current = [], []
        for row, content in zip(rows, contents):
            current.append((row, content))
            if row != rows[-1] and _hard_break(content):
                groups.append(current)
                current = []
        groups.append(current)
        for group in groups:
            row0 = group[0][0]
            marker = _hard_break(group[-1][1]) if group[-1][0] != rows[-1] else ""
            pieces = [c.strip() for _, c in group]
            if marker == "\\":
                pieces[-1] = pieces[-1][:-1].rstrip()
            text = " ".join(p for p in pieces if p)
            self.lines[row0] = [_prefix(self.lines[row0][0], group[0][1]), self._inline(text),
                                marker]
            for row, _ in group[1:]:
                self.lines[row] = None  # merged into the group's first line

    def _table(self, tokens, i):
        cells: dict[int, list[str]] = {}
        while tokens[i].type != "table_close":
            if tokens[i].type == "inline":
                cells.setdefault(tokens[i].map[0], []).append(tokens[i].content)
            i += 1
        for row, contents in cells.items():
            line = self.lines[row][0]
            parts: list = [re.match(r"^[ \t>]*", line).group(), "|"]
            for content in contents:
                parts += [" ", _Cell(content, self), " |"]
            self.lines[row] = parts
        return i + 1

    # -- translation ------------------------------------------------------------------------------
    def units(self) -> list[Inline]:
        return [unit for unit, _ in self.places()]

    def places(self) -> list[tuple]:
        """[(unit, where)] in document order: "title", "summary", "body line N"."""
        out = [(u, name) for u, name in ((self.title, "title"), (self.summary, "summary"))
               if u is not None]
        for row, line in enumerate(self.lines, 1):
            for part in line or ():
                if isinstance(part, Inline):
                    out.append((part, f"body line {row}"))
                elif isinstance(part, _Cell):
                    out.append((part.inline, f"body line {row}"))
        return out

    def texts(self) -> list[str]:
        """Segments to translate, each once, in document order."""
        return list(dict.fromkeys(c.text for u in self.units() for c in u.chunks))

    def apply(self, translations: dict) -> list[Inline]:
        """Fill every unit; return those whose markup came back wrong (they need the fallback)."""
        failed = [u for u in self.units() if not u.apply(translations, self.same_structure)]
        if failed:
            self.faults.append(f"markup dropped by the provider in {len(failed)} block(s): "
                               "translated piece by piece")
        return failed

    def fallback_texts(self, failed) -> list[str]:
        return list(dict.fromkeys(t for u in failed for t in u.fallback_texts()))

    def apply_fallback(self, failed, translations: dict):
        for unit in failed:
            unit.apply_fallback(translations)

    def render(self) -> tuple[str, str, str]:
        out = []
        for line in self.lines:
            if line is not None:
                out.append("".join(_text(p) for p in line))
        title = self.title.result if self.title else ""
        summary = self.summary.result if self.summary else ""
        return title, summary, "\n".join(out)

    def same_structure(self, source: str, translated: str) -> bool:
        return inline_counts(self.md, source, self.env) == inline_counts(self.md, translated,
                                                                         self.env)


class _Cell:
    def __init__(self, content, plan):
        self.inline = plan._inline(content)

    def render(self):
        # markdown-it unescapes \| inside cells; a pipe must be escaped again in the table row.
        return re.sub(r"(?<!\\)\|", r"\\|", self.inline.result or "")


def _text(part) -> str:
    if isinstance(part, str):
        return part
    if isinstance(part, _Cell):
        return part.render()
    return part.result if part.result is not None else part.source


def prepare(title: str, summary: str, body: str, limit: int, terms=None) -> Plan:
    return Plan(title or "", summary or "", body or "", limit, terms=terms)


def inline_counts(md: MarkdownIt, text: str, env=None) -> Counter:
    counts = Counter()
    for token in md.parseInline(text, dict(env or {})):
        for child in token.children or ():
            if child.type in COUNTED:
                counts[child.type] += 1
    return counts


def structure(md: MarkdownIt, body: str) -> Counter:
    """Headings, list items, links, images, code blocks, table cells and quotes of a document."""
    counts = Counter()
    for token in md.parse(body):
        if token.type in ("heading_open", "list_item_open", "fence", "code_block", "html_block",
                          "blockquote_open", "th_open", "td_open", "hr", "paragraph_open"):
            counts[token.type] += 1
        for child in token.children or ():
            if child.type in COUNTED:
                counts[child.type] += 1
    return counts
