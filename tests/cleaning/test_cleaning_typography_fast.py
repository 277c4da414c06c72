"""typeset_html's shortcuts (issue 11): text it leaves alone, whole or node by node, is text the full
treatment would give back unchanged; and the list-walking tokenizer finds the tokens iter_tokens finds."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleaning_support  # noqa: F401 (plugins/ on sys.path)
from cleaning.markup import SKIPPED_TAGS, _RAW_TEXT, _self_closing, iter_text_nodes, iter_tokens, split_tokens
from cleaning.typography import _UNTOUCHED, _UNTOUCHED_OTHER, _typeset_nodes, typeset_html

LANGS = ["fr", "en", "de"]


def full_treatment(markup, lang):
    """typeset_html with every text node typeset, none given back as it is."""
    return _typeset_nodes(split_tokens(markup), lang, lambda text: False) if markup else markup


# Mostly text no rule reacts to, so that the shortcuts are taken, with now and then what defeats them:
# marks, entities, spaces, text that is not NFC (e + combining acute, U+037E which NFC makes ";").
_PLAIN = st.sampled_from(list("abcz AZéà.,()-/10\n") + ["..", " .", "l’IA"])
_RARE = st.sampled_from(
    list("'\"?!;:«»\t\u00a0\u202f\u200b\u00ad`@")
    + ["...", "  ", "&amp;", "&lt;", "&#39;", "&quot;", "e\u0301", "\u037e", "\u2126", "https://x.fr/a", "a@b.fr", "<3"]
)
_TEXT = st.lists(st.one_of(_PLAIN, _PLAIN, _PLAIN, _PLAIN, _PLAIN, _PLAIN, _RARE), max_size=20).map("".join)
_TAG = st.sampled_from(
    ["<p>", "</p>", "<em>", "</em>", "<code>", "</code>", "<pre>", "</pre>", "<br>", '<a href="/x?a=1&amp;b">', "</a>",
     "<li>", "</li>", "<script>", "</script>", "<CODE>", "<code/>", "<!-- it's: ok? -->", "<!--", '<img alt="« x »">']
)
_HTML = st.lists(st.one_of(_TEXT, _TAG), max_size=14).map("".join)


@settings(max_examples=400, deadline=None)
@given(_HTML, st.sampled_from(LANGS))
def test_shortcuts_give_what_the_full_treatment_gives(markup, lang):
    assert typeset_html(markup, lang) == full_treatment(markup, lang)


@settings(max_examples=400, deadline=None)
@given(_TEXT.filter(lambda text: "<" not in text), st.sampled_from(LANGS))
def test_a_text_node_left_alone_is_one_the_full_treatment_keeps(text, lang):
    if _UNTOUCHED.get(lang, _UNTOUCHED_OTHER)(text):
        assert full_treatment(text, lang) == text


@pytest.mark.parametrize(
    "markup, lang, expected",
    [
        ("<p>Le mode\u0301le</p>", "en", "<p>Le modéle</p>"),  # not NFC: no shortcut
        ("<p>Quoi\u037e</p>", "fr", "<p>Quoi\u202f;</p>"),  # NFC makes a ";"
        ("<p>a\u00a0 b</p>", "en", "<p>a\u00a0b</p>"),
        ("<p>fin</p><p>a &amp; b</p>", "en", "<p>fin</p><p>a &amp; b</p>"),
        ("<p>x > y</p>", "en", "<p>x &gt; y</p>"),
        ("<p>plain text</p><pre><code>it's \"code\"...</code></pre>", "en",
         "<p>plain text</p><pre><code>it's \"code\"...</code></pre>"),
    ],
)
def test_what_defeats_the_shortcuts(markup, lang, expected):
    assert typeset_html(markup, lang) == expected == full_treatment(markup, lang)


def reference_text_nodes(markup):
    """iter_text_nodes as it was written first: on iter_tokens, one token at a time."""
    tokens = iter_tokens(markup)
    for kind, chunk, name in tokens:
        if kind != "start" or name not in SKIPPED_TAGS or _self_closing(chunk, name):
            yield kind, chunk, name
            continue
        parts, depth = [chunk], 1
        for inner_kind, inner_chunk, inner_name in tokens:
            parts.append(inner_chunk)
            if name in _RAW_TEXT:
                if inner_kind == "end" and inner_name == name:
                    break
                continue
            if inner_name == name and inner_kind == "start" and not _self_closing(inner_chunk, name):
                depth += 1
            elif inner_name == name and inner_kind == "end":
                depth -= 1
                if depth == 0:
                    break
        yield "skipped", "".join(parts), name


_ANY_TAG = st.sampled_from(
    ["<code>", "</code>", "<CODE class='a>b'>", "</Code>", "<code/>", "<pre>", "</pre>", "<script>", "</script>",
     "<style>", "</style>", "<svg>", "<svg/>", "</svg>", "<p>", "</p>", "<em>", "</em>", "<br>", "<!-- x -->",
     "<!--", "<!DOCTYPE html>", "<?x ?>", "<", ">", "</", "<a href=\"x>y\">", "a < b"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(_ANY_TAG, st.sampled_from(["", "x", " ", "y z", "\n"])), max_size=16).map("".join))
def test_text_nodes_are_the_ones_found_token_by_token(markup):
    assert list(iter_text_nodes(markup)) == list(reference_text_nodes(markup))
