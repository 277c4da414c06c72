"""Each kind of source (French paste, English paste, French HTML page) imports into a clean post:
right language, title, source, companies and topics, no page junk, every real sentence, and a post
the real build takes as it is."""

from dataclasses import dataclass, field

import pytest
from lxml import html as lxml_html

from authoring_support import FIXTURES, build_site, copy_content, folded, make_site


@dataclass
class Case:
    file: str
    lang: str
    title: str
    source: str
    companies: set  # at least these
    topics: set  # at least these
    date: str | None = None  # passed as --date (pasted text has none)
    url: str | None = None  # passed as --url
    junk: list = field(default_factory=list)  # lines of the file that must not survive
    absent_companies: set = field(default_factory=set)  # named only in junk lines
    removed: int = 0


CASES = [
    Case("codestral.raw.txt", "fr", "Mistral AI dévoile Codestral, un modèle taillé pour écrire du code",
         "https://www.exemple-tech.fr/ia/mistral-codestral", {"mistral-ai", "hugging-face", "microsoft"},
         {"model-release"}, date="2024-05-29 17:40", url="https://www.exemple-tech.fr/ia/mistral-codestral",
         junk=["Spotify", "mistral ai dévoile codestral modèle code",
               "Codestral : Mistral AI lance son modèle pour écrire du code",
               "suivez nous sur google publisher"], removed=4),
    Case("claude-sonnet.raw.txt", "en", "Anthropic releases Claude 3.5 Sonnet, its fastest capable model yet",
         "https://news.example.com/ai/claude-3-5-sonnet", {"anthropic", "amazon", "google"},
         {"model-release"}, date="2024-06-20 16:05",
         url="https://news.example.com/ai/claude-3-5-sonnet?utm_source=twitter&utm_medium=social",
         junk=["Home › Tech › AI", "Anthropic releases Claude 3.5 Sonnet, its fastest capable model yet",
               "By Tech Desk · 3 min read", "Share on LinkedIn", "Share on X", "Copy link",
               "Advertisement", "Read more: Apple brings ChatGPT to Siri", "Subscribe to our AI newsletter",
               "Follow us on LinkedIn", "34 comments"],
         absent_companies={"apple", "openai"}, removed=11),
    Case("nvidia-capitalisation.raw.html", "fr", "Nvidia devient l'entreprise la plus chère du monde",
         "https://www.lefiltech.example/marches/2024/06/19/nvidia-entreprise-plus-chere",
         {"nvidia", "microsoft", "apple", "openai", "amazon", "google", "meta"}, {"hardware"},
         junk=["Accueil", "Marchés", "cookies", "Tout accepter", "Tout refuser", "Par Claire Dumont",
               "Partager", "Copier le lien", "Publicité", "Lire aussi", "divise son action",
               "Suivez-nous", "©", "utm_", "dataLayer"], removed=2),
]
IDS = [c.file for c in CASES]


def real_text(case):
    """The article's own sentences, as the fixture has them."""
    path = FIXTURES / case.file
    if case.file.endswith(".html"):
        tree = lxml_html.fromstring(path.read_bytes())
        nodes = tree.xpath("//article//p[not(@class)] | //article//h2 | //article//li")
        texts = [" ".join(n.text_content().split()) for n in nodes]
        return [t for t in texts if not any(j in t for j in case.junk)]
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [line for line in lines[1:] if line not in case.junk]


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """All three fixtures imported into one copy of content/."""
    from authoring.importer import import_source, summary
    from authoring.posts import write_post

    tmp = tmp_path_factory.mktemp("imported")
    content = copy_content(tmp)
    site = make_site(content)
    results = {}
    for case in CASES:
        result = import_source(site, str(FIXTURES / case.file), source_url=case.url, date=case.date)
        write_post(result.path, result.text)
        results[case.file] = (result, summary(site, result, written=True))
    return {"site": site, "results": results, "tmp": tmp, "content": content}


@pytest.fixture(scope="module")
def built(imported):
    """One real build of the content copy holding the three imported posts."""
    settings, report, out = build_site(imported["tmp"], content=imported["content"])
    return {**imported, "report": report, "out": out, "settings": settings}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_front_matter_is_what_the_article_says(imported, case):
    result, _ = imported["results"][case.file]
    meta = result.meta
    assert meta["lang"] == case.lang
    assert meta["title"] == case.title
    assert meta["source"] == case.source
    assert case.companies <= set(meta["companies"]), meta["companies"]
    assert not case.absent_companies & set(meta["companies"])
    assert case.topics <= set(meta["tags"]), meta["tags"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_no_junk_left_and_every_sentence_kept(imported, case):
    result, _ = imported["results"][case.file]
    body = result.text.split("\n---\n", 1)[1]
    reader_text = folded(body)
    for junk in case.junk:
        assert junk not in body, junk
    for sentence in real_text(case):
        assert sentence in reader_text, sentence
    assert len(result.removed) == case.removed, result.removed


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_written_post_parses_cleanly(imported, case):
    from digest import frontmatter
    from digest.config import known_ids, languages

    result, _ = imported["results"][case.file]
    settings = imported["site"].settings
    with open(result.path, "rb") as fh:
        doc = frontmatter.load(fh.read(), result.path, languages=languages(settings),
                               timezone=settings["TIMEZONE"], known_ids=known_ids(settings))
    assert doc.problems == []
    assert doc.meta["slug"] == result.meta["slug"]
    assert "#" not in result.text.split("---")[1], "front matter must be comment-free"


def test_imported_posts_build_without_edits(built):
    assert built["report"].errors == []
    out = built["out"]
    for case in CASES:
        result, _ = built["results"][case.file]
        date = result.meta["date"]
        prefix = "" if case.lang == "fr" else "en/"
        page = out / f"{prefix}{date:%Y}/{date:%m}/{result.meta['slug']}/index.html"
        assert page.exists(), page
        html = page.read_text(encoding="utf-8")
        assert "utm_" not in html
        assert folded(real_text(case)[0]).split()[0] in html


def test_html_import_keeps_structure_and_clean_links(imported):
    result, _ = imported["results"]["nvidia-capitalisation.raw.html"]
    body = result.text.split("\n---\n", 1)[1]
    assert "\n## Des processeurs graphiques devenus incontournables\n" in body
    assert "\n- Amazon et Google, qui louent" in body
    assert "(https://investor.nvidia.com/financial-info/quarterly-results/?lang=fr)" in body
    assert result.meta["date"].isoformat() == "2024-06-19T08:15:00+02:00"
    assert result.meta["source_name"] == "Le Fil Tech"


def test_pasted_text_gets_headings_and_given_date(imported):
    result, _ = imported["results"]["codestral.raw.txt"]
    body = result.text.split("\n---\n", 1)[1]
    assert "\n## Un assistant pour compléter et tester les programmes\n" in body
    assert "\n## Une bêta gratuite pour les développeurs\n" in body
    assert result.meta["date"].strftime("%Y-%m-%d %H:%M %Z") == "2024-05-29 17:40 CEST"
    assert result.path.endswith("posts/2024/mistral-ai-devoile-codestral-un-modele-taille-pour-ecrire-du-code.md")


def test_summary_says_what_was_found_and_removed(imported):
    _, text = imported["results"]["claude-sonnet.raw.txt"]
    assert "  lang       en  (detected among fr, en" in text
    assert "  removed    11 line(s)" in text
    assert "    - line 19 [related] Read more: Apple brings ChatGPT to Siri" in text
    assert "  companies  anthropic (" in text and "  topics     model-release" in text
    assert "  source     https://news.example.com/ai/claude-3-5-sonnet  (given (--url))" in text
    assert "  written    content/posts/2024/anthropic-releases-claude-3-5-sonnet" in text
    assert "left out" not in text  # pasted text: every line is in the post or under "removed"
    _, text = imported["results"]["nvidia-capitalisation.raw.html"]
    assert '(from <meta property="article:published_time">)' in text
    assert '(from <link rel="canonical">)' in text


def test_html_summary_lists_the_page_text_the_extraction_left_out(imported):
    """The page's navigation, banner, byline, share bars, ad and footer never reach the cleaning
    core: the summary lists them, so the editor sees what went and that no article text did."""
    case = next(c for c in CASES if c.file.endswith(".html"))
    result, text = imported["results"][case.file]
    assert result.left_out == [
        "Accueil Marchés IA",
        "Ce site utilise des cookies pour mesurer son audience. Tout accepter Tout refuser",
        "Par Claire Dumont, le 19 juin 2024",
        "Partager sur Facebook · Partager sur LinkedIn · Copier le lien",
        "Publicité",
        "Partager sur X",
        "Suivez-nous sur les réseaux sociaux · © Le Fil Tech 2024",
    ]
    assert "  left out   7 block(s) of the page, not article text\n    - Accueil Marchés IA\n" in text
    assert not [t for t in real_text(case) if any(t in block or block in t for block in result.left_out)]
