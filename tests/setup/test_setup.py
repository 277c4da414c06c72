"""The newcomer's path: README's two commands are what CI runs, the locks pin and hash everything
and split by purpose, `setup` and `test` say in one line what is missing instead of skipping, and
the docs' forms of `translate` and `build -- -o` work."""

import ast
import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCKS = ROOT / "requirements"
sys.path.insert(0, str(ROOT / "tests" / "deploy"))


def readme_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Fresh machine", 1)[1].split("\n## ", 1)[0].split("### ", 1)[0]
    return [line.strip() for line in section.splitlines() if line.startswith("    ")]


def ci_commands():
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    body = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return [line for line in body if not line.startswith(("set ", "cd "))]


def test_readme_has_two_commands_and_ci_runs_exactly_them():
    commands = readme_commands()
    assert len(commands) == 2, commands
    first, second = commands
    assert first.startswith("python3 -m venv .venv && ") and "requirements/build.txt" in first
    assert first.endswith("invoke build")
    assert not re.search(r"\b(sudo|apt|apt-get|npm|playwright install)\b", first)
    assert second == ".venv/bin/invoke setup test"
    assert ci_commands() == commands


def lock(name):
    """{package: version} of requirements/NAME.txt, checking every entry is pinned and hashed."""
    text = (LOCKS / f"{name}.txt").read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 1)[1] if text.startswith("#") else text)
    pins = {}
    for entry in entries:
        head = entry.strip().split()[0] if entry.strip() else ""
        if not head or head.startswith("#"):
            continue
        name_, sep, version = head.partition("==")
        assert sep and version, f"{name}.txt: {head} is not pinned"
        assert "--hash=sha256:" in entry, f"{name}.txt: {head} has no hash"
        pins[name_.lower().replace("_", "-")] = version
    return pins


def top_level(name):
    pins = {}
    for line in (LOCKS / f"{name}.in").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            package, _, version = line.partition("==")
            pins[re.sub(r"\[.*\]", "", package).lower().replace("_", "-")] = version
    return pins


def test_locks_pin_and_hash_every_package_and_agree_with_each_other():
    build, authoring, test = lock("build"), lock("authoring"), lock("test")
    assert build.items() <= authoring.items() <= test.items()
    for name, pins in [("build", build), ("authoring", authoring), ("test", test)]:
        for package, version in top_level(name).items():
            assert pins.get(package) == version, f"{name}.in pins {package}=={version}"


def test_the_build_set_holds_no_test_or_authoring_tool():
    build = lock("build")
    for package in ("pytest", "pytest-xdist", "hypothesis", "playwright", "feedparser",
                    "trafilatura", "lingua-language-detector", "lxml"):
        assert package not in build, package
    assert "pillow" in build and "unidecode" in build and "pagefind-bin" in build
    for name in ("build", "authoring", "test"):
        assert "mdit-py-plugins" not in lock(name)  # never imported
        assert "lingua-language-detector" not in lock(name)


def third_party_imports(paths):
    names = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
    local = {p.name for p in (ROOT / "plugins").iterdir()} | {
        p.stem for p in (ROOT / "tests").rglob("*.py")} | {"tasks", "benchmarks", "support"}
    return {n for n in names - local if n not in sys.stdlib_module_names and n != "__future__"}


def distributions(modules):
    owners = importlib.metadata.packages_distributions()
    return {module: {d.lower().replace("_", "-") for d in owners.get(module, [module])}
            for module in modules}


@pytest.mark.parametrize("lock_name, files", [
    ("build", lambda: [p for p in (ROOT / "plugins").rglob("*.py") if p.name != "extract.py"]
     + [ROOT / "tasks.py", ROOT / "pelicanconf.py", ROOT / "publishconf.py"]),
    ("authoring", lambda: [ROOT / "plugins" / "authoring" / "extract.py"]),
    ("test", lambda: list((ROOT / "tests").rglob("*.py"))),
])
def test_every_import_comes_from_its_lock(lock_name, files):
    pins = lock(lock_name)
    missing = {module: dists for module, dists in distributions(third_party_imports(files())).items()
               if not dists & pins.keys()}
    assert not missing, f"imported but not in requirements/{lock_name}.txt: {missing}"


def run_task(code, path):
    """Run tasks.py code in a child whose PATH holds only `path` and which is not root."""
    program = ("import os, sys; os.geteuid = lambda: 1000; sys.path.insert(0, %r);"
               "import tasks; from invoke import Context; " % str(ROOT)) + code
    return subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True,
                          text=True, env={"PATH": str(path), "HOME": str(path)}, timeout=120)


def test_setup_as_a_normal_user_says_in_one_line_what_to_install(tmp_path):
    done = run_task("tasks.setup(Context())", tmp_path)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "sudo apt-get install -y chromium default-jre-headless npm" in lines[0]
    assert ".venv/bin/invoke setup test" in lines[0]


def test_test_refuses_to_run_a_suite_that_would_skip(tmp_path):
    done = run_task("tasks.test(Context())", tmp_path)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "missing Chromium" in lines[0] and "invoke setup" in lines[0]


def test_translate_takes_the_path_as_the_readmes_write_it():
    for readme in (ROOT / "README.md", ROOT / "plugins" / "translation" / "README.md"):
        text = readme.read_text(encoding="utf-8")
        assert "invoke translate --path" not in text and "invoke translate -p" not in text
    done = subprocess.run([sys.executable, "-m", "invoke", "translate", "content/posts/nope.md"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "DIGEST_TRANSLATOR": "none"})
    assert done.returncode != 0
    assert "No idea what" not in done.stderr
    assert "content/posts/nope.md: no such file" in done.stdout + done.stderr


def test_build_with_dash_o_indexes_search_where_it_built(tmp_path):
    from deploy_helpers import clean_env, copy_project, invoke

    project = copy_project(tmp_path / "project")
    target = tmp_path / "elsewhere"
    done = invoke(project, "build", "--", "-o", str(target), env=clean_env())
    assert done.returncode == 0, done.stdout + done.stderr
    assert (target / "index.html").is_file() and (target / "pagefind" / "shards.json").is_file()
    assert not (project / "output").exists()
