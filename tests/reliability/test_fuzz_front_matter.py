"""Property: whatever an editor pastes, reading a file either works or names the file; it never crashes."""

import string

from hypothesis import HealthCheck, given, settings, strategies as st

from support import ROOT, build_site, copy_content

FIELDS = ["title", "date", "lang", "slug", "summary", "source", "source_name", "author", "tags",
          "companies", "status", "clean", "exclude_tags", "weird key"]
values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["2024-02-30", "2024-13-01", "hier", "2024-03-13 25:61", "fr", "en", "xx",
                     "../../x", "/abs", "javascript:alert(1)", "[a, b", "{x: 1}", "- a\n- b",
                     "open-source", "true", "~", "''", '"', "|", ">", "&a *a", "!!python/object:os.system"]),
    st.lists(st.text(max_size=10), max_size=3).map(lambda l: "[" + ", ".join(l) + "]"),
)
lines = st.lists(st.tuples(st.sampled_from(FIELDS), values), max_size=8)
bodies = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
markers = st.sampled_from(["---", "", "--", "----", "...", "---\t"])


def make(field_lines, body, opening, closing):
    header = "\n".join(f"{k}: {v}" for k, v in field_lines)
    return f"{opening}\n{header}\n{closing}\n{body}".encode("utf-8", "surrogatepass")


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(lines, bodies, markers, markers, st.binary(max_size=20))
def test_reader_never_crashes_without_naming_the_file(tmp_path_factory, field_lines, body, opening,
                                                      closing, junk):
    from pelican.settings import read_settings

    from digest.reader import DigestMarkdownReader

    settings_ = _settings(read_settings)
    folder = tmp_path_factory.getbasetemp() / "fuzz"
    folder.mkdir(exist_ok=True)
    path = folder / "fuzzed.md"
    for data in (make(field_lines, body, opening, closing), make(field_lines, body, opening, closing)
                 + junk):
        path.write_bytes(data)
        content, meta = DigestMarkdownReader(settings_).read(str(path))
        if meta.get("status") == "skip":
            problems = meta["digest_errors"]
            assert problems and all("fuzzed.md" in str(p) for p in problems)
        else:
            assert meta["title"] and meta["lang"] in ("fr", "en") and meta["date"]
            assert "/" not in meta["slug"] and ".." not in meta["slug"]


_cached = {}


def _settings(read_settings):
    if "s" not in _cached:
        _cached["s"] = read_settings(str(ROOT / "pelicanconf.py"))
    return _cached["s"]


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(lines, bodies, markers, markers), min_size=1, max_size=3))
def test_full_build_names_every_bad_file(tmp_path_factory, posts):
    tmp = tmp_path_factory.mktemp("fuzzbuild")
    content = copy_content(tmp)
    folder = content / "posts" / "fuzz"
    folder.mkdir()
    for i, (field_lines, body, opening, closing) in enumerate(posts):
        (folder / f"fuzz-{i}.md").write_bytes(make(field_lines, body, opening, closing))
    settings_, report, out = build_site(tmp, content=content)  # must not raise
    for problem in report.errors:
        assert problem.path.startswith("content/"), str(problem)
    assert (out / "index.html").is_file() and (out / "en/index.html").is_file()
