"""Shared fixtures. Helpers live in support.py (import them with `from support import ...`)."""

import pytest

from support import ROOT, build_site, copy_content, page, pages  # noqa: F401  (re-exported)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The real site, built once per test session."""
    tmp = tmp_path_factory.mktemp("site")
    settings, report, out = build_site(tmp)
    return {"settings": settings, "report": report, "out": out, "tmp": tmp}
