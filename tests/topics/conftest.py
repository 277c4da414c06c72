import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = str(ROOT / "plugins")
if PLUGINS not in sys.path:
    sys.path.insert(0, PLUGINS)

from topics.core import TopicMatcher, load_taxonomy, parse_taxonomy  # noqa: E402

SITE_TAXONOMY = ROOT / "content" / "data" / "topics.yaml"


def small_taxonomy(topics, **top):
    """A taxonomy from Python data: each topic is (id, {lang: [terms]}) or (id, terms, extra fields)."""
    entries = []
    for topic_id, terms, *extra in topics:
        entry = {"id": topic_id, "labels": {"fr": topic_id.title(), "en": topic_id.title()}, "terms": terms}
        if extra:
            entry.update(extra[0])
        entries.append(entry)
    return parse_taxonomy({"topics": entries, **top}, source="test-topics.yaml")


@pytest.fixture(scope="session")
def site_taxonomy():
    return load_taxonomy(SITE_TAXONOMY)


@pytest.fixture(scope="session")
def site_matcher(site_taxonomy):
    return TopicMatcher(site_taxonomy)


@pytest.fixture
def matcher_for():
    def build(*topics, **top):
        return TopicMatcher(small_taxonomy(topics, **top))

    return build


@pytest.fixture(scope="session")
def site_support(pytestconfig):
    """tests/conftest.py (build_site, copy_content, page). `from conftest import` would find this file
    instead: pytest imports every conftest under the same module name."""
    module = pytestconfig.pluginmanager.get_plugin(str(ROOT / "tests" / "conftest.py"))
    assert module is not None, "tests/conftest.py (the shared build helpers) is not loaded"
    return module
