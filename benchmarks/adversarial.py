"""Every regular expression of cleaning, typography, detection and import, on 200 KB adversarial lines.

    python3 -m benchmarks.adversarial [--size 200000] [--bound 2.0] [--only typography]

For each rule family, every compiled pattern found in its modules and in the objects the build makes
from content/data/ (the cleaning rules, the topic matcher, the company detector) runs over each line
(`finditer` to the end, as `sub` would), in a forked process that is stopped past the bound. It runs
on a quarter of the size too: a linear pattern takes about 4 times as long on 4 times the text, a
quadratic one 16 times. Then the family's own entry point (typeset_html, clean_markdown, Tagger.tag,
CompanyDetector.detect, the importer's text extraction) runs on each line. A row fails when it passes
`--bound` seconds, or when its growth says quadratic (x10 or more) on a time worth measuring.
This is a benchmark, not a test: timings depend on the machine. tests/reliability/test_bounded_work.py
checks what these lines give.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT))

FAMILIES = {
    "typography": ["cleaning.typography"],
    "cleaning": ["cleaning.core", "cleaning.rules", "cleaning.sanitize", "cleaning.markup"],
    "topics": ["topics.core", "topics.text", "topics.taxonomy"],
    "companies": ["companies.detector", "companies.text", "companies.candidates"],
    "import": ["authoring.extract", "authoring.pasted", "authoring.sources", "authoring.importer"],
    "front matter": ["digest.frontmatter", "digest.header", "digest.reader", "digest.safetext"],
}


# Patterns the code only ever runs with .match on a slice it bounds first, never over a whole line:
# finditer over 200 KB is not how they are used (the reason is printed with the row).
BOUNDED = {
    r"(?:\W*(?:": "companies: the words around a mention, matched on a slice of at most "
                 "MAX_WORD_CHARS x window characters (detector._TextContext.window)",
    r"([a-z_][a-z0-9_]*):": "front matter: .match on one header line, anchored at its start",
    r"\s+([\w'": "companies: NEXT_WORD_RE.match(text, end, end + 60), 60 characters at most",
    "^[\\W_]*(?:": "cleaning: the line rules of cleaning.yaml, matched only on lines of at most "
                    "max_line_chars (400) characters (cleaning.lines.folds_longer guards them)",
}


def lines(size):
    """Lines that make backtracking patterns work hardest: long runs of what a pattern repeats,
    with the one character that would let it finish missing."""
    def fill(unit):
        return (unit * (size // len(unit) + 1))[:size]

    return {
        "@a.a.a": "@" + fill("a."),
        "a.a.a (no @)": fill("a."),
        "aaaa": fill("a"),
        "spaces": "a" + fill(" ") + "a",
        "nbsp": "a" + fill("\u00a0 ") + "!",
        "http://": fill("http://"),
        "www.": fill("www."),
        "mailto:": fill("mailto:"),
        "backtick": "`" + fill("a "),
        "!!!!": "a" + fill("!"),
        "::::": "a" + fill(": "),
        "«««": fill("« "),
        "quotes": fill("'\""),
        "a@a@": fill("a@"),
        "digits": fill("1"),
        "CAPS": fill("AB "),
        "<<<<": fill("<"),
        "<a <a": fill("<a "),
        "&#&#": fill("&#"),
        "[[[[": fill("["),
        "](](": fill("]("),
        "****": fill("*"),
        "----": fill("-"),
        "____": fill("_"),
        "####": fill("#"),
        "||||": fill("|"),
        "words": fill("Lire aussi partager "),
        "hyphen-words": fill("open-ai-"),
        "dots": fill("."),
        "tabs": fill("\t"),
    }


def patterns_in(obj, found, seen, depth=0):
    """Compiled patterns reachable from `obj` (a module, or what the build makes from data)."""
    if id(obj) in seen or depth > 4:
        return
    seen.add(id(obj))
    if isinstance(obj, re.Pattern):
        found.setdefault(obj.pattern, obj)
        return
    if isinstance(obj, (str, bytes, int, float, bool)) or obj is None:
        return
    if isinstance(obj, dict):
        items = list(obj.values())
    elif isinstance(obj, (list, tuple, set, frozenset)):
        items = list(obj)
    elif hasattr(obj, "__dict__") or hasattr(obj, "__slots__"):
        names = list(getattr(obj, "__dict__", {})) + list(getattr(obj, "__slots__", ()))
        items = []
        for name in names:
            try:
                items.append(getattr(obj, name))
            except AttributeError:
                pass
        if isinstance(obj, type(sys)):  # a module: its own globals only, not what it imported
            items = [v for v in items if not isinstance(v, type(sys)) and
                     getattr(v, "__module__", obj.__name__) == obj.__name__ or isinstance(v, (
                         re.Pattern, list, tuple, dict))]
    else:
        return
    for item in items:
        patterns_in(item, found, seen, depth + 1)


def built_objects(family):
    """What the build compiles from content/data/ for a family (its patterns are the editors')."""
    data = ROOT / "content" / "data"
    if family == "cleaning":
        from cleaning.rules import load_rules

        return [load_rules(str(data / "cleaning.yaml"))]
    if family == "topics":
        from topics.core import Tagger
        from topics.taxonomy import load_taxonomy

        return [Tagger(load_taxonomy(data / "topics.yaml"))]
    if family == "companies":
        from companies.detector import CompanyDetector
        from companies.registry import load_registry

        return [CompanyDetector(load_registry(data / "companies.yaml"))]
    return []


def entry_points(family):
    """(name, function of one line) for the family's own way in."""
    if family == "typography":
        from cleaning.typography import typeset_html, typeset_text

        return [("typeset_html fr", lambda s: typeset_html(f"<p>{s}</p>", "fr")),
                ("typeset_text en", lambda s: typeset_text(s, "en"))]
    if family == "cleaning":
        from cleaning.core import clean_markdown
        from cleaning.rules import load_rules

        rules = load_rules(str(ROOT / "content" / "data" / "cleaning.yaml"))
        return [("clean_markdown", lambda s: clean_markdown(s + "\n\nTexte.", lang="fr", rules=rules))]
    if family == "topics":
        tagger = built_objects("topics")[0]
        return [("Tagger.tag", lambda s: tagger.tag("Titre", s))]
    if family == "companies":
        detector = built_objects("companies")[0]
        return [("CompanyDetector.detect", lambda s: detector.detect(s))]
    if family == "import":
        from authoring.pasted import parse_pasted

        return [("parse_pasted", lambda s: parse_pasted("Titre\n\n" + s))]
    if family == "front matter":
        from digest import frontmatter

        def load(s):
            try:
                frontmatter.load(f"---\ntitle: t\ndate: 2024-01-01\nlang: fr\nsummary: {s}\n---\n{s}\n"
                                 .encode(), "x.md", languages=["fr", "en"])
            except frontmatter.ContentError:
                pass

        return [("frontmatter.load", load)]
    return []


def timed_in_child(work, bound):
    """Seconds `work()` took in a forked process, or None when it passed `bound` and was stopped."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        start = time.perf_counter()
        try:
            work()
            os.write(write, f"{time.perf_counter() - start:.6f}".encode())
        finally:
            os._exit(0)
    os.close(write)
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done:
            data = os.read(read, 64)
            os.close(read)
            return float(data) if data else None
        time.sleep(0.005)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(read)
    return None


def run_family(family, size, bound):
    found = {}
    for name in FAMILIES[family]:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            print(f"  (cannot import {name}: {exc})")
            continue
        patterns_in(module, found, set())
    for obj in built_objects(family):
        patterns_in(obj, found, set())
    big, small = lines(size), lines(size // 4)
    rows = []
    for source, pattern in sorted(found.items(), key=lambda kv: str(kv[0])):
        if isinstance(source, bytes):
            continue

        def scan(text, pattern=pattern):
            for _ in pattern.finditer(text):
                pass

        bounded = next((why for start, why in BOUNDED.items() if str(source).startswith(start)), None)
        if bounded:
            print(f"  skipped /{ascii(str(source)[:40])[1:-1]}/: {bounded}")
            continue
        rows.append((f"/{ascii(str(source)[:60])[1:-1]}/", scan))
    rows.extend(entry_points(family))
    failures = 0
    worst = []
    for label, func in rows:
        for line_name in big:
            slow = timed_in_child(lambda: func(big[line_name]), bound)
            if slow is None:
                print(f"  FAIL {label} on '{line_name}': over {bound} s")
                failures += 1
                continue
            if slow < 0.1:
                continue
            # the machine may be shared: the quicker of two runs of each size says how time grows
            slow = min(slow, timed_in_child(lambda: func(big[line_name]), bound) or slow)
            quick = min(timed_in_child(lambda: func(small[line_name]), bound) or 1e-6
                        for _ in range(2))
            growth = slow / max(quick, 1e-6)
            worst.append((slow, label, line_name, growth))
            if growth >= 10 and slow >= 0.5:
                print(f"  FAIL {label} on '{line_name}': {slow:.2f} s, x{growth:.0f} for x4 text "
                      "(quadratic)")
                failures += 1
    print(f"  {len(rows)} patterns and entry points x {len(big)} lines of {size} characters: "
          f"{'pass' if not failures else f'{failures} FAIL'}")
    for slow, label, line_name, growth in sorted(worst, reverse=True)[:5]:
        print(f"    slowest: {label} on '{line_name}': {slow:.3f} s (x{growth:.1f} for x4 text)")
    return failures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--bound", type=float, default=2.0, help="seconds per line and pattern")
    parser.add_argument("--only", action="append", choices=sorted(FAMILIES))
    args = parser.parse_args(argv)
    failures = 0
    for family in args.only or FAMILIES:
        print(f"[{family}]")
        failures += run_family(family, args.size, args.bound)
    print("pass" if not failures else f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
