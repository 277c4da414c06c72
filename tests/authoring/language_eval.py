"""The language detector measured on labelled French and English texts of every length.

    python3 tests/authoring/language_eval.py

prints accuracy, unsure answers and wrong answers per group: the held-out set
(language_cases.yaml, never used for tuning), the import fixtures (whole and line by line) and the
sample content (titles, summaries, bodies). tests/authoring/test_language.py holds the detector to it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "plugins"))

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE_LANGS = {"codestral.raw.txt": "fr", "claude-sonnet.raw.txt": "en",
                 "nvidia-capitalisation.raw.html": "fr"}


def fixture_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        text = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", text)
        text = re.sub(r"<[^>]+>", "\n", text)
    return text


def labelled() -> dict[str, list[tuple[str, str | None]]]:
    """{group: [(text, lang or None), ...]}"""
    cases = yaml.safe_load((Path(__file__).resolve().parent / "language_cases.yaml").read_text("utf-8"))
    groups = {"held-out": [(t, lang) for lang in ("fr", "en") for t in cases[lang]],
              "held-out (nobody can tell)": [(t, None) for t in cases[None]],
              "fixtures, whole": [], "fixtures, lines of 4+ words": [], "content, titles": [],
              "content, bodies": []}
    for name, lang in FIXTURE_LANGS.items():
        text = fixture_text(FIXTURES / name)
        groups["fixtures, whole"].append((text, lang))
        groups["fixtures, lines of 4+ words"] += [(line.strip(), lang) for line in text.splitlines()
                                                  if len(line.split()) >= 4]
    for path in sorted((ROOT / "content").rglob("*.md")):
        head, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
        meta = yaml.safe_load(head.lstrip("-\n")) or {}
        if meta.get("lang") in ("fr", "en"):
            groups["content, titles"].append((str(meta.get("title", "")), meta["lang"]))
            groups["content, bodies"].append((body, meta["lang"]))
    samples = ROOT.parent / "shared" / "samples"  # real scraped pages, when the clone has them
    for name, lang in {"ai-act.raw.html": "fr", "grok-open-source.raw.txt": "fr",
                       "openai-gpt4o.raw.txt": "en"}.items():
        if (samples / name).is_file():
            text = fixture_text(samples / name)
            groups.setdefault("shared samples, whole", []).append((text, lang))
            groups.setdefault("shared samples, lines of 4+ words", []).extend(
                (line.strip(), lang) for line in text.splitlines() if len(line.split()) >= 4)
    return groups


def evaluate(detect, languages=("fr", "en")):
    """{group: (right, unsure, wrong, total, [wrong examples])}; for texts nobody can place,
    'right' is an unsure answer."""
    from authoring.language import MIN_CONFIDENCE

    results = {}
    for group, items in labelled().items():
        right = unsure = wrong = 0
        mistakes = []
        for text, lang in items:
            guess = detect(text, languages)
            doubtful = guess.lang is None or guess.confidence < MIN_CONFIDENCE
            if lang is None:
                right += doubtful
                wrong += not doubtful
                if not doubtful:
                    mistakes.append((text[:70], guess.lang, guess.confidence))
            elif doubtful:
                unsure += 1
            elif guess.lang == lang:
                right += 1
            else:
                wrong += 1
                mistakes.append((text[:70], guess.lang, guess.confidence))
        results[group] = (right, unsure, wrong, len(items), mistakes)
    return results


def report(results) -> str:
    lines = [f"{'group':32} {'right':>6} {'unsure':>6} {'wrong':>6} {'total':>6}"]
    for group, (right, unsure, wrong, total, mistakes) in results.items():
        lines.append(f"{group:32} {right:6} {unsure:6} {wrong:6} {total:6}")
        lines += [f"    wrong: {text!r} -> {lang} ({conf})" for text, lang, conf in mistakes[:8]]
    return "\n".join(lines)


if __name__ == "__main__":
    from authoring.language import detect_language

    print(report(evaluate(detect_language)))
    if "--lingua" in sys.argv:  # the detector this one replaced, when lingua is installed
        import importlib.util

        spec = importlib.util.spec_from_file_location("lingua_detector", sys.argv[-1])
        module = sys.modules["lingua_detector"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print("\nlingua:")
        print(report(evaluate(module.detect_language)))
