"""The pieces of an import alone: pasted text, HTML extraction, language, dates, dry run."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from authoring_support import FIXTURES, ROOT, copy_content, make_site


@pytest.fixture
def site(tmp_path):
    return make_site(copy_content(tmp_path))


# --- pasted text --------------------------------------------------------------------------------

def test_first_line_is_the_title_and_an_address_above_it_the_source():
    from authoring.pasted import parse_pasted

    paste = parse_pasted("\n\nhttps://example.com/a?x=1\n\n  Le  titre \n\n\nPremier paragraphe.\n")
    assert (paste.title, paste.source, paste.body, paste.body_line) == (
        "Le titre", "https://example.com/a?x=1", "Premier paragraphe.", 8)


def test_subheadings_are_promoted_only_before_a_longer_paragraph():
    from authoring.pasted import as_markdown

    body = ("Les enjeux de la course\n\nUn paragraphe assez long pour être un vrai paragraphe de texte.\n"
            "Une ligne courte et finie.\nVers une IA plus ouverte ?\nUn autre paragraphe, plus long que "
            "la question qui le précède.\nDerniers mots sans point")
    assert as_markdown(body).split("\n\n") == [
        "## Les enjeux de la course",
        "Un paragraphe assez long pour être un vrai paragraphe de texte.",
        "Une ligne courte et finie.",
        "## Vers une IA plus ouverte ?",
        "Un autre paragraphe, plus long que la question qui le précède.",
        "Derniers mots sans point",
    ]


# --- HTML ---------------------------------------------------------------------------------------

PAGE = """<html lang="en"><head><title>Big news – The Daily AI</title>
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Big news from the lab",
 "datePublished": "2024-02-15T18:00:00Z"}</script></head>
<body><nav><a href="/">Home</a></nav><article><h1>Big news from the lab</h1>
<p>The lab released a new video model that turns a text prompt into a minute of footage, and it
published <a href="javascript:void(0)">a demo</a> with <a href="/research?utm_source=home&amp;id=7">a
research note</a> and <a href="https://example.org/paper?fbclid=abc">the paper</a>.</p>
<h3>What it can do</h3><p>It keeps characters consistent across cuts, the company said in its post.</p>
</article></body></html>"""


def test_html_metadata_falls_back_to_json_ld_and_title_suffix():
    from authoring.extract import extract_article

    page = extract_article(PAGE.encode())
    assert page.title == "Big news from the lab" and page.found["title"] == "JSON-LD headline"
    assert page.date == "2024-02-15T18:00:00Z"
    assert page.site_name == "The Daily AI"
    assert page.url is None and page.lang == "en"


def test_links_are_absolute_and_untracked_or_plain_text():
    from authoring.extract import extract_article

    without_base = extract_article(PAGE.encode()).markdown
    assert "a demo" in without_base and "javascript" not in without_base
    assert "[a research note]" not in without_base and "with a research note and" in without_base  # no base
    assert "and it published" in without_base  # the page's line wraps are gone
    assert "[the paper](https://example.org/paper)" in without_base
    fetched = extract_article(PAGE.encode(), url="https://lab.example.com/news/1").markdown
    assert "[a research note](https://lab.example.com/research?id=7)" in fetched


def test_headline_becomes_a_line_and_headings_start_at_h2():
    from authoring.extract import extract_article

    markdown = extract_article(PAGE.encode()).markdown
    assert markdown.startswith("Big news from the lab\n")
    assert "\n## What it can do\n" in markdown


def test_page_without_article_text_is_refused(site, tmp_path):
    from authoring import AuthoringError
    from authoring.importer import import_source

    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><title>Accueil</title></head><body><form></form></body></html>")
    with pytest.raises(AuthoringError, match="no article text found in the page"):
        import_source(site, str(empty))
    untitled = tmp_path / "untitled.html"
    untitled.write_text("<html><body><p>" + "Un paragraphe de texte sans titre nulle part. " * 5 + "</p></body></html>")
    with pytest.raises(AuthoringError, match=r"no title found \(the page has no og:title"):
        import_source(site, str(untitled))


# --- language and date --------------------------------------------------------------------------

def test_given_language_is_never_detected(site):
    from authoring.importer import import_source
    from authoring.language import detector

    before = detector.cache_info()
    result = import_source(site, str(FIXTURES / "claude-sonnet.raw.txt"), lang="en")
    after = detector.cache_info()
    assert result.how["lang"] == "given (--lang)"
    assert (after.hits, after.misses) == (before.hits, before.misses)


def test_language_is_detected_for_french_and_english():
    from authoring.language import detect_language

    fr = detect_language("Le modèle a été publié mardi par la start-up, qui promet une version plus "
                         "grande cet été.", ["fr", "en"])
    en = detect_language("The model was released on Tuesday by the startup, which promises a larger "
                         "version this summer.", ["fr", "en"])
    assert (fr.lang, en.lang) == ("fr", "en")
    assert fr.how.startswith("detected among fr, en (confidence 0.") and fr.confidence > 0.8


def test_no_date_means_now_in_the_site_timezone(site):
    from authoring.importer import import_source

    result = import_source(site, str(FIXTURES / "codestral.raw.txt"))
    now = datetime.now(ZoneInfo("Europe/Paris"))
    assert result.meta["date"].utcoffset() == now.utcoffset()
    assert abs((result.meta["date"] - now).total_seconds()) < 120
    assert any("no publication date found" in note for note in result.notes)
    assert any("no source address" in note for note in result.notes)


def test_unknown_language_is_refused(site):
    from authoring import AuthoringError
    from authoring.importer import import_source

    with pytest.raises(AuthoringError, match="unknown language 'de'"):
        import_source(site, str(FIXTURES / "codestral.raw.txt"), lang="de")


def test_missing_file_is_one_line(site):
    from authoring import AuthoringError
    from authoring.importer import import_source

    with pytest.raises(AuthoringError, match=r"^nope\.txt: no such file"):
        import_source(site, "nope.txt")


# --- the command --------------------------------------------------------------------------------

def test_cli_dry_run_prints_the_post_and_writes_nothing():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "invoke", "import", str(FIXTURES / "nvidia-capitalisation.raw.html"),
                           "--dry-run"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("---\ntitle: Nvidia devient l'entreprise la plus chère du monde\n")
    assert "  would write content/posts/2024/nvidia-devient-l-entreprise-la-plus-chere-du-monde.md" in proc.stdout
    assert not (ROOT / "content/posts/2024/nvidia-devient-l-entreprise-la-plus-chere-du-monde.md").exists()


def test_left_out_compares_whole_words_in_order():
    from authoring.extract import left_out

    markdown = "Nvidia a **dépassé** [Microsoft](https://x.example/m) et Apple.\n\n## Des puces"
    blocks = ["Nvidia a dépassé Microsoft et Apple.", "Des puces", "IA", "Apple et Microsoft", "Partager"]
    assert left_out(blocks, markdown) == ["IA", "Apple et Microsoft", "Partager"]
