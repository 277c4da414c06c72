"""The generator that writes every page of every language in one Pelican run."""

from __future__ import annotations

import logging
from html import escape as html_escape
import math
import os
from collections import OrderedDict
from xml.sax.saxutils import escape, quoteattr

from feedgenerator import Atom1Feed
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from pelican.generators import Generator
from urllib.parse import urlsplit

from . import signals
from . import weeks  # noqa: F401  (connects the "weeks" taxonomy to site_assembled)
from .assemble import assemble, fill_missing, post_from_content
from .config import setting
from .filters import FILTERS
from .fingerprint import digest, settings_digest, tree_digest
from .i18n import Catalogue
from .output import Output
from .urls import Urls
from .views import Views

logger = logging.getLogger(__name__)


class DigestFeed(Atom1Feed):
    """An Atom feed whose <updated> never depends on the clock: a term feed can be empty in a
    language where its stories are not translated yet, and feedgenerator would then write now(),
    so the file would change on every build."""

    fallback_date = None

    def latest_post_date(self):
        if not self.items and self.fallback_date is not None:
            return self.fallback_date
        return super().latest_post_date()


class SiteGenerator(Generator):
    """Builds the Site model after Pelican has read the content, then renders it."""

    def generate_context(self):
        report = self.settings["DIGEST_REPORT"]
        articles = self.context.get("digest_articles", [])
        pages = self.context.get("digest_pages", [])
        with report.timed("assemble"):
            self.site = assemble(articles, pages, self.settings, report)
            self.site.make_post = self.make_post
        for receiver in signals.site_assembled.receivers_for(self.site):
            name = getattr(receiver, "__module__", "plugin").split(".")[0]
            with report.timed(f"plugin {name}"):
                receiver(self.site)
        with report.timed("views"):
            fill_missing(self.site)
            self.urls = Urls(self.settings)
            self.cat = Catalogue(self.settings)
            self.views = Views(self.site, self.urls, self.cat)
        self.context["digest_site"] = self.site

    def make_post(self, path):
        """Read one Markdown file written during the build (a new translation) into a Post."""
        from pelican.contents import Article

        readers = self.context["digest_readers"]
        content = readers.read_file(base_path=self.settings["PATH"], path=path,
                                    content_class=Article, context=self.context)
        if getattr(content, "digest", None) is None:
            return None
        return post_from_content(content)

    # -- rendering -----------------------------------------------------------------------------
    def _env(self):
        theme = os.path.join(self.settings["THEME"], "templates")
        # auto_reload off: the templates do not change during a build, and checking their mtimes
        # on every include cost more than a second per build.
        env = Environment(loader=FileSystemLoader(theme), autoescape=True, trim_blocks=True,
                          lstrip_blocks=True, undefined=StrictUndefined, auto_reload=False)
        env.filters.update(FILTERS)
        return env

    def generate_output(self, writer):
        del writer  # we write our own files (see Output)
        self.env = self._env()
        self.out = Output(self.output_path, self.settings)
        # What every page's render key shares: data files and plugins (DIGEST_INPUTS), templates,
        # settings. Without a cache folder there is no manifest, so nothing to compare with.
        self.render_base = None
        if self.out.manifest_path:
            volatile = {"LOAD_CONTENT_CACHE"}
            self.render_base = digest(
                self.settings.get("DIGEST_INPUTS"), tree_digest(self.settings["THEME"]),
                settings_digest({k: v for k, v in self.settings.items() if k not in volatile}))
        self.sitemap = OrderedDict()  # url -> alternates
        site = self.site
        timed = site.report.timed
        for lang in site.languages:
            with timed("render listings"):
                self.render_listing(lang)
            with timed("render articles"):
                self.render_articles(lang)
                self.render_pages(lang)
            for name in self.views.taxonomy_names:
                with timed(f"render {name}"):
                    self.render_taxonomy(lang, name)
            with timed("render feeds"):
                self.render_feed(lang, self.urls.feed(lang), self.cat[lang].site_name,
                                 self.views.listing[lang], self.urls.home(lang))
            self.render_search(lang)
        self.render_404()
        with timed("sitemap"):
            self.write_sitemap()
        for lang, key in sorted(self.cat.missing):
            site.report.warning("content/data/ui.yaml", f"no '{key}' string for '{lang}'; the "
                                f"{site.default_lang} one is used", field=key,
                                fix=f"add {key}: ... under {lang}:")
        with timed("output"):
            self.out.finish()
        site.report.output = {"written": self.out.written, "unchanged": self.out.skipped,
                              "kept": self.out.kept, "removed": self.out.removed}

    def base_context(self, lang, url, title, *, alternates, kind, description="", feeds=None):
        t = self.cat[lang]
        langs_info = setting(self.settings, "DIGEST_LANGUAGES")
        switch = []
        alt = dict(alternates)
        for other in self.site.languages:
            switch.append({
                "lang": other, "name": langs_info[other].get("name", other),
                "url": alt.get(other) or self.urls.absolute(self.urls.home(other)),
                "current": other == lang, "counterpart": other in alt,
            })
        default_url = alt.get(self.site.default_lang) or (alternates[0][1] if alternates else None)
        absolute = self.urls.absolute(url)
        self.sitemap[absolute] = alternates
        nav = [{"label": t.nav_home, "url": self.urls.absolute(self.urls.home(lang))}]
        for name in self.views.taxonomy_names:
            nav.append({"label": t[f"nav_{name}"],
                        "url": self.urls.absolute(self.urls.taxonomy(lang, name))})
        nav.append({"label": t.nav_archives, "url": self.urls.absolute(self.urls.special(lang, "archives"))})
        about = self.site.pages.get("about", {})
        if lang in about:
            nav.append({"label": about[lang].title,
                        "url": self.urls.absolute(self.urls.page(lang, "about"))})
        for i, item in enumerate(nav):
            # aria-current: "page" on the page itself, "true" on the section it belongs to.
            inside = i > 0 and absolute.startswith(item["url"])
            item["current"] = "page" if item["url"] == absolute else ("true" if inside else None)
        locale = langs_info[lang].get("locale", lang)
        return {
            "lang": lang, "t": t, "kind": kind, "SITEURL": self.urls.siteurl,
            "og_locale": locale,
            "og_locale_alternates": [langs_info[o].get("locale", o) for o, _ in alternates if o != lang],
            # Search: Pagefind's bundle by absolute URL (the page may sit under a subpath), and the
            # site's root path, which Pagefind puts in front of the result URLs it stored.
            "pagefind_url": self.urls.absolute("pagefind/pagefind.js"),
            "base_path": (urlsplit(self.urls.siteurl).path.rstrip("/") + "/"),
            "THEME_URL": f"{self.urls.siteurl}/{self.settings.get('THEME_STATIC_DIR', 'theme')}",
            "site_name": t.site_name, "title": title, "description": description or t.tagline,
            "url": absolute, "canonical": absolute, "alternates": alternates,
            "x_default": default_url, "switch": switch, "nav": nav,
            "feeds": feeds or [{"title": t.site_name, "url": self.urls.absolute(self.urls.feed(lang))}],
            "search_url": self.urls.absolute(self.urls.special(lang, "search")),
            "search_box": kind != "search",  # the search page has its own form
            "home_url": self.urls.absolute(self.urls.home(lang)),
            "archives_url": self.urls.absolute(self.urls.special(lang, "archives")),
            "og_type": "website",
        }

    def write(self, url, template, ctx):
        save_as = Urls.save_as(url)
        key = digest(self.render_base, template, ctx) if self.render_base else None
        if self.out.keep(save_as, key):
            return
        for card in ctx.get("cards", ()):
            self.render_card(card, ctx["lang"])
        html = self.env.get_template(template).render(ctx)
        self.out.write(save_as, html, key)

    def render_card(self, card, lang):
        """A card is the same on every listing it appears on: rendered once per build."""
        if not card.rendered:
            card.rendered = Markup(self.env.get_template("partials/card.html").render(
                card=card, lang=lang, t=self.cat[lang]))

    def paginate(self, lang, items, url_for, template, title, kind, extra=None, feeds=None,
                 description=""):
        per_page = setting(self.settings, "DIGEST_PER_PAGE")
        total = max(1, math.ceil(len(items) / per_page))
        for number in range(1, total + 1):
            url = url_for(lang, number)
            pagination = {
                "number": number, "total": total,
                "prev": self.urls.absolute(url_for(lang, number - 1)) if number > 1 else None,
                "next": self.urls.absolute(url_for(lang, number + 1)) if number < total else None,
            }
            page_title = title if number == 1 else f"{title} – {self.cat[lang].format('page_n', n=number)}"
            ctx = self.base_context(
                lang, url, page_title, kind=kind, feeds=feeds, description=description,
                alternates=self.views.alternates(lambda other: url_for(other, number)))
            ctx.update(extra or {})
            ctx.update(cards=items[(number - 1) * per_page: number * per_page], pagination=pagination)
            self.write(url, template, ctx)

    def render_listing(self, lang):
        t = self.cat[lang]
        latest = self.views.listing[lang][0].week if self.views.listing[lang] else None
        self.paginate(lang, self.views.listing[lang], self.urls.home, "index.html", t.site_name,
                      "home", extra={"latest_week": latest})
        archive_url = self.urls.special(lang, "archives")
        months = OrderedDict()
        for card in self.views.listing[lang]:
            label = self.cat.date(card.post.date, lang, "MMMM y").capitalize()
            months.setdefault(label, []).append(card)
        ctx = self.base_context(lang, archive_url, t.archives_title, kind="archives",
                                alternates=self.views.alternates(lambda o: self.urls.special(o, "archives")))
        ctx["months"] = list(months.items())
        self.write(archive_url, "archives.html", ctx)

    def render_articles(self, lang):
        views, urls = self.views, self.urls
        for story in views.ordered:
            post = story.versions.get(lang)
            if post is None:
                continue
            url = views.post_url(post)
            card = views.card(story, lang)
            newer, older = views.neighbours[(story.slug, lang)]
            original = story.original
            translation = original if original.lang != lang else None
            ctx = self.base_context(
                lang, url, post.title, kind="article", description=post.summary or post.excerpt,
                alternates=views.alternates(
                    lambda o: views.post_url(story.versions[o]) if o in story.versions else None))
            ctx.update(
                post=post, card=card, og_type="article",
                newer=views.card(newer, lang) if newer else None,
                older=views.card(older, lang) if older else None,
                original=translation,
                original_url=urls.absolute(views.post_url(original)),
                original_lang_name=setting(self.settings, "DIGEST_LANGUAGES")[original.lang]["name"],
            )
            ctx["jsonld"] = self.news_article(ctx, post, card, translation)
            self.write(url, "article.html", ctx)

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

    def render_pages(self, lang):
        for slug, versions in self.site.pages.items():
            post = versions.get(lang)
            if post is None:
                continue
            url = self.urls.page(lang, slug)
            ctx = self.base_context(
                lang, url, post.title, kind="page", description=post.summary or post.excerpt,
                alternates=self.views.alternates(
                    lambda o: self.urls.page(o, slug) if o in versions else None))
            ctx["post"] = post
            self.write(url, "page.html", ctx)

    def render_taxonomy(self, lang, name):
        t, urls, views = self.cat[lang], self.urls, self.views
        index_url = urls.taxonomy(lang, name)
        ctx = self.base_context(lang, index_url, t[f"{name}_title"], kind=f"{name}-index",
                                alternates=views.alternates(lambda o: urls.taxonomy(o, name)))
        ctx.update(taxonomy=name, terms=views.terms_with_posts(name, lang))
        self.write(index_url, "taxonomy_index.html", ctx)
        render_term = self.render_week if name == weeks.NAME else self.render_term
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

    def render_term(self, lang, name, term_id):
        """A topic or company page: paginated cards, related terms, a feed."""
        t, urls, views = self.cat[lang], self.urls, self.views
        info = self.term_context(lang, name, term_id)
        cards = [views.card(s, lang) for s in views.by_term[name][term_id]]
        template = f"{name[:-1] if name.endswith('s') else name}.html"
        if template not in self.env.list_templates():
            template = "term.html"
        self.paginate(lang, cards, lambda o, n: urls.term(o, name, term_id, n), template,
                      info["label"], kind=name[:-1] if name.endswith("s") else name,
                      feeds=info.pop("feeds"), description=info["term_description"],
                      extra={**info, "related": views.related(name, term_id, lang)})
        if info["feed_url"]:
            self.render_feed(lang, urls.feed(lang, name, term_id), f"{t.site_name} – {info['label']}",
                             cards, urls.term(lang, name, term_id))

    def render_week(self, lang, name, term_id):
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
        url = urls.term(lang, name, term_id)
        ctx = self.base_context(lang, url, info["label"], kind="week", feeds=info.pop("feeds"),
                                description=info["term_description"],
                                alternates=views.alternates(lambda o: urls.term(o, name, term_id)))
        stories = views.by_term[name][term_id]
        ctx.update(info, groups=views.week_groups(stories, lang),
                   count_label=views.posts_count(lang, len(stories)), **links)
        self.write(url, "week.html", ctx)

    def render_search(self, lang):
        url = self.urls.special(lang, "search")
        ctx = self.base_context(lang, url, self.cat[lang].search_title, kind="search",
                                alternates=self.views.alternates(lambda o: self.urls.special(o, "search")))
        self.write(url, "search.html", ctx)

    def render_404(self):
        lang = self.site.default_lang
        ctx = self.base_context(lang, "404.html", self.cat[lang].not_found_title, kind="404",
                                alternates=[])
        self.sitemap.pop(self.urls.absolute("404.html"), None)
        ctx["others"] = [{"lang": o, "t": self.cat[o], "home": self.urls.absolute(self.urls.home(o))}
                         for o in self.site.languages if o != lang]
        self.write("404.html", "404.html", ctx)

    # -- feeds and sitemap ---------------------------------------------------------------------
    def render_feed(self, lang, path, title, cards, home):
        items = cards[: setting(self.settings, "DIGEST_FEED_ITEMS")]
        key = digest(self.render_base, "feed", lang, path, title, items, home) if self.render_base else None
        if self.out.keep(path, key):
            return
        domain = self.settings.get("FEED_DOMAIN") or self.urls.siteurl
        feed = DigestFeed(title=title, link=f"{domain}/{home}", description=self.cat[lang].tagline,
                          language=lang, feed_url=f"{domain}/{path}",
                          feed_guid=f"{domain}/{path}")
        feed.fallback_date = max((card.post.date for card in cards), default=None)
        for card in items:
            if card.untranslated:
                continue
            post = card.post
            feed.add_item(title=post.title, link=card.url, unique_id=card.url,
                          # Atom's <summary type="html"> is rendered as HTML by readers: the
                          # excerpt is plain text, so it is escaped (the body is already sanitised).
                          description=html_escape(post.excerpt), content=post.html,
                          pubdate=post.date,
                          updateddate=post.meta.get("modified") or post.date,
                          author_name=post.author or None,
                          categories=[l.label for links in card.terms.values() for l in links])
        self.out.write(path, feed.writeString("utf-8"), key)

    def write_sitemap(self):
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                 'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
        for url, alternates in self.sitemap.items():
            lines.append(f"  <url><loc>{escape(url)}</loc>")
            if len(alternates) > 1:
                for lang, alt in alternates:
                    lines.append(f'    <xhtml:link rel="alternate" hreflang={quoteattr(lang)} '
                                 f"href={quoteattr(alt)}/>")
            lines.append("  </url>")
        lines.append("</urlset>\n")
        self.out.write("sitemap.xml", "\n".join(lines))
        self.out.write("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: "
                                     f"{self.urls.absolute('sitemap.xml')}\n")
