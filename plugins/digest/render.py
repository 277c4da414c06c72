"""Every page kind, for one language at a time.

A page is described by the values it is made from (its render key: the post, the cards, the
alternates...) before its template context is built, so an unchanged page costs a digest, not a
render. See fingerprint.py for what a key covers.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from urllib.parse import urlsplit

from markupsafe import Markup

from . import assets, profiles, social, weeks
from .config import setting
from .fingerprint import digest
from .urls import Urls
from .views import PerLanguage


class Renderer:
    def __init__(self, site, views, urls, cat, env, out, settings, render_base):
        self.site, self.views, self.urls, self.cat = site, views, urls, cat
        self.env, self.out, self.settings = env, out, settings
        self.render_base = render_base  # None: no manifest, render everything
        self.sitemap = {}  # lang -> {absolute url: alternates}, in the order pages were made
        # What every page of a language shares: made once per language, not once per page.
        self.language_context = PerLanguage(self._language_context)

    # -- the one way a page is written ---------------------------------------------------------
    def page(self, template, lang, url, title, *, alternates, kind, description="", feeds=None,
             key=(), extra=None, sitemap=True):
        """Render `template` at `url` unless the page's render key is unchanged. `key` holds what
        the page shows beyond its base context; `extra` gives the template values it stands for
        (a dict, or a function called only when the page is rendered)."""
        absolute = self.urls.absolute(url)
        if sitemap:
            self.sitemap.setdefault(lang, {})[absolute] = alternates
        save_as = Urls.save_as(url)
        render_key = None
        if self.render_base:
            render_key = digest(self.render_base, template, lang, url, title, alternates, kind,
                                description, feeds, key)
            if self.out.keep(save_as, render_key):
                return
        ctx = self.base_context(lang, url, title, alternates=alternates, kind=kind,
                                description=description, feeds=feeds)
        ctx.update(extra(ctx) if callable(extra) else (extra or {}))
        for card in ctx.get("cards", ()):
            self.card_html(card, lang)
        self.out.write(save_as, self.env.get_template(template).render(ctx), render_key)

    def card_html(self, card, lang):
        """A card is the same on every listing it appears on: rendered once per build."""
        if not card.rendered:
            card.rendered = Markup(self.env.get_template("partials/card.html").render(
                card=card, lang=lang, t=self.cat[lang], SITEURL=self.urls.siteurl))

    def _language_context(self, lang):
        """(shared context values, nav items, language homes, default feeds) of a language."""
        t, urls = self.cat[lang], self.urls
        langs_info = setting(self.settings, "DIGEST_LANGUAGES")
        nav = [(t.nav_home, urls.absolute(urls.home(lang)))]
        for name in self.views.taxonomy_names:
            nav.append((t[f"nav_{name}"], urls.absolute(urls.taxonomy(lang, name))))
        nav.append((t.nav_archives, urls.absolute(urls.special(lang, "archives"))))
        about = self.site.pages.get("about", {})
        if lang in about:
            nav.append((about[lang].title, urls.absolute(urls.page(lang, "about"))))
        homes = [(other, langs_info[other].get("name", other), urls.absolute(urls.home(other)))
                 for other in self.site.languages]
        shared = {
            "lang": lang, "t": t, "SITEURL": urls.siteurl,
            "og_locale": langs_info[lang].get("locale", lang),
            # Search: Pagefind's bundle by absolute URL (the page may sit under a subpath), and the
            # site's root path, which Pagefind puts in front of the result URLs it stored.
            # (the list of its shards, plugins/digest/search_index.py)
            "pagefind_url": urls.absolute("pagefind/shards.json"),
            "base_path": (urlsplit(urls.siteurl).path.rstrip("/") + "/"),
            "THEME_URL": f"{urls.siteurl}/{self.settings.get('THEME_STATIC_DIR', 'theme')}",
            "site_name": t.site_name,
            "search_url": urls.absolute(urls.special(lang, "search")),
            "home_url": nav[0][1],
            "archives_url": urls.absolute(urls.special(lang, "archives")),
            "og_type": "website",
        }
        default_feeds = [{"title": t.site_name, "url": urls.absolute(urls.feed(lang))}]
        return shared, nav, homes, default_feeds

    def base_context(self, lang, url, title, *, alternates, kind, description="", feeds=None):
        shared, nav_items, homes, default_feeds = self.language_context[lang]
        langs_info = setting(self.settings, "DIGEST_LANGUAGES")
        alt = dict(alternates)
        switch = [{"lang": other, "name": name, "url": alt.get(other) or home,
                   "current": other == lang, "counterpart": other in alt, "missing": ""}
                  for other, name, home in homes]
        default_url = alt.get(self.site.default_lang) or (alternates[0][1] if alternates else None)
        absolute = self.urls.absolute(url)
        nav = []
        for i, (label, target) in enumerate(nav_items):
            # aria-current: "page" on the page itself, "true" on the section it belongs to.
            inside = i > 0 and absolute.startswith(target)
            nav.append({"label": label, "url": target,
                        "current": "page" if target == absolute else ("true" if inside else None)})
        for item in switch:
            if not item["current"] and not item["counterpart"]:
                other = self.cat[item["lang"]]
                item["missing"] = other.switch_missing
                item["missing_home"] = other.switch_missing_home
        ctx = dict(shared)
        ctx.update({
            "kind": kind,
            "og_locale_alternates": [langs_info[o].get("locale", o) for o, _ in alternates if o != lang],
            "title": title, "description": description or shared["t"].tagline,
            "url": absolute, "canonical": absolute, "alternates": alternates,
            "x_default": default_url, "switch": switch, "nav": nav,
            "feeds": feeds or default_feeds,
            "search_box": kind != "search",  # the search page has its own form
            "og_image": None,
        })
        return ctx

    def paginate(self, lang, items, url_for, template, title, kind, extra=None, feeds=None,
                 description=""):
        per_page = setting(self.settings, "DIGEST_PER_PAGE")
        total = max(1, math.ceil(len(items) / per_page))
        extra = extra or {}
        extra_key = digest(extra) if self.render_base else None  # once, not once per page
        for number in range(1, total + 1):
            cards = items[(number - 1) * per_page: number * per_page]
            pagination = {
                "number": number, "total": total,
                "prev": self.urls.absolute(url_for(lang, number - 1)) if number > 1 else None,
                "next": self.urls.absolute(url_for(lang, number + 1)) if number < total else None,
            }
            page_title = title if number == 1 else f"{title} – {self.cat[lang].format('page_n', n=number)}"
            self.page(template, lang, url_for(lang, number), page_title, kind=kind, feeds=feeds,
                      description=description,
                      alternates=self.views.alternates(lambda other: url_for(other, number)),
                      key=(pagination, cards, extra_key),
                      extra={**extra, "cards": cards, "pagination": pagination})

    # -- page kinds ----------------------------------------------------------------------------
    def language(self, lang, timed):
        """Every page of one language."""
        with timed("render listings"):
            self.listing(lang)
        with timed("render articles"):
            self.articles(lang)
            self.pages(lang)
        for name in self.views.taxonomy_names:
            with timed(f"render {name}"):
                self.taxonomy(lang, name)
        with timed("render feeds"):
            self.feed(lang, self.urls.feed(lang), self.cat[lang].site_name,
                      self.views.listing[lang], self.urls.home(lang))
        self.search(lang)

    def listing(self, lang):
        t, views, urls = self.cat[lang], self.views, self.urls
        listing = views.listing[lang]
        latest = listing[0].week if listing else None
        # The lead: the newest story marked `featured: true` among the first page's, else the newest.
        first_page = listing[:setting(self.settings, "DIGEST_PER_PAGE")]
        lead = next((c for c in first_page if c.story.original.meta.get("featured")),
                    listing[0] if listing else None)
        if lead is not None:
            self.card_html(lead, lang)
        self.paginate(lang, listing, urls.home, "index.html", t.site_name, "home",
                      extra={"latest_week": latest, "lead": lead,
                             "latest_week_count": views.posts_count(
                                 lang, len(views.by_term[weeks.NAME].get(
                                     latest.url.rstrip("/").rsplit("/", 1)[-1], ())))
                             if latest and weeks.NAME in views.by_term else ""})
        months = OrderedDict()
        for card in views.listing[lang]:
            label = self.cat.date(card.post.date, lang, "MMMM y").capitalize()
            months.setdefault(label, []).append(card)
        months = list(months.items())
        self.page("archives.html", lang, urls.special(lang, "archives"), t.archives_title,
                  kind="archives", alternates=views.alternates(lambda o: urls.special(o, "archives")),
                  key=months, extra={"months": months})

    def articles(self, lang, stories=None):
        """The article pages of `lang`: the site's stories, or others (drafts, see schedule.py)."""
        views, urls = self.views, self.urls
        names = setting(self.settings, "DIGEST_LANGUAGES")
        for story in views.ordered if stories is None else stories:
            post = story.versions.get(lang)
            if post is None:
                continue
            card = views.card(story, lang)
            newer, older = views.neighbours.get((story.slug, lang), (None, None))
            newer = views.card(newer, lang) if newer else None
            older = views.card(older, lang) if older else None
            original = story.original
            translation = original if original.lang != lang else None
            alternates = views.alternates(
                lambda o: views.post_url(story.versions[o]) if o in story.versions else None)
            if card.picture and lang == original.lang:
                self.write_picture(card.picture)
            values = {"post": post, "card": card, "og_type": "article", "newer": newer,
                      "older": older, "original": translation,
                      "original_url": urls.absolute(views.post_url(original)),
                      "original_lang_name": names[original.lang]["name"],
                      "provider_name": self.cat.provider(post.translated_by),
                      "more": views.related_stories(story, lang),
                      "og_image": self.social_card(card, lang, views.post_url(post))}

            description = post.summary or post.excerpt

            def extra(ctx, values=values):
                # The body split around the picture: made from the post (in the key), so only
                # when the page is rendered.
                lead, rest = assets.split_lead(assets.breakable_links(values["post"].html))
                values["body_lead"], values["body_rest"] = Markup(lead), Markup(rest)
                values["jsonld"] = self.news_article({**ctx, **values}, values["post"],
                                                     values["card"], values["original"])
                return values

            self.page("article.html", lang, views.post_url(post), post.title, kind="article",
                      description=description, alternates=alternates,
                      key=values, extra=extra, sitemap=post.state == "published")

    def write_picture(self, picture):
        assets.write_picture(self.out, picture, self.render_base)

    def social_card(self, card, lang, url):
        """The article's title card (og:image), or None in a build that makes none."""
        if not social.wanted(self.settings):
            return None
        return assets.social_card(self.out, self.urls, self.render_base, self.settings, card,
                                  self.cat[lang].site_name, lang, self.site.default_lang, url)

    def news_article(self, ctx, post, card, original):
        """schema.org NewsArticle for the article page (JSON-LD)."""
        publisher = {"@type": "Organization", "name": ctx["site_name"], "url": ctx["home_url"]}
        data = {
            "@context": "https://schema.org", "@type": "NewsArticle",
            "headline": post.title, "description": ctx["description"],
            "url": ctx["canonical"],
            "mainEntityOfPage": {"@type": "WebPage", "@id": ctx["canonical"]},
            "datePublished": card.date_iso,
            "dateModified": (post.meta.get("modified") or post.date).isoformat(),
            "inLanguage": ctx["og_locale"].replace("_", "-"),
            "author": ({"@type": "Person", "name": post.author} if post.author else publisher),
            "publisher": publisher,
            "isAccessibleForFree": True,
        }
        topics = [link.label for link in card.terms.get("topics", [])]
        if topics:
            data["keywords"] = topics
        companies = card.terms.get("companies", [])
        if companies:
            data["mentions"] = [{"@type": "Organization", "name": link.label, "url": link.url}
                                for link in companies]
        if post.source:
            data["isBasedOn"] = post.source
        if original is not None:
            data["translationOfWork"] = {"@type": "NewsArticle", "headline": original.title,
                                         "url": ctx["original_url"], "inLanguage": original.lang}
        return data

    def pages(self, lang):
        for slug, versions in self.site.pages.items():
            post = versions.get(lang)
            if post is None:
                continue
            self.page("page.html", lang, self.urls.page(lang, slug), post.title, kind="page",
                      description=post.summary or post.excerpt,
                      alternates=self.views.alternates(
                          lambda o: self.urls.page(o, slug) if o in versions else None),
                      key=post, extra={"post": post})

    def taxonomy(self, lang, name):
        t, urls, views = self.cat[lang], self.urls, self.views
        terms = views.terms_with_posts(name, lang)
        if name != weeks.NAME:
            for link in terms:
                term_id = link.url.rstrip("/").rsplit("/", 1)[-1]
                link.latest = views.card(views.by_term[name][term_id][0], lang)
                self.card_html(link.latest, lang)
                term = self.site.taxonomies[name].terms[term_id]
                link.note = one_line_description(term, lang, self.site.default_lang)
                if name == "companies":
                    link.mark = self.mark(term, lang)
        self.page("taxonomy_index.html", lang, urls.taxonomy(lang, name), t[f"{name}_title"],
                  kind=f"{name}-index", alternates=views.alternates(lambda o: urls.taxonomy(o, name)),
                  key=terms, extra={"taxonomy": name, "terms": terms})
        render_term = self.week if name == weeks.NAME else self.term
        term_ids = [i for i, stories in views.by_term[name].items()
                    if stories and i in self.site.taxonomies[name].terms]
        for term_id in term_ids:
            render_term(lang, name, term_id)

    def term_context(self, lang, name, term_id):
        """What every term page has: its label, description and feeds."""
        t, urls = self.cat[lang], self.urls
        tax = self.site.taxonomies[name]
        term = tax.terms[term_id]
        label = term.label(lang, self.site.default_lang)
        description = term.descriptions.get(lang) or term.descriptions.get(self.site.default_lang, "")
        feeds = [{"title": t.site_name, "url": urls.absolute(urls.feed(lang))}]
        feed_url = None
        if tax.feeds:
            feed_url = urls.absolute(urls.feed(lang, name, term_id))
            feeds.append({"title": f"{t.site_name} – {label}", "url": feed_url})
        return {"taxonomy": name, "term": term, "label": label, "term_description": description,
                "feeds": feeds, "feed_url": feed_url, "profile": self.views.term_profile(term, lang)}

    def term(self, lang, name, term_id):
        """A topic or company page: paginated cards, related terms, a feed."""
        t, urls, views = self.cat[lang], self.urls, self.views
        info = self.term_context(lang, name, term_id)
        cards = [views.card(s, lang) for s in views.by_term[name][term_id]]
        template = f"{name[:-1] if name.endswith('s') else name}.html"
        if template not in self.env.list_templates():
            template = "term.html"
        feeds = info.pop("feeds")
        stories = views.by_term[name][term_id]
        other = "topics" if name == "companies" else "companies"
        tax = self.site.taxonomies.get(other)
        info.update({
            "mark": self.mark(info["term"], lang) if name == "companies" else None,
            "count_label": views.posts_count(lang, len(stories)),
            "coverage": profiles.coverage(
                stories, views.period, lambda y, m: self.cat.date(_month(y, m), lang, "MMM y"),
                lambda n: views.posts_count(lang, n), lambda **v: t.format("coverage_text", **v)),
            "shares": profiles.shares(
                stories, other,
                lambda i: tax.terms[i].label(lang, self.site.default_lang)
                if tax and i in tax.terms else None,
                lambda i: urls.absolute(urls.term(lang, other, i)),
                lambda n, total: t.format("share_of", n=n, total=total)) if tax else [],
            "shares_title": t.topics_share_title if other == "topics" else t.related_companies,
        })
        related = views.related(name, term_id, lang)
        related.pop(other, None)  # shown as proportions
        self.paginate(lang, cards, lambda o, n: urls.term(o, name, term_id, n), template,
                      info["label"], kind=name[:-1] if name.endswith("s") else name,
                      feeds=feeds, description=info["term_description"],
                      extra={**info, "related": related})
        if info["feed_url"]:
            self.feed(lang, urls.feed(lang, name, term_id), f"{t.site_name} – {info['label']}",
                      cards, urls.term(lang, name, term_id))

    def week(self, lang, name, term_id):
        """A weekly digest: the whole week on one page, grouped by company, with the weeks around."""
        urls, views = self.urls, self.views
        info = self.term_context(lang, name, term_id)
        ids = sorted(i for i, stories in views.by_term[name].items() if stories)
        at = ids.index(term_id)
        around = {"newer": ids[at + 1] if at + 1 < len(ids) else None,
                  "older": ids[at - 1] if at > 0 else None}
        tax = self.site.taxonomies[name]
        links = {key: {"label": tax.terms[i].label(lang, self.site.default_lang),
                       "url": urls.absolute(urls.term(lang, name, i))} if i else None
                 for key, i in around.items()}
        stories = views.by_term[name][term_id]
        feeds = info.pop("feeds")
        values = {**info, "groups": views.week_groups(stories, lang),
                  "count_label": views.posts_count(lang, len(stories)),
                  "intro": views.week_intro(stories, lang), **links}
        self.page("week.html", lang, urls.term(lang, name, term_id), info["label"], kind="week",
                  feeds=feeds, description=info["term_description"],
                  alternates=views.alternates(lambda o: urls.term(o, name, term_id)),
                  key=values, extra=values)

    def mark(self, term, lang):
        return profiles.mark(term, lang, self.site.default_lang, self.settings.get("PATH", "content"),
                             self.urls.siteurl,
                             self.cat[lang].format("company_logo",
                                                   name=term.label(lang, self.site.default_lang)))

    def search(self, lang):
        urls = self.urls
        self.page("search.html", lang, urls.special(lang, "search"), self.cat[lang].search_title,
                  kind="search", alternates=self.views.alternates(lambda o: urls.special(o, "search")))

    def not_found(self):
        lang = self.site.default_lang
        others = [o for o in self.site.languages if o != lang]
        self.page("404.html", lang, "404.html", self.cat[lang].not_found_title, kind="404",
                  alternates=[], sitemap=False, key=others,
                  extra=lambda ctx: {"others": [{"lang": o, "t": self.cat[o],
                                             "home": self.urls.absolute(self.urls.home(o))}
                                            for o in others]})

    def feed(self, lang, path, title, cards, home):
        from .feeds import write_feed

        # A scheduled story is listed in a local build (with its banner), never in a feed.
        write_feed(self, lang, path, title, [c for c in cards if c.post.state == "published"], home)


def _month(year, month):
    from datetime import date

    return date(year, month, 1)


def one_line_description(term, lang, default_lang):
    """The first sentence of a term's description, for its card in the index."""
    from .views import first_sentence

    return first_sentence(term.descriptions.get(lang) or term.descriptions.get(default_lang, ""), 140)
