"""Line cleaning: every noise line goes, every real line stays, and cleaning twice changes nothing."""

import os
import re
from collections import Counter

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaning_support import (  # noqa: F401 (rules is a fixture)
    FIXTURES,
    ROOT,
    SAMPLES,
    html_to_text,
    noise_lines,
    read_post,
    rules,
)

from cleaning.core import STRAY_RULE, TITLE_RULE, clean_markdown
from cleaning.rules import Rules, RulesError, fold, load_rules

NOISY = [("fr_pasted.md", "fr_pasted.noise"), ("en_pasted.md", "en_pasted.noise")]
CLEAN = ["clean_fr.md", "clean_en.md"]


def kept_lines(text):
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("post, noise", NOISY)
def test_noisy_post_loses_every_noise_line_and_keeps_every_other(post, noise, rules):
    meta, body = read_post(post)
    expected_noise = noise_lines(noise)
    result = clean_markdown(body, lang=meta["lang"], title=meta["title"], summary=meta.get("summary", ""), rules=rules)

    assert [r.text for r in result.removed] == expected_noise
    real = [line for line in kept_lines(body) if line not in expected_noise]
    assert kept_lines(result.text) == real


def test_pasted_web_page_text_is_cleaned(rules):
    text = html_to_text((FIXTURES / "fr_page.html").read_text(encoding="utf-8"))
    title = "La Cnil publie ses recommandations sur l'IA générative"
    result = clean_markdown(text, lang="fr", title=title, rules=rules)

    expected_noise = noise_lines("fr_page.noise")
    assert [r.text for r in result.removed] == expected_noise
    assert kept_lines(result.text) == [line for line in kept_lines(text) if line not in expected_noise]


def test_html_lines_in_markdown_are_cleaned_when_self_contained(rules):
    body = (
        '<div class="share">Partager sur Facebook · Partager sur X</div>\n\n'
        "Le texte entre en vigueur dans deux ans, avec des obligations qui montent en charge par étapes.\n\n"
        '<aside class="ad">Publicité</aside>\n\n'
        "<div>\nPublicité\n</div>\n"
    )
    result = clean_markdown(body, lang="fr", title="", rules=rules)
    assert [r.rule for r in result.removed] == ["share", "advertising", "advertising"]
    # The <div> lines stay: removing one of them alone would break the HTML block.
    assert result.text == "Le texte entre en vigueur dans deux ans, avec des obligations qui montent en charge par étapes.\n\n<div>\n</div>\n"


@pytest.mark.parametrize("post", CLEAN)
def test_clean_post_is_left_alone(post, rules):
    meta, body = read_post(post)
    result = clean_markdown(body, lang=meta["lang"], title=meta["title"], rules=rules)
    assert result.removed == []
    assert result.text == body


@pytest.mark.parametrize("post", [p for p, _ in NOISY] + CLEAN)
def test_cleaning_is_idempotent(post, rules):
    meta, body = read_post(post)
    once = clean_markdown(body, lang=meta["lang"], title=meta["title"], rules=rules)
    twice = clean_markdown(once.text, lang=meta["lang"], title=meta["title"], rules=rules)
    assert twice.removed == []
    assert twice.text == once.text


@pytest.mark.parametrize(
    "lang, line",
    [
        ("fr", "Il a refusé de partager sur ce sujet."),
        ("fr", "Partager sur les réseaux sociaux reste un réflexe pour les jeunes lecteurs."),
        ("fr", "Publicité ciblée : la Cnil sanctionne un éditeur."),
        ("fr", "Lire aussi les conditions générales avant de signer."),
        ("fr", "Par ailleurs, la société a levé 100 millions d’euros."),
        ("fr", "Suivez le guide : trois étapes pour installer le modèle."),
        ("fr", "12 commentaires négatifs ont suffi à faire plier l’éditeur."),
        ("en", "Read more about the model in the paper, which was published on Monday."),
        ("en", "Share prices of chipmakers barely moved."),
        ("en", "Advertisement revenue fell by a third, the company said."),
        ("en", "Related research from Stanford points the other way."),
        ("en", "By contrast, cloud providers cut their prices."),
        ("en", "By 2030, most code may be written with an assistant."),
        ("en", "Follow the money: who funds open models?"),
        ("en", "We use cookies in the lab as a reward, the researcher joked."),
        ("en", "Newsletters are back in fashion among AI researchers."),
        ("en", "12 comments were enough to change the policy."),
        # Short sentences that start like a byline, a dateline or a copyright line.
        ("en", "Copyright law is the real battleground."),
        ("en", "By March they will ship."),
        ("en", "Published March 3, 2025, it runs to 200 pages."),
        ("fr", "Par moments il hésite."),
        ("fr", "Publié le 3 mars 2024, le rapport fait 200 pages."),
        ("fr", "Entrée → modèle → sortie"),
    ],
)
def test_rules_never_fire_inside_a_sentence(lang, line, rules):
    body = f"{line}\n"
    result = clean_markdown(body, lang=lang, title="", rules=rules)
    assert result.removed == []
    assert result.text == body


@pytest.mark.parametrize(
    "lang, line, rule",
    [
        ("fr", "Partager sur Facebook", "share"),
        ("fr", "- Partager sur X (12)", "share"),
        ("fr", "Suivez-nous sur les réseaux sociaux", "follow"),
        ("fr", "Inscrivez-vous à notre newsletter", "newsletter"),
        ("fr", "À lire aussi : [Le RGPD et l’IA](https://exemple.fr/rgpd?utm_source=x)", "related"),
        ("fr", "**Lire aussi :** un article", "related"),
        ("fr", "3 commentaires", "comments"),
        ("fr", "Accueil › Tech › Intelligence artificielle", "breadcrumb"),
        ("fr", "Par Jeanne Martin (AFP)", "byline"),
        ("fr", "Publié le 1er avril 2025 à 10h30", "byline"),
        ("fr", "Nous utilisons des cookies pour améliorer votre expérience. Accepter Refuser", "cookie"),
        ("fr", "La suite après la publicité", "advertising"),
        ("en", "Share on X", "share"),
        ("en", "Advertisement", "advertising"),
        ("en", "Story continues below advertisement", "advertising"),
        ("en", "> Read more: a related story", "related"),
        ("en", "Subscribe to our free newsletter", "newsletter"),
        ("en", "Updated March 3, 2025, 4:12 pm", "byline"),
        ("en", "We use cookies to personalise content. Accept all", "cookie"),
        ("en", "Comments (12)", "comments"),
        ("en", "Facebook · X · LinkedIn", "share"),
        ("en", "Copyright © 2024 Example Media", "copyright"),
        ("en", "© Example News. All rights reserved.", "copyright"),
        ("en", "By Jane Doe", "byline"),
        ("en", "Published on March 3, 2025 at 9:30 am", "byline"),
        ("fr", "Mis à jour le 2 avril 2025 à 8h05", "byline"),
        ("de", "Home › Tech › KI", "breadcrumb"),
    ],
)
def test_each_kind_of_noise_line_is_removed(lang, line, rule, rules):
    body = f"A first real paragraph that is long enough to count as one, and ends like a sentence.\n\n{line}\n"
    result = clean_markdown(body, lang=lang, title="", rules=rules)
    assert [(r.text, r.rule) for r in result.removed] == [(line, rule)]


def test_title_repeats_and_variants_at_the_top(rules):
    title = "Nvidia présente Rubin, sa nouvelle puce pour l’IA"
    body = (
        "NVIDIA PRÉSENTE RUBIN, SA NOUVELLE PUCE POUR L'IA\n\n"
        "nvidia presente rubin nouvelle puce ia\n\n"
        "Nvidia dévoile Rubin, la puce qui doit succéder à Blackwell pour l’IA\n\n"
        "Nvidia a présenté lundi Rubin, une puce destinée aux centres de données, qui doit succéder à Blackwell.\n\n"
        "Nvidia présente Rubin, sa nouvelle puce pour l’IA\n"
    )
    result = clean_markdown(body, lang="fr", title=title, rules=rules)
    assert [(r.line, r.rule) for r in result.removed] == [(1, TITLE_RULE), (3, TITLE_RULE), (5, TITLE_RULE)]
    # After the first real paragraph a title-like line is content (a conclusion that echoes it).
    assert result.text.endswith("Nvidia présente Rubin, sa nouvelle puce pour l’IA\n")


def test_a_reworded_headline_goes_when_title_and_summary_already_say_it(rules):
    title = "Meta ouvre Llama 4 aux chercheurs européens"
    summary = "Le groupe de Mark Zuckerberg publie les poids de son modèle, avec une licence plus souple."
    body = (
        "Mark Zuckerberg tient sa promesse : Meta publie Llama 4 et ses poids\n\n"
        "Meta a publié mercredi les poids de Llama 4, avec une licence qui autorise désormais la recherche.\n"
    )
    result = clean_markdown(body, lang="fr", title=title, summary=summary, rules=rules)
    assert [(r.line, r.rule) for r in result.removed] == [(1, TITLE_RULE)]
    # Without the summary the line shares too little with the title alone: it stays.
    assert clean_markdown(body, lang="fr", title=title, rules=rules).removed == []


def test_a_short_first_sentence_close_to_the_title_is_kept(rules):
    title = "OpenAI lance GPT-5"
    body = "OpenAI a lancé GPT-5 jeudi.\n\nLe modèle sera disponible pour tous les utilisateurs payants dès la semaine prochaine.\n"
    assert clean_markdown(body, lang="fr", title=title, rules=rules).removed == []


def test_markdown_headings_are_never_removed(rules):
    title = "OpenAI lance GPT-5"
    body = "# OpenAI lance GPT-5\n\n## Publicité\n\nShazam\n===\n\nUn paragraphe assez long pour compter comme un vrai paragraphe du texte.\n"
    assert clean_markdown(body, lang="fr", title=title, rules=rules).removed == []


def test_stray_widget_word_goes_but_short_headings_and_list_items_stay(rules):
    body = (
        "Shazam\n\n"
        "Anthropic a publié mardi une nouvelle version de son modèle, plus rapide et moins coûteuse.\n\n"
        "Tarifs\n\n"
        "Les tarifs baissent d’un tiers pour les développeurs qui passent par l’API de l’entreprise.\n\n"
        "Les chiffres\n\n"
        "Le modèle gagne dix points sur les tests de programmation les plus utilisés par le secteur.\n\n"
        "Disponibilité\n\n"
        "- dès aujourd’hui dans l’API\n"
        "- la semaine prochaine dans l’application\n\n"
        "- Spotify\n\n"
        "Conclusion\n\n"
        "Apple Music\n"
    )
    result = clean_markdown(body, lang="fr", title="", rules=rules)
    assert [(r.text, r.rule) for r in result.removed] == [("Shazam", STRAY_RULE), ("Apple Music", STRAY_RULE)]


def test_stray_word_in_the_middle_is_left_alone(rules):
    body = (
        "Un premier paragraphe assez long pour compter comme un vrai paragraphe du texte.\n\n"
        "Deezer\n\n"
        "Un second paragraphe assez long pour compter lui aussi comme un vrai paragraphe.\n"
    )
    assert clean_markdown(body, lang="fr", title="", rules=rules).removed == []


def test_fenced_and_indented_code_is_never_touched(rules):
    body = (
        "Un paragraphe assez long pour compter comme un vrai paragraphe du texte, vraiment.\n\n"
        "```\nPublicité\n\nShare on X\n\u200bzero width stays in code\n```\n\n"
        "~~~~ text\nPartager sur Facebook\n```\nstill code\n~~~~\n\n"
        "    Publicité\n    Advertisement\n"
    )
    result = clean_markdown(body, lang="fr", title="", rules=rules)
    assert result.removed == []
    assert result.text == body


def test_keep_patterns_protect_lines(tmp_path):
    rules_file = tmp_path / "cleaning.yaml"
    rules_file.write_text(
        "keep:\n  - '^Publicité comparative'\n"
        "lines:\n  fr:\n    advertising:\n      - 'publicite( \\w+)?'\n",
        encoding="utf-8",
    )
    rules = load_rules(str(rules_file))
    body = "Publicité comparative\n\nPublicité\n\nPublicité ciblée\n"
    result = clean_markdown(body, lang="fr", title="", rules=rules)
    assert [r.text for r in result.removed] == ["Publicité", "Publicité ciblée"]
    assert result.text == "Publicité comparative\n"


def test_editors_extend_the_rules_in_yaml(rules):
    data = {"lines": {"fr": {"podcast": ["ecoutez (notre|le) podcast"]}, "*": {"share": ["partage"]}}}
    extended = Rules.from_mapping(data)
    body = "Écoutez notre podcast\n\nÉcoutez notre podcast · Partage\n"
    result = clean_markdown(body, lang="fr", title="", rules=extended)
    assert [r.rule for r in result.removed] == ["podcast", "podcast"]
    assert result.text == ""


@pytest.mark.parametrize(
    "data, message",
    [
        ({"lines": {"fr": {"share": ["partager (sur"]}}}, "lines.fr.share"),
        ({"lines": {"fr": {"share": ["(?P<x>a)"]}}}, "named groups"),
        ({"lines": {"fr": {"share": "ok", "Bad Name": ["x"]}}}, "rule name"),
        ({"lines": ["x"]}, "'lines' must map"),
        ({"keep": ["(unclosed"]}, "keep"),
    ],
)
def test_bad_rules_are_reported_with_where_and_why(data, message):
    with pytest.raises(RulesError, match=re.escape(message)):
        Rules.from_mapping(data, source="cleaning.yaml")


def test_rules_are_compiled_once_per_file_version(tmp_path):
    rules_file = tmp_path / "cleaning.yaml"
    rules_file.write_text("lines:\n  fr:\n    advertising: ['publicite']\n", encoding="utf-8")
    first = load_rules(str(rules_file))
    assert load_rules(str(rules_file)) is first
    rules_file.write_text("lines:\n  fr:\n    advertising: ['pub']\n", encoding="utf-8")
    stat = os.stat(rules_file)
    os.utime(rules_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert load_rules(str(rules_file)) is not first


def test_every_language_gets_the_common_rules(rules):
    assert rules.line_rule(fold("Accueil › Technik › KI"), "de") == "breadcrumb"
    assert rules.line_rule(fold("Partager sur X"), "de") is None


def test_removals_never_leave_three_blank_lines(rules):
    body = (
        "Un paragraphe assez long pour compter comme un vrai paragraphe du texte, vraiment.\n\n\n"
        "Publicité\n\n\n"
        "Partager sur X\n\n\n\n"
        "Un autre paragraphe assez long pour compter comme un vrai paragraphe du texte.\n\n"
        "Publicité\n\n"
    )
    result = clean_markdown(body, lang="fr", title="", rules=rules)
    assert "\n\n\n" not in result.text
    assert result.text == (
        "Un paragraphe assez long pour compter comme un vrai paragraphe du texte, vraiment.\n\n"
        "Un autre paragraphe assez long pour compter comme un vrai paragraphe du texte.\n"
    )


def test_report_gives_line_numbers_text_and_rule(rules):
    body = "Titre repris\n\nPartager sur X\nUn vrai paragraphe, assez long pour être compté comme tel dans le texte.\n"
    result = clean_markdown(body, lang="fr", title="Titre repris", rules=rules)
    assert [r[:3] for r in result.removed] == [(1, "Titre repris", TITLE_RULE), (3, "Partager sur X", "share")]
    assert [r.explain() for r in result.removed] == ["title-repeat 1.00: repeats the title",
                                                      "share 1.00: phrase list"]


def test_invisible_characters_and_composed_accents_are_normalised_outside_code(rules):
    body = "Le mode\u0300le d\u2019Open\u200bAI est sorti, avec une fen\u00eatre de contexte de\u00ad un million de jetons.\n"
    result = clean_markdown(body, lang="fr", title="", rules=rules)
    assert result.text == "Le modèle d\u2019OpenAI est sorti, avec une fenêtre de contexte de un million de jetons.\n"
    assert result.removed == []


# Random mixes of real and noise lines: cleaning twice gives what cleaning once gave.
_LINES = [
    "",
    "",
    "Un paragraphe assez long pour compter comme un vrai paragraphe du texte, vraiment.",
    "A real paragraph that is long enough to count as one, and that ends like a sentence.",
    "Partager sur Facebook",
    "Share on X",
    "Publicité",
    "Shazam",
    "Apple Music",
    "Contexte",
    "## Un titre",
    "- un élément",
    "```",
    "Nvidia présente Rubin",
    "nvidia presente rubin puce",
    "Il a refusé de partager sur ce sujet.",
    "Read more: something",
    "12 comments",
    "Home › Tech › AI",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_LINES), max_size=25), st.sampled_from(["fr", "en"]))
def test_cleaning_random_mixes_is_idempotent(rules, lines, lang):
    body = "\n".join(lines) + "\n"
    title = "Nvidia présente Rubin, sa nouvelle puce"
    once = clean_markdown(body, lang=lang, title=title, rules=rules)
    twice = clean_markdown(once.text, lang=lang, title=title, rules=rules)
    assert twice.text == once.text
    assert twice.removed == []
    assert "\n\n\n" not in once.text or "\n\n\n" in body


def test_400_kb_loses_each_copy_s_noise_and_its_edges_once(rules):
    """On 400 KB of pasted posts one after another, every phrase rule fires once per copy, and the
    rules that look at the edges of a post (a headline repeated at the top, a stray widget word at
    the end) only at the edges (the time it takes: python -m benchmarks.hot_paths)."""
    chunk = "\n".join(read_post(name)[1] for name in ("fr_pasted.md", "clean_fr.md", "en_pasted.md", "clean_en.md"))
    copies = 400_000 // len(chunk.encode("utf-8")) + 1
    title = "Mistral AI dévoile Large 3"
    one = Counter(r.rule for r in clean_markdown(chunk, lang="fr", title=title, rules=rules).removed)
    many = Counter(r.rule for r in clean_markdown(chunk * copies, lang="fr", title=title, rules=rules).removed)
    edges = {"title-repeat", "stray-word"}
    assert {rule: n * copies for rule, n in one.items() if rule not in edges} == {
        rule: n for rule, n in many.items() if rule not in edges}
    assert {rule: many[rule] for rule in edges} == {rule: one[rule] for rule in edges}


# The repository's own posts: the clean ones lose nothing, the noisy sample loses exactly its noise.
NOISY_REPO_POSTS = {
    "posts/2024/xai-open-source-grok.md": [
        "stray-word", "title-repeat", "title-repeat", "title-repeat", "share", "follow",
    ],
}


def _repo_posts():
    content = ROOT / "content"
    return sorted(str(p.relative_to(content)) for p in content.rglob("*.md"))


@pytest.mark.parametrize("relative", _repo_posts())
def test_repo_posts(relative, rules):
    raw = (ROOT / "content" / relative).read_text(encoding="utf-8")
    _, front, body = raw.split("---\n", 2)
    meta = yaml.safe_load(front)
    # Posts with `clean: false` (translations of cleaned text) are checked too: more clean text.
    result = clean_markdown(body, lang=meta["lang"], title=meta.get("title", ""),
                            summary=meta.get("summary") or "", rules=rules)
    assert [r.rule for r in result.removed] == NOISY_REPO_POSTS.get(relative, []), result.removed


# The issue's samples, when this machine has them (read, not copied into our fixtures).
@pytest.mark.skipif(not SAMPLES.is_dir(), reason="no ../shared/samples beside the clone")
@pytest.mark.parametrize(
    "name, lang, rules_expected",
    [
        ("grok-open-source.raw.txt", "fr", ["title-repeat", "stray-word", "title-repeat", "title-repeat", "follow"]),
        ("openai-gpt4o.raw.txt", "en", ["title-repeat", "breadcrumb", "title-repeat", "byline", "share", "share",
                                        "share", "advertising", "related", "newsletter", "follow", "comments"]),
        ("ai-act.raw.html", "fr", ["stray-word", "cookie", "title-repeat", "byline", "share", "advertising",
                                   "related", "follow"]),
    ],
)
def test_issue_samples(name, lang, rules_expected, rules):
    text = (SAMPLES / name).read_text(encoding="utf-8")
    if name.endswith(".html"):
        title = re.search(r'og:title" content="([^"]+)"', text).group(1)
        text = html_to_text(text)
    else:
        title = text.splitlines()[0]
    result = clean_markdown(text, lang=lang, title=title, rules=rules)
    assert [r.rule for r in result.removed] == rules_expected
    assert clean_markdown(result.text, lang=lang, title=title, rules=rules).removed == []


def test_the_core_loads_without_pelican():
    """Issue 3 #6: the core can be tested and timed alone; importing it must not load Pelican."""
    import subprocess
    import sys

    code = ("import sys; sys.path.insert(0, sys.argv[1]); "
            "import cleaning.core, cleaning.rules, cleaning.sanitize, cleaning.typography; "
            "loaded = sorted({m.split('.')[0] for m in sys.modules} & {'pelican', 'digest', 'jinja2'}); "
            "assert not loaded, loaded")
    proc = subprocess.run([sys.executable, "-c", code, str(ROOT / "plugins")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("body", ["_ _", "Un premier paragraphe assez long pour être du texte.\n\n_ _\n\nFin."])
def test_a_line_of_marks_without_words_is_kept(body, rules):
    # Such a line has the shape of a stray word; folding leaves no word at all (it used to crash).
    assert "_ _" in clean_markdown(body, lang="fr", title="Titre", summary="", rules=rules).text
