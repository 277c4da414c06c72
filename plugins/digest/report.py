"""The build report: what the build removed, translated, detected, flagged and rejected, and where."""

import logging
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

logger = logging.getLogger(__name__)


def printable(text: str) -> str:
    """`text` with every character Python does not call printable written as its escape (\\x1b,
    \\udce9), so that a report line is one line of plain text whatever a file was named."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    field: str | None = None
    line: int | None = None
    fix: str | None = None

    def __post_init__(self):
        # A file name is bytes on disk: one with a terminal escape (ESC [2J) or invalid UTF-8 (a
        # lone surrogate in Python) must neither rewrite the editor's terminal nor stop the report.
        for name in ("path", "message", "fix"):
            value = getattr(self, name)
            if isinstance(value, str) and not value.isprintable():
                object.__setattr__(self, name, printable(value))

    def __str__(self):
        where = self.path
        if self.line:
            where += f":{self.line}"
        text = f"{where}: "
        if self.field:
            text += f"field '{self.field}': "
        text += self.message
        if self.fix:
            text += f" (fix: {self.fix})"
        return text


class BuildReport:
    """Collects problems and notes for one build. Never pickled with cached content."""

    SHORT = 40  # a section with at most this many lines is listed in full even without -v

    def __init__(self):
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.sections: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self._seen: set = set()
        self.timings: dict[str, float] = {}  # phase -> seconds, in the order they ran
        self.output: dict[str, int] = {}  # files written / unchanged / kept / removed
        self.prefetched = 0  # files read by worker processes (cold cache)
        self.started = time.perf_counter()

    @contextmanager
    def timed(self, phase):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[phase] = self.timings.get(phase, 0.0) + time.perf_counter() - start

    def mark(self, phase, since):
        """Record a phase that began at `since` (a perf_counter value) and ends now."""
        self.timings[phase] = time.perf_counter() - since

    def __reduce__(self):
        # Pelican pickles content objects, which hold the settings that hold this report.
        return (BuildReport, ())

    def error(self, path, message, *, field=None, line=None, fix=None):
        self._record(self.errors, Problem(str(path), message, field, line, fix), logging.ERROR)

    def warning(self, path, message, *, field=None, line=None, fix=None):
        self._record(self.warnings, Problem(str(path), message, field, line, fix), logging.WARNING)

    def _record(self, bucket, problem, level):
        if problem in self._seen:
            return
        self._seen.add(problem)
        bucket.append(problem)
        logger.log(level, "%s", problem)

    def add(self, section, path, text):
        """An informational line under a section ("cleaning", "translation", ...) for one file."""
        self.sections[section][str(path)].append(text)

    @property
    def failed(self):
        return bool(self.errors)

    def render(self, verbose=False):
        lines = []
        for section, files in sorted(self.sections.items()):
            count = sum(len(v) for v in files.values())
            detailed = verbose or count <= self.SHORT
            hint = "" if detailed else " (invoke build -- -v lists them)"
            lines.append(f"[{section}] {count} line(s) in {len(files)} file(s){hint}")
            if detailed:
                for path, items in sorted(files.items()):
                    lines.append(f"  {path}")
                    lines.extend(f"    - {item}" for item in items)
        if self.warnings:
            lines.append(f"[warnings] {len(self.warnings)}")
            lines.extend(f"  {w}" for w in self.warnings)
        if self.output:
            lines.append("[output] " + ", ".join(f"{n} {k}" for k, n in self.output.items()))
        if self.timings:
            lines.append("[timings] " + ", ".join(f"{k} {v:.2f}s" for k, v in self.timings.items())
                         + (f" ({self.prefetched} files read in parallel)" if self.prefetched else ""))
        if self.errors:
            lines.append(f"[errors] {len(self.errors)}: the build is marked as failed")
            lines.extend(f"  {e}" for e in self.errors)
        return "\n".join(lines)

    def as_dict(self):
        return {
            "errors": [str(e) for e in self.errors],
            "warnings": [str(w) for w in self.warnings],
            "sections": {s: {p: list(v) for p, v in f.items()} for s, f in self.sections.items()},
        }
