"""Drafts built as pages of their own and the report on drafts and scheduled stories (the rules
are in schedule.py). Receiver of signals.site_rendered."""

from __future__ import annotations

from . import signals
from .schedule import draft_stories, drafts_wanted, report_lines


def render_unpublished(renderer):
    site, views, urls = renderer.site, renderer.views, renderer.urls
    unpublished = site.unpublished
    if unpublished is None:
        return
    built = {}
    if drafts_wanted(site.settings) and unpublished.drafts:
        stories, clashes = draft_stories(unpublished.drafts, site.stories)
        with site.report.timed("render drafts"):
            for lang in site.languages:
                renderer.articles(lang, stories=list(stories.values()))
        for story in stories.values():
            for post in story.versions.values():
                built[post.path] = urls.absolute(views.post_url(post))
        for post in clashes:
            site.report.warning(post.path, f"this draft has the slug '{post.slug}' and language "
                                f"'{post.lang}' of a published post: it is not built, so that "
                                "page stays as published", field="slug",
                                fix="give the draft a slug of its own while it is a draft")
    for section, path, text in report_lines(unpublished, site.stories, site.settings, built):
        site.report.add(section, path, text)


signals.site_rendered.connect(render_unpublished)
