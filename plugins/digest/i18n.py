"""UI strings and dates per language.

A YAML catalogue (content/data/ui.yaml) rather than gettext: editors change wording without a
compile step, a third language is one more mapping in the same file, and a missing key falls back to
the default language and is reported instead of showing a msgid. Dates come from Babel's CLDR data,
so every locale Babel knows works without system locales.

Dates: each language's CLDR "long" date ("1er août 2024"; in English the en_US style, "August 1,
2024", the one English style of the whole site); a span of days reads as a person writes it ("du 18
au 24 mars 2024", "March 18–24, 2024") through the `dates_*` strings. Every string is typeset for
its language by the same code as the posts (signals.text_shown).
"""

from __future__ import annotations

import re

from babel.dates import format_date
from babel.lists import format_list

from . import signals
from .config import data_path, languages, read_yaml, setting

_LONE_ONE = re.compile(r"(?<!\d)1(?!\d)")


def typeset(text, lang):
    """`text` as the site shows it in `lang`: typeset by whoever answers signals.text_shown."""
    if not isinstance(text, str) or not text:
        return text
    for receiver in signals.text_shown.receivers_for(lang):
        text = receiver(lang, text=text)
    return text


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
        own = {lang: {key: typeset(value, lang) for key, value in (data.get(lang) or {}).items()}
               for lang in self.languages}
        base = own.get(self.default, {})
        self.strings = {lang: Strings(own[lang], base, lang, self.missing) for lang in self.languages}
        # Proper names of the translation services, the same in every language.
        self.providers = {str(k): str(v) for k, v in (data.get("providers") or {}).items()}
        # Known up front, not only when a page asks: a rebuild that renders nothing still warns.
        for lang in self.languages:
            self.missing.update((lang, key) for key in base if key not in (data.get(lang) or {}))

    def __getitem__(self, lang):
        return self.strings[lang]

    def date(self, value, lang, fmt="long"):
        key = (value.year, value.month, value.day, lang, fmt)
        text = self._dates.get(key)
        if text is None:
            text = format_date(value, format=fmt, locale=self.locales.get(lang, lang))
            if value.day == 1 and fmt in ("long", "medium", "full", "d MMMM"):
                text = _LONE_ONE.sub(self.first_day(lang), text, count=1)
            self._dates[key] = text
        return text

    def first_day(self, lang):
        """How the language writes the first of a month: "1er" in French."""
        return dict.get(self.strings[lang], "first_of_month") or "1"

    def span(self, start, end, lang):
        """Two dates as a span, the parts they share written once ("18 au 24 mars 2024")."""
        locale = self.locales.get(lang, lang)

        def parts(value):
            day = self.first_day(lang) if value.day == 1 else str(value.day)
            month = self._dates.get((value.month, lang, "MMMM"))
            if month is None:  # Babel parses the pattern on every call: once per month and language
                month = self._dates[(value.month, lang, "MMMM")] = format_date(value, "MMMM",
                                                                               locale=locale)
            return day, month, str(value.year)

        (d1, m1, y1), (d2, m2, y2) = parts(start), parts(end)
        key = ("dates_same_month" if (m1, y1) == (m2, y2) else
               "dates_same_year" if y1 == y2 else "dates_other_year")
        return self[lang].format(key, d1=d1, m1=m1, y1=y1, d2=d2, m2=m2, y2=y2)

    def join(self, items, lang):
        """'OpenAI, Google et Anthropic': the language's way of listing names."""
        items = list(items)
        return format_list(items, locale=self.locales.get(lang, lang)) if items else ""

    def provider(self, provider_id):
        """A translation service by its proper name ("libre" -> "LibreTranslate")."""
        return self.providers.get(provider_id) or provider_id
