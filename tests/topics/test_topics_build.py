"""End to end: the real site built with the topics plugin, and a build stopped by a mistyped tag."""

import re

from support import ROOT
from topics import cli


def test_every_story_gets_one_report_line_and_no_topic_error(site):
    report = site["report"]
    lines = report.sections["topics"]
    assert len(lines) >= 10 and all(len(items) == 1 for items in lines.values())
    assert all(re.match(r"^([a-z-]+(, [a-z-]+)*|\(none\)) \(scores: ", items[0]) for items in lines.values())
    assert not [e for e in report.errors if e.field in ("tags", "exclude_tags")]


def test_topic_pages_and_feeds_exist_in_both_languages(site):
    out = site["out"]
    fr = (out / "sujets" / "regulation" / "index.html").read_text(encoding="utf-8")
    en = (out / "en" / "topics" / "regulation" / "index.html").read_text(encoding="utf-8")
    assert "Réglementation" in fr and "Lois, règlements et autorités" in fr
    assert "Regulation" in en and "Laws, rules and regulators" in en
    assert re.search(r'href="[^"]*/?\d{4}/\d{2}/[a-z0-9-]+/"', fr)  # lists at least one article
    for feed in ("sujets/regulation/feed.atom.xml", "en/topics/regulation/feed.atom.xml"):
        assert (out / feed).read_text(encoding="utf-8").startswith("<?xml")


def test_mistyped_tag_fails_the_build_naming_the_file_and_the_nearest_id(tmp_path, site_support):
    content = site_support.copy_content(tmp_path)
    path = sorted((content / "posts").rglob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    header_end = text.index("\n---", 3)
    header = re.sub(r"^tags:.*\n", "", text[:header_end] + "\n", flags=re.M)
    path.write_text(header + "tags: [regulaton]" + text[header_end:], encoding="utf-8")

    settings, report, out = site_support.build_site(tmp_path, content=content)
    errors = [str(e) for e in report.errors if e.path.endswith(path.name)]
    assert report.failed and errors
    # Whichever layer stops it (the front-matter check or the topics plugin), the message says what to do.
    assert any("'regulaton'" in e and "'regulation'" in e and "topics.yaml" in e for e in errors), errors


def test_invoke_topics_shows_the_scores_the_build_computed(site):
    """`invoke topics` reads each post as the build does (line cleaning included): scoring the text
    before cleaning would explain counts and scores the build never saw."""
    built = sorted(items[0] for items in site["report"].sections["topics"].values())
    listed = sorted(line.split(": ", 1)[1] for line in cli.list_stories(ROOT / "pelicanconf.py").splitlines()
                    if not line.startswith(" "))
    assert listed == built
    # Cleaning removes this post's pasted headline repeats: the explanation counts what is left.
    text = cli.explain_story(ROOT / "pelicanconf.py", "xai-open-source-grok")
    assert text.splitlines()[1].endswith("after line cleaning, as the build reads them")
    line = site["report"].sections["topics"]["content/posts/2024/xai-open-source-grok.md"][0]
    scores = re.findall(r"([a-z-]+) ([\d.]+)/2", line)
    assert scores
    for topic, score in scores:
        assert re.search(rf"^{topic} +{re.escape(score)} ", text, re.M), (topic, score, text)
