"""sanitize_html's rewrite of nh3's output (h1 -> h2, rel on external links), by tag starts or, when
an attribute value holds a "<", on split_tokens' list (issue 11), gives what the token-by-token walk
it replaced gave, on hostile and ordinary markup."""

import html

from hypothesis import given, settings
from hypothesis import strategies as st

import cleaning_support  # noqa: F401 (plugins/ on sys.path)
from cleaning.markup import iter_tokens
from cleaning.sanitize import _CLEANER, _HREF, _host, _is_external, sanitize_html
from test_cleaning_sanitize import XSS_VECTORS

SITES = [None, "https://site.test", "https://www.site.test/sub/"]


def walked(markup, site_url=None):
    """sanitize_html as it was first written: nh3, then one token at a time."""
    if not markup:
        return markup
    site_host = _host(site_url) if site_url else None
    out = []
    for kind, chunk, name in iter_tokens(_CLEANER.clean(markup)):
        if name == "h1":
            chunk = chunk.replace("h1", "h2", 1)
        elif kind == "start" and name == "a":
            href = _HREF.search(chunk)
            if href and _is_external(html.unescape(href.group(1)), site_host):
                chunk = chunk[:-1] + ' rel="noopener noreferrer">'
        out.append(chunk)
    return "".join(out)


_TEXT = st.sampled_from(["", "texte", "a < b", "x > y", "l’IA & co", "h1", "<a", "\u00a0", "\n", 'x="y', '="'])
_TAG = st.sampled_from(
    ["<h1>", "</h1>", "<H1 id=\"t\">", "<h1 title='<a href=\"https://x.example/\">'>", "<p>", "</p>",
     '<a href="https://other.example/?utm_source=x">', '<a href="/local">', '<a href="//cdn.example/">',
     '<A HREF="https://site.test/x">', "</a>", '<a title="a > b" href="https://o.example/">',
     '<img alt="<h1>" src="https://i.example/a.png">', "<abbr title=\"h1\">", "</abbr>", "<!-- <h1> -->",
     "<script><h1></script>", "<pre><code>", "</code></pre>", "<a>", '<a href="mailto:x@y.z">',
     '<a href="javascript:alert(1)">', "<h2>", "<br/>", "<hr>", '<a\nhref="https://n.example/">',
     '<a title=\'<b>\' href="https://q.example/">', '<a href="https://o.example/" title="a &quot;b&quot; <c>">']
)
_HTML = st.lists(st.one_of(_TEXT, _TAG), max_size=16).map("".join)


@settings(max_examples=500, deadline=None)
@given(_HTML, st.sampled_from(SITES))
def test_the_list_rewrite_gives_what_the_walk_gave(markup, site_url):
    assert sanitize_html(markup, site_url=site_url) == walked(markup, site_url)


def test_the_same_on_the_filter_evasion_vectors():
    for vector in XSS_VECTORS:
        for site_url in SITES:
            assert sanitize_html(vector, site_url=site_url) == walked(vector, site_url), vector


def test_markup_without_a_heading_or_link_is_nh3s_output_as_it_is():
    markup = "<p>Un <em>mot</em> <abbr title=\"x\">IA</abbr></p><script>x</script>"
    assert sanitize_html(markup) == _CLEANER.clean(markup) == "<p>Un <em>mot</em> <abbr title=\"x\">IA</abbr></p>"
