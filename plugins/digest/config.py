"""Digest settings: defaults, and the data files editors maintain under content/data/."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from datetime import datetime

import yaml

from common.suggest import closest

# The site's languages and the words of their URLs; pelicanconf.py starts from this table (and adds
# to it), tools that run without settings (CLIs on a bare folder) use it as it is.
DEFAULT_LANGUAGES = {
    "fr": {"name": "Français", "locale": "fr_FR", "prefix": "",
           "segments": {"topics": "sujets", "companies": "entreprises", "weeks": "semaines",
                        "archives": "archives", "search": "recherche"}},
    "en": {"name": "English", "locale": "en_US", "prefix": "en",
           "segments": {"topics": "topics", "companies": "companies", "weeks": "weeks",
                        "archives": "archives", "search": "search"}},
}


@dataclass(frozen=True)
class Setting:
    """One DIGEST_* setting of pelicanconf.py: its default, the types it may take, what it is for."""

    name: str
    default: object
    types: tuple
    meaning: str


# Every DIGEST_* setting the build reads, in one table (README and docs/ARCHITECTURE.md point here).
# `validate` holds pelicanconf.py to it when a build starts.
SETTINGS = {s.name: s for s in (
    Setting("DIGEST_LANGUAGES", DEFAULT_LANGUAGES, (dict,),
            "the site's languages: code -> name, locale, URL prefix and URL segments; the default "
            "language (DEFAULT_LANG) is served at /"),
    Setting("DIGEST_PER_PAGE", 10, (int,), "stories per page of a listing (home, archives, term pages)"),
    Setting("DIGEST_FEED_ITEMS", 20, (int,), "entries per Atom feed"),
    Setting("DIGEST_DATA_PATH", None, (str, type(None)),
            "folder of the editors' data files (ui.yaml, topics.yaml...); None: <PATH>/data"),
    Setting("DIGEST_REGISTRIES", {"tags": "topics.yaml", "companies": "companies.yaml"}, (dict,),
            "front-matter field -> data file whose ids the field is checked against"),
    Setting("DIGEST_WORKERS", None, (int, type(None)),
            "processes that read and detect in parallel; None: one per core; 1: no fork at all"),
    Setting("DIGEST_PARALLEL_MIN", 200, (int,),
            "below this many files or stories, work is done in this process (forking costs more)"),
    Setting("DIGEST_REPORT_VERBOSE", False, (bool,), "the build report lists every line, not a summary"),
    Setting("DIGEST_SOCIAL_CARDS", "auto", (str, bool),
            "1200x630 title cards (og:image) for every article: 'auto' when SITEURL is absolute (a "
            "publish build; og:image must be an absolute URL), True always, False never"),
    Setting("DIGEST_PROJECT_ROOT", None, (str, type(None)),
            "the project folder, for the guards that refuse to delete sources (publishconf.py sets it)"),
    Setting("DIGEST_PUBLISH", False, (bool,),
            "a publish build (publishconf.py): no drafts, and stories dated after now left out"),
    Setting("DIGEST_DRAFTS", False, (bool,),
            "build the status: draft posts as pages of their own with a banner, listed nowhere "
            "(`invoke build --drafts`, `invoke livereload`); never in a publish build"),
    Setting("DIGEST_NOW", None, (str, datetime, type(None)),
            "the moment that decides which stories are scheduled (YYYY-MM-DD HH:MM in TIMEZONE); "
            "None: the clock"),
    Setting("DIGEST_SEARCH", True, (bool,),
            "write the search index (output/pagefind/, shards per language and quarter)"),
)}
DEFAULTS = {name: s.default for name, s in SETTINGS.items()}
# Set by the build itself while it runs, never in pelicanconf.py.
RUNTIME = frozenset({"DIGEST_REPORT", "DIGEST_INPUTS", "DIGEST_LOAD_CACHE"})


def setting(settings, name):
    return settings.get(name, DEFAULTS[name])


def validate(settings) -> list[str]:
    """What is wrong with the DIGEST_* settings: an unknown name (with the closest known one) or a
    value of the wrong type. One line each, naming the setting and the fix."""
    problems = []
    for name in sorted(k for k in settings if k.startswith("DIGEST_") and k not in RUNTIME):
        known = SETTINGS.get(name)
        if known is None:
            close = closest(name, SETTINGS)
            hint = f"did you mean {close}?" if close else f"known settings: {', '.join(SETTINGS)}"
            problems.append(f"unknown setting {name}: {hint}")
            continue
        value = settings[name]
        # bool is an int to isinstance: a True worker count is a mistake, not 1.
        wrong = isinstance(value, bool) and bool not in known.types
        if wrong or not isinstance(value, known.types):
            kinds = " or ".join("None" if t is type(None) else t.__name__ for t in known.types)
            problems.append(f"setting {name} is {value!r} ({type(value).__name__}); it must be {kinds}: "
                            f"{known.meaning}")
        elif isinstance(value, int) and not isinstance(value, bool) and value < (
                0 if name == "DIGEST_PARALLEL_MIN" else 1):
            problems.append(f"setting {name} is {value}; it must be at least "
                            f"{0 if name == 'DIGEST_PARALLEL_MIN' else 1}: {known.meaning}")
    return problems


def languages(settings) -> list[str]:
    """Configured languages, the default one first."""
    langs = list(setting(settings, "DIGEST_LANGUAGES"))
    default = settings.get("DEFAULT_LANG", langs[0])
    return [default] + [lang for lang in langs if lang != default]


def data_path(settings, name=""):
    base = setting(settings, "DIGEST_DATA_PATH") or os.path.join(settings["PATH"], "data")
    return os.path.join(base, name) if name else base


def _stamp(path):
    try:
        st = os.stat(path)
        return (st.st_mtime_ns, st.st_size)
    except OSError:
        return None


@functools.lru_cache(maxsize=16)
def _read_yaml(path, stamp):
    del stamp  # part of the cache key only
    if not os.path.lexists(path):
        return None
    from common.safety import read_data_file  # a link out of content/ is refused (ContentRefused)

    text = read_data_file(path).decode("utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # safe, libyaml


def read_yaml(path):
    """Parse a data file once per change (keyed on mtime and size)."""
    return _read_yaml(path, _stamp(path))


def registry_ids(data) -> set[str] | None:
    """Ids of a registry file, whichever of the usual shapes it has."""
    if data is None:
        return None
    if isinstance(data, dict):
        for key in ("topics", "companies", "entries", "items"):
            if key in data:
                return registry_ids(data[key])
        return {str(k) for k, v in data.items() if isinstance(v, dict)}
    if isinstance(data, list):
        return {str(e["id"]) for e in data if isinstance(e, dict) and "id" in e}
    return None


@functools.lru_cache(maxsize=16)
def _registry_ids(path, stamp):
    ids = registry_ids(_read_yaml(path, stamp))
    return None if ids is None else frozenset(ids)


def known_ids(settings) -> dict[str, frozenset[str]]:
    """The ids of each registry (DIGEST_REGISTRIES), read once per change of its file: the reader
    asks for them for every post."""
    out = {}
    for name, filename in setting(settings, "DIGEST_REGISTRIES").items():
        path = data_path(settings, filename)
        ids = _registry_ids(path, _stamp(path))
        if ids is not None:
            out[name] = ids
    return out


def register_plugins(settings, skip=("digest", "translation")) -> list[str]:
    """Connect the receivers of the plugins in PLUGINS outside a Pelican run (the CLIs), so a post
    is cleaned there exactly as in a build. Returns the plugins that could not be loaded; connecting
    twice is harmless (blinker keeps one connection per receiver)."""
    import importlib

    failed = []
    for name in settings.get("PLUGINS") or ():
        name = getattr(name, "__name__", name)
        if name in skip:
            continue
        try:
            importlib.import_module(name).register()
        except Exception as exc:  # the command goes on; its report says the text may differ
            failed.append(f"{name} ({exc.__class__.__name__}: {exc})")
    return failed
