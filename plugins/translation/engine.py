"""One post, one target language: reuse the memory, refresh it, or translate; never lose an edit.

The same code serves the build (translation/__init__.py) and `invoke translate` (cli.py); neither
imports Pelican here. Each call returns an Outcome the caller reports; the memory file is written
(atomically) before the call returns, so progress is saved post by post.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from . import memory
from .checks import check_segment
from .config import TranslationConfig
from .glossary import Glossary, GlossaryError, load_glossary
from .inline import Span, has_words
from .providers import ProviderClient, make_client
from .segments import prepare
from .transport import ProviderError

logger = logging.getLogger(__name__)

# Outcome kinds, in the order the summary lists them.
TRANSLATED, REFRESHED, REUSED = "translated", "refreshed", "reused"
STALE_REVIEWED, STALE, FAILED, MISSING = "stale_reviewed", "stale", "failed", "missing"


@dataclass
class SourcePost:
    """What is translated: the source post after cleaning (the build's Post.title/summary/body)."""

    slug: str
    lang: str
    title: str
    summary: str
    body: str
    meta: dict
    date: datetime
    rel_path: str  # relative to the content folder, for translation_of

    @property
    def fingerprint(self) -> str:
        return memory.source_fingerprint(self.title, self.summary, self.body)


@dataclass
class Existing:
    """What the memory holds for one post and language."""

    path: Path
    reviewed: bool = False
    source_hash: str | None = None
    corrupt: str | None = None  # why the file cannot be used
    failed_checks: int = 0  # segments shown in the source language (checks: failed)

    @classmethod
    def from_file(cls, path) -> "Existing | None":
        path = Path(path)
        if not path.exists():
            return None
        try:
            entry = memory.read_memory(path)
        except memory.CorruptMemory as exc:
            return cls(path, reviewed=exc.reviewed, corrupt=exc.reason)
        return cls(path, reviewed=entry.reviewed, source_hash=entry.source_hash,
                   failed_checks=failed_count(entry.meta.get("checks")))


def failed_count(checks) -> int:
    """How many segments a memory file's `checks:` says failed (0 for files without it)."""
    if isinstance(checks, dict) and isinstance(checks.get("failed"), list):
        return len({f.get("segment") for f in checks["failed"] if isinstance(f, dict)})
    return 0


@dataclass
class Outcome:
    kind: str
    slug: str
    lang: str
    path: Path
    message: str
    sent: int = 0  # segments sent to the provider for this post
    reused_segments: int = 0
    faults: list = field(default_factory=list)
    checks: dict | None = None  # as written to the memory file: {passed, failed: [...]}
    enforced: dict = field(default_factory=dict)  # (source form, target term) -> uses

    @property
    def written(self) -> bool:
        return self.kind in (TRANSLATED, REFRESHED)


class TranslationService:
    def __init__(self, config: TranslationConfig, content_dir, *, may_call: bool,
                 client: ProviderClient | None = None, tz=None, now=None, languages=None):
        self.config = config
        self.content_dir = Path(content_dir)
        self.project_root = os.path.dirname(os.path.abspath(content_dir))  # where reported paths start
        self.may_call = may_call and not config.offline
        # Why nothing is sent, for "missing" reports (the build may change it: unusable provider).
        self.offline_reason = ("the provider is 'none'" if config.offline else
                               "the build may not call the provider (TRANSLATION on_build)")
        self._client = client
        self.tz = tz
        self._now = now or (lambda: datetime.now(timezone.utc))
        self.languages = tuple(languages or ())
        self._glossary: Glossary | None = None
        self.glossary_problem: str | None = None
        self.detect = None  # checks.answer_language unless a caller replaces it

    @property
    def memory_root(self) -> Path:
        return self.content_dir / self.config.memory_dir

    @property
    def glossary(self) -> Glossary:
        """content/data/glossary.yaml + companies.yaml, read on first use (only when a provider is
        called: a build from the memory never reads it). A broken file is reported once and the
        run goes on with the company names alone."""
        if self._glossary is None:
            try:
                self._glossary = load_glossary(self.content_dir, self.languages)
            except GlossaryError as exc:
                self.glossary_problem = "; ".join(exc.problems)
                logger.info("translation: %s", exc)  # reported by the caller
                from .glossary import parse_glossary, _company_forms
                self._glossary = parse_glossary(b"", exc.path, _company_forms(
                    self.content_dir / "data" / "companies.yaml"))
        return self._glossary
    @property
    def client(self) -> ProviderClient:
        if self._client is None:
            self._client = make_client(self.config)
        return self._client

    def close(self):
        if self._client is not None:
            self._client.close()

    def default_path(self, source: SourcePost, lang: str) -> Path:
        return memory.memory_path(self.content_dir, lang, source.date, source.slug,
                                  self.config.memory_dir)

    # -- decisions ---------------------------------------------------------------------------------
    def process(self, source: SourcePost, lang: str, existing: Existing | None) -> Outcome:
        path = existing.path if existing else self.default_path(source, lang)

        def outcome(kind, message, **kw):
            return Outcome(kind, source.slug, lang, path, message, **kw)

        if existing is not None and existing.corrupt is None:
            if existing.source_hash == source.fingerprint:
                if existing.failed_checks and not existing.reviewed and self.may_call:
                    return self._translate(source, lang, path, refresh=True, recheck=True)
                return outcome(REUSED, "reused from the translation memory")
            if existing.reviewed:
                return outcome(STALE_REVIEWED, f"reviewed translation is out of date: "
                               f"{source.rel_path} changed since; update the text, then set "
                               f"source_hash: {source.fingerprint}")
            if not self.may_call:
                return outcome(STALE, "out of date (the source changed); kept until the next "
                               "`invoke translate`")
            return self._translate(source, lang, path, refresh=True)
        faults = []
        if existing is not None:  # corrupt
            if existing.reviewed:
                return outcome(FAILED, f"unreadable reviewed translation ({existing.corrupt}); "
                               "fix the file by hand, it is never overwritten")
            if not self.may_call:
                faults.append(f"unreadable memory file ({existing.corrupt}): fix it by hand, or "
                              "run `invoke translate` to rebuild it (the old file is kept as "
                              f"{path.name}.unreadable)")
        if not self.may_call:
            return outcome(MISSING, f"not yet translated into '{lang}': {self.offline_reason}; "
                           "run `invoke translate`", faults=faults)
        result = self._translate(source, lang, path, refresh=False,
                                 corrupt=existing.corrupt if existing is not None else None)
        result.faults[:0] = faults
        return result

    # -- work --------------------------------------------------------------------------------------
    def _send(self, texts, cache, source_lang, lang, fresh=False):
        """Translations for texts: from the segment cache, else the provider (ProviderError).
        Every answer is made safe here, where it enters: control characters out, one line (a
        segment is one line of the post: a title, a paragraph, a cell)."""
        need = [t for t in texts if (fresh or t not in cache) and has_words(t)]
        # A sidecar written before answers were made safe, or edited by hand, is made safe too.
        got = {text: one_line(value) for text, value in cache.items()}
        if need:
            answers = self.client.translate_many(need, source_lang, lang, fresh=fresh)
            for text, answer in zip(need, answers):
                safe, found = make_safe(answer)
                if found:
                    self._unsafe += len(found)
                got[text] = one_line(safe)
        for text in texts:
            got.setdefault(text, text)  # nothing to translate (numbers, names without letters)
        return got

    def _fill(self, plan, units, translations, cache, source_lang, lang, fresh=False):
        """Put translations into `units`; those whose markup came back wrong go piece by piece."""
        failed = [u for u in units if not u.apply(translations, plan.same_structure)]
        pieces = list(dict.fromkeys(t for u in failed for t in u.fallback_texts()))
        if failed and not fresh:
            plan.faults.append(f"markup dropped by the provider in {len(failed)} block(s): "
                               "translated piece by piece")
        if pieces:
            translations.update(self._send(pieces, cache, source_lang, lang, fresh=fresh))
            plan.apply_fallback(failed, translations)
        return pieces

    def _check(self, places, source_lang, lang):
        """{unit: [Failure]} for the translated units among `places`."""
        kwargs = {"detect": self.detect} if self.detect is not None else {}
        out = {}
        for unit, _ in places:
            if unit.chunks and unit.result is not None:
                out[unit] = check_segment(unit.source, unit.result, source_lang, lang,
                                          self.glossary, **kwargs)
        return out

    def _translate(self, source: SourcePost, lang: str, path: Path, refresh: bool,
                   corrupt: str | None = None, recheck: bool = False) -> Outcome:
        kind = REFRESHED if refresh else TRANSLATED
        try:
            memory.check_inside(path, self.memory_root)
        except memory.UnsafeMemoryWrite as exc:
            return Outcome(FAILED, source.slug, lang, path, f"translation into '{lang}' refused: "
                           f"{exc}")
        cache, problem = memory.load_segments(path)
        faults = [problem] if problem else []
        client = self.client
        sent_before = client.sent
        self._unsafe = 0
        glossary = self.glossary
        if self.glossary_problem:
            faults.append(f"glossary.yaml not used: {self.glossary_problem}")

        def terms(tokens):
            return glossary.split(tokens, source.lang, lang, _glossary_span)

        plan = prepare(source.title, source.summary, source.body, client.limit,
                       terms=terms if self.config.glossary == "protect" else None)
        places = plan.places()
        units = [u for u, _ in places]
        texts = plan.texts()
        pieces, retried = [], set()
        try:
            translations = self._send(texts, cache, source.lang, lang)
            pieces = self._fill(plan, units, translations, cache, source.lang, lang)
            results = self._check(places, source.lang, lang)
            again = [u for u in units if results.get(u)]
            if again:  # retried once, fresh from the provider; then kept out
                retry_texts = list(dict.fromkeys(c.text for u in again for c in u.chunks))
                retried = set(retry_texts)
                translations.update(self._send(retry_texts, {}, source.lang, lang, fresh=True))
                for unit in again:
                    unit.result, unit.fallback = None, False
                pieces += self._fill(plan, again, translations, {}, source.lang, lang, fresh=True)
                results.update(self._check([(u, w) for u, w in places if u in again],
                                           source.lang, lang))
        except ProviderError as exc:
            # Made safe like any answer; checked when the next run uses them.
            partial = {t: one_line(make_safe(v)[0]) for t, v in exc.partial.items()
                       if t not in cache}
            if partial:  # keep what was paid for: the next run sends only the rest
                memory.save_segments(path, {**cache, **partial})
            return Outcome(FAILED, source.slug, lang, path,
                           f"translation into '{lang}' failed: {exc.fault.message}",
                           sent=client.sent - sent_before, faults=faults)
        faults += plan.faults
        if self._unsafe:
            faults.append(f"{self._unsafe} control or invisible character(s) in the provider's "
                          "answers removed")
        marker = glossary.note(lang)
        failed, passed = [], 0
        for number, (unit, where) in enumerate(places, 1):
            problems = results.get(unit)
            if problems is None:
                continue
            if not problems:
                passed += 1
                continue
            for failure in problems:
                failed.append({"check": failure.check, "segment": number,
                               "detail": f"{where}: {failure.detail}"})
            unit.keep_source(f" [{marker}]" if where in ("title", "summary") else f" *[{marker}]*")
        checks = {"passed": passed, "failed": failed}
        title, summary, body = plan.render()
        title = " ".join(one_line(title).split())
        summary = one_line(summary)
        bad_texts = {c.text for u in units if u.untranslated for c in u.chunks}
        used = {t: translations[t] for t in list(texts) + list(pieces)
                if t in translations and t not in bad_texts}
        meta = memory.memory_meta(
            source.meta, title=title, summary=summary, lang=lang, slug=source.slug,
            when=self._local(source.date), translation_of=source.rel_path,
            source_lang=source.lang, source_hash=source.fingerprint, provider=client.name,
            translated=self._local(self._now()), checks=checks)
        text = memory.render_memory(meta, body)
        try:
            memory.verify_text(text, path, meta, body, self.languages)
        except memory.UnsafeMemoryWrite as exc:
            return Outcome(FAILED, source.slug, lang, path, f"translation into '{lang}' not "
                           f"written: {exc}", sent=client.sent - sent_before, faults=faults)
        if corrupt is not None:
            backup = memory.keep_unreadable(path)
            if backup is not None:
                faults.append(f"unreadable memory file ({corrupt}) rebuilt; the old file is kept "
                              f"as {backup.name}: copy back anything an editor wrote, then "
                              "delete it")
        # Sidecar first: killed between the two writes, the next run finds a stale post whose
        # segments are all cached, and refreshes it without a request. Only answers that passed
        # their checks are cached.
        memory.save_segments(path, used)
        memory.atomic_write(path, text)
        sent = client.sent - sent_before
        reused = len([t for t in texts if t in cache])
        verb = ("asked again for the segments that failed their checks" if recheck
                else "refreshed after the source changed" if refresh
                else f"translated from '{source.lang}'")
        message = f"{verb} by {client.name}: {sent} segment(s) sent, {reused} reused"
        if failed:
            message += (f"; {len({f['segment'] for f in failed})} segment(s) failed their checks "
                        f"twice and are shown in '{source.lang}'")
        enforced = {}
        for unit in units:
            if not unit.untranslated:
                for pair in unit.enforced:
                    enforced[pair] = enforced.get(pair, 0) + 1
        return Outcome(kind, source.slug, lang, path, message, sent=sent, reused_segments=reused,
                       faults=faults, checks=checks, enforced=enforced)

    def _local(self, moment):
        if isinstance(moment, datetime) and moment.tzinfo is not None and self.tz is not None:
            return moment.astimezone(self.tz)
        return moment


def make_safe(text):
    from digest.safetext import make_safe as safe  # the foundation's one rule (imports Pelican)

    return safe(text)


def one_line(text):
    from digest.safetext import one_line as single

    return single(text)


def _glossary_span(replacement, kind, form):
    return Span(replacement, term=form, kind=kind)


def describe_checks(checks: dict) -> list[str]:
    """One line per failed segment of a memory file's `checks:`, for reports."""
    by_segment = {}
    for failure in (checks or {}).get("failed") or ():
        if isinstance(failure, dict):
            by_segment.setdefault(failure.get("segment"), []).append(failure)
    lines = []
    for segment, failures in sorted(by_segment.items(), key=lambda kv: str(kv[0])):
        names = ", ".join(str(f.get("check")) for f in failures)
        details = "; ".join(str(f.get("detail")) for f in failures)
        lines.append(f"segment {segment} failed {names} ({details})")
    return lines


def relative_to(path, root) -> str:
    path, root = os.fspath(path), os.fspath(root)
    # The usual case, a normalised absolute path under a normalised absolute root, is a prefix to cut:
    # os.path.relpath costs ~10 µs, twice per post and language in a build.
    if os.path.isabs(path) and path.startswith(root) and path[len(root):len(root) + 1] == os.sep \
            and os.path.isabs(root) and os.path.normpath(path) == path and os.path.normpath(root) == root:
        return path[len(root) + 1:].replace(os.sep, "/")
    try:
        return os.path.relpath(os.path.abspath(path), os.path.abspath(root)).replace(os.sep, "/")
    except ValueError:
        return path
