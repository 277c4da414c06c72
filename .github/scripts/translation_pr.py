"""Machine translations made on GitHub come back as one pull request, and are paid for once.

Run by the Pages workflow's build job (read-only, holds the provider key), never by the job that
opens the pull request: that job only copies the files this script chose and posts the title and
description it wrote (.github/workflows/pages.yml, README "Deploy").

    python .github/scripts/translation_pr.py carry  --branch REF --cache DIR
        before the build: put back what earlier builds translated and main does not hold yet
        (the open pull request's branch, then the actions cache), so the build reuses it
    python .github/scripts/translation_pr.py stash  --cache DIR
        after the build, even a failed one: the pending translations and the segment caches go
        to DIR, which actions/cache keeps for the next run
    python .github/scripts/translation_pr.py decide --out DIR [--siteurl URL] [--settings FILE]
        after a good build: is a pull request needed, and what does it say. Writes DIR/files/
        (content/translations/**.md only), DIR/title.txt, DIR/body.md; prints needed=true|false

"Pending" means: a memory file under content/translations/ that differs from the commit the
build started from (HEAD). A file whose committed version is reviewed (reviewed: true, or
provider: human, or unreadable, to be safe) is never carried, stashed or proposed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))

from common.files import atomic_write  # noqa: E402
from digest.urls import Urls  # noqa: E402
from translation.memory import SIDECAR_SUFFIX, split_front_matter  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pr_description import TITLE_LIMIT, body, read_checks, title  # noqa: E402,F401

MEMORY = "content/translations"
# What a memory path may look like: content/translations/<lang>/<year>/<name>.md (or its sidecar).
# Anything else found in a branch or a cache is not ours and is left where it is.
_MEMORY_PATH = re.compile(
    r"content/translations/[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?/\d{4}/[A-Za-z0-9][A-Za-z0-9._-]*"
    rf"(?:\.md|{re.escape(SIDECAR_SUFFIX)})")


# -- git -------------------------------------------------------------------------------------------


def git(root, *args, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=check)


def blob(root, ref, path) -> bytes | None:
    """The file at ref:path, or None when ref has no such file (or there is no such ref)."""
    done = git(root, "cat-file", "blob", f"{ref}:{path}", check=False)
    return done.stdout if done.returncode == 0 else None


def tree_files(root, ref) -> list[str]:
    done = git(root, "ls-tree", "-r", "--name-only", "-z", ref, "--", MEMORY, check=False)
    return sorted(p for p in done.stdout.decode("utf-8", "replace").split("\0") if p) \
        if done.returncode == 0 else []


def has_ref(root, ref) -> bool:
    return bool(ref) and git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}",
                             check=False).returncode == 0


def changed_memory_files(root) -> list[str]:
    """Memory .md files the work tree has new or different from HEAD (deletions are not ours)."""
    done = git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", MEMORY)
    paths = []
    for entry in done.stdout.decode("utf-8", "replace").split("\0"):
        status, path = entry[:2], entry[3:]
        if path and "D" not in status and path.endswith(".md") and _MEMORY_PATH.fullmatch(path):
            paths.append(path)
    return sorted(paths)


# -- memory files ----------------------------------------------------------------------------------


def front_matter(raw: bytes | None) -> dict | None:
    """The front matter of a memory file, or None when it cannot be read."""
    if raw is None:
        return None
    try:
        return split_front_matter(raw.decode("utf-8"))[0]
    except (UnicodeDecodeError, ValueError):
        return None


def is_reviewed(meta: dict) -> bool:
    return meta.get("reviewed") is True or meta.get("provider") == "human"


def committed_reviewed(root, path) -> bool:
    """Whether HEAD holds an editor's version of path that no build may replace. A committed file
    that cannot be read counts as reviewed: the workflow never guesses over an editor's file."""
    raw = blob(root, "HEAD", path)
    if raw is None:
        return False
    meta = front_matter(raw)
    return meta is None or is_reviewed(meta)


def stamp(meta: dict | None) -> str:
    """When the file was translated ("YYYY-MM-DD HH:MM" sorts as text); "" when unsaid."""
    return str((meta or {}).get("translated") or "")


def regular_file(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


# -- carry -----------------------------------------------------------------------------------------


def carry(root, branch=None, cache=None) -> list[str]:
    """Before the build: write into the work tree the pending translations of earlier builds.

    For each memory file main does not hold as reviewed: the open pull request's branch version
    (it has the editor's edits made in the pull request), unless the cache holds a newer
    translation (the last build's pull request was not updated); never one older than HEAD's (see
    pick), and never the translation of a post that is gone. The cache also brings back the
    segment caches, so a post edited after its translation pays only for its changed segments.
    Returns one line per file carried."""
    root = Path(root)
    notes = []
    candidates: dict[str, dict] = {}
    branch_after_head = False
    if has_ref(root, branch):
        branch_after_head = committed_at(root, branch) > committed_at(root, "HEAD")
        for path in tree_files(root, branch):
            if _MEMORY_PATH.fullmatch(path) and path.endswith(".md"):
                candidates.setdefault(path, {})["branch"] = blob(root, branch, path)
    cache = Path(cache) if cache else None
    if cache and cache.is_dir() and not cache.is_symlink():
        for file in sorted(cache.rglob("*")):
            rel = file.relative_to(cache).as_posix()
            if regular_file(file) and _MEMORY_PATH.fullmatch(rel):
                candidates.setdefault(rel, {})["cache"] = file.read_bytes()
    for path, found in sorted(candidates.items()):
        target = root / path
        if path.endswith(SIDECAR_SUFFIX):
            if "cache" in found and not target.exists() and not committed_reviewed(
                    root, path[: -len(SIDECAR_SUFFIX)] + ".md"):
                write(root, path, found["cache"])
            continue
        if committed_reviewed(root, path):
            continue
        head = blob(root, "HEAD", path)
        choice, raw = pick(head, found.get("branch"), found.get("cache"), branch_after_head)
        if raw is None:
            continue
        source = (front_matter(raw) or {}).get("translation_of")
        if source and not regular_file(root / "content" / str(source)):
            notes.append(f"{path}: not carried, its source content/{source} is gone")
            continue
        write(root, path, raw)
        notes.append(f"{path}: from the {choice}")
    return notes


def pick(head, branch, cached, branch_after_head=False):
    """(where from, bytes) of the version to build with, or (None, None) to keep HEAD's.

    Versions are ordered by their `translated` stamp (an edit keeps it). On a tie with HEAD, HEAD
    wins (a merged pull request whose branch was not deleted, then edited on main), except for a
    pull request branch committed after HEAD: an editor's edit of a file main already holds."""
    head_stamp = stamp(front_matter(head)) if head is not None else None
    options = []
    for name, raw in (("pull request branch", branch), ("cache", cached)):
        if raw is None or raw == head:
            continue
        own = stamp(front_matter(raw))
        if head_stamp is not None and (own < head_stamp or own == head_stamp and not (
                name == "pull request branch" and branch_after_head)):
            continue  # main holds a newer translation (`invoke translate`, a merge, an edit)
        options.append((own, name, raw))
    if not options:
        return None, None
    if len(options) == 2 and options[1][0] > options[0][0]:
        options.reverse()  # the cache is newer: the last pull request update did not happen
    return options[0][1], options[0][2]


def committed_at(root, ref) -> int:
    done = git(root, "log", "-1", "--format=%ct", ref, check=False)
    return int(done.stdout.strip() or 0) if done.returncode == 0 else 0


def write(root, rel, raw: bytes):
    target = Path(root) / rel
    inside = Path(root).resolve() / MEMORY
    # Checked before any folder is made: a committed symbolic link must not lead the copy out.
    if not target.parent.resolve().is_relative_to(inside):
        raise SystemExit(f"{rel}: refusing to write through a symbolic link out of {MEMORY}/")
    atomic_write(target, raw, durable=False)  # replaces a link itself, never what it points at


# -- stash -----------------------------------------------------------------------------------------


def stash(root, cache) -> int:
    """After the build: DIR becomes the pending memory files and every segment cache. Returns
    how many files it holds."""
    root, cache = Path(root), Path(cache)
    if cache.is_symlink():
        cache.unlink()
    shutil.rmtree(cache, ignore_errors=True)
    keep = set(changed_memory_files(root))
    memory = root / MEMORY
    if memory.is_dir():
        for file in memory.rglob(f"*{SIDECAR_SUFFIX}"):
            keep.add(file.relative_to(root).as_posix())
    count = 0
    for rel in sorted(keep):
        md = rel[: -len(SIDECAR_SUFFIX)] + ".md" if rel.endswith(SIDECAR_SUFFIX) else rel
        if not regular_file(root / rel) or not _MEMORY_PATH.fullmatch(rel) \
                or committed_reviewed(root, md):
            continue
        (cache / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / rel, cache / rel)
        count += 1
    return count


# -- decide ----------------------------------------------------------------------------------------


@dataclass
class Proposed:
    path: str
    meta: dict
    change: str  # "new", "refreshed" (its source changed) or "edited"
    url: str | None = None
    source_url: str | None = None
    when: str = ""  # "" when live; "draft", or "scheduled for ..."
    checks: dict = field(default_factory=dict)


@dataclass
class Decision:
    files: list[Proposed]
    skipped: list[str]
    title: str = ""
    body: str = ""

    @property
    def needed(self) -> bool:
        return bool(self.files)


def decide(root, settings=None, *, now=None, run_url="", commit="") -> Decision:
    """Which memory files a pull request should carry, and its title and description."""
    root = Path(root)
    urls = Urls(settings or {})
    now = now or datetime.now(timezone.utc)
    files, skipped = [], []
    for path in changed_memory_files(root):
        file = root / path
        if not regular_file(file):
            skipped.append(f"{path}: not a regular file")
            continue
        if committed_reviewed(root, path):
            skipped.append(f"{path}: main holds a reviewed version; left alone")
            continue
        meta = front_matter(file.read_bytes())
        if meta is None:
            skipped.append(f"{path}: its front matter cannot be read")
            continue
        head = front_matter(blob(root, "HEAD", path))
        if head is None:
            change = "new"
        elif head.get("source_hash") != meta.get("source_hash"):
            change = "refreshed"
        else:
            change = "edited"
        item = Proposed(path, meta, change, checks=read_checks(meta))
        locate(item, root, urls, now)
        files.append(item)
    decision = Decision(files, skipped)
    if files:
        decision.title = title(files)
        decision.body = body(files, run_url=run_url, commit=commit)
    return decision


def parse_when(value):
    text = re.sub(r"^(\d{4}-\d{2}-\d{2})[ T]", r"\1T", str(value or "").strip())
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def locate(item: Proposed, root: Path, urls: Urls, now):
    """The page's address by the site's URL contract (digest/urls.py), and its source's."""
    meta = item.meta
    when, slug, lang = parse_when(meta.get("date")), str(meta.get("slug") or ""), meta.get("lang")
    if when is None or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", slug):
        return
    if meta.get("status") == "draft":
        item.when = "draft: no page until it is published"
    elif when > now:
        item.when = f"scheduled: live from {when:%Y-%m-%d %H:%M}"
    if not urls.siteurl.startswith(("https://", "http://")):
        return  # a relative link in a pull request would point into GitHub, not at the site
    if lang in urls.langs:
        item.url = urls.absolute(urls.article(lang, when, slug))
    source_lang = meta.get("source_lang")
    if source_lang in urls.langs:
        item.source_url = urls.absolute(urls.article(source_lang, when, slug))


def write_decision(decision: Decision, root, out):
    """DIR/files/<path> for each proposed file, DIR/title.txt, DIR/body.md."""
    out = Path(out)
    shutil.rmtree(out, ignore_errors=True)
    (out / "files").mkdir(parents=True)
    for f in decision.files:
        target = out / "files" / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(root) / f.path, target)
    (out / "title.txt").write_text(decision.title + "\n", encoding="utf-8")
    (out / "body.md").write_text(decision.body, encoding="utf-8")


# -- command line ----------------------------------------------------------------------------------


def load_settings(path, siteurl):
    settings = {}
    if path:
        from pelican.settings import read_settings

        settings = dict(read_settings(str(path)))
    if siteurl:
        settings["SITEURL"] = siteurl
    return settings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["carry", "stash", "decide"])
    parser.add_argument("--root", default=".", help="the repository (default: .)")
    parser.add_argument("--branch", help="carry: the pull request branch's ref, if fetched")
    parser.add_argument("--cache", help="carry, stash: the folder actions/cache keeps")
    parser.add_argument("--out", help="decide: the folder to write the decision into")
    parser.add_argument("--settings", help="decide: Pelican settings (languages, URL words)")
    parser.add_argument("--siteurl", help="decide: the deployed site's address")
    parser.add_argument("--github-output", help="decide: append needed=... to this file")
    parser.add_argument("--run-url", default="", help="decide: the workflow run, for the body")
    parser.add_argument("--commit", default="", help="decide: the commit built")
    args = parser.parse_args(argv)
    root = Path(args.root)
    if args.command == "carry":
        for note in carry(root, args.branch, args.cache):
            print(note)
        return 0
    if args.command == "stash":
        if not args.cache:
            parser.error("stash needs --cache")
        print(f"{stash(root, args.cache)} file(s) kept for the next build in {args.cache}")
        return 0
    if not args.out:
        parser.error("decide needs --out")
    decision = decide(root, load_settings(args.settings, args.siteurl), run_url=args.run_url,
                      commit=args.commit)
    for note in decision.skipped:
        print(f"not proposed: {note}")
    write_decision(decision, root, args.out)
    print(f"pull request needed: {'yes' if decision.needed else 'no'} "
          f"({len(decision.files)} file(s))")
    if args.github_output:
        with open(args.github_output, "a", encoding="utf-8") as fh:
            fh.write(f"needed={'true' if decision.needed else 'false'}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
