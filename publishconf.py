"""The deployed site: pelicanconf plus absolute URLs from the environment."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "").rstrip("/")
FEED_DOMAIN = os.environ.get("FEED_DOMAIN", SITEURL).rstrip("/")
RELATIVE_URLS = False
# Output is deleted before a publish build; Pelican refuses when output contains the content.
DELETE_OUTPUT_DIRECTORY = True
