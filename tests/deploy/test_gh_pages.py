"""`invoke gh-pages` end to end: a copy of the project publishes into a local bare repository.

One scenario, run once for the module: publish; delete a post and publish again; add a broken post
and see the publish refused. The tests then read what each step left in the bare repository.
"""

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "plugins"))

from deploy_helpers import clean_env, copy_project, git, invoke  # noqa: E402

from digest import deploy  # noqa: E402

SITEURL = "https://example.org"
DELETED = "openai-gpt-4o"  # a hand-translated pair: both language pages must go


def tree(bare, rev="gh-pages"):
    return set(git(bare, "ls-tree", "-r", "--name-only", rev).split())


def commits(bare, rev="gh-pages"):
    return git(bare, "log", "--format=%H %P|%s", rev).splitlines()


def new_repo(tmp, name="project"):
    project = copy_project(tmp / name)
    bare = tmp / f"{name}-remote.git"
    git(tmp, "init", "-q", "--bare", str(bare))
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "sources")
    git(project, "remote", "add", "origin", str(bare))
    return project, bare


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ghpages")
    project, bare = new_repo(tmp)
    steps = {"project": project, "bare": bare}

    steps["first"] = invoke(project, "gh-pages", "--siteurl", SITEURL, "--cname", "example.org")
    steps["first_tree"] = tree(bare) if steps["first"].returncode == 0 else set()
    steps["first_commit"] = git(bare, "rev-parse", "gh-pages").strip() if steps["first_tree"] else None

    for path in (project / "content").rglob(f"{DELETED}*.md"):
        path.unlink()
    (project / "output" / "left-over.html").write_text("stale", encoding="utf-8")
    steps["second"] = invoke(project, "gh-pages", "--message", "Second publish",
                             env=clean_env(SITEURL=SITEURL))
    steps["second_tree"] = tree(bare) if steps["second"].returncode == 0 else set()

    before = git(bare, "rev-parse", "gh-pages")
    broken = project / "content" / "posts" / "2025" / "broken-post.md"
    broken.write_text("---\ndate: 2025-02-01 10:00\nlang: fr\n---\n\nNo title.\n", encoding="utf-8")
    steps["refused"] = invoke(project, "gh-pages", "--siteurl", SITEURL)
    steps["refused_moved"] = git(bare, "rev-parse", "gh-pages") != before
    broken.unlink()
    return steps


def ok(done):
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_first_publish_pushes_the_branch_with_both_homes_nojekyll_and_cname(scenario):
    done = ok(scenario["first"])
    assert "Published https://example.org to gh-pages" in done.stdout
    files = scenario["first_tree"]
    for name in ["index.html", "en/index.html", ".nojekyll", "CNAME", "feeds/all.atom.xml",
                 "en/feeds/all.atom.xml", "sitemap.xml", "404.html"]:
        assert name in files, name
    first = scenario["first_commit"]
    assert git(scenario["bare"], "show", f"{first}:CNAME").strip() == "example.org"
    index = git(scenario["bare"], "show", f"{first}:en/index.html")
    assert f'href="{SITEURL}/en/' in index  # built with publishconf.py and the given SITEURL


def test_commit_message_has_the_date_and_the_source_commit(scenario):
    log = commits(scenario["bare"])
    source = git(scenario["project"], "rev-parse", "--short", "main").strip()
    assert re.fullmatch(rf"[0-9a-f]{{40}} [0-9a-f]{{40}}\|Second publish "
                        rf"\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ from {source}", log[0]), log[0]
    assert re.fullmatch(rf"[0-9a-f]{{40}} \|Publish site \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ from "
                        rf"{source}", log[1]), log[1]


def test_second_publish_adds_a_commit_and_drops_deleted_pages(scenario):
    ok(scenario["second"])
    assert len(commits(scenario["bare"])) == 2
    first, second = scenario["first_tree"], scenario["second_tree"]
    gone = {f for f in first if f"/{DELETED}/" in f}
    assert {f for f in gone if f.endswith("index.html")} >= {
        f for f in first if re.fullmatch(rf"(en/)?\d{{4}}/\d\d/{DELETED}/index\.html", f)}
    assert len([f for f in gone if f.endswith("index.html")]) == 2, gone
    assert not {f for f in second if DELETED in f}
    assert "left-over.html" not in second  # output/ was emptied before the build
    # Without --cname the second publish has no CNAME: the tree is replaced, not merged.
    assert "CNAME" not in second and ".nojekyll" in second
    assert "index.html" in second and "en/index.html" in second


def test_content_errors_refuse_the_publish(scenario):
    done = scenario["refused"]
    assert done.returncode != 0
    assert "content error" in done.stderr and "nothing was published" in done.stderr
    assert "broken-post.md" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert not scenario["refused_moved"]


def test_outside_a_git_repository_it_refuses_before_building(tmp_path):
    project = copy_project(tmp_path / "nogit")
    done = invoke(project, "gh-pages", "--siteurl", SITEURL)
    assert done.returncode != 0
    assert "not inside a git repository" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert not (project / "output").exists()


def test_missing_remote_wrong_branch_and_no_siteurl_are_refused_before_building(tmp_path):
    project, _ = new_repo(tmp_path)
    for args, words in [(["--remote", "upstream"], "no git remote named 'upstream'"),
                        (["--branch", "main"], "is the branch checked out here"),
                        ([], "no site address")]:
        done = invoke(project, "gh-pages", *args, *(["--siteurl", SITEURL] if args else []))
        assert done.returncode != 0, args
        assert words in done.stderr, done.stderr
        assert "Traceback" not in done.stdout + done.stderr
    assert not (project / "output").exists()


def test_a_rejected_push_is_reported_without_traceback(scenario, tmp_path):
    project = scenario["project"]
    bare = tmp_path / "rejecting.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'publishing is frozen' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    git(project, "remote", "add", "frozen", str(bare))
    done = invoke(project, "gh-pages", "--siteurl", SITEURL, "--remote", "frozen")
    assert done.returncode != 0
    assert "push to 'frozen' failed" in done.stderr and "publishing is frozen" in done.stderr
    assert "git push frozen gh-pages" in done.stderr  # what to do next
    assert "Traceback" not in done.stdout + done.stderr
    assert not git(bare, "branch", "--list").strip()


def test_no_push_commits_locally_only(scenario, tmp_path):
    project = scenario["project"]
    commit = deploy.publish(str(project / "output"), str(project), branch="local-pages",
                            remote="origin", push=False)
    assert git(project, "rev-parse", "local-pages").strip() == commit
    assert "local-pages" not in git(scenario["bare"], "branch", "--list")


# -- tasks never destroy tracked work (#16 point 6) ---------------------------------------------

@pytest.fixture
def guarded(tmp_path):
    """A project in a git repository whose OUTPUT_PATH is `site/`, a folder that holds a file git
    tracks, with a `sources` branch of ordinary commits and a bare remote."""
    project, bare = new_repo(tmp_path)
    settings = project / "pelicanconf.py"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        'OUTPUT_PATH = "output"', 'OUTPUT_PATH = "site"'), encoding="utf-8")
    (project / "site").mkdir()
    (project / "site" / "notes.txt").write_text("an editor's notes\n", encoding="utf-8")
    for name in ("docs", ".github", "benchmarks"):
        (project / name).mkdir()
        (project / name / "keep.md").write_text("tracked\n", encoding="utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "notes beside the site")
    git(project, "branch", "sources")
    return project, bare


def set_output(project, output):
    settings = project / "pelicanconf.py"
    text = re.sub(r'OUTPUT_PATH = "[^"]*"', f'OUTPUT_PATH = "{output}"',
                  settings.read_text(encoding="utf-8"))
    settings.write_text(text, encoding="utf-8")


def assert_refused(done, *words):
    assert done.returncode != 0, done.stdout + done.stderr
    for word in words:
        assert word in done.stderr, done.stderr
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize("output, why", [("site", "holds site/notes.txt, tracked by git"),
                                         ("docs", "docs/"), (".github", ".github/"),
                                         ("benchmarks", "benchmarks/")])
def test_clean_preview_and_gh_pages_refuse_an_output_with_tracked_files(guarded, output, why):
    project, _bare = guarded
    set_output(project, output)
    kept = sorted(p.relative_to(project) for p in (project / output).rglob("*"))
    assert_refused(invoke(project, "clean"), "Refusing to delete", why)
    assert_refused(invoke(project, "preview", env=clean_env(SITEURL=SITEURL)),
                   "Refusing to build into", "empties it first", why)
    assert_refused(invoke(project, "gh-pages", "--siteurl", SITEURL, "--no-push"),
                   "Refusing to build into", why)
    assert sorted(p.relative_to(project) for p in (project / output).rglob("*")) == kept
    assert "index.html" not in {p.name for p in (project / output).iterdir()}  # nothing built
    assert not git(project, "status", "--porcelain", "--", output).strip()  # nothing deleted


def test_an_output_given_with_dash_o_is_guarded_too(guarded):
    project, _bare = guarded
    done = invoke(project, "preview", "--", "-o", "site", env=clean_env(SITEURL=SITEURL))
    assert_refused(done, "Refusing to build into", "site/notes.txt")
    assert (project / "site" / "notes.txt").is_file()


def test_a_tracked_file_inside_an_ignored_output_is_still_protected(guarded):
    project, _bare = guarded
    set_output(project, "output")
    (project / "output").mkdir()
    (project / "output" / "CNAME").write_text("example.org\n", encoding="utf-8")
    git(project, "add", "-f", "output/CNAME")
    assert_refused(invoke(project, "clean"), "holds output/CNAME, tracked by git")
    assert (project / "output" / "CNAME").is_file()


@pytest.mark.parametrize("branch", ["main", "sources"])
def test_gh_pages_refuses_a_branch_with_history_it_did_not_make(guarded, branch):
    project, _bare = guarded
    git(project, "checkout", "-q", "-b", "work")
    before = git(project, "rev-parse", branch).strip()
    done = invoke(project, "gh-pages", "--siteurl", SITEURL, "--branch", branch, "--no-push")
    assert_refused(done, f"branch {branch!r} holds commits that `invoke gh-pages` did not make",
                   "notes beside the site")
    assert git(project, "rev-parse", branch).strip() == before
    assert not (project / "site" / "index.html").exists()  # refused before building


def test_gh_pages_refuses_the_current_branch(guarded):
    project, _bare = guarded
    done = invoke(project, "gh-pages", "--siteurl", SITEURL, "--branch", "main", "--no-push")
    assert_refused(done, "is the branch checked out here")


def test_gh_pages_refuses_a_remote_branch_of_sources(guarded):
    project, bare = guarded
    git(project, "push", "-q", "origin", "sources:gh-pages")
    set_output(project, "output")
    git(project, "commit", "-q", "-am", "output/ again")
    before = git(bare, "rev-parse", "gh-pages").strip()
    done = invoke(project, "gh-pages", "--siteurl", SITEURL)
    assert_refused(done, "branch 'origin/gh-pages' holds commits that `invoke gh-pages` did not make")
    assert git(bare, "rev-parse", "gh-pages").strip() == before


def test_publish_commits_carry_the_mark_that_lets_the_next_publish_in(scenario):
    ok(scenario["second"])  # the second publish went onto the branch the first one made
    bodies = git(scenario["bare"], "log", "--format=%B%x00", "gh-pages").split("\0")
    assert all(deploy.TRAILER in body for body in bodies if body.strip())
    assert deploy.foreign_commit(str(scenario["bare"]), "gh-pages") is None


def test_a_publish_made_before_the_mark_existed_is_still_ours(tmp_path):
    repo = tmp_path / "old"
    git(tmp_path, "init", "-q", "-b", "gh-pages", str(repo))
    (repo / "index.html").write_text("old site", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Publish site 2026-11-20T10:00:00Z from abc1234")
    assert deploy.foreign_commit(str(repo), "gh-pages") is None
    git(repo, "commit", "-q", "--allow-empty", "-m", "Fix a typo by hand")
    assert deploy.foreign_commit(str(repo), "gh-pages")[1] == "Fix a typo by hand"


def test_when_git_cannot_answer_nothing_is_deleted(tmp_path):
    from common.safety import check_deletable

    project = tmp_path / "broken"
    (project / "output").mkdir(parents=True)
    (project / ".git").write_text("gitdir: /nowhere/at/all\n", encoding="utf-8")
    problem = check_deletable("output", str(project))
    assert problem and "git cannot say which files under it are tracked" in problem
    assert check_deletable(".venv", str(project)) == "it is or contains .venv/"
