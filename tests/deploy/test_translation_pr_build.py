"""Issue 22 end to end, offline: an editor pushes a French post, the build translates it (the
LibreTranslate-compatible server of tests/translation on 127.0.0.1), the English page is built, a
pull request is proposed, later builds pay nothing, and after the merge no pull request is left.

The workflow's steps are played in order with the real script and the real build; what GitHub
does (fetching the branch, the actions cache, the pull request job's push) is done with git and a
folder, the pull request job's guard with the workflow's own shell script.
"""

import re
import shutil
import sys

import pytest

from deploy_helpers import ROOT
from translation_pr_helpers import clone, commit, put, run_git, run_guard, tpr

sys.path.insert(0, str(ROOT / "tests" / "translation"))
from libre_server import FakeTranslator  # noqa: E402

POST = "content/posts/2024/ia-frugale.md"
MEMORY = "content/translations/en/2024/ia-frugale.md"
BRANCH = "refs/remotes/origin/translations/machine"
PAGE = "en/2024/03/ia-frugale/index.html"
# The translation's state on the page: a notice while machine-made, a line of the meta once reviewed.
NOTICE = re.compile(r'<(p|span) class="[^"]*\btranslation-state\b[^"]*"[^>]*>.*?</\1>', re.S)
FR_POST = """---
title: Une IA plus frugale
date: 2024-03-13 10:30
lang: fr
summary: Les modèles consomment moins.
---

Les nouveaux modèles consomment moins d'énergie.

Les centres de données suivent.
"""
OTHER_POST = """---
title: Les puces manquent
date: 2024-04-02 09:00
lang: fr
---

Les fabricants de puces annoncent des délais.
"""

# What the test provider answers: real English, so that the translation checks (language, length,
# numbers) pass and each paragraph is paid for once, as with a good provider.
ENGLISH = {
    "Une IA plus frugale": "A more frugal artificial intelligence",
    "Les modèles consomment moins.": "The models use less power.",
    "Les nouveaux modèles consomment moins d'énergie.": "The new models use less energy.",
    "Les centres de données suivent.": "The data centres are following.",
    "Les centres de données ferment.": "The data centres are closing down.",
    "Les puces manquent": "Chips are in short supply",
    "Les fabricants de puces annoncent des délais.": "Chip makers are announcing delays.",
}


def english(text, source, target):
    assert (source, target) == ("fr", "en")
    return ENGLISH[text.strip()]


@pytest.fixture(autouse=True)
def _no_provider_from_the_environment(monkeypatch):
    for name in ("DIGEST_TRANSLATOR", "DIGEST_TRANSLATOR_URL", "DIGEST_TRANSLATOR_KEY",
                 "DIGEST_TRANSLATE_ON_BUILD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


def notice(page):
    return NOTICE.search(page).group()


def without_notice(page):
    return NOTICE.sub("", page)


def build(checkout, tmp, url):
    from pelican import Pelican
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(checkout / "content"), "OUTPUT_PATH": str(tmp / "output"),
        "CACHE_PATH": str(tmp / "pelican-cache"), "SITEURL": "https://user.github.io/repo",
        "TRANSLATION": {"provider": "libre", "url": url, "timeout": 2, "retries": 0,
                        "on_build": True}})
    Pelican(settings).run()
    assert settings["DIGEST_REPORT"].errors == []
    return settings, tmp / "output"


def workflow_run(origin, tmp_path, name, server, cache):
    """The build job: checkout, fetch the branch if there is one, carry, build, stash, decide."""
    checkout = clone(origin, tmp_path, name)
    if run_git(origin, "branch", "--list", "translations/machine").strip():
        run_git(checkout, "fetch", "-q", "origin", f"translations/machine:{BRANCH}")
    tpr.carry(checkout, branch=BRANCH, cache=cache)
    before = server.count
    settings, out = build(checkout, tmp_path / f"{name}-build", server.url)
    tpr.stash(checkout, cache)
    decision = tpr.decide(checkout, settings)
    return checkout, out, decision, server.count - before


def pull_request_job(origin, checkout, decision, tmp_path):
    """What the pull request job does: guard + copy into a checkout of main, then the push of the
    one branch (peter-evans/create-pull-request: main plus the changes, or the branch deleted)."""
    artifact = tmp_path / "artifact"
    tpr.write_decision(decision, checkout, artifact)
    workspace = clone(origin, tmp_path, "pr-job")
    done, _ = run_guard(tmp_path, artifact, workspace)
    assert done.returncode == 0, done.stdout + done.stderr
    if decision.needed:
        run_git(workspace, "checkout", "-q", "-B", "translations/machine")
        commit(workspace, decision.title)
        run_git(workspace, "push", "-q", "-f", "origin", "translations/machine")
    else:
        run_git(origin, "branch", "-D", "translations/machine")
    shutil.rmtree(workspace)
    shutil.rmtree(artifact)


def test_a_french_post_is_translated_once_reviewed_in_a_pull_request_and_merged(tmp_path):
    origin = tmp_path / "origin"
    origin.mkdir()
    run_git(origin, "init", "-q", "-b", "main")
    shutil.copytree(ROOT / "content" / "data", origin / "content" / "data")
    put(origin, POST, FR_POST)
    commit(origin, "An editor pushes a French post")
    cache = tmp_path / "actions-cache"

    with FakeTranslator(translate=english) as server:
        # 1. The push: the English page goes live machine-translated, a pull request is proposed.
        checkout, out, decision, paid = workflow_run(origin, tmp_path, "push-1", server, cache)
        assert paid > 0
        assert (out / PAGE).exists()
        assert [f.path for f in decision.files] == [MEMORY]
        assert decision.files[0].url == "https://user.github.io/repo/en/2024/03/ia-frugale/"
        assert decision.title == ("Review machine translation (en; libre): "
                                  "A more frugal artificial intelligence")
        pull_request_job(origin, checkout, decision, tmp_path)

        # 2. The editor changes a paragraph of the post: only that paragraph is paid for (the
        # cache brought back the segment cache), and the pull request gets the refreshed text.
        put(origin, POST, FR_POST.replace("suivent", "ferment"))
        commit(origin, "A paragraph corrected")
        asked = len(server.texts)
        checkout, out, decision, paid = workflow_run(origin, tmp_path, "edit", server, cache)
        assert server.texts[asked:] == ["Les centres de données ferment."]
        assert "The data centres are closing down." in (checkout / MEMORY).read_text(encoding="utf-8")
        assert [f.path for f in decision.files] == [MEMORY]
        pull_request_job(origin, checkout, decision, tmp_path)

        # 3. Another push: nothing is paid again, the same pull request is kept up to date.
        put(origin, "content/posts/2024/puces.md", OTHER_POST)
        commit(origin, "Another post")
        shutil.rmtree(cache)  # even with the cache gone, the pull request branch is enough
        asked = len(server.texts)
        checkout, out, decision, paid = workflow_run(origin, tmp_path, "push-2", server, cache)
        assert paid > 0  # the new post, and only it
        assert not [t for t in server.texts[asked:] if "frugale" in t or "données" in t]
        assert [f.path for f in decision.files] == [MEMORY, "content/translations/en/2024/puces.md"]
        pending_page = (out / PAGE).read_text(encoding="utf-8")
        pull_request_job(origin, checkout, decision, tmp_path)

        # 4. The editor reviews in the pull request and merges it.
        run_git(origin, "checkout", "-q", "translations/machine")
        text = (origin / MEMORY).read_text(encoding="utf-8")
        assert "reviewed: false" in text
        put(origin, MEMORY, text.replace("reviewed: false", "reviewed: true"))
        commit(origin, "Reviewed")
        run_git(origin, "checkout", "-q", "main")
        run_git(origin, "merge", "-q", "--no-ff", "-m", "Merge the translations",
                "translations/machine")

        # 5. The next build pays nothing, proposes nothing, and closes the pull request.
        checkout, out, decision, paid = workflow_run(origin, tmp_path, "push-3", server, cache)
        assert paid == 0 and not decision.needed
        assert "reviewed: true" in (checkout / MEMORY).read_text(encoding="utf-8")
        # and the merge changed nothing on the page but the machine-translation notice
        merged_page = (out / PAGE).read_text(encoding="utf-8")
        assert 'class="notice notice-machine translation-state"' in pending_page
        assert notice(pending_page) != notice(merged_page)
        assert without_notice(pending_page) == without_notice(merged_page)
        pull_request_job(origin, checkout, decision, tmp_path)
        assert not run_git(origin, "branch", "--list", "translations/machine").strip()
