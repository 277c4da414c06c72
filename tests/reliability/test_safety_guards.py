"""Deleting output never reaches anything but output; every page carries a CSP."""

import os
import re
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
    ("..", "contains content/"),  # /work holds the project
    ("SIBLING", "outside the project"),  # a folder beside the project, wherever it is cloned
    ("output/../..", "contains content/"),
    ("theme", "theme/"),
])
def test_check_deletable_refuses(path, why):
    from common.safety import check_deletable

    if path == "SIBLING":
        path = str(ROOT.parent / "not-the-project")
    problem = check_deletable(path, str(ROOT))
    assert problem and why in problem


def test_check_deletable_accepts_output():
    from common.safety import check_deletable

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
        # only the site's own resources: no scheme or host source anywhere in the policy
        assert not re.search(r"(https?:|data:|\*)", policy), policy


def test_clean_resolves_the_output_folder_against_the_project_not_the_current_folder(tmp_path):
    decoy = ROOT / "content" / "output"
    assert not decoy.exists()
    decoy.mkdir()
    try:
        code = ("import sys, os; sys.path.insert(0, %r); os.chdir(%r);"
                "import tasks; from invoke import Context; tasks.CONFIG['deploy_path'] = 'output-x';"
                "tasks.clean(Context())") % (str(ROOT), str(ROOT / "content"))
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        assert decoy.is_dir()  # content/output was not touched
    finally:
        decoy.rmdir()


@pytest.mark.parametrize("output", ["content", ".", "theme/x"])
def test_a_build_refuses_an_output_folder_that_holds_sources(tmp_path, output):
    from support import build_site

    with pytest.raises(ValueError, match="cannot hold the built site"):
        build_site(tmp_path, OUTPUT_PATH=str(ROOT / output))
    assert not (ROOT / "content" / "index.html").exists()


def test_a_remote_image_is_reported_since_the_policy_blocks_it(tmp_path):
    from support import build_site, copy_content

    content = copy_content(tmp_path)
    (content / "posts/2024/image.md").write_text(
        "---\ntitle: Une image\ndate: 2024-05-02\nlang: fr\n---\n\n"
        "![Un graphique](https://cdn.example.com/chart.png)\n", encoding="utf-8")
    _s, report, out = build_site(tmp_path, content=content)
    lines = report.sections["images"]["content/posts/2024/image.md"]
    assert lines and "cdn.example.com/chart.png" in lines[0] and "content/images/" in lines[0]
