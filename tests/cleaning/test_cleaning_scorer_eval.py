"""The scorer measured on our evaluation set (tests/cleaning/fixtures/heldout, written before the
scorer; see split.yaml), on real-sentence traps, and on every post of content/.

Run with -s to see the numbers:  python -m pytest tests/cleaning/test_cleaning_scorer_eval.py -s -q
"""


import pytest
import yaml

from cleaning_support import FIXTURES, HELDOUT, ROOT, TRAPS, measure, rules, split  # noqa: F401

from cleaning.core import SCORED_RULE, clean_markdown

# What the scorer reached when it was frozen (plugins/cleaning/README.md); the thresholds leave a
# little room for a weight change, and none on precision: no content line is ever removed.
TUNE_RECALL = 0.95  # measured 62/62
HELD_OUT_RECALL = 0.80  # measured 52/62 (84 %): the held-out set was never tuned on


def test_tune_half(rules):
    result = measure(split()["tune"], HELDOUT, rules)
    print("\ntune:", result)
    assert result.wrong == []
    assert result.recall >= TUNE_RECALL, result.missed


def test_held_out_half(rules):
    result = measure(split()["held_out"], HELDOUT, rules)
    print("\nheld out:", result)
    assert result.wrong == []
    assert result.recall >= HELD_OUT_RECALL, result.missed


def test_the_split_covers_both_languages_and_every_post():
    halves = split()
    assert not set(halves["tune"]) & set(halves["held_out"])
    names = {p.stem for p in HELDOUT.glob("*.md")}
    assert names == set(halves["tune"]) | set(halves["held_out"])
    for half in halves.values():
        assert sum(n.startswith("fr_") for n in half) >= 6 and sum(n.startswith("en_") for n in half) >= 6
    noise = sum(len((HELDOUT / f"{n}.noise").read_text(encoding="utf-8").splitlines()) for n in names)
    assert len(names) >= 24 and noise >= 100


def test_no_trap_sentence_is_ever_removed(rules):
    names = sorted(p.stem for p in TRAPS.glob("*.md"))
    result = measure(names, TRAPS, rules)
    print("\ntraps:", result)
    assert result.content >= 40
    assert result.wrong == []


# The one post of content/ pasted with its page noise on purpose (the sample the cleaning is shown
# on): what the phrase list, title repeats and stray words remove there, and nothing else.
NOISY_SAMPLE = "posts/2024/xai-open-source-grok.md"


def _posts():
    return sorted(p for p in (ROOT / "content").rglob("*.md"))


@pytest.mark.parametrize("path", _posts(), ids=lambda p: str(p.relative_to(ROOT / "content")))
def test_clean_posts_of_the_site_lose_no_line(rules, path):
    raw = path.read_text(encoding="utf-8")
    _, front, body = raw.split("---\n", 2)
    meta = yaml.safe_load(front)
    # Translations say `clean: false` (their source was cleaned); they are cleaned here all the same:
    # more real prose the scorer must leave alone.
    cleaned = clean_markdown(body, lang=meta["lang"], title=meta.get("title") or "",
                             summary=meta.get("summary") or "", rules=rules)
    if path.relative_to(ROOT / "content").as_posix() == NOISY_SAMPLE:
        assert [r.rule for r in cleaned.removed] == ["stray-word", "title-repeat", "title-repeat",
                                                     "title-repeat", "share", "follow"]
    else:
        assert cleaned.removed == []


@pytest.mark.parametrize("name", ["clean_fr.md", "clean_en.md"])
def test_clean_fixture_posts_lose_no_line(rules, name):
    raw = (FIXTURES / name).read_text(encoding="utf-8")
    _, front, body = raw.split("---\n", 2)
    meta = yaml.safe_load(front)
    cleaned = clean_markdown(body, lang=meta["lang"], title=meta.get("title") or "", rules=rules)
    assert [r for r in cleaned.removed if r.rule == SCORED_RULE] == []
    assert cleaned.removed == []
