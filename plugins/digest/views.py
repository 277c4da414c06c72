"""Ready-made values for templates: every URL, label and date is computed here, once per build."""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from babel import Locale

from . import images
from .config import setting
from .i18n import typeset
from .model import Post, Site, Story
from .weeks import NAME as WEEKS, group_by_company


@dataclass
class Link:
    label: str
    url: str
    count: int = 0
    note: str = ""  # a line under the label in an index (a week's dates)
    count_label: str = ""  # "3 articles"
    latest: "Card | None" = None  # an index card: the term's newest story
    mark: dict | None = None  # an index card: the company's logo or monogram

    def cache_key(self):
        return (self.label, self.url, self.count, self.note, self.count_label,
                self.latest.cache_key() if self.latest else "", self.mark)


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
    summary_line: str = ""  # one line for the weekly digest
    terms: dict = field(default_factory=dict)  # taxonomy -> [Link], shown as chips (not weeks)
    week: Link | None = None  # the weekly digest the story is in
    standfirst: str = ""  # the summary, else the first sentence of the body
    picture: images.Picture | None = None
    kicker: Link | None = None  # the story's first company (else topic), above its title
    lead_term: object = None  # the Term of the first company, for the monogram of its social card
    page_lang: str = ""  # the language of the pages that list it
    rendered: str = ""  # the card's HTML (partials/card.html), rendered once for every listing
    _key: str = ""

    def cache_key(self):
        # Everything a card shows derives from its post, the page language and its terms' ids;
        # labels, dates and URLs also depend on data files and settings, which are in every
        # page's build-wide key. So this is exact, and cheap enough for 4,000 cards per build.
        if not self._key:
            terms = ";".join(f"{name}={','.join(l.url for l in links)}"
                             for name, links in self.terms.items())
            self._key = f"{self.post.cache_key()}\0{self.page_lang}\0{terms}\0" \
                        f"{self.week.url if self.week else ''}\0" \
                        f"{self.picture.cache_key() if self.picture else ''}"
        return self._key


class PerLanguage(dict):
    """lang -> value, made by `make(lang)` the first time a language is asked for."""

    def __init__(self, make):
        super().__init__()
        self._make = make

    def __missing__(self, lang):
        value = self[lang] = self._make(lang)
        return value


class Views:
    def __init__(self, site: Site, urls, catalogue):
        self.site = site
        self.urls = urls
        self.cat = catalogue
        self._cards: dict = {}
        self._locales: dict = {}
        self._post_urls: dict = {}
        self._chips: dict = {}  # (taxonomy, term id, lang) -> Link: one per term, shared by cards
        self.taxonomy_names = taxonomy_order(site)
        # Weeks are a date, already shown on every card: they get a link of their own, not chips.
        self.chip_taxonomies = [name for name in self.taxonomy_names if name != WEEKS]
        self.ordered = site.stories_newest_first()
        # Per language: the stories in that language (translated or not), newest first, and the
        # neighbours among the posts that really exist in that language.
        # Made on first use: a process that renders one language makes that language's cards only.
        self.listing = PerLanguage(lambda lang: [self.card(s, lang) for s in self.ordered])
        self.neighbours = {}
        for lang in site.languages:
            own = [s for s in self.ordered if lang in s.versions]
            for i, story in enumerate(own):
                newer = own[i - 1] if i > 0 else None
                older = own[i + 1] if i + 1 < len(own) else None
                self.neighbours[(story.slug, lang)] = (newer, older)
        self.by_term = self._index_terms()
        self._typeset_terms()
        dates = [s.date for s in self.ordered]
        # The months the site covers: every coverage plot spans them, so plots compare.
        self.period = ((dates[-1].year * 12 + dates[-1].month - 1, dates[0].year * 12 + dates[0].month - 1)
                       if dates else (0, 0))
        self.pictures = {}  # slug -> Picture (the story's image, resized once per build)
        self._prepare_pictures()

    # -- posts ---------------------------------------------------------------------------------
    def post_url(self, post: Post):
        url = self._post_urls.get(id(post))
        if url is None:
            url = self._post_urls[id(post)] = self.urls.article(post.lang, post.date, post.slug)
        return url

    def card(self, story: Story, lang: str) -> Card:
        key = (story.slug, lang)
        card = self._cards.get(key)
        if card is None:
            post = story.versions.get(lang) or story.original
            picture = self.picture_for(story, post)
            card = Card(
                story=story, post=post, title=post.title,
                url=self.urls.absolute(self.post_url(post)), lang=post.lang,
                date_iso=post.date.isoformat(), date_label=self.cat.date(post.date, lang),
                excerpt=post.excerpt, reading_minutes=post.reading_minutes,
                untranslated=post.lang != lang, page_lang=lang,
                summary_line=one_line(post.summary or post.excerpt),
                terms={name: self.term_links(story, name, lang) for name in self.chip_taxonomies},
                standfirst=post.summary or first_sentence(post.excerpt), picture=picture,
            )
            for name in ("companies", "topics"):
                if card.terms.get(name):
                    card.kicker = card.terms[name][0]
                    break
            companies = self.site.taxonomies.get("companies")
            for term_id in story.terms.get("companies", ()):
                if companies and term_id in companies.terms:
                    card.lead_term = companies.terms[term_id]
                    break
            if WEEKS in self.site.taxonomies:
                weeks = self.term_links(story, WEEKS, lang)
                card.week = weeks[0] if weeks else None
            self._cards[key] = card
        return card

    def term_links(self, story, taxonomy, lang):
        links = []
        for term_id in story.terms.get(taxonomy, []):
            link = self._chips.get((taxonomy, term_id, lang))
            if link is None:
                term = self.site.taxonomies[taxonomy].terms.get(term_id)
                if term is None:
                    continue
                link = self._chips[(taxonomy, term_id, lang)] = Link(
                    term.label(lang, self.site.default_lang),
                    self.urls.absolute(self.urls.term(lang, taxonomy, term_id)))
            links.append(link)
        return links

    # -- taxonomies ----------------------------------------------------------------------------
    def _index_terms(self):
        """taxonomy -> term id -> stories newest first; co-occurrence counters for the related
        blocks of term pages (only between chip taxonomies: weeks have no related block)."""
        by_term = {name: defaultdict(list) for name in self.taxonomy_names}
        self.cooccur = {name: defaultdict(Counter) for name in self.chip_taxonomies}
        chips = self.chip_taxonomies
        for story in self.ordered:
            pairs = [(name, term_id) for name in chips for term_id in story.terms.get(name, ())]
            for name in self.taxonomy_names:
                for term_id in story.terms.get(name, ()):
                    by_term[name][term_id].append(story)
            for pair in pairs:
                counter = self.cooccur[pair[0]][pair[1]]
                for other in pairs:
                    if other != pair:
                        counter[other] += 1
        return by_term

    def terms_with_posts(self, taxonomy, lang):
        tax = self.site.taxonomies[taxonomy]
        stories = self.by_term[taxonomy]
        links = [Link(term.label(lang, self.site.default_lang),
                      self.urls.absolute(self.urls.term(lang, taxonomy, term_id)),
                      len(stories[term_id]),
                      note=term.descriptions.get(lang, "") if taxonomy == WEEKS else "",
                      count_label=self.posts_count(lang, len(stories[term_id])))
                 for term_id, term in tax.terms.items() if stories.get(term_id)]
        if tax.order == "-id":
            return sorted(links, key=lambda l: l.url, reverse=True)
        return sorted(links, key=lambda l: l.label.casefold())

    def posts_count(self, lang, n):
        """'1 article', '3 articles': the plural form is the language's (CLDR rules through Babel)."""
        locale = self._locales.get(lang)
        if locale is None:
            locale = self._locales[lang] = Locale.parse(self.cat.locales.get(lang, lang))
        form = locale.plural_form(n)
        t = self.cat[lang]
        key = "posts_count_one" if form == "one" else "posts_count"
        return t.format(key, n=n)

    def term_profile(self, term, lang):
        """The profile lines of a term page (a company's website, founding year, headquarters)."""
        data, t, rows = term.data or {}, self.cat[lang], []
        website = data.get("website")
        if website:
            text = website.split("://", 1)[-1].removeprefix("www.").rstrip("/")
            rows.append({"label": t.profile_website, "text": text, "url": website})
        if data.get("founded"):
            rows.append({"label": t.profile_founded, "text": str(data["founded"]), "url": None})
        headquarters = (data.get("headquarters_by_lang") or {}).get(lang) or data.get("headquarters")
        if headquarters:
            rows.append({"label": t.profile_headquarters, "text": headquarters, "url": None})
        return rows

    def related(self, taxonomy, term_id, lang, limit=5):
        """Terms most often found with this one, per taxonomy: {taxonomy: [Link with count]}."""
        out = defaultdict(list)
        for (other_name, other_id), count in self.cooccur[taxonomy][term_id].most_common():
            if other_name not in self.chip_taxonomies:
                continue
            term = self.site.taxonomies[other_name].terms.get(other_id)
            if term is None or len(out[other_name]) >= limit:
                continue
            out[other_name].append(Link(term.label(lang, self.site.default_lang),
                                        self.urls.absolute(self.urls.term(lang, other_name, other_id)),
                                        count))
        # Always in taxonomy order: a page does not swap its blocks with the counts.
        return {name: out[name] for name in self.chip_taxonomies if out.get(name)}

    def week_groups(self, stories, lang):
        """A week's stories grouped by company: [{"label", "url" (None for "other news"), "cards"}]."""
        companies = self.site.taxonomies.get("companies")

        def company_ids(story):
            if companies is None:
                return []
            return [c for c in story.terms.get("companies", []) if c in companies.terms]

        groups = []
        grouped = group_by_company(stories, company_ids)
        for company_id, members in grouped:
            if company_id is None:
                alone = len(grouped) == 1  # no company has two stories: one list, no heading
                label = self.cat[lang].week_all if alone else self.cat[lang].week_other
                url = None
            else:
                label = companies.terms[company_id].label(lang, self.site.default_lang)
                url = self.urls.absolute(self.urls.term(lang, "companies", company_id))
            groups.append({"label": label, "url": url,
                           "cards": [self.card(s, lang) for s in members]})
        return groups

    def week_intro(self, stories, lang):
        """One line on a week: how many stories, the companies and topics most covered."""
        cat, t = self.cat, self.cat[lang]
        count = self.posts_count(lang, len(stories))
        found = {}
        for name in ("companies", "topics"):
            tax = self.site.taxonomies.get(name)
            counts = Counter(term_id for s in stories for term_id in s.terms.get(name, ())
                             if tax and term_id in tax.terms)
            # the most covered: named at least twice, or the single most named when the week is small
            top = [i for i, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n >= 2][:3]
            found[name] = cat.join([tax.terms[i].label(lang, self.site.default_lang) for i in top], lang)
        key = ("week_intro_full" if found["companies"] and found["topics"] else
               "week_intro_companies" if found["companies"] else
               "week_intro_topics" if found["topics"] else "week_intro_plain")
        text = t.format(key, count=count, companies=found["companies"], topics=found["topics"])
        return text[:1].upper() + text[1:]

    def related_stories(self, story, lang, limit=3):
        """"More on <company> / <topic>": [{"label", "url", "cards"}], at most `limit` stories in
        all, each in the page's language, newest first, from the story's first company, then its
        first topic."""
        sections, seen = [], {story.slug}
        for name in ("companies", "topics"):
            tax = self.site.taxonomies.get(name)
            for term_id in story.terms.get(name, ())[:1]:
                if tax is None or term_id not in tax.terms:
                    continue
                picked = []
                for other in self.by_term[name].get(term_id, ()):
                    if len(seen) - 1 + len(picked) >= limit:
                        break
                    if other.slug not in seen and lang in other.versions:
                        picked.append(other)
                if picked:
                    seen.update(s.slug for s in picked)
                    label = tax.terms[term_id].label(lang, self.site.default_lang)
                    sections.append({"label": self.cat[lang].format("more_on", name=label),
                                     "url": self.urls.absolute(self.urls.term(lang, name, term_id)),
                                     "cards": [self.card(s, lang) for s in picked]})
        return sections

    # -- pictures and text -----------------------------------------------------------------------
    def _typeset_terms(self):
        """Labels and descriptions from the registries get the posts' typography, once per build."""
        for tax in self.site.taxonomies.values():
            if tax.name == WEEKS:  # made from ui.yaml strings, already typeset
                continue
            for term in tax.terms.values():
                term.labels = {lang: typeset(text, lang) for lang, text in term.labels.items()}
                term.descriptions = {lang: typeset(text, lang)
                                     for lang, text in term.descriptions.items()}

    def _prepare_pictures(self):
        """Every story's picture resized (or found in the cache); a problem is the post's error."""
        settings, report = self.site.settings, self.site.report
        content = settings.get("PATH", "content")
        cache = settings.get("CACHE_PATH")
        cache_dir = os.path.join(cache, "digest-images") if cache else None
        for story in self.ordered:
            post = next((p for p in [story.original, *story.versions.values()]
                         if p.meta.get("image")), None)
            if post is None:
                continue
            if not (post.meta.get("image_alt") or "").strip():
                report.error(post.path, "is missing: a picture needs a text alternative for readers "
                             "who cannot see it", field="image_alt",
                             fix='add image_alt: "what the picture shows" (the picture is left out '
                                 'until then)')
                continue
            try:
                path = images.source_path(content, post.meta["image"])
                variants, source_digest = images.prepare(path, cache_dir)
            except images.ImageProblem as exc:
                report.error(post.path, str(exc), field="image", fix=exc.fix)
                continue
            except OSError as exc:
                report.error(post.path, f"the picture cannot be read ({exc.strerror})", field="image",
                             fix="check the file under content/images/")
                continue
            self.pictures[story.slug] = images.Picture(
                variants=[(w, h, f"{images.FOLDER}/{name}") for w, h, name, _ in variants],
                alt=post.meta.get("image_alt") or "", credit=post.meta.get("image_credit") or "",
                source=path, digest=source_digest,
                extra={"lang": post.lang, "data": variants, "cache": cache_dir})

    def picture_for(self, story, post):
        """The story's picture as `post`'s page shows it: its own alternative text when the post
        has one, else the original's, marked with its language."""
        picture = self.pictures.get(story.slug)
        if picture is None:
            return None
        alt, credit = post.meta.get("image_alt"), post.meta.get("image_credit")
        if alt:
            return images.Picture(picture.variants, alt, credit or picture.credit, "",
                                  picture.source, picture.digest, picture.extra)
        own = picture.extra["lang"]
        return images.Picture(picture.variants, picture.alt, picture.credit,
                              own if own != post.lang else "", picture.source, picture.digest,
                              picture.extra)

    # -- languages -----------------------------------------------------------------------------
    def alternates(self, url_for):
        """[(lang, absolute url)] for every language where url_for(lang) gives a page."""
        out = []
        for lang in self.site.languages:
            url = url_for(lang)
            if url is not None:
                out.append((lang, self.urls.absolute(url)))
        return out


def taxonomy_order(site):
    """Taxonomy names in the order of the URL segments in DIGEST_LANGUAGES (topics, companies,
    weeks), whatever order the plugins registered them in; unknown ones after, by name."""
    langs = setting(site.settings, "DIGEST_LANGUAGES")
    segments = list(langs.get(site.default_lang, {}).get("segments", {}))
    rank = {name: i for i, name in enumerate(segments)}
    return sorted(site.taxonomies, key=lambda name: (rank.get(name, len(rank)), name))


# The end of a sentence: its mark (and a closing quote), a space, then what starts a sentence.
_SENTENCE = re.compile(r".*?[.!?…](?:[\s\u00a0\u202f]*[»”])?(?=[\s\u00a0\u202f]+[A-ZÀ-ÖØ-Þ«“\"0-9])")


def first_sentence(text, limit=240):
    """The first sentence of a paragraph (a standfirst for a post without a summary)."""
    text = " ".join((text or "").split())
    match = _SENTENCE.match(text)
    return one_line(match.group() if match else text, limit)


def one_line(text, limit=200):
    """A summary cut to one line's worth, at a word boundary."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:–—-")
    return cut + "…"
