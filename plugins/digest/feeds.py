"""Atom feeds and the sitemap."""

from __future__ import annotations

from html import escape as html_escape
from xml.sax.saxutils import escape, quoteattr

from feedgenerator import Atom1Feed

from .config import setting
from .fingerprint import digest


class DigestFeed(Atom1Feed):
    """An Atom feed whose <updated> never depends on the clock: a term feed can be empty in a
    language where its stories are not translated yet, and feedgenerator would then write now(),
    so the file would change on every build."""

    fallback_date = None

    def latest_post_date(self):
        if not self.items and self.fallback_date is not None:
            return self.fallback_date
        return super().latest_post_date()


def write_feed(renderer, lang, path, title, cards, home):
    """The Atom feed of a listing: its newest posts, full text."""
    self = renderer
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


def write_sitemap(renderer):
    """Every page with its language alternates, and robots.txt pointing to it."""
    self = renderer
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    entries = [item for lang in self.site.languages for item in self.sitemap.get(lang, {}).items()]
    for url, alternates in entries:
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
