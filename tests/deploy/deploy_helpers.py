"""Support for the deploy tests: a throwaway copy of the project to run `invoke` in, and git."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What `invoke preview` / `invoke gh-pages` read; the rest of the repository plays no part.
PROJECT_FILES = ["tasks.py", "pelicanconf.py", "publishconf.py", "plugins", "theme", "content"]
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")


def copy_project(target):
    """A copy of the project's build inputs in `target`, to build and publish without touching
    the real output/, cache/ or git repository."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, target / name, ignore=IGNORE)
        else:
            shutil.copy2(src, target / name)
    return target


def clean_env(**extra):
    """The environment for a child build: no translator, no stray SITEURL from the caller."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DIGEST_", "SITEURL", "FEED_DOMAIN", "GIT_"))}
    env.update(DIGEST_TRANSLATOR="none", GIT_AUTHOR_NAME="Deploy Test",
               GIT_AUTHOR_EMAIL="deploy@test.invalid", GIT_COMMITTER_NAME="Deploy Test",
               GIT_COMMITTER_EMAIL="deploy@test.invalid", PYTHONDONTWRITEBYTECODE="1")
    env.update(extra)
    return env


def invoke(project, *args, env=None, timeout=300):
    """Run `invoke ARGS` in `project` as a person would; returns the CompletedProcess."""
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=project,
                          capture_output=True, text=True, env=env or clean_env(), timeout=timeout)


def git(cwd, *args):
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          env=clean_env())
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout
