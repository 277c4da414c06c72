"""The site in Chromium, served under a subpath by a plain static server: the reader's path in each
language, search, keyboard use, axe-core on every page kind in light and dark, 360 px without
horizontal scroll, and screenshots of every page kind at 1280 and 375 px (test-artifacts/)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from theme_support import ARTIFACTS, AXE, CHROMIUM, SETUP_HINT, Served, launch  # noqa: E402

playwright_api = pytest.importorskip("playwright.sync_api")

BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    site = Served(tmp_path_factory.mktemp("theme-browser"))
    yield site
    site.close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: {SETUP_HINT}")
    with playwright_api.sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


class Console:
    """Console errors and CSP violations a page reports."""

    def __init__(self, page):
        self.errors = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))


@pytest.fixture
def page(browser):
    """A page under the site's real CSP (nothing bypassed)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console = Console(page)
    yield page
    context.close()


def words_of(title):
    """A distinctive word of a title to search for."""
    words = re.findall(r"[\w-]{6,}", title)
    return max(words, key=len)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_reader_path_home_article_switch_company_topic_search(served, page, lang):
    other = "en" if lang == "fr" else "fr"
    pair = served.translated_pair()
    home = "" if lang == "fr" else "en/"
    page.goto(served.url(home))
    assert page.locator("html").get_attribute("lang") == lang

    # Home -> the article (the newest story written in both languages).
    page.locator(f'main h2 a[href="{served.url(pair[lang])}"]').first.click()
    page.wait_for_url(served.url(pair[lang]))
    title = page.locator("article.post h1").inner_text()

    # Language switcher -> the counterpart, not the other home page.
    page.locator(f'.lang-switch a[hreflang="{other}"]').click()
    page.wait_for_url(served.url(pair[other]))
    assert page.locator("html").get_attribute("lang") == other
    page.locator(f'.lang-switch a[hreflang="{lang}"]').click()
    page.wait_for_url(served.url(pair[lang]))

    # A company of the article -> its page; a topic from there -> its page.
    company = page.locator("article.post .chip-companies a").first
    name = company.inner_text()
    company.click()
    page.wait_for_url(re.compile(r"/(entreprises|companies)/[^/]+/$"))
    assert page.locator("h1").inner_text() == name
    topic = page.locator(".shares a").first
    name = topic.inner_text()
    topic.click()
    page.wait_for_url(re.compile(r"/(sujets|topics)/[^/]+/$"))
    assert page.locator("h1").inner_text() == name

    # The header's search box -> the search page, which finds the article.
    word = words_of(title)
    page.fill("#q-head", word)
    page.press("#q-head", "Enter")
    page.wait_for_url(re.compile(r"/(recherche|search)/\?q="))
    hit = page.locator(f'#search-results a[href$="/sub/{pair[lang]}"]')
    hit.wait_for(timeout=10_000)
    assert page.locator("#search-status").inner_text().strip()
    hit.click()
    page.wait_for_url(served.url(pair[lang]))
    assert page.console.errors == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_search_results_are_text_and_only_in_the_page_language(served, page, lang):
    path = served.kinds()[("search", lang)]
    page.goto(served.url(path) + "?q=OpenAI")
    page.locator("#search-results li").first.wait_for(timeout=10_000)
    prefix = "/sub/en/" if lang == "en" else "/sub/"
    hrefs = page.eval_on_selector_all("#search-results a", "els => els.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith(prefix) for h in hrefs)
    if lang == "fr":
        assert not any(h.startswith("/sub/en/") for h in hrefs)
    # Only <mark> survives from Pagefind's excerpt; the rest was copied as text. The excerpt says
    # it is one (a label, and the cut marked with ellipses).
    tags = page.eval_on_selector_all("#search-results p.excerpt *", "els => els.map(e => e.tagName)")
    assert set(tags) <= {"MARK", "SPAN"} and "MARK" in tags
    first = page.locator("#search-results p.excerpt").first
    assert first.locator(".excerpt-label").text_content().strip() in ("Extrait", "Excerpt")
    assert first.inner_text().rstrip().endswith("…")
    # The switcher leads to the same search in the other language.
    other = "en" if lang == "fr" else "fr"
    switch = page.locator(f'.lang-switch a[hreflang="{other}"]')
    assert switch.get_attribute("href").endswith("?q=OpenAI")
    switch.click()
    page.locator("#search-results li").first.wait_for(timeout=10_000)
    assert page.locator("#q").input_value() == "OpenAI"
    page.go_back()
    page.fill("#q", "zzzqqqxxx")
    page.press("#q", "Enter")
    page.locator("#search-results li").first.wait_for(state="detached", timeout=10_000)
    # The list empties as the search starts, with "searching…" until the answer: wait for it.
    page.locator("#search-status", has_text="zzzqqqxxx").wait_for(timeout=10_000)
    assert "zzzqqqxxx" in page.locator("#search-status").inner_text()
    assert page.console.errors == []


def test_keyboard_skip_link_and_visible_focus(served, page):
    page.goto(served.url(""))
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["x"] >= 0, "the skip link shows when focused"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    inside = page.evaluate("document.getElementById('main').contains(document.activeElement)")
    assert inside, "Tab after the skip link goes on inside the main content"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    # Every link of the header can be reached with Tab, in order, each with a visible outline.
    page.goto(served.url(""))
    seen = []
    for _ in range(30):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const e = document.activeElement;
            return [e.tagName, e.closest('header') !== null, getComputedStyle(e).outlineStyle]; }""")
        if not info[1] and seen:
            break
        seen.append(info)
    assert {tag for tag, _, _ in seen} >= {"A", "INPUT", "BUTTON"}
    assert all(style != "none" for tag, _, style in seen if tag in ("A", "BUTTON", "INPUT"))


def test_every_page_kind_passes_axe_in_light_and_dark_fits_360px_and_is_photographed(served, browser):
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing: {SETUP_HINT}")
    # Overwritten, never emptied first: another test run may be writing here at the same time.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # axe is injected as a script tag, which the site's CSP forbids: only this context bypasses it.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    problems, overflow = [], []
    for (kind, lang), path in served.kinds().items():
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(served.url(path))
        page.add_script_tag(path=str(AXE))
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            # Dark mode changes colours only: its pass runs the colour rules, not all of them again.
            options = {"resultTypes": ["violations"]}
            if scheme == "dark":
                options["runOnly"] = ["color-contrast", "link-in-text-block"]
            found = page.evaluate("""async (options) => (await axe.run(document, options))
                .violations.map(v => ({id: v.id, impact: v.impact,
                                       nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""",
                                  options)
            problems += [(kind, lang, scheme, v["id"], v["nodes"]) for v in found
                         if v["impact"] in BLOCKING]
            name = f"{kind}-{lang}"
            page.screenshot(path=str(ARTIFACTS / f"{name}-1280{'-dark' if scheme == 'dark' else ''}.png"),
                            full_page=True)
        page.emulate_media(color_scheme="light")
        page.set_viewport_size({"width": 375, "height": 800})
        page.screenshot(path=str(ARTIFACTS / f"{kind}-{lang}-375.png"), full_page=True)
        page.set_viewport_size({"width": 360, "height": 800})
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            overflow.append((kind, lang, width))
    context.close()
    assert problems == [], problems
    assert overflow == []
    for kind, lang in served.kinds():
        for suffix in ("1280", "1280-dark", "375"):
            assert (ARTIFACTS / f"{kind}-{lang}-{suffix}.png").is_file()


PHONE = {"width": 375, "height": 812}


def test_phone_header_is_short_and_every_article_starts_above_the_fold(served, browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    too_low = []
    for slug, langs in sorted(served.articles().items()):
        for lang, path in sorted(langs.items()):
            page.goto(served.url(path))
            header = page.locator("header.site-header").bounding_box()
            assert header["height"] <= 110, (path, header["height"])
            # The search stays one tap away.
            assert page.locator("header .search-link").is_visible()
            first = page.locator(".post-body > p").first.bounding_box()
            # The first paragraph starts on the first screen with at least three lines of it.
            if first["y"] + 3 * 24 > PHONE["height"]:
                too_low.append((path, first["y"]))
    context.close()
    assert too_low == []


def test_translation_states_do_not_look_alike(tmp_path_factory, browser):
    """Reviewed: a quiet line in the meta; machine-translated: a notice of its own colour, naming
    the service; stale: a warning of another colour; not yet translated: the card's notice."""
    import shutil

    from theme_support import Served, copy_content

    tmp = tmp_path_factory.mktemp("states")
    content = copy_content(tmp / "src")
    memory = content / "translations/en/2024/meta-llama-3.md"
    memory.parent.mkdir(parents=True, exist_ok=True)
    memory.write_text(
        "---\ntitle: \"Meta releases Llama 3\"\ndate: 2024-04-18 20:00\nlang: en\nslug: meta-llama-3\n"
        "translation_of: posts/2024/meta-llama-3.md\nsource_lang: fr\nsource_hash: 0000\n"
        "provider: libre\ntranslated: 2024-04-19\nreviewed: false\n---\n\nMeta unveiled Llama 3.\n",
        encoding="utf-8")
    site = Served(tmp, content=content)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        looks = {}
        page.goto(site.url("en/2024/04/meta-llama-3/"))
        machine = page.locator(".notice-machine")
        assert "LibreTranslate" in machine.inner_text() and "libre)" not in machine.inner_text()
        looks["machine"] = machine.evaluate("e => getComputedStyle(e).backgroundColor")
        assert machine.locator('a[hreflang="fr"]').count() == 1
        reviewed = site.translated_reviewed()
        page.goto(site.url(reviewed))
        line = page.locator(".post-header .meta .reviewed")
        assert line.is_visible() and page.locator(".notice").count() == 0
        looks["reviewed"] = line.evaluate("e => getComputedStyle(e).backgroundColor")
        page.emulate_media(color_scheme="light")
        page.goto(site.url("en/"))
        untranslated = page.locator(".notice-untranslated").first
        assert untranslated.is_visible()
        looks["untranslated"] = untranslated.evaluate("e => getComputedStyle(e).borderStyle")
        page.close()
    finally:
        site.close()
        shutil.rmtree(tmp, ignore_errors=True)
    assert looks["machine"] != looks["reviewed"]
    assert looks["untranslated"] == "dashed"
    assert looks["reviewed"] in ("rgba(0, 0, 0, 0)", "transparent")


def test_switcher_on_a_page_with_no_counterpart_says_so_and_leads_home(served, page):
    lonely = [(slug, langs) for slug, langs in served.articles().items() if len(langs) == 1]
    assert lonely, "the sample content has a story not translated yet"
    slug, langs = lonely[0]
    (lang, path), = langs.items()
    other = "en" if lang == "fr" else "fr"
    page.goto(served.url(path))
    link = page.locator(f'.lang-switch a[hreflang="{other}"]')
    assert link.get_attribute("data-counterpart") == "no"
    assert link.locator("small").inner_text().strip() in ("not translated", "pas traduit")
    link.click()
    page.wait_for_url(served.url("en/" if other == "en" else ""))


def test_an_article_prints_without_navigation(served, page):
    page.goto(served.url(served.translated_pair()["en"]))
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['header.site-header', 'footer.site-footer', '.post-nav', '.more',
        '.post-footer'].filter(s => document.querySelector(s))
        .map(s => [s, getComputedStyle(document.querySelector(s)).display])""")
    assert hidden and all(display == "none" for _, display in hidden), hidden
    assert page.locator("article.post h1").is_visible()
    assert page.locator(".post-body p").first.is_visible()
    pdf = page.pdf()  # Chromium prints it: the article alone, on paper
    assert pdf[:4] == b"%PDF"
    page.emulate_media(media="screen")
