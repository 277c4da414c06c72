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
from .config import TranslationConfig
from .inline import has_words
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

    @classmethod
    def from_file(cls, path) -> "Existing | None":
        path = Path(path)
        if not path.exists():
            return None
        try:
            entry = memory.read_memory(path)
        except memory.CorruptMemory as exc:
            return cls(path, reviewed=exc.reviewed, corrupt=exc.reason)
        return cls(path, reviewed=entry.reviewed, source_hash=entry.source_hash)


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

    @property
    def written(self) -> bool:
        return self.kind in (TRANSLATED, REFRESHED)


class TranslationService:
    def __init__(self, config: TranslationConfig, content_dir, *, may_call: bool,
                 client: ProviderClient | None = None, tz=None, now=None):
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
            faults.append(f"unreadable memory file ({existing.corrupt}): treated as missing")
        if not self.may_call:
            return outcome(MISSING, f"not yet translated into '{lang}': {self.offline_reason}; "
                           "run `invoke translate`", faults=faults)
        result = self._translate(source, lang, path, refresh=False)
        result.faults[:0] = faults
        return result

    # -- work --------------------------------------------------------------------------------------
    def _send(self, texts, cache, source_lang, lang):
        """Translations for texts: from the segment cache, else the provider (ProviderError)."""
        need = [t for t in texts if t not in cache and has_words(t)]
        got = dict(cache)
        if need:
            got.update(zip(need, self.client.translate_many(need, source_lang, lang)))
        for text in texts:
            got.setdefault(text, text)  # nothing to translate (numbers, names without letters)
        return got

    def _translate(self, source: SourcePost, lang: str, path: Path, refresh: bool) -> Outcome:
        kind = REFRESHED if refresh else TRANSLATED
        cache, problem = memory.load_segments(path)
        faults = [problem] if problem else []
        client = self.client
        sent_before = client.sent
        plan = prepare(source.title, source.summary, source.body, client.limit)
        texts = plan.texts()
        try:
            translations = self._send(texts, cache, source.lang, lang)
            failed_units = plan.apply(translations)
            pieces = plan.fallback_texts(failed_units)
            if pieces:
                translations.update(self._send(pieces, cache, source.lang, lang))
                plan.apply_fallback(failed_units, translations)
        except ProviderError as exc:
            partial = {t: v for t, v in exc.partial.items() if t not in cache}
            if partial:  # keep what was paid for: the next run sends only the rest
                memory.save_segments(path, {**cache, **partial})
            return Outcome(FAILED, source.slug, lang, path,
                           f"translation into '{lang}' failed: {exc.fault.message}",
                           sent=client.sent - sent_before, faults=faults)
        faults += plan.faults
        title, summary, body = plan.render()
        used = {t: translations[t] for t in list(texts) + list(pieces) if t in translations}
        meta = memory.memory_meta(
            source.meta, title=title, summary=summary, lang=lang, slug=source.slug,
            when=self._local(source.date), translation_of=source.rel_path,
            source_lang=source.lang, source_hash=source.fingerprint, provider=client.name,
            translated=self._local(self._now()))
        # Sidecar first: killed between the two writes, the next run finds a stale post whose
        # segments are all cached, and refreshes it without a request.
        memory.save_segments(path, used)
        memory.atomic_write(path, memory.render_memory(meta, body))
        sent = client.sent - sent_before
        reused = len([t for t in texts if t in cache])
        verb = ("refreshed after the source changed" if refresh
                else f"translated from '{source.lang}'")
        return Outcome(kind, source.slug, lang, path,
                       f"{verb} by {client.name}: {sent} segment(s) sent, {reused} reused",
                       sent=sent, reused_segments=reused, faults=faults)

    def _local(self, moment):
        if isinstance(moment, datetime) and moment.tzinfo is not None and self.tz is not None:
            return moment.astimezone(self.tz)
        return moment


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
