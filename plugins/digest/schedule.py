"""Drafts and scheduled posts: what a build shows, what it leaves out, and what it says about them.

- `status: draft`: built only when asked (`invoke build --drafts`, `invoke livereload`: setting
  DIGEST_DRAFTS), as its own page with a "draft" banner, listed nowhere (no listing, term or week
  page, feed, sitemap, search index or translation); never in a publish build (DIGEST_PUBLISH,
  set by publishconf.py).
- A story whose original is dated after now is scheduled: a publish build leaves it out until that
  date (the daily run of the Pages workflow then publishes it); a local build shows it, with a
  "scheduled" banner on its page and on every card, so it never sits above today's news unsaid.

Pure: no Pelican import. "Now" is DIGEST_NOW when set (tests, a preview of a given day), else the
clock in the site's TIMEZONE.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

PUBLISHED, DRAFT, SCHEDULED = "published", "draft", "scheduled"


def now(settings) -> datetime:
    tz = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    value = settings.get("DIGEST_NOW")
    if value in (None, ""):
        return datetime.now(tz)
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"setting DIGEST_NOW is '{value}', not a date: write it as "
                             "YYYY-MM-DD HH:MM, or leave it out for the clock") from None
    return value if value.tzinfo else value.replace(tzinfo=tz)


def is_publish(settings) -> bool:
    return bool(settings.get("DIGEST_PUBLISH"))


def drafts_wanted(settings) -> bool:
    return bool(settings.get("DIGEST_DRAFTS")) and not is_publish(settings)


def when(date) -> str:
    return date.strftime("%Y-%m-%d %H:%M %Z").strip()


@dataclass
class Unpublished:
    """What a build holds back or shows with a banner, for the report and the renderer."""

    drafts: list = field(default_factory=list)  # Posts with status: draft
    scheduled: dict = field(default_factory=dict)  # slug -> date it goes out
    held: dict = field(default_factory=dict)  # slug -> [Post]: scheduled, left out of this build


def split_drafts(posts):
    """(posts to publish, drafts) from every post read."""
    keep, drafts = [], []
    for post in posts:
        (drafts if post.meta.get("status") == DRAFT else keep).append(post)
    return keep, drafts


def hold_scheduled(stories: dict, settings) -> Unpublished:
    """Mark (local build) or take out (publish build) the stories dated after now."""
    result = Unpublished()
    moment = now(settings)
    publish = is_publish(settings)
    for slug in list(stories):
        story = stories[slug]
        date = story.original.date
        if date <= moment:
            continue
        result.scheduled[slug] = date
        if publish:
            result.held[slug] = list(stories.pop(slug).versions.values())
        else:
            for post in story.versions.values():
                post.state = SCHEDULED
    return result


def report_lines(unpublished: Unpublished, stories: dict, settings, draft_urls: dict):
    """(section, path, text) lines for the build report."""
    lines = []
    publish = is_publish(settings)
    wanted = drafts_wanted(settings)
    for post in sorted(unpublished.drafts, key=lambda p: p.path):
        if publish:
            text = "draft: never published (set status: published, or remove the line, to publish it)"
        elif wanted and post.path in draft_urls:
            text = f"draft: built at {draft_urls[post.path]} with a 'draft' banner, listed nowhere"
        elif wanted:
            text = "draft: not built (another post has its slug and language)"
        else:
            text = "draft: not built; `invoke build --drafts` or `invoke livereload` shows it"
        lines.append(("drafts", post.path, text))
    for slug, date in sorted(unpublished.scheduled.items(), key=lambda item: (item[1], item[0])):
        posts = unpublished.held.get(slug) or list(stories[slug].versions.values())
        for post in sorted(posts, key=lambda p: p.path):
            if publish:
                text = (f"scheduled: goes out on {when(date)}, with the first publish build from "
                        "then on (the Pages workflow runs daily); left out of this one")
            else:
                text = (f"scheduled for {when(date)}: shown in this local build with a "
                        "'scheduled' banner; publish builds leave it out until then")
            lines.append(("scheduled", post.path, text))
    return lines


def draft_stories(drafts, stories: dict):
    """{slug: Story} of the drafts to build, and the drafts left out because a published post (or
    its translation) already has their slug and language: its page would be replaced."""
    from .check import resolve_duplicates
    from .model import Story

    winners, _problems = resolve_duplicates(drafts)
    out, clashes = {}, []
    for (slug, lang), post in sorted(winners.items()):
        if slug in stories and lang in stories[slug].versions:
            clashes.append(post)
            continue
        # A key of its own: a published story may have the same slug in another language, and
        # cards are made once per (story slug, language).
        out.setdefault(slug, Story(f"draft:{slug}")).versions[lang] = post
    return out, clashes
