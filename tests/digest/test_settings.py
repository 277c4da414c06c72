"""Every DIGEST_* setting is in one table, and a build refuses a setting it does not know or a
value of the wrong type before doing any work."""

import re
from pathlib import Path

import pytest

from digest.config import DEFAULTS, RUNTIME, SETTINGS, setting, validate
from support import ROOT, build_site


def test_every_setting_the_code_reads_is_in_the_table():
    read = set()
    for path in list((ROOT / "plugins").rglob("*.py")) + [ROOT / "pelicanconf.py", ROOT / "publishconf.py"]:
        text = path.read_text(encoding="utf-8")
        read |= set(re.findall(r"""(?:setting\(\s*[\w.]+,\s*|settings(?:\.get\(|\[))["'](DIGEST_[A-Z_]+)""", text))
    assert read - RUNTIME <= set(SETTINGS), read - RUNTIME - set(SETTINGS)
    assert {"DIGEST_WORKERS", "DIGEST_PARALLEL_MIN", "DIGEST_REPORT_VERBOSE", "DIGEST_PROJECT_ROOT"} <= set(SETTINGS)
    assert all(s.meaning for s in SETTINGS.values())


def test_defaults_come_from_the_table():
    assert setting({}, "DIGEST_PARALLEL_MIN") == SETTINGS["DIGEST_PARALLEL_MIN"].default == DEFAULTS["DIGEST_PARALLEL_MIN"]
    assert setting({"DIGEST_PARALLEL_MIN": 5}, "DIGEST_PARALLEL_MIN") == 5


@pytest.mark.parametrize("settings, expected", [
    ({"DIGEST_WORKRS": 2}, "unknown setting DIGEST_WORKRS: did you mean DIGEST_WORKERS?"),
    ({"DIGEST_WORKERS": "2"}, "setting DIGEST_WORKERS is '2' (str); it must be int or None"),
    ({"DIGEST_WORKERS": True}, "setting DIGEST_WORKERS is True (bool); it must be int or None"),
    ({"DIGEST_WORKERS": 0}, "setting DIGEST_WORKERS is 0; it must be at least 1"),
    ({"DIGEST_PER_PAGE": 2.5}, "setting DIGEST_PER_PAGE is 2.5 (float); it must be int"),
    ({"DIGEST_REPORT_VERBOSE": "yes"}, "setting DIGEST_REPORT_VERBOSE is 'yes' (str); it must be bool"),
])
def test_a_wrong_setting_is_named_with_its_fix(settings, expected):
    [problem] = validate(settings)
    assert problem.startswith(expected), problem


def test_the_real_settings_are_valid(monkeypatch):
    from pelican.settings import read_settings

    monkeypatch.setenv("SITEURL", "https://user.github.io/repo")
    for name in ("pelicanconf.py", "publishconf.py"):
        assert validate(read_settings(str(ROOT / name))) == [], name


def test_a_build_with_a_misspelt_setting_stops_before_writing(tmp_path):
    with pytest.raises(ValueError, match="DIGEST_PER_PAGES: did you mean DIGEST_PER_PAGE"):
        build_site(tmp_path, DIGEST_PER_PAGES=5)
    assert not Path(tmp_path, "output").exists()
