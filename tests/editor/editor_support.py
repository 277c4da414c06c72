"""What the editor's-loop tests share: a writable copy of the real content with posts added."""

from __future__ import annotations

import json
from pathlib import Path

from support import ROOT, build_site, copy_content  # noqa: F401  (re-exported)


def post(content, rel, *, title, date, lang="fr", body="Un texte.", extra=""):
    path = Path(content) / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'---\ntitle: "{title}"\ndate: {date}\nlang: {lang}\n{extra}---\n\n{body}\n',
                    encoding="utf-8")
    return path


def files(out, skip=()):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in Path(out).rglob("*")
            if p.is_file() and not any(p.relative_to(out).as_posix().startswith(s) for s in skip)}


def containing(out, word):
    """Files of the output whose bytes hold `word` (pages, feeds, sitemap, search shards)."""
    word = word.encode()
    return sorted(name for name, data in files(out).items() if word in data)


def manifest(out):
    return json.loads((Path(out) / "pagefind" / "shards.json").read_text(encoding="utf-8"))


def report_text(report, section):
    return {path: " ".join(lines) for path, lines in report.sections.get(section, {}).items()}


def indexed(out):
    """{url: text} of every page in the search shards (Pagefind's fragments: gzip, a marker, JSON)."""
    import gzip

    found = {}
    for fragment in sorted((Path(out) / "pagefind").glob("*/fragment/*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        record = json.loads(data[len(b"pagefind_dcd"):])
        assert record["url"] not in found, f"{record['url']} is in two shards"
        found[record["url"]] = record["content"]
    return found
