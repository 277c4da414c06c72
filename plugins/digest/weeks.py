"""Weekly digests: a "weeks" taxonomy with one term per ISO week that has posts.

The week pages list that week's posts grouped by company. Companies come from another plugin that
also answers `site_assembled`, and receivers run in no guaranteed order, so the grouping is not
stored here: `group_by_company` is called when the page is rendered, when every receiver has run.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from babel import Locale
from babel.dates import format_interval, match_skeleton

from . import signals
from .i18n import Catalogue
from .model import Site, Taxonomy, Term

NAME = "weeks"


def week_id(when) -> str:
    """'2024-11' for any datetime in ISO week 11 of ISO year 2024 (zero-padded: ids sort by date)."""
    year, week, _ = when.isocalendar()
    return f"{year}-{week:02d}"


def week_bounds(term_id: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week id."""
    year, week = (int(part) for part in term_id.split("-"))
    monday = date.fromisocalendar(year, week, 1)
    return monday, monday + timedelta(days=6)


DATES = "yMMMMd"  # the skeleton of a week's dates ("4–10 mars 2024", "Mar 4 – 10, 2024")


@lru_cache(maxsize=None)
def interval_skeleton(locale, skeleton=DATES):
    """The locale's interval format for `skeleton`, as format_interval would pick it. Babel matches a
    missing skeleton against every interval format of the locale on each call (most of the cost of
    a week's term); the answer depends on the locale only."""
    formats = Locale.parse(locale).interval_formats
    if skeleton in formats:
        return skeleton
    return match_skeleton(skeleton, formats) or skeleton  # no match: format_interval's fallback


def week_dates(monday, sunday, catalogue: Catalogue, lang) -> str:
    """'18 au 24 mars 2024': the language's own span (ui.yaml `dates_*`), else Babel's interval."""
    if dict.get(catalogue[lang], "dates_same_month"):
        return catalogue.span(monday, sunday, lang)
    locale = catalogue.locales.get(lang, lang)
    return format_interval(monday, sunday, interval_skeleton(locale), locale=locale)


def week_term(term_id, catalogue: Catalogue) -> Term:
    """A week is named by its dates ("Digest du 18 au 24 mars 2024"); its ISO number is the note."""
    year, week = term_id.split("-")
    monday, sunday = week_bounds(term_id)
    labels, descriptions = {}, {}
    for lang in catalogue.languages:
        t = catalogue[lang]
        dates = week_dates(monday, sunday, catalogue, lang)
        labels[lang] = t.format("week_label", dates=dates, week=int(week), year=year)
        descriptions[lang] = t.format("week_number", week=int(week), year=year)
    return Term(term_id, labels, descriptions, data={"start": monday, "end": sunday})


def weeks_taxonomy(site: Site, catalogue: Catalogue) -> tuple[Taxonomy, dict[str, list[str]]]:
    """The taxonomy and, per story slug, its week id (a story belongs to its original's week)."""
    ids = {slug: week_id(story.date) for slug, story in site.stories.items() if story.versions}
    terms = {term_id: week_term(term_id, catalogue) for term_id in sorted(set(ids.values()))}
    # A feed per week would repeat the site feed a week late: the week pages have none.
    return Taxonomy(NAME, terms, order="-id", feeds=False), ids


def add_weeks(site: Site):
    taxonomy, ids = weeks_taxonomy(site, Catalogue(site.settings))
    site.taxonomies[NAME] = taxonomy
    for slug, term_id in ids.items():
        site.stories[slug].terms[NAME] = [term_id]


signals.site_assembled.connect(add_weeks)


def group_by_company(stories, company_ids_of, min_size=2):
    """[(company id or None, [stories])]: each story once, under the first company it names that
    has at least `min_size` stories this week (a heading over a single story is noise); the
    companies with most posts first, then by id; the other stories last, under id None, in the
    order given.

    company_ids_of(story) -> the story's company ids, most relevant first (taxonomy order)."""
    ids_of = {id(story): company_ids_of(story) for story in stories}
    named_by: dict = {}
    for ids in ids_of.values():
        for c in ids:
            named_by[c] = named_by.get(c, 0) + 1
    allowed = set(named_by)
    # A company left with fewer than min_size stories lets them go to their next company: one at a
    # time, the one fewest stories name first, so a story moves towards a company that can hold it.
    while True:
        groups: dict = {}
        for story in stories:
            mine = [c for c in ids_of[id(story)] if c in allowed]
            groups.setdefault(mine[0] if mine else None, []).append(story)
        small = [k for k, members in groups.items() if k is not None and len(members) < min_size]
        if not small:
            break
        allowed.discard(min(small, key=lambda k: (named_by[k], k)))
    named = sorted((k for k in groups if k is not None), key=lambda k: (-len(groups[k]), k))
    return [(k, groups[k]) for k in named] + ([(None, groups[None])] if None in groups else [])
