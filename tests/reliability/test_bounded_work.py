"""Bounded work on any input: YAML aliases are refused before they expand, the rewritten patterns give
the right output on the adversarial lines benchmarks/adversarial.py times, and `invoke import --url`
gives up on a server that trickles. No timing is asserted here (timings: the benchmark)."""

import socket
import threading

import pytest

from digest import frontmatter

LANGS = ["fr", "en"]


def load(header, body="Texte."):
    return frontmatter.load(f"---\n{header}\n---\n{body}\n".encode(), "content/posts/x.md",
                            languages=LANGS)


def refused(header):
    with pytest.raises(frontmatter.ContentError) as info:
        load(header)
    return info.value.problems[0]


BILLION_LAUGHS = "\n".join(
    ["title: Rires", "date: 2024-05-02", "lang: fr", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
       f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]" for i in range(8)]
    + ["summary: *i"])


def test_a_billion_laughs_is_refused_with_its_line():
    problem = refused(BILLION_LAUGHS)
    assert "alias (*a)" in problem.message and problem.line == 6  # the first alias: b: &b [*a, ...]
    assert "aliases and anchors are not allowed" in problem.fix


def test_a_merge_key_bomb_is_refused_before_it_merges():
    lines = ["title: Fusion", "date: 2024-05-02", "lang: fr", "a: &a {x: 1, y: 2}"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} {{<<: [*{chr(97 + i)}, *{chr(97 + i)}]}}" for i in range(24)]
    assert "alias" in refused("\n".join(lines)).message


def test_a_title_that_is_only_an_alias_is_refused():
    assert "alias" in refused("x: &t Bonjour\ntitle: *t\ndate: 2024-05-02\nlang: fr").message


def test_nesting_is_bounded():
    assert "nested" in refused("title: T\ndate: 2024-05-02\nlang: fr\ntags: " + "[" * 40 + "]" * 40).message


def test_an_anchor_without_alias_is_plain_yaml():
    assert load("title: &t Bonjour\ndate: 2024-05-02\nlang: fr").meta["title"] == "Bonjour"


# -- the rewritten patterns, on the adversarial lines -----------------------------------------------

def test_typography_email_pattern_on_adversarial_lines():
    from cleaning.typography import typeset_text

    line = "@" + "a." * 50_000
    assert typeset_text(line, "en") == line  # no address, nothing to change, every character kept
    # the addresses still protected (no typography inside them), whatever is around
    text = "écrivez à jean.dupont+ia@exemple.fr: merci"
    assert "jean.dupont+ia@exemple.fr" in typeset_text(text, "fr")
    assert typeset_text("x." * 1000 + "a@b.fr !", "fr").startswith("x." * 1000 + "a@b.fr")


def test_topics_text_patterns_on_adversarial_lines():
    from topics import text

    assert text._LINK.sub(r"\1", "[" * 10_000 + "lien](http://x)") == "[" * 9_999 + "lien"
    assert text._LINK.sub(r"\1", "voir [le rapport](https://ex.fr/a) et ![logo](i.png)") == \
        "voir le rapport et logo"
    assert text._REF_LINK.sub(r"\1", "[un][1] [[deux][2]") == "un [deux"
    assert text._HTML_TAG.sub(" ", "<" * 10_000 + "b>x</b>") == "<" * 9_999 + " x "


# -- import: a total deadline ------------------------------------------------------------------------

class Trickle:
    """A server on 127.0.0.1 that sends one byte a second: of the headers (`headers=True`) or of an
    endless body, for up to a minute."""

    def __init__(self, headers):
        self.headers = headers
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/article"

    def serve(self):
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
            try:
                if not self.headers:
                    conn.sendall(head + b"<html><body>")
                    head = b"x" * 60
                for byte in head[:60]:
                    if self.stop.wait(1.0):
                        break
                    conn.sendall(bytes([byte]))
            except OSError:
                pass
            finally:
                conn.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        self.sock.close()


@pytest.mark.parametrize("headers", [False, True], ids=["body", "headers"])
def test_a_trickling_server_is_cut_off_by_the_deadline(headers):
    from authoring import AuthoringError
    from authoring.sources import fetch_url

    with Trickle(headers) as server:
        url = server.url
        # a byte every second never trips the 1.5 s wait for a byte: only the deadline ends it
        with pytest.raises(AuthoringError) as info:
            fetch_url(url, timeout=1.5, deadline=2.5)
    message = str(info.value)
    assert "after 2.5 s" in message and "\n" not in message and url in message


def test_companies_sentence_ends_on_adversarial_lines():
    from companies.text import SENTENCE_END_RE

    def ends(text):
        return [(m.start(), m.group()) for m in SENTENCE_END_RE.finditer(text)]

    assert ends("Un. Deux! Trois?! «Quatre.» Cinq...\nSix") == [
        (2, "."), (8, "!"), (15, "?!"), (25, ".»"), (32, "..."), (35, "\n")]
    assert ends("a" + "!" * 20_000 + "x") == []  # no space after the run: no end of sentence
    assert ends("x" + "!" * 20_000 + " y") == [(1, "!" * 20_000)]


def test_import_link_targets_on_adversarial_lines():
    from authoring.extract import _LINK_TARGET

    assert _LINK_TARGET.sub("", "[a](https://ex.fr/x \"t\") et [b](/y)") == "[a] et [b]"
    line = "](" * 20_000
    assert _LINK_TARGET.sub("", line) == line


def test_huge_numbers_and_deep_nesting_are_content_errors_not_crashes():
    # a 5,000-digit number passed Python's int limit (ValueError); 200,000 brackets overflowed the
    # C stack of libyaml's composer (the process died)
    assert "cannot read" in refused("title: T\ndate: 2024-05-02\nlang: fr\nsummary: " + "1" * 5000).message
    assert "nested" in refused("title: T\ndate: 2024-05-02\nlang: fr\nsummary: " + "[" * 200_000).message
