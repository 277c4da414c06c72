"""One pattern for the whole taxonomy, compiled once: the cost follows the text, not text x terms.

What it costs is measured by `python -m benchmarks.hot_paths`; here, that the one pattern is right.
"""

import re

import pytest

from topics.core import TopicMatcher, parse_taxonomy
from topics.text import normalise

NEWS = ("Mistral AI lève 600 millions d'euros auprès d'investisseurs américains. La start-up publie ses "
        "modèles en open source et prépare sa conformité à l'AI Act. Nvidia fournit les puces H100 de son "
        "centre de données. The lawsuit filed in federal court claims copyright infringement; researchers "
        "published a paper on arXiv about model safety and guardrails. ")
TEXT = NEWS * (400_000 // len(NEWS))


def test_one_pattern_covers_every_term_of_every_topic(site_taxonomy, site_matcher):
    patterns = [v for v in vars(site_matcher).values() if isinstance(v, re.Pattern)]
    assert patterns == [site_matcher.pattern, site_matcher.exclusion_pattern]  # terms, exclusion phrases
    for topic in site_taxonomy.topics.values():
        for term in topic.terms:
            sample = term.key + ("ation" if term.prefix else "")
            assert site_matcher.pattern.fullmatch(sample), (topic.id, term.text)
            assert (topic.id, term) in site_matcher.terms_at(sample)


def test_scoring_compiles_nothing(site_matcher, monkeypatch):
    def no_compile(*args, **kwargs):
        raise AssertionError("score() compiled a pattern")

    monkeypatch.setattr(re, "compile", no_compile)
    monkeypatch.setattr(re, "_compile", no_compile)
    site_matcher.score("Le Parlement adopte l'AI Act", "La réglementation, à court terme, des régulateurs.")


def big_taxonomy(copies):
    """The site's shape at `copies` times its size: made-up terms, one topic per copy."""
    topics = [{"id": f"t{i}", "labels": {"fr": "T", "en": "T"},
               "terms": {"en": [f"{word} {i}{j}" for word in ("model", "safety", "chips", "fonds", "open")
                                for j in range(70)]}}
              for i in range(copies)]
    return parse_taxonomy({"topics": topics})


def test_a_400_kb_text_matches_its_unit_once_per_copy(site_matcher):
    """The cost follows the text (python -m benchmarks.hot_paths): 400 KB of one paragraph finds that
    paragraph's terms once per copy."""
    copies = len(TEXT) // len(NEWS)
    unit = sum(1 for _ in site_matcher.pattern.finditer(normalise(NEWS)))
    assert unit > 5
    assert sum(1 for _ in site_matcher.pattern.finditer(normalise(TEXT))) == unit * copies


@pytest.mark.parametrize("copies", [1, 10])
def test_a_taxonomy_ten_times_the_site_s_finds_every_term(copies):
    matcher = TopicMatcher(big_taxonomy(copies))
    terms = [t.text for topic in matcher.taxonomy.topics.values() for t in topic.terms]
    text = normalise(" ; ".join(terms))
    found = [m.group() for m in matcher.pattern.finditer(text)]
    assert found == [normalise(t) for t in terms]


def test_core_imports_without_pelican():
    import subprocess
    import sys
    from pathlib import Path

    plugins = Path(__file__).resolve().parents[2] / "plugins"
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import topics.core; "
            "loaded = [m for m in sys.modules if m.split('.')[0] in ('pelican', 'digest', 'jinja2')]; "
            "assert not loaded, loaded")
    subprocess.run([sys.executable, "-c", code, str(plugins)], check=True)
