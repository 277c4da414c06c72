"""Validation of the whole content tree, shared by `invoke check` and `invoke build`.

Per file: frontmatter.load (through reader.read_document). Across files: two posts with the same slug
and language, and files Pelican would not read as posts (an editor's .html or .docx dropped in
content/posts would otherwise vanish without a word).
"""

from __future__ import annotations

import fnmatch
import os
import sys

from .frontmatter import ContentError, translator
from .reader import DigestMarkdownReader, project_relative, read_document
from .report import Problem

POST_EXTENSIONS = tuple(f".{ext}" for ext in DigestMarkdownReader.file_extensions)


def _ignored(name, settings):
    return any(fnmatch.fnmatch(name, pattern) for pattern in settings.get("IGNORE_FILES", []))


def content_files(settings):
    """Every file under the article and page folders: (absolute path, kind)."""
    for kind, key in (("article", "ARTICLE_PATHS"), ("page", "PAGE_PATHS")):
        for folder in settings.get(key, []):
            base = os.path.join(settings["PATH"], folder)
            for root, dirs, files in os.walk(base):
                dirs[:] = sorted(d for d in dirs if not _ignored(d, settings))
                for name in sorted(files):
                    if not _ignored(name, settings):
                        yield os.path.join(root, name), kind


def stray_problems(settings):
    problems = []
    for path, _kind in content_files(settings):
        if not path.lower().endswith(POST_EXTENSIONS) and not path.endswith(".segments.json"):
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


class _Entry:
    def __init__(self, doc):
        self.slug, self.lang, self.path = doc.meta["slug"], doc.meta["lang"], doc.path
        self.translated_by = translator(doc.meta)  # as the build decides (assemble.py)


def check_tree(settings):
    """(number of files, errors, warnings) for the content tree, without building anything."""
    errors, warnings, entries = [], [], {"article": [], "page": []}
    count = 0
    for path, kind in content_files(settings):
        if not path.lower().endswith(POST_EXTENSIONS):
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
    for group in entries.values():
        errors.extend(resolve_duplicates(group)[1])
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
