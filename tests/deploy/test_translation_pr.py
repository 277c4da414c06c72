"""The translations pull request (issue 22): what the Pages build decides, on real git repositories.

Each test makes a small repository (git init, a source post, committed memory files), plays what a
build does (a machine translation written, a source edited, an editor's edit on the pull request
branch), then runs .github/scripts/translation_pr.py the way the workflow does.
"""

import os
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from deploy_helpers import ROOT, clean_env
from translation_pr_helpers import (SCRIPT, clone, commit, memory, put, run_git, run_guard,
                                    source, tpr)

SITE = {"SITEURL": "https://user.github.io/repo"}
NOW = datetime(2026, 12, 4, tzinfo=timezone.utc)
EN = "content/translations/en/2024/mistral-leve.md"
FR = "content/translations/fr/2024/openai-o1.md"


@pytest.fixture
def repo(tmp_path):
    """A repository whose main has two source posts and no translation yet."""
    repo = tmp_path / "repo"
    repo.mkdir()
    run_git(repo, "init", "-q", "-b", "main")
    put(repo, "content/posts/2024/mistral-leve.md", source())
    put(repo, "content/posts/2024/openai-o1.md",
        source("openai-o1", "en", "2024-09-12 18:00", "OpenAI o1"))
    commit(repo, "sources")
    return repo


def decide(repo, **kw):
    return tpr.decide(repo, SITE, now=NOW, **kw)


# -- decide ----------------------------------------------------------------------------------------


def test_nothing_translated_means_no_pull_request(repo, tmp_path):
    decision = decide(repo)
    assert not decision.needed and decision.files == [] and decision.title == ""
    out = tmp_path / "out"
    tpr.write_decision(decision, repo, out)
    assert list((out / "files").rglob("*")) == []


def test_a_new_machine_translation_is_proposed_with_its_page_provider_and_failed_segments(repo):
    checks = ("{passed: 7, failed: [{check: language, segment: 3, detail: 'answer is in French'}, "
              "{check: links, segment: 5, detail: 'a link was dropped'}]}")
    put(repo, EN, memory(checks=checks))
    decision = decide(repo, run_url="https://github.com/o/r/actions/runs/1", commit="abc123" * 5)
    assert decision.needed and [f.path for f in decision.files] == [EN]
    assert decision.files[0].change == "new"
    assert decision.title == ("Review machine translation (en; google): "
                              "Mistral AI raises 600 million")
    body = decision.body
    # the deployed page by the site's URL contract (English under /en/), and its French source
    assert "(https://user.github.io/repo/en/2024/06/mistral-leve/)" in body
    assert "(https://user.github.io/repo/2024/06/mistral-leve/)" in body
    assert "**google**" in body and "7 passed, **2 failed**" in body
    assert "segment 3: **language** — answer is in French" in body
    assert "segment 5: **links** — a link was dropped" in body
    assert "`reviewed: true`" in body and "https://github.com/o/r/actions/runs/1" in body


def test_the_checks_field_is_optional_and_a_broken_one_does_not_stop_the_pull_request(repo):
    put(repo, EN, memory())
    put(repo, FR, memory(title="OpenAI o1", slug="openai-o1", lang="fr", source_lang="en",
                         translation_of="posts/2024/openai-o1.md", when="2024-09-12 18:00",
                         checks="[not, a, mapping]", provider="libre"))
    decision = decide(repo)
    assert [f.path for f in decision.files] == [EN, FR]
    assert "| not recorded |" in decision.body and "unreadable `checks` field" in decision.body
    assert decision.title == "Review machine translations (en, fr; google, libre): 2 posts"
    # French at the root of the site, by the same URL contract
    assert "(https://user.github.io/repo/2024/09/openai-o1/)" in decision.body


def test_a_refreshed_translation_says_so_and_an_unchanged_committed_one_is_not_proposed(repo):
    put(repo, EN, memory())
    commit(repo, "merged translations")
    assert not decide(repo).needed
    put(repo, EN, memory(source_hash="b" * 64, translated="2026-12-03 08:00"))
    decision = decide(repo)
    assert [(f.path, f.change) for f in decision.files] == [(EN, "refreshed")]


@pytest.mark.parametrize("committed", [
    memory(reviewed=True),
    memory(provider="human"),
    "---\ntitle: [broken\n---\n\nreviewed: true was meant\n",  # unreadable: counts as reviewed
])
def test_a_file_main_holds_as_reviewed_is_never_proposed(repo, committed):
    put(repo, EN, committed)
    commit(repo, "an editor's translation")
    put(repo, EN, memory(source_hash="c" * 64, translated="2026-12-03 08:00"))
    decision = decide(repo)
    assert not decision.needed
    assert decision.skipped == [f"{EN}: main holds a reviewed version; left alone"]


def test_without_the_site_address_there_is_no_link_rather_than_a_broken_one(repo):
    put(repo, EN, memory())
    (item,) = tpr.decide(repo, {"SITEURL": ""}, now=NOW).files
    assert item.url is None and item.source_url is None
    assert "| Mistral AI raises 600 million | en |" in tpr.decide(repo, {}, now=NOW).body


def test_future_and_draft_posts_are_flagged_not_linked_as_live(repo):
    put(repo, EN, memory(when="2027-01-15 08:00"))
    put(repo, FR, memory(title="OpenAI o1", slug="openai-o1", lang="fr", source_lang="en",
                         translation_of="posts/2024/openai-o1.md", extra="status: draft"))
    body = decide(repo).body
    assert "scheduled: live from 2027-01-15 08:00" in body
    assert "draft: no page until it is published" in body


def test_hostile_titles_and_check_details_stay_inert_text(repo):
    """Rendered as GitHub renders a description (GFM, raw HTML let through, to see what would
    pass): no tag, no script link, no broken table, nobody notified."""
    import cmarkgfm
    from cmarkgfm.cmark import Options

    title = "'@octocat <img src=x onerror=alert(1)> | [x](javascript:alert(1)) #1 `'"
    checks = "{passed: 1, failed: [{check: '<b>x</b>', segment: 1, detail: \"@team\\u000b|evil\"}]}"
    put(repo, EN, memory(title=title, checks=checks, slug="mistral-leve"))
    decision = decide(repo)
    html = cmarkgfm.github_flavored_markdown_to_html(decision.body,
                                                     options=Options.CMARK_OPT_UNSAFE)
    assert "<img" not in html and "<b>" not in html and 'href="javascript' not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # shown, as text
    assert "@octocat" not in decision.body and "@team" not in decision.body
    assert "\x0b" not in decision.body
    row = html[html.index("<tbody>"):html.index("</tbody>")]
    assert row.count("<td>") == 5
    assert "\n" not in decision.title and len(decision.title) <= tpr.TITLE_LIMIT


def test_a_symlink_in_the_memory_is_not_proposed(repo, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(memory(), encoding="utf-8")
    link = repo / EN
    link.parent.mkdir(parents=True)
    link.symlink_to(secret)
    decision = decide(repo)
    assert not decision.needed and decision.skipped == [f"{EN}: not a regular file"]


def test_the_artifact_holds_only_the_proposed_memory_files(repo, tmp_path):
    put(repo, EN, memory())
    put(repo, EN.replace(".md", ".segments.json"), "[]\n")
    put(repo, "content/posts/2024/new.md", source("new"))  # an edited post is not a translation
    out = tmp_path / "out"
    tpr.write_decision(decide(repo), repo, out)
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == ["body.md", f"files/{EN}", "title.txt"]


def test_the_command_line_uses_the_site_settings_and_writes_the_step_output(repo, tmp_path):
    put(repo, EN, memory())
    output = tmp_path / "github_output"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "decide", "--root", str(repo),
         "--settings", str(ROOT / "pelicanconf.py"), "--siteurl", "https://news.example.org",
         "--out", str(tmp_path / "out"), "--github-output", str(output)],
        capture_output=True, text=True, env=clean_env(), cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "pull request needed: yes (1 file(s))" in done.stdout
    assert output.read_text() == "needed=true\n"
    body = (tmp_path / "out" / "body.md").read_text(encoding="utf-8")
    assert "(https://news.example.org/en/2024/06/mistral-leve/)" in body


# -- carry and stash: paid for once ----------------------------------------------------------------


def test_stash_then_carry_brings_a_paid_translation_to_the_next_build(repo, tmp_path):
    cache = tmp_path / "cache"
    first = clone(repo, tmp_path, "first")
    put(first, EN, memory())  # the provider was paid
    put(first, EN.replace(".md", ".segments.json"), '[\n{"source": "x"}\n]\n')
    assert tpr.stash(first, cache) == 2
    second = clone(repo, tmp_path, "second")
    notes = tpr.carry(second, branch="refs/remotes/origin/translations/machine", cache=cache)
    assert notes == [f"{EN}: from the cache"]
    assert (second / EN).read_text(encoding="utf-8") == memory()
    assert (second / EN.replace(".md", ".segments.json")).exists()  # changed segments only
    assert [f.path for f in decide(second).files] == [EN]  # and it is still proposed


def test_the_branch_wins_with_the_editors_edits_unless_the_cache_is_newer(repo, tmp_path):
    run_git(repo, "checkout", "-q", "-b", "translations/machine")
    put(repo, EN, memory(body="First paragraph, as the editor put it."))
    commit(repo, "machine translations, then an editor's edit")
    run_git(repo, "checkout", "-q", "main")
    cache = tmp_path / "cache"
    put(cache, EN, memory())  # the same run's machine text: older edit-wise, same stamp
    build = clone(repo, tmp_path)
    branch = "refs/remotes/origin/translations/machine"
    run_git(build, "fetch", "-q", "origin", f"translations/machine:{branch}")
    assert tpr.carry(build, branch=branch, cache=cache) == [f"{EN}: from the pull request branch"]
    assert "as the editor put it" in (build / EN).read_text(encoding="utf-8")
    # a later build refreshed it but its pull request update did not happen: the cache is newer
    put(cache, EN, memory(source_hash="d" * 64, translated="2026-12-02 10:00"))
    fresh = clone(repo, tmp_path, "fresh")
    run_git(fresh, "fetch", "-q", "origin", f"translations/machine:{branch}")
    assert tpr.carry(fresh, branch=branch, cache=cache) == [f"{EN}: from the cache"]


def test_a_branch_left_after_a_squash_merge_never_undoes_an_edit_made_on_main(repo, tmp_path):
    run_git(repo, "checkout", "-q", "-b", "translations/machine")
    put(repo, EN, memory())
    commit(repo, "machine translations", when="2026-12-01T10:05:00Z")
    run_git(repo, "checkout", "-q", "main")
    put(repo, EN, memory())
    commit(repo, "Squash-merge the translations pull request", when="2026-12-02T09:00:00Z")
    put(repo, EN, memory(body="Corrected on main, still not reviewed."))
    commit(repo, "an editor's correction", when="2026-12-02T09:30:00Z")
    build = clone(repo, tmp_path)
    branch = "refs/remotes/origin/translations/machine"
    run_git(build, "fetch", "-q", "origin", f"translations/machine:{branch}")
    assert tpr.carry(build, branch=branch, cache=tmp_path / "no-cache") == []
    assert "Corrected on main" in (build / EN).read_text(encoding="utf-8")
    assert not decide(build).needed  # so the pull request job closes the stale pull request


def test_an_edit_in_the_pull_request_of_a_file_main_already_holds_is_kept(repo, tmp_path):
    put(repo, EN, memory())
    commit(repo, "an earlier translation, merged", when="2026-12-01T10:00:00Z")
    run_git(repo, "checkout", "-q", "-b", "translations/machine")
    put(repo, EN, memory(body="Improved in the pull request."))
    commit(repo, "an editor's edit on the pull request", when="2026-12-02T10:00:00Z")
    run_git(repo, "checkout", "-q", "main")
    build = clone(repo, tmp_path)
    branch = "refs/remotes/origin/translations/machine"
    run_git(build, "fetch", "-q", "origin", f"translations/machine:{branch}")
    assert tpr.carry(build, branch=branch) == [f"{EN}: from the pull request branch"]
    assert [(f.path, f.change) for f in decide(build).files] == [(EN, "edited")]


def test_after_the_merge_main_wins_and_no_pull_request_is_left_to_make(repo, tmp_path):
    cache = tmp_path / "cache"
    put(cache, EN, memory())
    put(repo, EN, memory(reviewed=True, body="Reviewed text."))
    commit(repo, "merge the translations pull request, reviewed")
    build = clone(repo, tmp_path)
    assert tpr.carry(build, cache=cache) == []
    assert "Reviewed text." in (build / EN).read_text(encoding="utf-8")
    assert not decide(build).needed
    assert tpr.stash(build, cache) == 0  # the cache forgets what main holds


def test_main_holding_a_newer_unreviewed_translation_keeps_it(repo, tmp_path):
    put(repo, EN, memory(translated="2026-12-03 12:00", body="Made by invoke translate."))
    commit(repo, "translated locally")
    cache = tmp_path / "cache"
    put(cache, EN, memory(translated="2026-12-01 10:00"))
    build = clone(repo, tmp_path)
    assert tpr.carry(build, cache=cache) == []
    assert not decide(build).needed


def test_carry_skips_translations_of_deleted_posts_and_anything_not_a_memory_file(repo, tmp_path):
    cache = tmp_path / "cache"
    put(cache, "content/translations/en/2024/gone.md",
        memory(slug="gone", translation_of="posts/2024/gone.md"))
    put(cache, ".github/workflows/evil.yml", "on: push\n")
    put(cache, "content/translations/en/2024/notes.txt", "x")
    (cache / "content/translations/en/2024/link.md").symlink_to(ROOT / "README.md")
    build = clone(repo, tmp_path)
    notes = tpr.carry(build, cache=cache)
    assert notes == ["content/translations/en/2024/gone.md: not carried, its source "
                     "content/posts/2024/gone.md is gone"]
    assert not (build / ".github/workflows/evil.yml").exists()
    assert not (build / "content/translations").exists()


def test_carry_never_writes_through_a_committed_symlink(repo, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (repo / "content/translations").mkdir(parents=True)
    (repo / "content/translations/en").symlink_to(outside)
    commit(repo, "a link where a folder should be")
    cache = tmp_path / "cache"
    put(cache, EN, memory())
    build = clone(repo, tmp_path)
    with pytest.raises(SystemExit, match="refusing to write through a symbolic link"):
        tpr.carry(build, cache=cache)
    assert list(outside.iterdir()) == []


def test_stash_keeps_pending_files_and_segment_caches_not_reviewed_ones(repo, tmp_path):
    put(repo, FR, memory(reviewed=True, lang="fr", slug="openai-o1", source_lang="en",
                         translation_of="posts/2024/openai-o1.md"))
    commit(repo, "a reviewed translation")
    put(repo, FR, memory(lang="fr", slug="openai-o1"))  # would overwrite it: never stashed
    put(repo, FR.replace(".md", ".segments.json"), "[]\n")
    put(repo, EN, memory())
    cache = tmp_path / "cache"
    (cache / "stale").mkdir(parents=True)
    assert tpr.stash(repo, cache) == 1
    assert sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*") if p.is_file()) \
        == [EN]


# -- the pull request job's guard, run as the workflow runs it ------------------------------------


@pytest.fixture
def artifact(repo, tmp_path):
    put(repo, EN, memory())
    out = tmp_path / "artifact"
    tpr.write_decision(decide(repo), repo, out)
    return out


@pytest.fixture
def workspace(tmp_path):
    ws = tmp_path / "ws"
    (ws / "content/posts").mkdir(parents=True)
    return ws


def test_guard_copies_the_translation_and_passes_the_title(tmp_path, artifact, workspace):
    done, output = run_guard(tmp_path, artifact, workspace)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (workspace / EN).read_text(encoding="utf-8") == memory()
    title = "Review machine translation (en; google): Mistral AI raises 600 million"
    assert output == f"title={title}\n"


@pytest.mark.parametrize("attack, message", [
    (lambda a: put(a, "files/.github/workflows/evil.yml", "on: push"), "files outside"),
    (lambda a: put(a, "files/content/translations/en/2024/x.py", "print()"), "files outside"),
    (lambda a: put(a, "files/tasks.py", "import os"), "files outside"),
    (lambda a: (a / "files/content/translations/en/2024/y.md").symlink_to("/etc/passwd"),
     "not a regular file"),
    (lambda a: (a / "files/content/translations/fr").symlink_to(ROOT / ".github"),
     "not a regular file"),
    (lambda a: (a / "title.txt").write_text("two\nlines\n"), "bad title"),
    (lambda a: (a / "title.txt").write_text("bell\x07\n"), "control character"),
    (lambda a: (a / "body.md").unlink(), "missing"),
])
def test_guard_refuses_a_tampered_artifact(tmp_path, artifact, workspace, attack, message):
    attack(artifact)
    done, output = run_guard(tmp_path, artifact, workspace)
    assert done.returncode != 0 and message in done.stdout, done.stdout + done.stderr
    assert not (workspace / "content/translations").exists() and output == ""
    assert not (workspace / ".github").exists()


def test_guard_never_replaces_a_file_reviewed_on_main(tmp_path, artifact, workspace):
    put(workspace, EN, memory(reviewed=True, body="Editor's text."))
    done, _ = run_guard(tmp_path, artifact, workspace)
    assert done.returncode != 0 and "is reviewed on main" in done.stdout
    assert "Editor's text." in (workspace / EN).read_text(encoding="utf-8")


def test_guard_refuses_a_committed_link_out_of_the_memory(tmp_path, artifact, workspace):
    outside = tmp_path / "outside"
    outside.mkdir()
    (workspace / "content/translations").mkdir()
    (workspace / "content/translations/en").symlink_to(outside)
    done, _ = run_guard(tmp_path, artifact, workspace)
    assert done.returncode != 0 and "leads out of content/translations/" in done.stdout
    assert list(outside.iterdir()) == []


def test_guard_with_nothing_to_propose_copies_nothing(repo, tmp_path, workspace):
    out = tmp_path / "artifact"
    tpr.write_decision(decide(repo), repo, out)
    os.rmdir(out / "files")  # upload-artifact drops the empty folder
    done, output = run_guard(tmp_path, out, workspace)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (workspace / "content/translations").exists() and output == "title=\n"
