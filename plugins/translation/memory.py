"""The translation memory: one Markdown post per translation, committed with the content.

content/translations/{lang}/{YYYY}/{slug}.md
    the translated post: the posts' front matter contract plus translation_of, source_lang,
    source_hash, provider, translated, reviewed
content/translations/{lang}/{YYYY}/{slug}.segments.json
    what each segment was translated into, so a changed source sends only its changed segments

The sidecar is a JSON list with one entry per line, sorted by source_sha, so diffs are one line per
changed segment. It is a cache: deleting it costs requests, never text. Every write goes to a
temporary file in the same folder, is fsync'ed, then renamed over the target (os.replace is atomic
on POSIX and Windows), so a killed run leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import yaml
from common.files import TEMP_SUFFIX, atomic_write as _atomic_write
from common.safety import check_write_inside

logger = logging.getLogger(__name__)

SIDECAR_SUFFIX = ".segments.json"
# Copied from the source post as they are (the translated title and summary are set apart).
COPIED_FIELDS = ("source", "source_name", "author", "tags", "companies", "exclude_tags",
                 "exclude_companies")
TRANSLATION_FIELDS = ("translation_of", "source_lang", "source_hash", "provider", "translated",
                      "reviewed")
HEADER_NOTE = ("# Translation memory. Edit the text freely; set reviewed: true and no run will "
               "ever overwrite it.")


def source_fingerprint(title: str, summary: str, body: str) -> str:
    """sha256 of what is translated: the source post's title, summary and (cleaned) body."""
    parts = [(title or "").strip(), (summary or "").strip(),
             (body or "").replace("\r\n", "\n").strip()]
    return hashlib.sha256("\x1e".join(parts).encode("utf-8")).hexdigest()


def segment_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def memory_path(content_dir, lang: str, when, slug: str, memory_dir="translations") -> Path:
    year = when.year if isinstance(when, (date, datetime)) else str(when)[:4]
    return Path(content_dir) / memory_dir / lang / f"{year}" / f"{slug}.md"


def sidecar_path(path) -> Path:
    path = Path(path)
    return path.with_name(path.name[: -len(path.suffix)] + SIDECAR_SUFFIX)


def atomic_write(path, text: str):
    """Write text to path so that a reader (or a crash) sees the old file or the new one: the
    project's one helper (a unique temporary name beside the file, fsync, os.replace)."""
    _atomic_write(path, text, durable=True)


def sweep_temp_files(root) -> int:
    """Remove temporary files a killed run left behind; returns how many."""
    removed = 0
    for tmp in Path(root).rglob(f".*{TEMP_SUFFIX}"):
        try:
            tmp.unlink()
            removed += 1
        except OSError:
            pass
    return removed


# -- memory files --------------------------------------------------------------------------------


class CorruptMemory(Exception):
    """A memory file that cannot be read as a translation; `reviewed` if it seems to be one."""

    def __init__(self, path, reason, reviewed=False):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason, self.reviewed = path, reason, reviewed


@dataclass
class MemoryEntry:
    path: Path
    meta: dict
    body: str

    @property
    def reviewed(self) -> bool:
        return self.meta.get("reviewed") is True or self.provider == "human"

    @property
    def provider(self):
        return self.meta.get("provider")

    @property
    def source_hash(self):
        return self.meta.get("source_hash")


class _NoDates(yaml.SafeLoader):
    """Dates stay strings: reading a memory file must not depend on date parsing."""


_NoDates.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def split_front_matter(text: str):
    """(meta dict, body) of a Markdown file with YAML front matter; raises ValueError."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ValueError("no front matter (the first line must be ---)")
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            try:
                meta = yaml.load("\n".join(lines[1:i]), Loader=_NoDates) or {}
            except yaml.YAMLError as exc:
                raise ValueError(f"front matter is not valid YAML ({exc.__class__.__name__})") \
                    from None
            if not isinstance(meta, dict):
                raise ValueError("front matter is not a mapping")
            return {str(k).lower(): v for k, v in meta.items()}, "\n".join(lines[i + 1:])
    raise ValueError("front matter never closed (truncated file?)")


def _reviewed_if_parsable(text: str) -> bool:
    """Whether a broken file says it was reviewed, from its YAML alone: a file cut before its
    closing line still has a parsable header. When the YAML itself is broken nobody can tell (a
    regex over the text would believe a "reviewed: true" line inside a provider's title): False,
    and the engine keeps a copy of the file before it rebuilds it, so no text is ever lost."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        return False
    header = []
    for line in lines[1:]:
        if line.strip() in ("---", "..."):
            break
        header.append(line)
    try:
        meta = yaml.load("\n".join(header), Loader=_NoDates)
    except yaml.YAMLError:
        return False
    return isinstance(meta, dict) and (meta.get("reviewed") is True or meta.get("provider") == "human")


def read_memory(path) -> MemoryEntry:
    """Read a memory file; raise CorruptMemory (never anything else) if it is not usable."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorruptMemory(path, f"unreadable ({exc.__class__.__name__})") from None
    try:
        meta, body = split_front_matter(text)
    except ValueError as exc:
        raise CorruptMemory(path, str(exc), _reviewed_if_parsable(text)) from None
    reviewed = meta.get("reviewed") is True or meta.get("provider") == "human"
    missing = [k for k in ("title", "lang", "translation_of", "source_hash") if not meta.get(k)]
    if missing:
        raise CorruptMemory(path, f"missing {', '.join(missing)}", reviewed)
    wrong = [k for k, kind in (("title", str), ("lang", str), ("translation_of", str),
                               ("source_hash", str), ("reviewed", bool)) if k in meta
             and not isinstance(meta[k], kind)]
    if wrong:
        raise CorruptMemory(path, f"{', '.join(wrong)}: wrong type of value", reviewed)
    return MemoryEntry(path, meta, body)


class UnsafeMemoryWrite(ValueError):
    """A memory file that must not be written: outside the memory folder, or not read back."""


def check_inside(path, root):
    """Refuse a memory path whose real location leaves `root` (content/translations): a symlinked
    folder (content/translations/en/2024 -> /elsewhere) must not make a run write outside, and a
    linked file is never written through (common.safety, the build's own rule for writers)."""
    problem = check_write_inside(str(path), str(root))
    if problem:
        raise UnsafeMemoryWrite(f"refusing to write {path}: {problem} (replace the link with a real "
                                "folder or file; the next run writes it)")


def verify_text(text: str, path, meta: dict, body: str, languages=None):
    """Parse `text` back as the build will (the foundation's front-matter reader when it is there)
    and check it says what was meant; UnsafeMemoryWrite otherwise, so nothing is replaced by a
    file the next build would reject or read differently."""
    try:
        from digest.frontmatter import ContentError, load
    except ImportError:
        load = None
    if load is not None:
        langs = tuple(languages or ()) or tuple({meta["lang"], meta.get("source_lang") or meta["lang"]})
        try:
            doc = load(text.encode("utf-8"), str(path), languages=langs)
        except ContentError as exc:
            raise UnsafeMemoryWrite("the new text would not be read back: "
                                    + "; ".join(str(p) for p in exc.problems)) from None
        got, got_body = doc.meta, doc.body
    else:
        try:
            got, got_body = split_front_matter(text)
        except ValueError as exc:
            raise UnsafeMemoryWrite(f"the new text would not be read back: {exc}") from None
    for key in ("title", "summary", "lang", "slug", "translation_of", "source_hash", "reviewed",
                "checks"):
        if key in meta and got.get(key) != meta[key]:
            raise UnsafeMemoryWrite(f"the new text reads back with a different {key}")
    if got_body.strip() != body.strip():
        raise UnsafeMemoryWrite("the new text reads back with a different body")


def keep_unreadable(path) -> Path | None:
    """Move an unreadable memory file aside (FILE.md.unreadable) before it is rebuilt, so what it
    held (perhaps an editor's text) stays on disk; the returned path is reported."""
    path = Path(path)
    if not path.exists():
        return None
    backup, n = path.with_name(path.name + ".unreadable"), 1
    while backup.exists():  # an earlier copy may hold what an editor wrote: never replace it
        n += 1
        backup = path.with_name(f"{path.name}.unreadable-{n}")
    os.replace(path, backup)
    return backup


def render_memory(meta: dict, body: str) -> str:
    """The file text: the foundation's front-matter writer, with a note for editors."""
    from digest.frontmatter import dump

    text = dump(meta, body)
    return text.replace("---\n", f"---\n{HEADER_NOTE}\n", 1)


def memory_meta(source_meta: dict, *, title, summary, lang, slug, when, translation_of,
                source_lang, source_hash, provider, translated: datetime, checks=None) -> dict:
    """Front matter of a translation: the post contract, then the translation fields."""
    meta = {"title": title, "date": when, "lang": lang, "slug": slug}
    if summary:
        meta["summary"] = summary
    for key in COPIED_FIELDS:
        if source_meta.get(key) not in (None, "", []):
            meta[key] = source_meta[key]
    status = source_meta.get("status")
    if status and status != "published":
        meta["status"] = status
    # The body is the translation of an already cleaned text: cleaning it again could only remove
    # lines an editor would not see removed.
    meta["clean"] = False
    meta.update(translation_of=translation_of, source_lang=source_lang, source_hash=source_hash,
                provider=provider, translated=translated, reviewed=False)
    if checks is not None:  # {passed: int, failed: [{check, segment, detail}]}
        meta["checks"] = checks
    return meta


# -- segment cache -------------------------------------------------------------------------------


def load_segments(path) -> tuple[dict, str | None]:
    """({source text: translation}, problem or None). A broken sidecar is an empty cache."""
    path = sidecar_path(path)
    if not path.exists():
        return {}, None
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        cache = {}
        for entry in entries:
            source, target = entry["source"], entry["target"]
            if isinstance(source, str) and isinstance(target, str) \
                    and entry.get("source_sha") == segment_sha(source):
                cache[source] = target
        return cache, None
    except (OSError, ValueError, TypeError, KeyError) as exc:
        return {}, f"segment cache {path.name} unreadable ({exc.__class__.__name__}): ignored"


def save_segments(path, cache: dict):
    entries = sorted(({"source_sha": segment_sha(s), "source": s, "target": t}
                      for s, t in cache.items()), key=lambda e: e["source_sha"])
    lines = [json.dumps(e, ensure_ascii=False, sort_keys=True) for e in entries]
    atomic_write(sidecar_path(path), "[\n" + ",\n".join(lines) + ("\n" if lines else "") + "]\n")
