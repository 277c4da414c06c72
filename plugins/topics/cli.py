"""`invoke topics [--explain SLUG]`: which topics the posts get, and why.

Reads the article folders (content/posts, content/translations) with the build's own front-matter
reader, lets the site's plugins (cleaning) rewrite each one through `source_loaded` as a build does,
groups the posts by slug into the site model's Story, and tags them with the same Tagger the build
uses, without building: the terms, counts and scores shown are the ones the build computed.
"""

import argparse
import sys
from pathlib import Path
from types import SimpleNamespace

from digest.model import Story

from . import file_listing, tagger_for
from .core import TaxonomyError, suggest
from digest.config import register_plugins


def load_settings(settings_or_path):
    """A settings mapping as is, or the settings of a pelicanconf.py file (read by Pelican)."""
    if isinstance(settings_or_path, dict):
        return settings_or_path
    from pelican.settings import read_settings  # only when given a file: tests pass a mapping

    return read_settings(str(settings_or_path))


def read_stories(settings):
    """The stories of the site's article folders, keyed by slug, read the way the build reads them:
    front matter checked, then `source_loaded` (line cleaning) when the settings list the plugins.

    Files the build would reject (invalid front matter) are skipped: `invoke check` reports them.
    """
    from digest import signals
    from digest.assemble import post_from_content
    from digest.frontmatter import ContentError
    from digest.model import SourceText
    from digest.reader import read_document

    stories = {}
    for folder in settings.get("ARTICLE_PATHS") or ["posts"]:
        for path in sorted((Path(settings["PATH"]) / folder).rglob("*.md")):
            try:
                doc = read_document(str(path), settings)
            except ContentError:
                continue
            if doc.meta.get("status") == "draft":
                continue
            src = SourceText(path=doc.path, lang=doc.meta["lang"], meta=doc.meta, body=doc.body,
                             settings=settings, body_line=doc.body_line)
            signals.source_loaded.send(src)
            # The build's own Post constructor: same slug, language and translation state.
            content = SimpleNamespace(digest={**src.meta, "body": src.body, "path": doc.path}, _content="")
            post = post_from_content(content)
            stories.setdefault(post.slug, Story(post.slug)).versions.setdefault(post.lang, post)
    return stories


def explain_story(settings_or_path, slug):
    """The explanation of one story's topics, as text. Raises LookupError naming the slug."""
    settings = load_settings(settings_or_path)
    failed = register_plugins(settings)
    stories = read_stories(settings)
    story = stories.get(slug)
    if story is None:
        nearest = suggest(slug, stories)
        hint = f"; did you mean '{nearest}'?" if nearest else ""
        raise LookupError(f"no post with slug '{slug}' under {Path(settings['PATH']) / 'posts'}{hint}")
    tagging = tagger_for(settings).tag(*_story_text(story))
    post = story.original
    lines = [f"topics of '{slug}': {', '.join(tagging.topics) or '(none)'}",
             f"computed on {post.path} ({post.lang}), {_read_as(settings, failed)}", "",
             tagging.explain()]
    lines += [f"error: {file_listing(story, p.field, p.id, post.path)}: {p.message}"
              for p in tagging.problems]
    return "\n".join(lines)


def list_stories(settings_or_path):
    """One line per story: slug, topics, and the scores behind them."""
    settings = load_settings(settings_or_path)
    register_plugins(settings)
    tagger = tagger_for(settings)
    lines = []
    for slug, story in sorted(read_stories(settings).items()):
        tagging = tagger.tag(*_story_text(story))
        lines.append(f"{slug}: {tagging.summary()}")
        lines += [f"  error: {p.message}" for p in tagging.problems]
    return "\n".join(lines)


def _read_as(settings, failed):
    """How the text explained was read: an editor comparing with the build report must know."""
    if failed:
        return f"title and body before line cleaning (plugin not loaded: {'; '.join(failed)})"
    if "cleaning" in [getattr(p, "__name__", p) for p in settings.get("PLUGINS") or ()]:
        return "title and body after line cleaning, as the build reads them"
    return "title and body as written (no cleaning plugin in PLUGINS)"


def _story_text(story):
    post = story.original
    return post.title, post.body, story.explicit("tags"), story.explicit("exclude_tags")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="invoke topics", description=__doc__.split("\n\n")[0])
    parser.add_argument("--explain", metavar="SLUG",
                        help="show which terms matched, how often, and the score against the threshold")
    parser.add_argument("--settings", default="pelicanconf.py",
                        help="Pelican settings file (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        if args.explain:
            print(explain_story(args.settings, args.explain))
        else:
            print(list_stories(args.settings))
    except (LookupError, TaxonomyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
