"""The site. Digest settings are documented in plugins/digest/config.py and docs/ARCHITECTURE.md."""

import os
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
# Our plugins import each other (digest.signals, cleaning.core ...): make plugins/ importable.
if os.path.join(ROOT, "plugins") not in sys.path:
    sys.path.insert(0, os.path.join(ROOT, "plugins"))

SITENAME = "Digest IA"
# No AUTHOR: a post names its author in its own `author` field (the pages and feeds show that).
# A site-wide AUTHOR is used by nothing of ours; Pelican would make and slugify one per post.
SITEURL = ""
PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"

# Languages: French at /, English at /en/, with the URL words of each (plugins/digest/config.py).
# A third language is one more entry plus its strings in content/data/ui.yaml, e.g.
# DIGEST_LANGUAGES["de"] = {"name": "Deutsch", "locale": "de_DE", "prefix": "de", "segments": {
#     "topics": "themen", "companies": "unternehmen", "weeks": "wochen", "archives": "archiv",
#     "search": "suche"}}
from digest.config import DEFAULT_LANGUAGES  # noqa: E402  (plugins/ is on the path, see above)

DIGEST_LANGUAGES = {lang: dict(info) for lang, info in DEFAULT_LANGUAGES.items()}
DIGEST_PER_PAGE = 10
DIGEST_FEED_ITEMS = 20

# Pelican 4.12 loads every installed namespace plugin unless this is set.
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["digest", "cleaning", "translation", "topics", "companies"]

ARTICLE_PATHS = ["posts", "translations"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]  # content/images/NAME is served at /images/NAME
IGNORE_FILES = [".#*", ".gitkeep"]
# Posts are Markdown only: an .html or .rst file dropped in posts/ is reported, not half-published.
READERS = {"html": None, "htm": None, "rst": None}

# Our digest generator writes every page, feed and the sitemap; Pelican writes none of its own.
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_LANG_URL = "{lang}/{date:%Y}/{date:%m}/{slug}/"
PAGE_URL = "{slug}/"
PAGE_LANG_URL = "{lang}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_LANG_SAVE_AS = PAGE_SAVE_AS = PAGE_LANG_SAVE_AS = ""
DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_LANG_SAVE_AS = ""
TAG_SAVE_AS = CATEGORY_SAVE_AS = AUTHOR_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
DIRECT_TEMPLATES = []
# The digest groups posts into stories by slug itself; Pelican's own grouping is quadratic (a list
# membership test per post: 2.2 s of a 10,000-post rebuild) and its result is not used.
ARTICLE_TRANSLATION_ID = PAGE_TRANSLATION_ID = None
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = TAG_FEED_ATOM = None

# Cache read content by content hash: a git checkout loses mtimes.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "sha1"
CACHE_PATH = "cache"
# Uncompressed: compressing the whole cache again after a one-post edit cost ~0.2 s per build.
GZIP_CACHE = False
DELETE_OUTPUT_DIRECTORY = False

# Translation (plugins/translation): the build never calls a provider unless told to.
TRANSLATION = {"provider": "none", "url": None, "timeout": 10, "retries": 3, "concurrency": 2,
               "on_build": False}
