"""The signal glue, on a SourceText as the reader sends it, and a real build of the noisy posts."""

import re
import shutil
import unicodedata

import pytest

from cleaning_support import FIXTURES, ROOT, RULES_PATH, noise_lines, read_post

import cleaning
from cleaning.typography import NBSP, NNBSP
from digest import signals
from digest.model import SourceText


def source(body, *, lang="fr", settings=None, **meta):
    meta = {"title": "Titre", "lang": lang, **meta}
    return SourceText(path="content/posts/x.md", lang=lang, meta=meta, body=body,
                      settings={"PATH": str(ROOT / "content"), **(settings or {})})


def test_source_loaded_cleans_the_body_and_notes_each_removed_line():
    meta, body = read_post("fr_pasted.md")
    src = source(body, **{k: v for k, v in meta.items() if k != "lang"})
    cleaning.clean_source(src)
    assert "Deezer" not in src.body and "suivez nous" not in src.body
    notes = [text for section, text in src.notes if section == "cleaning"]
    assert notes[0] == ("removed line 1 (title-repeat 1.00: repeats the title): "
                        "Mistral AI dévoile Large 3, son modèle le plus puissant")
    assert notes[1] == "removed line 3 (stray-word 1.00: a widget word alone): Deezer"
    assert len(notes) == len(noise_lines("fr_pasted.noise"))


def test_title_summary_and_source_are_made_ready():
    src = source("Un paragraphe.\n", title="L'IA: vraiment?", summary='Un "modèle"...',
                 source="https://exemple.fr/a?utm_source=rss&id=3")
    cleaning.clean_source(src)
    assert src.meta["title"] == f"L’IA{NBSP}: vraiment{NNBSP}?"
    assert src.meta["summary"] == f"Un «{NBSP}modèle{NBSP}»…"
    assert src.meta["source"] == "https://exemple.fr/a?id=3"


def test_a_source_that_is_not_http_is_dropped_and_noted():
    src = source("Un paragraphe.\n", source="javascript:alert(1)")
    cleaning.clean_source(src)
    assert "source" not in src.meta
    assert src.notes == [("cleaning", "dropped source URL that is not http(s): 'javascript:alert(1)'")]


def test_clean_false_keeps_every_line_but_still_sets_the_title():
    body = "Partager sur Facebook\n\nUn paragraphe.\n"
    src = source(body, title="Vraiment?", clean=False)
    cleaning.clean_source(src)
    assert src.body == body
    assert src.notes == []
    assert src.meta["title"] == f"Vraiment{NNBSP}?"


def test_html_rendered_sanitises_then_typesets():
    src = source("", lang="fr", settings={"SITEURL": "https://site.test"})
    src.html = ('<h1>Titre</h1><p onclick="x()">C\'est fini?</p><script>alert(1)</script>'
                '<p><a href="https://other.example/?utm_source=x">lien</a></p>')
    cleaning.clean_html(src)
    assert src.html == (f'<h2>Titre</h2><p>C’est fini{NNBSP}?</p>'
                        '<p><a href="https://other.example/" rel="noopener noreferrer">lien</a></p>')


def test_rules_path_setting_and_a_missing_file(tmp_path, caplog):
    custom = tmp_path / "rules.yaml"
    custom.write_text("lines:\n  fr:\n    podcast: ['ecoutez notre podcast']\n", encoding="utf-8")
    src = source("Écoutez notre podcast\n\nPartager sur Facebook\n", settings={"CLEANING_RULES_PATH": str(custom)})
    cleaning.clean_source(src)
    assert src.body == "Partager sur Facebook\n"

    src = source("Partager sur Facebook\n", settings={"PATH": str(tmp_path / "nowhere")})
    cleaning.clean_source(src)  # no rules file: a warning, and no crash
    assert src.body == "Partager sur Facebook\n"
    assert "no rules file" in caplog.text


def test_rules_are_read_once_per_build():
    settings = {"PATH": str(ROOT / "content")}
    assert cleaning.rules_for(settings) is cleaning.rules_for(settings)
    assert cleaning.rules_for(settings).source == str(RULES_PATH)


def test_register_connects_both_signals():
    cleaning.register()
    assert cleaning.clean_source in [r() if callable(r) else r for r in _receivers(signals.source_loaded)]
    assert cleaning.clean_html in [r() if callable(r) else r for r in _receivers(signals.html_rendered)]
    src = source("Publicité\n\nUn paragraphe.\n")
    signals.source_loaded.send(src)
    assert src.body == "Un paragraphe.\n"


def test_registering_twice_scans_the_posts_once_per_build():
    # Pelican registers plugins for each Pelican object: a test session (or livereload) builds
    # many times in one process, and the recurring-line scan must still run once per build.
    from pelican import signals as pelican_signals

    cleaning.register()
    cleaning.register()
    receivers = [r() if callable(r) else r for r in _receivers(pelican_signals.generator_init)]
    assert receivers.count(cleaning.on_generator_init) == 1


def _receivers(signal):
    return [signal.receivers[key] for key in signal.receivers]


# The real build: our noisy posts go in a copy of content/, and come out clean, set and reported.

def _plain(html):
    text = re.sub(r"<[^>]+>", " ", html)
    text = text.replace(NBSP, " ").replace(NNBSP, " ").replace("’", "'").replace("&#39;", "'")
    text = re.sub(r"[«»“”\"]", '"', text)
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    support = pytest.importorskip("support", reason="the foundation's tests/support.py builds the site")
    tmp = tmp_path_factory.mktemp("cleaning-build")
    content = support.copy_content(tmp)
    target = content / "posts" / "2025"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("fr_pasted.md", "en_pasted.md"):
        shutil.copy(FIXTURES / name, target / name)
    settings, report, out = support.build_site(tmp, content=content)
    return {"report": report, "out": out}


def _article(out, url_path):
    return (out / url_path / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("post, noise, url_path", [
    ("fr_pasted.md", "fr_pasted.noise", "2025/02/fr-pasted"),
    ("en_pasted.md", "en_pasted.noise", "en/2025/03/en-pasted"),
])
def test_built_article_has_no_noise_every_sentence_and_a_report(built, post, noise, url_path):
    meta, body = read_post(post)
    noise = noise_lines(noise)
    page = _article(built["out"], url_path)
    article = re.search(r"<article\b.*?</article>", page, re.S)
    text = _plain(article.group() if article else page)
    for line in noise:
        if line != meta["title"]:  # the page shows its title once, in its own h1
            assert _plain(line) not in text, line
    for line in body.splitlines():
        if line.strip() and line not in noise:
            plain = _plain(re.sub(r"^[-*] ", "", line))
            assert plain in text, line
    removed = [text for path, items in built["report"].sections["cleaning"].items()
               if path.endswith(post) for text in items]
    assert len(removed) == len(noise), removed


def test_the_repo_noisy_sample_post_builds_clean(built):
    page = _plain(_article(built["out"], "2024/03/xai-open-source-grok"))
    for junk in ("Deezer", "tient parole", "xai publie les poids", "Partager sur Facebook", "suivez nous sur google"):
        assert junk not in page
    assert "mélange d'experts" in page


def test_invoke_build_prints_every_removed_line_with_its_file_line(tmp_path):
    """What an editor sees after `invoke build` (digest's runner), without -v: each removed line of
    the noisy sample post, under the post's path, with the line number in the file and the rule."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, str(ROOT / "plugins/digest/runner.py"), "-s", str(ROOT / "pelicanconf.py"),
         str(ROOT / "content"), "-o", str(tmp_path / "out"), "--cache-path", str(tmp_path / "cache")],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = proc.stdout.split("Build report", 1)[1]
    section = report.split("[cleaning]", 1)[1].split("\n[", 1)[0]
    post = "content/posts/2024/xai-open-source-grok.md"
    lines = (ROOT / post).read_text(encoding="utf-8").splitlines()
    listed = re.findall(r"- removed line (\d+) \(([\w-]+) \d\.\d\d: [^)]*\): (.*)", section)
    assert post in section and len(listed) == 6, section
    for number, rule, text in listed:
        assert lines[int(number) - 1].strip() == text  # the file's own line number
    assert [rule for _, rule, _ in listed] == ["stray-word", "title-repeat", "title-repeat",
                                                "title-repeat", "share", "follow"]


def test_html_pipeline_is_idempotent():
    from markdown_it import MarkdownIt

    _, body = read_post("clean_fr.md")
    src = source("", settings={"SITEURL": "https://site.test"})
    src.html = MarkdownIt("commonmark", {"html": True}).enable(["table"]).render(body)
    cleaning.clean_html(src)
    once = src.html
    cleaning.clean_html(src)
    assert src.html == once
