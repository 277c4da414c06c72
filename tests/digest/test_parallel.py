"""Reading on every core gives exactly the site that reading in one process gives."""

import sys
from pathlib import Path

from support import ROOT, build_site

sys.path.insert(0, str(ROOT))


def files(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in Path(out).rglob("*") if p.is_file()}


def test_parallel_cold_read_equals_serial(tmp_path):
    from benchmarks.corpus import generate

    from digest.reader import DigestMarkdownReader

    generate(tmp_path / "corpus", 70)  # 70 posts + 70 translations: above PREFETCH_MIN
    content = tmp_path / "corpus/site/content"
    assert len(list((content / "posts").rglob("*.md"))) > DigestMarkdownReader.PREFETCH_MIN
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    _s, serial, out1 = build_site(tmp_path / "one", content=content, DIGEST_WORKERS=1)
    _s, parallel, out2 = build_site(tmp_path / "two", content=content, DIGEST_WORKERS=2,
                                    DIGEST_PARALLEL_MIN=0)
    assert serial.errors == parallel.errors == []
    assert serial.prefetched == 0 and parallel.prefetched >= 2 * 70 - 2
    assert files(out1) == files(out2)
    assert serial.sections["cleaning"] == parallel.sections["cleaning"]
    assert any("[en]" in phase for phase in parallel.timings)  # English was rendered by a worker
    # The worker's files are in the manifest: an unchanged rebuild renders nothing.
    _s, again, out2 = build_site(tmp_path / "two", content=content, DIGEST_WORKERS=2,
                                 DIGEST_PARALLEL_MIN=0)
    assert again.output["written"] == 0 and again.output["kept"] == parallel.output["written"] - 2
