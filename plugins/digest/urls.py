"""The URL contract, for every language. All site URLs are built here and nowhere else."""

from __future__ import annotations

from .config import languages, setting


class Urls:
    def __init__(self, settings):
        self.langs = setting(settings, "DIGEST_LANGUAGES")
        self.default = languages(settings)[0]
        self.siteurl = (settings.get("SITEURL") or "").rstrip("/")

    def prefix(self, lang):
        prefix = self.langs[lang].get("prefix", "" if lang == self.default else lang)
        return f"{prefix.strip('/')}/" if prefix else ""

    def segment(self, lang, name):
        return self.langs[lang].get("segments", {}).get(name, name)

    @staticmethod
    def paged(url, page):
        return url if page <= 1 else f"{url}page/{page}/"

    def home(self, lang, page=1):
        return self.paged(self.prefix(lang), page)

    def article(self, lang, date, slug):
        # year and month as numbers: strftime ({date:%Y}) cost 3 us a call
        return f"{self.prefix(lang)}{date.year:04d}/{date.month:02d}/{slug}/"

    def page(self, lang, slug):
        return f"{self.prefix(lang)}{slug}/"

    def special(self, lang, name):
        """archives/, search/ ... with the language's word for it."""
        return f"{self.prefix(lang)}{self.segment(lang, name)}/"

    def taxonomy(self, lang, taxonomy):
        return self.special(lang, taxonomy)

    def term(self, lang, taxonomy, term_id, page=1):
        return self.paged(f"{self.special(lang, taxonomy)}{term_id}/", page)

    def feed(self, lang, taxonomy=None, term_id=None):
        if taxonomy:
            return f"{self.special(lang, taxonomy)}{term_id}/feed.atom.xml"
        return f"{self.prefix(lang)}feeds/all.atom.xml"

    @staticmethod
    def save_as(url):
        return url + "index.html" if url == "" or url.endswith("/") else url

    def absolute(self, url):
        return f"{self.siteurl}/{url}"
