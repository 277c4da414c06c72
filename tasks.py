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
    from digest.runner import build as digest_build

    code = digest_build(pelican_args("-s", settings_file, *args))
    if code in (0, 1):
        # Content errors (1) still leave every good page written: index those too, then fail.
        from pelican.settings import read_settings

        search_index(read_settings(os.path.join(ROOT, settings_file))["OUTPUT_PATH"])
    if code:
        sys.exit(code)


def search_index(output):
    """Pagefind's search index of the built site (one per <html lang>), written to output/pagefind/."""
    import subprocess

    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(output), "--quiet"], check=True)


def safe_output_dir(path):
    """The output folder, resolved against the project (not the current folder), or SystemExit
    when deleting it could destroy something."""
    from digest.safety import check_deletable

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

    server = RootedHTTPServer(output_path(), ("127.0.0.1", CONFIG["port"]),
                              ComplexHTTPRequestHandler)
    print(f"Serving {output_path()} on http://127.0.0.1:{CONFIG['port']}/ (Ctrl-C stops)")
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
    from pelican.settings import read_settings

    settings_file = os.path.join(ROOT, CONFIG["settings_publish"])
    try:
        repo = deploy.preflight(ROOT, branch=branch, remote=remote if push else None)
        os.environ["SITEURL"] = deploy.site_url(siteurl, os.environ, cname)
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
        output = read_settings(settings_file)["OUTPUT_PATH"]
        commit = deploy.publish(output, repo, branch=branch, remote=remote, cname=cname,
                                message=message, push=push)
    except deploy.DeployError as exc:
        sys.exit(f"invoke gh-pages: {exc}")
    where = f"pushed to {remote}" if push else "not pushed (--no-push)"
    print(f"Published {os.environ['SITEURL']} to {branch} at {commit[:12]}, {where}.")


@task
def setup(c):
    """Install the tools beyond PyPI that the tests drive (Debian's Chromium, the npm checkers) and
    byte-compile the plugins."""
    if not shutil.which("chromium"):
        if os.geteuid() == 0 and shutil.which("apt-get"):
            c.run("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium")
        else:
            sys.exit("Chromium is missing: run `sudo apt-get install -y chromium`, then `invoke setup`.")
    if os.path.exists(os.path.join(ROOT, "package.json")):
        c.run("npm ci --no-audit --no-fund --loglevel=error")
    # Our plugins are not pip-installed, so nothing byte-compiles them the way pip does Pelican's
    # modules, and with PYTHONDONTWRITEBYTECODE set every build would compile them again.
    compileall.compile_dir(os.path.join(ROOT, "plugins"), quiet=1)


@task(help={"explain": "a post's slug: which terms matched, how often, and the score against the threshold"})
def topics(c, explain=None):
    """Which topics each post gets; with --explain SLUG, why one post got them."""
    from topics.cli import main as topics_main

    code = topics_main(["--settings", CONFIG["settings_base"]] + (["--explain", explain] if explain else []))
    if code:
        sys.exit(code)


@task(help={"path": "one post (default: every post under content/posts)"})
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


@task
def test(c):
    """Run the whole test suite."""
    c.run(f"{sys.executable} -m pytest -q", pty=False)


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
    if dry_run:
        print(result.text)
    print(summary(site, result, written=not dry_run))
