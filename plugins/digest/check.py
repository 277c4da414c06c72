"""Validation of the whole content tree, shared by `invoke check` and `invoke build`.

Per file: frontmatter.load (through reader.read_document). Across files: two posts with the same slug
and language, and files Pelican would not read as posts (an editor's .html or .docx dropped in
content/posts would otherwise vanish without a word).
"""

from __future__ import annotations

import fnmatch
import os
import sys

from .config import data_path, languages, setting
from .frontmatter import ContentError, translator
from .reader import DigestMarkdownReader, project_relative, read_document
from .report import Problem
from common.safety import LINK_RULE, content_problem, walk_content

POST_EXTENSIONS = tuple(f".{ext}" for ext in DigestMarkdownReader.file_extensions)


def _ignored(name, settings):
    return any(fnmatch.fnmatch(name, pattern) for pattern in settings.get("IGNORE_FILES", []))


def refused_problem(path, refused, settings):
    """The report's Problem for a path the link rule refuses (plugins/common/safety.py)."""
    fix = ("remove it: only regular files are read" if not refused.fatal else
           f"{LINK_RULE}: remove the link, or copy the file itself into content/")
    return Problem(project_relative(path, settings), refused.reason, fix=fix)


def content_files(settings, kinds=(("article", "ARTICLE_PATHS"), ("page", "PAGE_PATHS"),
                                   ("static", "STATIC_PATHS"))):
    """Every file under the article, page and static folders as the build finds them (the same
    walk, plugins/common/safety.py): (absolute path, kind, ContentRefused or None)."""
    base = os.path.normpath(settings["PATH"])
    for kind, key in kinds:
        for folder in settings.get(key, []):
            root = os.path.normpath(os.path.join(base, folder))
            if os.path.isdir(root):
                found = walk_content(root, base, lambda _path, name: _ignored(name, settings))
            elif os.path.lexists(root):
                found = [(root, content_problem(root, base))]
            else:
                continue
            for path, refused in found:
                yield path, kind, refused


def data_problems(settings):
    """(errors, warnings) for the data folder's files the link rule refuses (their readers refuse
    them too: plugins/common/safety.py read_data_file)."""
    errors, warnings = [], []
    folder = os.path.normpath(data_path(settings))
    if os.path.lexists(folder):
        found = walk_content(folder, os.path.dirname(folder)) if os.path.isdir(folder) else \
            [(folder, content_problem(folder, os.path.dirname(folder)))]
        for path, refused in found:
            if refused is not None:
                (errors if refused.fatal else warnings).append(refused_problem(path, refused, settings))
    return errors, warnings


def is_post(path):
    """Read as a post by the build: Pelican picks a reader by the exact extension."""
    return path.endswith(POST_EXTENSIONS)


def stray_problems(settings):
    problems = []
    for path, kind, refused in content_files(settings, kinds=(("article", "ARTICLE_PATHS"),
                                                              ("page", "PAGE_PATHS"))):
        if refused is not None or is_post(path) or path.endswith(".segments.json"):
            continue
        if path.lower().endswith(POST_EXTENSIONS):
            name = os.path.basename(path)
            stem, ext = os.path.splitext(name)
            problems.append(Problem(project_relative(path, settings),
                                    f"has the extension '{ext}' and is not read: only lowercase "
                                    f"{' and '.join(POST_EXTENSIONS)} are posts",
                                    fix=f"rename it to {stem}{ext.lower()}"))
            continue
        problems.append(Problem(project_relative(path, settings),
                                "is not a Markdown post and is not published",
                                fix="rename it to .md with front matter, or turn a web page "
                                    "into a post with `invoke import FILE`"))
    return problems


def resolve_duplicates(entries):
    """entries: objects with .slug, .lang, .path, .translated_by. A hand-written post wins over a
    translation memory file; two hand-written ones (or two memory files) are an error.
    Returns (winners {(slug, lang): entry}, problems)."""
    winners, problems = {}, []
    for entry in sorted(entries, key=lambda e: e.path):
        key = (entry.slug, entry.lang)
        other = winners.get(key)
        if other is None:
            winners[key] = entry
        elif other.translated_by is not None and entry.translated_by is None:
            winners[key] = entry
        elif other.translated_by is None and entry.translated_by is not None:
            continue
        else:
            problems.append(Problem(entry.path, f"has the same slug '{entry.slug}' and language "
                                    f"'{entry.lang}' as {other.path}", field="slug",
                                    fix="give one of the two posts another slug"))
    return winners, problems


def reserved_paths(settings):
    """{lang: {first URL folder: what the site writes there}}: what a static page's slug must not
    be, derived from the URL contract (urls.py) and the settings rather than listed by hand. A page
    is written at {prefix}{slug}/, so its slug must not be a folder the site writes in that
    language's URL space (the language without a prefix shares it with the site's own folders)."""
    from .urls import Urls

    urls = Urls(settings)
    langs = languages(settings)
    reserved = {}
    for lang in langs:
        prefix = urls.prefix(lang)
        names = {}

        def claim(url, what):
            rest = url[len(prefix):] if url.startswith(prefix) else url
            first = rest.strip("/").split("/")[0]
            if first:
                names.setdefault(first, f"{what} ({url})")

        for name in setting(settings, "DIGEST_LANGUAGES")[lang].get("segments", {}):
            claim(urls.special(lang, name), f"the {name} pages")
        claim(urls.home(lang, 2), "the home page's next pages")
        claim(urls.feed(lang), "the feeds")
        if not prefix:
            for other in langs:
                if other != lang and urls.prefix(other):
                    claim(urls.home(other), f"the '{other}' home page")
            claim(f"{settings.get('THEME_STATIC_DIR', 'theme')}/", "the theme's files")
            for folder in settings.get("STATIC_PATHS", []):
                claim(f"{folder}/", "static files")
            claim("pagefind/", "the search index (Pagefind's folder, see tasks.py)")
        reserved[lang] = names
    return reserved


def reserved_problems(pages, settings):
    """Problems for static pages whose URL is one the site writes itself; `pages`: objects with
    .slug, .lang, .path. Those pages are not published (a build would otherwise replace the
    English home or the topic index, and which one won differed between two builds)."""
    reserved = reserved_paths(settings)
    problems = []
    for page in pages:
        what = reserved.get(page.lang, {}).get(page.slug)
        if what is not None:
            problems.append(Problem(page.path, f"its slug '{page.slug}' would replace {what}",
                                    field="slug", fix=f"give the page another slug, e.g. "
                                                      f"'{page.slug}-{page.lang}' or 'about-{page.slug}'"))
    return problems


class _Entry:
    def __init__(self, doc):
        self.slug, self.lang, self.path = doc.meta["slug"], doc.meta["lang"], doc.path
        self.translated_by = translator(doc.meta)  # as the build decides (assemble.py)


def check_tree(settings):
    """(number of files, errors, warnings) for the content tree, without building anything."""
    errors, warnings, entries = [], [], {"article": [], "page": []}
    count = 0
    for path, kind, refused in content_files(settings):
        if refused is not None:
            (errors if refused.fatal else warnings).append(refused_problem(path, refused, settings))
            continue
        if kind == "static" or not is_post(path):
            continue
        count += 1
        try:
            doc = read_document(path, settings)
        except ContentError as exc:
            errors.extend(exc.problems)
            continue
        warnings.extend(doc.problems)
        if doc.meta["status"] != "draft":
            entries[kind].append(_Entry(doc))
    data_errors, data_warnings = data_problems(settings)
    errors.extend(data_errors)
    warnings.extend(data_warnings)
    for group in entries.values():
        errors.extend(resolve_duplicates(group)[1])
    errors.extend(reserved_problems(entries["page"], settings))
    errors.extend(stray_problems(settings))
    return count, errors, warnings


def main(argv=None):
    from pelican.settings import read_settings

    argv = list(argv or [])
    settings = read_settings(argv[0] if argv else "pelicanconf.py")
    count, errors, warnings = check_tree(settings)
    for problem in warnings:
        print(f"warning: {problem}")
    for problem in errors:
        print(f"error: {problem}", file=sys.stderr)
    print(f"{count} file(s) checked: {len(errors)} error(s), {len(warnings)} warning(s).")
    return 1 if errors else 0
