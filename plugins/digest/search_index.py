"""The search index, kept in step with the build at a cost that follows what changed.

Pagefind has no incremental mode, so the index is split into shards, one per language and quarter
(`fr-2024-q3`), each a Pagefind bundle of its own under output/pagefind/, merged in the browser
(theme/static/js/search.js, Pagefind's mergeIndex). Each shard is made from records the build
already holds (URL, title, text, date, topics and companies of every published article), sent to
Pagefind's service (pagefind_service.py): no HTML is read again. output/pagefind/shards.json says
which shards each language has and the digest of what each was made from; a build re-indexes the
shards whose digest changed, deletes those that have no article left, and does nothing at all
when no digest changed. One edited post re-indexes the one quarter of one language it is in.

Why a quarter: re-indexing a shard costs about a millisecond per page, and the browser loads
every shard of its language (one entry file and one small Wasm file each) before a first answer.
At 2,000 posts a year-shard holds about 1,000 pages of a language (1 s to re-index after one
edit); a quarter holds about 250 (0.3 s), and the search page merges 8 of them per language.

Pure: no Pelican import; the site's values come in as records.
"""

from __future__ import annotations

import json
import os
import shutil

from .fingerprint import digest

FOLDER = "pagefind"
MANIFEST = "shards.json"
FORMAT = 1  # bump when what a record holds changes: every shard is made again
# Pagefind writes its ready-made UIs into every bundle; the theme has its own search page.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


def shard_of(lang, date):
    return f"{lang}-{date.year:04d}-q{(date.month - 1) // 3 + 1}"


class Entry:
    """One article as the index knows it: a key standing for everything its record holds, and a
    function that makes the record (called only when its shard is re-indexed)."""

    __slots__ = ("url", "key", "make")

    def __init__(self, url, key, make):
        self.url, self.key, self.make = url, key, make


def read_manifest(folder):
    try:
        with open(os.path.join(folder, MANIFEST), encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or \
            not isinstance(data.get("shards"), dict):
        return None
    return data


def plan(shards: dict, base: str, manifest, folder):
    """({shard: digest} to (re)index, [shard folders to delete]). `shards`: {name: [Entry]}."""
    previous = (manifest or {}).get("shards", {}) if (manifest or {}).get("base") == base else {}
    digests = {name: digest(base, sorted((e.url, e.key) for e in entries))
               for name, entries in shards.items()}
    todo = {name: d for name, d in digests.items()
            if previous.get(name, {}).get("digest") != d
            or not os.path.exists(os.path.join(folder, name, "pagefind-entry.json"))}
    gone = sorted(name for name in (manifest or {}).get("shards", {}) if name not in shards)
    return digests, todo, gone


def update(output_root, shards: dict, base: str, write_shard, workers=1, engine=lambda: ""):
    """Bring output/pagefind/ up to date. `write_shard(records, absolute folder)` makes one bundle;
    `workers` shards are made at a time (each by a Pagefind process of its own). `engine()` names
    the Pagefind that writes them, asked only when something is to be written: shards of two
    versions are never merged, so a new one makes them all again.
    Returns (shards re-indexed, pages indexed, shards in all, shards deleted)."""
    from concurrent.futures import ThreadPoolExecutor

    folder = os.path.join(output_root, FOLDER)
    manifest = read_manifest(folder)
    if manifest is None and os.path.lexists(folder):
        # An index of another kind (Pagefind's CLI over the whole site) or a broken one: ours
        # from scratch, so no stale file of it is ever served.
        remove(folder)
    digests, todo, gone = plan(shards, base, manifest, folder)
    if not todo and not gone and manifest is not None:
        return 0, 0, len(shards), 0
    version = engine()
    if (manifest or {}).get("pagefind") != version:
        todo, manifest = dict(digests), None
    os.makedirs(folder, exist_ok=True)
    done = dict((manifest or {}).get("shards", {})) if (manifest or {}).get("base") == base else {}

    def make(name, records):
        fresh = os.path.join(folder, f".{name}.new")
        remove(fresh)
        write_shard(records, fresh)
        for unused in UNUSED:
            remove(os.path.join(fresh, unused))
        old = os.path.join(folder, f".{name}.old")
        remove(old)
        target = os.path.join(folder, name)
        if os.path.lexists(target):
            os.replace(target, old)
        os.replace(fresh, target)
        remove(old)
        done[name] = {"digest": todo[name], "pages": len(records)}
        return len(records)

    try:
        # The records are made here (they read the site), the bundles in the pool.
        jobs = [(name, [e.make() for e in sorted(shards[name], key=lambda e: e.url)])
                for name in sorted(todo, key=lambda n: -len(shards[n]))]
        with ThreadPoolExecutor(max(1, min(workers, len(jobs) or 1))) as pool:
            pages = sum(pool.map(lambda job: make(*job), jobs))
        for name in gone:
            remove(os.path.join(folder, name))
            done.pop(name, None)
    finally:
        # What was written is recorded even when a later shard failed: the next build redoes
        # only what is missing.
        write_manifest(folder, base, {n: v for n, v in done.items() if n in shards}, version)
    return len(todo), pages, len(shards), len(gone)


def write_manifest(folder, base, shards, version=""):
    languages = {}
    for name in sorted(shards, reverse=True):  # newest quarter first: the browser starts there
        languages.setdefault(name.rsplit("-", 2)[0], []).append(name)
    data = {"format": FORMAT, "base": base, "pagefind": version, "languages": languages,
            "shards": shards}
    tmp = os.path.join(folder, f".{MANIFEST}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, sort_keys=True)
    os.replace(tmp, os.path.join(folder, MANIFEST))


def remove(path):
    if os.path.islink(path) or os.path.isfile(path):
        os.remove(path)
    elif os.path.isdir(path):
        shutil.rmtree(path)
