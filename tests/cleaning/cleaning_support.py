"""Fixtures for the cleaning tests: the real rules file and our own noisy and clean posts.

Not a conftest.py on purpose: other test packages do `from conftest import build_site`, and pytest
leaves the module name "conftest" to the conftest.py it imported last, so a conftest.py here would
shadow tests/conftest.py for every directory collected after this one. Test modules import the
fixtures they use from here.
"""

import html
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = str(ROOT / "plugins")
if PLUGINS not in sys.path:
    sys.path.insert(0, PLUGINS)

from cleaning.rules import load_rules  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
RULES_PATH = ROOT / "content" / "data" / "cleaning.yaml"
# The issue's samples: ../shared/samples beside the clone (as on the developers' machines and CI).
SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"


@pytest.fixture(scope="session")
def rules():
    return load_rules(str(RULES_PATH))


def read_post(name):
    """(meta, body) of a fixture post with YAML front matter."""
    raw = (FIXTURES / name).read_text(encoding="utf-8")
    _, front, body = raw.split("---\n", 2)
    return yaml.safe_load(front), body


def noise_lines(name):
    return [line for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines() if line.strip()]


_DROP = re.compile(r"<(head|script|style)\b.*?</\1>", re.S | re.I)
_BLOCK_END = re.compile(r"</(p|div|h[1-6]|aside|footer|header|nav|li|article)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(markup):
    """What an editor gets when copying a web page as text: one block per paragraph."""
    text = _DROP.sub("", markup)
    text = _BLOCK_END.sub("\n\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
