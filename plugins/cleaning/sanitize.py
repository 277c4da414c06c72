"""Allow-list HTML sanitising (nh3), tracking-parameter stripping and source URL validation.

What may reach a page: text, p, h2-h6 (a body h1 becomes h2: the page owns its h1), links, images, lists,
quotes, code, emphasis, tables, figures and a few inline elements. No script, style, frame, object,
embed or form, no on* or style attribute, no URL scheme but http, https, mailto (and relative links).
"""

from __future__ import annotations

import functools
import html
import re
from urllib.parse import unquote_plus, urlsplit, urlunsplit

import nh3

from .markup import STRIDE, split_tokens

ALLOWED_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 a img ul ol li blockquote code pre em strong br hr "
    "table thead tbody tfoot tr th td caption colgroup col figure figcaption sup sub abbr del ins".split()
)
_ANCHOR_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "li", "sup", "a")  # ids for heading anchors and footnotes
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
    "code": {"class"},
    "pre": {"class"},
    **{tag: {"id"} for tag in _ANCHOR_TAGS if tag != "a"},
}
# Removed with everything inside them (a script's text or a form's labels are not prose).
_DROPPED_WITH_CONTENT = frozenset(
    "script style iframe frame frameset object embed applet noscript noembed noframes template "
    "textarea select option button form svg math title head xmp plaintext".split()
)
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_IMAGE_SCHEMES = frozenset({"http", "https"})

# Query (or fragment) parameters that only track the reader. Prefixes end with "_".
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "oly_")
TRACKING_PARAMS = frozenset(
    "fbclid gclid gclsrc dclid gbraid wbraid msclkid yclid twclid ttclid li_fat_id igshid igsh "
    "mc_cid mc_eid ref_src ref_url xtor at_medium at_campaign at_platform at_creation at_send_date "
    "_ga _gl _hsenc _hsmi __hssc __hstc __hsfp hsctatracking mkt_tok vero_id vero_conv wickedid "
    "s_cid ncid cmpid sr_share spm scid ito".split()
)

_NUMBER = re.compile(r"^\d{1,4}$")
_IDENT = re.compile(r"^[A-Za-z][\w:.-]{0,80}$")
_LANGUAGE_CLASS = re.compile(r"^language-[\w+#.-]{1,40}$")
# Browsers ignore ASCII whitespace and control characters inside a URL scheme ("jav\tascript:").
_URL_JUNK = re.compile(r"[\x00-\x20\x7f]+")
_URL_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see ("javascript" for "  JaVa&#x09;script:..."), None if relative."""
    cleaned = _URL_JUNK.sub("", html.unescape(url))
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*):", cleaned)
    return match.group(1).lower() if match else None


def strip_tracking(url: str) -> str:
    """`url` without utm_* and other tracking parameters (query and fragment); unchanged otherwise."""
    if not url or ("?" not in url and "#" not in url):
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    query = _without_tracking(parts.query)
    fragment = _without_tracking(parts.fragment) if "=" in parts.fragment else parts.fragment
    if query == parts.query and fragment == parts.fragment:
        return url
    return urlunsplit(parts._replace(query=query, fragment=fragment))


def _without_tracking(params):
    kept = []
    for pair in params.split("&"):
        name = unquote_plus(pair.split("=", 1)[0]).strip().lower()
        if name.startswith(TRACKING_PREFIXES) or name in TRACKING_PARAMS:
            continue
        kept.append(pair)
    return "&".join(kept)


def safe_source_url(url) -> str | None:
    """An http(s) URL with a host, without tracking parameters; None for anything else (javascript:...)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or _URL_JUNK.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return strip_tracking(url)


def _filter_attribute(tag, name, value):
    if name in ("href", "src"):
        if _URL_CONTROL.search(value):
            return None  # a NUL (the parser makes it U+FFFD) or a control character: never a real link
        scheme = url_scheme(value)
        allowed = _IMAGE_SCHEMES if tag == "img" else LINK_SCHEMES
        if scheme is not None and scheme not in allowed:
            return None
        return strip_tracking(value)
    if name in ("width", "height", "start", "colspan", "rowspan", "span"):
        return value if _NUMBER.match(value.strip()) else None
    if name == "id":
        return value if _IDENT.match(value) else None
    if name == "class":
        classes = [c for c in value.split() if _LANGUAGE_CLASS.match(c)]
        return " ".join(classes) or None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(_DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_filter_attribute,
    url_schemes=set(LINK_SCHEMES),
    link_rel=None,  # set below, on external links only
    strip_comments=True,
)

_HREF = re.compile(r'\shref="([^"]*)"')
# In nh3's output a "<" starts a tag or sits inside an attribute value (in text it is "&lt;", and
# every value is written in double quotes). Without a "<" in a value, a tag is found by its start.
_LT_IN_VALUE = re.compile(r'="[^"]*<')
_A_START = re.compile(r'<a\s(?:[^<>"]|"[^"]*")*>')  # no "<" outside values: linear on "<a <a <a"


def sanitize_html(markup: str, *, site_url: str | None = None) -> str:
    """Allow-listed HTML; body h1 -> h2; rel="noopener noreferrer" on links to another host than site_url."""
    if not markup:
        return markup
    cleaned = _CLEANER.clean(markup)
    if "<h1" not in cleaned and "<a" not in cleaned:
        return cleaned  # no heading or link to rewrite
    site_host = _host(site_url) if site_url else None
    if _LT_IN_VALUE.search(cleaned):
        return _rewrite_tags(cleaned, site_host)
    if "<h1" in cleaned:
        cleaned = cleaned.replace("<h1", "<h2").replace("</h1>", "</h2>")
    return _A_START.sub(lambda match: _with_rel(match.group(), site_host), cleaned)


def _rewrite_tags(cleaned, site_host):
    """sanitize_html's rewrite when an attribute value holds a "<": every tag found, in one pass
    at C speed, and only an h1 or an <a> start tag rewritten."""
    parts = split_tokens(cleaned)
    tags, slashes, names = parts[1::STRIDE], parts[2::STRIDE], parts[3::STRIDE]
    for index, name in enumerate(names):
        if name is None or name[0] not in "aAhH":
            continue
        name = name.lower()
        if name == "h1":
            tags[index] = tags[index].replace("h1", "h2", 1)
        elif name == "a" and not slashes[index]:
            tags[index] = _with_rel(tags[index], site_host)
    out = [None] * (2 * len(tags) + 1)  # the texts, with the tags put back between them
    out[::2] = parts[::STRIDE]
    out[1::2] = tags
    return "".join(out)


def _with_rel(tag, site_host):
    """An <a ...> start tag, with rel="noopener noreferrer" when it links to another host."""
    href = _HREF.search(tag)
    if href and _is_external(html.unescape(href.group(1)), site_host):
        return tag[:-1] + ' rel="noopener noreferrer">'
    return tag


@functools.lru_cache(maxsize=16)
def _host(url):
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def _is_external(href, site_host):
    scheme = url_scheme(href)
    if scheme not in ("http", "https") and not (scheme is None and href.startswith("//")):
        return False
    host = _host(href)
    return not site_host or host != site_host
