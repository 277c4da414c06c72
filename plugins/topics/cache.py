"""Topic results kept between builds, in one small JSON file (CACHE_PATH/topics.json).

Keys are hashes of (code, taxonomy file, text) made by core.Tagger, so an entry can never be stale:
a changed post or topics.yaml simply misses. Entries not used by a build are dropped when it saves,
so the file holds one build's worth of results.
"""

import json
import logging

from common.files import replacing

logger = logging.getLogger(__name__)

FORMAT = 3  # 2: entries keyed on the raw text, holding detected ids and the score list; 3: as one string


class ResultCache:
    def __init__(self, path):
        self.path = path
        self._old = self._read()
        self._new = {}

    def _read(self):
        try:
            with open(self.path, encoding="utf-8") as fh:
                data = json.load(fh)
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:  # a broken cache costs one recomputation, not a build
            logger.warning("ignoring unreadable topic cache %s: %s", self.path, exc)
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return {}
        return data.get("entries") or {}

    def peek(self, key):
        """The entry, without marking it as used by this build."""
        return self._new.get(key) or self._old.get(key)

    def get(self, key):
        value = self._new.get(key) or self._old.get(key)
        if value is not None:
            self._new[key] = value
        return value

    def put(self, key, value):
        self._new[key] = value

    def save(self):
        """Write the entries this build used; atomically, so an interrupted build leaves the old file."""
        if self._new == self._old:
            return
        with replacing(self.path, durable=False) as fh:  # a cache: the next build can make it again
            json.dump({"format": FORMAT, "entries": self._new}, fh, ensure_ascii=False, sort_keys=True)
        self._old = dict(self._new)
