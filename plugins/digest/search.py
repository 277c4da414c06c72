"""The search index after the pages are written (search_index.py says how), as part of the build:
`invoke build`, `invoke build -- -o DIR`, publish builds and the live-reload loop all index the
folder they built. DIGEST_SEARCH = False turns it off. Receiver of signals.site_rendered."""

from __future__ import annotations

import os
import threading

from . import signals
from .fingerprint import digest
from .pagefind_service import PagefindError, Service, executable
from .parallel import workers
from .reader import plain_text
from .search_index import FORMAT, Entry, shard_of, update


def entries(renderer):
    """{shard: [Entry]} of every published article page, per language. A record holds what the
    theme's search page shows (title, date, excerpt from the text); no filters: the page offers
    none, and Pagefind writes filter files in no fixed order, so equal inputs would not give equal
    shards (the test of a fast path against a full rebuild compares them byte for byte)."""
    views, cat = renderer.views, renderer.cat
    shards = {}
    for story in views.ordered:
        for lang, post in story.versions.items():
            if post.state != "published":
                continue
            url = "/" + views.post_url(post)

            def make(post=post, lang=lang, url=url):
                return {"url": url, "language": lang,
                        "content": f"{post.title}. {plain_text(post.html)}",
                        "meta": {"title": post.title, "date": cat.date(post.date, lang)}}

            # Exactly what the record is made from (not post.cache_key(): a translation marked
            # stale changes its page, not its record); labels and dates come from data files,
            # which are in the base key.
            key = digest(post.title, post.html, post.date.isoformat())
            shards.setdefault(shard_of(lang, post.date), []).append(Entry(url, key, make))
    return shards


def engine():
    """The Pagefind binary that writes the shards: its version and size."""
    path = executable()
    if path is None:
        raise PagefindError("the pagefind binary is missing")
    try:
        from importlib.metadata import version

        name = version("pagefind_bin")
    except Exception:  # noqa: BLE001 - a binary from elsewhere (PAGEFIND_BINARY_PATH)
        name = "?"
    return f"{name} {os.path.getsize(path)}"


def index_search(renderer):
    site = renderer.site
    settings, report = site.settings, site.report
    if not settings.get("DIGEST_SEARCH", True):
        return
    with report.timed("search index"):
        shards = entries(renderer)
        # The Pagefind version is asked only when something is to be indexed (an import): see
        # search_index.update.
        base = digest(FORMAT, settings.get("DIGEST_INPUTS"))
        local, services = threading.local(), []

        def write_shard(records, folder):
            if getattr(local, "service", None) is None:
                local.service = Service()
                services.append(local.service)
            local.service.write_index(records, folder)

        try:
            done, pages, total, gone = update(renderer.out.root, shards, base, write_shard,
                                              workers=workers(settings), engine=engine)
        except (PagefindError, OSError) as exc:
            # A publish build fails rather than deploy a site whose search is stale.
            tell = report.error if settings.get("DIGEST_PUBLISH") else report.warning
            tell("output/pagefind", f"the search index was not updated: {exc}",
                 fix="pip install 'pagefind[bin]', then build again")
            return
        finally:
            for service in services:
                service.close()
    text = (f"{done} of {total} shard(s) re-indexed ({pages} pages)" if done
            else f"up to date ({total} shards, nothing re-indexed)")
    if gone:
        text += f", {gone} deleted"
    report.add("search", "output/pagefind/", text)


signals.site_rendered.connect(index_search)
