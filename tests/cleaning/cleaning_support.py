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


HELDOUT = FIXTURES / "heldout"
TRAPS = FIXTURES / "traps"


def split():
    """{"tune": [...], "held_out": [...]}: the posts of the evaluation set (heldout/split.yaml)."""
    return yaml.safe_load((HELDOUT / "split.yaml").read_text(encoding="utf-8"))


class Measure:
    """Lines removed / noise lines and content kept / content lines, over some posts."""

    def __init__(self):
        self.noise = self.noise_removed = self.content = self.content_kept = 0
        self.missed = []  # (post, line) of noise left in
        self.wrong = []  # (post, line, why) of content removed

    @property
    def recall(self):
        return self.noise_removed / self.noise if self.noise else 1.0

    @property
    def kept(self):
        return self.content_kept / self.content if self.content else 1.0

    def __str__(self):
        return (f"noise removed {self.noise_removed}/{self.noise} ({self.recall:.1%}), "
                f"content kept {self.content_kept}/{self.content} ({self.kept:.1%})")


def measure(names, folder, rules):
    """Clean each post of `folder` named in `names`; each non-blank body line is noise when its
    NAME.noise lists it, content otherwise."""
    from cleaning.core import clean_markdown

    result = Measure()
    for name in names:
        raw = (folder / f"{name}.md").read_text(encoding="utf-8")
        _, front, body = raw.split("---\n", 2)
        meta = yaml.safe_load(front)
        noise_file = folder / f"{name}.noise"
        noise = set(noise_file.read_text(encoding="utf-8").splitlines()) if noise_file.exists() else set()
        cleaned = clean_markdown(body, lang=meta["lang"], title=meta["title"],
                                 summary=meta.get("summary") or "", rules=rules)
        removed = {r.text: r for r in cleaned.removed}
        for line in body.splitlines():
            line = line.strip()
            if not line:
                continue
            if line in noise:
                result.noise += 1
                if line in removed:
                    result.noise_removed += 1
                else:
                    result.missed.append((name, line))
            else:
                result.content += 1
                if line in removed:
                    result.wrong.append((name, line, removed[line].explain()))
                else:
                    result.content_kept += 1
    return result
