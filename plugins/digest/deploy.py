"""Publishing: the checks and git steps behind `invoke gh-pages`, and the guard that keeps a publish
build from deleting an output folder it must not touch.

Everything here takes paths and options and either returns data or raises `DeployError` with a
sentence a person can act on; tasks.py turns that into an exit status. Git is driven through
subprocesses with an explicit working directory, so a test can publish from a temporary repository
into a local bare one.
"""

from __future__ import annotations

import datetime as _dt
import importlib.util
import logging
import os
import re
import shutil
import subprocess
import sys
from urllib.parse import urlsplit

from common.safety import check_deletable

logger = logging.getLogger(__name__)

DEFAULT_MESSAGE = "Publish site"
# The last line of every publish commit: how `invoke gh-pages` knows a branch is its own.
TRAILER = "Published-by: invoke gh-pages"
# Publish commits made before the trailer existed: "<message> 2026-11-20T10:00:00Z from abc1234".
LEGACY_SUBJECT = re.compile(r".+ \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ( from [0-9a-f]{4,40})?")


class DeployError(Exception):
    """Publishing cannot go on; the message says why and what to do."""


# -- settings ----------------------------------------------------------------------------------
def absolute_url(value, name="SITEURL"):
    """`value` without its trailing slash, or DeployError when it is not an absolute http(s) URL.

    A deployed site lives at a full address, often under a subpath (https://user.github.io/repo):
    root-relative links would leave the subpath, so every URL the build writes starts with this."""
    text = (value or "").strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DeployError(f"{name} must be an absolute http(s) address such as "
                          f"https://user.github.io/repo, not {value!r}")
    if parts.query or parts.fragment:
        raise DeployError(f"{name} must not carry a query or a fragment: {value!r}")
    return text


def site_url(explicit=None, environ=None, cname=None):
    """The address the site is published at: --siteurl, else $SITEURL, else https://<cname>."""
    environ = os.environ if environ is None else environ
    value = explicit or environ.get("SITEURL", "").strip()
    if not value and cname:
        value = f"https://{cname.strip()}"
    if not value:
        raise DeployError("no site address: set SITEURL (e.g. SITEURL=https://user.github.io/repo) "
                          "or pass --siteurl (or --cname for a custom domain)")
    return absolute_url(value)


def guard_output_deletion(settings):
    """Turn DELETE_OUTPUT_DIRECTORY off when the output folder is not safe to delete.

    Returns why it was turned off, or None. The project root comes from DIGEST_PROJECT_ROOT (set by
    publishconf.py); without it nothing is deleted, since nothing says where the project ends."""
    if not settings.get("DELETE_OUTPUT_DIRECTORY"):
        return None
    root = settings.get("DIGEST_PROJECT_ROOT")
    problem = ("no DIGEST_PROJECT_ROOT setting says where the project is" if not root
               else check_deletable(settings.get("OUTPUT_PATH"), root))
    if problem:
        settings["DELETE_OUTPUT_DIRECTORY"] = False
    return problem


def initialized(pelican):
    # Pelican copied DELETE_OUTPUT_DIRECTORY before this signal and deletes in run(), after it:
    # the last point where the final OUTPUT_PATH (with -o) is known and nothing is deleted yet.
    problem = guard_output_deletion(pelican.settings)
    if problem:
        pelican.delete_outputdir = False
        logger.warning("output folder %s is not emptied before the build: %s",
                       pelican.settings.get("OUTPUT_PATH"), problem)


def register():
    from pelican import signals

    signals.initialized.connect(initialized)


# -- git ---------------------------------------------------------------------------------------
def git(repo, *args, check=True):
    """Run git in `repo`; returns the CompletedProcess (text). DeployError when `check` and it fails."""
    try:
        done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise DeployError("git is not installed (apt-get install git)") from exc
    if check and done.returncode != 0:
        raise DeployError(f"git {' '.join(args)} failed: {tool_message(done.stderr)}")
    return done


def tool_message(stderr):
    """What a person needs from a tool's stderr: its own lines, without Python tracebacks or
    argparse usage text."""
    kept, in_traceback, in_usage = [], False, False
    for line in (stderr or "").splitlines():
        if line.startswith("Traceback (most recent call last)"):
            in_traceback = True
            continue
        if in_traceback:
            if line[:1].isspace():
                continue
            in_traceback = False
            head, sep, rest = line.partition(": ")
            if sep and head.replace(".", "").replace("_", "").isalnum() and head.endswith(
                    ("Error", "Exception")):
                line = rest  # "subprocess.CalledProcessError: Command ..." -> "Command ..."
        if line.startswith("usage: "):
            in_usage = True
            continue
        if in_usage and line.startswith(" "):
            continue
        in_usage = False
        if line.strip():
            kept.append(line.strip())
    return " / ".join(kept) or "no message"


def repo_root(path):
    """The top of the git work tree holding `path`, or DeployError."""
    if not shutil.which("git"):
        raise DeployError("git is not installed (apt-get install git)")
    done = git(path, "rev-parse", "--show-toplevel", check=False)
    if done.returncode != 0:
        raise DeployError(f"{os.path.abspath(path)} is not inside a git repository: ghp-import "
                          "commits the site to a branch of the project's repository "
                          "(git init, then git remote add origin URL)")
    return done.stdout.strip()


def preflight(path, *, branch, remote=None):
    """Everything that can be checked before spending a build: returns the repository root."""
    if importlib.util.find_spec("ghp_import") is None:
        raise DeployError("ghp-import is not installed: .venv/bin/pip install -r requirements/build.txt")
    repo = repo_root(path)
    if git(repo, "check-ref-format", "--branch", branch, check=False).returncode != 0:
        raise DeployError(f"{branch!r} is not a valid branch name")
    current = git(repo, "symbolic-ref", "--quiet", "--short", "HEAD", check=False).stdout.strip()
    if current and current == branch:
        raise DeployError(f"{branch!r} is the branch checked out here: publishing would replace "
                          "your sources with the built site; use --branch gh-pages")
    check_publish_branch(repo, branch, f"refs/heads/{branch}")
    if remote is not None and git(repo, "remote", "get-url", remote, check=False).returncode != 0:
        raise DeployError(f"no git remote named {remote!r}: add it (git remote add {remote} URL), "
                          "pass --remote NAME, or publish locally with --no-push")
    return repo


def publish_message(message=None, now=None, source=None):
    """The commit message on the published branch: always with the UTC date, and the source
    commit when known, so the branch history says what was published when."""
    now = now or _dt.datetime.now(_dt.timezone.utc)
    stamp = now.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = f"{' '.join((message or DEFAULT_MESSAGE).split())} {stamp}"
    return f"{text} from {source}" if source else text


def foreign_commit(repo, ref):
    """The first commit reachable from `ref` that `invoke gh-pages` did not make, as
    (short id, subject), or None (also when `ref` does not exist)."""
    done = git(repo, "log", "--format=%h%x1f%s%x1f%B%x1e", ref, "--", check=False)
    if done.returncode != 0:
        return None
    for record in done.stdout.split("\x1e"):
        if not record.strip():
            continue
        short, subject, body = record.strip("\n").split("\x1f", 2)
        ours = TRAILER in body.splitlines() or LEGACY_SUBJECT.fullmatch(subject)
        if not ours:
            return short, subject
    return None


def check_publish_branch(repo, branch, ref):
    """DeployError when `ref` (the branch, or the remote's copy of it) holds history that is not a
    publish: ghp-import replaces the branch's whole tree, which would bury main's sources."""
    if git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False).returncode:
        return
    found = foreign_commit(repo, ref)
    if found:
        where = ref.replace("refs/heads/", "").replace("refs/remotes/", "")
        raise DeployError(f"branch {where!r} holds commits that `invoke gh-pages` did not make "
                          f"({found[0]} \"{found[1][:60]}\"): publishing replaces the branch's "
                          f"whole tree; publish to a branch of its own (--branch gh-pages, or a "
                          f"new name), never one with sources")


def source_commit(repo):
    done = git(repo, "rev-parse", "--short", "HEAD", check=False)
    return done.stdout.strip() if done.returncode == 0 else None


def branch_tip(repo, branch):
    done = git(repo, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}^{{commit}}",
               check=False)
    return done.stdout.strip() or None


def sync_branch(repo, remote, branch):
    """Bring the remote's branch in before committing on top of it.

    ghp-import starts from `<remote>/<branch>` as last fetched; a stale one (another clone or CI
    published since) would make the push a non-fast-forward. A missing branch is a first publish."""
    probe = git(repo, "ls-remote", "--exit-code", "--heads", remote, branch, check=False)
    if probe.returncode == 2:
        return False
    if probe.returncode != 0:
        raise DeployError(f"cannot read remote {remote!r}: {tool_message(probe.stderr)}")
    git(repo, "fetch", "--quiet", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")
    return True


def ghp_import_command(output, *, branch, remote, message, cname=None, push=True):
    cmd = [sys.executable, "-m", "ghp_import", "-n", "-b", branch, "-r", remote, "-m", message]
    if cname:
        cmd += ["-c", cname]
    if push:
        cmd.append("-p")
    return cmd + [os.path.abspath(output)]


def publish(output, repo, *, branch="gh-pages", remote="origin", cname=None, message=None,
            push=True, now=None):
    """Commit `output` as the whole tree of `branch` (ghp-import replaces the tree, so a page that
    is gone from output/ is gone from the branch) and push it. Returns the new commit id."""
    if not os.path.isfile(os.path.join(output, "index.html")):
        raise DeployError(f"{output} has no index.html: nothing to publish")
    if push:
        sync_branch(repo, remote, branch)
    check_publish_branch(repo, branch, f"refs/heads/{branch}")
    check_publish_branch(repo, branch, f"refs/remotes/{remote}/{branch}")
    before = branch_tip(repo, branch)
    text = f"{publish_message(message, now, source_commit(repo))}\n\n{TRAILER}"
    cmd = ghp_import_command(output, branch=branch, remote=remote, message=text, cname=cname,
                             push=push)
    done = subprocess.run(cmd, cwd=repo, capture_output=True, text=True)
    after = branch_tip(repo, branch)
    if done.returncode != 0:
        reason = tool_message(done.stderr or done.stdout).rstrip(".")
        if after and after != before:
            raise DeployError(f"the site was committed to {branch} ({after[:12]}) but the push to "
                              f"{remote!r} failed: {reason}. Push it with: git push {remote} "
                              f"{branch}")
        raise DeployError(f"ghp-import failed: {reason}")
    if not after or after == before:
        # ghp-import 2.1 reports a failed fast-import on stdout and carries on.
        raise DeployError(f"ghp-import made no commit on {branch}: "
                          f"{tool_message(done.stdout + done.stderr)}")
    return after
