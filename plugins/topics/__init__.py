"""Topics: the taxonomy in content/data/topics.yaml and automatic tagging of every story.

Glue only: the matching, the merge rule and the explanations live in core.py (no Pelican import).
digest is imported where it is used, so `import topics.core` does not load Pelican and the site
generator: the core stays usable (and timeable) alone.
"""

import logging
import os

from .cache import ResultCache
from .core import TaxonomyError, Tagger, load_taxonomy

logger = logging.getLogger(__name__)

TAXONOMY = "topics"  # site.taxonomies / story.terms key, and the URL segment name in DIGEST_LANGUAGES
CACHE_FILE = "topics.json"


def taxonomy_path(settings):
    """content/data/topics.yaml, from the same setting the front-matter check reads its ids from."""
    from digest.config import data_path

    return data_path(settings, "topics.yaml")


def taxonomy_source(settings):
    """How messages name the file: relative to the project (the folder holding PATH)."""
    path = taxonomy_path(settings)
    root = os.path.dirname(os.path.abspath(settings["PATH"]))
    relative = os.path.relpath(os.path.abspath(path), root)
    return path if relative.startswith("..") else relative.replace(os.sep, "/")


def tagger_for(settings, cache=None):
    """The taxonomy of a site, ready to tag stories. Raises TaxonomyError (message names the file)."""
    source = taxonomy_source(settings)
    return Tagger(load_taxonomy(taxonomy_path(settings), source=source), cache=cache, source=source)


def assign_topics(site):
    """site_assembled receiver: register the topics taxonomy, set story.terms/explain["topics"]."""
    from digest.model import Taxonomy, Term

    settings, report = site.settings, site.report
    cache_dir = settings.get("CACHE_PATH")
    cache = ResultCache(os.path.join(cache_dir, CACHE_FILE)) if cache_dir else None
    try:
        tagger = tagger_for(settings, cache)
    except TaxonomyError as exc:
        report.error(taxonomy_source(settings), str(exc),
                     fix="correct the file; its format is described in the comment at its top")
        return
    taxonomy = tagger.taxonomy
    site.taxonomies[TAXONOMY] = Taxonomy(name=TAXONOMY, terms={
        topic.id: Term(topic.id, dict(topic.labels), dict(topic.descriptions))
        for topic in taxonomy.topics.values()
    })
    # A cold cache: score the stories on every core first (the loop below then only reads).
    from digest.parallel import map_forked

    tagger.prefill(((s.original.title, s.original.body) for s in site.stories.values()),
                   lambda fn, items: map_forked(fn, items, settings))
    for story in site.stories.values():
        # Computed once on the version an editor wrote: a post and its translations share topics.
        post = story.original
        tagging = tagger.tag(post.title, post.body, story.explicit("tags"), story.explicit("exclude_tags"))
        for problem in tagging.problems:
            example = problem.suggestion or taxonomy.ids[0]
            report.error(file_listing(story, problem.field, problem.id, post.path), problem.message,
                         field=problem.field, fix=f"use one of the ids in {tagger.source}, e.g. '{example}'")
        story.terms[TAXONOMY] = tagging.topics
        story.explain[TAXONOMY] = tagging.explanation()  # the text is made when someone reads it
        report.add(TAXONOMY, post.path, tagging.summary())
    if cache is not None:
        try:
            cache.save()
        except OSError as exc:  # the cache only saves time; the build is still right without it
            logger.warning("could not save the topic cache %s: %s", cache.path, exc)


def file_listing(story, field, value, default):
    """The file whose front matter holds the wrong id, so the error points where the fix goes."""
    for post in story.versions.values():
        if value in [str(v) for v in post.meta.get(field) or []]:
            return post.path
    return default


def register():
    from digest import signals

    signals.site_assembled.connect(assign_topics)
