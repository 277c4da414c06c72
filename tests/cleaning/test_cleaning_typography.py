"""Typography: French and English rules, never in code, URLs or attributes, and idempotent."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleaning_support  # noqa: F401 (plugins/ on sys.path)
from cleaning.typography import NBSP, NNBSP, strip_invisible, typeset_html, typeset_text

FR_CASES = [
    ("Vraiment?", f"Vraiment{NNBSP}?"),
    ("Vraiment ?", f"Vraiment{NNBSP}?"),
    (f"Vraiment{NBSP}?", f"Vraiment{NNBSP}?"),
    (f"Vraiment{NNBSP}?", f"Vraiment{NNBSP}?"),
    ("Stop! Encore; toujours", f"Stop{NNBSP}! Encore{NNBSP}; toujours"),
    ("Quoi?!", f"Quoi{NNBSP}?!"),
    ("Quoi ?!", f"Quoi{NNBSP}?!"),
    ("Note: le modèle", f"Note{NBSP}: le modèle"),
    ("Note : le modèle", f"Note{NBSP}: le modèle"),
    (f"Note{NNBSP}: le modèle", f"Note{NBSP}: le modèle"),
    ("La réunion est à 10:30 et le ratio 16:9.", "La réunion est à 10:30 et le ratio 16:9."),
    ("Voir https://exemple.fr/a?b=1 : la source", f"Voir https://exemple.fr/a?b=1{NBSP}: la source"),
    ("Écrire à redaction@exemple.fr !", f"Écrire à redaction@exemple.fr{NNBSP}!"),
    ("« Bonjour »", f"«{NBSP}Bonjour{NBSP}»"),
    ("«Bonjour»", f"«{NBSP}Bonjour{NBSP}»"),
    (f"«{NBSP}Bonjour{NBSP}»", f"«{NBSP}Bonjour{NBSP}»"),
    ('Il a dit "non" hier', f"Il a dit «{NBSP}non{NBSP}» hier"),
    ("« Vraiment ? »", f"«{NBSP}Vraiment{NNBSP}?{NBSP}»"),
    ("Et après...", "Et après…"),
    ("l'IA d'aujourd'hui", "l’IA d’aujourd’hui"),
    ("Le  modèle   est\tlà", "Le modèle est là"),
    ("  Titre  ", "Titre"),
    ("Le code `a ? b : c` reste", "Le code `a ? b : c` reste"),
]

EN_CASES = [
    ('She said "hello"', "She said “hello”"),
    ("It's the model's turn", "It’s the model’s turn"),
    ("'quoted' words", "‘quoted’ words"),
    ("in the '90s", "in the ’90s"),
    ("Wait...", "Wait…"),
    ("Really?", "Really?"),
    ("Note: this stays", "Note: this stays"),
    ('("nested")', "(“nested”)"),
    ("See https://example.com/it's-fine now", "See https://example.com/it's-fine now"),
]


@pytest.mark.parametrize("text, expected", FR_CASES)
def test_french(text, expected):
    assert typeset_text(text, "fr") == expected


@pytest.mark.parametrize("text, expected", EN_CASES)
def test_english(text, expected):
    assert typeset_text(text, "en") == expected


def test_other_languages_get_only_the_common_rules():
    assert typeset_text('Er sagte "ja"...  Wirklich ?', "de") == 'Er sagte "ja"… Wirklich ?'


def test_unicode_is_composed_and_invisible_characters_go():
    assert strip_invisible("e\u0301t\u00e9") == "été"
    assert strip_invisible("Open\u200bAI\u200c \u2060Mis\u00adtral\ufeff") == "OpenAI Mistral"
    # A zero-width joiner that glues an emoji sequence is kept.
    assert strip_invisible("👩\u200d💻 dev") == "👩\u200d💻 dev"
    assert strip_invisible("a\u200db") == "ab"


def test_html_text_nodes_only():
    markup = (
        '<p>Le &quot;o&quot; veut dire <em>omni</em>! Voir <a href="https://x.fr/?a=1&amp;b=2" '
        "title=\"l'avis : non\">l'article</a>: fin...</p>"
    )
    assert typeset_html(markup, "fr") == (
        f'<p>Le «{NBSP}o{NBSP}» veut dire <em>omni</em>{NNBSP}! Voir <a href="https://x.fr/?a=1&amp;b=2" '
        f"title=\"l'avis : non\">l’article</a>{NBSP}: fin…</p>"
    )


@pytest.mark.parametrize(
    "markup",
    [
        "<pre><code>a ? b : c; x = 'y' ... \"z\"</code></pre>",
        "<p>Run <code>ls -l ; echo 'ok'...</code> now</p>",
        "<script>var a = 'b'; if (x) { y(); }</script>",
        "<style>p::before { content: '...'; }</style>",
        '<p><a href="https://example.com/a?b=c:d" title="Don\'t: stop!">x</a></p>',
        '<img alt="l\'image : «x»" src="/a.png">',
        "<p>https://example.com:8080/path?x=1;y=2</p>",
        "<!-- it's a comment: ok? -->",
    ],
)
def test_html_never_touches_code_scripts_attributes_comments_or_urls(markup):
    assert typeset_html(markup, "fr") == markup
    assert typeset_html(markup, "en") == markup


def test_html_quotes_and_spacing_follow_the_text_across_inline_tags():
    assert typeset_html('<p>"<em>omni</em>"</p>', "en") == "<p>“<em>omni</em>”</p>"
    assert typeset_html("<p><strong>Attention</strong>: ok</p>", "fr") == f"<p><strong>Attention</strong>{NBSP}: ok</p>"
    # A new block starts over: the quote opening the second paragraph is an opening quote.
    assert typeset_html('<p>fin</p><p>"début"</p>', "en") == "<p>fin</p><p>“début”</p>"


def test_html_french_guillemets_get_their_space_when_a_tag_follows_them():
    # The « ends one text node and the quoted word starts the next one, inside <em> or <a>.
    assert typeset_html("<p>«<em>omni</em>»</p>", "fr") == f"<p>«{NBSP}<em>omni</em>{NBSP}»</p>"
    assert typeset_html('<p>"<em>omni</em>"</p>', "fr") == f"<p>«{NBSP}<em>omni</em>{NBSP}»</p>"
    assert typeset_html('<p>Il dit « <a href="/x"> oui</a> ».</p>', "fr") == \
        f'<p>Il dit «{NBSP}<a href="/x">oui</a>{NBSP}».</p>'
    assert typeset_html("<p>«<code>x</code>»</p>", "fr") == f"<p>«{NBSP}<code>x</code>{NBSP}»</p>"
    # A new block does not inherit the pending space.
    assert typeset_html("<p>«</p><p> a</p>", "fr") == f"<p>«{NBSP}</p><p> a</p>"


def test_html_escaping_is_kept():
    markup = "<p>a &lt;script&gt; b &amp; c</p>"
    assert typeset_html(markup, "en") == markup


def test_html_collapses_spaces_but_not_in_pre():
    assert typeset_html("<p>a    b</p><pre>a    b</pre>", "en") == "<p>a b</p><pre>a    b</pre>"


_TEXT = st.lists(
    st.sampled_from(list("ab AZé'\"?!;:.…«»()-/\t\u00a0\u202f\u200b\u00ad10") + ["https://x.fr/a?b=1", "`c`", "\u0301"]),
    max_size=40,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_TEXT, st.sampled_from(["fr", "en", "de"]))
def test_typeset_text_is_idempotent(text, lang):
    once = typeset_text(text, lang)
    assert typeset_text(once, lang) == once


_HTML = st.lists(
    st.one_of(
        _TEXT,
        st.sampled_from(["<p>", "</p>", "<em>", "</em>", "<code>", "</code>", "<br>", '<a href="/x?a=1">', "</a>"]),
    ),
    max_size=12,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_HTML, st.sampled_from(["fr", "en"]))
def test_typeset_html_is_idempotent(markup, lang):
    once = typeset_html(markup, lang)
    assert typeset_html(once, lang) == once
