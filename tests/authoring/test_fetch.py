"""`invoke import URL`: a local server stands in for the news site; every failure is one clear line."""

import subprocess
import sys

import pytest
import requests

from authoring_support import FIXTURES, ROOT, LocalServer, closed_port, copy_content, make_site

ARTICLE = (FIXTURES / "nvidia-capitalisation.raw.html").read_bytes()
NO_CANONICAL = ARTICLE.replace(b'<link rel="canonical"', b'<link rel="alternate"')
HTML = {"Content-Type": "text/html; charset=utf-8"}
ROUTES = {
    "/article": (200, HTML, ARTICLE, 0),
    "/no-canonical": (200, HTML, NO_CANONICAL, 0),
    "/moved": (301, {"Location": "/no-canonical"}, b"", 0),
    "/no-type": (200, {}, ARTICLE, 0),
    "/broken": (500, HTML, b"<h1>oops</h1>", 0),
    "/feed.json": (200, {"Content-Type": "application/json"}, b'{"items": []}', 0),
    "/huge": (200, HTML, b"<html><body>" + b"<p>bla bla</p>" * 20000 + b"</body></html>", 0),
    "/slow": (200, HTML, ARTICLE, 1.5),
}


@pytest.fixture(scope="module")
def server():
    with LocalServer(ROUTES) as srv:
        yield srv


@pytest.fixture
def site(tmp_path):
    return make_site(copy_content(tmp_path))


def run_import(site, url, **kw):
    from authoring.importer import import_source

    return import_source(site, url, **kw)


def failure(site, url, **kw):
    from authoring import AuthoringError

    with pytest.raises(AuthoringError) as info:
        run_import(site, url, **kw)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_url_imports_like_the_saved_page(server, site):
    result = run_import(site, server.url("/article?utm_source=x"))
    assert result.kind == "web page"
    assert result.meta["title"] == "Nvidia devient l'entreprise la plus chère du monde"
    assert result.meta["lang"] == "fr"
    assert result.meta["source"] == "https://www.lefiltech.example/marches/2024/06/19/nvidia-entreprise-plus-chere"
    assert "nvidia" in result.meta["companies"] and "hardware" in result.meta["tags"]


def test_without_canonical_the_fetched_address_is_the_source_and_links_resolve(server, site):
    result = run_import(site, server.url("/moved"))
    assert result.meta["source"] == server.url("/no-canonical")
    assert result.how["url"] == "from the fetched address"


def test_missing_content_type_is_sniffed(server, site):
    assert run_import(site, server.url("/no-type")).meta["lang"] == "fr"


def test_http_404(server, site):
    assert failure(site, server.url("/nowhere")) == f"{server.url('/nowhere')}: the server answered HTTP 404 Not Found"


def test_http_500(server, site):
    assert "HTTP 500" in failure(site, server.url("/broken"))


def test_timeout(server, site):
    message = failure(site, server.url("/slow"), timeout=0.2)
    assert message.endswith("no answer within 0.2 s (timeout)")


def test_connection_refused(site):
    url = f"http://127.0.0.1:{closed_port()}/article"
    assert failure(site, url) == f"{url}: the connection was refused: nothing answers at that address"


def test_not_html(server, site):
    assert "not an HTML page (Content-Type: application/json)" in failure(site, server.url("/feed.json"))


def test_size_limit(server):
    from authoring import AuthoringError
    from authoring.sources import fetch_url

    with pytest.raises(AuthoringError, match="over the 100 KB limit"):
        fetch_url(server.url("/huge"), max_bytes=100 * 1024)


def test_dns_failure_is_named(monkeypatch):
    from authoring import AuthoringError
    from authoring.sources import fetch_url

    def no_dns(*args, **kwargs):
        raise requests.exceptions.ConnectionError(
            "HTTPSConnectionPool(host='nope.example', port=443): Max retries exceeded "
            "(Caused by NameResolutionError(\"Failed to resolve 'nope.example' ([Errno -2] Name or service not known)\"))")

    monkeypatch.setattr(requests, "get", no_dns)
    with pytest.raises(AuthoringError, match=r"^https://nope.example/a: the host name does not resolve \(DNS\)"):
        fetch_url("https://nope.example/a")


def test_other_schemes_are_refused(site):
    assert "only http:// and https://" in failure(site, "ftp://example.com/article.html")


def test_cli_failure_is_one_line_without_traceback(server):
    url = server.url("/nowhere")
    proc = subprocess.run([sys.executable, "-m", "invoke", "import", url], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr == f"invoke import: {url}: the server answered HTTP 404 Not Found\n"
    assert proc.stdout == ""
