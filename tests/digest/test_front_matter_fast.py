"""The quick reader of simple front matter gives exactly what libyaml gives, or steps aside."""

import glob
import os

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest import frontmatter
from digest.frontmatter import _Loader, plain_header, split

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def libyaml(header):
    return yaml.load(header, Loader=_Loader)


def agrees(header):
    fast = plain_header(header)
    if fast is None:
        return True  # libyaml reads it
    slow = libyaml(header)
    assert fast == slow and [type(v) for v in fast.values()] == [type(v) for v in slow.values()], header
    return True


def test_every_post_of_the_repository_reads_the_same():
    quick = 0
    for path in glob.glob(os.path.join(ROOT, "content", "**", "*.md"), recursive=True) + \
            glob.glob(os.path.join(ROOT, "tests", "**", "*.md"), recursive=True):
        try:
            header, _body, _line = split(frontmatter.decode(open(path, "rb").read(), path), path)
        except frontmatter.ContentError:
            continue
        agrees(header)
        quick += plain_header(header) is not None
    assert quick > 10  # the quick path is the common one, not a dead branch


def test_typical_headers_take_the_quick_path():
    header = ("# Translation memory. Edit freely.\ntitle: 'OpenAI : l''été des modèles'\n"
              "date: 2024-03-13 10:30\nlang: fr\nslug: openai-ete\nsource: https://example.org/a?b=1\n"
              "source_name: \"Le Journal\"\nclean: false\nreviewed: true\nsummary:\n")
    assert plain_header(header) == libyaml(header)
    assert plain_header(header)["title"] == "OpenAI : l'été des modèles"
    typeset = "title: '[en] Nvidia\u00a0: la puce\u202f!'\nsummary: Deux\u00a0mots"  # French spaces
    assert plain_header(typeset) == libyaml(typeset)


def test_what_is_not_simple_goes_to_libyaml():
    for header in ["tags: [a, b]", "title: >\n  folded", "count: 12", "time: 12:30", "title: a: b",
                   "title: x # note", "true: x", "Title: x", "title: \"a\\tb\"", "title: 'open",
                   "  title: x", "title: &a x", "# only a comment", "title: -x",
                   "title: .inf", "<<: x", "# a comment\u2028title: x"]:
        assert plain_header(header) is None, header


KEYS = st.sampled_from(["title", "date", "lang", "slug", "summary", "clean", "reviewed", "true", "null",
                        "on", "y", "n", "_x", "a1", "Title", "source", "tags"])
PIECES = st.sampled_from(["a", "Z", " ", "  ", ":", ": ", "#", " #", "'", "''", '"', "\\", "-", "- ",
                          "?", "[", "]", "{", "}", ",", "&", "*", "!", "|", ">", "%", "@", "`", "~",
                          "yes", "No", "TRUE", "off", "null", "Null", "1", "0x1f", "1_000", "12:30",
                          "1.5", ".inf", "-.nan", "2024-03-13", "2024-03-13 10:30", "é", "«", "»",
                          "\u00a0", "\u202f", "\u2028", "\u0085", "\ufeff", "\ue000", "😀", "http://x.y/z",
                          "=", "<<", "\t"])
VALUES = st.lists(PIECES, max_size=8).map("".join)
LINES = st.one_of(
    st.tuples(KEYS, VALUES).map(lambda kv: f"{kv[0]}: {kv[1]}"),
    st.tuples(KEYS, VALUES).map(lambda kv: f"{kv[0]}:{kv[1]}"),
    st.sampled_from(["", "   ", "# comment", "  # indented comment", "  continued", "- item"]),
)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINES, min_size=1, max_size=6).map("\n".join))
def test_quick_reader_agrees_with_libyaml(header):
    header = header.replace("\t", " ")  # load() turns tabs into spaces before either reader sees them
    if plain_header(header) is None:
        return
    try:
        slow = libyaml(header)
    except yaml.YAMLError as exc:  # pragma: no cover - the assertion is the message
        raise AssertionError(f"quick path read {header!r}, libyaml refuses it: {exc}") from None
    fast = plain_header(header)
    assert fast == slow and [type(v) for v in fast.values()] == [type(v) for v in slow.values()], header
