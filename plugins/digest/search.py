"""The search index after the pages are written (search_index.py says how), as part of the build:
`invoke build`, `invoke build -- -o DIR`, publish builds and the live-reload loop all index the
folder they built. DIGEST_SEARCH = False turns it off. Receiver of signals.site_rendered."""

from __future__ import annotations

from . import signals
from .config import setting
from .fingerprint import digest
from .pagefind_service import PagefindError, Service, executable
from .reader import plain_text
from .search_index import FORMAT, Entry, shard_of, update


def entries(renderer):
    """{shard: [Entry]} of every published article page, per language."""
    site, views, urls, cat = renderer.site, renderer.views, renderer.urls, renderer.cat
    chips = views.chip_taxonomies
    shards = {}
    for story in views.ordered:
        for lang, post in story.versions.items():
            if post.state != "published":
                continue
            url = "/" + views.post_url(post)

            def make(story=story, post=post, lang=lang, url=url):
                filters = {}
                for name in chips:
                    labels = [link.label for link in views.term_links(story, name, lang)]
                    if labels:
                        filters[name] = labels
                return {"url": url, "language": lang,
                        "content": f"{post.title}. {plain_text(post.html)}",
                        "meta": {"title": post.title, "date": cat.date(post.date, lang)},
                        "filters": filters}

            key = (post.cache_key(), {name: story.terms.get(name, []) for name in chips})
            shards.setdefault(shard_of(lang, post.date), []).append(Entry(url, digest(key), make))
    return shards


def index_search(renderer):
    site = renderer.site
    settings, report = site.settings, site.report
    if not settings.get("DIGEST_SEARCH", True):
        return
    with report.timed("search index"):
        shards = entries(renderer)
        base = digest(FORMAT, settings.get("DIGEST_INPUTS"), executable() or "")
        service = []

        def write_shard(records, folder):
            if not service:
                service.append(Service())
            service[0].write_index(records, folder)

        try:
            done, pages, total, gone = update(renderer.out.root, shards, base, write_shard)
        except (PagefindError, OSError) as exc:
            # A publish build fails rather than deploy a site whose search is stale.
            tell = report.error if settings.get("DIGEST_PUBLISH") else report.warning
            tell("output/pagefind", f"the search index was not updated: {exc}",
                 fix="pip install 'pagefind[bin]', then build again")
            return
        finally:
            for s in service:
                s.close()
    text = (f"{done} of {total} shard(s) re-indexed ({pages} pages)" if done
            else f"up to date ({total} shards, nothing re-indexed)")
    if gone:
        text += f", {gone} deleted"
    report.add("search", "output/pagefind/", text)


signals.site_rendered.connect(index_search)
