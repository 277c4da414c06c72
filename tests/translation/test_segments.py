"""The segmenter: what is sent, what is kept, and that the structure survives translation."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from libre_server import PLACEHOLDER, fake_translate
from translation.inline import Chunk, Inline, protect
from translation.segments import make_markdown, prepare, structure

MD = make_markdown()

DOC = """\
# Titre du **billet** ##

Un paragraphe avec un [lien](https://x.fr/a "titre") et du `code`.
Deuxième ligne du même paragraphe.  
Après une coupure dure.

> Une citation
> sur deux lignes

- élément **un**
- élément deux avec ![une image](img/a.png)
  1. sous-élément

```python
print("pas traduit")
```

    code indenté

<div class="x">HTML brut</div>

| Col A | Col B |
|------:|-------|
| cellule *a* | pipe \\| échappé |

Titre setext
------------

Voir [la référence][ref], [OpenAI] et <https://auto.link/x>, &amp; \\*pas d'emphase\\*.

[ref]: https://ref.example "Titre"
[openai]: https://openai.com
"""


def translate_all(plan, fn=lambda t: fake_translate(t, "fr", "en")):
    failed = plan.apply({t: fn(t) for t in plan.texts()})
    if failed:
        plan.apply_fallback(failed, {t: fake_translate(t, "fr", "en")
                                     for t in plan.fallback_texts(failed)})
    return plan.render()


def test_markup_is_never_sent():
    sent = " ".join(prepare("Titre", "Résumé", DOC, 1800).texts())
    for kept in ("https://", "img/a.png", "`code`", "print(", "code indenté", "<div", "HTML brut",
                 "[ref]", "**", "](", "OpenAI", "&amp;", "auto.link"):
        assert kept not in sent, kept
    for prose in ("Titre du", "lien", "une image", "sous-élément", "Col A", "échappé",
                  "Titre setext", "la référence", "Une citation sur deux lignes"):
        assert prose in sent, prose


def test_translation_keeps_structure_and_code():
    title, summary, body = translate_all(prepare("Titre", "Résumé", DOC, 1800))
    assert (title, summary) == ("EN:Titre", "EN:Résumé")
    assert structure(MD, body) == structure(MD, DOC)
    assert '```python\nprint("pas traduit")\n```' in body
    assert "    code indenté" in body and '<div class="x">HTML brut</div>' in body
    assert "[EN:lien](https://x.fr/a \"titre\")" in body
    assert "![EN:une EN:image](img/a.png)" in body
    assert "[EN:la EN:référence][ref]" in body and "[OpenAI]" in body  # the label is the link
    assert "EN:Deuxième EN:ligne EN:du EN:même EN:paragraphe.  \nEN:Après" in body  # hard break
    assert "| EN:cellule *EN:a* | EN:pipe \\| EN:échappé |" in body
    assert "[ref]: https://ref.example \"Titre\"" in body


def test_identical_segments_are_listed_once():
    plan = prepare("Même", "", "Même\n\n- Même\n- Même\n", 1800)
    assert plan.texts() == ["Même"]


def test_long_paragraph_is_cut_at_sentences_under_the_limit():
    sentences = [f"Phrase numéro {i} avec M. Dupont et [un lien](https://l.fr/{i})." for i in range(40)]
    body = " ".join(sentences) + "\n"
    plan = prepare("", "", body, 200)
    texts = plan.texts()
    assert len(texts) > 5 and all(len(t) <= 200 for t in texts)
    assert all(t.endswith(".") for t in texts)  # cut between sentences, not inside one
    assert not any(t.endswith("M.") for t in texts)  # "M. Dupont" is not a sentence end
    _, _, out = translate_all(plan)
    assert structure(MD, out) == structure(MD, body)
    assert out.count("EN:Phrase") == 40


def test_a_sentence_longer_than_the_limit_is_cut_at_commas_then_spaces():
    body = ", ".join(["mot " * 30] * 5) + "\n"
    texts = prepare("", "", body, 100).texts()
    assert all(len(t) <= 100 for t in texts)


def test_placeholders_dropped_by_the_provider_fall_back_to_pieces():
    plan = prepare("", "", "Lire **l'article** de [Le Monde](https://lemonde.fr) ici.\n", 1800)
    drop = lambda t: PLACEHOLDER.sub("", fake_translate(t, "fr", "en"))  # noqa: E731
    _, _, body = translate_all(plan, drop)
    assert body == "EN:Lire **EN:l'EN:article** EN:de [EN:Le EN:Monde](https://lemonde.fr) EN:ici.\n"
    assert any("markup dropped by the provider" in f for f in plan.faults)


def test_reordered_link_markers_fall_back():
    plan = prepare("", "", "Voir [ce lien](https://a.b) maintenant.\n", 1800)
    swap = lambda t: "⟦2⟧ " + fake_translate(t, "fr", "en").replace("⟦2⟧", "")  # noqa: E731
    _, _, body = translate_all(plan, swap)
    assert "[EN:ce EN:lien](https://a.b)" in body and plan.faults


def test_spaces_added_around_placeholders_are_glued_back():
    chunk = Chunk(protect("un **mot** et [lien](u)"))
    assert chunk.text == "un ⟦1⟧mot⟦2⟧ et ⟦3⟧lien⟦4⟧"
    assert chunk.restore("a ⟦1⟧ word ⟦2⟧ and ⟦3⟧ link ⟦4⟧") == "a **word** and [link](u)"
    assert chunk.restore("a ⟦1⟧ word and ⟦3⟧ link ⟦4⟧") is None  # one lost
    assert chunk.restore("a ⟦1⟧⟦1⟧ word ⟦2⟧ and ⟦3⟧ link ⟦4⟧") is None  # one doubled


def test_urls_entities_and_intraword_underscores():
    tokens = protect("Voir https://ex.com/a_(b). et snake_case_name, 5 * 3 &eacute;")
    markup = [t.markup for t in tokens if not isinstance(t, str)]
    assert markup == ["https://ex.com/a_(b)", "&eacute;"]


def test_segments_without_letters_are_not_sent():
    plan = prepare("", "", "| 2023 | 2024 |\n|---|---|\n| 12 % | 15 % |\n\n![](/img/x.png)\n", 1800)
    assert plan.texts() == []
    assert plan.render()[2].count("|") == 9 and "![](/img/x.png)" in plan.render()[2]


# -- property: random documents keep headings, list items, links, images, code -------------------

WORDS = st.sampled_from(["le", "modèle", "IA", "données", "été", "OpenAI", "réseau", "2024", "l'outil",
                         "ça", "très", "nouveau", "M.", "Dupont", "(voir)", "«", "»", "—", "n°3"])
TEXT = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)
URL = st.sampled_from(["https://a.fr/x", "/images/a.png", "https://b.com/p?q=1&r=2", "x.html"])


@st.composite
def inline(draw):
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["text", "link", "image", "code", "strong", "em", "url", "html"]))
        text = draw(TEXT)
        parts.append({"text": text, "link": f"[{text}]({draw(URL)})", "image": f"![{text}]({draw(URL)})",
                      "code": f"`{text}`", "strong": f"**{text}**", "em": f"*{text}*",
                      "url": draw(URL), "html": f"<b>{text}</b>"}[kind])
    return " ".join(parts) + draw(st.sampled_from(["", ".", " !", " ?"]))


@st.composite
def document(draw):
    blocks = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["h", "p", "ul", "ol", "quote", "fence", "table"]))
        if kind == "h":
            blocks.append("#" * draw(st.integers(1, 4)) + " " + draw(inline()))
        elif kind == "p":
            blocks.append("\n".join(draw(st.lists(inline(), min_size=1, max_size=3))))
        elif kind in ("ul", "ol"):
            items = draw(st.lists(inline(), min_size=1, max_size=4))
            blocks.append("\n".join(("- " if kind == "ul" else f"{i}. ") + it
                                    for i, it in enumerate(items, 1)))
        elif kind == "quote":
            blocks.append("> " + draw(inline()))
        elif kind == "fence":
            blocks.append("```\n" + draw(TEXT) + "\n```")
        else:
            blocks.append(f"| {draw(TEXT)} | {draw(TEXT)} |\n|---|---|\n| {draw(inline())} | x |")
    return "\n\n".join(blocks) + "\n"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document(), st.sampled_from([40, 120, 1800]), st.booleans())
def test_structure_counts_survive_translation(doc, limit, drop_markup):
    def provider(text):
        out = fake_translate(text, "fr", "en")
        return PLACEHOLDER.sub("", out) if drop_markup else out

    plan = prepare("Titre", "", doc, limit)
    assert all(len(t) <= limit for t in plan.texts())
    _, _, body = translate_all(plan, provider)
    assert structure(MD, body) == structure(MD, doc)
    fences = re.findall(r"```\n(.*?)\n```", doc, re.S)
    assert re.findall(r"```\n(.*?)\n```", body, re.S) == fences


def test_inline_title_is_a_segment_like_any_other():
    unit = Inline("Le `code` et **gras**", 1800)
    assert [c.text for c in unit.chunks] == ["Le ⟦1⟧ et ⟦2⟧gras⟦3⟧"]
