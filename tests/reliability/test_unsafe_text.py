"""Any bytes in a post: every good page is written, every XML file parses, the bad file is named, and
`invoke check` finds exactly what the build finds (one validation path)."""

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from support import build_site, copy_content

from digest.check import check_tree

CONTROLS = "".join(chr(c) for c in [*range(1, 9), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)])
NONCHARACTERS = "\ufffe\uffff\ufdd0\ufdef\U0001fffe\U0010ffff"


def post(title, body, extra=""):
    return f"---\ntitle: {title}\ndate: 2024-05-02 10:00\nlang: fr\n{extra}---\n\n{body}\n"


# name -> (bytes, what the build must say about it: "warning" (repaired, published) or "error")
HOSTILE = {
    "controls-body.md": (post("Controles", f"Avant{CONTROLS}apres.\n\nDeux\x0bTrois").encode(), "warning"),
    "controls-title.md": (post(f"Titre{CONTROLS}fin", "Corps.").encode(), "warning"),
    "escaped-title.md": (post('"Titre\\x0b\\x00\\x1b[31m\\uFFFE\\u2028fin"', "Corps.").encode(),
                         "warning"),
    "escaped-summary.md": (post("Resume", "Corps.", 'summary: "a\\x08b\\x0cc"\n').encode(), "warning"),
    "escaped-author.md": (post("Auteur", "Corps.", 'author: "\\x1b]0;owned\\x07Ann"\n').encode(),
                          "warning"),
    "escaped-source-name.md": (post("Source", "Corps.", 'source_name: "Le\\x85Monde"\n').encode(),
                               "warning"),
    "noncharacters.md": (post(f"Non{NONCHARACTERS}car", f"Texte {NONCHARACTERS} ici.").encode(),
                         "warning"),
    "line-separators.md": (post("Ligne\u2028separee\u2029", "Un\u2028deux\u2029trois\x85quatre").encode(),
                           "warning"),
    "bom-middle.md": (("\ufeff" + post("Marque\ufeffau milieu", "Mot\ufeffcoupe.")).encode(), "warning"),
    "cr-only.md": (post("Retour chariot", "Un\rdeux\r\ntrois").replace("\n", "\r").encode(), None),
    "invalid-utf8.md": (post("Octets", "caf").encode() + b"\xe9 \xff\xfe\n", "error"),
    "encoded-surrogate.md": (post("Surrogat", "x").encode() + "\udcff\udca0".encode(
        "utf-8", "surrogateescape") + b"\xed\xa0\x80\n", "error"),
    "utf16.md": (post("Seize", "Texte.").encode("utf-16"), "error"),
    "utf16-nobom.md": (post("Seize", "Texte.").encode("utf-16-le"), "error"),
    "vertical-tab-only.md": (post("Tab\x0bverticale", "Collé\x0bdepuis\x0bWord.").encode(), "warning"),
    os.fsdecode(b"nom-\xff\x1b[2J.md"): (post("Nom bizarre", "Texte.").encode(), None),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("unsafe")
    content = copy_content(tmp)
    folder = content / "posts" / "hostile"
    folder.mkdir()
    for name, (data, _) in HOSTILE.items():
        (folder / name).write_bytes(data)
    settings, report, out = build_site(tmp, content=content)
    rebuilt = build_site(tmp, content=content)[1]
    return {"settings": settings, "report": report, "out": out, "rebuilt": rebuilt}


def mine(problems):
    return sorted(str(p) for p in problems if "/posts/hostile/" in p.path)


def test_every_xml_file_parses(hostile):
    xml_files = sorted(Path(hostile["out"]).rglob("*.xml"))
    assert len(xml_files) > 10  # feeds of each language, topic, company, and the sitemap
    for path in xml_files:
        ET.parse(path)  # raises on a control character, U+FFFE or a lone surrogate


def test_no_unsafe_character_reaches_any_page(hostile):
    bad = set(CONTROLS + NONCHARACTERS + "\u2028\u2029\ufeff") - {"\t", "\n"}
    for path in Path(hostile["out"]).rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".txt"):
            text = path.read_bytes().decode("utf-8")  # strict: no lone surrogate either
            assert not bad & set(text), (path, bad & set(text))


def test_repaired_files_are_published_and_each_finding_names_file_and_line(hostile):
    report = hostile["report"]
    for name, (_, expected) in HOSTILE.items():
        if expected != "warning":
            continue
        found = [w for w in report.warnings if w.path.endswith("/hostile/" + name)]
        assert found, (name, mine(report.warnings))
        assert all(w.line and w.line >= 2 for w in found), [str(w) for w in found]
        assert all("U+" in w.message for w in found)
    out = Path(hostile["out"])
    article = out / "2024" / "05" / "vertical-tab-only" / "index.html"
    text = article.read_text(encoding="utf-8")
    assert "Tab verticale" in text and "Collé\ndepuis" in text


def test_the_bad_files_are_named_and_every_good_page_is_written(hostile):
    report, out = hostile["report"], Path(hostile["out"])
    for name, (_, expected) in HOSTILE.items():
        if expected == "error":
            errors = [e for e in report.errors if e.path.endswith("/hostile/" + name)]
            assert len(errors) == 1, (name, mine(report.errors))
            assert errors[0].fix
    utf16 = [e for e in report.errors if e.path.endswith("utf16.md")][0]
    assert "UTF-16" in utf16.message and "UTF-8" in utf16.fix
    strange = [e for e in report.errors + report.warnings if "nom-" in e.path]
    assert all("\x1b" not in str(e) for e in strange)
    assert (out / "en" / "index.html").exists() and (out / "feeds" / "all.atom.xml").exists()
    assert (out / "en" / "feeds" / "all.atom.xml").exists()
    assert (out / "2024" / "05" / "controls-body" / "index.html").exists()
    assert (out / "2024" / "05" / "nom-x1b-2j" / "index.html").exists() or \
        any("nom" in p.name for p in (out / "2024" / "05").iterdir())


def test_check_finds_exactly_what_the_build_finds(hostile):
    _count, errors, warnings = check_tree(hostile["settings"])
    assert mine(errors) == mine(hostile["report"].errors)
    assert mine(warnings) == mine(hostile["report"].warnings)
    assert len(mine(errors)) >= 4 and len(mine(warnings)) >= 9


def test_a_rebuild_reports_what_the_cold_build_reported(hostile):
    assert mine(hostile["rebuilt"].errors) == mine(hostile["report"].errors)
    assert mine(hostile["rebuilt"].warnings) == mine(hostile["report"].warnings)


def test_vertical_tab_used_to_stop_the_build(tmp_path):
    """The reproduction of issue 16: one U+000B in a body ended the build with Pelican's
    UnserializableContentError and half the site unwritten."""
    content = copy_content(tmp_path)
    (content / "posts" / "2024" / "vt.md").write_bytes(post("Titre", "Texte\x0bcollé.").encode())
    _settings, report, out = build_site(tmp_path, content=content)
    assert not report.errors
    assert (out / "en" / "index.html").exists()
    ET.parse(out / "feeds" / "all.atom.xml")
