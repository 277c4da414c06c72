"""What the per-post hot paths cost on 400 KB of text: `python -m benchmarks.hot_paths`.

The tests check that these functions are right on such inputs; this prints how long they take,
best of three runs each, so that a change can be compared on one machine. Nothing here is asserted:
machines differ.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

SIZE = 400_000
NEWS = ("Mistral AI lève 600 millions d'euros auprès d'investisseurs américains. La start-up publie ses "
        "modèles en open source et prépare sa conformité à l'AI Act. Nvidia fournit les puces H100 de son "
        "centre de données. The lawsuit filed in federal court claims copyright infringement; researchers "
        "published a paper on arXiv about model safety and guardrails. ")
TRAPS = ("OpenAI et Microsoft ont signé un accord ; le mistral souffle sur la Provence, Claude Monet "
         "peint, et l'assistant Claude d'Anthropic répond. Apple pie and the Amazon river. "
         "Nvidia livre des H100 tandis que Jean-Claude lit des métadonnées. ")
HOSTILE_MARKDOWN = {
    "runs of [": "[" * 100_000 + "](" * 1_000,
    "unclosed links": "[a](" * 25_000,
    "unclosed images": "![" * 50_000,
    "unclosed tags": "<a " * 50_000,
    "unclosed fences": "```\n" + "~~~a\n" * 25_000,
    "one long sentence of Claude": "Claude " * 15_000,
}


def repeated(unit: str, size: int = SIZE) -> str:
    return unit * (size // len(unit.encode("utf-8")) + 1)


def best_of(fn, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def sample_posts() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "content" / "posts").rglob("*.md")))


def companies():
    from companies.core import CompanyDetector, load_registry, plain_text

    registry = load_registry(ROOT / "content" / "data" / "companies.yaml", languages=["fr", "en"])
    detector = CompanyDetector(registry)
    yield "companies: build the detector", best_of(lambda: CompanyDetector(registry))
    for name, unit in (("dense traps", TRAPS), ("sample posts", sample_posts())):
        text = repeated(unit)
        yield f"companies: detect on {len(text) // 1000} KB of {name}", best_of(lambda: detector.detect(text))
    for name, body in HOSTILE_MARKDOWN.items():
        yield (f"companies: hostile Markdown, {name} ({len(body) // 1000} KB)",
               best_of(lambda: detector.detect(plain_text("t", body))))


def topics():
    from topics.core import TopicMatcher
    from topics.taxonomy import load_taxonomy
    from topics.text import normalise

    matcher = TopicMatcher(load_taxonomy(ROOT / "content" / "data" / "topics.yaml"))
    text = repeated(NEWS)
    yield f"topics: normalise {len(text) // 1000} KB", best_of(lambda: normalise(text))
    folded = normalise(text)
    yield "topics: one-pattern scan", best_of(lambda: sum(1 for _ in matcher.pattern.finditer(folded)))
    yield "topics: score", best_of(lambda: matcher.score("", text))


def cleaning():
    from markdown_it import MarkdownIt

    from cleaning.core import clean_markdown
    from cleaning.rules import load_rules
    from cleaning.sanitize import sanitize_html
    from cleaning.typography import typeset_html

    rules = load_rules(str(ROOT / "content" / "data" / "cleaning.yaml"))
    fixtures = ROOT / "tests" / "cleaning" / "fixtures"
    bodies = [(fixtures / name).read_text(encoding="utf-8").split("---\n", 2)[2]
              for name in ("fr_pasted.md", "clean_fr.md", "en_pasted.md", "clean_en.md")]
    text = repeated("\n".join(bodies))
    yield (f"cleaning: clean_markdown on {len(text.encode()) // 1024} KB",
           best_of(lambda: clean_markdown(text, lang="fr", title="Mistral AI dévoile Large 3", rules=rules)))
    html = repeated(MarkdownIt("commonmark", {"html": True}).enable(["table"]).render(bodies[1] + bodies[0]))
    yield (f"cleaning: sanitize_html on {len(html.encode()) // 1024} KB",
           best_of(lambda: sanitize_html(html, site_url="https://site.test")))
    safe = sanitize_html(html, site_url="https://site.test")
    yield "cleaning: typeset_html (fr)", best_of(lambda: typeset_html(safe, "fr"))


def main() -> int:
    for family in (companies, topics, cleaning):
        for name, seconds in family():
            print(f"{name:<60} {seconds * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
