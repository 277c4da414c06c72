"""Lines that recur verbatim in 3+ posts of one source are removed, listed, and kept right by the
cache when the set of recurring lines changes between builds."""

import pytest

from cleaning_support import rules  # noqa: F401

from cleaning import recurring
from cleaning.core import RECURRING_RULE, clean_markdown

FOOTER = "Exemple Hebdo est une publication du groupe Exemple Médias, à Paris depuis 1998."


def _post(source_name="Exemple Hebdo", body="", extra=""):
    return (f'---\ntitle: "Un titre"\ndate: 2025-01-02\nlang: fr\nsource_name: {source_name}\n{extra}---\n'
            f"{body}").encode()


def test_scan_reads_the_source_and_the_candidate_lines_only():
    body = ("Un paragraphe assez long pour compter.\n\n# Un intertitre répété partout\n\n"
            "- un élément de liste\n\n| a | b |\n\n```\ncode répété partout ici\n```\n\n"
            "> une citation répétée\n\nOui.\n")
    entry = recurring.scan(_post('"Exemple  Hebdo"', body))
    assert entry.source == "name:exemple hebdo"
    assert entry.keys == {recurring.line_key("Un paragraphe assez long pour compter.")}


@pytest.mark.parametrize("front, source", [
    ("source: https://www.exemple.fr/a/b\n", "host:exemple.fr"),
    ("source_name: 'L''Hebdo'\n", "name:l'hebdo"),
    ("source_name: Hebdo # comment\n", "name:hebdo"),
    ("", ""),
])
def test_the_source_is_the_name_else_the_host(front, source):
    raw = f'---\ntitle: "T"\nlang: fr\n{front}---\nUne ligne de texte ici.\n'.encode()
    assert recurring.scan(raw).source == source


@pytest.mark.parametrize("raw", [b"no front matter\n", b"---\ntitle: T\nclean: false\n---\nbody\n",
                                 b"---\xff\xfe\n", b"---\ntitle: never closed\n"])
def test_posts_that_are_not_cleaned_or_not_posts_are_not_counted(raw):
    assert recurring.scan(raw) is None


def test_a_line_recurs_in_three_posts_of_one_source_not_of_several():
    body = f"Un paragraphe différent à chaque fois.\n\n{FOOTER}\n"
    entries = {f"/p{i}.md": recurring.scan(_post(body=body)) for i in range(2)}
    entries["/other.md"] = recurring.scan(_post("Autre Site", body))
    index = recurring.Index(entries)
    assert not index and index.recurring_in("/p0.md") == {} and index.salt("/p0.md") == ""
    entries["/p2.md"] = recurring.scan(_post(body=body))
    index = recurring.Index(entries)
    key = recurring.line_key(FOOTER)
    assert index.recurring_in("/p0.md") == {key: 3, recurring.line_key("Un paragraphe différent à chaque fois."): 3}
    assert index.recurring_in("/other.md") == {}
    assert index.salt("/p0.md") == index.salt("/p2.md") != ""


def test_the_cleaner_removes_a_recurring_line_and_says_why(rules):
    body = f"Un paragraphe de l'article, assez long pour être un vrai paragraphe du texte.\n\n{FOOTER}\n"
    result = clean_markdown(body, lang="fr", rules=rules, recurring={recurring.line_key(FOOTER): 4},
                            source="exemple hebdo")
    [removed] = result.removed
    assert (removed.text, removed.rule) == (FOOTER, RECURRING_RULE)
    assert removed.explain() == "recurring 1.00: the same line is in 4 posts of exemple hebdo"
    assert FOOTER not in result.text


def test_keep_protects_a_recurring_line():
    from cleaning.rules import Rules

    body = f"Un paragraphe.\n\n{FOOTER}\n"
    kept = clean_markdown(body, lang="fr", rules=Rules.from_mapping({"keep": ["^Exemple Hebdo"]}),
                          recurring={recurring.line_key(FOOTER): 3})
    assert kept.removed == []


# The real build, three times over one cache: the footer recurs only while three posts carry it.

def _write(content, name, body, **kw):
    folder = content / "posts" / "2025"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.md").write_bytes(_post(body=body, extra=f"slug: {name}\n", **kw))


def _page(out, name):
    return (out / "2025" / "01" / name / "index.html").read_text(encoding="utf-8")


def test_build_removes_recurring_lines_and_the_cache_follows_the_set(tmp_path):
    support = pytest.importorskip("support", reason="the foundation's tests/support.py builds the site")
    content = support.copy_content(tmp_path)
    text = "L'entreprise {} a présenté un nouveau modèle de langage mardi, selon un communiqué."
    for name in ("alpha", "beta"):
        _write(content, name, f"{text.format(name)}\n\n{FOOTER}\n")
    _settings, report, out = support.build_site(tmp_path, content=content)
    assert FOOTER.split(",")[0] in _page(out, "alpha")  # in two posts only: kept

    _write(content, "gamma", f"{text.format('gamma')}\n\n{FOOTER}\n")
    _settings, report, out = support.build_site(tmp_path, content=content)
    for name in ("alpha", "beta", "gamma"):  # alpha and beta were cached without the removal
        assert "Exemple Médias" not in _page(out, name), name
    notes = [line for path, lines in report.sections["cleaning"].items() if "/2025/" in path
             for line in lines]
    assert sum("(recurring 1.00: the same line is in 3 posts of exemple hebdo)" in n for n in notes) == 3
    assert any("source exemple hebdo" in path for path in report.sections["cleaning"])

    _write(content, "gamma", f"{text.format('gamma')}\n")  # the footer now recurs in two posts
    _settings, report, out = support.build_site(tmp_path, content=content)
    assert "Exemple Médias" in _page(out, "alpha") and "Exemple Médias" in _page(out, "beta")
