"""Companies plugin: registers the "companies" taxonomy and the companies of every story.

Glue only: the registry, the detector and the merge rule live in core.py (no Pelican import).
The foundation renders company pages from site.taxonomies["companies"] and story.terms["companies"].
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from digest import signals
from digest.model import Taxonomy, Term

from .cache import DetectionCache, unpack_candidates
from .candidates import aggregate_candidates
from .core import CompanyDetector, RegistryError, describe_line, load_registry, resolve_companies

logger = logging.getLogger(__name__)

TAXONOMY = "companies"
SECTION = "companies"
# Registry digest -> detector: compiled once per registry, so a long-lived process (pelican --listen)
# does not recompile at every rebuild when companies.yaml did not change.
_detectors: dict[str, CompanyDetector] = {}


def register():
    signals.site_assembled.connect(assign_companies)


def registry_path(settings):
    return os.path.join(settings["PATH"], "data", "companies.yaml")


def detector_for(registry):
    """The registry's detector, compiled on first use (a build whose posts are all cached never asks)."""
    detector = _detectors.get(registry.digest)
    if detector is None:
        _detectors.clear()
        detector = _detectors[registry.digest] = CompanyDetector(registry)
    return detector


def assign_companies(site):
    """site_assembled receiver: the taxonomy, then each story's companies, then the candidates."""
    path = registry_path(site.settings)
    shown = _shown(path)
    if not os.path.exists(path):
        site.report.warning(shown, "no company registry: no company pages",
                            fix="create it (see docs/companies.md)")
        return
    try:
        registry = load_registry(path)
    except RegistryError as exc:
        for problem in exc.problems:
            site.report.error(shown, problem, fix="see the comment at the top of the file and docs/companies.md")
        return
    site.taxonomies[TAXONOMY] = Taxonomy(name=TAXONOMY, terms=build_terms(registry, site, shown))

    cache = DetectionCache(site.settings.get("CACHE_PATH"), registry.digest)
    known = registry.ids
    detector = lambda: detector_for(registry)  # noqa: E731  (asked for on a cache miss only)
    # A cold cache: detect on every core first (the loop below then only reads the cache).
    from digest.parallel import map_forked

    cache.prefill(((s.original.title, s.original.body) for s in site.stories.values()), detector,
                  lambda fn, items: map_forked(fn, items, site.settings))
    names = []  # per story, its share of the candidates (packed)
    for story in site.stories.values():
        original = story.original
        found = cache.find(original.title, original.body, detector)
        names.append(found.names)
        # Most stories have neither: a shared empty tuple, not two lists kept per story.
        explicit = story.explicit("companies") or ()
        veto = story.explicit("exclude_companies") or ()
        resolution = resolve_companies(explicit, found.ids, veto, known, shown)
        for unknown in resolution.errors:
            site.report.error(_post_path(story, unknown.field, unknown.id), unknown.message,
                              field=unknown.field, fix=unknown.fix)
        story.terms[TAXONOMY] = resolution.ids
        story.explain[TAXONOMY] = Explanation(found, explicit, veto, known, shown)
        site.report.add(SECTION, original.path, describe_line(resolution, found.forms, found.not_counted))
    for name, mentions, posts in aggregate_candidates(map(unpack_candidates, names)):
        site.report.add(SECTION, "candidates", f"{name}: {mentions} mentions in {posts} posts")
    try:
        cache.save()
    except OSError as exc:
        logger.warning("could not save the company detection cache: %s", exc)
    logger.debug("companies: %d stories, cache %d hits / %d misses", len(names), cache.hits, cache.misses)


def build_terms(registry, site, shown):
    """One Term per company; a language without a description falls back to the default one (reported)."""
    terms = {}
    for company in registry.companies.values():
        descriptions, headquarters = {}, {}
        for lang in site.languages:
            text = company.description.get(lang)
            if text is None:
                site.report.warning(shown, f"company '{company.id}' has no description in '{lang}'",
                                    field="description", fix=f"add description.{lang}")
                text = company.description.get(site.default_lang) or next(iter(company.description.values()), "")
            descriptions[lang] = text
            hq = company.headquarters
            headquarters[lang] = hq.get(lang) or hq.get("*") or hq.get(site.default_lang) or next(
                iter(hq.values()), None)
        # Term.data is not per language: "headquarters" is the default language's text (what a generic
        # profile template prints), "headquarters_by_lang" the text for each page language.
        terms[company.id] = Term(
            id=company.id,
            labels={lang: company.name for lang in site.languages},
            descriptions=descriptions,
            data={"website": company.website, "founded": company.founded,
                  "headquarters": headquarters.get(site.default_lang), "headquarters_by_lang": headquarters,
                  "logo": company.logo, "color": company.color, "aliases": company.aliases, "products": company.products})
    return terms


class Explanation(Mapping):
    """explain(resolution, detection) made on first read: the cached detection is decoded only for a
    story someone looks into (a report, a test, a curious editor), not for every story of every build.
    Until then it holds the story's inputs only (the resolution is cheap to make again)."""

    __slots__ = ("_found", "_explicit", "_veto", "_known", "_shown", "_data")

    def __init__(self, found, explicit, veto, known, shown):
        self._found, self._explicit, self._veto = found, explicit, veto
        self._known, self._shown = known, shown
        self._data = None

    @property
    def data(self):
        if self._data is None:
            resolution = resolve_companies(self._explicit, self._found.ids, self._veto, self._known,
                                           self._shown)
            self._data = explain(resolution, self._found.detection)
            self._found = self._explicit = self._veto = self._known = None
        return self._data

    def __getitem__(self, key):
        return self.data[key]

    def __iter__(self):
        return iter(self.data)

    def __len__(self):
        return len(self.data)

    def __repr__(self):
        return f"Explanation({self.data!r})"


def explain(resolution, detection):
    """What the report and a curious editor need: each company, where it came from, what was set aside."""
    return {
        "explicit": list(resolution.explicit),
        "detected": {cid: {"kept": cid in resolution.ids, "count": m.count, "forms": dict(m.forms),
                           "reasons": dict(m.reasons), "snippets": list(m.snippets)}
                     for cid, m in detection.companies.items()},
        "vetoed": list(resolution.vetoed),
        "overruled_veto": list(resolution.overruled),
        "not_counted": [{"company": m.company, "surface": m.surface, "reason": m.reason}
                        for m in detection.rejected],
    }


def _post_path(story, field, cid):
    """The file whose front matter holds the id, so the error points where the fix goes."""
    for post in story.versions.values():
        if cid in [str(v).strip() for v in post.meta.get(field) or []]:
            return post.path
    return story.original.path


def _shown(path):
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative
