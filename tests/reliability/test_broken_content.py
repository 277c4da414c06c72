"""A corpus of broken files: one clear message per file, every good page still written, exit 1."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT, build_site, copy_content, page

GOOD = "---\ntitle: Un article correct\ndate: 2024-05-02 10:00\nlang: fr\n---\n\nTexte.\n"

BROKEN = {
    "unclosed.md": (b"---\ntitle: Ouvert\ndate: 2024-05-02\nlang: fr\n\nTexte sans fin de bloc.\n",
                    "never closed"),
    "invalid-yaml.md": (b"---\ntitle: Deux: points: ici\ndate: 2024-05-02\nlang: fr\n---\nTexte.\n",
                        "not valid YAML"),
    "no-title.md": (b"---\ndate: 2024-05-02\nlang: fr\n---\nTexte.\n", "'title'"),
    "no-date.md": (b"---\ntitle: Sans date\nlang: fr\n---\nTexte.\n", "'date'"),
    "impossible-date.md": (b"---\ntitle: Mauvaise date\ndate: 2024-02-30\nlang: fr\n---\nTexte.\n",
                           "not a real date"),
    "unknown-lang.md": (b"---\ntitle: Sprache\ndate: 2024-05-02\nlang: xx\n---\nText.\n",
                        "unknown language"),
    "unknown-topic.md": (b"---\ntitle: Sujet\ndate: 2024-05-02\nlang: fr\ntags: [regulaton]\n---\nT.\n",
                         "did you mean 'regulation'"),
    "unknown-company.md": (b"---\ntitle: Boite\ndate: 2024-05-02\nlang: fr\ncompanies: [open-ai]\n"
                           b"---\nT.\n", "did you mean 'openai'"),
    "empty.md": (b"", "empty"),
    "latin1.md": ("---\ntitle: Élan\ndate: 2024-05-02\nlang: fr\n---\nCafé.\n".encode("latin-1"),
                  "not UTF-8"),
    "absolute-slug.md": (b"---\ntitle: A\ndate: 2024-05-02\nlang: fr\nslug: /etc/passwd\n---\nT.\n",
                         "leave the article's folder"),
    "climbing-slug.md": (b"---\ntitle: B\ndate: 2024-05-02\nlang: fr\nslug: ../../../tmp/x\n---\nT.\n",
                         "leave the article's folder"),
    "duplicate-a.md": (b"---\ntitle: C\ndate: 2024-05-02\nlang: fr\nslug: doublon\n---\nT.\n", None),
    "duplicate-b.md": (b"---\ntitle: D\ndate: 2024-05-03\nlang: fr\nslug: doublon\n---\nT.\n",
                       "same slug 'doublon'"),
    "junk.md": (bytes(range(256)) * 8, "binary data"),
    "page.html": (b"<html><body><script>alert(1)</script></body></html>", "not a Markdown post"),
    "far-future.md": (b"---\ntitle: F\ndate: 9999-12-31\nlang: fr\n---\nT.\n", "between 1900 and 2999"),
    "list-title.md": (b"---\ntitle: [a, b]\ndate: 2024-05-02\nlang: fr\n---\nT.\n", "must be text"),
}


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("broken")
    content = copy_content(tmp)
    folder = content / "posts" / "broken"
    folder.mkdir()
    for name, (data, _) in BROKEN.items():
        (folder / name).write_bytes(data)
    (folder / "correct.md").write_text(GOOD, encoding="utf-8")
    settings, report, out = build_site(tmp, content=content)
    return {"content": content, "report": report, "out": out, "tmp": tmp}


def test_one_clear_message_per_broken_file(broken):
    errors = broken["report"].errors
    by_file = {}
    for problem in errors:
        by_file.setdefault(Path(problem.path).name, []).append(problem)
    for name, (_, expected) in BROKEN.items():
        if expected is None:
            continue
        assert name in by_file, f"no error for {name}: {[str(e) for e in errors]}"
        assert len(by_file[name]) == 1, [str(p) for p in by_file[name]]
        message = str(by_file[name][0])
        assert expected in message, message
        assert "content/posts/broken/" + name in message  # names the file
        assert "fix:" in message  # says what would fix it
        assert "Traceback" not in message
    assert set(by_file) <= set(BROKEN), set(by_file) - set(BROKEN)


def test_yaml_errors_carry_the_line(broken):
    invalid = [p for p in broken["report"].errors if p.path.endswith("invalid-yaml.md")][0]
    assert invalid.line == 2


def test_good_pages_are_all_written(broken, site):
    out = broken["out"]
    assert "Un article correct" in page(out, "2024/05/correct/")
    written = {p.relative_to(out).as_posix() for p in out.rglob("*.html")}
    reference = {p.relative_to(site["out"]).as_posix() for p in site["out"].rglob("*.html")}
    assert reference - written <= set(), reference - written
    assert "2024/05/doublon/index.html" in written  # the first of the two duplicates
    assert not any("passwd" in w or w.startswith("tmp/") for w in written)


def test_nothing_written_outside_output(broken):
    tmp = broken["tmp"]
    outside = [p for p in tmp.rglob("*") if p.is_file()
               and not p.is_relative_to(broken["out"]) and not p.is_relative_to(tmp / "cache")
               and not p.is_relative_to(broken["content"])]
    assert outside == []


def test_build_command_exits_non_zero_and_names_each_file(broken, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "plugins/digest/runner.py"), "-s", str(ROOT / "pelicanconf.py"),
         str(broken["content"]), "-o", str(out), "--cache-path", str(tmp_path / "cache")],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    for name, (_, expected) in BROKEN.items():
        if expected:
            assert name in proc.stderr
    assert (out / "2024/05/correct/index.html").is_file()


def test_check_reports_the_same_problems_without_building(broken):
    from pelican.settings import read_settings

    from digest.check import check_tree

    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(broken["content"])})
    count, errors, warnings = check_tree(settings)
    assert {str(e) for e in errors} == {str(e) for e in broken["report"].errors}


def test_invoke_check_exit_status(broken):
    proc = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, 'plugins');"
                           "from digest.check import main; sys.exit(main(['pelicanconf.py']))"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"\d+ file\(s\) checked: 0 error", proc.stdout)


UNUSUAL = {
    "bom.md": "\ufeff---\ntitle: Avec BOM\ndate: 2024-06-01\nlang: fr\n---\n\nTexte après un BOM.\n",
    "crlf.md": "---\r\ntitle: Fins de ligne Windows\r\ndate: 2024-06-02\r\nlang: fr\r\n---\r\n\r\n"
               "Premier paragraphe.\r\n\r\nSecond paragraphe.\r\n",
    "tabs.md": "---\ntitle:\tTabulations\ndate: 2024-06-03\nlang: fr\n---\n\n\tdu code indenté\n\n"
               "Un\tmot\tséparé.\n",
    "emoji.md": "---\ntitle: \"Des émojis 🤖🚀\"\ndate: 2024-06-04\nlang: fr\n---\n\nLe robot 🤖 décolle 🚀.\n",
    "rtl.md": "---\ntitle: \"نص عربي في العنوان\"\ndate: 2024-06-05\nlang: en\n---\n\n"
              "Arabic text: الذكاء الاصطناعي and Hebrew: בינה מלאכותית.\n",
    "long-title.md": "---\ntitle: \"" + "Un titre très long " * 40 + "\"\ndate: 2024-06-06\nlang: fr\n---\n\nCourt.\n",
    "big.md": "---\ntitle: Un article de 400 Ko\ndate: 2024-06-07\nlang: en\n---\n\n"
              + ("The model answered the question in a long and careful paragraph. " * 12 + "\n\n") * 520,
}


def test_unusual_but_valid_files_build_normally(tmp_path):
    content = copy_content(tmp_path)
    folder = content / "posts" / "unusual"
    folder.mkdir()
    for name, text in UNUSUAL.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    assert len(UNUSUAL["big.md"].encode()) > 400_000
    settings, report, out = build_site(tmp_path, content=content)
    assert report.errors == []
    for name in UNUSUAL:
        slug = name[:-3]
        matches = list(out.rglob(f"{slug}/index.html"))
        assert matches, name
    assert "Avec BOM" in next(out.rglob("bom/index.html")).read_text()
    assert "🤖" in next(out.rglob("emoji/index.html")).read_text()
    assert "الذكاء" in next(out.rglob("rtl/index.html")).read_text()


def test_a_broken_source_does_not_make_its_translation_an_orphan(tmp_path):
    content = copy_content(tmp_path)
    post = content / "posts/2024/anthropic-claude-3.md"
    post.write_text(post.read_text(encoding="utf-8").replace("title:", "title: a: b", 1),
                    encoding="utf-8")
    _s, report, out = build_site(tmp_path, content=content)
    assert [e.path for e in report.errors] == ["content/posts/2024/anthropic-claude-3.md"]
    (warning,) = [w for w in report.warnings if "anthropic-claude-3" in w.path]
    assert "has errors and was not built" in str(warning) and "no longer exists" not in str(warning)
    assert (out / "2024/03/anthropic-claude-3/index.html").is_file()  # the translation still shows
