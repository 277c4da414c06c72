"""Expectation tables: a text, the companies it must name and those it must not.

Reusable for any text: trap sentences, news paragraphs, and the real posts in content/posts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from companies.core import plain_text, resolve_companies


@dataclass(frozen=True)
class Case:
    text: str
    must: tuple = ()
    must_not: tuple = ()
    note: str = ""

    def __str__(self):
        return self.note or self.text[:60]


def case(text, must=(), must_not=(), note=""):
    return Case(text, tuple(_ids(must)), tuple(_ids(must_not)), note)


def _ids(value):
    return value.split() if isinstance(value, str) else list(value)


def problems(found, expected: Case, explain=""):
    """What is wrong with `found` (ids) against `expected`, as sentences; [] when right."""
    wrong = [f"missing {cid}" for cid in expected.must if cid not in found]
    wrong += [f"unexpected {cid}" for cid in expected.must_not if cid in found]
    if wrong and explain:
        wrong.append(explain)
    return wrong


def check_text(detector, expected: Case):
    detection = detector.detect(expected.text)
    explain = f"found {dict((k, m.forms) for k, m in detection.companies.items())}; " \
              f"not counted {[(m.surface, m.reason) for m in detection.rejected]}"
    return problems(detection.ids, expected, explain)


@dataclass(frozen=True)
class PostCase:
    """A real post, by path under content/posts, and what its company chips must (not) show."""
    path: str
    must: tuple = ()
    must_not: tuple = ()
    detected_must: tuple = ()  # named by detection alone, not only via front matter
    note: str = ""


def post_case(path, must=(), must_not=(), detected_must=(), note=""):
    return PostCase(path, tuple(_ids(must)), tuple(_ids(must_not)), tuple(_ids(detected_must)), note)


def read_post(path):
    """(front matter, body) of a Markdown post."""
    raw = Path(path).read_text(encoding="utf-8")
    _, front, body = raw.split("---", 2)
    return yaml.safe_load(front) or {}, body


def check_post(detector, root, expected: PostCase):
    """Resolve a post as the build does (detection on title + body, then front matter)."""
    meta, body = read_post(Path(root) / expected.path)
    detection = detector.detect(plain_text(meta.get("title", ""), body))
    resolution = resolve_companies(meta.get("companies"), detection.ids, meta.get("exclude_companies"),
                                   detector.registry.ids)
    explain = f"resolved {resolution.ids}, detected {dict((k, m.forms) for k, m in detection.companies.items())}"
    wrong = problems(resolution.ids, Case("", expected.must, expected.must_not), explain)
    wrong += [f"not detected: {cid} ({explain})" for cid in expected.detected_must if cid not in detection.ids]
    wrong += [f"error: {e.message}" for e in resolution.errors]
    return wrong
