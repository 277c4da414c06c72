"""Digest settings: defaults, and the data files editors maintain under content/data/."""

from __future__ import annotations

import functools
import os

import yaml

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

DEFAULTS = {
    "DIGEST_LANGUAGES": DEFAULT_LANGUAGES,
    "DIGEST_PER_PAGE": 10,
    "DIGEST_FEED_ITEMS": 20,
    "DIGEST_DATA_PATH": None,  # default: <PATH>/data
    # Files whose ids front matter is checked against (key: the registry name used in frontmatter).
    "DIGEST_REGISTRIES": {"tags": "topics.yaml", "companies": "companies.yaml"},
}


def setting(settings, name):
    return settings.get(name, DEFAULTS[name])


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
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # safe, libyaml


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
