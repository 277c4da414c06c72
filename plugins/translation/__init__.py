"""translation: every post in every site language, from the committed memory or a provider.

Glue only: on `digest.signals.site_assembled`, each story missing a language gets it from the memory
(already read by Pelican: content/translations is in ARTICLE_PATHS) or, when the build may call the
provider (TRANSLATION["on_build"]), from a fresh translation written to the memory and read back
through `site.make_post`. Stale translations are flagged (`post.stale`), never silently replaced
when reviewed. The work is in engine.py; `invoke translate` (cli.py) runs the same engine outside a
build.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from .config import ConfigError, TranslationConfig, load_config
from .engine import (FAILED, MISSING, REFRESHED, REUSED, STALE, STALE_REVIEWED, TRANSLATED,
                     Existing, Outcome, SourcePost, TranslationService, describe_checks,
                     failed_count, relative_to)
from .providers import make_client

logger = logging.getLogger(__name__)
SECTION = "translation"


def register():
    from digest import signals

    signals.site_assembled.connect(translate_site)


def _content_dir(settings) -> Path:
    return Path(os.path.abspath(settings.get("PATH", "content")))


def _abs_path(post, settings, content_dir=None) -> str:
    source_path = getattr(post.content, "source_path", None)
    if source_path:
        return source_path
    if os.path.isabs(post.path):
        return post.path
    root = os.path.dirname(content_dir or _content_dir(settings))  # Post.path is relative to it
    return os.path.join(root, post.path)


def source_from_post(post, settings, content_dir=None) -> SourcePost:
    content_dir = content_dir or _content_dir(settings)
    return SourcePost(slug=post.slug, lang=post.lang, title=post.title, summary=post.summary or "",
                      body=post.body or "", meta=dict(post.meta or {}), date=post.date,
                      rel_path=relative_to(_abs_path(post, settings, content_dir), content_dir))


def existing_from_post(post, settings, content_dir=None) -> Existing:
    meta = post.meta or {}
    return Existing(Path(_abs_path(post, settings, content_dir)),
                    reviewed=post.reviewed or post.translated_by == "human",
                    source_hash=meta.get("source_hash"),
                    failed_checks=failed_count(meta.get("checks")))


def _timezone(settings):
    try:
        return ZoneInfo(settings.get("TIMEZONE") or "UTC")
    except Exception:  # a bad TIMEZONE is the foundation's to report
        return None


def translate_site(site):
    """site_assembled receiver: fill, refresh or flag the translations of every story."""
    report = site.report
    try:
        config = load_config(site.settings)
    except ConfigError as exc:
        report.warning("pelicanconf.py", f"translation disabled: {exc}", field="TRANSLATION")
        config = TranslationConfig()
    client, unusable = None, None
    if config.on_build and not config.offline:
        try:
            client = make_client(config)
        except ConfigError as exc:  # e.g. deepl without a key: say it once, use the memory only
            unusable = str(exc)
            report.warning("pelicanconf.py", f"translation provider unusable: {exc}",
                           field="TRANSLATION", fix="set DIGEST_TRANSLATOR_KEY or another provider")
    service = TranslationService(config, _content_dir(site.settings),
                                 may_call=client is not None, client=client,
                                 tz=_timezone(site.settings), languages=site.languages)
    if unusable:
        service.offline_reason = f"the provider is unusable ({unusable})"
    _check_glossary(service, report)
    targets = [lang for lang in (config.languages or site.languages) if lang in site.languages]
    counts = {}
    try:
        for slug in sorted(site.stories):
            for outcome in _translate_story(site, site.stories[slug], targets, service):
                counts[outcome.kind] = counts.get(outcome.kind, 0) + 1
    finally:
        service.close()
    if counts.get(MISSING):  # digest lists each missing post; say once why, and what to do
        report.add(SECTION, relative_to(service.content_dir / config.memory_dir,
                                        service.content_dir.parent),
                   f"{counts[MISSING]} translation(s) missing: {service.offline_reason}; run "
                   "`invoke translate`")
    if counts:
        logger.info("translation: %s", ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))


def _check_glossary(service, report):
    """An editor's mistake in glossary.yaml is reported on every build, not only when a provider
    is next called (reading it is cheap; the company registry is already loaded)."""
    service.glossary  # noqa: B018 (loads it; a problem is kept in glossary_problem)
    if service.glossary_problem:
        from .glossary import GLOSSARY_FILE

        report.warning(f"content/{GLOSSARY_FILE}", service.glossary_problem,
                       fix="correct the entry; until then only company names are protected")


def _translate_story(site, story, targets, service):
    original = story.original
    if original.translated_by is not None:
        failed = {problem.path for problem in site.report.errors}
        for post in story.versions.values():
            source = post.meta.get("translation_of")
            source_path = f"content/{source}" if source else None
            if source_path in failed:
                # The source exists but could not be read: its own error says why.
                site.report.warning(post.path, f"its source {source_path} has errors and was not "
                                    "built, so this translation is shown alone",
                                    fix=f"fix {source_path} (see its error)")
            else:
                site.report.warning(post.path, "translation of a post that no longer exists",
                                    fix=f"delete it, or restore the source ({source})")
        return
    source = None
    for lang in targets:
        if lang == original.lang:
            continue
        post = story.versions.get(lang)
        if post is not None and post.translated_by is None:
            continue  # an editor wrote this language
        source = source or source_from_post(original, site.settings, service.content_dir)
        if post is not None:
            existing = existing_from_post(post, site.settings, service.content_dir)
        else:  # a memory file Pelican did not read (corrupt) is still on disk: look
            existing = Existing.from_file(service.default_path(source, lang))
        try:
            outcome = service.process(source, lang, existing)
        except Exception as exc:  # a full disk or a bug here must not take the build down
            logger.exception("translation: %s into %s", source.rel_path, lang)
            path = existing.path if existing else service.default_path(source, lang)
            outcome = Outcome(FAILED, story.slug, lang, path,
                              f"translation into '{lang}' failed: {type(exc).__name__}: {exc}")
        _apply(site, story, post, outcome, service.project_root)
        yield outcome


def _apply(site, story, post, outcome, root):
    report = site.report
    path = relative_to(outcome.path, root)
    for fault in outcome.faults:
        report.warning(path, fault)
    for (form, term), uses in sorted(outcome.enforced.items()):
        report.add(SECTION, path, f"glossary: '{form}' rendered as '{term}'"
                   + (f" ({uses} times)" if uses > 1 else ""))
    checks = outcome.checks
    if checks is None and outcome.kind in (REUSED, STALE) and post is not None:
        checks = (post.meta or {}).get("checks")  # the memory says which segments failed
    if outcome.kind not in (FAILED, MISSING, STALE_REVIEWED) and not (post is not None
                                                                      and post.reviewed):
        for line in describe_checks(checks):
            report.warning(path, f"{line}: shown in the original language, marked",
                           fix="correct that paragraph by hand and set reviewed: true, or run "
                               "`invoke translate` to ask the provider again")
    if outcome.kind in (TRANSLATED, REFRESHED):
        new = _read_back(site, outcome.path)
        if new is None:
            report.warning(path, "written, but could not be read back: shown from the next build")
            if post is not None:
                post.stale = True
            else:
                site.missing.setdefault(outcome.lang, []).append(story.slug)
        else:
            story.versions[outcome.lang] = new
        report.add(SECTION, path, outcome.message)
    elif outcome.kind == REUSED:
        report.add(SECTION, path, outcome.message)
    elif outcome.kind in (STALE_REVIEWED, STALE):
        post.stale = True
        if outcome.kind == STALE_REVIEWED:
            report.warning(path, outcome.message)
        else:
            report.add(SECTION, path, outcome.message)
    elif outcome.kind == FAILED:
        report.warning(path, outcome.message,
                       fix="run `invoke translate` when the provider answers")
        if post is not None:  # a refresh failed: the old text stays, flagged
            post.stale = True
        else:
            site.missing.setdefault(outcome.lang, []).append(story.slug)
    elif outcome.kind == MISSING:  # digest.assemble.fill_missing reports each one
        site.missing.setdefault(outcome.lang, []).append(story.slug)


def _read_back(site, path):
    make_post = getattr(site, "make_post", None)
    if make_post is None:
        logger.warning("translation: site.make_post is missing; the new translation is shown from "
                       "the next build")
        return None
    try:
        return make_post(str(path))
    except Exception:  # a reader bug must not lose the translation already on disk
        logger.exception("translation: reading back %s failed", path)
        return None
