"""The generator that writes every page of every language in one Pelican run."""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pelican.generators import Generator

from . import signals
from . import weeks  # noqa: F401  (connects the "weeks" taxonomy to site_assembled)
from .assemble import assemble, fill_missing, post_from_content
from .config import setting
from .feeds import write_sitemap
from .filters import FILTERS
from .fingerprint import digest, settings_digest, tree_digest
from .i18n import Catalogue
from .output import Output
from .parallel import workers
from .reader import project_relative
from .render import Renderer
from .urls import Urls
from .views import Views

logger = logging.getLogger(__name__)


# Automatic collection was on and the site generator turned it off: it is turned back on when the
# pages are written or the build fails, or at the start of the next build if this one stopped in
# another generator in between.
_paused = False


def resume_collection():
    """Automatic collection back on (if the site generator turned it off), everything unfrozen (the
    reader freezes what it reads): a process that builds again (tests, livereload) must be able to
    free what a build made."""
    global _paused
    gc.unfreeze()
    if _paused:
        gc.enable()
        _paused = False


class SiteGenerator(Generator):
    """Builds the Site model after Pelican has read the content, then renders it."""

    def generate_context(self):
        # Everything read so far lives until the end of the build, and making the site and its
        # pages makes next to no cyclic garbage (a few hundred objects at 2,000 posts): the cyclic
        # collector stays out of it until the pages are written (its full passes walked every post
        # again and again: 0.1 s each at 2,000 posts, 0.5 s in all at 10,000, in each process).
        global _paused
        gc.freeze()
        if gc.isenabled():
            gc.disable()
            _paused = True
        try:
            self._make_site()
        except BaseException:
            resume_collection()
            raise

    def _make_site(self):
        report = self.settings["DIGEST_REPORT"]
        articles = self.context.get("digest_articles", [])
        pages = self.context.get("digest_pages", [])
        with report.timed("assemble"):
            self.site = assemble(articles, pages, self.settings, report)
            self.site.make_post = self.make_post
        for receiver in signals.site_assembled.receivers_for(self.site):
            name = getattr(receiver, "__module__", "plugin").split(".")[0]
            with report.timed(f"plugin {name}"):
                receiver(self.site)
        with report.timed("views"):
            fill_missing(self.site)
            self.urls = Urls(self.settings)
            self.cat = Catalogue(self.settings)
            self.views = Views(self.site, self.urls, self.cat)
        self.context["digest_site"] = self.site

    def make_post(self, path):
        """Read one Markdown file written during the build (a new translation) into a Post."""
        from pelican.contents import Article

        from pelican.readers import Readers

        if getattr(self, "_readers", None) is None:
            self._readers = Readers(self.settings)  # no cache name: never saved
        content = self._readers.read_file(base_path=self.settings["PATH"], path=path,
                                    content_class=Article, context=self.context)
        if getattr(content, "digest", None) is None:
            return None
        return post_from_content(content)

    # -- rendering -----------------------------------------------------------------------------
    def _env(self):
        theme = os.path.join(self.settings["THEME"], "templates")
        # auto_reload off: the templates do not change during a build, and checking their mtimes
        # on every include cost more than a second per build.
        env = Environment(loader=FileSystemLoader(theme), autoescape=True, trim_blocks=True,
                          lstrip_blocks=True, undefined=StrictUndefined, auto_reload=False)
        env.filters.update(FILTERS)
        return env

    def generate_output(self, writer):
        del writer  # we write our own files (see Output)
        try:
            self._write_site()
        finally:
            resume_collection()

    def _write_site(self):
        site, timed = self.site, self.site.report.timed
        out = Output(self.output_path, self.settings)
        renderer = Renderer(site, self.views, self.urls, self.cat, self._env(), out, self.settings,
                            self.render_base(out))
        groups = self.language_groups()
        workers = [fork_worker(renderer, group) for group in groups[1:]]
        for lang in groups[0]:
            renderer.language(lang, timed)
        for worker in workers:
            collect_worker(worker, renderer, site.report)
        renderer.not_found()
        with timed("sitemap"):
            write_sitemap(renderer)
        for lang, key in sorted(self.cat.missing):
            site.report.warning("content/data/ui.yaml", f"no '{key}' string for '{lang}'; the "
                                f"{site.default_lang} one is used", field=key,
                                fix=f"add {key}: ... under {lang}:")
        for receiver in signals.site_rendered.receivers_for(renderer):
            receiver(renderer)
        for save_as in sorted(set(out.twice)):
            # Reserved slugs are refused when the site is assembled; this catches any other two
            # sources of one file, which would otherwise make the winner depend on the order.
            site.report.error(project_relative(os.path.join(self.output_path, save_as), self.settings),
                              "two pages of this build are written to this one file",
                              fix="give one of the posts or pages another slug")
        with timed("output"):
            out.finish()
        site.report.output = {"written": out.written, "unchanged": out.skipped, "kept": out.kept,
                              "removed": out.removed}


    def language_groups(self):
        """Languages split among processes: on a large site each core renders some languages."""
        langs = list(self.site.languages)
        count = workers(self.settings)
        # below DIGEST_PARALLEL_MIN stories, forking costs more than it saves
        if count < 2 or len(langs) < 2 or \
                len(self.site.stories) < setting(self.settings, "DIGEST_PARALLEL_MIN"):
            return [langs]
        count = min(count, len(langs))
        return [langs[i::count] for i in range(count)]

    def render_base(self, out):
        """What every page's render key shares: data files and plugins (DIGEST_INPUTS), templates,
        settings. Without a cache folder there is no manifest to compare with: None."""
        if not out.manifest_path:
            return None
        # Not in the key: what "now" and drafts change (which stories are published, a post's
        # banner) is in the keys of the pages it changes (schedule.py), and nothing else.
        volatile = {"LOAD_CONTENT_CACHE", "DIGEST_NOW", "DIGEST_DRAFTS"}
        return digest(self.settings.get("DIGEST_INPUTS"), tree_digest(self.settings["THEME"]),
                      settings_digest({k: v for k, v in self.settings.items() if k not in volatile}))


def fork_worker(renderer, langs):
    """Render `langs` in a forked process (it shares everything built so far, read-only); the
    parent collects what it wrote with collect_worker."""
    parent, child = multiprocessing.Pipe(duplex=False)
    pid = os.fork()
    if pid == 0:  # the worker
        parent.close()
        code = 0
        try:
            out, report = renderer.out, renderer.site.report
            before = set(out.files)
            counts = (out.written, out.skipped, out.kept)
            report.timings = {}
            for lang in langs:
                renderer.language(lang, report.timed)
            child.send(("ok", {
                "files": {k: v for k, v in out.files.items() if k not in before},
                "counts": (out.written - counts[0], out.skipped - counts[1], out.kept - counts[2]),
                "twice": out.twice,
                "sitemap": {lang: renderer.sitemap.get(lang, {}) for lang in langs},
                "timings": report.timings}))
        except BaseException:  # noqa: BLE001 - everything goes back to the parent
            import traceback

            child.send(("error", traceback.format_exc()))
            code = 1
        finally:
            child.close()
            os._exit(code)
    child.close()
    return pid, parent, langs


def collect_worker(worker, renderer, report):
    pid, conn, langs = worker
    try:
        status, data = conn.recv()
    except EOFError:
        status, data = "error", "the worker process died without a word"
    finally:
        conn.close()
        os.waitpid(pid, 0)
    if status != "ok":
        raise RuntimeError(f"rendering {', '.join(langs)} failed in a worker:\n{data}")
    out = renderer.out
    out.twice.extend(data["twice"])
    out.twice.extend(k for k in data["files"] if k in out.files)
    out.files.update(data["files"])
    written, skipped, kept = data["counts"]
    out.written += written
    out.skipped += skipped
    out.kept += kept
    renderer.sitemap.update(data["sitemap"])
    for phase, seconds in data["timings"].items():
        report.timings[f"{phase} [{'+'.join(langs)}]"] = seconds
