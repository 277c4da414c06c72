"""A provider that mistranslates, end to end: `invoke translate` against the fake server made to
get things wrong (libre_server.MISTRANSLATIONS), and a clean answer that passes every check."""

import os
from pathlib import Path

import pytest
import yaml
from libre_server import MISTRANSLATIONS
from translation.memory import read_memory
from translation_support import build, write

POST = Path("content/posts/2024/mistral.md")
MEMORY = Path("content/translations/en/2024/mistral.md")
SOURCE = """\
---
title: Mistral AI lève 600 millions d'euros
date: 2024-06-11 09:00
lang: fr
summary: Le Chat de Mistral AI coûte 2,19 € par mois.
---

Mistral AI lève 600 millions d'euros auprès de ses investisseurs, dont Amazon et Anthropic.

La start-up compte désormais 1 500 salariés et vise 4 % du marché de l'IA générative en 2025.
"""
GLOSSARY = """\
keep: [Le Chat, Mistral AI, Amazon, Anthropic]
pairs:
  - {fr: IA générative, en: generative AI}
untranslated:
  en: "original language: not translated"
"""
# A real English translation of every segment the post sends (kept names are placeholders).
CLEAN = {
    "⟦1⟧ lève 600 millions d'euros": "⟦1⟧ raises 600 million euros",
    "⟦1⟧ de ⟦2⟧ coûte 2,19 € par mois.": "⟦2⟧'s ⟦1⟧ costs €2.19 a month.",
    "⟦1⟧ lève 600 millions d'euros auprès de ses investisseurs, dont ⟦2⟧ et ⟦3⟧.":
        "⟦1⟧ raises 600 million euros from its investors, including ⟦2⟧ and ⟦3⟧.",
    "La start-up compte désormais 1 500 salariés et vise 4 % du marché de l'⟦1⟧ en 2025.":
        "The start-up now has 1,500 employees and is aiming for 4% of the ⟦1⟧ market in 2025.",
}


@pytest.fixture
def mistral(project):
    write(project / POST, SOURCE)
    write(project / "content/data/glossary.yaml", GLOSSARY)
    (project / "content/posts/2024/ia-generative.md").unlink()
    (project / "content/posts/2024/open-models.md").unlink()
    return project


def failed_checks(project):
    return read_memory(project / MEMORY).meta["checks"]["failed"]


def test_a_clean_answer_passes_every_check(run, mistral, libre_server):
    libre_server.script = CLEAN
    code, out = run(libre_server.url)
    assert code == 0 and set(libre_server.texts) == set(CLEAN)  # nothing else was sent
    entry = read_memory(mistral / MEMORY)
    assert entry.meta["checks"] == {"passed": 4, "failed": []}
    assert entry.meta["title"] == "Mistral AI raises 600 million euros"
    assert entry.meta["summary"] == "Mistral AI's Le Chat costs €2.19 a month."
    assert "1,500 employees" in entry.body and "generative AI market" in entry.body
    assert "original language" not in entry.body
    assert "checks: 4 segment(s) passed; failed: numbers 0, terms 0, language 0, echo 0, " \
           "length 0" in out
    assert "glossary        content/translations/en/2024/mistral.md: 'IA générative' rendered " \
           "as 'generative AI'" in out


@pytest.mark.parametrize("fault, check, glossary", [
    ("literal", "terms", "check"),  # "Le Chat" -> "The Cat"
    ("drop_numbers", "numbers", "protect"),
    ("alter_numbers", "numbers", "protect"),
    ("drop_names", "terms", "check"),
    ("source_language", "language", "protect"),
    ("echo", "echo", "protect"),
    ("ten_times", "length", "protect"),
])
def test_a_mistranslated_segment_is_retried_once_then_kept_out(run, mistral, libre_server, fault,
                                                               check, glossary):
    libre_server.mistranslate = fault
    code, out = run(libre_server.url, "--glossary", glossary)
    assert code == 0
    failed = failed_checks(mistral)
    assert check in {f["check"] for f in failed}, failed
    assert all(set(f) == {"check", "segment", "detail"} and isinstance(f["segment"], int)
               for f in failed)
    entry = read_memory(mistral / MEMORY)
    # Each failed segment was asked for twice (the retry), and is published in French, marked.
    asked = [t for t in libre_server.texts]
    assert any(asked.count(t) == 2 for t in set(asked))
    failed_lines = {f["detail"].split(":")[0] for f in failed}
    if "body line 1" in failed_lines:
        assert entry.body.startswith("Mistral AI lève 600 millions d'euros auprès de ses "
                                     "investisseurs, dont Amazon et Anthropic. *[original "
                                     "language: not translated]*")
    if "title" in failed_lines:
        assert entry.meta["title"] == ("Mistral AI lève 600 millions d'euros [original "
                                       "language: not translated]")
    count = len({f["segment"] for f in failed if f["check"] == check})
    assert f"{check} {count}" in out.splitlines()[-2]
    assert "kept in the original language" in out


def test_the_next_run_asks_again_for_segments_that_failed(run, mistral, libre_server):
    libre_server.mistranslate = "drop_numbers"
    run(libre_server.url)
    assert failed_checks(mistral)
    libre_server.reset()
    code, out = run(libre_server.url)
    assert code == 0 and libre_server.count > 0
    assert "asked again for the segments that failed their checks" in out
    assert failed_checks(mistral) == []
    assert "original language" not in read_memory(mistral / MEMORY).body
    libre_server.reset()
    run(libre_server.url)
    assert libre_server.count == 0  # all passed: nothing is asked again


def test_an_answer_that_tries_to_write_yaml_stays_one_line_of_text(run, mistral, libre_server):
    libre_server.mistranslate = "yaml_injection"
    code, out = run(libre_server.url)
    assert code == 0
    entry = read_memory(mistral / MEMORY)
    assert entry.meta["reviewed"] is False and entry.meta["provider"] == "libre"
    assert "\n" not in entry.meta["title"] and "\n" not in entry.meta["summary"]
    assert all(line.strip() != "---" for line in entry.body.splitlines())
    # Not locked: the source changes, the next run refreshes it.
    write(mistral / POST, SOURCE.replace("2025", "2026"))
    libre_server.reset()
    code, out = run(libre_server.url)
    assert "refreshed" in out and read_memory(mistral / MEMORY).meta["reviewed"] is False


def test_control_characters_in_an_answer_are_removed_and_reported(run, mistral, libre_server):
    libre_server.mistranslate = "control_characters"
    code, out = run(libre_server.url)
    raw = (mistral / MEMORY).read_text("utf-8")
    assert not any(ch in raw for ch in "\x0b\x08\x1b")
    assert "control or invisible character(s) in the provider's answers removed" in out
    assert read_memory(mistral / MEMORY).meta["checks"]["failed"] == []


def test_a_5_mb_answer_is_refused_and_nothing_is_written(run, mistral, libre_server):
    libre_server.mode = "huge"
    code, out = run(libre_server.url)
    assert "larger than" in out and "translation: 0 translated" in out
    assert not (mistral / MEMORY).exists()


def test_a_memory_folder_that_leads_outside_is_refused(run, mistral, libre_server, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (mistral / "content/translations/en").mkdir(parents=True)
    os.symlink(outside, mistral / "content/translations/en/2024")
    code, out = run(libre_server.url)
    assert "outside" in out and "refusing to write" in out
    assert list(outside.iterdir()) == [] and libre_server.count == 0


def test_an_unreadable_memory_file_is_rebuilt_and_its_text_kept(run, mistral, libre_server):
    broken = "---\ntitle: [unclosed\nreviewed: true\n---\nHand-written text.\n"
    write(mistral / MEMORY, broken)
    code, out = run(libre_server.url)
    assert code == 0 and "rebuilt" in out
    kept = mistral / (str(MEMORY) + ".unreadable")
    assert kept.read_text("utf-8") == broken
    assert read_memory(mistral / MEMORY).meta["provider"] == "libre"
    write(mistral / MEMORY, "---\nbroken: [again\n")  # broken a second time: both copies stay
    run(libre_server.url)
    assert kept.read_text("utf-8") == broken
    assert (mistral / (str(MEMORY) + ".unreadable-2")).read_text("utf-8") == "---\nbroken: [again\n"


def test_the_build_shows_the_failed_paragraph_marked_and_rewrites_nothing(run, mistral,
                                                                          libre_server):
    libre_server.mistranslate = "drop_numbers"
    run(libre_server.url)
    before = (mistral / MEMORY).read_bytes()
    report, out = build(mistral / "content", mistral)  # no provider: from the memory
    page = (out / "en/2024/06/mistral/index.html").read_text("utf-8")
    assert "original language: not translated" in page
    assert any("failed numbers" in p.message for p in report.warnings)
    assert (mistral / MEMORY).read_bytes() == before
    report, out = build(mistral / "content", mistral)  # a rebuild, from the build's caches
    assert "original language: not translated" in (out / "en/2024/06/mistral/index.html") \
        .read_text("utf-8")
    assert any("failed numbers" in p.message for p in report.warnings)


def test_every_mistranslation_is_exercised():
    tested = {"literal", "drop_numbers", "alter_numbers", "drop_names", "source_language", "echo",
              "ten_times", "yaml_injection", "control_characters", "markup_injection"}
    assert set(MISTRANSLATIONS) == tested


def test_the_committed_glossary_protects_every_company_name():
    from translation.glossary import load_glossary
    from translation_support import ROOT

    glossary = load_glossary(ROOT / "content", ("fr", "en"))
    companies = yaml.safe_load((ROOT / "content/data/companies.yaml").read_text("utf-8"))
    for company in companies["companies"]:
        assert company["name"] in glossary.keep
    for name in ("Le Chat", "Grok", "Claude", "Gemini", "Llama", "Copilot"):
        assert name in glossary.keep
    text = "Grok-1, Llama 3, d'OpenAI, l'IA générative, Jean-Claude, Llamas et grok"
    found = [(m[2], m[3]) for m in glossary.matches(text, "fr", "en")]
    assert found == [("Grok", "keep"), ("Llama", "keep"), ("OpenAI", "keep"),
                     ("generative AI", "pair")]
    assert glossary.matches("Grand modèle de langage : le point", "fr", "en")[0][2] == \
        "Large language model"
    assert glossary.matches("IA générative : le point", "fr", "en")[0][2] == "generative AI"


def test_a_build_that_translates_lists_each_glossary_pair_it_enforced(mistral, libre_server):
    from translation_support import fast_translation

    libre_server.script = CLEAN
    report, out = build(mistral / "content", mistral, **fast_translation(libre_server.url))
    notes = report.sections["translation"][str(MEMORY)]
    assert "glossary: 'IA générative' rendered as 'generative AI'" in notes
    page = (out / "en/2024/06/mistral/index.html").read_text("utf-8")
    assert "generative AI market" in page and "Le Chat" in page


def test_a_broken_glossary_is_reported_by_every_build(mistral):
    write(mistral / "content/data/glossary.yaml", "keep: [Le Chat\npairs: 3\n")
    report, out = build(mistral / "content", mistral)
    problems = [p for p in report.warnings if p.path == "content/data/glossary.yaml"]
    assert problems and "not valid YAML" in problems[0].message and problems[0].fix
    write(mistral / "content/data/glossary.yaml", "keep: [X]\npairs: [{fr: IA}]\n")
    report, out = build(mistral / "content", mistral)
    messages = " ".join(p.message for p in report.warnings if p.path == "content/data/glossary.yaml")
    assert "keep entry 1" in messages and "pairs entry 1" in messages


def test_markup_in_an_answer_never_runs_in_a_readers_browser(run, mistral, libre_server):
    from html.parser import HTMLParser

    class Live(HTMLParser):
        found: list = []
        in_script = False

        def handle_starttag(self, tag, attrs):
            # JSON-LD is data (its text is \u003c-escaped): only a script that runs counts
            self.in_script = tag == "script" and ("type", "application/ld+json") not in attrs
            self.found += [f"{tag} {k}" for k, v in attrs if k.startswith("on")
                           or (v or "").strip().lower().startswith("javascript:")]

        def handle_data(self, data):
            if self.in_script and "alert(" in data:
                self.found.append("script alert")

    libre_server.mistranslate = "markup_injection"
    run(libre_server.url)
    assert "<script>" in (mistral / MEMORY).read_text("utf-8")  # it passed the checks: the
    report, out = build(mistral / "content", mistral)           # page's sanitiser must act
    for page in out.rglob("*.html"):
        parser = Live()
        parser.feed(page.read_text("utf-8"))
        assert parser.found == [], page
