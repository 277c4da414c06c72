"""The published site works under a subpath, as a GitHub Pages project site does.

One real publish build (`invoke preview`, Pagefind included) with SITEURL=http://127.0.0.1:PORT/REPO,
served under /REPO/ only, crawled over HTTP from both home pages and every file in output/.
"""

import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from deploy_helpers import clean_env, copy_project, invoke  # noqa: E402
from site_crawler import SubpathServer, crawl, fetch, output_urls  # noqa: E402

REPO = "ai-digest"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    server = SubpathServer(REPO)
    try:
        project = copy_project(tmp_path_factory.mktemp("subpath") / "project")
        siteurl = server.base.rstrip("/")
        done = invoke(project, "preview", env=clean_env(SITEURL=siteurl))
        assert done.returncode == 0, done.stdout + done.stderr
        output = project / "output"
        server.serve(output)
        yield {"server": server, "output": output, "siteurl": siteurl, "build": done}
    finally:
        server.close()


@pytest.fixture(scope="module")
def report(served):
    base = served["server"].base
    homes = [base, base + "en/"]
    result = crawl(base, homes + output_urls(served["output"], base),
                   result_base=f"/{REPO}/")
    print(result.summary())
    return result


def test_server_only_answers_under_the_subpath(served):
    port = served["server"].port
    assert fetch(f"http://127.0.0.1:{port}/index.html").status == 404
    assert fetch(f"http://127.0.0.1:{port}/en/").status == 404
    assert fetch(served["server"].base).status == 200
    # /REPO without its slash redirects to /REPO/, as Pages does.
    assert fetch(f"http://127.0.0.1:{port}/{REPO}").status == 200


def test_no_broken_internal_reference(report):
    broken = "\n".join(f"{src} -> {dst}: {why}" for src, dst, why in report.broken[:40])
    assert not report.broken, f"{len(report.broken)} broken:\n{broken}"


def test_crawl_covered_pages_assets_feeds_sitemap_and_search(report, served):
    fetched = {urlsplit(u).path for u, r in report.resources.items() if r.status == 200}
    prefix = f"/{REPO}/"
    for path in ["", "en/", "feeds/all.atom.xml", "en/feeds/all.atom.xml", "sitemap.xml",
                 "robots.txt", "404.html"]:
        assert prefix + path in fetched, path
    assert any(p.endswith(".css") for p in fetched)
    kinds = {how for _, _, how in report.references}
    assert "link[href]" in kinds and "a[href]" in kinds and "sitemap loc" in kinds
    assert any(k.startswith("hreflang:") for k in kinds)
    if (served["output"] / "pagefind").is_dir():
        assert "search result" in kinds and "search index" in kinds
    files = len(list(served["output"].rglob("*.*")))
    assert len(report.resources) >= files
    assert len(report.pages) >= 20


URL_ATTR = re.compile(r'''\b(?:href|src|action)="([^"]*)"''')


def test_every_link_is_absolute_under_the_siteurl(served):
    # publishconf.py promises absolute URLs: a root-relative "/en/..." would leave /REPO/.
    siteurl, bad = served["siteurl"] + "/", []
    for page in served["output"].rglob("*.html"):
        for value in URL_ATTR.findall(page.read_text(encoding="utf-8")):
            if value.startswith(("#", "mailto:", "data:")) or value.startswith(siteurl):
                continue
            if urlsplit(value).hostname not in (None, "127.0.0.1", "localhost"):
                continue  # an external link (a post's source)
            bad.append((page.relative_to(served["output"]).as_posix(), value))
    assert not bad, bad[:20]


def test_the_crawler_catches_what_breaks_under_a_subpath(tmp_path):
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "index.html").write_text(
        '<html lang="fr"><body><main id="main"></main>'
        '<a href="/en/">root-relative</a><a href="missing/">gone</a><a href="#nowhere">anchor</a>'
        '<a href="#main">ok</a><a hreflang="en" href="en/">switch</a>'
        '<link rel="stylesheet" href="style.css"></body></html>', encoding="utf-8")
    (site / "style.css").write_text("body { background: url('img/none.png') }", encoding="utf-8")
    (site / "en" / "index.html").write_text('<html lang="fr"><body></body></html>',
                                            encoding="utf-8")
    server = SubpathServer(REPO).serve(site)
    try:
        base = server.base
        found = crawl(base, [base])
    finally:
        server.close()
    reasons = {(urlsplit(dst).path + ("#" + urlsplit(dst).fragment if urlsplit(dst).fragment
                                      else ""), why.split(":")[0]) for _, dst, why in found.broken}
    assert ("/en/", "a[href] leaves the subpath /ai-digest/") in reasons
    assert ("/en/", "a[href]") in reasons  # and it 404s
    assert (f"/{REPO}/missing/", "a[href]") in reasons
    assert (f"/{REPO}/#nowhere", "a[href]") in reasons
    assert (f"/{REPO}/img/none.png", "css url()") in reasons
    assert (f"/{REPO}/en/", "hreflang en leads to a page in fr") in reasons
    assert not any(dst.endswith("#main") for _, dst, _ in found.broken)


def test_language_switch_targets_resolve_to_their_language(report):
    switch = [(s, t, lang) for s, t, lang in report.lang_links]
    assert len(switch) >= len(report.pages)  # every page links its other language(s)
    assert not [b for b in report.broken if "hreflang" in b[2]]
