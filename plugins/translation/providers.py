"""Translation providers behind one small interface, with retries, a breaker and de-duplication.

`make_client(config).translate_many(segments, source, target) -> list[str]`: identical segments are
sent once (per run), requests go through a small thread pool, every request has a timeout (see
transport.py) and retryable faults are retried with backoff; when a segment cannot be translated the
call raises ProviderError carrying the segments that were.

Providers: google, libre, mymemory and microsoft through deep-translator's classes; deepl through
the official `deepl` package, because deep-translator's DeeplTranslator sends `auth_key` as a GET
parameter, which DeepL retired. How the DeepL path was checked without the real service: the
official client is pointed at a local fake API with its `server_url` parameter (tests/translation/
libre_server.py answers POST /v2/translate like DeepL: JSON body with `text` list, header
`Authorization: DeepL-Auth-Key ...`, JSON answer with `translations[].text`), and the test asserts
the request shape, the key header and the translated text.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from .config import ConfigError, TranslationConfig
from .transport import (GUARD, CircuitBreaker, Fault, ProviderError, RetryPolicy,
                        call_with_retry, exchange, guard_session, install)

logger = logging.getLogger(__name__)

DEFAULT_URLS = {
    "google": "https://translate.google.com/",
    "libre": "https://libretranslate.com/",
    "mymemory": "https://api.mymemory.translated.net/",
    "microsoft": "https://api.cognitive.microsofttranslator.com/",
    "deepl": None,  # the deepl package picks the free or pro server from the key
}
# LibreTranslate servers without keys ignore api_key, but deep-translator refuses an empty one.
LIBRE_NO_KEY = "no-key"


def _root(url: str | None, provider: str) -> str | None:
    url = url or DEFAULT_URLS[provider]
    return url if url is None or url.endswith("/") else url + "/"


class Provider:
    """One request translates `batch_size` texts. Subclasses implement `_translate_batch`."""

    name = "none"
    batch_size = 1

    def __init__(self, config: TranslationConfig):
        self.config = config
        self.root = _root(config.url, self.name) if self.name in DEFAULT_URLS else None

    def code(self, lang: str) -> str:
        return self.config.codes.get(lang, lang)

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        out = self._translate_batch(texts, self.code(source), self.code(target))
        if not isinstance(out, list) or len(out) != len(texts):
            raise ValueError("the provider returned a different number of texts")
        for text, result in zip(texts, out):
            if not isinstance(result, str) or (text.strip() and not result.strip()):
                raise _EmptyTranslation(text)
        return out

    def _translate_batch(self, texts, source, target):
        raise NotImplementedError


class _EmptyTranslation(ValueError):
    fault = Fault("empty", "the provider returned an empty translation", False)


class NoProvider(Provider):
    """`none`: no network at all. Asking it to translate is a programming error upstream."""

    name = "none"

    def _translate_batch(self, texts, source, target):
        raise ProviderError(Fault("offline", "translation provider is 'none'", False, fatal=True))


class _DeepTranslatorProvider(Provider):
    """deep-translator classes: one text per request, a fresh client per call (their state, such as
    GoogleTranslator._url_params, is per instance and not safe to share between threads)."""

    module = ""

    def __init__(self, config):
        super().__init__(config)
        import importlib

        install(importlib.import_module(f"deep_translator.{self.module}"))

    def _translate_batch(self, texts, source, target):
        client = self.client(source, target)
        return [self._one(client, text) for text in texts]

    def _one(self, client, text):
        return client.translate(text)

    def client(self, source, target):
        raise NotImplementedError


class GoogleProvider(_DeepTranslatorProvider):
    name, module = "google", "google"

    def client(self, source, target):
        from deep_translator import GoogleTranslator

        client = GoogleTranslator(source=source, target=target)
        client._base_url = self.root + "m"
        return client

    def _one(self, client, text):
        # GoogleTranslator returns None when the translation equals the input (names, numbers).
        result = client.translate(text)
        return text.strip() if result is None else result


class LibreProvider(_DeepTranslatorProvider):
    name, module = "libre", "libre"

    def client(self, source, target):
        from deep_translator import LibreTranslator

        # custom_url, not base_url, and it must end with "/": deep-translator appends "translate".
        return LibreTranslator(source=source, target=target,
                               api_key=self.config.key or LIBRE_NO_KEY, custom_url=self.root)


class MyMemoryProvider(_DeepTranslatorProvider):
    name, module = "mymemory", "mymemory"

    def code(self, lang):
        # MyMemory wants regional codes (fr-FR, en-GB); the site speaks in fr/en.
        if lang in self.config.codes:
            return self.config.codes[lang]
        from deep_translator.constants import MY_MEMORY_LANGUAGES_TO_CODES as codes

        values = list(codes.values())
        for guess in (f"{lang}-{lang.upper()}", "en-GB" if lang == "en" else None):
            if guess in values:
                return guess
        return next((v for v in values if v.split("-")[0] == lang), lang)

    def client(self, source, target):
        from deep_translator import MyMemoryTranslator

        client = MyMemoryTranslator(source=source, target=target)
        client._base_url = self.root + "get"
        return client


class MicrosoftProvider(_DeepTranslatorProvider):
    name, module = "microsoft", "microsoft"
    _languages: dict = {}
    _lock = threading.Lock()

    def __init__(self, config):
        if not config.key:
            raise ConfigError("provider 'microsoft' needs a key in DIGEST_TRANSLATOR_KEY")
        super().__init__(config)

    def client(self, source, target):
        from deep_translator.microsoft import MicrosoftTranslator

        provider = self

        class _Microsoft(MicrosoftTranslator):
            # deep-translator fetches the language list from a hard-coded address on every
            # construction; ours fetches it once, from the configured service.
            def _get_supported_languages(self):
                with provider._lock:
                    if provider.root not in provider._languages:
                        response = GUARD.get(
                            provider.root + "languages?api-version=3.0&scope=translation")
                        response.raise_for_status()
                        table = response.json()["translation"]
                        provider._languages[provider.root] = {
                            table[k]["name"].lower(): k.lower() for k in table}
                    return provider._languages[provider.root]

        client = _Microsoft(source=source, target=target, api_key=self.config.key,
                            region=self.config.region)
        client._base_url = self.root + "translate?api-version=3.0"
        return client

    def _one(self, client, text):
        result = client.translate(text)
        # It logs and swallows transport errors, then fails on None.json(): re-raise the real one.
        if exchange().error is not None:
            raise exchange().error
        return result


class DeepLProvider(Provider):
    """The official `deepl` client, one request for up to 50 texts, our timeout and retries."""

    name = "deepl"
    batch_size = 50
    REGIONAL = {"en": "EN-GB", "pt": "PT-PT"}  # DeepL refuses bare EN/PT as targets

    def __init__(self, config):
        if not config.key:
            raise ConfigError("provider 'deepl' needs a key in DIGEST_TRANSLATOR_KEY")
        super().__init__(config)
        self._local = threading.local()

    def code(self, lang):
        return self.config.codes.get(lang, lang)

    def _translator(self):
        if getattr(self._local, "translator", None) is None:
            import deepl

            translator = deepl.Translator(self.config.key, server_url=self.root,
                                          send_platform_info=False)
            translator._client = _single_attempt_client(self.config.timeout)
            self._local.translator = translator
        return self._local.translator

    def _translate_batch(self, texts, source, target):
        target_code = target.upper() if "-" in target else self.REGIONAL.get(target, target.upper())
        results = self._translator().translate_text(
            texts, source_lang=source.split("-")[0].upper(), target_lang=target_code,
            preserve_formatting=True)
        return [r.text for r in results]


def _single_attempt_client(timeout):
    """deepl's HttpClient retries 5 times with at least a 10 s timeout on its own; one attempt with
    our timeout keeps one retry policy and one breaker for every provider."""
    from deepl.exceptions import ConnectionException
    from deepl.http_client import HttpClient

    class SingleAttempt(HttpClient):
        def request_with_backoff(self, method, url, data, json, headers, stream=False, **kwargs):
            request = self._prepare_request(method, url, data, json, headers, **kwargs)
            try:
                status, content = self._internal_request(request, stream=stream, timeout=timeout)
            except ConnectionException as exc:
                exchange().error = exc.__cause__ or exc
                raise
            exchange().status = status
            return status, content

    client = SingleAttempt(send_platform_info=False)
    guard_session(client._session)  # the attempt's Deadline can cut its connections too
    return client


PROVIDER_CLASSES = {cls.name: cls for cls in (NoProvider, GoogleProvider, LibreProvider,
                                               MyMemoryProvider, MicrosoftProvider, DeepLProvider)}


class ProviderClient:
    """Run-wide access to one provider: de-duplication, thread pool, retries, circuit breaker."""

    def __init__(self, config: TranslationConfig, provider: Provider | None = None,
                 sleep=time.sleep):
        self.config = config
        self.provider = provider or PROVIDER_CLASSES[config.provider](config)
        self.name = self.provider.name
        self.limit = config.limit
        self.policy = RetryPolicy(config.retries, config.backoff, config.backoff_max)
        self.breaker = CircuitBreaker(config.breaker)
        self._sleep = sleep
        self._memo: dict[tuple, str] = {}  # (source, target, text) -> translation, for the run
        self._memo_lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self.sent = 0  # texts handed to the provider (each once, whatever the retries)

    def _executor(self):
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.config.concurrency,
                                            thread_name_prefix="translate")
        return self._pool

    def close(self):
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def available(self) -> bool:
        return not self.config.offline and not self.breaker.open

    def _batches(self, texts):
        batch, size = [], 0
        for text in texts:
            if batch and (len(batch) >= self.provider.batch_size or size + len(text) > self.limit):
                yield batch
                batch, size = [], 0
            batch.append(text)
            size += len(text)
        if batch:
            yield batch

    def _run_batch(self, batch, source, target):
        with self._memo_lock:
            self.sent += len(batch)
        out = call_with_retry(lambda: self.provider.translate_batch(batch, source, target),
                              timeout=self.config.timeout, policy=self.policy,
                              breaker=self.breaker, sleep=self._sleep)
        with self._memo_lock:
            for text, result in zip(batch, out):
                self._memo[(source, target, text)] = result
        return out

    def translate_many(self, segments: list[str], source: str, target: str,
                       fresh: bool = False) -> list[str]:
        """Translate each segment (identical ones once); raise ProviderError if any failed.
        `fresh`: ask again even for a segment already answered in this run (a retry after the
        answer failed its checks)."""
        todo = [t for t in dict.fromkeys(segments)
                if fresh or (source, target, t) not in self._memo]
        too_long = [t for t in todo if len(t) > self.limit]
        if too_long:
            raise ProviderError(Fault("too_long", f"a segment of {len(too_long[0])} characters "
                                      f"exceeds the provider limit of {self.limit}", False))
        if self.config.offline:
            raise ProviderError(Fault("offline", "translation provider is 'none'", False, True))
        futures = [self._executor().submit(self._run_batch, batch, source, target)
                   for batch in self._batches(todo)]
        first_fault = None
        for future in futures:
            try:
                future.result()
            except ProviderError as exc:
                first_fault = first_fault or exc.fault
            except Exception as exc:  # a bug in a provider class must not take the run down
                logger.exception("translation provider crashed")
                first_fault = first_fault or Fault("error", f"{type(exc).__name__}: {exc}", False)
        done = {t: self._memo[(source, target, t)] for t in dict.fromkeys(segments)
                if (source, target, t) in self._memo}
        if first_fault is not None:
            raise ProviderError(first_fault, partial=done)
        return [done[t] for t in segments]


def make_client(config: TranslationConfig, sleep=time.sleep) -> ProviderClient:
    """The client for config.provider; raises ConfigError when it cannot work (e.g. no key)."""
    return ProviderClient(config, sleep=sleep)
