"""`invoke import`: an article (pasted text, saved page or URL) into a post ready to edit.

    site = Site.from_settings(settings)
    result = import_source(site, "article.txt")           # reads, cleans, detects; writes nothing
    write_post(result.path, result.text)
    print(summary(result))

Reading is sources.py, the HTML page extract.py, the pasted text pasted.py, the language
language.py; cleaning, company and topic detection are the build's own cores, so the post says what
the build will find in it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime

from cleaning import rules_for
from cleaning.core import clean_markdown
from companies.core import CompanyDetector, RegistryError, describe, load_registry, plain_text, \
    resolve_companies
from digest.config import data_path
from digest.frontmatter import parse_date
from topics.core import Tagger, TaxonomyError, load_taxonomy

from . import pasted as pasted_text
from .errors import AuthoringError
from .extract import extract_article
from .language import detect_language
from .posts import Site, check_lang, check_source, choose_path, render, slug_for
from .sources import TIMEOUT, read_source


@dataclass
class Imported:
    origin: str  # what the editor passed
    kind: str  # "text file", "HTML file", "web page"
    path: str  # where the post goes
    text: str  # the post, front matter and body
    meta: dict
    how: dict  # field -> where its value came from
    removed: list  # (where, rule, text) of the lines the cleaning core dropped
    why: dict  # "companies" / "topics" -> explanation line
    siblings: list = field(default_factory=list)  # same story in other languages
    notes: list = field(default_factory=list)  # things the editor should look at
    left_out: list = field(default_factory=list)  # an HTML page's text blocks the extraction left out


LEFT_OUT_SHOWN = 40  # a news site's page has hundreds of menu entries: the summary shows the first ones

# Compiled once per registry / taxonomy content: tests and long sessions import many articles.
_detectors: dict = {}
_taggers: dict = {}


def _decode_text(data: bytes, origin: str) -> tuple[str, str | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), f"{origin} is not UTF-8: read as Windows-1252"


def detect_companies(site: Site, title: str, body: str):
    """(company ids, why) as the build will see them; ([], reason) when the registry is unusable."""
    path = data_path(site.settings, "companies.yaml")
    if not os.path.exists(path):
        return [], "no company registry (content/data/companies.yaml)"
    try:
        registry = load_registry(path)
    except RegistryError as exc:
        return [], f"company registry unusable, fix it first: {exc.problems[0]}"
    detector = _detectors.get(registry.digest)
    if detector is None:
        detector = _detectors[registry.digest] = CompanyDetector(registry)
    detection = detector.detect(plain_text(title, body))
    resolution = resolve_companies([], detection.ids, [], registry.ids)
    return resolution.ids, describe(resolution, detection)


def detect_topics(site: Site, title: str, body: str):
    path = data_path(site.settings, "topics.yaml")
    if not os.path.exists(path):
        return [], "no taxonomy (content/data/topics.yaml)"
    try:
        taxonomy = load_taxonomy(path, source="content/data/topics.yaml")
    except TaxonomyError as exc:
        return [], f"taxonomy unusable, fix it first: {exc}"
    tagger = _taggers.get(taxonomy.digest)
    if tagger is None:
        tagger = _taggers[taxonomy.digest] = Tagger(taxonomy)
    tagging = tagger.tag(title, body)
    return tagging.topics, tagging.summary()


def _date(site: Site, value, how, notes):
    if value in (None, ""):
        notes.append("no publication date found: the date is now; correct `date:` if needed")
        return site.now(), "now (none found)"
    try:
        return parse_date(value, site.timezone).astimezone(site.timezone), how
    except (ValueError, TypeError) as exc:
        raise AuthoringError(f"date '{value}' is not a date ({exc}): write YYYY-MM-DD HH:MM") from None


def import_source(site: Site, source: str, *, lang=None, source_url=None, date=None, slug=None,
                  timeout: float = TIMEOUT) -> Imported:
    """Read, extract, clean and detect; returns the post to write (nothing is written here)."""
    raw = read_source(source, timeout=timeout)
    how, notes = {}, []
    if raw.kind == "html":
        kind = "web page" if raw.url else "HTML file"
        page = extract_article(raw.data, url=raw.url)
        title, body, line_offset = page.title, page.markdown, None
        found_source, source_name, author, found_date = page.url, page.site_name, page.author, page.date
        how.update({k: f"from {v}" for k, v in page.found.items() if v})
        page_lang = page.lang
        page_left_out = page.left_out
    else:
        kind = "text file"
        text, note = _decode_text(raw.data, source)
        notes += [note] if note else []
        paste = pasted_text.parse_pasted(text)
        if paste is None:
            raise AuthoringError(f"{source}: no text in it")
        title, body, line_offset = paste.title, paste.body, paste.body_line - 1
        found_source, source_name, author, found_date, page_lang = paste.source, None, None, None, None
        page_left_out = []
        how["title"] = "first line of the file"
        if paste.source:
            how["url"] = "address on the first line"
    title = " ".join((title or "").split())
    if not title:
        where = "the page has no og:title, <title> or headline" if raw.kind == "html" else \
            "the first line of the file is the title"
        raise AuthoringError(f"{source}: no title found ({where})")
    if not body.strip():
        raise AuthoringError(f"{source}: no article text after the title")

    if lang:
        lang, how["lang"] = check_lang(site, lang), "given (--lang)"
    else:
        guess = detect_language(f"{title}\n{plain_text('', body)}", site.languages)
        if guess.lang is None or guess.lang not in site.languages:
            raise AuthoringError(f"{source}: cannot tell the language ({guess.how}): pass --lang "
                                 f"{'/'.join(site.languages)}")
        lang, how["lang"] = guess.lang, guess.how
        if guess.confidence < 0.5:
            notes.append(f"language unsure ({guess.how})")
    if page_lang and page_lang != lang and page_lang in site.languages:
        notes.append(f"the page declares lang=\"{page_lang}\" but the text reads as {lang}")

    cleaned = clean_markdown(body, lang=lang, title=title, rules=rules_for(site.settings))
    removed = [(f"line {r.line + line_offset}" if line_offset is not None else "", r.rule, r.text)
               for r in cleaned.removed]
    body = pasted_text.as_markdown(cleaned.text) if raw.kind == "text" else cleaned.text.strip()
    if not body.strip():
        raise AuthoringError(f"{source}: nothing is left once the page noise is removed")

    companies, companies_why = detect_companies(site, title, body)
    tags, topics_why = detect_topics(site, title, body)

    when, how["date"] = _date(site, date or found_date,
                              "given (--date)" if date else how.get("date", ""), notes)
    url = check_source(source_url or found_source)
    if source_url:
        how["url"] = "given (--url)"
    if not url:
        notes.append("no source address: add `source:` with the article's URL")
    meta = {"title": title, "date": when, "lang": lang, "slug": slug_for(title, slug), "source": url,
            "source_name": source_name, "author": author, "tags": tags, "companies": companies}
    path, siblings = choose_path(site, meta["slug"], lang, when)
    text = render(site, meta, body, path)
    return Imported(origin=source, kind=kind, path=path, text=text, meta=meta, how=how,
                    removed=removed, why={"companies": companies_why, "topics": topics_why},
                    siblings=siblings, notes=notes, left_out=page_left_out)


def summary(site: Site, result: Imported, *, written: bool) -> str:
    """What was found, where it came from, and what was removed: printed after every import."""
    meta, how = result.meta, result.how

    def row(label, value, origin=None):
        return f"  {label:<10} {value}" + (f"  ({origin})" if origin else "")

    date = meta["date"].strftime("%Y-%m-%d %H:%M") if isinstance(meta["date"], datetime) else meta["date"]
    lines = [f"Imported {result.origin} ({result.kind})",
             row("title", meta["title"], how.get("title")),
             row("lang", meta["lang"], how.get("lang")),
             row("date", date, how.get("date")),
             row("source", meta.get("source") or "-", how.get("url"))]
    if meta.get("source_name"):
        lines.append(row("site", meta["source_name"], how.get("site_name")))
    if meta.get("author"):
        lines.append(row("author", meta["author"], how.get("author")))
    # The detection cores' own one-line explanations: the ids, then why each one.
    lines.append(row("companies", result.why["companies"]))
    lines.append(row("topics", result.why["topics"]))
    if result.kind != "text file":
        # What the extraction kept out of the post: the page's junk, and any article text it missed.
        lines.append(row("left out", f"{len(result.left_out)} block(s) of the page, not article text"))
        shown = result.left_out[:LEFT_OUT_SHOWN]
        lines += [f"    - {text if len(text) <= 100 else text[:99] + '…'}" for text in shown]
        if len(result.left_out) > len(shown):
            lines.append(f"    - … and {len(result.left_out) - len(shown)} more")
    lines.append(row("removed", f"{len(result.removed)} line(s)"))
    for where, rule, text in result.removed:
        lines.append(f"    - {where + ' ' if where else ''}[{rule}] {text}")
    for sibling in result.siblings:
        lines.append(row("same slug", site.rel(sibling), "another language of this story"))
    for note in result.notes:
        lines.append(row("check", note))
    lines.append(row("written" if written else "would write", site.rel(result.path)))
    return "\n".join(lines)
