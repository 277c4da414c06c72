"""Detections kept between builds, keyed by what they depend on: the text, the registry, this code.

The key hashes the post's title and Markdown body as the build holds them (cheap: no plain text is
made to look an entry up). An entry keeps what every build reads, small and text-free: each
company's forms and the mentions not counted (the report line), the text's share of the candidates,
and the whole detection as a JSON string, decoded only when someone reads story.explain.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from common.files import replacing

from .core import detection_notes, plain_text
from .detector import Detection

logger = logging.getLogger(__name__)

CACHE_FILE = "companies-detections.json"


def code_digest():
    """A change in the detection code must invalidate cached detections, like a registry change."""
    digest = hashlib.sha256()
    for name in ("detector.py", "registry.py", "text.py", "candidates.py", "core.py", "cache.py"):
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()


_CODE_DIGEST = code_digest()


@dataclass(slots=True)
class Found:
    """One text's detection as the build uses it (see DetectionCache.find)."""

    forms: dict  # company id -> forms as written ("Anthropic, Claude ×2"), most mentioned first
    not_counted: str  # describe()'s " | not counted: ..." tail, or ""
    names: str  # pack_candidates(text_candidates(...))
    _detection: object  # Detection, or its to_dict() as a JSON string until someone needs it

    @property
    def ids(self):
        return list(self.forms)

    @property
    def detection(self) -> Detection:
        if isinstance(self._detection, str):
            self._detection = Detection.from_dict(json.loads(self._detection))
        return self._detection


def pack_candidates(found):
    """text_candidates() output as one string ("name\\tmentions\\tinside" lines): a name is words and
    single spaces, never a tab or a line break. One string per entry keeps the cache file quick to load."""
    return "\n".join(f"{name}\t{count}\t{int(inside)}" for name, (count, inside) in found.items())


def unpack_candidates(packed):
    found = {}
    for line in packed.split("\n") if packed else ():
        name, count, inside = line.split("\t")
        found[name] = (int(count), inside == "1")
    return found


class DetectionCache:
    """A JSON file of detections; entries not used by a build are dropped when it is saved."""

    def __init__(self, directory, registry_digest):
        self.path = os.path.join(directory, CACHE_FILE) if directory else None
        self.salt = f"{_CODE_DIGEST}:{registry_digest}:".encode()
        self.entries = {}
        self.used = {}
        self.hits = self.misses = 0
        self.prefilled = False
        if self.path:
            try:
                with open(self.path, "rb") as fh:
                    entries = json.loads(fh.read())
                self.entries = entries if isinstance(entries, dict) else {}
            except FileNotFoundError:
                pass
            except (OSError, ValueError) as exc:
                logger.warning("ignoring unreadable company detection cache %s: %s", self.path, exc)

    def key(self, title, body):
        text = f"{title or ''}\0{body or ''}".encode("utf-8", "surrogatepass")
        return hashlib.sha1(self.salt + text).hexdigest()

    def find(self, title, body, detector) -> Found:
        """The detection of a post's title and Markdown body. `detector()` returns the CompanyDetector;
        it is asked for on a miss only, so a build whose posts are all cached never compiles it."""
        key = self.key(title, body)
        entry = self.entries.get(key)
        if entry is not None:
            try:
                found = Found(entry["forms"], entry["not_counted"], entry["names"], entry["detection"])
                if isinstance(found.forms, dict) and isinstance(found._detection, str):
                    self.hits += 1
                    self.used[key] = entry
                    return found
            except (KeyError, TypeError):
                pass  # an entry from an older layout: detect again
        self.misses += 1
        return self._detect(key, title, body, detector())

    def _detect(self, key, title, body, detector) -> Found:
        entry, detection = detect_entry(title, body, detector)
        self.used[key] = entry
        return Found(entry["forms"], entry["not_counted"], entry["names"], detection)

    def prefill(self, texts, detector, fill):
        """Detect, with `fill(function, items)` (the build passes a parallel map), the (title, body)
        pairs the cache lacks; find() then reads them like any cached entry."""
        missing = {}
        for title, body in texts:
            key = self.key(title, body)
            entry = self.entries.get(key)
            if not (isinstance(entry, dict) and isinstance(entry.get("detection"), str)):
                missing[key] = (title, body)
        if not missing:
            return
        global _PREFILL_DETECTOR
        _PREFILL_DETECTOR = detector()
        try:
            entries = fill(_entry_for, list(missing.values()))
        finally:
            _PREFILL_DETECTOR = None
        self.entries.update(zip(missing, entries))
        self.prefilled = True  # new entries: save() must write even if every one gets used


    def save(self):
        """Write atomically (temp file + rename): a build killed midway never leaves half a file."""
        if not self.path or (self.used == self.entries and not self.prefilled):
            return
        # A cache the next build can make again: no need to survive a power cut.
        with replacing(self.path, durable=False) as fh:
            # Key order is meaning here (most mentioned company first): never sort_keys.
            json.dump(self.used, fh, ensure_ascii=False)
        self.entries = dict(self.used)


_PREFILL_DETECTOR = None


def _entry_for(pair):
    return detect_entry(pair[0], pair[1], _PREFILL_DETECTOR)[0]


def detect_entry(title, body, detector):
    """(cache entry, detection) for one post's title and Markdown body."""
    text = plain_text(title, body)
    detection = detector.detect(text)
    forms, not_counted = detection_notes(detection)
    names = pack_candidates(detector.candidate_names(text))
    entry = {"forms": forms, "not_counted": not_counted, "names": names,
             "detection": json.dumps(detection.to_dict(), ensure_ascii=False)}
    return entry, detection
