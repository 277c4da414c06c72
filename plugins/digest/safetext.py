"""Text made safe once, where it enters the build: a file read, a provider's answer.

One rule for every way in. Characters that no page, feed or YAML file of ours can carry are taken
out, and each is reported with its line so the editor can see what changed:
- line breaks in other clothes (CR, CRLF, vertical tab, form feed, NEL, U+2028, U+2029) become "\n"
  (office software writes a vertical tab for a manual line break);
- every other control character but tab and newline (C0, DEL, C1), lone surrogates, the
  Unicode noncharacters (U+FDD0..U+FDEF and the last two code points of every plane) and a byte
  order mark past the start (U+FEFF: what is left where two files were pasted together, invisible,
  and it splits the word it sits in for every matcher) are removed.
Tab and newline are kept; everything else (emoji, combining marks, right-to-left text) is text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BREAKS = "\r\x0b\x0c\x85\u2028\u2029"
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
_REMOVED = "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufeff" + _NONCHARACTERS
_UNSAFE = re.compile(f"\r\n|[{_BREAKS}{_REMOVED}]")
# What a text must hold for _UNSAFE to find anything, as one class of ranges in the Basic
# Multilingual Plane plus every astral character (where the other noncharacters are): searched in
# a tenth of _UNSAFE's time, whose single astral code points make the engine test each character
# against a long list. Most texts have none, and make_safe then returns at once.
_SUSPECT = re.compile(f"[{_BREAKS}\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufeff"
                      f"\ufdd0-\ufdef\ufffe\uffff\U00010000-\U0010ffff]")

_NAMES = {
    "\x00": "NUL", "\x08": "backspace", "\x0b": "vertical tab", "\x0c": "form feed",
    "\r": "carriage return", "\x1b": "escape", "\x7f": "delete", "\x85": "next line",
    "\u2028": "line separator", "\u2029": "paragraph separator", "\ufffe": "noncharacter",
    "\uffff": "noncharacter", "\ufeff": "byte order mark",
}


@dataclass(frozen=True)
class Unsafe:
    """One character taken out of (or turned into a newline in) the text."""

    line: int  # 1-based, in the text as it was
    char: str
    replaced_by_newline: bool

    def describe(self) -> str:
        code = f"U+{ord(self.char):04X}"
        name = _NAMES.get(self.char)
        if name is None and 0xD800 <= ord(self.char) <= 0xDFFF:
            name = "lone surrogate"
        elif name is None and (0xFDD0 <= ord(self.char) <= 0xFDEF or ord(self.char) & 0xFFFE == 0xFFFE):
            name = "noncharacter"
        elif name is None:
            name = "control character"
        return f"{code} ({name})"


def make_safe(text: str, line_break: str = "\n") -> tuple[str, tuple[Unsafe, ...]]:
    """`text` with the rule above applied, and what was changed (empty when nothing was).
    A plain CRLF is a line ending, not a finding: it becomes "\n" without being reported.
    `line_break`: what a line break in other clothes becomes ("\n"; a YAML header, where a new
    line would start a new field, asks for " ")."""
    if _SUSPECT.search(text) is None or _UNSAFE.search(text) is None:
        return text, ()
    found: list[Unsafe] = []
    line = 1
    last = 0

    def replace(match: re.Match) -> str:
        nonlocal line, last
        line += text.count("\n", last, match.start())
        last = match.start()
        piece = match.group()
        if piece == "\r\n":
            return "\n"
        to_newline = piece in _BREAKS
        if piece != "\r":
            found.append(Unsafe(line, piece, to_newline))
        return line_break if to_newline else ""

    return _UNSAFE.sub(replace, text), tuple(found)


def summarise(found, limit: int = 5) -> str:
    """One line for a report: 'line 3: U+000B (vertical tab) made a line break; line 9: U+0008
    (backspace) removed', the first `limit` of them and how many more."""
    parts = [f"line {u.line}: {u.describe()} {'made a line break' if u.replaced_by_newline else 'removed'}"
             for u in found[:limit]]
    if len(found) > limit:
        parts.append(f"and {len(found) - limit} more")
    return "; ".join(parts)


def one_line(text: str) -> str:
    """A one-line field (a title, a summary) as one line: any run of line breaks and spaces
    around them becomes one space."""
    return re.sub(r"\s*\n\s*", " ", make_safe(text)[0]).strip()
