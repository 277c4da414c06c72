"""How the detector works: one compiled matcher, positions and reasons, windows, the text it reads."""

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from companies.core import CompanyDetector, Detection, plain_text
from companies.detector import phrase_regex

POSTS = Path(__file__).resolve().parents[2] / "content" / "posts"

SMALL = """
window: 3
cue_sets:
  tech: [software, logiciel]
companies:
  - id: acme
    name: Acme
    aliases: [Acme Corp]
    products:
      - {form: Widget, needs_cue: true, versioned: true, cues: ["@tech", Gizmo],
         not_followed_by: [pie*], anti_cues: [recipe]}
      - {form: WX, case_sensitive: true}
  - id: brick
    name: Brick
    aliases: [{form: Brick, ambiguous: true, not_followed_by: [wall]}]
    cues: [mortar]
"""


def found(detector, text):
    return {cid: match.forms for cid, match in detector.detect(text).companies.items()}


def test_the_detector_holds_its_compiled_patterns(detector):
    assert len(detector.compiled_patterns) == 2
    assert all(isinstance(p, re.Pattern) for p in detector.compiled_patterns)


def test_detect_compiles_nothing(detector, monkeypatch):
    """Patterns are built once with the detector; a text costs a scan, never a compilation."""
    text = "Anthropic a lancé Claude 3. Le Chat de Mistral répond. Apple pie. " * 20

    def refuse(*args, **kwargs):
        raise AssertionError("re.compile called during detect()")

    detector.detect("warm up the lazy parts: Claude")
    monkeypatch.setattr(re, "compile", refuse)
    assert detector.detect(text).ids


DENSE = ("OpenAI et Microsoft ont signé un accord ; le mistral souffle sur la Provence, Claude Monet "
         "peint, et l'assistant Claude d'Anthropic répond. Apple pie and the Amazon river. "
         "Nvidia livre des H100 tandis que Jean-Claude lit des métadonnées. ")


def test_a_400_kb_text_finds_its_unit_s_companies_once_per_copy(detector):
    """Detection scales with the text: 400 KB of one paragraph repeated finds exactly that paragraph's
    companies, each mention counted once per copy (timings: python -m benchmarks.hot_paths)."""
    unit = DENSE + "\n\n"
    copies = 400_000 // len(unit) + 1
    one, many = detector.detect(unit), detector.detect(unit * copies)
    assert set(one.ids) == set(many.ids) == {"openai", "microsoft", "anthropic", "nvidia"}
    for cid, match in one.companies.items():
        assert many.companies[cid].count == match.count * copies, cid


def test_positions_point_at_the_surface_and_snippets_show_it(detector):
    text = "Selon OpenAI, ChatGPT compte 300 millions d'utilisateurs ; OpenAI's board agrees."
    match = detector.detect(text).companies["openai"]
    assert match.count == 3
    assert match.forms == {"OpenAI": 2, "ChatGPT": 1}
    assert [text[s:e] for s, e in match.positions] == ["OpenAI", "ChatGPT", "OpenAI"]
    assert match.snippets[0].startswith("Selon [OpenAI], ChatGPT")


def test_companies_are_ordered_by_mentions(detector):
    detection = detector.detect("Google. Meta, Meta et Meta. Google ?")
    assert detection.ids == ["meta", "google"]


def test_every_rejection_says_why(detector):
    detection = detector.detect("Claude Monet et le Mistral souffle ; Claude, mon voisin.")
    reasons = {(m.surface, m.reason) for m in detection.rejected}
    assert ("Claude", "followed by 'Monet'") in reasons
    assert ("Mistral", "followed by 'souffle'") in reasons
    assert ("Claude", "no cue nearby and company not named elsewhere") in reasons


def test_detection_survives_a_json_round_trip(detector):
    import json
    detection = detector.detect("Anthropic a lancé Claude 3 ; Claude Monet non.")
    again = Detection.from_dict(json.loads(json.dumps(detection.to_dict())))
    assert again == detection


def test_case_rules(detector_for):
    detector = detector_for(SMALL)
    assert found(detector, "ACME and Acme") == {"acme": {"ACME": 1, "Acme": 1}}  # first letter as written
    assert found(detector, "acme") == {}
    assert found(detector, "WX ships") == {"acme": {"WX": 1}}
    assert found(detector, "Wx ships") == {}  # case_sensitive


def test_longest_form_wins(detector_for):
    match = detector_for(SMALL).detect("Acme Corp said").companies["acme"]
    assert match.forms == {"Acme Corp": 1}


def test_cue_window_is_counted_in_words_within_the_sentence(detector_for):
    detector = detector_for(SMALL)
    assert found(detector, "Widget is new software") == {"acme": {"Widget": 1}}  # 3 words after
    assert found(detector, "Widget is a new kind of software") == {}  # 6 words away, window is 3
    assert found(detector, "Great software. Widget is new") == {}  # other sentence
    assert found(detector, "New software, the Widget") == {"acme": {"Widget": 1}}


def test_version_and_company_elsewhere_confirm_a_guarded_form(detector_for):
    detector = detector_for(SMALL)
    assert found(detector, "Widget 2 ships") == {"acme": {"Widget": 1}}
    assert found(detector, "Widget ships. Much later, Acme confirmed.") == {"acme": {"Widget": 1, "Acme": 1}}


def test_neighbour_lists_prefixes_and_anti_cues(detector_for):
    detector = detector_for(SMALL)
    assert found(detector, "Widget pies are software") == {}  # not_followed_by pie*
    assert found(detector, "A Widget recipe with software") == {}  # anti-cue beats cue
    assert found(detector, "Acme sells the Widget recipe") == {"acme": {"Acme": 1}}  # beats Acme elsewhere


def test_ambiguous_form_needs_a_cue_only_after_a_determiner(detector_for):
    detector = detector_for(SMALL)
    assert found(detector, "Brick raised prices") == {"brick": {"Brick": 1}}
    assert found(detector, "the Brick fell") == {}
    assert found(detector, "the Brick and mortar") == {"brick": {"Brick": 1}}
    assert found(detector, "Brick wall") == {}


def test_hyphenated_words_never_hold_a_guarded_form(detector_for):
    detector = detector_for(SMALL)
    assert found(detector, "Super-Widget software") == {}
    assert found(detector, "Brick-like shapes") == {}
    assert found(detector, "Acme-backed startup") == {"acme": {"Acme": 1}}  # plain forms may


def test_exotic_case_foldings_do_not_crash(detector):
    assert detector.detect("Mİstral AI, OPENAİ, ſora, \u212aaggle").ids == []


def test_plain_text_keeps_prose_and_drops_markup():
    body = ("Intro [OpenAI](https://openai.com/blog) and <b>Meta</b>.\n"
            "A wrapped line about\nClaude 3 that goes on.\n\n"
            "```python\nimport openai  # Anthropic in code\n```\n"
            "- item **Nvidia**\n- item `Apple`\n\n"
            "See https://example.com/Apple and ![Google logo](g.png).\n\n"
            "[ref]: https://x.ai/Grok\n")
    text = plain_text("Titre : xAI", body)
    assert text.splitlines() == [
        "Titre : xAI",
        "Intro OpenAI and Meta. A wrapped line about Claude 3 that goes on.",
        "item Nvidia",
        "item Apple",
        "See and Google logo.",
    ]


def test_phrase_regex_matches_each_phrase_and_prefers_the_longest():
    phrases = ["Mistral", "Mistral AI", "Le Chat", "GPT-4", "GPT-4o"]
    pattern = re.compile(r"(?<!\w)(?:" + phrase_regex(phrases) + r")(?!\w)", re.IGNORECASE)
    for phrase in phrases:
        assert pattern.fullmatch(phrase), phrase
    assert pattern.search("x Mistral AI y").group() == "Mistral AI"
    assert pattern.search("GPT\u20114o").group() == "GPT\u20114o"  # non-breaking hyphen
    assert pattern.search("Le\u00a0Chat").group() == "Le\u00a0Chat"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Claude Mistral Apple OpenAI xAI-'’.,\n 3éİſ\u212a")), max_size=200))
def test_any_text_gives_positions_on_known_forms(detector, text):
    """Never crashes, even on letters whose case folding differs between re and str ("İ", "ſ", "K")."""
    detection = detector.detect(text)
    for match in detection.companies.values():
        for start, end in match.positions:
            assert text[start:end] in match.forms


HOSTILE = {
    "runs of [": "[" * 100_000 + "](" * 1_000,
    "unclosed links": "[a](" * 25_000,
    "unclosed images": "![" * 50_000,
    "unclosed tags": "<a " * 50_000,
    "unclosed fences": "```\n" + "~~~a\n" * 25_000,
    "one long sentence of Claude": "Claude " * 15_000,
}


def test_hostile_markdown_is_read_as_text_up_to_its_end(detector):
    """Runs of unclosed Markdown are read as text (the time they take: python -m benchmarks.hot_paths):
    they name no company, a bare "Claude" repeated is no company either, and a real mention after
    the junk is still found."""
    tail = "\n\nOpenAI présente GPT-5 à San Francisco."
    for name, body in HOSTILE.items():
        assert detector.detect(plain_text("t", body)).ids == [], name
        assert detector.detect(plain_text("t", body + tail)).ids == ["openai"], name
