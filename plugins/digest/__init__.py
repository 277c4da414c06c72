"""digest: one Pelican run builds the whole bilingual site (see docs/ARCHITECTURE.md)."""

import fnmatch
import logging
import os
import pickle
import time

from common.files import atomic_write, replacing
from pelican import signals as pelican_signals
from pelican.cache import FileDataCacher, FileStampDataCacher
from pelican.contents import Content
from pelican.generators import ArticlesGenerator, Generator, PagesGenerator

from . import previews  # noqa: F401  (connects drafts and the schedule report to site_rendered)
from . import search  # noqa: F401  (connects the search index to site_rendered)
from . import stamps
from .config import data_path, setting, validate
from .fingerprint import tree_digest
from .parallel import in_background, wait_background
from .filters import FILTERS
from .reader import DigestMarkdownReader
from .report import BuildReport
from .check import data_problems, refused_problem
from common.safety import check_output, content_problem, walk_content
from .site import SiteGenerator, resume_collection

logger = logging.getLogger(__name__)
PLUGINS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FINGERPRINT = "digest-inputs.sha256"


def inputs_fingerprint(settings):
    """Hash of everything that shapes cached content besides the content files themselves:
    the data files editors maintain and the plugins' code."""
    return tree_digest(data_path(settings), PLUGINS_DIR, suffixes=(".py", ".yaml", ".yml", ".json"))


def initialized(pelican):
    settings = pelican.settings
    problems = validate(settings)
    if problems:  # the settings file (pelicanconf.py / publishconf.py) is wrong: stop before any work
        raise ValueError("settings: " + "; ".join(problems))
    project = os.path.dirname(os.path.abspath(settings["PATH"]))
    problem = check_output(settings["OUTPUT_PATH"], project)
    if problem:
        raise ValueError(f"OUTPUT_PATH '{settings['OUTPUT_PATH']}' cannot hold the built site: "
                         f"{problem}. Set OUTPUT_PATH (or -o) to a folder of its own, e.g. output")
    settings["JINJA_FILTERS"] = {**settings.get("JINJA_FILTERS", {}), **FILTERS}
    settings["DIGEST_LOAD_CACHE"] = settings.get("LOAD_CONTENT_CACHE")
    new_build(pelican)


def new_build(pelican):
    """A fresh report and a fresh look at the inputs, for each build: `initialized` is sent once
    per Pelican, and `pelican --autoreload` runs many builds with one (their reports added up,
    and an edited data file kept the content cache of the first build)."""
    settings = pelican.settings
    settings["DIGEST_REPORT"] = report = BuildReport()
    errors, warnings = data_problems(settings)
    for problem in errors:
        report.error(problem.path, problem.message, fix=problem.fix)
    for problem in warnings:
        report.warning(problem.path, problem.message, fix=problem.fix)
    pelican.digest_report = report
    settings["LOAD_CONTENT_CACHE"] = settings.get("DIGEST_LOAD_CACHE")
    cache = settings.get("CACHE_PATH")
    if not cache:
        return
    current = inputs_fingerprint(settings)
    settings["DIGEST_INPUTS"] = current  # part of every page's render key (plugins/digest/site.py)
    if not settings.get("LOAD_CONTENT_CACHE"):
        return
    stamp_file = os.path.join(cache, FINGERPRINT)
    try:
        with open(stamp_file, encoding="ascii") as fh:
            previous = fh.read().strip()
    except OSError:
        previous = None
    if previous != current:
        logger.info("data files or plugins changed: the content cache is rebuilt")
        settings["LOAD_CONTENT_CACHE"] = False
        atomic_write(stamp_file, current, durable=False)


def readers_init(readers):
    for ext in DigestMarkdownReader.file_extensions:
        readers.reader_classes[ext] = DigestMarkdownReader
    # Pelican creates the reader instances right after this signal: they pick this up.
    DigestMarkdownReader.pending_owner = readers


# Where each generator finds its files, as its generate_context asks get_files for them.
FILE_SETTINGS = {ArticlesGenerator: ("ARTICLE_PATHS", "ARTICLE_EXCLUDES"),
                 PagesGenerator: ("PAGE_PATHS", "PAGE_EXCLUDES")}


def our_readers(generator):
    readers = getattr(generator, "readers", None)
    return [r for r in getattr(readers, "readers", {}).values() if isinstance(r, DigestMarkdownReader)]


def generator_init(generator):
    # Pelican lists its own Markdown reader as disabled (no `markdown` package) and would warn on
    # every .md file although ours reads them.
    readers = getattr(generator, "readers", None)
    if readers is not None:
        for ext in DigestMarkdownReader.file_extensions:
            readers.disabled_readers.pop(ext, None)
    names = next((v for k, v in FILE_SETTINGS.items() if isinstance(generator, k)), None)
    if names is not None:
        # The workers read ahead in the order the generator will ask for the files: get_files
        # returns a set, and the same calls make the same set, so its order is known in advance.
        paths, excludes = names

        def reading_order():
            return [os.path.join(generator.path, f) for f in
                    generator.get_files(generator.settings[paths], exclude=generator.settings[excludes])]

        for reader in our_readers(generator):
            reader.reading_order = reading_order


def report_skipped(generator, metadata):
    report = generator.settings["DIGEST_REPORT"]
    for problem in metadata.get("digest_errors", ()):
        report.error(problem.path, problem.message, field=problem.field, line=problem.line,
                     fix=problem.fix)


def write_nothing(writer):
    """Pelican's article and page generators would loop over every post to write nothing (our
    *_SAVE_AS are empty): the digest generator writes all pages."""


def articles_read(generator):
    for reader in our_readers(generator):
        reader.finish()
    generator.generate_output = write_nothing
    report = generator.settings["DIGEST_REPORT"]
    report.mark("read articles", report.started)
    report.read_done = time.perf_counter()
    # Drafts go along: the site model builds them apart (or only reports them), see schedule.py.
    generator.context["digest_articles"] = (generator.articles + generator.translations
                                            + generator.drafts + generator.drafts_translations)


def pages_read(generator):
    for reader in our_readers(generator):
        reader.finish()
    generator.generate_output = write_nothing
    report = generator.settings["DIGEST_REPORT"]
    report.mark("read pages", getattr(report, "read_done", report.started))
    generator.context["digest_pages"] = generator.pages + generator.translations


def get_generators(pelican):
    # Sent at the start of each build (`initialized` only once per Pelican: --autoreload runs it
    # again): the stamps of what the last build read are forgotten, and one that failed midway may
    # have left a cache writer running and the collector paused.
    if getattr(pelican, "digest_builds", 0):
        new_build(pelican)
    pelican.digest_builds = getattr(pelican, "digest_builds", 0) + 1
    stamps.new_build()
    wait_background()
    resume_collection()
    return SiteGenerator


def finalized(pelican):
    # `invoke build` prints the report itself (plugins/digest/runner.py); plain `pelican` logs it.
    report = pelican.settings["DIGEST_REPORT"]
    wait_background()  # the caches are on disk when the build is over
    text = report.render(verbose=setting(pelican.settings, "DIGEST_REPORT_VERBOSE"))
    if text:
        logger.debug("Build report\n%s", text)


_pelican_cache_data = FileDataCacher.cache_data


def cache_data_and_mark(self, filename, data):
    self._digest_dirty = True
    _pelican_cache_data(self, filename, data)


def save_cache_atomically(self):
    """Pelican's FileDataCacher.save_cache, writing to a temporary file first, only when something
    was added, and in a forked process while the build goes on (finalized waits for it): Pelican
    writes in place, so a pickling error leaves a truncated cache whose EOFError (not caught on
    load) stops every later build; it re-pickles an unchanged cache of thousands of posts on every
    build; and pickling 4,000 posts kept the build waiting 0.07 s."""
    if not self._cache_data_policy or not getattr(self, "_digest_dirty", False):
        return
    self._digest_dirty = False

    def failed(message):
        logger.warning("Could not save cache %s: %s", self._cache_path, message)

    if len(self._cache) < setting(self.settings, "DIGEST_PARALLEL_MIN"):
        try:  # a small cache: forking would cost more than it saves
            _write_cache(self)
        except _CACHE_ERRORS as err:
            failed(err)
    else:
        in_background(lambda: _write_cache(self), failed)


_CACHE_ERRORS = (OSError, pickle.PicklingError, TypeError, AttributeError)


def _write_cache(self):
    with replacing(self._cache_path, durable=False, opener=lambda temp: self._cache_open(temp, "wb")) as fh:
        pickle.dump(self._cache, fh)


_pelican_file_stamp = FileStampDataCacher._get_file_stamp
_pelican_get_cached = FileStampDataCacher.get_cached_data


def file_stamp_once(self, filename):
    """Pelican hashes every content file three times per build (generator cache, reader cache,
    cache write): hash each version once, from the bytes the reader read when it did (stamps.py)."""
    method = self.settings["CHECK_MODIFIED_METHOD"]

    def compute(path):
        try:
            value = stamps.hashed_stamp(stamps.read_bytes(path)[0], method)
        except OSError:
            value = None
        return _pelican_file_stamp(self, path) if value is None else value

    return stamps.stamp(filename, method, compute)


def cached_or_miss(self, filename, default=None):
    """Pelican's get_cached_data, except that a file the cache holds nothing for is a miss at once
    (Pelican hashes it first, on every cold build)."""
    if filename not in self._cache:
        return default
    return _pelican_get_cached(self, filename, default)


_pelican_relative_source_path = Content.get_relative_source_path


def relative_source_path(self, source_path=None):
    """Content.get_relative_source_path (os.path.relpath twice per post, on paths Pelican made
    absolute and normal), with a prefix cut for a normal absolute path under PATH."""
    path = source_path or self.source_path
    base = self.settings.get("PATH")
    if isinstance(path, str) and isinstance(base, str) and os.path.isabs(base):
        prefix = base.rstrip(os.sep) + os.sep
        if path.startswith(prefix) and os.path.normpath(path) == path and os.path.normpath(base) == base:
            return path[len(prefix):].replace(os.sep, "/")
    return _pelican_relative_source_path(self, source_path)


def get_files_within_content(self, paths, exclude=None, extensions=None):
    """Generator.get_files of Pelican 4.12 (which follows every link, to anywhere), with the link rule
    of plugins/common/safety.py: a refused path (a link out of content/, to a folder, a FIFO...) is
    reported by name (a content error, a FIFO a warning) and never returned, so no generator reads,
    copies or publishes it. Same result otherwise: paths relative to the content folder, folders
    dropped by `exclude` and IGNORE_FILES, files by `extensions` (False: all)."""
    if isinstance(paths, str):
        paths = [paths]
    base = os.path.normpath(self.path)
    excluded = {os.path.normpath(os.path.join(base, e)) for e in exclude or ()}
    ignores = self.settings["IGNORE_FILES"]
    report = self.settings.get("DIGEST_REPORT")
    files = set()

    def skip(path, name):
        return path in excluded or any(fnmatch.fnmatch(name, pattern) for pattern in ignores)

    for path in paths:
        root = os.path.normpath(os.path.join(base, path)) if path else base
        if os.path.isdir(root):
            found = walk_content(root, base, skip)
        elif os.path.lexists(root):
            found = [(root, content_problem(root, base))]
        else:
            continue
        for file_path, refused in found:
            if refused is not None:
                if report is not None:
                    problem = refused_problem(file_path, refused, self.settings)
                    (report.error if refused.fatal else report.warning)(
                        problem.path, problem.message, fix=problem.fix)
                continue
            rel = file_path[len(base) + 1:] if file_path.startswith(base + os.sep) else \
                os.path.relpath(file_path, base)
            if self._include_path(rel, extensions):
                files.add(rel)
    return files


def static_within_content(generator):
    """A static file named in a post (`{static}../../etc/passwd` is added to Pelican's static links
    without a look at where it leads) is judged by the link rule as every found file is."""
    report = generator.settings["DIGEST_REPORT"]
    kept = []
    for static in generator.staticfiles:
        refused = content_problem(static.source_path, generator.path)
        if refused is None:
            kept.append(static)
            continue
        problem = refused_problem(static.source_path, refused, generator.settings)
        report.error(problem.path, f"linked from a post as a static file: {problem.message}",
                     fix=problem.fix)
    if len(kept) != len(generator.staticfiles):
        generator.staticfiles[:] = kept
        generator.context["staticfiles"] = kept


def register():
    if Generator.get_files.__code__.co_varnames[:4] != ("self", "paths", "exclude", "extensions"):
        raise RuntimeError("digest replaces Generator.get_files of Pelican 4.12; this Pelican's "
                           "differs: check get_files_within_content against it")
    Generator.get_files = get_files_within_content
    pelican_signals.static_generator_finalized.connect(static_within_content)
    FileStampDataCacher._get_file_stamp = file_stamp_once
    Content.get_relative_source_path = relative_source_path
    FileStampDataCacher.get_cached_data = cached_or_miss
    FileDataCacher.cache_data = cache_data_and_mark
    FileDataCacher.save_cache = save_cache_atomically
    pelican_signals.initialized.connect(initialized)
    pelican_signals.readers_init.connect(readers_init)
    pelican_signals.generator_init.connect(generator_init)
    pelican_signals.article_generator_context.connect(report_skipped)
    pelican_signals.page_generator_context.connect(report_skipped)
    pelican_signals.article_generator_finalized.connect(articles_read)
    pelican_signals.page_generator_finalized.connect(pages_read)
    pelican_signals.get_generators.connect(get_generators)
    pelican_signals.finalized.connect(finalized)
