"""From Pelican content objects to the Site model: stories by slug, one post per language."""

from __future__ import annotations

from .check import reserved_problems, resolve_duplicates, stray_problems
from .config import languages
from .frontmatter import translator
from .model import Post, Site, Story
from .schedule import DRAFT, hold_scheduled, split_drafts


def post_from_content(content) -> Post:
    d = content.digest
    return Post(
        slug=d["slug"],
        lang=d["lang"],
        title=d["title"],
        date=d["date"],
        html=content._content,
        body=d["body"],
        path=d["path"],
        summary=d.get("summary") or "",
        excerpt=d.get("excerpt") or "",
        source=d.get("source"),
        source_name=d.get("source_name"),
        author=d.get("author"),
        meta=d,
        reading_minutes=d.get("reading_minutes", 1),
        translated_by=translator(d),
        reviewed=bool(d.get("reviewed")),
        source_lang=d.get("source_lang"),
        content=content,
    )


def assemble(articles, pages, settings, report) -> Site:
    langs = languages(settings)
    posts, drafts = split_drafts([post_from_content(c) for c in articles])
    winners, problems = resolve_duplicates(posts)
    stories: dict[str, Story] = {}
    for post in sorted(winners.values(), key=lambda p: p.path):
        stories.setdefault(post.slug, Story(post.slug)).versions[post.lang] = post
    unpublished = hold_scheduled(stories, settings)
    for post in drafts:
        post.state = DRAFT
    unpublished.drafts = drafts
    page_winners, page_problems = resolve_duplicates([post_from_content(c) for c in pages])
    refused = reserved_problems(page_winners.values(), settings)
    page_problems += refused
    refused_paths = {problem.path for problem in refused}
    static_pages: dict[str, dict[str, Post]] = {}
    for post in sorted(page_winners.values(), key=lambda p: p.path):
        if post.path in refused_paths:
            continue
        static_pages.setdefault(post.slug, {})[post.lang] = post
    for problem in problems + page_problems + stray_problems(settings):
        report.error(problem.path, problem.message, field=problem.field, fix=problem.fix)
    for content in list(articles) + list(pages):
        for section, text in content.digest.get("notes", []):
            report.add(section, content.digest["path"], text)
        for problem in content.digest.get("warnings", []):
            report.warning(problem.path, problem.message, field=problem.field, line=problem.line,
                           fix=problem.fix)
    return Site(stories=stories, pages=static_pages, languages=langs, default_lang=langs[0],
                settings=settings, report=report, unpublished=unpublished)


def fill_missing(site: Site):
    """Record, per language, the stories still without a version (after translation ran)."""
    for lang in site.languages:
        site.missing[lang] = sorted(s.slug for s in site.stories.values() if lang not in s.versions)
        for slug in site.missing[lang]:
            site.report.add("translation", site.stories[slug].original.path,
                            f"not yet translated into '{lang}': listed with a link to the original")
