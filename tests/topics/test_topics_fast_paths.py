"""The shortcuts that make scoring cheap give what the plain formulations give (issue 11).

Each reference below is the straightforward version the fast one replaced: a regex or translate
pass per step, and one occurrence counted at a time. Any text must come out the same both ways.
"""

import bisect
import html
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from topics.core import TermHit, TopicResult, TopicScore, scores_line
from topics.text import _LINK, _REF_LINK, normalise, plain_text, prose

# --- references -----------------------------------------------------------------------------------

_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "\u00ad": None})
_APOSTROPHES = str.maketrans({c: "'" for c in "\u2019\u2018\u02bc\u2032\u00b4`"})
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def reference_normalise(text):
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    text = _MARKS.sub("", text).translate(_LIGATURES).translate(_APOSTROPHES)
    return _SEPARATORS.sub(" ", text).strip()


def reference_plain_text(markdown):
    text = re.sub(r"^(```|~~~).*?^\1[^\n]*$", " ", markdown, flags=re.M | re.S)
    text = re.sub(r"`[^`\n]*`", " ", text)
    text = re.sub(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$", " ", text, flags=re.M)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"!?\[([^\]]*)\]\[[^\]]*\]", r"\1", text)
    text = re.sub(r"<[^>\n]+>", " ", text)
    text = re.sub(r"(?:https?://|www\.)\S+", " ", text)
    return re.sub(r"[*_~#>|]+", " ", html.unescape(text))


def reference_score(matcher, title, body):
    """TopicMatcher.score adding one occurrence at a time, each with the exclusions around it."""
    tax = matcher.taxonomy
    hits = {topic_id: {} for topic_id in tax.topics}
    for text, field_name in ((reference_normalise(title), "title"), (reference_normalise(body), "body")):
        spans = matcher._excluded_spans(text)
        starts = [s for s, _, _ in spans]
        for match in matcher.pattern.finditer(text):
            start, end = match.span()
            blocked = set()
            for i in range(bisect.bisect_left(starts, end) - 1, -1, -1):
                s, e, topic_ids = spans[i]
                if s + matcher._longest_exclusion <= start:
                    break
                if e > start:
                    blocked |= topic_ids
            for topic_id, term in matcher.terms_at(match.group()):
                if topic_id in blocked:
                    continue
                hit = hits[topic_id].setdefault(term.text, TermHit(term.text, term.weight))
                setattr(hit, field_name, getattr(hit, field_name) + 1)
                if term.prefix and match.group() not in hit.forms and len(hit.forms) < 5:
                    hit.forms.append(match.group())
    scores = {}
    for topic_id, by_term in hits.items():
        terms = list(by_term.values())
        for hit in terms:
            hit.count = hit.title * tax.title_weight + hit.body
            hit.points = round(hit.count * hit.weight, 6)
        terms.sort(key=lambda h: -h.points)
        total = round(sum(h.points for h in terms), 6)
        scores[topic_id] = TopicScore(topic_id, total, tax.threshold_of(topic_id), terms)
    return TopicResult(tax.title_weight, scores)


def reference_scores_line(result):
    parts = []
    for s in result.scores.values():
        if not s.terms:
            continue
        terms = "; ".join(f"{h.term}: " + " ".join(f"{where} {n}" for where, n in (("title", h.title),
                                                                                   ("body", h.body)) if n)
                          for h in s.terms[:4])
        more = f"; +{len(s.terms) - 4} more" if len(s.terms) > 4 else ""
        parts.append(f"{s.id} {s.score:g}/{s.threshold:g} [{terms}{more}]")
    return ", ".join(parts)


# --- texts ----------------------------------------------------------------------------------------

SEPARATORS = [" ", "  ", "\n", "\n\n", "\t", "\u00a0", "\u202f", "\u2028", "\x1f", "\x85", "-", " - ", "–",
              "—", "\u2011", "\u2212", "\u00ad", "\u200b", ", ", ". ", ": ", "'", "’", "ʼ", "`", "´",
              "(", ")"]
MARKUP = ["*", "**", "_", "~~", "#", "## ", "> ", "|", "[", "]", "](", "](x)", "][", "!", "![", "<b>", "</b>",
          "<", ">", "`", "```\n", "~~~\n", "\n[r]: https://x.y/ai-act\n", "https://ex.com/ai-act", "www.x.fr",
          "&amp;", "&#8217;", "&nbsp;", "&lt;b&gt;"]
LETTERS = ["é", "e\u0301", "Œ", "œ", "æ", "Æ", "ß", "ﬁ", "𝑨", "İ", "ς", "Σ", "ǅ", "ᾳ", "\u1fef", "ㄱ", "½"]


def words(site_taxonomy):
    terms = [t.text.rstrip("*") for topic in site_taxonomy.topics.values() for t in topic.terms]
    phrases = [p for topic in site_taxonomy.topics.values() for p in topic.exclude]
    return terms + phrases


def text_of(parts):
    return st.lists(st.one_of(parts, st.sampled_from(SEPARATORS), st.sampled_from(MARKUP),
                              st.sampled_from(LETTERS), st.text(max_size=4)), max_size=40).map("".join)


def cased(strategy):
    return strategy.flatmap(lambda s: st.sampled_from([s, s.upper(), s.title(), s.swapcase()]))


FAST = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


@FAST
@given(st.one_of(st.text(), text_of(st.sampled_from(LETTERS))))
def test_normalise_is_the_reference_normalise(text):
    assert normalise(text) == reference_normalise(text)


@pytest.mark.parametrize("char", SEPARATORS + LETTERS + ["\u00b4", "\u2032", "\u2010", "\u2015", "\u3000"])
def test_normalise_of_each_special_character(char):
    for text in (char, f"a{char}b", f" {char}{char} ", f"x-{char}-y"):
        assert normalise(text) == reference_normalise(text)


@FAST
@given(st.one_of(st.text(), text_of(st.text(max_size=8))))
def test_plain_text_is_the_reference_and_prose_reads_the_same(markdown):
    assert plain_text(markdown) == reference_plain_text(markdown)
    assert normalise(prose(markdown)) == normalise(plain_text(markdown))


@given(st.text(alphabet="![]()x ", max_size=30))
def test_link_patterns_match_as_written_with_an_optional_bang(text):
    # (no [ in the text, no ( in the address: the patterns are linear on "[[[[..." lines)
    assert _LINK.sub(r"<\1>", text) == re.sub(r"!?\[([^\[\]]*)\]\([^()]*\)", r"<\1>", text)
    assert _REF_LINK.sub(r"<\1>", text) == re.sub(r"!?\[([^\[\]]*)\]\[[^\[\]]*\]", r"<\1>", text)


@pytest.fixture(scope="module")
def site_words(site_taxonomy):
    return words(site_taxonomy)


@settings(FAST, max_examples=150)
@given(data=st.data())
def test_counting_distinct_spans_scores_as_counting_each_occurrence(site_matcher, site_words, data):
    text = text_of(cased(st.sampled_from(site_words)).flatmap(
        lambda w: st.sampled_from([w, w + "s", w + "ation", "x" + w])))
    title, body = data.draw(text), data.draw(text)
    result = site_matcher.score(plain_text(title), plain_text(body))
    expected = reference_score(site_matcher, plain_text(title), plain_text(body))
    assert result.as_dict() == expected.as_dict()
    assert scores_line(result) == reference_scores_line(expected)


def test_exclusions_and_prefix_forms_keep_their_order(matcher_for):
    m = matcher_for(
        ("law", {"en": ["court*", "tender"]}, {"exclude": ["legal tender", "court terme", "a court de"]}),
        ("money", {"en": ["tender", "legal tender", "court"]}),
    )
    body = ("a court de courts, court terme, courtier, courts, legal tender, tender, courtesy, courtier, "
            "courtroom, courtyard, courtiers, court")
    for title in ("", "Legal tender court", "court terme"):
        assert m.score(title, body).as_dict() == reference_score(m, title, body).as_dict()
