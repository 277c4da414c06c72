"""README command 1, run as a newcomer would: a fresh clone, a normal user, the distribution's
Python (marked externally managed, PEP 668), nothing but packages from the index.

The packages are fetched from the index first (as the user running the tests); then command 1 runs
verbatim as `nobody` (or as yourself when the tests do not run as root), with pip reading only that
folder, apt/npm/sudo/curl/wget/browsers shadowed by shims that fail loudly, proxies pointing at a
closed port and, as root, in a network namespace of its own with no network at all. So it passes
only if command 1 needs nothing beyond the build's locked packages.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_setup import readme_commands  # noqa: E402

SHIMMED = ["apt", "apt-get", "aptitude", "dpkg", "snap", "npm", "npx", "node", "yarn", "sudo", "su",
           "doas", "curl", "wget", "java", "chromium", "google-chrome", "playwright"]
NOBODY = 65534


def marked_python():
    """A Python that refuses pip installs outside a venv (Debian's and Ubuntu's /usr/bin/python3)."""
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3", sys._base_executable):
        if not candidate or not os.access(candidate, os.X_OK):
            continue
        stdlib = subprocess.run([candidate, "-c", "import sysconfig; print(sysconfig.get_path('stdlib'))"],
                                capture_output=True, text=True).stdout.strip()
        if stdlib and (Path(stdlib) / "EXTERNALLY-MANAGED").is_file():
            return candidate
    return None


@pytest.fixture(scope="module")
def newcomer():
    python = marked_python()
    assert python, ("no Python marked externally managed (PEP 668) on this machine: the test needs "
                    "one like Debian's /usr/bin/python3 (apt-get install python3 python3-venv)")
    as_root = os.geteuid() == 0
    work = Path(tempfile.mkdtemp(prefix="digest-newcomer-"))
    try:
        work.chmod(0o755)
        wheels, home, shims, clone = work / "wheels", work / "home", work / "shims", work / "clone"
        for folder in (wheels, home, shims):
            folder.mkdir()
        # 1. What the index would send: the build lock's files, fetched by the interpreter that
        # command 1 uses (a throwaway venv of it, since the marked Python may have no pip).
        fetch = work / "fetch-venv"
        subprocess.run([python, "-m", "venv", str(fetch)], check=True)
        done = subprocess.run([str(fetch / "bin" / "pip"), "download", "--quiet", "--only-binary",
                               ":all:", "--require-hashes", "-r", str(ROOT / "requirements/build.txt"),
                               "-d", str(wheels)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        shutil.rmtree(fetch)
        # 2. Tools command 1 must never reach for: each one records its call and fails.
        log = work / "shim-calls.log"
        log.touch()
        log.chmod(0o666)
        for name in SHIMMED:
            shim = shims / name
            shim.write_text(f'#!/bin/sh\necho "{name} $*" >> {log}\n'
                            f'echo "{name}: command 1 must not run {name}" >&2\nexit 97\n')
            shim.chmod(0o755)
        # 3. A fresh clone (what is committed), owned by the newcomer.
        # A clone owned by someone else (sudo in your own clone) is still read: git drops `-c`
        # options for a local clone's other end, so safe.directory goes in a global file of ours.
        gitconfig = work / "gitconfig"
        gitconfig.write_text("[safe]\n\tdirectory = *\n", encoding="utf-8")
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True,
                       env={**os.environ, "GIT_CONFIG_GLOBAL": str(gitconfig)})
        if as_root:
            subprocess.run(["chown", "-R", f"{NOBODY}:{NOBODY}", str(clone), str(home)], check=True)
        env = {"HOME": str(home), "PATH": f"{shims}:{Path(python).parent}:/usr/bin:/bin",
               "LANG": "C.UTF-8", "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1",
               "PIP_FIND_LINKS": str(wheels), "PIP_DISABLE_PIP_VERSION_CHECK": "1",
               "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
               "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"}
        command = readme_commands()[0]
        wrapper = []
        if as_root:
            wrapper = ["unshare", "--net", "setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}",
                       "--clear-groups", "--"]
        run = subprocess.run([*wrapper, "/bin/bash", "-c", command], cwd=clone, env=env,
                             capture_output=True, text=True, timeout=900)
        yield {"run": run, "clone": clone, "log": log, "python": python, "home": home,
               "as_root": as_root, "wrapper": wrapper, "env": env}
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.mark.slow
def test_command_1_builds_the_site_in_a_fresh_clone_as_a_normal_user(newcomer):
    run, clone = newcomer["run"], newcomer["clone"]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    for page in ("index.html", "en/index.html", "feeds/all.atom.xml", "sitemap.xml",
                 "pagefind/shards.json"):
        assert (clone / "output" / page).is_file(), page
    assert (clone / ".venv" / "bin" / "invoke").is_file()


@pytest.mark.slow
def test_command_1_reaches_for_no_apt_npm_sudo_or_browser(newcomer):
    assert newcomer["log"].read_text() == ""
    run = newcomer["run"]
    assert "must not run" not in run.stderr


@pytest.mark.slow
def test_command_1_installs_nothing_outside_the_venv(newcomer):
    home = newcomer["home"]
    assert not (home / ".local").exists()
    if newcomer["as_root"]:
        owners = {p.stat().st_uid for p in (newcomer["clone"] / "output").rglob("*")}
        assert owners == {NOBODY}  # it really ran as the unprivileged user


@pytest.mark.slow
def test_the_python_it_used_refuses_pip_outside_a_venv(newcomer):
    python = newcomer["python"]
    if subprocess.run([python, "-m", "pip", "--version"], capture_output=True).returncode:
        return  # no pip for the system Python at all (stock Debian): nothing to refuse with
    done = subprocess.run([python, "-m", "pip", "install", "--dry-run", "invoke"],
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin",
                                                                "PIP_CONFIG_FILE": os.devnull,
                                                                "PIP_NO_INDEX": "1"})
    assert done.returncode != 0 and "externally-managed-environment" in done.stderr


@pytest.mark.slow
def test_import_with_the_build_set_only_says_what_to_install(newcomer):
    if newcomer["run"].returncode:
        pytest.fail("command 1 failed (see the test above)")
    page = "tests/authoring/fixtures/nvidia-capitalisation.raw.html"
    done = subprocess.run([*newcomer["wrapper"], ".venv/bin/invoke", "import", page, "--dry-run"],
                          cwd=newcomer["clone"], env=newcomer["env"], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.strip().splitlines() == [
        "invoke import: trafilatura (article extraction) is not installed: .venv/bin/pip install "
        "--require-hashes -r requirements/authoring.txt"]
