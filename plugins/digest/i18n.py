"""UI strings and dates per language.

A YAML catalogue (content/data/ui.yaml) rather than gettext: editors change wording without a
compile step, a third language is one more mapping in the same file, and a missing key falls back to
the default language and is reported instead of showing a msgid. Dates come from Babel's CLDR data,
so every locale Babel knows works without system locales.
"""

from __future__ import annotations

from babel.dates import format_date

from .config import data_path, languages, read_yaml, setting


class Strings(dict):
    """One language's strings; a missing key falls back to the default language (and is reported)."""

    def __init__(self, own, fallback, lang, missing):
        super().__init__(own)
        self._fallback = fallback
        self._lang = lang
        self._missing = missing

    def __missing__(self, key):
        self._missing.add((self._lang, key))
        return self._fallback.get(key, key)

    def __getattr__(self, key):
        if key.startswith("_"):
            raise AttributeError(key)
        return self[key]

    def format(self, key, **values):
        return self[key].format(**values)

    def cache_key(self):
        return self._lang  # the strings come from ui.yaml, in the build-wide render key


class Catalogue:
    def __init__(self, settings):
        data = read_yaml(data_path(settings, "ui.yaml")) or {}
        self.languages = languages(settings)
        self.default = self.languages[0]
        self.locales = {lang: info.get("locale", lang)
                        for lang, info in setting(settings, "DIGEST_LANGUAGES").items()}
        self.missing: set = set()
        self._dates: dict = {}
        base = data.get(self.default, {})
        self.strings = {lang: Strings(data.get(lang, {}), base, lang, self.missing)
                        for lang in self.languages}
        # Known up front, not only when a page asks: a rebuild that renders nothing still warns.
        for lang in self.languages:
            self.missing.update((lang, key) for key in base if key not in (data.get(lang) or {}))

    def __getitem__(self, lang):
        return self.strings[lang]

    def date(self, value, lang, fmt="long"):
        key = (value.year, value.month, value.day, lang, fmt)
        text = self._dates.get(key)
        if text is None:
            text = self._dates[key] = format_date(value, format=fmt, locale=self.locales.get(lang, lang))
        return text
