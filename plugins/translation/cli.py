"""`invoke translate [PATH]`: fill and refresh the translation memory without building the site.

    python -m translation.cli [PATH] [--settings pelicanconf.py] [--lang en] [--provider libre] ...

Reads every post (or the one at PATH) the way the build does: the foundation's front-matter check
(digest.reader.read_document) and the `source_loaded` signal, so the cleaning plugin listed in
PLUGINS cleans the text exactly as in a build, and the source hash matches what the build computes.
Without the foundation it falls back to a plain YAML front-matter parser and no cleaning.
Exit status: 0 when the run finished (failed posts are in the summary; --strict makes them 1),
1 when the memory could not be written, 2 for a configuration error or a PATH that is not there.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

PLUGINS_DIR = Path(__file__).resolve().parents[1]
if str(PLUGINS_DIR) not in sys.path:  # digest, cleaning: siblings of this package
    sys.path.insert(0, str(PLUGINS_DIR))

from translation.checks import CHECKS  # noqa: E402
from translation.config import ConfigError, load_config  # noqa: E402
from translation.engine import (  # noqa: E402
    FAILED, MISSING, REFRESHED, REUSED, STALE, STALE_REVIEWED, TRANSLATED, Existing, SourcePost,
    TranslationService, describe_checks, relative_to)
from translation.memory import read_memory, split_front_matter, sweep_temp_files  # noqa: E402
from translation.providers import make_client  # noqa: E402
from digest.config import register_plugins  # noqa: E402

logger = logging.getLogger("translation.cli")


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="invoke translate", description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", help="one post (default: every post)")
    parser.add_argument("--settings",
                        help="Pelican settings file (default: ./pelicanconf.py if there is one)")
    parser.add_argument("--content", help="content folder (default: PATH from the settings, or "
                                          "./content)")
    parser.add_argument("--lang", action="append", help="target language (repeatable; default: "
                                                        "every site language)")
    parser.add_argument("--provider", help="overrides DIGEST_TRANSLATOR and the settings")
    parser.add_argument("--url", help="overrides DIGEST_TRANSLATOR_URL and the settings")
    parser.add_argument("--timeout", type=float)
    parser.add_argument("--retries", type=int)
    parser.add_argument("--backoff", type=float, help="first retry delay in seconds")
    parser.add_argument("--concurrency", type=int)
    parser.add_argument("--glossary", choices=("protect", "check"),
                        help="kept names sent as placeholders (protect, the default) or as text, "
                             "checked in the answer (check)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a post failed")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    return parser.parse_args(argv)


# -- settings and plugins --------------------------------------------------------------------------


def load_settings(args) -> dict:
    settings_file = args.settings
    if settings_file is None and os.path.exists("pelicanconf.py"):
        settings_file = "pelicanconf.py"
    if settings_file:
        from pelican.settings import read_settings

        settings = dict(read_settings(settings_file))
    else:
        settings = {"ARTICLE_PATHS": ["posts"], "PLUGINS": []}
    if args.content or "PATH" not in settings:
        settings["PATH"] = os.path.abspath(args.content or "content")
    return settings


def site_languages(settings) -> list[str]:
    try:
        from digest.config import languages

        return languages(settings)
    except ImportError:
        langs = list(settings.get("DIGEST_LANGUAGES") or ["fr", "en"])
        default = settings.get("DEFAULT_LANG", langs[0])
        return [default] + [lang for lang in langs if lang != default]


# -- reading posts ---------------------------------------------------------------------------------


class Unreadable(Exception):
    pass


def read_source(path: Path, settings) -> SourcePost:
    content_dir = Path(settings["PATH"])
    try:
        from digest import frontmatter, signals
        from digest.model import SourceText
        from digest.reader import read_document
    except ImportError:
        return _read_source_plain(path, content_dir)
    try:
        doc = read_document(str(path), settings)
    except frontmatter.ContentError as exc:
        raise Unreadable("; ".join(str(p) for p in exc.problems)) from None
    src = SourceText(path=doc.path, lang=doc.meta["lang"], meta=doc.meta, body=doc.body,
                     settings=settings)
    signals.source_loaded.send(src)
    meta = src.meta
    return SourcePost(slug=meta["slug"], lang=meta["lang"], title=meta["title"],
                      summary=meta.get("summary") or "", body=src.body, meta=meta,
                      date=meta["date"], rel_path=relative_to(path, content_dir))


def _read_source_plain(path: Path, content_dir: Path) -> SourcePost:
    from datetime import datetime

    try:
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        when = datetime.fromisoformat(str(meta["date"]).replace(" ", "T"))
        return SourcePost(slug=str(meta.get("slug") or path.stem), lang=str(meta["lang"]),
                          title=" ".join(str(meta["title"]).split()),
                          summary=str(meta.get("summary") or ""), body=body, meta=meta, date=when,
                          rel_path=relative_to(path, content_dir))
    except (OSError, ValueError, KeyError) as exc:
        raise Unreadable(str(exc)) from None


def article_files(settings, memory_root: Path):
    content_dir = Path(settings["PATH"])
    skip = {os.path.abspath(content_dir / p) for p in settings.get("PAGE_PATHS") or ["pages"]}
    skip.add(os.path.abspath(memory_root))
    for folder in settings.get("ARTICLE_PATHS") or ["posts"]:
        for path in sorted((content_dir / folder).rglob("*.md")):
            if not any(os.path.abspath(path).startswith(s + os.sep) for s in skip):
                yield path


# -- the run ---------------------------------------------------------------------------------------


class Summary:
    ORDER = (TRANSLATED, REFRESHED, REUSED, STALE_REVIEWED, STALE, FAILED, MISSING)

    def __init__(self):
        self.counts = {kind: 0 for kind in self.ORDER}
        self.lines: list[str] = []
        self.checks = {name: 0 for name in CHECKS}  # segments that failed each check
        self.passed = 0

    def add(self, outcome, root):
        self.counts[outcome.kind] += 1
        path = relative_to(outcome.path, root)
        for fault in outcome.faults:
            self.lines.append(f"  ! {path}: {fault}")
        if outcome.checks is not None:
            self.passed += int(outcome.checks.get("passed") or 0)
            seen = set()
            for failure in outcome.checks.get("failed") or ():
                key = (failure["check"], failure["segment"])
                if key not in seen:
                    seen.add(key)
                    self.checks[failure["check"]] = self.checks.get(failure["check"], 0) + 1
            for line in describe_checks(outcome.checks):
                self.lines.append(f"  ! {path}: {line}: kept in the original language")
        for (form, term), uses in sorted(outcome.enforced.items()):
            self.lines.append(f"  {'glossary':<15} {path}: '{form}' rendered as '{term}'"
                              + (f" ({uses} times)" if uses > 1 else ""))
        if outcome.kind not in (REUSED,):
            self.lines.append(f"  {outcome.kind:<15} {path}: {outcome.message}")

    def line(self) -> str:
        c = self.counts
        return (f"translation: {c[TRANSLATED] + c[REFRESHED]} translated "
                f"({c[REFRESHED]} refreshed), {c[REUSED]} reused, "
                f"{c[STALE_REVIEWED]} stale but reviewed, {c[FAILED]} failed"
                + (f", {c[MISSING]} missing (provider 'none')" if c[MISSING] else "")
                + (f", {c[STALE]} stale" if c[STALE] else ""))

    def checks_line(self) -> str:
        """Segments that failed each check (a segment may fail several) in this run."""
        return (f"checks: {self.passed} segment(s) passed; failed: "
                + ", ".join(f"{name} {count}" for name, count in self.checks.items()))


def plan_work(settings, config, memory_root, only=None, langs=None):
    """[(SourcePost, target lang, Existing | None)], plus problems met while reading."""
    problems, written, sources, seen = [], {}, {}, set()
    for path in article_files(settings, memory_root):
        try:
            post = read_source(path, settings)
        except Unreadable as exc:
            problems.append(f"{relative_to(path, '.')}: skipped: {exc}")
            continue
        seen.add(post.slug)
        if str(post.meta.get("status", "published")) == "draft":
            continue
        written.setdefault(post.slug, {})[post.lang] = post
        sources[post.slug] = min(written[post.slug].values(), key=lambda p: (p.date, p.lang))
    memories = {}
    for path in sorted(memory_root.rglob("*.md")) if memory_root.exists() else ():
        try:
            entry = read_memory(path)
            key = (str(entry.meta.get("slug") or path.stem), entry.meta["lang"])
            memories.setdefault(key, path)
        except Exception:  # corrupt: found again below by its default path
            continue
    for (slug, lang), path in sorted(memories.items()):
        if slug not in seen and only is None:
            problems.append(f"{relative_to(path, '.')}: translation of a post that no longer "
                            "exists: delete it, or restore its source")
    targets = langs or config.languages or site_languages(settings)
    work = []
    for slug, source in sorted(sources.items()):
        if only is not None and only not in (source.rel_path, slug) and \
                only not in {p.rel_path for p in written[slug].values()}:
            continue
        for lang in targets:
            if lang in written[slug]:
                continue
            path = memories.get((slug, lang))
            work.append((source, lang, path))
    return work, problems


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings(args)
        config = load_config(settings).with_overrides(
            provider=args.provider, url=args.url, timeout=args.timeout, retries=args.retries,
            backoff=args.backoff, concurrency=args.concurrency, glossary=args.glossary)
        # A provider that cannot work (no key) stops here, before any post is read.
        client = None if config.offline else make_client(config)
    except (ConfigError, OSError) as exc:
        print(f"translate: {exc}", file=sys.stderr)
        return 2
    content_dir = Path(settings["PATH"])
    memory_root = content_dir / config.memory_dir
    swept = sweep_temp_files(memory_root) if memory_root.exists() else 0
    failed_plugins = register_plugins(settings)
    only = None
    if args.path:
        only = _selected(args.path, content_dir, config.memory_dir)
        if only is None:
            return 2
    work, problems = plan_work(settings, config, memory_root, only, args.lang)
    if only is not None and not work and not problems:
        if _names_a_missing_file(args.path, content_dir):
            print(f"translate: {args.path}: no such file (give a post under content/, its "
                  "translation, or its slug)", file=sys.stderr)
            return 2
        print(f"translate: {args.path}: no post to translate there", file=sys.stderr)
    service = TranslationService(config, content_dir, may_call=True, client=client,
                                 tz=_zone(settings.get("TIMEZONE")),
                                 languages=site_languages(settings))
    try:
        summary, hard = run(work, service, content_dir.parent, progress=not args.no_progress)
    finally:
        service.close()
    for plugin in failed_plugins:
        print(f"  ! plugin {plugin} not loaded: texts are not cleaned as in a build",
              file=sys.stderr)
    if swept:
        summary.lines.insert(0, f"  removed {swept} temporary file(s) left by an interrupted run")
    for line in problems + summary.lines:
        print(line)
    print(summary.checks_line())
    print(summary.line())
    if service.glossary_problem:
        print(f"  ! content/data/glossary.yaml not used: {service.glossary_problem}",
              file=sys.stderr)
    if hard:
        return 1
    return 1 if args.strict and summary.counts[FAILED] else 0


def _names_a_missing_file(given: str, content_dir: Path) -> bool:
    """PATH looks like a file (not a slug) and is neither there nor under content/."""
    path = Path(given)
    looks_like_a_file = "/" in given or os.sep in given or path.suffix == ".md"
    return looks_like_a_file and not path.exists() and not (content_dir / path).exists()


def _selected(given: str, content_dir: Path, memory_dir: str) -> str | None:
    """The source path (relative to content/) that PATH names: a post, or a translation of one."""
    path = Path(given)
    only = relative_to(path if path.exists() or path.is_absolute() else content_dir / path,
                       content_dir)
    if only.startswith(memory_dir + "/"):
        try:
            return read_memory(content_dir / only).meta["translation_of"]
        except Exception as exc:
            print(f"translate: {given}: {exc}", file=sys.stderr)
            return None
    return only


def run(work, service, root, progress=True) -> tuple[Summary, bool]:
    """Process each (source, lang, memory path); True with the summary if the memory could not
    be written (the run stops there)."""
    from tqdm import tqdm

    summary = Summary()
    bar = tqdm(work, unit="translation", disable=None if progress else True)
    for source, lang, path in bar:
        bar.set_postfix_str(f"{source.slug} → {lang}", refresh=False)
        existing = Existing.from_file(path or service.default_path(source, lang))
        try:
            outcome = service.process(source, lang, existing)
        except OSError as exc:  # the memory cannot be written: stop, the rest would fail too
            print(f"translate: cannot write the memory: {exc}", file=sys.stderr)
            return summary, True
        summary.add(outcome, root)
    return summary, False


def _zone(name):
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name or "UTC")
    except Exception:
        return None


if __name__ == "__main__":
    sys.exit(main())
