"""publishconf.py: absolute URLs from the environment, and output/ emptied only inside the project."""

import datetime as dt
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "plugins"))

from digest import deploy  # noqa: E402

PUBLISHCONF = str(ROOT / "publishconf.py")


def publish_settings(monkeypatch, siteurl="https://user.github.io/ai-digest/", feed_domain=None,
                     **override):
    from pelican.settings import read_settings

    monkeypatch.setenv("SITEURL", siteurl)
    if feed_domain is None:
        monkeypatch.delenv("FEED_DOMAIN", raising=False)
    else:
        monkeypatch.setenv("FEED_DOMAIN", feed_domain)
    return read_settings(PUBLISHCONF, override=override)


def test_siteurl_and_feed_domain_come_from_the_environment(monkeypatch):
    settings = publish_settings(monkeypatch)
    assert settings["SITEURL"] == "https://user.github.io/ai-digest"
    assert settings["FEED_DOMAIN"] == settings["SITEURL"]
    assert settings["RELATIVE_URLS"] is False
    assert "digest.deploy" in settings["PLUGINS"] and "digest" in settings["PLUGINS"]
    other = publish_settings(monkeypatch, feed_domain="https://feeds.example.org/")
    assert other["FEED_DOMAIN"] == "https://feeds.example.org"


@pytest.mark.parametrize("bad", ["", "user.github.io/repo", "/ai-digest", "ftp://x.org",
                                 "https://x.org/?a=1"])
def test_a_missing_or_relative_siteurl_is_refused(monkeypatch, bad):
    with pytest.raises(ValueError, match="SITEURL must"):
        publish_settings(monkeypatch, siteurl=bad)


def test_output_inside_the_project_is_emptied_before_a_publish_build(monkeypatch, tmp_path):
    from pelican import Pelican

    # CACHE_PATH elsewhere: plugins write stamps there on `initialized`.
    settings = publish_settings(monkeypatch, CACHE_PATH=str(tmp_path / "cache"))
    assert settings["DELETE_OUTPUT_DIRECTORY"] is True
    assert Path(settings["OUTPUT_PATH"]) == ROOT / "output"
    pelican = Pelican(settings)  # registers the plugins and sends `initialized`; builds nothing
    assert pelican.delete_outputdir is True


@pytest.mark.parametrize("where", ["content", ".", "plugins", "theme", "/", "~", "OUTSIDE"])
def test_deletion_is_turned_off_where_check_deletable_refuses(monkeypatch, tmp_path, where):
    from pelican import Pelican

    target = {"OUTSIDE": str(tmp_path / "output"), "~": str(Path.home()),
              "/": "/"}.get(where, str(ROOT / where))
    settings = publish_settings(monkeypatch, OUTPUT_PATH=target, CACHE_PATH=str(tmp_path / "c"))
    if where != "OUTSIDE":
        # A folder that holds sources (or /, or home) cannot even be an output folder: the
        # build stops before anything is written or deleted.
        with pytest.raises(ValueError, match="cannot hold the built site"):
            Pelican(settings)
        return
    pelican = Pelican(settings)  # never .run(): the guard must have acted before that
    assert pelican.delete_outputdir is False
    assert settings["DELETE_OUTPUT_DIRECTORY"] is False


def test_guard_without_a_project_root_deletes_nothing():
    settings = {"DELETE_OUTPUT_DIRECTORY": True, "OUTPUT_PATH": str(ROOT / "output")}
    assert "DIGEST_PROJECT_ROOT" in deploy.guard_output_deletion(settings)
    assert settings["DELETE_OUTPUT_DIRECTORY"] is False
    settings = {"DELETE_OUTPUT_DIRECTORY": True, "OUTPUT_PATH": str(ROOT / "output"),
                "DIGEST_PROJECT_ROOT": str(ROOT)}
    assert deploy.guard_output_deletion(settings) is None
    assert settings["DELETE_OUTPUT_DIRECTORY"] is True


def test_site_url_resolution():
    assert deploy.site_url("https://a.org/x/", {}) == "https://a.org/x"
    assert deploy.site_url(None, {"SITEURL": "http://127.0.0.1:8000/repo"}) == \
        "http://127.0.0.1:8000/repo"
    assert deploy.site_url(None, {}, cname="digest.example.org") == "https://digest.example.org"
    assert deploy.site_url("https://b.org", {"SITEURL": "https://a.org"}) == "https://b.org"
    with pytest.raises(deploy.DeployError, match="SITEURL"):
        deploy.site_url(None, {})


def test_publish_message_has_the_utc_date_and_the_source():
    when = dt.datetime(2026, 11, 26, 5, 6, 7, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert deploy.publish_message(None, when, "abc1234") == \
        "Publish site 2026-11-26T04:06:07Z from abc1234"
    assert deploy.publish_message("Fix typo", when) == "Fix typo 2026-11-26T04:06:07Z"


def test_ghp_import_command_has_nojekyll_cname_message_push_and_remote():
    cmd = deploy.ghp_import_command("out", branch="site", remote="upstream", message="M",
                                    cname="example.org", push=True)
    assert cmd[1:3] == ["-m", "ghp_import"]
    args = cmd[3:]
    assert "-n" in args and "-p" in args
    for flag, value in [("-b", "site"), ("-r", "upstream"), ("-m", "M"), ("-c", "example.org")]:
        assert args[args.index(flag) + 1] == value
    assert args[-1].endswith("out")
    no_push = deploy.ghp_import_command("out", branch="b", remote="r", message="M", push=False)
    assert "-p" not in no_push and "-c" not in no_push


def test_tool_message_keeps_the_tools_words_and_drops_tracebacks():
    stderr = """To /tmp/remote.git
 ! [remote rejected] gh-pages -> gh-pages (pre-receive hook declined)
error: failed to push some refs to '/tmp/remote.git'
Traceback (most recent call last):
  File "/usr/lib/python3/ghp_import.py", line 300, in <module>
    main()
subprocess.CalledProcessError: Command '['git', 'push', 'origin', 'gh-pages']' returned non-zero exit status 1.
"""
    text = deploy.tool_message(stderr)
    assert "Traceback" not in text and 'File "' not in text
    assert "pre-receive hook declined" in text and "returned non-zero exit status 1" in text
    usage = ("usage: ghp_import.py [-h] [--version] [-n]\n                     directory\n"
             "ghp_import.py: error: not a git repository (or any of the parent directories): .git\n")
    assert deploy.tool_message(usage) == \
        "ghp_import.py: error: not a git repository (or any of the parent directories): .git"
