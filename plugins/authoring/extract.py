"""An article out of an HTML page: Markdown body (trafilatura) and the page's own metadata.

Metadata comes from what the publisher declares (og:title, article:published_time, og:site_name,
link rel=canonical), trafilatura's guesses only filling gaps. Links are made absolute against the
page's address and lose their tracking parameters before extraction, so the Markdown holds clean
links only; a relative link on a page whose address is unknown becomes plain text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from cleaning.sanitize import strip_tracking

from .errors import AuthoringError

@dataclass
class Extracted:
    title: str | None
    markdown: str
    date: str | None  # as the page wrote it (ISO 8601 mostly)
    site_name: str | None
    url: str | None  # canonical address when the page gives one
    author: str | None
    lang: str | None  # <html lang>, a hint only
    found: dict  # field -> where it came from, for the summary
    left_out: list = field(default_factory=list)  # the page's text blocks not in the article, in order


def decode_html(data) -> str:
    if isinstance(data, str):
        return data
    from trafilatura.utils import decode_file

    return decode_file(data)


def _meta(tree, *names):
    """First non-empty content of <meta property|name=...> among `names`, in that order."""
    for name in names:
        for attr in ("property", "name", "itemprop"):
            for node in tree.xpath(f'//meta[@{attr}="{name}"]'):
                value = " ".join((node.get("content") or "").split())
                if value:
                    return value, f"<meta {attr}=\"{name}\">"
    return None, None


def _json_ld(tree):
    """schema.org Article fields declared in JSON-LD blocks (NewsArticle, BlogPosting...)."""
    out = {}
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for item in items:
            if isinstance(item, dict) and str(item.get("@type", "")).endswith(("Article", "Posting")):
                for key in ("headline", "datePublished"):
                    if isinstance(item.get(key), str) and key not in out:
                        out[key] = item[key]
    return out


def _title_and_site(tree):
    """(page title, site name) from <title> "Headline | Site" (also – — · : separators)."""
    raw = " ".join("".join(tree.xpath("//head/title//text()")).split())
    if not raw:
        return None, None
    parts = re.split(r"\s+[|–—·•]\s+|\s+-\s+", raw)
    if len(parts) >= 2 and len(parts[-1]) <= 40:
        return " - ".join(parts[:-1]) if len(parts) > 2 else parts[0], parts[-1]
    return raw, None


def _is_http(url) -> bool:
    """An http(s) address with a host; False for one urllib cannot read (a page's href is anyone's)."""
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
    except ValueError:
        return False


def _join(base, href):
    try:
        return urljoin(base, href)
    except ValueError:
        return href


def _rewrite_links(tree, base):
    """Absolute, tracking-free links; links that cannot be made absolute http(s) lose their <a>."""
    for link in tree.xpath("//a"):
        href = (link.get("href") or "").strip()
        target = _join(base, href) if base and href else href
        if _is_http(target):
            link.set("href", strip_tracking(target))
        else:
            link.drop_tag()


# Elements that make a block of text on screen; <button>, <a>, <span>... are read inside their block.
_BLOCK_TAGS = frozenset("""address article aside blockquote dd div dl dt figcaption figure footer form h1 h2 h3
    h4 h5 h6 header li main nav ol p pre section table td th tr ul""".split())
_VISIBLE_TEXT = ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"


def _page_blocks(tree):
    """The text of each innermost block of the page's <body>, in page order (script and style
    aside): what a reader of the page saw, to tell the editor which of it the article left out."""
    blocks = []
    for body in tree.xpath("//body"):
        for node in body.iter():
            if not isinstance(node.tag, str) or node.tag.lower() not in _BLOCK_TAGS:
                continue
            if any(isinstance(d.tag, str) and d.tag.lower() in _BLOCK_TAGS for d in node.iterdescendants()):
                continue
            text = " ".join(" ".join(node.xpath(_VISIBLE_TEXT)).split())
            if text:
                blocks.append(text)
    return blocks


# No ( in the address: from every "](" of "](](](..." it ran to the end of the line (quadratic).
_LINK_TARGET = re.compile(r"(?<=\])\([^()\s]*(?:\s+\"[^\"]*\")?\)")


def _words(text):
    return " ".join(re.findall(r"\w+", text.casefold()))


def left_out(blocks, markdown):
    """The blocks whose words are not in the extracted Markdown (navigation, banners, share bars,
    bylines... and any article text the extractor missed, which the editor must see)."""
    kept = f" {_words(_LINK_TARGET.sub('', markdown))} "  # a link's address is not words of the page
    return [block for block in blocks if _words(block) and f" {_words(block)} " not in kept]


_BLOCK_START = re.compile(r"^\s*([-*+]\s|\d{1,3}[.)]\s|#{1,6}\s|>|\|)")


def _unwrap(markdown):
    """One line per paragraph, list item or heading: trafilatura keeps the page source's line
    wraps, and the cleaning core judges whole lines (a wrapped fragment is not a paragraph)."""
    out, fence = [], None
    for line in markdown.split("\n"):
        marker = re.match(r"^\s*(`{3,}|~{3,})", line)
        if fence or marker:
            out.append(line)
            if marker and (fence is None or marker.group(1).startswith(fence)):
                fence = None if fence else marker.group(1)[:3]
            continue
        if line.strip() and out and out[-1].strip() and not _BLOCK_START.match(line) \
                and not out[-1].lstrip().startswith(("#", "|")):
            out[-1] = f"{out[-1].rstrip()} {line.strip()}"
        else:
            out.append(line.rstrip())
    return "\n".join(out)


def _top_heading_as_line(markdown):
    """The article's own headline (a top `# ` line before any paragraph) as a plain line, so the
    cleaning core's title-repeat rule judges it like any repeated headline; other headings shift
    so that the body's highest level is ## (the page title is the only h1)."""
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if re.match(r"#\s", line):
            lines[i] = line[2:].strip()
        break
    levels = [len(m.group(1)) for m in (re.match(r"(#{1,6})\s", ln) for ln in lines) if m]
    shift = 2 - min(levels) if levels else 0
    if shift:
        lines = [re.sub(r"^(#{1,6})(?=\s)", lambda m: "#" * max(2, min(6, len(m.group(1)) + shift)), ln)
                 for ln in lines]
    return "\n".join(lines)


def extract_article(data, *, url: str | None = None) -> Extracted:
    """The article in an HTML page (`data`: bytes or str). `url`: where it was fetched from."""
    from trafilatura import extract
    from trafilatura.metadata import extract_metadata
    from trafilatura.utils import load_html

    tree = load_html(decode_html(data))
    if tree is None:
        raise AuthoringError("the page could not be parsed as HTML")
    found = {}
    ld = _json_ld(tree)
    head_title, head_site = _title_and_site(tree)
    fallback = extract_metadata(tree)  # before _rewrite_links: it reads the original page

    title, where = _meta(tree, "og:title", "twitter:title")
    if not title and ld.get("headline"):
        title, where = ld["headline"], "JSON-LD headline"
    if not title and head_title:
        title, where = head_title, "<title>"
    if not title and fallback and fallback.title:
        title, where = fallback.title, "trafilatura"
    found["title"] = where

    date, where = _meta(tree, "article:published_time", "datePublished", "date", "pubdate",
                        "DC.date.issued", "og:published_time")
    if not date and ld.get("datePublished"):
        date, where = ld["datePublished"], "JSON-LD datePublished"
    if not date and fallback and fallback.date:
        date, where = fallback.date, "trafilatura (date found in the page)"
    found["date"] = where

    site, where = _meta(tree, "og:site_name", "application-name")
    if not site and head_site:
        site, where = head_site, "<title> suffix"
    found["site_name"] = where

    canonical = None
    for node in tree.xpath('//link[@rel="canonical"][@href]'):
        candidate = _join(url or "", node.get("href").strip())
        if _is_http(candidate):
            canonical, found["url"] = candidate, '<link rel="canonical">'
            break
    if not canonical:
        og_url, where = _meta(tree, "og:url")
        if og_url and _is_http(og_url):
            canonical, found["url"] = og_url, where
    if not canonical and url:
        canonical, found["url"] = url, "the fetched address"

    author, where = _meta(tree, "author", "article:author", "parsely-author")
    if author and _is_http(author):
        author = None  # article:author is often a profile URL
    found["author"] = where if author else None

    lang = (tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip()
    lang = lang.split("-")[0].lower() or None

    bases = tree.xpath("//base[@href]/@href")
    _rewrite_links(tree, urljoin(url or canonical or "", bases[0].strip()) if bases else (url or canonical))
    blocks = _page_blocks(tree)  # before extract(), which may prune the tree it is given
    markdown = extract(tree, output_format="markdown", include_links=True, include_formatting=True,
                       include_tables=True, include_images=False, include_comments=False,
                       deduplicate=False, url=canonical)
    if not markdown or not markdown.strip():
        raise AuthoringError("no article text found in the page (is it a front page or behind a login?)")
    return Extracted(title=title, markdown=_top_heading_as_line(_unwrap(markdown.strip())), date=date,
                     site_name=site, url=strip_tracking(canonical) if canonical else None,
                     author=author, lang=lang, found=found, left_out=left_out(blocks, markdown))
