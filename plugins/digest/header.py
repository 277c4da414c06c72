"""The YAML header of a post, read with bounded work and one meaning per field.

Pure. Two readers give the same mapping: a quick one for headers of plain `key: text` lines (nearly
every post), and libyaml for anything else. Before libyaml's node graph is turned into Python
values it is walked once, so that what would make that work unbounded or a field ambiguous is
refused with its line: an alias (`*name`: ten lines of nested aliases expand to billions of
values), a field given twice (YAML keeps the last one without a word), nesting deeper than any
front matter needs.
"""

from __future__ import annotations

import re
from collections import deque

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

MAX_DEPTH = 16  # a post's header is flat; a list of lists is already odd


class HeaderError(yaml.YAMLError):
    """A header refused before it is built: `problem` and `fix` for the editor, `problem_mark`
    (libyaml's) for the line."""

    def __init__(self, problem, mark, fix):
        super().__init__(problem)
        self.problem, self.problem_mark, self.fix = problem, mark, fix


def check_graph(root):
    """Raise HeaderError for an alias, a repeated key or too deep a nesting (one walk, each node
    once: an alias is a node met a second time)."""
    seen = set()
    queue = deque([(root, 1)])  # breadth first: an alias is met as an alias, not as a deep path
    while queue:
        node, depth = queue.popleft()
        if id(node) in seen:
            raise HeaderError("it uses a YAML alias (*name), which repeats an anchored (&name) value",
                              node.start_mark, "write the value out in full; aliases and anchors "
                                               "are not allowed in front matter")
        seen.add(id(node))
        if depth > MAX_DEPTH:
            raise HeaderError(f"values are nested more than {MAX_DEPTH} levels deep",
                              node.start_mark, "front matter is one 'field: value' per line; lists "
                                               "are [a, b]")
        if isinstance(node, MappingNode):
            keys = set()
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    name = key.value.strip().lower()
                    if name in keys:
                        raise HeaderError(f"the field '{key.value}' is given twice",
                                          key.start_mark, "keep one of the two lines (YAML would "
                                                          "silently use the last one)")
                    keys.add(name)
                queue.append((key, depth + 1))
                queue.append((value, depth + 1))
        elif isinstance(node, SequenceNode):
            queue.extend((item, depth + 1) for item in node.value)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml: ~10x faster
    """SafeLoader that leaves dates as strings, so a bad date is our message, not a YAML crash,
    and refuses aliases and repeated fields before anything is built (check_graph)."""

    def get_single_data(self):
        node = self.get_single_node()
        if node is None:
            return None
        check_graph(node)
        return self.construct_document(node)


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# The front matter of nearly every post is one `key: value` per line with plain or quoted text. Such a
# header is read here, a few times faster than libyaml builds it (a tenth of reading a post), and
# gives exactly what libyaml gives; anything else (lists, nesting, escapes, numbers, odd characters)
# goes to libyaml.
_SIMPLE_LINE = re.compile(r"([a-z_][a-z0-9_]*):(?: (.*))?\Z")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# Spaces that Python does not call printable but YAML reads as ordinary characters (typeset French
# titles are full of U+00A0 and U+202F).
_ORDINARY_SPACES = {cp: "x" for cp in (0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)}


def _plain_value(text):
    """(True, value) for a value libyaml would read as this string, boolean or null; (False, None)
    for anything this reader does not vouch for."""
    text = text.strip(" ")
    if not text or text.startswith("#"):
        return True, None  # "key:" or "key:   # comment"
    first = text[0]
    if first == "'":
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != "'" or "'" in inner.replace("''", ""):
            return False, None
        return True, inner.replace("''", "'")
    if first == '"':
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != '"' or '"' in inner or "\\" in inner:
            return False, None
        return True, inner
    if first in _INDICATORS or ": " in text or "#" in text or text.endswith(":"):
        return False, None
    for tag, pattern in _Loader.yaml_implicit_resolvers.get(first, ()):
        if pattern.match(text):
            if tag == "tag:yaml.org,2002:bool":
                return True, yaml.constructor.SafeConstructor.bool_values[text.lower()]
            if tag == "tag:yaml.org,2002:null":
                return True, None
            return False, None  # numbers, "<<", "=": libyaml
    return True, text


def plain_header(header: str):
    """The mapping of a header made only of `key: text` lines (and blank or comment lines), or
    None when libyaml must read it."""
    meta = {}
    for line in header.split("\n"):
        if not line.isprintable() and not line.translate(_ORDINARY_SPACES).isprintable():
            # YAML's printable characters are not Python's, and some are line breaks (U+2028)
            return None
        if not line.strip(" ") or line.startswith("#"):
            continue
        match = _SIMPLE_LINE.match(line)
        if match is None:
            return None
        key = match.group(1)
        if any(pattern.match(key) for _tag, pattern in _Loader.yaml_implicit_resolvers.get(key[0], ())):
            return None  # a key such as "true" or "null" is not text in YAML
        simple, value = _plain_value(match.group(2) or "")
        if not simple:
            return None
        if key in meta:
            return None  # given twice: libyaml's path says so with the line
        meta[key] = value
    return meta or None  # a header of comments only: libyaml says what it is


def check_events(header: str):
    """Raise HeaderError for an alias or too deep a nesting, from libyaml's events alone: building
    the node graph of "[[[[..." (200,000 deep) overflowed the C stack of libyaml's composer and
    killed the process."""
    depth = 0
    for event in yaml.parse(header, Loader=_Loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise HeaderError(f"values are nested more than {MAX_DEPTH} levels deep",
                                  event.start_mark, "front matter is one 'field: value' per line; "
                                                    "lists are [a, b]")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            raise HeaderError(f"it uses a YAML alias (*{event.anchor})", event.start_mark,
                              "write the value out in full; aliases and anchors are not allowed "
                              "in front matter")


def parse_header(header: str):
    """The header's mapping (or whatever YAML value it is). Raises yaml.YAMLError (HeaderError for
    what check_events and check_graph refuse)."""
    if not header.strip():
        return {}
    plain = plain_header(header)
    if plain is not None:
        return plain
    if "*" in header or "&" in header or len(header) > 4096 or \
            header.count("[") + header.count("{") > MAX_DEPTH:
        # An alias needs a *, the composer's stack only fails thousands of levels deep: a short
        # header with few brackets is nested a few dozen levels at most (check_graph's business).
        check_events(header)
    return yaml.load(header, Loader=_Loader)
