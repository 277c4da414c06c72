"""Cleaning plugin: pasted articles come out clean, safe and well set (issue 3).

Signal glue only; the work is in core (line cleaning), scorer, recurring, typography and sanitize,
which import nothing from Pelican. digest (and with it Pelican) is imported in register() only, so
`import cleaning.core` stays light: the core can be tested and timed alone.

Recurring lines need a view across posts while cleaning runs per file, at read time, and Pelican
caches what was read by the file's content hash. So when the articles generator starts (its content
cache just loaded) every post is scanned once (recurring.scan: its short lines, no YAML) and:
- each post's cleaning is given the lines of it that recur in 3+ posts of its source;
- each post's `cleaning_recurring` (the salt of that set, kept with the cached metadata) is compared
  with the cached one: a cached post whose set changed is dropped from the cache and read again;
- CLEANING_RECURRING (a digest of every post's set) is a setting, so it is in every page's render
  key: pages are rendered again when a set changed (rare: a line starts or stops recurring).
The bytes scanned are handed to digest's stamps, so Pelican's cache check does not read them again.

Settings:
  CLEANING_RULES_PATH  the rules file; default: <PATH>/data/cleaning.yaml
  SITEURL              links to another host get rel="noopener noreferrer"
"""

from __future__ import annotations

import logging
import os

from . import recurring
from .core import clean_markdown
from .rules import Rules, load_rules
from .sanitize import safe_source_url, sanitize_html
from .typography import typeset_html, typeset_text

logger = logging.getLogger(__name__)

_NO_RULES = Rules()
_missing_reported: set[str] = set()
SALT_KEY = "cleaning_recurring"
# The recurring-line index of the build under way: (content path, Index); read by clean_source in
# this process and in the forked readers, which inherit it.
_index: tuple[str, recurring.Index] | None = None


def rules_for(settings) -> Rules:
    """The compiled rules for this build (read once per path and modification time)."""
    path = settings.get("CLEANING_RULES_PATH") or os.path.join(settings["PATH"], "data", "cleaning.yaml")
    try:
        return load_rules(path)
    except FileNotFoundError:
        if path not in _missing_reported:
            _missing_reported.add(path)
            logger.warning("cleaning: no rules file at %s; only title repeats and stray words are removed",
                           path)
        return _NO_RULES


def clean_source(src):
    """source_loaded: clean the Markdown body, typeset title and summary, check the source URL."""
    if src.meta.get("clean") is not False:
        rules = rules_for(src.settings)
        index = index_for(src.settings)
        # src.path is relative to the project root, the folder above PATH (digest.reader)
        root = os.path.dirname(os.path.abspath(src.settings["PATH"]))
        path = os.path.abspath(os.path.join(root, src.path)) if index else None
        lines = index.recurring_in(path) if index else {}
        source = recurring.source_key(src.meta.get("source_name"), src.meta.get("source"))
        cleaned = clean_markdown(src.body, lang=src.lang, title=src.meta.get("title") or "",
                                 summary=src.meta.get("summary") or "", rules=rules,
                                 recurring=lines, source=recurring.source_label(source))
        src.body = cleaned.text
        if lines:
            src.meta[SALT_KEY] = index.salt(path)
        for removed in cleaned.removed:
            # line numbers of the file, not of the body, so an editor can find the line
            src.note("cleaning", f"removed line {removed.line + src.body_line - 1} ({removed.explain()}): "
                                 f"{removed.text}")
    for key in ("title", "summary"):
        if isinstance(src.meta.get(key), str):
            src.meta[key] = typeset_text(src.meta[key], src.lang)
    if src.meta.get("source"):
        safe = safe_source_url(src.meta["source"])
        if safe is None:
            src.note("cleaning", f"dropped source URL that is not http(s): {src.meta['source']!r}")
            del src.meta["source"]
        else:
            src.meta["source"] = safe


def on_generator_init(generator):
    from pelican.generators import ArticlesGenerator

    if isinstance(generator, ArticlesGenerator):
        scan_posts(generator)


def index_for(settings):
    """The recurring-line index of this build, when it was made for these settings' content."""
    if _index is not None and _index[0] == os.path.abspath(settings["PATH"]):
        return _index[1]
    return None


def scan_posts(generator):
    """article generator_init: index the posts' recurring lines, drop cached posts whose set of
    recurring lines changed, and put the digest of every set in the settings (see the docstring)."""
    global _index
    from digest import stamps

    settings = generator.settings
    method = settings.get("CHECK_MODIFIED_METHOD")
    cache = getattr(getattr(generator, "readers", None), "_cache", None)
    cache = cache if isinstance(cache, dict) else {}
    entries = {}
    for name in generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"]):
        path = os.path.abspath(os.path.join(generator.path, name))
        if not path.lower().endswith((".md", ".markdown")):
            continue
        try:
            raw, st = stamps.read_bytes(path)
        except OSError:
            continue  # the reader reports it
        if path in cache:  # Pelican will check its stamp: from these bytes, not from a second read
            stamps.note(path, raw, st, method)
        entry = recurring.scan(raw)
        if entry is not None:
            entries[path] = entry
    index = recurring.Index(entries)
    _index = (os.path.abspath(settings["PATH"]), index)
    settings["CLEANING_RECURRING"] = index.digest()
    stale = [path for path, value in cache.items() if _cached_salt(value) != index.salt(path)]
    for path in stale:
        del cache[path]
    report = settings.get("DIGEST_REPORT")
    if report is not None and index:
        _list_recurring(report, index)


def _cached_salt(value):
    """The salt a cached read was cleaned with ("" when none, or when the entry is not ours)."""
    try:
        _stamp, (_content, metadata) = value
        return (metadata.get("digest") or {}).get(SALT_KEY, "")
    except (TypeError, ValueError, AttributeError):
        return ""


def _list_recurring(report, index):
    """One report line per source: how many of its lines recur (each is listed where it is removed)."""
    per_source = {}
    for source, _key in index.counts:
        per_source[source] = per_source.get(source, 0) + 1
    from digest.safetext import one_line

    for source, count in sorted(per_source.items()):
        # read from the raw front matter (no validation yet): no control character reaches a terminal
        report.add("cleaning", f"source {one_line(recurring.source_label(source))}",
                   f"{count} line(s) recur in {index.min_posts}+ of its posts: removed from each "
                   "(listed under each post)")


def clean_html(src):
    """html_rendered: allow-list the HTML, then typeset its text."""
    src.html = typeset_html(sanitize_html(src.html, site_url=src.settings.get("SITEURL")), src.lang)


def typeset_shown(lang, text):
    """text_shown: a string the site shows beside the posts (UI strings, topic and company labels
    and descriptions) is typeset by the same code as the posts."""
    return typeset_text(text, lang)


def register():
    from digest import signals
    from pelican import signals as pelican_signals

    signals.text_shown.connect(typeset_shown)
    signals.source_loaded.connect(clean_source)
    signals.html_rendered.connect(clean_html)
    # A module-level receiver: registering again (each Pelican of a process) connects it once.
    pelican_signals.generator_init.connect(on_generator_init)
