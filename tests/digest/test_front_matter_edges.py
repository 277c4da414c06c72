"""Small edges of the contract (issue 16 point 7): unreadable addresses, values that are not text,
fields given twice, file names the build does not read."""

import pytest

from support import build_site, copy_content

from digest import frontmatter
from digest.check import check_tree

LANGS = ["fr", "en"]


def problems(header):
    with pytest.raises(frontmatter.ContentError) as info:
        frontmatter.load(f"---\n{header}\n---\nTexte.\n".encode(), "content/posts/x.md", languages=LANGS)
    return info.value.problems


BASE = "date: 2024-05-02\nlang: fr"


@pytest.mark.parametrize("source, reason", [
    ("http://[::1/", "Invalid IPv6 URL"),
    ("https://example.com:99999/a", "out of range"),
    ("ftp://example.com/a", "http:// or https://"),
    ("https:///path-only", "no host name"),
    ('"https://ex.com/a b"', "a space"),
])
def test_a_source_urllib_cannot_use_is_a_content_error_with_the_reason(source, reason):
    [problem] = problems(f"title: T\n{BASE}\nsource: {source}")
    assert problem.field == "source" and reason in problem.message and problem.line == 5


@pytest.mark.parametrize("field, value, said", [
    ("title", "yes", "true (YAML reads yes"),
    ("title", "2024", "the number 2024"),
    ("title", "3.5", "the number 3.5"),
    ("summary", "no", "false"),
    ("author", "12", "the number 12"),
    ("source_name", "on", "true"),
])
def test_text_fields_must_be_text(field, value, said):
    header = f"title: T\n{BASE}\n{field}: {value}" if field != "title" else f"title: {value}\n{BASE}"
    found = [p for p in problems(header) if p.field == field]
    assert found and said in found[0].message and 'quote the value' in found[0].fix


@pytest.mark.parametrize("header, line", [
    (f"title: Un\n{BASE}\ntitle: Deux", 5),  # the quick reader's kind of header
    (f"title: Un\n{BASE}\ntags: [a]\ntitle: Deux", 6),  # libyaml's
    (f"title: Un\n{BASE}\nTitle: Deux", 5),  # the same field once lowercased
])
def test_a_field_given_twice_is_an_error_naming_the_second_line(header, line):
    [problem] = problems(header)
    assert "given twice" in problem.message and problem.line == line


def test_quoted_text_that_looks_like_a_value_is_text():
    doc = frontmatter.load(f'---\ntitle: "yes"\n{BASE}\nauthor: "12"\n---\nT.\n'.encode(), "x.md",
                           languages=LANGS)
    assert doc.meta["title"] == "yes" and doc.meta["author"] == "12"


def test_build_and_check_agree_on_the_edges(tmp_path):
    content = copy_content(tmp_path)
    folder = content / "posts" / "edges"
    folder.mkdir()
    post = "---\ntitle: {title}\ndate: 2024-05-02\nlang: fr\n{extra}---\n\nTexte.\n"
    (folder / "ipv6.md").write_text(post.format(title="Six", extra="source: http://[::1/\n"))
    (folder / "yes.md").write_text(post.format(title="yes", extra=""))
    (folder / "twice.md").write_text(post.format(title="Deux", extra="title: Trois\n"))
    (folder / "upper.MD").write_text(post.format(title="Majuscules", extra=""))
    (folder / "Mixed.Markdown").write_text(post.format(title="Mixte", extra=""))
    (folder / "long.markdown").write_text(post.format(title="Long", extra="slug: long-ext\n"))
    settings, report, out = build_site(tmp_path, content=content)
    mine = sorted(str(e) for e in report.errors if "/edges/" in e.path)
    assert len(mine) == 5, mine
    assert any("upper.MD" in e and "rename it to upper.md" in e for e in mine)
    assert any("Mixed.Markdown" in e and "Mixed.markdown" in e for e in mine)
    assert any("Invalid IPv6 URL" in e for e in mine)
    assert (out / "2024" / "05" / "long-ext" / "index.html").exists()  # .markdown is read
    _count, errors, _warnings = check_tree(settings)
    assert sorted(str(e) for e in errors if "/edges/" in e.path) == mine
