"""Helpers for tests that check which topics a text gets (our table tests, the sample-post table).

    from topics_support import TableRow, table_failures
    rows = [TableRow("grok-fr", title, body, must={"open-source"}, must_not={"funding"})]
    assert not table_failures(rows), "\\n\\n".join(table_failures(rows))
"""

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from topics.core import Tagger, load_taxonomy

SITE_TAXONOMY = Path(__file__).resolve().parents[2] / "content" / "data" / "topics.yaml"


@lru_cache(maxsize=None)
def site_tagger(path=SITE_TAXONOMY):
    """A Tagger on the site's topics.yaml (or another file), built once per test session."""
    return Tagger(load_taxonomy(path, source="content/data/topics.yaml"))


def topics_of(title, markdown, tags=(), exclude_tags=()):
    """The topics a post with this title and Markdown body gets in the build."""
    return site_tagger().tag(title, markdown, tags, exclude_tags).topics


@dataclass
class TableRow:
    name: str  # shown in failures: a slug, a file name
    title: str
    body: str  # Markdown
    must: set = field(default_factory=set)
    must_not: set = field(default_factory=set)
    tags: tuple = ()
    exclude_tags: tuple = ()


def table_failures(rows, tagger=None):
    """One readable message per row whose topics miss a `must` or hold a `must_not`, with the explanation."""
    tagger = tagger or site_tagger()
    failures = []
    for row in rows:
        tagging = tagger.tag(row.title, row.body, row.tags, row.exclude_tags)
        got = set(tagging.topics)
        missing, unwanted = set(row.must) - got, set(row.must_not) & got
        if missing or unwanted:
            failures.append(f"{row.name}: got {tagging.topics}; missing {sorted(missing)}, "
                            f"unwanted {sorted(unwanted)}\n{tagging.explain()}")
    return failures
