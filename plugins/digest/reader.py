"""Pelican reader for Markdown posts with YAML front matter.

Validation problems are recorded in the build report and the file is skipped, so one bad file never
takes the build down. The cleaned Markdown body is kept in the metadata: translation and detection
read it, and Pelican's content cache keeps it with the HTML.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import logging
import math
import os
import re
import weakref

from cmarkgfm.cmark import Options, markdown_to_html_with_extensions
from pelican.readers import BaseReader

from . import frontmatter, signals, stamps
from .config import known_ids, languages
from .model import SourceText
from .parallel import stream_forked, workers
from .report import Problem
from common.safety import ContentRefused
from .urls import Urls

logger = logging.getLogger(__name__)

# No < inside a tag: from every < of "<<<<..." (or "<a <a <a...") the tag ran to the end of the
# text and back (quadratic on one long line).
TAGS = re.compile(r"<[^<>]+>")
INLINE_TAGS = re.compile(r"</?(?:a|em|strong|b|i|code|span|abbr|sup|sub|del|ins|mark|small|q)\b[^<>]*>")
REMOTE_IMG = re.compile(r"<img\b[^>]*\bsrc=\"((?:https?:)?//[^\"]+)\"")


class CmarkGfm:
    """CommonMark with GitHub's tables, ~~strikethrough~~ and autolinks, rendered by cmark-gfm (C):
    the same HTML as markdown-it with those rules, for a tenth of its time (it is a quarter of
    reading a post). Autolink: a bare address pasted from a browser (https://github.com/...,
    www.example.com) becomes a link, as readers expect. Raw HTML passes through: the html_rendered
    sanitiser is what makes a page safe."""

    OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE
    EXTENSIONS = ["table", "strikethrough", "autolink"]

    def render(self, text: str) -> str:
        return markdown_to_html_with_extensions(text, self.OPTIONS, self.EXTENSIONS)


def make_markdown(allow_html=True):
    """The body renderer. Without a sanitiser (allow_html=False), markdown-it shows raw HTML as text
    (cmark can only drop it, and nothing an editor wrote is dropped)."""
    if allow_html:
        return CmarkGfm()
    from markdown_it import MarkdownIt  # here: a build with the sanitiser never loads it (26 ms)

    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(
        ["table", "strikethrough"])


@functools.lru_cache(maxsize=8)
def _project_root(content_path):
    return os.path.dirname(os.path.abspath(content_path))


def project_relative(path, settings):
    root = _project_root(settings["PATH"])
    if path.startswith(root + os.sep) and os.path.isabs(path) and os.sep + ".." not in path:
        return path[len(root) + 1:].replace(os.sep, "/")  # the common case, without relpath's work
    try:
        return os.path.relpath(path, root).replace(os.sep, "/")
    except ValueError:
        return path


def plain_text(html: str) -> str:
    import html as htmllib

    # inline tags vanish ("the <a>paper</a>." -> "the paper."), block tags separate words
    return " ".join(htmllib.unescape(TAGS.sub(" ", INLINE_TAGS.sub("", html))).split())


def first_paragraph(html: str, max_words=45) -> str:
    match = re.search(r"<p>(.*?)</p>", html, re.S)
    words = plain_text(match.group(1) if match else html).split()
    text = " ".join(words[:max_words])
    return text + "…" if len(words) > max_words else text


def fingerprint(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


def read_document(path, settings, raw=None, known=None):
    """Parse and validate one file (no rendering). Raises frontmatter.ContentError.
    `known`: the registries' ids (known_ids(settings)) when the caller already has them."""
    if raw is None:
        with open(path, "rb") as fh:
            raw = fh.read()
    rel = project_relative(path, settings)
    return frontmatter.load(raw, rel, languages=languages(settings),
                            timezone=settings.get("TIMEZONE") or "UTC",
                            known_ids=known_ids(settings) if known is None else known)


class DigestMarkdownReader(BaseReader):
    """Reads posts; on a cold cache it reads them on every core at once (see prefetch)."""

    enabled = True
    file_extensions = ["md", "markdown"]
    # Set by the readers_init receiver just before Pelican instantiates its readers, so that each
    # reader knows the Readers (and its cache) it works for.
    pending_owner = None
    PREFETCH_MIN = 48  # fewer uncached files than this are read in this process
    FREEZE_EVERY = 256  # reads between two gc.freeze() (see read)

    def __init__(self, settings):
        super().__init__(settings)
        owner = DigestMarkdownReader.pending_owner
        self._owner = weakref.ref(owner) if owner is not None else None
        self._prefetched = None  # path -> result read by a worker, not yet asked for
        self._reads = 0
        self._stream = None  # the workers' results, in the order Pelican asks for the files
        self._pending = set()  # paths the stream has yet to deliver
        self.reading_order = None  # set by the digest plugin: the files in Pelican's order
        self._known = None  # the registries' ids, read once per build
        # Once per reader, not per file: where pages live and how URLs are made.
        self._page_folders = [os.path.abspath(os.path.join(settings["PATH"], folder))
                              for folder in settings.get("PAGE_PATHS", [])]
        self._urls = Urls(settings)
        # Raw HTML in a post is only rendered when a sanitiser listens (the cleaning plugin);
        # without one it is shown as text, so a missing plugin can never let a script through.
        sanitised = bool(signals.html_rendered.receivers)
        if not sanitised:
            logger.warning("no HTML sanitiser is registered: raw HTML in posts is shown as text")
        self._md = make_markdown(allow_html=sanitised)

    def read(self, source_path):
        path = os.path.abspath(source_path)
        self._reads += 1
        if self._reads % self.FREEZE_EVERY == 0:
            # What was read stays until the end of the build: out of the collector's way (its full
            # passes walked every post again and again, 0.9 s at 10,000 posts). The site generator
            # unfreezes everything once the pages are written.
            gc.freeze()
        if self._prefetched is None:
            self._prefetched = {}
            # The first file is read here before the workers fork: what a read loads once per
            # build (the cleaning rules, the registries' ids) is then loaded once, not once more
            # in every worker.
            try:
                return self.read_one(source_path)
            finally:
                self.prefetch(path)
        if path in self._pending:
            self._receive(path)
        ready = self._prefetched.pop(path, None)
        if ready is not None:
            return ready
        return self.read_one(source_path)

    def _receive(self, path):
        """Take the workers' results until `path`'s has come."""
        report = self.settings.get("DIGEST_REPORT")
        for done, result, error, stamp in self._stream:
            self._pending.discard(done)
            stamps.remember(stamp)
            if error is None:
                self._prefetched[done] = result
                if report is not None:
                    report.prefetched += 1
            else:
                logger.debug("worker could not read %s (%s): read again here", done, error)
            if done == path:
                break
        if not self._pending:
            self.finish()

    def finish(self):
        """Stop the workers (Pelican has asked for every file, or the reading is over)."""
        if self._stream is not None:
            self._stream.close()
            self._stream = None
        self._pending = set()

    def is_page(self, path):
        """Whether a file is a static page (under PAGE_PATHS) rather than an article."""
        path = os.path.abspath(path)
        return any(path.startswith(folder + os.sep) for folder in self._page_folders)

    def url_for(self, meta, source_path):
        if self.is_page(source_path):
            return self._urls.page(meta["lang"], meta["slug"])
        return self._urls.article(meta["lang"], meta["date"], meta["slug"])

    def prefetch(self, first):
        """On the first cache miss, have every other file Pelican will miss too read by
        forked processes (DIGEST_WORKERS, default: every core), in the order Pelican will ask for
        them: this process turns each result into Pelican's content while the workers read on.
        Only for a generator's reader (which knows that order): a reader that reads a file or two
        (a translation written during the build) must not have the whole site read for nothing."""
        owner = self._owner() if self._owner else None
        if owner is None or self.reading_order is None or workers(self.settings) < 2:
            return
        missing = [path for path in map(os.path.abspath, self.reading_order())
                   if path.lower().endswith((".md", ".markdown")) and path != first
                   and owner.get_cached_data(path, (None, None))[0] is None]
        if len(missing) < self.PREFETCH_MIN:
            return
        self._stream = stream_forked(self.read_safely, missing, self.settings)
        if self._stream is not None:
            self._pending = set(missing)

    def read_safely(self, path):
        """(path, read_one's result, None, stamp), or (path, None, the error, None) for the parent
        to retry. The stamp is Pelican's cache stamp of the bytes read (see stamps.py)."""
        try:
            result, stamp = self._read(path)
            return path, result, None, stamp
        except Exception as exc:  # noqa: BLE001 - the parent reads the file again and reports
            return path, None, f"{type(exc).__name__}: {exc}", None

    def read_one(self, source_path):
        return self._read(source_path)[0]

    def _read(self, source_path):
        """(read_one's result, the cache stamp of the bytes it parsed)."""
        try:
            raw, st = stamps.read_bytes(source_path)
        except ContentRefused as exc:  # the build's walk refuses these first: a direct read
            problem = Problem(project_relative(source_path, self.settings), exc.reason,
                              fix="remove it: only regular files are read")
            return ("", {"status": "skip", "digest_errors": [problem]}), None
        stamp = stamps.note(source_path, raw, st, self.settings.get("CHECK_MODIFIED_METHOD"))
        return self._parse(source_path, raw), stamp

    def _parse(self, source_path, raw):
        try:
            if self._known is None:  # once per build (and before the workers fork)
                self._known = known_ids(self.settings)
            doc = read_document(source_path, self.settings, raw, self._known)
        except frontmatter.ContentError as exc:
            # Skipped, and the problems travel with the (cached) metadata so that every build
            # reports them until the file is fixed.
            return "", {"status": "skip", "digest_errors": exc.problems}
        src = SourceText(path=doc.path, lang=doc.meta["lang"], meta=doc.meta, body=doc.body,
                         settings=self.settings, body_line=doc.body_line)
        signals.source_loaded.send(src)
        src.html = self._md.render(src.body)
        signals.html_rendered.send(src)
        for url in REMOTE_IMG.findall(src.html):
            src.note("images", f"remote image {url[:100]} is blocked by the pages' "
                               "Content-Security-Policy: save it under content/images/ and link it "
                               "as /images/NAME")
        meta = src.meta
        words = len(src.body.split())  # as wc -w counts them (a link's address is one word)
        digest = dict(meta)
        digest.update(
            body=src.body,
            excerpt=meta.get("summary") or first_paragraph(src.html),
            reading_minutes=max(1, math.ceil(words / 220)),
            words=words,
            notes=list(src.notes),
            warnings=list(doc.problems),
            hash=fingerprint(raw),
            path=doc.path,
        )
        metadata = {
            "title": meta["title"],
            "date": meta["date"],
            "lang": meta["lang"],
            "slug": meta["slug"],
            "status": meta["status"],
            "digest": digest,
            # Pelican writes none of our pages; given here, it does not format URL patterns for
            # every post on every build (and {filename} links still get the right address).
            "save_as": "",
            "url": self.url_for(meta, source_path),
        }
        return src.html, metadata
