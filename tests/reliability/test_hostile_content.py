"""XSS vectors in every field an editor controls: nothing in output/ can run script."""

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from bs4 import BeautifulSoup

from support import build_site, copy_content

TITLE = '</script><script>alert("title")</script>"><img src=x onerror=alert(1)>'
SUMMARY = '<svg onload=alert("summary")> & </script>'
BODY = """
Un paragraphe normal avant les vecteurs.

`<script>alert('code')</script>` stays visible as code.

<script>alert('body')</script>

<img src=x onerror="alert('img')">

<a href="javascript:alert('link')">lien</a>

<a href="jav&#x09;ascript:alert('tab')">lien tab</a>

<a href="JaVaScRiPt:alert('case')">lien casse</a>

<iframe src="https://evil.example/"></iframe>

<object data="evil.swf"></object><embed src="evil.swf">

<svg><script>alert('svg')</script></svg>

<math><mtext><table><mglyph><style><img src=x onerror=alert('math')>

<form action="javascript:alert('form')"><input type=submit></form>

<div style="background:url(javascript:alert('style'))">style</div>

<style>@import 'https://evil.example/x.css';</style>

<base href="https://evil.example/">

<meta http-equiv="refresh" content="0;url=javascript:alert('meta')">

<body onload=alert('body-onload')>

<details open ontoggle=alert('toggle')>d</details>

[markdown js](javascript:alert('md'))

![markdown img](javascript:alert('mdimg'))

<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>
"""

EXECUTABLE_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:application")
URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "background")


def post(title, summary, body, **extra):
    meta = {"title": title, "date": "2024-07-01 09:00", "lang": "fr", "summary": summary,
            "source_name": "<script>alert('source_name')</script>",
            "author": "<img src=x onerror=alert('author')>", **extra}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body


def scheme(value):
    cleaned = re.sub(r"[\x00-\x20]+", "", unquote(value)).lower()
    return cleaned


def executable_in_html(html, where):
    """Every way an HTML document could run script, as a list of findings."""
    found = []
    doc = BeautifulSoup(html, "html.parser")
    for tag in doc.find_all(True):
        if tag.name == "script":
            kind = tag.get("type", "")
            if kind == "application/ld+json":
                try:
                    json.loads(tag.string or "")
                except ValueError:
                    found.append(f"{where}: JSON-LD block broken out of: {tag.string[:80]!r}")
                continue
            src = tag.get("src", "")
            if not src or "://evil" in src or not re.search(r"/(theme|pagefind)/", src):
                found.append(f"{where}: script element {str(tag)[:80]}")
        if tag.name in ("iframe", "object", "embed", "base", "frame", "applet", "style"):
            found.append(f"{where}: {tag.name} element")
        if tag.name == "meta" and tag.get("http-equiv", "").lower() == "refresh":
            found.append(f"{where}: meta refresh")
        for attr, value in tag.attrs.items():
            if attr.lower().startswith("on"):
                found.append(f"{where}: {attr} attribute on {tag.name}")
            if attr.lower() == "style" and tag.name != "html":
                found.append(f"{where}: style attribute on {tag.name}")
            if attr.lower() in URL_ATTRS and isinstance(value, str):
                if scheme(value).startswith(EXECUTABLE_SCHEMES):
                    found.append(f"{where}: {attr}={value[:60]!r} on {tag.name}")
    return found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    content = copy_content(tmp)
    (content / "posts/2024/hostile.md").write_text(
        post(TITLE, SUMMARY, BODY, slug="hostile", source="https://example.com/a?utm_source=x&q=1"),
        encoding="utf-8")
    companies_file = content / "data/companies.yaml"
    data = yaml.safe_load(companies_file.read_text(encoding="utf-8"))
    data["companies"].append({
        "id": "evilcorp", "name": "EvilCorp<script>alert('company')</script>",
        "aliases": [{"form": "EvilCorp"}], "website": "javascript:alert('website')",
        "founded": 2024, "headquarters": {"fr": "<b onmouseover=alert(1)>Nulle part</b>", "en": "x"},
        "description": {"fr": "<img src=x onerror=alert('desc')> Une entreprise.",
                        "en": "</script><script>alert('desc')</script>"},
    })
    companies_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    topics_file = content / "data/topics.yaml"
    topics = yaml.safe_load(topics_file.read_text(encoding="utf-8"))
    topics["topics"][0]["labels"]["fr"] = "Open <script>alert('topic')</script>"
    topics["topics"][0]["descriptions"]["en"] = '"><svg onload=alert(1)>'
    topics_file.write_text(yaml.safe_dump(topics, allow_unicode=True), encoding="utf-8")
    (content / "posts/2024/hostile-company.md").write_text(
        post("EvilCorp annonce un modèle", "Résumé.", "EvilCorp annonce un modèle open source. "
             "EvilCorp publie les poids en open source.", companies=["evilcorp"],
             tags=["open-source"]), encoding="utf-8")
    settings, report, out = build_site(tmp, content=content)
    return {"out": out, "report": report}


def test_the_hostile_posts_are_published(hostile):
    mine = [e for e in hostile["report"].errors if e.path.endswith(("hostile.md", "hostile-company.md"))]
    assert not mine, mine
    pages = list(hostile["out"].rglob("hostile/index.html"))
    assert pages
    text = pages[0].read_text()
    assert "Un paragraphe normal avant les vecteurs." in text
    assert "&lt;script&gt;alert(&#39;code&#39;)&lt;/script&gt;" in text or \
        "&lt;script&gt;alert('code')&lt;/script&gt;" in text  # code is shown, not run


def test_no_executable_content_in_any_html_page(hostile):
    findings = []
    for path in hostile["out"].rglob("*.html"):
        findings += executable_in_html(path.read_text(encoding="utf-8"), path.name)
    assert findings == []


def test_feeds_carry_no_executable_html(hostile):
    findings = []
    for path in hostile["out"].rglob("*.xml"):
        root = ET.parse(path).getroot()  # well-formed
        for element in root.iter():
            # Only HTML-typed Atom text is rendered as HTML by a feed reader; the rest is text.
            if element.get("type") in ("html", "xhtml") and element.text:
                findings += executable_in_html(element.text, path.name)
    assert findings == []


def test_source_url_loses_tracking_and_company_website_is_not_a_link(hostile):
    page = next(hostile["out"].rglob("hostile/index.html")).read_text()
    assert "utm_source" not in page
    rejected = [e for e in hostile["report"].errors if e.path.endswith("companies.yaml")]
    assert rejected and "website" in str(rejected[0])  # refused with a message naming the field
    for path in hostile["out"].rglob("*.html"):
        assert "javascript:alert(&#39;website" not in path.read_text()


def test_json_ld_survives_a_script_closing_title(hostile):
    page = next(hostile["out"].rglob("hostile/index.html")).read_text()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    data = json.loads(block)
    assert data["headline"].startswith("</script>")
