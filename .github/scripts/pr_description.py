"""The translations pull request's title and description, written for an editor.

Everything in them that comes from a memory file or a provider (titles, check names, details) is
made inert Markdown here: one line, punctuation escaped, no @mention that would notify anyone.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from digest.safetext import one_line

BODY_LIMIT = 60000  # GitHub refuses a pull request description past 65,536 characters
TITLE_LIMIT = 120


def read_checks(meta) -> dict:
    """{passed: int|None, failed: [...], problem: str}: the `checks` field, tolerated if absent."""
    checks = meta.get("checks")
    if checks is None:
        return {"passed": None, "failed": [], "problem": "not recorded"}
    if not isinstance(checks, dict):
        return {"passed": None, "failed": [], "problem": "unreadable `checks` field"}
    passed = checks.get("passed")
    failed = checks.get("failed") or []
    if not isinstance(failed, list):
        failed = []
    rows = [f for f in failed if isinstance(f, dict)]
    counted = isinstance(passed, int) and not isinstance(passed, bool)
    return {"passed": passed if counted else None, "failed": rows,
            "problem": "" if len(rows) == len(failed) else "some entries unreadable"}


_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")


def text(value, limit=200) -> str:
    """Text from a file or a provider, as inert Markdown: one line, punctuation escaped, no
    @mention or #reference that would notify people."""
    line = one_line(str(value if value is not None else ""))
    if len(line) > limit:
        line = line[: limit - 1] + "…"
    line = _MARKDOWN.sub(r"\\\1", line)
    return line.replace("@", "@\u2060")


def link(label, url) -> str:
    return f"[{label}]({quote(url, safe=':/?#=&%~.-_')})" if url else label


def title(files) -> str:
    langs = sorted({str(f.meta.get("lang")) for f in files})
    providers = sorted({str(f.meta.get("provider") or "machine") for f in files})
    if len(files) == 1:
        what = one_line(str(files[0].meta.get("title") or files[0].path))
        head = "Review machine translation"
    else:
        what = f"{len(files)} posts"
        head = "Review machine translations"
    head += f" ({', '.join(langs)}; {', '.join(providers)}): "
    full = head + what
    return full if len(full) <= TITLE_LIMIT else full[: TITLE_LIMIT - 1] + "…"


def body(files, *, run_url="", commit="") -> str:
    providers = sorted({str(f.meta.get("provider") or "machine") for f in files})
    lines = [
        f"The Pages build translated {len(files)} post{'s' if len(files) > 1 else ''} with "
        f"{', '.join(f'**{text(p)}**' for p in providers)}. The pages are already on the site, "
        "marked as machine-translated; this pull request brings the text into the repository so "
        "that no later build pays for it again.",
        "",
        "| Page | Language | Change | Checks | File |",
        "|---|---|---|---|---|",
    ]
    for f in files:
        page = link(text(f.meta.get("title") or f.path), f.url)
        if f.source_url:
            page += f" (source: {link(text(f.meta.get('source_lang')), f.source_url)})"
        if f.when:
            page += f" — {f.when}"
        lines.append(f"| {page} | {text(f.meta.get('lang'))} | {f.change} | "
                     f"{checks_cell(f.checks)} | `{f.path}` |")
    failed = [(f, c) for f in files for c in f.checks["failed"]]
    if failed:
        lines += ["", "### Segments that failed a check", "",
                  "Read these first.", ""]
        for f, c in failed:
            lines.append(f"- {text(f.meta.get('title') or f.path, 80)}, segment "
                         f"{text(c.get('segment'), 10)}: **{text(c.get('check'), 60)}** — "
                         f"{text(c.get('detail'))}")
    lines += [
        "", "### To review", "",
        "1. Open each page and read it beside its source.",
        "2. Correct the text in this pull request: Files changed, the file's menu, Edit file. "
        "Later builds keep your edits.",
        "3. When a translation is right, set `reviewed: true` in its front matter: no build will "
        "ever change that file again (a changed source is then only flagged as out of date).",
        "4. Merge. The site changes only where you set `reviewed: true` (the machine-translation "
        "notice goes) or corrected the text.",
        "",
        "This pull request is updated by every build while it is open; it is closed by the "
        "build once main holds all of it. Closing it unmerged does not take the pages down.",
    ]
    if commit or run_url:
        lines += ["", f"Built from {commit[:12] or 'main'}" + (f" by {run_url}" if run_url else "")
                  + "."]
    out = "\n".join(lines) + "\n"
    if len(out) > BODY_LIMIT:
        out = out[:BODY_LIMIT].rsplit("\n", 1)[0] + "\n\n(cut: the list goes on in Files changed)\n"
    return out


def checks_cell(checks) -> str:
    if checks["passed"] is None and not checks["failed"]:
        return checks["problem"]
    cell = f"{checks['passed'] if checks['passed'] is not None else '?'} passed"
    if checks["failed"]:
        cell += f", **{len(checks['failed'])} failed**"
    return cell + (f" ({checks['problem']})" if checks["problem"] else "")
