"""Render keys: a short digest of everything a page is made from, so an unchanged page is neither
rendered nor written on the next build.

What is hashed is the page's template context. Objects in it say what identifies them through a
`cache_key()` method (a post: its source file's hash and translation state; a card: its fields);
what those keys leave out (the text of data files, the plugins' code, the templates, the settings)
is in the build-wide key, so a change there re-renders every page.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os


def update(h, value):
    kind = type(value)  # exact types first: this runs a million times on a large site
    if kind is str:
        h.update(b"s%d:" % len(value))
        h.update(value.encode("utf-8", "surrogatepass"))
    elif kind is list or kind is tuple:
        h.update(b"[")
        for item in value:
            update(h, item)
        h.update(b"]")
    elif kind is dict:
        h.update(b"{")
        for key, item in value.items():
            update(h, key)
            update(h, item)
        h.update(b"}")
    elif value is None or kind is bool or kind is int or kind is float:
        h.update(repr(value).encode())
    elif hasattr(value, "cache_key"):
        update(h, value.cache_key())
    elif isinstance(value, str):
        update(h, str(value))
    elif isinstance(value, (list, tuple)):
        update(h, list(value))
    elif isinstance(value, dict):
        update(h, dict(value))
    elif dataclasses.is_dataclass(value):
        update(h, [getattr(value, f.name) for f in dataclasses.fields(value)])
    else:
        raise TypeError(f"no render key for {type(value).__name__}: give it a cache_key() method")


def digest(*values) -> str:
    h = hashlib.blake2b(digest_size=16)
    for value in values:
        update(h, value)
    return h.hexdigest()


def tree_digest(*roots, suffixes=(".py", ".yaml", ".yml", ".json", ".html", ".css", ".js")) -> str:
    """Digest of the files under some folders (path and bytes), for build-wide keys."""
    h = hashlib.sha256()
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(suffixes):
                    path = os.path.join(folder, name)
                    h.update(os.path.relpath(path, root).encode())
                    with open(path, "rb") as fh:
                        h.update(fh.read())
    return h.hexdigest()


def settings_digest(settings) -> str:
    """The settings a page can depend on: every plain value (objects such as the report are not
    configuration)."""
    plain = {}
    for key in sorted(settings):
        value = settings[key]
        try:
            plain[key] = digest(value)
        except TypeError:
            continue
    return digest(plain)
