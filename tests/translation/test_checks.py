"""The quality checks on provider answers (plugins/translation/checks.py), on the held-out pairs
written before the checks (data/heldout_checks.yaml) and on the locale rules one by one."""

from pathlib import Path

import pytest
import yaml

from translation import checks
from translation.glossary import load_glossary
from translation_support import ROOT

DATA = Path(__file__).parent / "data"
# heldout_checks.yaml was written before the checks; heldout_checks_2.yaml after they were tuned on
# the first, and run on them once, unchanged.
HELDOUT_SETS = ("heldout_checks.yaml", "heldout_checks_2.yaml")


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(ROOT / "content", ("fr", "en"))


def _failed(case, glossary):
    return {f.check for f in checks.check_segment(case["source"], case["answer"], case["from"],
                                                  case["to"], glossary)}


@pytest.mark.parametrize("name", HELDOUT_SETS)
def test_heldout_precision_and_recall(glossary, capsys, name):
    """Positive = a check fires. Precision: of the answers flagged, how many were bad; recall: of
    the bad answers, how many were flagged by the check they name."""
    HELDOUT = yaml.safe_load((DATA / name).read_text("utf-8"))
    false_alarms = [(c["source"], _failed(c, glossary)) for c in HELDOUT["good"] if _failed(c, glossary)]
    caught = [c for c in HELDOUT["bad"] if c["fails"] in _failed(c, glossary)]
    flagged_bad = [c for c in HELDOUT["bad"] if _failed(c, glossary)]
    precision = len(flagged_bad) / max(1, len(flagged_bad) + len(false_alarms))
    recall = len(caught) / len(HELDOUT["bad"])
    with capsys.disabled():
        print(f"\nheld-out checks ({name}): {len(HELDOUT['good'])} good, {len(HELDOUT['bad'])} bad; "
              f"precision {precision:.2f}, recall {recall:.2f} (right check)")
    missed = [(c["fails"], c["answer"], _failed(c, glossary)) for c in HELDOUT["bad"] if c not in caught]
    assert not false_alarms, false_alarms
    assert not missed, missed


@pytest.mark.parametrize("text, lang, values", [
    ("600 millions d'euros", "fr", [600e6]),
    ("600 million euros", "en", [600e6]),
    ("2,19 €", "fr", [2.19]),
    ("€2.19", "en", [2.19]),
    ("1 500 salariés", "fr", [1500]),
    ("1\u202f500 salariés", "fr", [1500]),
    ("1,500 employees", "en", [1500]),
    ("4 % en 2024", "fr", [4, 2024]),
    ("en 2024 1 500 salariés", "fr", [2024, 1500]),
    ("10 000 000 de vues", "fr", [10e6]),
    ("5,8 milliards", "fr", [5.8e9]),
    ("5.8 billion", "en", [5.8e9]),
    ("un billion", "fr", []),
    ("3 billions de dollars", "fr", [3e12]),
    ("2,500 personnes", "fr", [2.5]),
    ("GPT-3.5 et Llama 3 8B", "fr", [3.5, 3, 8]),
    ("$600m", "en", [600e6]),
])
def test_numbers_are_read_with_each_languages_rules(text, lang, values):
    assert sorted(checks.numbers(text, lang).elements()) == sorted(float(v) for v in values)


def test_a_short_answer_in_the_source_language_is_not_failed_on_language_alone(glossary):
    failures = checks.check_segment("Ce qui change", "Ce qui a changé", "fr", "en", glossary)
    assert failures == []


def test_the_language_check_goes_through_one_function(glossary):
    seen = []

    def detect(text, languages):
        seen.append((text, languages))
        return "fr", True

    failures = checks.check_segment("Une phrase assez longue pour juger de sa langue, vraiment.",
                                    "Une phrase bien assez longue pour juger de la langue.",
                                    "fr", "en", glossary, detect=detect)
    assert [f.check for f in failures] == ["language"] and seen[0][1] == ("fr", "en")
    # The detector alone is not enough: English short words say it is unsure.
    assert checks.check_segment("Une phrase assez longue pour juger de sa langue, vraiment.",
                                "A sentence long enough to judge the language, really.",
                                "fr", "en", glossary, detect=detect) == []


def test_hostile_numbers_are_reported_not_raised(glossary):
    failures = checks.check_segment("Un nombre : 1.", "A number: " + "9" * 400 + ".", "fr", "en",
                                    glossary)
    assert [f.check for f in failures] == ["numbers", "length"]
    assert "too long to read" in failures[0].detail


def _committed_pairs():
    """(source, translation, from, to) for every title, summary and paragraph of the committed
    human translations whose paragraphs line up one to one with their source's."""
    from translation.memory import read_memory, split_front_matter

    for path in sorted((ROOT / "content/translations").glob("*/*/*.md")):
        entry = read_memory(path)
        meta, body = split_front_matter((ROOT / "content" / entry.meta["translation_of"])
                                        .read_text("utf-8"))
        pairs = [(meta["title"], entry.meta["title"])]
        if meta.get("summary") and entry.meta.get("summary"):
            pairs.append((meta["summary"], entry.meta["summary"]))
        source_blocks = [b.strip() for b in body.strip().split("\n\n")]
        blocks = [b.strip() for b in entry.body.strip().split("\n\n")]
        if len(source_blocks) == len(blocks):
            pairs += list(zip(source_blocks, blocks))
        for source, translation in pairs:
            yield source, translation, entry.meta["source_lang"], entry.meta["lang"]


def test_the_committed_human_translations_pass_every_check(glossary, capsys):
    """Real translations a person wrote: a check that fires on one of them is wrong."""
    pairs = list(_committed_pairs())
    flagged = [(s[:60], [(f.check, f.detail) for f in checks.check_segment(s, t, a, b, glossary)])
               for s, t, a, b in pairs]
    flagged = [f for f in flagged if f[1]]
    with capsys.disabled():
        print(f"\ncommitted human translations: {len(pairs)} segments, {len(flagged)} flagged")
    assert len(pairs) > 100 and flagged == []
