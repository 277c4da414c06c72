"""The generator that writes every page of every language in one Pelican run."""

from __future__ import annotations

import logging
import math
import os
from collections import OrderedDict
from xml.sax.saxutils import escape, quoteattr

from feedgenerator import Atom1Feed
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pelican.generators import Generator

from . import signals
from .assemble import assemble, fill_missing, post_from_content
from .config import setting
from .filters import FILTERS
from .i18n import Catalogue
from .output import Output
from .urls import Urls
from .views import Views

logger = logging.getLogger(__name__)


class SiteGenerator(Generator):
    """Builds the Site model after Pelican has read the content, then renders it."""

    def generate_context(self):
        report = self.settings["DIGEST_REPORT"]
        articles = self.context.get("digest_articles", [])
        pages = self.context.get("digest_pages", [])
        self.site = assemble(articles, pages, self.settings, report)
        self.site.make_post = self.make_post
        signals.site_assembled.send(self.site)
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
        env = Environment(loader=FileSystemLoader(theme), autoescape=True, trim_blocks=True,
                          lstrip_blocks=True, undefined=StrictUndefined)
        env.filters.update(FILTERS)
        return env

    def generate_output(self, writer):
        del writer  # we write our own files (see Output)
        self.env = self._env()
        self.out = Output(self.output_path, self.settings)
        self.sitemap = OrderedDict()  # url -> alternates
        site = self.site
        for lang in site.languages:
            self.render_listing(lang)
            self.render_articles(lang)
            self.render_pages(lang)
            for name in site.taxonomies:
                self.render_taxonomy(lang, name)
            self.render_feed(lang, self.urls.feed(lang), self.cat[lang].site_name,
                             self.views.listing[lang], self.urls.home(lang))
            self.render_search(lang)
        self.render_404()
        self.write_sitemap()
        for lang, key in sorted(self.cat.missing):
            site.report.warning("content/data/ui.yaml", f"no '{key}' string for '{lang}'; the "
                                f"{site.default_lang} one is used", field=key,
                                fix=f"add {key}: ... under {lang}:")
        self.out.finish()

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
        for name in self.site.taxonomies:
            nav.append({"label": t[f"nav_{name}"],
                        "url": self.urls.absolute(self.urls.taxonomy(lang, name))})
        nav.append({"label": t.nav_archives, "url": self.urls.absolute(self.urls.special(lang, "archives"))})
        about = self.site.pages.get("about", {})
        if lang in about:
            nav.append({"label": about[lang].title,
                        "url": self.urls.absolute(self.urls.page(lang, "about"))})
        return {
            "lang": lang, "t": t, "kind": kind, "SITEURL": self.urls.siteurl,
            "THEME_URL": f"{self.urls.siteurl}/{self.settings.get('THEME_STATIC_DIR', 'theme')}",
            "site_name": t.site_name, "title": title, "description": description or t.tagline,
            "url": absolute, "canonical": absolute, "alternates": alternates,
            "x_default": default_url, "switch": switch, "nav": nav,
            "feeds": feeds or [{"title": t.site_name, "url": self.urls.absolute(self.urls.feed(lang))}],
            "search_url": self.urls.absolute(self.urls.special(lang, "search")),
            "home_url": self.urls.absolute(self.urls.home(lang)),
            "og_type": "website",
        }

    def write(self, url, template, ctx):
        html = self.env.get_template(template).render(ctx)
        self.out.write(Urls.save_as(url), html)

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
        self.paginate(lang, self.views.listing[lang], self.urls.home, "index.html", t.site_name,
                      "home")
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
            ctx = self.base_context(
                lang, url, post.title, kind="article", description=post.summary or post.excerpt,
                alternates=views.alternates(
                    lambda o: views.post_url(story.versions[o]) if o in story.versions else None))
            ctx.update(
                post=post, card=card, og_type="article",
                newer=views.card(newer, lang) if newer else None,
                older=views.card(older, lang) if older else None,
                original=original if original.lang != lang else None,
                original_url=urls.absolute(views.post_url(original)),
                original_lang_name=setting(self.settings, "DIGEST_LANGUAGES")[original.lang]["name"],
                modified_iso=(post.meta.get("modified") or post.date).isoformat(),
            )
            self.write(url, "article.html", ctx)

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
        tax = self.site.taxonomies[name]
        index_url = urls.taxonomy(lang, name)
        ctx = self.base_context(lang, index_url, t[f"{name}_title"], kind=f"{name}-index",
                                alternates=views.alternates(lambda o: urls.taxonomy(o, name)))
        ctx.update(taxonomy=name, terms=views.terms_with_posts(name, lang))
        self.write(index_url, "taxonomy_index.html", ctx)
        template = f"{name[:-1] if name.endswith('s') else name}.html"
        if template not in self.env.list_templates():
            template = "term.html"
        for term_id, stories in views.by_term[name].items():
            term = tax.terms.get(term_id)
            if term is None or not stories:
                continue
            label = term.label(lang, self.site.default_lang)
            cards = [views.card(s, lang) for s in stories]
            feed_url = urls.feed(lang, name, term_id)
            feeds = [{"title": t.site_name, "url": urls.absolute(urls.feed(lang))},
                     {"title": f"{t.site_name} – {label}", "url": urls.absolute(feed_url)}]
            description = term.descriptions.get(lang) or term.descriptions.get(self.site.default_lang, "")
            self.paginate(lang, cards, lambda o, n: urls.term(o, name, term_id, n), template, label,
                          kind=name[:-1] if name.endswith("s") else name, feeds=feeds,
                          description=description,
                          extra={"taxonomy": name, "term": term, "label": label,
                                 "term_description": description,
                                 "related": views.related(name, term_id, lang),
                                 "feed_url": urls.absolute(feed_url)})
            if tax.feeds:
                self.render_feed(lang, feed_url, f"{t.site_name} – {label}", cards,
                                 urls.term(lang, name, term_id))

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
        domain = self.settings.get("FEED_DOMAIN") or self.urls.siteurl
        feed = Atom1Feed(title=title, link=f"{domain}/{home}", description=self.cat[lang].tagline,
                         language=lang, feed_url=f"{domain}/{path}",
                         feed_guid=f"{domain}/{path}")
        for card in cards[: setting(self.settings, "DIGEST_FEED_ITEMS")]:
            if card.untranslated:
                continue
            post = card.post
            feed.add_item(title=post.title, link=card.url, unique_id=card.url,
                          description=post.excerpt, content=post.html, pubdate=post.date,
                          updateddate=post.meta.get("modified") or post.date,
                          author_name=post.author or None,
                          categories=[l.label for links in card.terms.values() for l in links])
        self.out.write(path, feed.writeString("utf-8"))

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
