"""Deleting output never reaches anything but output; every page carries a CSP."""

import os
import subprocess
import sys

import pytest

from support import ROOT, pages


@pytest.mark.parametrize("path, why", [
    ("/", "file system root"),
    ("~", "home folder"),
    (".", "project root"),
    ("", "empty"),
    ("content", "content/"),
    ("content/posts", "content/"),
    ("..", "outside the project"),
    ("/tmp", "outside the project"),
    ("output/../..", "outside the project"),
    ("theme", "theme/"),
])
def test_check_deletable_refuses(path, why):
    from digest.safety import check_deletable

    problem = check_deletable(path, str(ROOT))
    assert problem and why in problem


def test_check_deletable_accepts_output():
    from digest.safety import check_deletable

    assert check_deletable("output", str(ROOT)) is None
    assert check_deletable(str(ROOT / "output"), str(ROOT)) is None


@pytest.mark.parametrize("task", ["clean", "rebuild"])
def test_clean_and_rebuild_refuse_a_dangerous_output(task, tmp_path):
    # Point the task at the project root through the CONFIG it reads, in a subprocess.
    code = (f"import sys; sys.argv = ['invoke', '{task}'];"
            "import tasks; tasks.CONFIG['deploy_path'] = '.';"
            "from invoke import Context;"
            f"getattr(tasks, '{task}')(Context())")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode != 0
    assert "Refusing to delete" in proc.stderr and "project root" in proc.stderr
    assert (ROOT / "content").is_dir() and (ROOT / "tasks.py").is_file()


def test_every_page_has_a_content_security_policy(site):
    for path in pages(site["out"]):
        html = path.read_text(encoding="utf-8")
        assert 'http-equiv="Content-Security-Policy"' in html, path
        policy = html.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
        assert "default-src 'self'" in policy and "object-src 'none'" in policy
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
