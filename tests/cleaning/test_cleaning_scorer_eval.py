"""The scorer measured on our evaluation set (tests/cleaning/fixtures/heldout, written before the
scorer; see split.yaml), on real-sentence traps, and on every post of content/.

Run with -s to see the numbers:  python -m pytest tests/cleaning/test_cleaning_scorer_eval.py -s -q
"""


import pytest
import yaml

from cleaning_support import FIXTURES, HELDOUT, ROOT, TRAPS, measure, rules, split  # noqa: F401

from cleaning.core import SCORED_RULE, clean_markdown

# Three rounds of noisy pastes, each written and committed before the tuning that followed it (see
# plugins/cleaning/README.md for the history). Rounds 1 and 2 have since been tuned on; round 3 has
# only ever been measured. The recall floors sit a little under what was measured when the scorer
# was frozen; there is no floor on precision: no content line of any round may be removed.
ROUNDS = [
    # (folder, half of split.yaml, recall floor, measured when frozen)
    ("heldout", "tune", 0.95, "62/62"),
    ("heldout", "held_out", 0.95, "62/62, 52/62 before the second tuning"),
    ("heldout2", "held_out", 0.90, "54/58; 30/58 with the first tuning, 31/58 with the second"),
    ("heldout3", "held_out", 0.50, "34/60, 30/60 with the second tuning: never tuned on"),
]


@pytest.mark.parametrize("folder, half, floor, measured", ROUNDS, ids=[f"{r[0]}-{r[1]}" for r in ROUNDS])
def test_evaluation_rounds(rules, folder, half, floor, measured):
    names = yaml.safe_load((FIXTURES / folder / "split.yaml").read_text(encoding="utf-8"))[half]
    result = measure(names, FIXTURES / folder, rules)
    print(f"\n{folder} {half}: {result} (when frozen: {measured})")
    assert result.wrong == []
    assert result.recall >= floor, result.missed


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
