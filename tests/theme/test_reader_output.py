"""The reader's side of issue 18, read from the built files: pictures, social cards, the home's lead
story and weekly link, company pages, "more on", the text layer (1er, typography, bare URLs)."""

from __future__ import annotations

import re
import struct
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).resolve().parent))
from theme_support import build_site, copy_content  # noqa: E402

SITE = "http://site.test/sub"


def soup(path):
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html.parser")


def png_size(path):
    data = Path(path).read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reader")
    settings, report, out = build_site(tmp, siteurl=SITE)
    assert report.errors == []
    return {"settings": settings, "report": report, "out": out, "tmp": tmp}


def pages(out):
    return sorted(p for p in Path(out).rglob("*.html") if "pagefind" not in p.parts)


def articles(out):
    return [p for p in Path(out).rglob("index.html")
            if re.match(r"(en/)?\d{4}/\d{2}/", p.relative_to(out).as_posix())]


# -- pictures ------------------------------------------------------------------------------------
def test_a_post_picture_is_resized_with_srcset_and_size_and_lazy_below_the_fold(built):
    out = built["out"]
    doc = soup(out / "en/2024/03/nvidia-blackwell-b200-gtc/index.html")
    img = doc.select_one(".post-figure img")
    assert img["alt"].startswith("Drawing of a processor")
    assert img["loading"] == "lazy" and int(img["width"]) > 0 and int(img["height"]) > 0
    widths = [int(part.split()[1][:-1]) for part in img["srcset"].split(", ")]
    assert widths == sorted(widths) and len(widths) >= 2 and max(widths) <= 1200
    for part in img["srcset"].split(", "):
        file = out / part.split()[0].removeprefix(SITE + "/")
        assert file.is_file() and file.stat().st_size < 200_000, file
    assert doc.select_one(".post-figure figcaption").get_text(strip=True) == "Image: Illustration: AI Digest"
    # The picture comes after the first paragraph: the story starts on the first screen.
    body = doc.select_one(".post-body")
    assert body.find(recursive=False).name == "p"
    # The French page of an English story shows the English alternative, marked as English.
    fr = soup(out / "2024/03/nvidia-blackwell-b200-gtc/index.html").select_one(".post-figure img")
    assert fr["lang"] == "en" and fr["alt"] == img["alt"]
    # Lists show it too, as a thumbnail with its size.
    card = soup(out / "en/companies/nvidia/index.html").select_one(".card-picture img")
    assert card["width"] and card["height"] and card["loading"] == "lazy"


def test_every_image_has_its_size_and_comes_from_the_site(built):
    out = built["out"]
    seen = 0
    for path in pages(out):
        doc = soup(path)
        csp = doc.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        if csp:
            assert "img-src 'self';" in csp["content"], path
        for img in doc.find_all("img"):
            seen += 1
            assert img.get("width") and img.get("height"), (path, img)
            assert img["src"].startswith(SITE + "/"), (path, img["src"])
            assert img.has_attr("alt"), (path, img)
    assert seen


def test_a_warm_build_resizes_nothing_and_a_clean_output_is_filled_from_the_cache(tmp_path,
                                                                                 monkeypatch):
    from digest import images, social

    build_site(tmp_path)
    made = []
    monkeypatch.setattr(images, "resize", lambda *a, **k: made.append(a) or [])
    monkeypatch.setattr(social, "card_png", lambda **k: made.append(k) or b"")
    import shutil

    shutil.rmtree(tmp_path / "output")
    (tmp_path / "cache" / "digest-output.json").unlink()
    _s, report, out = build_site(tmp_path)
    assert report.errors == [] and made == []
    assert list((out / "images/sized").iterdir())
    assert png_size(out / "2024/03/nvidia-blackwell-b200-gtc/card.png") == (1200, 630)


@pytest.mark.parametrize("front,field,says", [
    ("image: missing.jpg\nimage_alt: \"A chip\"\n", "image", "no file content/images/missing.jpg"),
    ("image: ../posts/2024/meta-llama-3.md\nimage_alt: \"x\"\n", "image", "not inside content/images/"),
    ("image: outside.jpg\nimage_alt: \"x\"\n", "image", "not inside content/images/"),
    ("image: notapicture.jpg\nimage_alt: \"x\"\n", "image", "not a picture"),
    ("image: gpu-die.jpg\n", "image_alt", "text alternative"),
])
def test_a_picture_problem_names_the_file_and_field_and_the_post_is_not_lost(tmp_path, front, field,
                                                                              says):
    content = copy_content(tmp_path)
    (content / "images/notapicture.jpg").write_text("<svg onload=alert(1)>", encoding="utf-8")
    secret = tmp_path / "secret.jpg"
    secret.write_bytes((content / "images/gpu-die.jpg").read_bytes())
    (content / "images/outside.jpg").symlink_to(secret)
    post = content / "posts/2024/meta-llama-3.md"
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("\n---\n", "\n" + front + "---\n", 1), encoding="utf-8")
    _s, report, out = build_site(tmp_path, content=content)
    errors = [e for e in report.errors if e.path.endswith("meta-llama-3.md")]
    assert errors and errors[0].field == field and says in errors[0].message, report.errors
    assert errors[0].fix
    # Nothing was resized from it (what Pelican's static copy does with content/images/ is the
    # static generator's business: see the report of issue 18).
    sized = out / "images/sized"
    assert len(list(sized.iterdir())) == 6 if sized.is_dir() else True
    # The post is still published, without the picture.
    assert not soup(out / "2024/04/meta-llama-3/index.html").select(".post-figure")


# -- social cards --------------------------------------------------------------------------------
def test_every_article_in_each_language_has_a_title_card(built):
    out = built["out"]
    found = articles(out)
    assert len(found) > 20
    for path in found:
        doc = soup(path)
        image = doc.find("meta", property="og:image")["content"]
        assert image.startswith(SITE + "/") and image.endswith("/card.png"), path
        assert png_size(out / image.removeprefix(SITE + "/")) == (1200, 630)
        assert doc.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
        assert doc.find("meta", property="og:image:alt")["content"] == doc.h1.get_text(strip=True)
    home = soup(out / "index.html")
    assert home.find("meta", attrs={"name": "twitter:card"})["content"] == "summary"


def test_only_a_changed_post_makes_a_new_card(tmp_path, monkeypatch):
    from digest import social

    content = copy_content(tmp_path)
    build_site(tmp_path, content=content)
    made = []
    real = social.card_png
    monkeypatch.setattr(social, "card_png", lambda **k: made.append(k["title"]) or real(**k))
    post = content / "posts/2024/meta-llama-3.md"
    post.write_text(post.read_text(encoding="utf-8").replace('title: "', 'title: "Nouveau : ', 1),
                    encoding="utf-8")
    build_site(tmp_path, content=content)
    assert len(made) == 1 and made[0].startswith("Nouveau")


# -- home, weeks, companies ----------------------------------------------------------------------
def test_home_leads_with_the_newest_story_and_names_the_latest_week(built):
    out = built["out"]
    for prefix, words in (("", r"Digest du \d+(er)? .+ au \d+ .+ \d{4}"),
                          ("en/", r"Digest for [A-Z][a-z]+ \d+.+\d{4}")):
        doc = soup(out / prefix / "index.html")
        lead = doc.select_one("main article.lead")
        listed = [a["href"] for a in doc.select("main .cards article.card h2 a")]
        newest = sorted(doc.select("main article time"), key=lambda t: t["datetime"])[-1]
        assert lead.select_one("time")["datetime"] == newest["datetime"]
        assert lead.select_one("h2 a")["href"] not in listed
        assert lead.select_one(".standfirst").get_text(strip=True)
        week = doc.select_one(".week-banner a")
        assert re.fullmatch(words, week.get_text(strip=True)), week.text
        week_page = soup(out / week["href"].removeprefix(SITE + "/") / "index.html")
        assert week_page.h1.get_text(strip=True) == week.get_text(strip=True)
        assert lead.select_one("h2 a")["href"] in [a["href"] for a in week_page.select(".week-list a")]


def test_a_featured_story_leads_the_home_page(tmp_path):
    content = copy_content(tmp_path)
    post = content / "posts/2024/nvidia-blackwell-b200-gtc.md"
    post.write_text(post.read_text(encoding="utf-8").replace("\n---\n", "\nfeatured: true\n---\n", 1),
                    encoding="utf-8")
    _s, report, out = build_site(tmp_path, content=content)
    assert report.errors == []
    lead = soup(out / "en/index.html").select_one("article.lead")
    assert "Blackwell" in lead.h2.text
    assert lead.select_one("img")["fetchpriority"] == "high"
    assert not lead.select_one("img").has_attr("loading")


def test_company_page_has_its_monogram_coverage_plot_and_topics_as_proportions(built):
    out = built["out"]
    doc = soup(out / "entreprises/openai/index.html")
    mark = doc.select_one(".term-header svg.mark")
    assert mark["role"] == "img" and "OpenAI" in mark["aria-label"]
    assert mark.rect["fill"] == "#0d6b57" and mark.find("text").text == "OA"
    assert re.match(r"\d+ articles? ·", doc.select_one(".term-header .meta").get_text(strip=True))
    plot = doc.select_one(".coverage svg.plot")
    text = doc.find(id=plot["aria-labelledby"]).get_text(strip=True)
    assert re.match(r"\d+ articles? de .+ à .+\s; le mois le plus couvert\s: .+ \(\d+\)\.$", text), text
    bars = plot.select("rect")
    months = doc.select(".coverage-table tr")
    assert len(bars) >= len(months) > 0
    counted = sum(int(r.td.text) for r in months)
    assert counted == int(re.match(r"\d+", text).group())
    assert all(b.title for b in bars), "each bar names its month"
    shares = doc.select(".shares li")
    assert shares and all(re.fullmatch(r"\d+ sur \d+", li.select_one(".count").text) for li in shares)
    assert doc.select(".related a[href*='/entreprises/']"), "companies named alongside"


def test_company_and_topic_indexes_are_cards_with_the_latest_headline(built):
    out = built["out"]
    for path, with_mark in (("entreprises/index.html", True), ("en/topics/index.html", False)):
        cards = soup(out / path).select(".term-card")
        assert cards
        for card in cards:
            assert card.h2.a and card.select_one(".count").text
            assert card.select_one(".note").get_text(strip=True)
            assert card.select_one(".latest a") and card.select_one(".latest time")
            assert bool(card.select_one("svg.mark, img.mark")) == with_mark


def test_an_article_ends_with_more_on_its_company_in_its_language(built):
    out = built["out"]
    for path in articles(out):
        doc = soup(path)
        more = doc.select(".more .more-list a")
        assert len(more) <= 3
        own = doc.find("link", rel="canonical")["href"]
        prefix = f"{SITE}/en/" if doc.html["lang"] == "en" else SITE + "/"
        for a in more:
            assert a["href"] != own
            assert a["href"].startswith(prefix) and (doc.html["lang"] == "en") == ("/en/" in a["href"])
    doc = soup(out / "2024/05/openai-gpt-4o/index.html")
    assert doc.select_one(".more h2").get_text(strip=True) == "Plus sur OpenAI"
    assert len(doc.select(".more .more-list a")) == 3


# -- the text layer ------------------------------------------------------------------------------
def test_french_writes_the_first_of_the_month_1er(built):
    doc = soup(built["out"] / "2024/08/eu-ai-act-enters-into-force/index.html")
    assert doc.select_one(".post-header time").text == "1er août 2024"
    en = soup(built["out"] / "en/2024/08/eu-ai-act-enters-into-force/index.html")
    assert en.select_one(".post-header time").text == "August 1, 2024"


def visible_text(doc):
    for tag in doc(["script", "code", "pre"]):
        tag.decompose()
    return doc.get_text(" ")


def test_no_straight_apostrophe_on_any_page_ui_registry_or_post(built):
    """UI strings, topic labels, company descriptions and posts all get the same typography."""
    out = built["out"]
    problems = []
    for path in pages(out):
        text = visible_text(soup(path))
        for match in re.finditer(r"\w'\w", text):
            problems.append((path.relative_to(out).as_posix(), text[match.start() - 20: match.end() + 20]))
    assert problems == []
    text = visible_text(soup(out / "sujets/index.html"))
    assert "Sécurité de l’IA" in text
    feed = (out / "feeds/all.atom.xml").read_text(encoding="utf-8")
    assert "d'" not in feed.split("<entry>")[0]


def test_a_bare_address_becomes_a_link_that_breaks_after_its_slashes(built):
    doc = soup(built["out"] / "2024/11/alphafold-3-code-publie/index.html")
    link = doc.select_one('.post-body a[href="https://github.com/google-deepmind/alphafold3"]')
    assert link is not None and link.get_text() == "https://github.com/google-deepmind/alphafold3"
    assert link.find("wbr") is not None
    raw = (built["out"] / "2024/11/alphafold-3-code-publie/index.html").read_text(encoding="utf-8")
    assert "github.<wbr>com/<wbr>google-<wbr>deepmind/<wbr>alphafold3</a>" in raw


def test_the_switcher_of_a_page_with_no_counterpart_says_so(built):
    doc = soup(built["out"] / "2024/11/alphafold-3-code-publie/index.html")
    link = doc.select_one('.lang-switch a[hreflang="en"]')
    assert link["data-counterpart"] == "no" and link["href"] == f"{SITE}/en/"
    assert link.small.text == "not translated" and link["lang"] == "en"


def test_a_local_build_draws_no_card_since_og_image_must_be_absolute(tmp_path):
    _s, report, out = build_site(tmp_path, siteurl="")
    assert report.errors == []
    assert not list(out.rglob("card.png"))
    doc = soup(out / "2024/03/nvidia-blackwell-b200-gtc/index.html")
    assert doc.find("meta", property="og:image") is None
    assert doc.find("meta", attrs={"name": "twitter:card"})["content"] == "summary"
