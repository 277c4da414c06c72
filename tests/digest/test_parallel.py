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


def test_autoreload_building_again_with_the_same_pelican_sees_every_edit(tmp_path):
    # `pelican --autoreload` (invoke livereload) calls run() again on one Pelican: `initialized` is
    # not sent again, and the stamp of what one build read must not stand for the next one.
    from benchmarks.corpus import generate
    from pelican import Pelican
    from pelican.settings import read_settings

    generate(tmp_path / "corpus", 60)
    content = tmp_path / "corpus/site/content"

    def settings():
        return read_settings(str(ROOT / "pelicanconf.py"), override={
            "PATH": str(content), "OUTPUT_PATH": str(tmp_path / "output"),
            "CACHE_PATH": str(tmp_path / "cache"), "DIGEST_WORKERS": 2, "DIGEST_PARALLEL_MIN": 0})

    Pelican(settings()).run()  # a warm cache, as when livereload starts on a built site
    pelican = Pelican(settings())
    post = sorted((content / "posts").rglob("*.md"))[7]
    for word in ("premier", "second"):
        post.write_text(post.read_text(encoding="utf-8") + f"\nUne phrase du {word} changement.\n",
                        encoding="utf-8")
        pelican.run()
        assert any(f"Une phrase du {word} changement." in p.read_text(encoding="utf-8")
                   for p in (tmp_path / "output").rglob("index.html")), word


# -- the forked streams themselves ---------------------------------------------------------------

def square_or_die(item, parent=__import__("os").getpid()):
    import os

    if item == 13 and os.getpid() != parent:
        os._exit(3)  # a worker killed halfway through its share
    return item * item


def test_a_stream_gives_every_result_in_order_whatever_the_number_of_workers():
    from digest.parallel import map_forked, stream_forked

    for count in (2, 3, 5):
        settings = {"DIGEST_WORKERS": count}
        assert list(stream_forked(lambda i: (i, i * 2), range(101), settings)) == [(i, i * 2) for i in range(101)]
        assert map_forked(str, range(7), settings, minimum=0) == [str(i) for i in range(7)]
    assert stream_forked(str, range(10), {"DIGEST_WORKERS": 1}) is None
    assert map_forked(str, range(10), {"DIGEST_WORKERS": 1}, minimum=0) == [str(i) for i in range(10)]


def test_when_a_worker_dies_the_stream_ends_and_map_forked_makes_the_rest_itself():
    from digest.parallel import map_forked, stream_forked

    settings = {"DIGEST_WORKERS": 2}
    made = list(stream_forked(square_or_die, range(40), settings))
    assert made == [i * i for i in range(len(made))] and len(made) <= 13  # stops at the lost item
    assert map_forked(square_or_die, range(40), settings, minimum=0) == [i * i for i in range(40)]


def gone(pid):
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_closing_a_stream_early_stops_and_reaps_its_workers():
    import os

    from digest.parallel import stream_forked

    stream = stream_forked(lambda i: os.getpid(), range(100_000), {"DIGEST_WORKERS": 2})
    pids = {next(stream), next(stream)}
    assert len(pids) == 2 and os.getpid() not in pids
    stream.close()
    assert all(gone(pid) for pid in pids), "a worker still runs (or was never reaped)"


def test_a_stream_closed_or_dropped_before_its_first_result_reaps_its_workers():
    from digest.parallel import stream_forked

    for drop in (False, True):
        stream = stream_forked(str, range(100_000), {"DIGEST_WORKERS": 3})
        pids = [pid for pid, _pipe in stream._started]
        assert len(pids) == 3
        if drop:
            del stream  # no reference left: reaped by its finaliser
        else:
            stream.close()
        assert all(gone(pid) for pid in pids)


def test_background_work_is_done_and_reaped_when_wait_background_returns(tmp_path):
    import time

    from digest.parallel import _BACKGROUND, in_background, wait_background

    target = tmp_path / "written-in-the-background"
    errors = []

    def slow_write():
        time.sleep(0.2)
        target.write_text("done")

    in_background(slow_write, errors.append)
    assert not target.exists()  # this process went on at once
    wait_background()
    assert target.read_text() == "done" and _BACKGROUND == [] and errors == []


def test_a_background_failure_is_reported_here_when_waited_for(tmp_path):
    from digest.parallel import in_background, wait_background

    errors = []

    def fail():
        raise PermissionError(13, "Permission denied", str(tmp_path / "cache"))

    in_background(fail, errors.append)
    assert errors == []
    wait_background()
    assert len(errors) == 1 and errors[0].startswith("PermissionError") and "Permission denied" in errors[0]


def test_a_reader_outside_a_generator_reads_its_file_and_nothing_else(tmp_path):
    # The site generator reads a translation written during the build with a Readers of its own:
    # that reader does not know Pelican's order, and must not fork workers to read the whole site.
    from benchmarks.corpus import generate
    from pelican.readers import Readers
    from pelican.settings import read_settings

    from digest.reader import DigestMarkdownReader

    generate(tmp_path / "corpus", 60)
    content = tmp_path / "corpus/site/content"
    settings = read_settings(str(ROOT / "pelicanconf.py"),
                             override={"PATH": str(content), "DIGEST_WORKERS": 2})
    readers = Readers(settings)
    reader = next(r for r in readers.readers.values() if isinstance(r, DigestMarkdownReader))
    first = sorted((content / "posts").rglob("*.md"))[0]
    html, metadata = reader.read(str(first))
    assert metadata["slug"] and html
    assert reader._stream is None and not reader._pending
