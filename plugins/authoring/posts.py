"""Where a new post goes and how it is written: one place for `invoke new` and `invoke import`.

A post is checked with the same `frontmatter.load` the build uses before it is written, and it is
created with O_EXCL: an existing file is never overwritten, whatever happens between the check and
the write.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from cleaning.sanitize import strip_tracking
from digest import frontmatter
from digest.config import known_ids, languages

from .errors import AuthoringError

POSTS_DIR = "posts"  # under PATH: the first of ARTICLE_PATHS, where editors' posts live
REGISTRY_FILES = {"companies": "content/data/companies.yaml", "tags": "content/data/topics.yaml"}


@dataclass
class Site:
    """The few settings authoring needs, from a Pelican settings dict (pelicanconf.py)."""

    settings: dict
    content: str
    languages: list
    timezone: ZoneInfo

    @classmethod
    def from_settings(cls, settings) -> "Site":
        return cls(settings, os.path.abspath(settings["PATH"]), languages(settings),
                   ZoneInfo(settings.get("TIMEZONE") or "UTC"))

    @property
    def posts(self):
        return os.path.join(self.content, POSTS_DIR)

    def known_ids(self):
        return known_ids(self.settings)

    def rel(self, path):
        """A path as an editor sees it from the project root (content/posts/...)."""
        return os.path.relpath(path, os.path.dirname(self.content)).replace(os.sep, "/")

    def now(self) -> datetime:
        return datetime.now(self.timezone).replace(second=0, microsecond=0)


def check_lang(site: Site, lang) -> str:
    code = str(lang or "").strip().lower()
    if code not in site.languages:
        raise AuthoringError(f"unknown language '{lang}': use one of {', '.join(site.languages)} "
                             "(languages are set in DIGEST_LANGUAGES, pelicanconf.py)")
    return code


def check_source(url) -> str | None:
    if url in (None, ""):
        return None
    problem = frontmatter.http_url_problem(url)  # what the build accepts
    if problem is not None:
        raise AuthoringError(f"source '{url}' is not an http(s) address ({problem}): paste the "
                             "article's address, starting with https://")
    safe = frontmatter.safe_http_url(url)
    return strip_tracking(safe)


def check_ids(site: Site, field: str, ids) -> list[str]:
    """`ids` (a list or "a,b") checked against their registry, with the nearest id as a hint."""
    values = frontmatter.as_list(ids) or []
    registry = site.known_ids().get(field)
    if registry is None:
        return values
    for value in values:
        if value not in registry:
            guess = frontmatter.nearest(value, registry)
            hint = f"did you mean '{guess}'? " if guess else ""
            raise AuthoringError(f"unknown {'company' if field == 'companies' else 'topic'} '{value}': "
                                 f"{hint}ids are listed in {REGISTRY_FILES[field]}")
    return values


def existing_posts(site: Site):
    """{slug: [(lang, path)]} of the posts already written (slug from the file or its front matter)."""
    found = {}
    for folder, _dirs, files in os.walk(site.posts):
        for name in sorted(files):
            if not name.endswith((".md", ".markdown")):
                continue
            path = os.path.join(folder, name)
            with open(path, "rb") as fh:
                raw = fh.read()
            try:
                meta = frontmatter.load(raw, path, languages=site.languages).meta
                slug, lang = meta["slug"], meta["lang"]
            except frontmatter.ContentError:
                slug = frontmatter.slugify(frontmatter.LANG_SUFFIX.sub("", name.rsplit(".", 1)[0]))
                lang = None  # unreadable: `invoke check` reports it; its slug still counts
            found.setdefault(slug, []).append((lang, path))
    return found


def choose_path(site: Site, slug: str, lang: str, date: datetime):
    """(path, sibling paths) for a new post: posts/{YYYY}/{slug}.md, or {slug}.{lang}.md when a post
    in another language already has that name. Raises when the same story exists in that language."""
    siblings = existing_posts(site).get(slug, [])
    for other_lang, path in siblings:
        if other_lang in (lang, None):
            raise AuthoringError(f"{site.rel(path)} already holds the post '{slug}'"
                                 f"{f' in {lang}' if other_lang else ''}: refusing to overwrite it or "
                                 "to publish a duplicate; edit that file, or pass --slug to choose "
                                 "another slug")
    folder = os.path.join(site.posts, f"{date:%Y}")
    for name in (f"{slug}.md", f"{slug}.{lang}.md"):
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            return path, [p for _, p in siblings]
    raise AuthoringError(f"{site.rel(path)} already exists: refusing to overwrite it")


def render(site: Site, meta: dict, body: str, path: str) -> str:
    """The post's text, checked with the build's own front matter parser."""
    text = frontmatter.dump(meta, body)
    try:
        frontmatter.load(text.encode("utf-8"), site.rel(path), languages=site.languages,
                         timezone=str(site.timezone), known_ids=site.known_ids())
    except frontmatter.ContentError as exc:
        raise AuthoringError(f"the post would not build: {exc}") from None
    return text


def write_post(path: str, text: str):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except FileExistsError:
        raise AuthoringError(f"{path} already exists: refusing to overwrite it") from None


def slug_for(title: str, slug=None) -> str:
    value = frontmatter.slugify(slug if slug else title)
    if not value or (slug and value != slug):
        what = f"slug '{slug}'" if slug else f"title '{title}'"
        raise AuthoringError(f"the {what} gives no usable URL slug"
                             + (f"; use '{value}'" if value else ": pass --slug my-post"))
    return value


@dataclass
class NewPost:
    path: str
    text: str
    siblings: list


def new_post(site: Site, title: str, lang: str, *, company=None, source=None, slug=None,
             now: datetime | None = None) -> NewPost:
    """An empty post with its front matter filled (`invoke new`). Nothing is written here."""
    title = " ".join(str(title or "").split())
    if not title:
        raise AuthoringError("the title is empty: invoke new \"Le titre\" --lang fr")
    lang = check_lang(site, lang)
    meta = {"title": title, "date": (now or site.now()).astimezone(site.timezone), "lang": lang,
            "slug": slug_for(title, slug), "source": check_source(source),
            "companies": check_ids(site, "companies", company)}
    path, siblings = choose_path(site, meta["slug"], lang, meta["date"])
    return NewPost(path, render(site, meta, "", path), siblings)
