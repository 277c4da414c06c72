"""One pattern for the whole taxonomy, compiled once: the cost follows the text, not text x terms.

Timings are printed, never asserted: machines differ. Run with -s to see them under -q.
"""

import re
import time

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


def best_of(runs, fn):
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.filterwarnings("ignore")
def test_measure_400kb(site_matcher, capsys):
    text = normalise(TEXT)
    terms = sum(len(t.terms) for t in site_matcher.taxonomy.topics.values())
    whole = best_of(3, lambda: site_matcher.score("", TEXT))
    scan = best_of(3, lambda: sum(1 for _ in site_matcher.pattern.finditer(text)))
    norm = best_of(3, lambda: normalise(TEXT))
    # For comparison only: the flat alternation (longest first) the trie replaces.
    keys = sorted(site_matcher._exact, key=len, reverse=True)
    flat = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, keys)) + r")(?!\w)")
    flat_scan = best_of(3, lambda: sum(1 for _ in flat.finditer(text)))
    lines = [f"topics: {len(TEXT) // 1000} KB, {terms} terms: score {whole * 1000:.0f} ms "
             f"(normalise {norm * 1000:.0f} ms, one-pattern scan {scan * 1000:.0f} ms; "
             f"a flat alternation scans in {flat_scan * 1000:.0f} ms)"]
    for copies in (1, 10):
        matcher = TopicMatcher(big_taxonomy(copies))
        size = sum(len(t.terms) for t in matcher.taxonomy.topics.values())
        elapsed = best_of(3, lambda: sum(1 for _ in matcher.pattern.finditer(text)))
        flat = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, matcher._exact)) + r")(?!\w)")
        flat_scan = best_of(3, lambda: sum(1 for _ in flat.finditer(text)))
        lines.append(f"topics: synthetic taxonomy of {size} terms (words of the text + numbers): one-pattern "
                     f"scan {elapsed * 1000:.0f} ms, flat alternation {flat_scan * 1000:.0f} ms")
    with capsys.disabled():
        print("\n" + "\n".join(lines))


def test_core_imports_without_pelican():
    import subprocess
    import sys
    from pathlib import Path

    plugins = Path(__file__).resolve().parents[2] / "plugins"
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import topics.core; "
            "loaded = [m for m in sys.modules if m.split('.')[0] in ('pelican', 'digest', 'jinja2')]; "
            "assert not loaded, loaded")
    subprocess.run([sys.executable, "-c", code, str(plugins)], check=True)
