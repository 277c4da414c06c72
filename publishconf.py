"""The deployed site: pelicanconf plus absolute URLs from the environment.

SITEURL=https://user.github.io/repo invoke preview   (or `invoke gh-pages`, which sets it from
--siteurl or --cname). On GitHub Actions, SITEURL is the Pages base URL (.github/workflows/pages.yml).
"""

import os

# pelicanconf.py beside this file, by path: `from pelicanconf import *` would take whatever module
# of that name is already imported (a test's settings file, another project's).
_base = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pelicanconf.py")
with open(_base, encoding="utf-8") as _fh:
    exec(compile(_fh.read(), _base, "exec"))  # noqa: S102 - our own settings file

from digest.deploy import DeployError, absolute_url  # noqa: E402  (pelicanconf put plugins/ on the path)
from common.safety import check_deletable  # noqa: E402

# Every URL the build writes starts with SITEURL, so a site under a subpath
# (https://user.github.io/repo) keeps its links inside it. An empty or relative SITEURL would give
# root-relative links that break there: refuse it rather than publish a broken site.
try:
    SITEURL = absolute_url(os.environ.get("SITEURL", ""))
    # Feeds use FEED_DOMAIN as their prefix (subpath included), SITEURL unless said otherwise.
    FEED_DOMAIN = absolute_url(os.environ.get("FEED_DOMAIN") or SITEURL, "FEED_DOMAIN")
except DeployError as exc:
    raise ValueError(f"publishconf.py: {exc}") from None
RELATIVE_URLS = False
# A publish build: no drafts, and stories dated after now wait for their date (the Pages workflow
# also runs daily, so they go out on their day). See plugins/digest/schedule.py.
DIGEST_PUBLISH = True
DIGEST_DRAFTS = False

# Feeds: the digest generator writes them for every language and term (feeds/all.atom.xml,
# en/feeds/all.atom.xml, .../feed.atom.xml) with absolute links; Pelican's own stay off
# (pelicanconf.py) so nothing is written twice.

# Empty output/ before a publish build, so nothing stale is published; only a folder inside the
# project that holds no sources (plugins/common/safety.py). The digest.deploy plugin checks again
# once the final OUTPUT_PATH is known (an -o on the command line) and turns deletion off if needed.
DIGEST_PROJECT_ROOT = os.path.dirname(os.path.abspath(__file__))
DELETE_OUTPUT_DIRECTORY = check_deletable(OUTPUT_PATH, DIGEST_PROJECT_ROOT) is None  # noqa: F405
PLUGINS = [*PLUGINS, "digest.deploy"]  # noqa: F405
