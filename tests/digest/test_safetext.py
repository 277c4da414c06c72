"""The one rule for unsafe characters: what goes, what becomes a line break, what is reported."""

import xml.dom.minidom

from hypothesis import given, strategies as st

from digest.safetext import make_safe, one_line, summarise


def test_line_breaks_in_other_clothes_become_newlines():
    text, found = make_safe("a\x0bb\x0cc\u2028d\u2029e\x85f\rg\r\nh")
    assert text == "a\nb\nc\nd\ne\nf\ng\nh"
    assert [u.char for u in found] == ["\x0b", "\x0c", "\u2028", "\u2029", "\x85"]
    assert all(u.replaced_by_newline for u in found)


def test_controls_noncharacters_and_lone_surrogates_are_removed_with_their_line():
    text, found = make_safe("ok\nba\x08d\x1b[31m\n\ufffe\U0010ffff\ud800x\x00\ufdd0")
    assert text == "ok\nbad[31m\nx"
    assert [(u.line, u.char) for u in found] == [
        (2, "\x08"), (2, "\x1b"), (3, "\ufffe"), (3, "\U0010ffff"), (3, "\ud800"), (3, "\x00"), (3, "\ufdd0")]
    assert "line 2: U+0008 (backspace) removed" in summarise(found)
    assert "and 2 more" in summarise(found)


def test_clean_text_is_returned_as_is():
    text = "L’IA générative\tà 600 M€ — 🚀 עברית\n"
    assert make_safe(text) == (text, ())


def test_one_line_fields_lose_their_breaks():
    assert one_line("A title\n---\nreviewed: true ") == "A title --- reviewed: true"


@given(st.text())
def test_anything_made_safe_is_valid_xml_and_stable(text):
    safe, _ = make_safe(text)
    assert make_safe(safe) == (safe, ())
    doc = xml.dom.minidom.parseString(f"<a>{safe.replace('&', '&amp;').replace('<', '&lt;')}</a>".encode(
        "utf-8", "surrogatepass"))
    assert doc.documentElement.tagName == "a"
