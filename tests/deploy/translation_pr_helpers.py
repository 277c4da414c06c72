"""Helpers for the translations pull request tests: the script as a module, small git
repositories, memory files, and the pull request job's guard run as the workflow runs it."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import yaml

from deploy_helpers import ROOT, clean_env

SCRIPT = ROOT / ".github" / "scripts" / "translation_pr.py"
_spec = importlib.util.spec_from_file_location("translation_pr", SCRIPT)
tpr = importlib.util.module_from_spec(_spec)
sys.modules["translation_pr"] = tpr  # dataclasses look their module up by name
_spec.loader.exec_module(tpr)


def run_git(repo, *args, **env):
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True, env=clean_env(**env)).stdout


def source(slug="mistral-leve", lang="fr", when="2024-06-11 09:00", title="Mistral lève"):
    return (f"---\ntitle: {title}\ndate: {when}\nlang: {lang}\nslug: {slug}\n---\n\n"
            "Premier paragraphe.\n\nSecond paragraphe.\n")


def memory(*, title="Mistral AI raises 600 million", provider="google", reviewed=False,
           source_hash="a" * 64, translated="2026-12-01 10:00", checks=None, slug="mistral-leve",
           when="2024-06-11 09:00", lang="en", source_lang="fr",
           translation_of="posts/2024/mistral-leve.md", extra="", body="First paragraph."):
    lines = ["---", f"title: {title}", f"date: {when}", f"lang: {lang}", f"slug: {slug}",
             f"translation_of: {translation_of}", f"source_lang: {source_lang}",
             f"source_hash: {source_hash}", f"provider: {provider}", f"translated: {translated}",
             f"reviewed: {'true' if reviewed else 'false'}"]
    if checks is not None:
        lines.append(f"checks: {checks}")
    if extra:
        lines.append(extra)
    return "\n".join(lines) + f"\n---\n\n{body}\n"


def put(repo, rel, text):
    path = Path(repo) / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def commit(repo, message, when=None):
    """A commit, dated `when` ("2026-12-01T10:00:00Z") when the order of commits matters."""
    dates = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when} if when else {}
    run_git(repo, "add", "-A")
    run_git(repo, "commit", "-q", "-m", message, **dates)


def clone(repo, tmp_path, name="run"):
    """What a build job starts from: a fresh checkout of main."""
    target = tmp_path / name
    subprocess.run(["git", "clone", "-q", str(repo), str(target)], check=True, env=clean_env())
    return target


def guard_script():
    workflow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["translations-pr"]["steps"]
    return next(s for s in steps if s.get("id") == "files")["run"]


def run_guard(tmp_path, artifact, workspace):
    output = tmp_path / "step_output"
    output.write_text("")
    env = clean_env(FROM=str(artifact), GITHUB_WORKSPACE=str(workspace), GITHUB_OUTPUT=str(output))
    done = subprocess.run(["bash", "-e", "-c", guard_script()], cwd=workspace, env=env,
                          capture_output=True, text=True, timeout=60)
    return done, output.read_text()
