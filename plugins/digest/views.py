"""Ready-made values for templates: every URL, label and date is computed here, once per build."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .model import Post, Site, Story


@dataclass
class Link:
    label: str
    url: str
    count: int = 0


@dataclass
class Card:
    """A story as one language lists it (it may point to another language's original)."""

    story: Story
    post: Post  # the version shown: in the page language, or the original when not translated
    title: str
    url: str
    lang: str  # language of the text shown
    date_iso: str
    date_label: str
    excerpt: str
    reading_minutes: int
    untranslated: bool
    terms: dict = field(default_factory=dict)  # taxonomy -> [Link]


class Views:
    def __init__(self, site: Site, urls, catalogue):
        self.site = site
        self.urls = urls
        self.cat = catalogue
        self._cards: dict = {}
        self.ordered = site.stories_newest_first()
        # Per language: the stories in that language (translated or not), newest first, and the
        # neighbours among the posts that really exist in that language.
        self.listing = {lang: [self.card(s, lang) for s in self.ordered] for lang in site.languages}
        self.neighbours = {}
        for lang in site.languages:
            own = [s for s in self.ordered if lang in s.versions]
            for i, story in enumerate(own):
                newer = own[i - 1] if i > 0 else None
                older = own[i + 1] if i + 1 < len(own) else None
                self.neighbours[(story.slug, lang)] = (newer, older)
        self.by_term = self._index_terms()

    # -- posts ---------------------------------------------------------------------------------
    def post_url(self, post: Post):
        return self.urls.article(post.lang, post.date, post.slug)

    def card(self, story: Story, lang: str) -> Card:
        key = (story.slug, lang)
        card = self._cards.get(key)
        if card is None:
            post = story.versions.get(lang) or story.original
            card = Card(
                story=story, post=post, title=post.title,
                url=self.urls.absolute(self.post_url(post)), lang=post.lang,
                date_iso=post.date.isoformat(), date_label=self.cat.date(post.date, lang),
                excerpt=post.excerpt, reading_minutes=post.reading_minutes,
                untranslated=post.lang != lang,
                terms={name: self.term_links(story, name, lang) for name in self.site.taxonomies},
            )
            self._cards[key] = card
        return card

    def term_links(self, story, taxonomy, lang):
        tax = self.site.taxonomies[taxonomy]
        links = []
        for term_id in story.terms.get(taxonomy, []):
            term = tax.terms.get(term_id)
            if term is not None:
                links.append(Link(term.label(lang, self.site.default_lang),
                                  self.urls.absolute(self.urls.term(lang, taxonomy, term_id))))
        return links

    # -- taxonomies ----------------------------------------------------------------------------
    def _index_terms(self):
        """taxonomy -> term id -> stories newest first; co-occurrence counters for term pages."""
        by_term = {name: defaultdict(list) for name in self.site.taxonomies}
        self.cooccur = {name: defaultdict(Counter) for name in self.site.taxonomies}
        for story in self.ordered:
            for name in self.site.taxonomies:
                ids = story.terms.get(name, [])
                for term_id in ids:
                    by_term[name][term_id].append(story)
                    for other_name, other_ids in story.terms.items():
                        if other_name not in self.site.taxonomies:
                            continue
                        for other in other_ids:
                            if other_name != name or other != term_id:
                                self.cooccur[name][term_id][(other_name, other)] += 1
        return by_term

    def terms_with_posts(self, taxonomy, lang):
        tax = self.site.taxonomies[taxonomy]
        stories = self.by_term[taxonomy]
        links = [Link(term.label(lang, self.site.default_lang),
                      self.urls.absolute(self.urls.term(lang, taxonomy, term_id)),
                      len(stories[term_id]))
                 for term_id, term in tax.terms.items() if stories.get(term_id)]
        if tax.order == "-id":
            return sorted(links, key=lambda l: l.url, reverse=True)
        return sorted(links, key=lambda l: l.label.casefold())

    def related(self, taxonomy, term_id, lang, limit=5):
        """Terms most often found with this one, per taxonomy: {taxonomy: [Link with count]}."""
        out = defaultdict(list)
        for (other_name, other_id), count in self.cooccur[taxonomy][term_id].most_common():
            term = self.site.taxonomies[other_name].terms.get(other_id)
            if term is None or len(out[other_name]) >= limit:
                continue
            out[other_name].append(Link(term.label(lang, self.site.default_lang),
                                        self.urls.absolute(self.urls.term(lang, other_name, other_id)),
                                        count))
        return dict(out)

    # -- languages -----------------------------------------------------------------------------
    def alternates(self, url_for):
        """[(lang, absolute url)] for every language where url_for(lang) gives a page."""
        out = []
        for lang in self.site.languages:
            url = url_for(lang)
            if url is not None:
                out.append((lang, self.urls.absolute(url)))
        return out
