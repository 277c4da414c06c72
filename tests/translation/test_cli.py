"""`invoke translate` end to end against the fake server: the memory's whole life."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from digest import signals as digest_signals
from libre_server import FakeTranslator, free_port
from translation import cli
from translation.memory import read_memory
from translation_support import EN_MEMORY, FAST, FR_MEMORY, ROOT, write

def summary(out):
    return out.strip().splitlines()[-1]


def test_french_post_gets_english_and_english_gets_french(run, project, libre_server):
    code, out = run(libre_server.url)
    assert code == 0
    assert summary(out) == ("translation: 2 translated (0 refreshed), 0 reused, "
                            "0 stale but reviewed, 0 failed")
    en = read_memory(project / EN_MEMORY)
    assert en.meta["lang"] == "en" and en.meta["source_lang"] == "fr"
    assert en.meta["title"] == "EN:L'EN:IA EN:générative EN:en EN:entreprise"
    assert en.meta["translation_of"] == "posts/2024/ia-generative.md"
    assert en.meta["provider"] == "libre" and en.meta["reviewed"] is False
    assert en.meta["source"] == "https://exemple.fr/article"  # copied, not translated
    assert "[EN:le EN:rapport](https://exemple.fr/rapport \"Rapport\")" in en.body
    assert 'print("jamais traduit")' in en.body
    fr = read_memory(project / FR_MEMORY)
    assert fr.meta["lang"] == "fr" and fr.meta["title"] == "FR:Open FR:models FR:catch FR:up"


def test_the_foundation_reader_accepts_the_memory(run, project, libre_server):
    from digest.reader import read_document

    run(libre_server.url)
    doc = read_document(str(project / EN_MEMORY), {"PATH": str(project / "content")})
    assert doc.problems == [] and doc.meta["slug"] == "ia-generative"


def test_a_second_run_makes_no_request(run, libre_server):
    run(libre_server.url)
    libre_server.reset()
    code, out = run(libre_server.url)
    assert code == 0 and libre_server.count == 0
    assert summary(out).startswith("translation: 0 translated (0 refreshed), 2 reused")


def edit_source(project, old, new):
    path = project / "content/posts/2024/ia-generative.md"
    path.write_text(path.read_text().replace(old, new))


def test_an_edited_source_refreshes_only_the_changed_segments(run, project, libre_server):
    run(libre_server.url)
    before = read_memory(project / EN_MEMORY).meta["source_hash"]
    edit_source(project, "Une citation d'un dirigeant.", "Une autre citation.")
    libre_server.reset()
    code, out = run(libre_server.url)
    assert code == 0 and "1 translated (1 refreshed)" in summary(out)
    assert libre_server.texts == ["Une autre citation."]  # nothing else was sent
    after = read_memory(project / EN_MEMORY)
    assert after.meta["source_hash"] != before
    assert "> EN:Une EN:autre EN:citation." in after.body
    assert "EN:Premier EN:point" in after.body  # unchanged segments came from the cache


def test_a_reviewed_translation_is_never_overwritten(run, project, libre_server):
    run(libre_server.url)
    path = project / EN_MEMORY
    path.write_text(path.read_text().replace("reviewed: false", "reviewed: true")
                    .replace("EN:Ce EN:qui EN:change", "What changes"))
    reviewed = path.read_bytes()
    edit_source(project, "Dernier paragraphe", "Ultime paragraphe")
    libre_server.reset()
    for _ in range(2):
        code, out = run(libre_server.url)
        assert code == 0 and path.read_bytes() == reviewed
        assert "1 stale but reviewed" in summary(out)
        assert "source_hash:" in out  # the report tells the editor how to clear the flag
    assert libre_server.count == 0


def test_a_hand_translation_is_never_overwritten(run, project, libre_server):
    run(libre_server.url)
    path = project / EN_MEMORY
    path.write_text(path.read_text().replace("provider: libre", "provider: human"))
    edit_source(project, "Dernier paragraphe", "Ultime paragraphe")
    human = path.read_bytes()
    code, out = run(libre_server.url)
    assert path.read_bytes() == human and "1 stale but reviewed" in summary(out)


@pytest.mark.parametrize("mode", ["error", "invalid_json", "slow"])
def test_each_fault_ends_with_a_finished_run_and_a_clear_report(run, project, libre_server, mode):
    libre_server.reset(mode=mode, delay=3)
    started = time.perf_counter()
    code, out = run(libre_server.url, "--timeout", "0.2")
    assert time.perf_counter() - started < 5
    assert code == 0 and "2 failed" in summary(out)
    expected = {"error": "server error (HTTP 500)", "invalid_json": "invalid response",
                "slow": "within 0.2s"}[mode]
    assert expected in out
    assert not (project / "content/translations").exists() or not list(
        (project / "content/translations").rglob("*.md"))  # nothing half-translated is published


def test_connection_refused_is_reported(run, project):
    code, out = run(f"http://127.0.0.1:{free_port()}/")
    assert code == 0 and "2 failed" in summary(out) and "(refused)" in out
    assert cli.main(["--no-progress", "--strict", "--url", f"http://127.0.0.1:{free_port()}/",
                     "--retries", "0"]) == 1


def test_429_then_success_translates(run, project, libre_server):
    libre_server.fail_next(429, times=2)
    code, out = run(libre_server.url)
    assert code == 0 and "2 translated" in summary(out)


def test_markup_dropped_by_the_provider_is_reported_and_structure_kept(run, project, libre_server):
    from translation.segments import make_markdown, structure

    libre_server.mode = "drop_markup"
    code, out = run(libre_server.url)
    assert code == 0 and "markup dropped by the provider" in out
    source = (project / "content/posts/2024/ia-generative.md").read_text().split("---\n", 2)[2]
    body = read_memory(project / EN_MEMORY).body
    md = make_markdown()
    assert structure(md, body) == structure(md, source)
    assert "[EN:le EN:rapport](https://exemple.fr/rapport \"Rapport\")" in body


def test_the_breaker_keeps_a_dead_provider_cheap(run, project, libre_server):
    for i in range(6):
        write(project / f"content/posts/2024/extra-{i}.md",
              f"---\ntitle: Billet {i}\ndate: 2024-05-0{i + 1}\nlang: fr\n---\n\nTexte {i}.\n")
    libre_server.mode = "error"
    code, out = run(libre_server.url)
    assert code == 0 and "8 failed" in summary(out)
    assert libre_server.count <= 5 + 2  # breaker threshold (default 5) plus requests in flight
    assert "provider left alone" in out


def test_partial_work_is_kept_for_the_next_run(run, project, libre_server):
    original = libre_server.translate

    def flaky(text, source, target):  # one segment fails for good (the server hangs up)
        if text.startswith("Premier point"):
            raise RuntimeError
        return original(text, source, target)

    libre_server.translate = flaky
    code, out = run(libre_server.url, "posts/2024/ia-generative.md")
    assert "1 failed" in summary(out) and not (project / EN_MEMORY).exists()
    libre_server.translate = original
    libre_server.reset()
    code, out = run(libre_server.url, "posts/2024/ia-generative.md")
    assert "1 translated" in summary(out)
    assert libre_server.texts == ["Premier point ⟦1⟧important⟦2⟧"]  # the rest was paid for


def test_provider_none_sends_nothing(run, project, libre_server, monkeypatch):
    monkeypatch.setenv("DIGEST_TRANSLATOR", "none")
    monkeypatch.setenv("DIGEST_TRANSLATOR_URL", libre_server.url)
    code = cli.main(["--no-progress"])
    assert code == 0 and libre_server.count == 0


def test_one_post_only(run, project, libre_server):
    code, out = run(libre_server.url, "content/posts/2024/open-models.md")
    assert code == 0 and "1 translated" in summary(out)
    assert (project / FR_MEMORY).exists() and not (project / EN_MEMORY).exists()


def test_a_path_that_names_no_file_is_a_usage_error(run, project, libre_server):
    # A typo in `invoke translate --path` must not look like a finished run with nothing to do.
    code, out = run(libre_server.url, "content/posts/2024/open-modles.md")
    assert code == 2 and libre_server.count == 0, out
    assert not (project / FR_MEMORY).exists() and not (project / EN_MEMORY).exists()
    # A slug is still a way to name one post.
    code, out = run(libre_server.url, "open-models")
    assert code == 0 and "1 translated" in summary(out)


def test_a_corrupt_memory_file_is_reported_and_replaced(run, project, libre_server):
    run(libre_server.url)
    path = project / EN_MEMORY
    path.write_text(path.read_text()[:60])  # truncated by hand, a bad merge, a full disk...
    code, out = run(libre_server.url)
    assert code == 0 and "unreadable memory file" in out and "1 translated" in summary(out)
    assert read_memory(path).meta["lang"] == "en"


def test_a_corrupt_reviewed_file_is_left_for_a_person(run, project, libre_server):
    run(libre_server.url)
    path = project / EN_MEMORY
    text = path.read_text().replace("reviewed: false", "reviewed: true")
    path.write_text(text[: text.rindex("reviewed: true") + 15])  # the closing --- is gone
    broken = path.read_bytes()
    code, out = run(libre_server.url)
    assert code == 0 and path.read_bytes() == broken and "never overwritten" in out


def test_unknown_provider_or_missing_key_is_a_usage_error(run, project, capsys):
    assert cli.main(["--no-progress", "--provider", "babelfish"]) == 2
    assert cli.main(["--no-progress", "--provider", "deepl"]) == 2
    assert "DIGEST_TRANSLATOR_KEY" in capsys.readouterr().err


def test_a_translation_path_selects_its_source(run, project, libre_server):
    run(libre_server.url)
    edit_source(project, "Dernier paragraphe", "Ultime paragraphe")
    code, out = run(libre_server.url, str(EN_MEMORY))
    assert code == 0 and "1 translated (1 refreshed)" in summary(out)


def test_killing_the_run_leaves_a_memory_the_next_run_accepts(project):
    for i in range(4):
        write(project / f"content/posts/2024/extra-{i}.md",
              f"---\ntitle: Billet {i}\ndate: 2024-05-0{i + 1}\nlang: fr\n---\n\n"
              + "\n\n".join(f"Paragraphe {j} du billet {i}." for j in range(4)) + "\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins"), "DIGEST_TRANSLATOR": "libre",
           "NO_PROXY": "127.0.0.1"}
    command = [sys.executable, "-m", "translation.cli", "--no-progress", "--concurrency", "1",
               "--timeout", "5"]
    memory_root = project / "content/translations"
    with FakeTranslator(mode="slow", delay=0.15) as server:
        env["DIGEST_TRANSLATOR_URL"] = server.url
        process = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while not list(memory_root.rglob("*.md")) and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.1)  # mid-way through the next post
        process.send_signal(signal.SIGKILL)
        process.wait()
        saved = list(memory_root.rglob("*.md"))
        assert 1 <= len(saved) < 6 and process.returncode == -signal.SIGKILL
        for path in saved:
            read_memory(path)  # every file there is complete
        server.reset()
        done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
                              timeout=60)
    assert done.returncode == 0, done.stderr
    assert f"{len(saved)} reused" in done.stdout.splitlines()[-1]
    assert "6 translated" in done.stdout.splitlines()[-1] or \
        f"{6 - len(saved)} translated" in done.stdout.splitlines()[-1]
    assert len(list(memory_root.rglob("*.md"))) == 6
    assert not list(memory_root.rglob("*.tmp"))
