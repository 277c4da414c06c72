"""The search index follows the build at a cost that follows what changed (search_index.py):
nothing changed, nothing indexed; one edit, one shard; every fast path equal to a full index."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from editor_support import ROOT, build_site, copy_content, files, indexed, manifest, post, report_text

POST = "posts/2024/anthropic-claude-3.md"


def shard_times(out):
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns
            for p in (out / "pagefind").rglob("*") if p.is_file()}


def search_line(report):
    return report_text(report, "search")["output/pagefind/"]


def test_every_published_article_is_indexed_once_in_its_language_and_quarter(tmp_path):
    _s, report, out = build_site(tmp_path)
    found = indexed(out)
    articles = [name for name in files(out, skip=("pagefind/",))
                if name.endswith("index.html") and name.split("/")[-4:-3] != []
                and name.removeprefix("en/")[:2] in ("20",)]
    assert sorted(found) == sorted("/" + name.removesuffix("index.html") for name in articles)
    data = manifest(out)
    for lang, names in data["languages"].items():
        assert names == sorted(names, reverse=True), "newest quarter first"
        for name in names:
            assert name.startswith(f"{lang}-") and (out / "pagefind" / name / "pagefind.js").exists()
            assert not (out / "pagefind" / name / "pagefind-ui.js").exists()
    assert sum(s["pages"] for s in data["shards"].values()) == len(found)
    assert "re-indexed" in search_line(report)


def test_nothing_changed_means_no_indexing_at_all(tmp_path):
    content = copy_content(tmp_path)
    _s, _r, out = build_site(tmp_path, content=content)
    before = shard_times(out)
    _s, report, out = build_site(tmp_path, content=content)
    assert shard_times(out) == before, "not one file of the index was written"
    assert "nothing re-indexed" in search_line(report)


def test_one_edited_post_reindexes_its_shard_only_and_equals_a_full_index(tmp_path):
    content = copy_content(tmp_path)
    _s, _r, out = build_site(tmp_path, content=content)
    before = shard_times(out)
    path = content / POST
    path.write_text(path.read_text(encoding="utf-8") + "\nUn mot nouveau : zorgindex.\n",
                    encoding="utf-8")
    _s, report, out = build_site(tmp_path, content=content)
    assert search_line(report).startswith("1 of ")
    changed = {name.split("/")[1] for name, t in shard_times(out).items()
               if before.get(name) != t and name != "pagefind/shards.json"}
    assert changed == {"en-2024-q1"}  # the post is in English, dated March 2024
    assert [url for url, text in indexed(out).items() if "zorgindex" in text] == \
        ["/en/2024/03/anthropic-claude-3/"]
    cold_tmp = tmp_path / "cold"
    cold_tmp.mkdir()
    _s, _r, cold = build_site(cold_tmp, content=content)
    mine, theirs = files(out / "pagefind"), files(cold / "pagefind")
    assert mine == theirs, "the same shards, byte for byte, as a full index"


def test_a_quarter_left_without_articles_loses_its_shard(tmp_path):
    content = copy_content(tmp_path)
    lonely = post(content, "posts/2019/vieux.md", title="Un vieux billet zorgvieux",
                  date="2019-05-02 10:00", body="Texte zorgvieux.")
    _s, _r, out = build_site(tmp_path, content=content)
    assert "fr-2019-q2" in manifest(out)["shards"]
    lonely.unlink()
    _s, report, out = build_site(tmp_path, content=content)
    assert "fr-2019-q2" not in manifest(out)["shards"]
    assert not (out / "pagefind" / "fr-2019-q2").exists()
    assert "1 deleted" in search_line(report)
    assert not [url for url in indexed(out) if "vieux" in url]


def test_an_index_of_another_kind_or_a_broken_manifest_is_replaced_whole(tmp_path):
    content = copy_content(tmp_path)
    _s, _r, out = build_site(tmp_path, content=content)
    (out / "pagefind" / "pagefind-entry.json").write_text("{}")  # as Pagefind's CLI left it
    (out / "pagefind" / "shards.json").write_text("{not json")
    _s, report, out = build_site(tmp_path, content=content)
    assert not (out / "pagefind" / "pagefind-entry.json").exists()
    assert manifest(out)["shards"] and "re-indexed" in search_line(report)


def test_an_output_emptied_by_a_publish_build_is_indexed_again(tmp_path):
    content = copy_content(tmp_path)
    _s, _r, out = build_site(tmp_path, content=content)
    count = len(indexed(out))
    import shutil

    shutil.rmtree(out / "pagefind" / "en-2024-q1")  # a shard lost, the manifest still there
    _s, report, out = build_site(tmp_path, content=content)
    assert search_line(report).startswith("1 of ") and len(indexed(out)) == count


def test_a_symlinked_index_folder_is_replaced_not_followed(tmp_path):
    content = copy_content(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine")
    out = tmp_path / "output"
    out.mkdir()
    os.symlink(elsewhere, out / "pagefind")
    _s, _r, out = build_site(tmp_path, content=content)
    assert (elsewhere / "keep.txt").read_text() == "mine" and len(list(elsewhere.iterdir())) == 1
    assert (out / "pagefind").is_dir() and not (out / "pagefind").is_symlink()


def test_without_pagefind_a_local_build_warns_and_a_publish_build_fails(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    _s, report, _out = build_site(tmp_path / "a")
    warning = [w for w in report.warnings if w.path == "output/pagefind"]
    assert warning and "pagefind" in warning[0].fix and not report.errors
    _s, report, _out = build_site(tmp_path / "b", DIGEST_PUBLISH=True)
    assert [e for e in report.errors if e.path == "output/pagefind"]


def test_a_build_into_another_folder_indexes_that_folder(tmp_path):
    target = tmp_path / "elsewhere"
    code = subprocess.run([sys.executable, str(ROOT / "plugins/digest/runner.py"), "-s",
                           str(ROOT / "pelicanconf.py"), "-o", str(target), "--cache-path",
                           str(tmp_path / "cache"), "-q"], cwd=ROOT, capture_output=True, text=True)
    assert code.returncode == 0, code.stderr
    assert json.loads((target / "pagefind" / "shards.json").read_text())["languages"]
    assert indexed(target)


def test_shards_of_another_pagefind_are_never_merged_with_new_ones(tmp_path):
    content = copy_content(tmp_path)
    _s, _r, out = build_site(tmp_path, content=content)
    data = manifest(out)
    data["pagefind"] = "0.0.1 123"  # as an older Pagefind left them
    (out / "pagefind" / "shards.json").write_text(json.dumps(data))
    _s, report, out = build_site(tmp_path, content=content)
    assert "nothing re-indexed" in search_line(report), "nothing to write: nothing is asked"
    path = content / POST
    path.write_text(path.read_text(encoding="utf-8") + "\nEncore.\n", encoding="utf-8")
    _s, report, out = build_site(tmp_path, content=content)
    total = len(manifest(out)["shards"])
    assert search_line(report).startswith(f"{total} of {total} ")
    assert manifest(out)["pagefind"] != "0.0.1 123"
