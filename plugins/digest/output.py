"""Writes output files: only inside the output folder, only when their bytes changed, and removes
the files a previous build wrote that this build no longer produces (a deleted post's page)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import posixpath

from common.files import replacing

logger = logging.getLogger(__name__)

MANIFEST = "digest-output.json"


class Output:
    def __init__(self, output_path, settings):
        self.root = os.path.realpath(output_path)
        cache = settings.get("CACHE_PATH")
        self.manifest_path = os.path.join(cache, MANIFEST) if cache else None
        self.previous = {}
        if self.manifest_path and os.path.exists(self.manifest_path):
            try:
                with open(self.manifest_path, encoding="utf-8") as fh:
                    data = json.load(fh)
                if data.get("root") == self.root:
                    self.previous = data.get("files", {})
            except (OSError, ValueError):
                self.previous = {}
        self.files = {}
        self.written = 0
        self.skipped = 0  # rendered, but the bytes were the same
        self.kept = 0  # not even rendered: same render key
        self._folders = set()  # folders this build made or found: no second mkdir for them
        self.twice = []  # output paths two pages of this build were written to (site.py reports)

    def path_for(self, save_as):
        # A lexical check (no realpath per file: it cost a second per 8,000 pages): every URL is
        # built from validated slugs and ids, and this refuses anything that could still climb out.
        norm = posixpath.normpath(save_as.replace("\\", "/"))
        if norm.startswith(("/", "../")) or norm in ("..", ".") or "\x00" in norm:
            raise ValueError(f"refusing to write {save_as!r} outside {self.root}")
        return os.path.join(self.root, norm)

    def keep(self, save_as, key):
        """True when the last build wrote `save_as` from inputs with the same render key and the file
        is still there: the page needs neither rendering nor writing."""
        previous = self.previous.get(save_as)
        if save_as in self.files:
            self.twice.append(save_as)
        if key is None or not isinstance(previous, list) or previous[1] != key:
            return False
        if not os.path.exists(self.path_for(save_as)):
            return False
        self.files[save_as] = previous
        self.kept += 1
        return True

    def write(self, save_as, text, key=None):
        data = text.encode("utf-8") if isinstance(text, str) else text
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        if save_as in self.files:
            self.twice.append(save_as)
        self.files[save_as] = [digest, key]
        target = self.path_for(save_as)
        previous = self.previous.get(save_as)
        if isinstance(previous, list) and previous[0] == digest and os.path.exists(target):
            self.skipped += 1
            return
        self._folder(os.path.dirname(target))
        # os.open/os.write: three system calls a page, where open() makes seven (see stamps.py)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        self.written += 1

    def _folder(self, folder):
        """Make sure `folder` exists: one mkdir for a new page folder (os.makedirs first asks whether
        its parent exists, for every page)."""
        if folder in self._folders:
            return
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        self._folders.add(folder)

    def finish(self):
        removed = 0
        for save_as in set(self.previous) - set(self.files):
            try:
                target = self.path_for(save_as)
            except ValueError:
                continue
            if os.path.isfile(target):
                os.remove(target)
                removed += 1
                parent = os.path.dirname(target)
                while parent != self.root and os.path.isdir(parent) and not os.listdir(parent):
                    os.rmdir(parent)
                    parent = os.path.dirname(parent)
        if self.manifest_path:
            with replacing(self.manifest_path, durable=False) as fh:
                json.dump({"root": self.root, "files": self.files}, fh, sort_keys=True)
        self.removed = removed
        logger.info("files: %d written, %d rendered unchanged, %d kept without rendering, %d removed",
                    self.written, self.skipped, self.kept, removed)
        return removed
