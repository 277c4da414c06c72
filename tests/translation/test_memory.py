"""The memory files: atomic writes, corrupt files, a stable segment cache."""

import json
import os

import pytest
from translation import memory


def test_atomic_write_replaces_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "a" / "b.md"
    memory.atomic_write(target, "one\n")
    memory.atomic_write(target, "two\n")
    assert target.read_text() == "two\n"
    assert os.listdir(target.parent) == ["b.md"]


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "b.md"
    memory.atomic_write(target, "old\n")

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(memory.os, "replace", crash)
    with pytest.raises(OSError):
        memory.atomic_write(target, "new\n")
    assert target.read_text() == "old\n" and os.listdir(tmp_path) == ["b.md"]


def test_temporary_files_of_a_killed_run_are_swept(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / ".x.md.abc.tmp").write_text("half")
    (tmp_path / "en" / "x.md").write_text("kept")
    assert memory.sweep_temp_files(tmp_path) == 1
    assert os.listdir(tmp_path / "en") == ["x.md"]


GOOD = """---
title: T
date: 2024-01-01 10:00
lang: en
translation_of: posts/2024/x.md
source_hash: abc
reviewed: true
---

Body
"""


@pytest.mark.parametrize("text, reviewed", [
    (GOOD[:40], False),  # truncated inside the front matter
    (GOOD.replace("---\n\nBody", ""), True),  # truncated before the closing line, after reviewed
    ("", False),
    ("no front matter\n", False),
    ("---\ntitle: [unclosed\n---\n", False),
    ("---\ntitle: T\nlang: en\nreviewed: true\n---\nbody", True),  # a hand edit lost a field
])
def test_corrupt_files_raise_one_clear_error(tmp_path, text, reviewed):
    path = tmp_path / "x.md"
    path.write_text(text)
    with pytest.raises(memory.CorruptMemory) as err:
        memory.read_memory(path)
    assert err.value.reason
    assert err.value.reviewed is reviewed  # a reviewed file that broke is never overwritten


def test_binary_garbage_is_corrupt_not_a_crash(tmp_path):
    path = tmp_path / "x.md"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(memory.CorruptMemory):
        memory.read_memory(path)


def test_a_good_file_reads(tmp_path):
    path = tmp_path / "x.md"
    path.write_text(GOOD)
    entry = memory.read_memory(path)
    assert entry.reviewed and entry.source_hash == "abc" and entry.body.strip() == "Body"


def test_segment_cache_is_sorted_one_entry_per_line_and_round_trips(tmp_path):
    path = tmp_path / "x.md"
    cache = {"Zèbre ⟦1⟧": "Zebra ⟦1⟧", "Abeille": "Bee", "Chat\n": "Cat\n"}
    memory.save_segments(path, cache)
    text = (tmp_path / "x.segments.json").read_text()
    lines = text.splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == 5
    shas = [json.loads(line.rstrip(","))["source_sha"] for line in lines[1:-1]]
    assert shas == sorted(shas)
    assert "Zèbre" in text  # readable, not \u-escaped
    assert memory.load_segments(path) == (cache, None)
    memory.save_segments(path, dict(reversed(list(cache.items()))))
    assert (tmp_path / "x.segments.json").read_text() == text  # stable: no diff noise


def test_a_broken_segment_cache_is_an_empty_one(tmp_path):
    (tmp_path / "x.segments.json").write_text('[{"source": "a", "tar')
    cache, problem = memory.load_segments(tmp_path / "x.md")
    assert cache == {} and "unreadable" in problem


def test_fingerprint_covers_title_summary_and_body():
    base = memory.source_fingerprint("T", "S", "B\n")
    assert base == memory.source_fingerprint("T", "S", "B\r\n\n")
    assert len({base, memory.source_fingerprint("T2", "S", "B"), memory.source_fingerprint(
        "T", "S2", "B"), memory.source_fingerprint("T", "S", "B2")}) == 4
    assert memory.source_fingerprint("T", "", "S B") != memory.source_fingerprint("T", "S", "B")


def test_memory_path_layout(tmp_path):
    from datetime import datetime

    path = memory.memory_path(tmp_path, "en", datetime(2024, 3, 1), "slug")
    assert path == tmp_path / "translations" / "en" / "2024" / "slug.md"
    assert memory.sidecar_path(path).name == "slug.segments.json"
