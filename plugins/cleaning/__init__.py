"""Cleaning plugin: pasted articles come out clean, safe and well set (issue 3).

Signal glue only; the work is in core (line cleaning), typography and sanitize, which import nothing
from Pelican. digest (and with it Pelican) is imported in register() only, so `import cleaning.core`
stays light: the core can be tested and timed alone.

Settings:
  CLEANING_RULES_PATH  the rules file; default: <PATH>/data/cleaning.yaml
  SITEURL              links to another host get rel="noopener noreferrer"
"""

from __future__ import annotations

import logging
import os

from .core import clean_markdown
from .rules import Rules, load_rules
from .sanitize import safe_source_url, sanitize_html
from .typography import typeset_html, typeset_text

logger = logging.getLogger(__name__)

_NO_RULES = Rules()
_missing_reported: set[str] = set()


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
        cleaned = clean_markdown(src.body, lang=src.lang, title=src.meta.get("title") or "",
                                 summary=src.meta.get("summary") or "", rules=rules)
        src.body = cleaned.text
        for number, text, rule in cleaned.removed:
            # line numbers of the file, not of the body, so an editor can find the line
            src.note("cleaning", f"removed line {number + src.body_line - 1} ({rule}): {text}")
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


def clean_html(src):
    """html_rendered: allow-list the HTML, then typeset its text."""
    src.html = typeset_html(sanitize_html(src.html, site_url=src.settings.get("SITEURL")), src.lang)


def register():
    from digest import signals

    signals.source_loaded.connect(clean_source)
    signals.html_rendered.connect(clean_html)
