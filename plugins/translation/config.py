"""Translation settings: `TRANSLATION` in pelicanconf.py, overridden by the environment.

Keys never come from settings files (they are committed): only from `DIGEST_TRANSLATOR_KEY`.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field, replace

logger = logging.getLogger(__name__)

PROVIDERS = ("none", "google", "libre", "mymemory", "microsoft", "deepl")

DEFAULTS = {
    "provider": "none",
    "url": None,  # service root; None: the provider's public address
    "timeout": 10.0,  # seconds, per request (connect and read)
    "retries": 3,  # extra attempts on 429, 5xx, timeouts and connection errors
    "backoff": 1.0,  # first retry waits about this long (seconds), doubling, with jitter
    "backoff_max": 30.0,
    "breaker": 5,  # consecutive failed requests before the provider is left alone for the run
    "concurrency": 2,  # requests in flight
    "on_build": False,  # may `invoke build` call the provider (else: memory only)
    "languages": None,  # target languages; None: every site language
    "max_chars": None,  # per request; None: the provider's own limit (PROVIDER_LIMITS)
    "region": None,  # Microsoft resource region (not a secret)
    # site language -> provider code, e.g. {"en": "EN-US"} for DeepL or {"en": "en-US"} for MyMemory
    "codes": {},
    "memory_dir": "translations",  # under the content folder (PATH)
    # Kept names (content/data/glossary.yaml, companies.yaml): "protect" sends them as
    # placeholders, so the provider never sees them; "check" sends them as text (some providers
    # inflect the words around a name better) and fails a segment that lost one.
    "glossary": "protect",
}
GLOSSARY_MODES = ("protect", "check")

# Characters per request. GET providers put the text in the URL, where percent-encoded French runs
# into URL-length 400s long before Google's 5,000-character check (deep-translator #224).
PROVIDER_LIMITS = {
    "google": 1800,
    "mymemory": 499,  # deep-translator refuses 500 and more
    "libre": 1800,  # deep-translator sends q as a query parameter of its POST
    "microsoft": 10000,
    "deepl": 10000,
    "none": 10000,
}

ENV_PROVIDER = "DIGEST_TRANSLATOR"
ENV_URL = "DIGEST_TRANSLATOR_URL"
ENV_KEY = "DIGEST_TRANSLATOR_KEY"
ENV_ON_BUILD = "DIGEST_TRANSLATE_ON_BUILD"


class ConfigError(ValueError):
    """A setting that cannot work (unknown provider, missing key): say so before any request."""


@dataclass(frozen=True)
class TranslationConfig:
    provider: str = "none"
    url: str | None = None
    key: str | None = field(default=None, repr=False)
    timeout: float = 10.0
    retries: int = 3
    backoff: float = 1.0
    backoff_max: float = 30.0
    breaker: int = 5
    concurrency: int = 2
    on_build: bool = False
    languages: tuple | None = None
    max_chars: int | None = None
    region: str | None = None
    codes: dict = field(default_factory=dict)
    memory_dir: str = "translations"
    glossary: str = "protect"

    @property
    def offline(self) -> bool:
        return self.provider == "none"

    @property
    def limit(self) -> int:
        return int(self.max_chars or PROVIDER_LIMITS.get(self.provider, 1800))

    def with_overrides(self, **values) -> "TranslationConfig":
        """Explicit values (command-line options) over settings and environment."""
        values = {k: v for k, v in values.items() if v is not None}
        if "provider" in values:
            values["provider"] = values["provider"].strip().lower()
            if values["provider"] not in PROVIDERS:
                raise ConfigError(f"unknown translation provider '{values['provider']}' "
                                  f"(use one of: {', '.join(PROVIDERS)})")
        return replace(self, **values)


def _truthy(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "yes", "on")


def load_config(settings: dict | None, environ=None) -> TranslationConfig:
    """Merge defaults, `settings["TRANSLATION"]` and the environment into one checked config."""
    environ = os.environ if environ is None else environ
    raw = dict(DEFAULTS)
    given = dict((settings or {}).get("TRANSLATION") or {})
    for secret in ("key", "api_key", "auth_key"):
        if given.pop(secret, None):
            logger.warning("TRANSLATION['%s'] is ignored: keys are read only from %s",
                           secret, ENV_KEY)
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        logger.warning("unknown TRANSLATION setting(s) ignored: %s", ", ".join(unknown))
    raw.update({k: v for k, v in given.items() if k in DEFAULTS})
    if environ.get(ENV_PROVIDER, "").strip():
        raw["provider"] = environ[ENV_PROVIDER].strip()
    if environ.get(ENV_URL, "").strip():
        raw["url"] = environ[ENV_URL].strip()
    if environ.get(ENV_ON_BUILD, "").strip():
        raw["on_build"] = _truthy(environ[ENV_ON_BUILD])
    key = environ.get(ENV_KEY, "").strip() or None
    provider = str(raw["provider"] or "none").strip().lower()
    if provider not in PROVIDERS:
        raise ConfigError(f"unknown translation provider '{provider}' "
                          f"(use one of: {', '.join(PROVIDERS)})")
    languages = raw["languages"]
    glossary = str(raw["glossary"] or "protect").strip().lower()
    if glossary not in GLOSSARY_MODES:
        raise ConfigError(f"unknown TRANSLATION['glossary'] '{glossary}' (use one of: "
                          f"{', '.join(GLOSSARY_MODES)})")
    return TranslationConfig(
        provider=provider,
        url=raw["url"] or None,
        key=key,
        timeout=float(raw["timeout"]),
        retries=max(0, int(raw["retries"])),
        backoff=max(0.0, float(raw["backoff"])),
        backoff_max=max(0.0, float(raw["backoff_max"])),
        breaker=max(1, int(raw["breaker"])),
        concurrency=max(1, int(raw["concurrency"])),
        on_build=bool(raw["on_build"]),
        languages=tuple(languages) if languages else None,
        max_chars=int(raw["max_chars"]) if raw["max_chars"] else None,
        region=raw["region"] or None,
        codes=dict(raw["codes"] or {}),
        memory_dir=str(raw["memory_dir"] or "translations"),
        glossary=glossary,
    )
