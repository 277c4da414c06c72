"""Detections kept between builds, keyed by what they depend on: the text, the registry, this code."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

from .detector import Detection

logger = logging.getLogger(__name__)

CACHE_FILE = "companies-detections.json"


def code_digest():
    """A change in the detection code must invalidate cached detections, like a registry change."""
    digest = hashlib.sha256()
    for name in ("detector.py", "registry.py", "text.py"):
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()


_CODE_DIGEST = code_digest()


class DetectionCache:
    """A JSON file of detections; entries not used by a build are dropped when it is saved."""

    def __init__(self, directory, registry_digest):
        self.path = os.path.join(directory, CACHE_FILE) if directory else None
        self.salt = f"{_CODE_DIGEST}:{registry_digest}:"
        self.entries = {}
        self.used = {}
        self.hits = self.misses = 0
        if self.path and os.path.exists(self.path):
            try:
                with open(self.path, encoding="utf-8") as fh:
                    self.entries = json.load(fh)
            except (OSError, ValueError) as exc:
                logger.warning("ignoring unreadable company detection cache %s: %s", self.path, exc)

    def key(self, text):
        return hashlib.sha256((self.salt + text).encode("utf-8")).hexdigest()

    def detect(self, detector, text) -> Detection:
        key = self.key(text)
        data = self.entries.get(key)
        if data is not None:
            try:
                detection = Detection.from_dict(data)
                self.hits += 1
                self.used[key] = data
                return detection
            except (KeyError, TypeError):
                pass  # an entry from an older layout: detect again
        self.misses += 1
        detection = detector.detect(text)
        self.used[key] = detection.to_dict()
        return detection

    def save(self):
        """Write atomically (temp file + rename): a build killed midway never leaves half a file."""
        if not self.path or self.used == self.entries:
            return
        directory = os.path.dirname(self.path)
        os.makedirs(directory, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".companies-", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self.used, fh, ensure_ascii=False, sort_keys=True)
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        self.entries = dict(self.used)
