"""Time our build (cold, unchanged, one edit), vanilla Pelican and Hugo on one corpus.

Each measure is a separate process; wall time is the median of `runs` runs and peak RSS the largest
maxrss of those runs (from wait4, so it is the child's own peak).

Between runs, the previous output (and, before the corpus is made again, the previous corpus) is set
aside by renaming it, and deleted only after the last measure. On ext4 without a journal (these
machines), the kernel will not reuse an inode freed less than 60 to 360 seconds ago and scans past
every such inode for each new file: a build right after deleting the last run's 8,000 files spent
several seconds of kernel time creating its own. That is the benchmark's cleanup, not the build, and
it would also penalise whichever tool ran after a large deletion. For the same reason a benchmark
started less than a minute after the last one deleted its files waits out the rest of that minute.
And every run starts with what the runs before it wrote flushed to disk (see measure).
"""

from __future__ import annotations

import compileall
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .corpus import ROOT, generate
from .live import CHROMIUM, save_to_refresh
from .live import row as live_row


def measure(cmd, cwd, env=None):
    # What was written before (the corpus, the previous runs) is flushed first, untimed: the kernel
    # writes dirty pages back 30 s after they were written, so each run's 30 to 100 MB landed in
    # the middle of some later run, of either tool, and cost it up to a second of CPU.
    os.sync()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {code}:\n{output.decode()[-3000:]}")
    # ru_maxrss is in KiB on Linux; from wait4 it is the largest of the child and of every
    # process it waited for (the Pagefind service of our build included).
    measure.output = output.decode("utf-8", "replace")
    return elapsed, usage.ru_maxrss / 1024


QUIET_AFTER_DELETE = 65  # seconds: the kernel's 60 s for inodes whose table block is written back


class Aside:
    """Folders set aside by renaming (cheap, frees no inode) and deleted at the end."""

    def __init__(self, root):
        self.root = Path(root)
        self.marker = self.root.parent / ".deleted-at"
        self.count = 0

    def __call__(self, path):
        path = Path(path)
        if path.exists():
            self.root.mkdir(parents=True, exist_ok=True)
            self.count += 1
            path.rename(self.root / f"{os.getpid()}-{self.count}-{path.name}")

    def clear(self):
        """Delete what was set aside, flush it, and note when (see wait_for_quiet)."""
        if self.root.exists():
            shutil.rmtree(self.root, ignore_errors=True)
            os.sync()
            self.marker.write_text(str(time.time()))

    def wait_for_quiet(self, log):
        try:
            left = float(self.marker.read_text()) + QUIET_AFTER_DELETE - time.time()
        except (OSError, ValueError):
            return
        if left > 0:
            log(f"waiting {left:.0f} s: files were deleted less than a minute ago, and new files "
                "cost a build seconds of kernel time until then (see benchmarks/run.py)")
            time.sleep(left)


def count_pages(folder):
    return sum(1 for _ in Path(folder).rglob("*.html"))


def our_build(work):
    """`invoke build` on the corpus, search index and printed report included."""
    site = work / "site"
    return [sys.executable, str(ROOT / "plugins/digest/runner.py"), "-s", str(ROOT / "pelicanconf.py"),
            str(site / "content"), "-o", str(site / "output"), "--cache-path", str(site / "cache")]


# The build report's [timings] phases, grouped as the bench prints them.
PHASES = [("read", ("read ",)), ("detect and assemble", ("assemble", "plugin ", "views")),
          ("render", ("render ", "sitemap", "output")), ("search index", ("search index",))]


def phases(output):
    """{group: seconds} from the [timings] line of a build's report (a worker's phases, which run
    beside the parent's, are left out: they are not wall time)."""
    line = next((l for l in output.splitlines() if l.startswith("[timings] ")), "")
    out = dict.fromkeys([name for name, _ in PHASES], 0.0)
    for part in line[len("[timings] "):].split("(")[0].split(", "):
        name, _, value = part.rpartition(" ")
        if "[" in name or not value.endswith("s"):
            continue
        for group, prefixes in PHASES:
            if name.startswith(prefixes):
                out[group] += float(value[:-1])
    return out


def vanilla_python(work):
    """A venv with nothing but Pelican 4.12 and Python-Markdown: vanilla is vanilla."""
    venv = Path(work).resolve().parent / ".venv-vanilla"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "pelican==4.12.0", "markdown==3.7"],
                       check=True)
    return python


def row(name, times, rss, pages, timings=None):
    return {"name": name, "median": statistics.median(times), "runs": times, "rss": max(rss),
            "pages": pages, "phases": timings or []}


def ours(work, env, times, rss, timings):
    t, r = measure(our_build(work), ROOT, env)
    times.append(t), rss.append(r), timings.append(phases(measure.output))


def bench(n_posts, runs=3, work=None, log=print):
    work = Path(work or ROOT / "bench" / f"corpus-{n_posts}")
    # What `invoke setup` does: our plugins byte-compiled, as pip leaves vanilla Pelican's modules
    # (with PYTHONDONTWRITEBYTECODE set, nothing else would, and every run would compile them).
    compileall.compile_dir(ROOT / "plugins", quiet=1)
    aside = Aside(work.parent / ".aside")
    aside.clear()  # an interrupted run's leftovers
    aside.wait_for_quiet(log)
    try:
        return _bench(n_posts, runs, work, aside, log)
    finally:
        aside.clear()


def _bench(n_posts, runs, work, aside, log):
    log(f"generating {n_posts} posts in {work} ...")
    aside(work)
    sources = generate(work, n_posts)
    results = {}
    site = work / "site"
    env = dict(os.environ, DIGEST_TRANSLATOR="none")

    # (a) and (d) take turns, so that a machine that slows down or speeds up during the benchmark
    # weighs on both sides of their ratio alike.
    python = vanilla_python(work)
    vanilla = work / "vanilla"
    mine, theirs = ([], [], []), ([], [])
    for _ in range(runs):
        aside(site / "output")
        aside(site / "cache")
        ours(work, env, *mine)
        aside(vanilla / "output")
        t, r = measure([str(python), "-m", "pelican", "-s", "pelicanconf.py", "-q"], vanilla)
        theirs[0].append(t), theirs[1].append(r)
    results["a"] = row("(a) ours, bilingual, cold", *mine[:2], count_pages(site / "output"), mine[2])
    results["d"] = row("(d) vanilla Pelican 4.12, default theme, monolingual", *theirs,
                       count_pages(vanilla / "output"))
    log(runs_line(results["a"]))
    log(runs_line(results["d"]))

    mine = ([], [], [])
    for _ in range(runs):
        ours(work, env, *mine)
    results["b"] = row("(b) ours, rebuild, nothing changed", *mine[:2], count_pages(site / "output"),
                       mine[2])
    log(runs_line(results["b"]))

    mine = ([], [], [])
    victim = sources[len(sources) // 2]
    for i in range(runs):
        with open(victim, "a", encoding="utf-8") as fh:
            fh.write(f"\nUne phrase ajoutée par l’édition numéro {i}.\n")
        ours(work, env, *mine)
    results["c"] = row("(c) ours, rebuild after editing one post", *mine[:2],
                       count_pages(site / "output"), mine[2])
    log(runs_line(results["c"]))

    # The option the shards replaced, for comparison: Pagefind's CLI over the whole output.
    times, rss = [], []
    for _ in range(runs):
        scratch = site / "output" / "pagefind-cli"
        aside(scratch)
        t, r = measure([sys.executable, "-m", "pagefind", "--site", str(site / "output"),
                        "--output-subdir", "pagefind-cli", "--quiet"], ROOT)
        times.append(t), rss.append(r)
    aside(site / "output" / "pagefind-cli")
    results["s"] = row("(s) for comparison: Pagefind's CLI indexing (a)'s whole output", times, rss,
                       count_pages(site / "output"))
    log(runs_line(results["s"]))

    if os.path.exists(CHROMIUM):
        results["live"] = live_row(save_to_refresh(work, victim, runs, log))
        log(runs_line(results["live"]))

    hugo = shutil.which("hugo")
    if hugo:
        times, rss = [], []
        for _ in range(runs):
            aside(work / "hugo" / "public")
            t, r = measure([hugo, "--quiet"], work / "hugo")
            times.append(t), rss.append(r)
        results["e"] = row("(e) Hugo, bilingual", times, rss, count_pages(work / "hugo" / "public"))
        log(runs_line(results["e"]))
    return results


def runs_line(result):
    runs = ", ".join(f"{t:.2f}" for t in result["runs"])
    return f"{result['name']}: median {result['median']:.2f} s (runs: {runs})"


def table(results, n_posts):
    d = results["d"]["median"]
    lines = [f"Corpus: {n_posts} posts (+ {n_posts} translations in the memory); "
             f"2 cores; median of {len(results['a']['runs'])} runs. Ours is `invoke build` end to "
             "end: search index and printed report included.", "",
             "| build | wall time (median) | × vanilla Pelican | peak RSS | pages in output |",
             "|---|---:|---:|---:|---:|"]
    for key in "abcde":
        if key in results:
            r = results[key]
            lines.append(f"| {r['name']} | {r['median']:.2f} s | {r['median'] / d:.2f} | "
                         f"{r['rss']:.0f} MB | {r['pages']} |")
    if "live" in results:
        r = results["live"]
        lines.append(f"| {r['name']} | {r['median']:.2f} s | | | |")
    lines += ["", "Each phase of our builds (median over the runs, from the report's [timings]; the "
              "rest is starting up and the report):", "",
              "| build | " + " | ".join(name for name, _ in PHASES) + " | total |",
              "|---|" + "---:|" * (len(PHASES) + 1)]
    for key in "abc":
        r = results.get(key)
        if r and r["phases"]:
            cells = [statistics.median(p[name] for p in r["phases"]) for name, _ in PHASES]
            lines.append(f"| {r['name']} | " + " | ".join(f"{c:.2f} s" for c in cells)
                         + f" | {r['median']:.2f} s |")
    if "s" in results:
        r = results["s"]
        lines += ["", f"{r['name']}: {r['median']:.2f} s, peak RSS {r['rss']:.0f} MB "
                  f"({r['median'] / d:.2f} × vanilla Pelican)."]
    return "\n".join(lines)
