"""Serve a built site under a subpath, as GitHub Pages does for a project site, and crawl it.

`SubpathServer(output, "repo")` answers /repo/... from output/ and 404s everything else, so a link
that escapes the subpath (a root-relative "/en/...") fails exactly as it would on
https://user.github.io/repo/. `crawl()` fetches every URL through that server and reports each
internal reference that does not answer 200, or whose #fragment names no element.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

LOCAL_HOSTS = {"127.0.0.1", "localhost", "site.test", "0.0.0.0", "[::1]"}
URL_ATTRS = {"href", "src", "action", "formaction", "poster", "data", "cite", "background"}
META_URL_KEYS = {"og:url", "og:image", "og:image:url", "twitter:image", "msapplication-tileimage"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:", "about:")


class _Handler(SimpleHTTPRequestHandler):
    prefix = "/repo"

    def translate_path(self, path):
        clean = urlsplit(path).path
        if clean == self.prefix:
            return self.directory  # a directory without its slash: the handler redirects, like Pages
        if not clean.startswith(self.prefix + "/"):
            return str(Path(self.directory) / ".outside-the-subpath" / "missing")
        return super().translate_path(path[len(self.prefix):])

    def log_message(self, *args):
        pass


class SubpathServer:
    """http://127.0.0.1:<port>/<subpath>/ serving `root`, on a free port, in a thread.

    The port is known before the build (SITEURL needs it); call serve(root) once output/ exists."""

    def __init__(self, subpath):
        self.subpath = subpath.strip("/")
        self.httpd = None
        self.thread = None
        self._sock_server = ThreadingHTTPServer(("127.0.0.1", 0), SimpleHTTPRequestHandler)
        self.port = self._sock_server.server_address[1]

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}/{self.subpath}/"

    def serve(self, root):
        handler = type("SubpathHandler", (_Handler,), {"prefix": f"/{self.subpath}"})
        self.httpd = self._sock_server
        self.httpd.RequestHandlerClass = partial(handler, directory=str(root))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def close(self):
        if self.thread:
            self.httpd.shutdown()
        self._sock_server.server_close()


@dataclass
class Resource:
    url: str
    status: int
    content_type: str = ""
    body: bytes = b""
    ids: set = field(default_factory=set)
    lang: str | None = None


@dataclass
class Report:
    base: str
    resources: dict = field(default_factory=dict)  # url (no fragment) -> Resource
    references: list = field(default_factory=list)  # (source, target url with fragment, kind)
    broken: list = field(default_factory=list)  # (source, target, reason)
    lang_links: list = field(default_factory=list)  # (source, target, hreflang)

    @property
    def pages(self):
        return [r for r in self.resources.values() if r.status == 200 and "html" in r.content_type]

    def summary(self):
        return (f"{len(self.resources)} URLs fetched ({len(self.pages)} HTML pages), "
                f"{len(self.references)} internal references checked, "
                f"{len(self.lang_links)} language links, {len(self.broken)} broken")


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return Resource(url, resp.status, resp.headers.get("Content-Type", ""), resp.read())
    except urllib.error.HTTPError as exc:
        return Resource(url, exc.code, exc.headers.get("Content-Type", "") if exc.headers else "")
    except (urllib.error.URLError, OSError) as exc:
        return Resource(url, 0, str(exc))


def kind_of(res):
    path = urlsplit(res.url).path
    ctype = res.content_type.split(";")[0].strip()
    if ctype == "text/html" or path.endswith((".html", "/")):
        return "html"
    if ctype == "text/css" or path.endswith(".css"):
        return "css"
    if path.endswith((".xml", ".atom", ".rss")) or ctype.endswith("xml"):
        return "xml"
    if path.endswith("robots.txt"):
        return "robots"
    if path.endswith(".pf_fragment"):
        return "pagefind-fragment"
    if path.endswith("pagefind-entry.json"):
        return "pagefind-entry"
    return "other"


def html_references(res, site_base):
    """(value, kind, base URL to resolve against) for every URL an HTML page refers to."""
    soup = BeautifulSoup(res.body, "html.parser")
    html = soup.find("html")
    res.lang = html.get("lang") if html else None
    res.ids = {t["id"] for t in soup.find_all(id=True)} | {
        t["name"] for t in soup.find_all("a", attrs={"name": True})}
    base_tag = soup.find("base", href=True)
    base = urljoin(res.url, base_tag["href"]) if base_tag else res.url
    out = []
    for tag in soup.find_all(True):
        for attr, value in tag.attrs.items():
            if isinstance(value, list):
                value = " ".join(value)
            value = (value or "").strip()
            if not value:
                continue
            if attr in URL_ATTRS and tag.name != "base":
                lang = tag.get("hreflang") if attr == "href" else None
                how = f"hreflang:{lang}" if lang and lang != "x-default" else f"{tag.name}[{attr}]"
                out.append((value, how, base))
            elif attr in ("srcset", "imagesrcset"):
                for candidate in value.split(","):
                    if candidate.strip():
                        out.append((candidate.split()[0], f"{tag.name}[{attr}]", base))
            elif attr == "content" and tag.name == "meta":
                key = (tag.get("property") or tag.get("name") or "").lower()
                if key in META_URL_KEYS:
                    out.append((value, f"meta[{key}]", base))
                elif (tag.get("http-equiv") or "").lower() == "refresh" and "url=" in value.lower():
                    out.append((value.split("=", 1)[1].strip("'\" "), "meta[refresh]", base))
            elif attr == "style":
                out += [(u, "style", base) for u in css_urls(value)]
            elif value.startswith(site_base) or (value.startswith("/") and not value.startswith("//")):
                # data-bundle, data-base...: whatever a script will load or build URLs from.
                out.append((value, f"{tag.name}[{attr}]", base))
    for style in soup.find_all("style"):
        out += [(u, "style", base) for u in css_urls(style.get_text())]
    return out


def css_urls(text):
    return [m.group(2) or m.group(4) for m in CSS_URL.finditer(text)]


def xml_references(res):
    try:
        root = ET.fromstring(res.body)
    except ET.ParseError as exc:
        return [], f"not well-formed XML: {exc}"
    out = []
    atom = "{http://www.w3.org/2005/Atom}"
    for el in root.iter():
        if el.get("href"):
            out.append((el.get("href"), el.tag.split("}")[-1] + "[href]", res.url))
        if el.tag.endswith("}loc") and el.text:
            out.append((el.text.strip(), "sitemap loc", res.url))
    for entry in root.iter(f"{atom}entry"):
        link = entry.find(f"{atom}link")
        entry_url = urljoin(res.url, link.get("href")) if link is not None else res.url
        for content in list(entry.iter(f"{atom}content")) + list(entry.iter(f"{atom}summary")):
            if content.get("type") == "html" and content.text:
                fake = Resource(entry_url, 200, "text/html", content.text.encode("utf-8"))
                out += [(v, f"feed content {k}", b) for v, k, b in html_references(fake, "\0")]
    return out, None


def pagefind_references(res, result_base):
    """A Pagefind fragment names the page a search result opens: result_base + its url."""
    data = gzip.decompress(res.body)
    data = data[len(b"pagefind_dcd"):] if data.startswith(b"pagefind_dcd") else data
    url = json.loads(data)["url"]
    return [(urljoin(result_base, url.lstrip("/")), "search result", result_base)]


def pagefind_entry_references(res):
    entry = json.loads(res.body)
    out = []
    for lang in entry.get("languages", {}).values():
        out.append((f"pagefind.{lang['hash']}.pf_meta", "search index", res.url))
        out.append((f"wasm.{lang['wasm']}.pagefind", "search index", res.url))
    return out


def crawl(base, seeds, *, result_base=None, limit=20000):
    """Fetch every internal URL reachable from `seeds`; returns a Report."""
    report = Report(base)
    parts = urlsplit(base)
    origin = (parts.scheme, parts.netloc)
    queue = list(dict.fromkeys(seeds))
    seen = set(queue)
    result_base = urljoin(base, result_base or base)

    def internal(url):
        p = urlsplit(url)
        return (p.scheme, p.netloc) == origin

    while queue:
        url = queue.pop(0)
        assert len(report.resources) < limit, "crawl limit reached: a link loop?"
        res = fetch(url)
        report.resources[url] = res
        if res.status != 200:
            continue
        kind = kind_of(res)
        refs, problem = [], None
        if kind == "html":
            refs = html_references(res, base)
        elif kind == "css":
            refs = [(u, "css url()", url) for u in css_urls(res.body.decode("utf-8", "replace"))]
        elif kind == "xml":
            refs, problem = xml_references(res)
        elif kind == "robots":
            refs = [(line.split(":", 1)[1].strip(), "robots Sitemap", url)
                    for line in res.body.decode().splitlines() if line.lower().startswith("sitemap:")]
        elif kind == "pagefind-fragment":
            refs = pagefind_references(res, result_base)
        elif kind == "pagefind-entry":
            refs = pagefind_entry_references(res)
        if problem:
            report.broken.append((url, url, problem))
        for value, how, ref_base in refs:
            if value.startswith(SKIP_SCHEMES):
                continue
            target = urljoin(ref_base, value)
            p = urlsplit(target)
            if not internal(target):
                if p.hostname in LOCAL_HOSTS or (p.netloc and p.netloc.strip("[]") in LOCAL_HOSTS):
                    report.broken.append((url, target, f"{how} points at another local address"))
                continue
            report.references.append((url, target, how))
            if how.startswith("hreflang:"):
                report.lang_links.append((url, target, how.split(":", 1)[1]))
            if not p.path.startswith(parts.path):
                report.broken.append((url, target, f"{how} leaves the subpath {parts.path}"))
            page, _ = urldefrag(target)
            if page not in seen:
                seen.add(page)
                queue.append(page)
    check(report)
    return report


def check(report):
    for source, target, how in report.references:
        page, fragment = urldefrag(target)
        res = report.resources.get(page)
        if res is None or res.status != 200:
            status = res.status if res else "not fetched"
            report.broken.append((source, target, f"{how}: HTTP {status}"))
        elif fragment and kind_of(res) == "html" and unquote(fragment) not in res.ids:
            report.broken.append((source, target, f"{how}: no element with id {fragment!r}"))
    for source, target, hreflang in report.lang_links:
        res = report.resources.get(urldefrag(target)[0])
        if res and res.status == 200 and res.lang and \
                not res.lang.lower().startswith(hreflang.lower()):
            report.broken.append((source, target, f"hreflang {hreflang} leads to a page in "
                                                  f"{res.lang}"))
    report.broken = list(dict.fromkeys(report.broken))
    return report


def output_urls(output, base):
    """Every file of output/ as the URL it is served at."""
    output = Path(output)
    return [base + p.relative_to(output).as_posix() for p in sorted(output.rglob("*"))
            if p.is_file()]
