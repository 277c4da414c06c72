"""Does a change leave the site byte for byte as it was? `python -m benchmarks.same_output [REV]`

Builds the sample content and a seeded synthetic corpus (300 posts by default, with its filled
translation memory) twice, once with the code of REV (default HEAD, checked out in a temporary
worktree) and once with the working tree, each in a fresh process with an empty cache, and
compares every file of the two outputs (the search index's shard list apart from the digest
of the code it records). Prints the files that differ and exits 1 when any does.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .corpus import ROOT, generate

sys.path.insert(0, str(ROOT / "plugins"))  # the corpus' translation memory is read as the build reads it

BUILD = """
import sys
from pelican import Pelican
from pelican.settings import read_settings
root, content, out, cache = sys.argv[1:5]
settings = read_settings(root + "/pelicanconf.py", override={
    "PATH": content, "OUTPUT_PATH": out, "CACHE_PATH": cache, "SITEURL": "http://site.test",
    "LOAD_CONTENT_CACHE": False})
Pelican(settings).run()
"""


def build(code_root: Path, content: Path, out: Path, cache: Path):
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for name in ("DIGEST_TRANSLATOR", "DIGEST_TRANSLATOR_URL", "DIGEST_TRANSLATOR_KEY"):
        env.pop(name, None)  # the memory only: no provider may change what is compared
    subprocess.run([sys.executable, "-c", BUILD, str(code_root), str(content), str(out), str(cache)],
                   cwd=code_root, env=env, check=True, stdout=subprocess.DEVNULL)


# The search index's list of shards records a digest of the plugins' code (a code change makes
# every shard again, to be safe), and so does each shard's: those keys differ whenever the code
# does, the shards themselves (compared file by file) need not.
CODE_KEYED = {"pagefind/shards.json": ("base",)}


def same(left: Path, right: Path, name: str) -> bool:
    if not (left.is_file() and right.is_file()):
        return False
    if filecmp.cmp(left, right, shallow=False):
        return True
    if name not in CODE_KEYED:
        return False
    a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (left, right))
    for data in (a, b):
        for key in CODE_KEYED[name]:
            data.pop(key, None)
        for shard in data.get("shards", {}).values():
            shard.pop("digest", None)  # made from the code's digest too
    return a == b


def differences(left: Path, right: Path) -> list[str]:
    files = {p.relative_to(left).as_posix() for p in left.rglob("*") if p.is_file()}
    files |= {p.relative_to(right).as_posix() for p in right.rglob("*") if p.is_file()}
    return sorted(f for f in files if not same(left / f, right / f, f))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", nargs="?", default="HEAD", help="the code to compare with (default HEAD)")
    parser.add_argument("--posts", type=int, default=300, help="synthetic posts (default 300)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="same-output-") as tmp:
        tmp = Path(tmp)
        before = tmp / "before"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(before), args.rev], cwd=ROOT, check=True)
        try:
            generate(tmp / "corpus", args.posts)
            corpora = {"sample": ROOT / "content", f"synthetic-{args.posts}": tmp / "corpus" / "site" / "content"}
            failed = False
            for name, content in corpora.items():
                outs = {}
                for label, code in (("before", before), ("after", ROOT)):
                    outs[label] = tmp / f"{name}-{label}"
                    build(code, content, outs[label], tmp / f"{name}-{label}-cache")
                diff = differences(outs["before"], outs["after"])
                count = sum(1 for p in outs["after"].rglob("*") if p.is_file())
                print(f"{name}: {count} files, {len(diff)} differ" + "".join(f"\n  {f}" for f in diff[:40]))
                failed |= bool(diff)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=ROOT, check=False)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
