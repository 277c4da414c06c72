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


def test_a_parallel_rebuild_in_the_same_process_sees_an_edit(tmp_path):
    # Workers hand the parent the cache stamps of what they read; a second build in the same
    # process (livereload) must still notice a file that changed since.
    from benchmarks.corpus import generate

    generate(tmp_path / "corpus", 60)
    content = tmp_path / "corpus/site/content"
    _s, first, out = build_site(tmp_path, content=content, DIGEST_WORKERS=2, DIGEST_PARALLEL_MIN=0)
    assert first.prefetched > 0
    post = sorted((content / "posts").rglob("*.md"))[7]
    post.write_text(post.read_text(encoding="utf-8") + "\nUne phrase ajoutée entre deux builds.\n",
                    encoding="utf-8")
    _s, second, out = build_site(tmp_path, content=content, DIGEST_WORKERS=2, DIGEST_PARALLEL_MIN=0)
    assert 0 < second.output["written"] < first.output["written"] / 3
    assert any("Une phrase ajoutée entre deux builds." in p.read_text(encoding="utf-8")
               for p in out.rglob("index.html"))
