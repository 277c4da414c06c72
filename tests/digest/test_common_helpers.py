"""The helpers every plugin shares: replacing a file in one step, and 'did you mean'."""

import os

import pytest

from common.files import TEMP_SUFFIX, atomic_write, replacing
from common.suggest import closest


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "memo.md"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with replacing(target) as fh:
            fh.write("half of the new")
            raise RuntimeError("killed midway")
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["memo.md"]


def test_a_write_replaces_the_file_with_unix_line_ends_and_unique_temporaries(tmp_path, monkeypatch):
    target = tmp_path / "sub" / "memo.md"
    seen = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (seen.append(a), real_replace(a, b)))
    atomic_write(target, "a\nb\n")
    atomic_write(target, b"\x00bytes")
    assert target.read_bytes() == b"\x00bytes"
    assert len(set(seen)) == 2 and all(p.endswith(TEMP_SUFFIX) and ".memo.md." in p for p in seen)
    atomic_write(target, "line\n", durable=False)
    assert target.read_bytes() == b"line\n"


def test_an_opener_writes_the_temporary_its_own_way(tmp_path):
    import gzip

    target = tmp_path / "cache.gz"
    with replacing(target, durable=False, opener=lambda temp: gzip.open(temp, "wb")) as fh:
        fh.write(b"pickled")
    assert gzip.decompress(target.read_bytes()) == b"pickled"


@pytest.mark.parametrize("value, choices, expected", [
    ("opnai", ["openai", "anthropic"], "openai"),
    ("OpenAI", ["openai"], "openai"),
    ("mistral-ai", ["mistral-ai-leve-600-millions", "meta-llama-3"], "mistral-ai-leve-600-millions"),
    ("DIGEST_WORKRS", ["DIGEST_WORKERS", "DIGEST_PER_PAGE"], "DIGEST_WORKERS"),
    ("zzz", ["openai", "anthropic"], None),
    ("", ["openai"], None),
])
def test_closest_finds_what_was_meant_or_nothing(value, choices, expected):
    assert closest(value, choices) == expected
