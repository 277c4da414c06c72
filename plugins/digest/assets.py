"""What an article page brings beside its HTML: its picture's files, its social card, and the body
made ready for the page (the picture's place, bare addresses that wrap cleanly). No Pelican import.
"""

from __future__ import annotations

import os
import re

from . import images, profiles, social
from .fingerprint import digest
from .urls import Urls

_FIRST_PARAGRAPH = re.compile(r"\A\s*<p>.*?</p>\n?", re.S)


_BARE_LINK = re.compile(r'(<a href="([^"<>]+)"[^<>]*>)(https?://[^<>]+|www\.[^<>]+)(</a>)')
_BREAK_AFTER = re.compile(r"([/?&=#]+|[.\-_](?=\w))")


def breakable_links(html):
    """A link whose text is its address (a bare URL the autolink made) may break after a slash, a
    dot or a hyphen (<wbr>), not in the middle of a word, when it is wider than the column."""
    if "://" not in html and "www." not in html:
        return html

    def soften(match):
        start, href, text, end = match.groups()
        if text.replace("&amp;", "&") not in href.replace("&amp;", "&"):
            return match.group(0)
        scheme, _, rest = text.partition("://") if "://" in text else ("", "", text)
        head = f"{scheme}://" if scheme else ""
        return start + head + _BREAK_AFTER.sub(r"\1<wbr>", rest) + end

    return _BARE_LINK.sub(soften, html)


def split_lead(html):
    """(the body's first paragraph, the rest): the story's picture goes between them, so the
    first lines of the story are on the first screen of a phone."""
    match = _FIRST_PARAGRAPH.match(html or "")
    if not match:
        return "", html
    return html[:match.end()], html[match.end():]


def write_picture(out, picture, render_base):
    """The resized files of a story's picture, in the output (once per build, by the process that
    renders the story's original language)."""
    key = digest(render_base, picture.digest) if render_base else None
    for _width, _height, save_as in picture.variants:
        if out.keep(save_as, key):
            continue
        name = save_as.rsplit("/", 1)[-1]
        out.write(save_as, images.variant_bytes(picture.extra["cache"], name, picture.extra["data"]),
                  key)


def social_card(out, urls, render_base, settings, card, site_name, lang, default_lang, url):
    """The article's 1200x630 title card: {"url", "width", "height", "alt"}. Drawn only when what it
    shows changed (the card cache), written only when its output key changed."""
    term = card.lead_term
    mark = {"initials": profiles.initials(term.label(lang, default_lang)),
            "colour": (term.data or {}).get("color") or profiles.DEFAULT_COLOUR} if term else \
        {"initials": "", "colour": profiles.DEFAULT_COLOUR}
    picture = None
    if card.picture:
        _w, _h, sized = card.picture.variants[min(1, len(card.picture.variants) - 1)]
        cache_dir = card.picture.extra["cache"]
        picture = os.path.join(cache_dir, sized.rsplit("/", 1)[-1]) if cache_dir else \
            card.picture.source
    key = digest(social.VERSION, card.title, site_name, card.date_label, mark,
                 card.picture.digest if card.picture else "")
    save_as = Urls.save_as(url).rsplit("/", 1)[0] + "/card.png"
    # The output key also holds the build-wide one (like a page's); the card cache only what the
    # card shows: a template change writes the cards again from the cache, it does not redraw them.
    out_key = digest(render_base, key) if render_base else None
    if not out.keep(save_as, out_key):
        cache = settings.get("CACHE_PATH")
        data = social.cached_card(
            os.path.join(cache, "digest-cards") if cache else None, key,
            lambda: social.card_png(title=card.title, site_name=site_name,
                                    date_label=card.date_label, colour=mark["colour"],
                                    initials=mark["initials"], picture=picture))
        out.write(save_as, data, out_key)
    return {"url": urls.absolute(save_as), "width": social.WIDTH, "height": social.HEIGHT,
            "alt": card.title}
