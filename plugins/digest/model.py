"""The site model: stories (one news item) with one post per language, and taxonomies over stories.

Plain data, no Pelican import: plugins read and fill it, the renderer turns it into pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class SourceText:
    """One Markdown file while it is being read (see signals.source_loaded / html_rendered)."""

    path: str  # relative to the project root, for messages
    lang: str
    meta: dict  # validated front matter (mutable)
    body: str  # Markdown body (mutable until rendered)
    settings: dict
    html: str = ""
    notes: list = field(default_factory=list)  # (section, text) for the build report
    body_line: int = 1  # line of the file where the body starts

    @property
    def title(self):
        return self.meta.get("title", "")

    def note(self, section, text):
        self.notes.append((section, text))


@dataclass
class Post:
    """One language version of a story, as the renderer needs it."""

    slug: str
    lang: str
    title: str
    date: datetime
    html: str
    body: str  # cleaned Markdown, what translation and detection read
    path: str  # source path relative to the project root
    summary: str = ""  # plain text
    excerpt: str = ""  # plain text, first paragraph, for listings
    source: str | None = None  # validated http(s) URL of the original article
    source_name: str | None = None
    author: str | None = None
    meta: dict = field(default_factory=dict)
    reading_minutes: int = 1
    # Translation state: None for a post an editor wrote; else the provider name ("human" for a hand
    # translation in the memory), and whether an editor reviewed it.
    translated_by: str | None = None
    reviewed: bool = False
    stale: bool = False  # the source changed after this translation was made
    source_lang: str | None = None
    content: Any = None  # the Pelican content object, when there is one
    state: str = "published"  # or "draft", "scheduled" (plugins/digest/schedule.py): its banner

    def cache_key(self):
        # The source file's hash stands for everything read from it; data files and plugin code
        # that shape the rendering are in the build-wide render key.
        return f"{self.path}\0{self.meta.get('hash')}\0{self.translated_by}\0{self.reviewed}\0" \
               f"{self.stale}\0{self.state}"

    @property
    def is_machine_translation(self):
        return self.translated_by not in (None, "human") and not self.reviewed


@dataclass
class Story:
    """A news item: the same slug in every language."""

    slug: str
    versions: dict[str, Post] = field(default_factory=dict)
    terms: dict[str, list[str]] = field(default_factory=dict)  # taxonomy name -> term ids
    explain: dict[str, Any] = field(default_factory=dict)  # taxonomy name -> why (for reports)

    @property
    def original(self) -> Post:
        """The version an editor wrote (not a translation); the oldest written one when several."""
        written = [p for p in self.versions.values() if p.translated_by is None]
        pool = written or list(self.versions.values())
        return min(pool, key=lambda p: (p.date, p.lang))

    @property
    def date(self):
        return self.original.date

    def explicit(self, key):
        """Union of a front-matter list over the versions an editor wrote (e.g. 'tags')."""
        seen = []
        for post in self.versions.values():
            if post.translated_by is None or post.reviewed:
                for value in post.meta.get(key) or []:
                    if value not in seen:
                        seen.append(value)
        return seen


@dataclass
class Term:
    """One entry of a taxonomy: a topic, a company, a week."""

    id: str
    labels: dict[str, str]  # lang -> display label
    descriptions: dict[str, str] = field(default_factory=dict)  # lang -> paragraph (plain text)
    data: dict = field(default_factory=dict)  # extra profile fields (website, founded, ...)

    def cache_key(self):
        return self.id  # its labels and data come from data files (in the build-wide key)

    def label(self, lang, default_lang):
        return self.labels.get(lang) or self.labels.get(default_lang) or self.id


@dataclass
class Taxonomy:
    """A way to browse stories: pages per term, an index, a feed per term."""

    name: str  # "topics", "companies", "weeks": key of DIGEST_LANGUAGES[lang]["segments"]
    terms: dict[str, Term]
    order: str = "label"  # "label" or "-id" (newest week first)
    feeds: bool = True


@dataclass
class Site:
    stories: dict[str, Story]
    pages: dict[str, dict[str, Post]]  # slug -> lang -> static page
    languages: list[str]
    default_lang: str
    settings: dict
    report: Any
    taxonomies: dict[str, Taxonomy] = field(default_factory=dict)
    missing: dict[str, list[str]] = field(default_factory=dict)  # lang -> slugs with no version
    # Drafts and scheduled stories (schedule.Unpublished): built apart, listed nowhere public.
    unpublished: Any = None

    def stories_newest_first(self):
        return sorted(self.stories.values(), key=lambda s: (s.date, s.slug), reverse=True)
