"""The verbs people type: `invoke --list`. Extra arguments after `--` go to Pelican."""

import os
import shlex
import shutil
import sys

from invoke import task
from invoke.main import program

ROOT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(ROOT, "plugins"))

CONFIG = {
    "settings_base": "pelicanconf.py",
    "settings_publish": "publishconf.py",
    "deploy_path": "output",
    "port": 8000,
}


def pelican_args(*args):
    extra = shlex.split(program.core.remainder) if program.core and program.core.remainder else []
    return [*args, *extra]


def run_build(settings_file, *args):
    from digest.runner import build as digest_build

    code = digest_build(pelican_args("-s", settings_file, *args))
    if code:
        sys.exit(code)
    from pelican.settings import read_settings

    search_index(read_settings(os.path.join(ROOT, settings_file))["OUTPUT_PATH"])


def search_index(output):
    """Pagefind's search index of the built site (one per <html lang>), written to output/pagefind/."""
    import subprocess

    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(output), "--quiet"], check=True)


def safe_output_dir(path):
    """The output folder, resolved, or SystemExit when deleting it could destroy something."""
    from digest.safety import check_deletable

    problem = check_deletable(path, ROOT)
    if problem:
        sys.exit(f"Refusing to delete '{path}': {problem}")
    return os.path.realpath(path)


@task
def clean(c):
    """Remove the generated files (never outside the project, never content/)."""
    target = safe_output_dir(CONFIG["deploy_path"])
    if os.path.isdir(target):
        shutil.rmtree(target)
    cache = os.path.join(ROOT, "cache", "digest-output.json")
    if os.path.exists(cache):
        os.remove(cache)


@task
def check(c):
    """Validate every content file against the front matter contract and the registries."""
    from digest.check import main as check_main

    code = check_main([CONFIG["settings_base"]])
    if code:
        sys.exit(code)


@task
def build(c):
    """Build the site into output/ (both languages, one run)."""
    run_build(CONFIG["settings_base"])


@task
def rebuild(c):
    """`clean` then `build`."""
    clean(c)
    build(c)


@task
def serve(c):
    """Serve output/ at http://localhost:8000/."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    server = RootedHTTPServer(CONFIG["deploy_path"], ("127.0.0.1", CONFIG["port"]),
                              ComplexHTTPRequestHandler)
    print(f"Serving {CONFIG['deploy_path']} on http://127.0.0.1:{CONFIG['port']}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task
def livereload(c):
    """Rebuild when content, theme or settings change, and serve output/."""
    from pelican import main as pelican_main

    pelican_main(pelican_args("-s", CONFIG["settings_base"], "--autoreload", "--listen",
                              "--port", str(CONFIG["port"])))


@task
def preview(c):
    """Build with publishconf.py (absolute URLs from SITEURL)."""
    run_build(CONFIG["settings_publish"])


@task
def setup(c):
    """Install the tools beyond PyPI that the tests drive: Debian's Chromium and the npm checkers."""
    if not shutil.which("chromium"):
        if os.geteuid() == 0 and shutil.which("apt-get"):
            c.run("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium")
        else:
            sys.exit("Chromium is missing: run `sudo apt-get install -y chromium`, then `invoke setup`.")
    if os.path.exists(os.path.join(ROOT, "package.json")):
        c.run("npm ci --no-audit --no-fund --loglevel=error")


@task
def test(c):
    """Run the whole test suite."""
    c.run(f"{sys.executable} -m pytest -q", pty=False)
