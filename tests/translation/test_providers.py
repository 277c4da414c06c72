"""Providers through their real clients against the local fake server: faults, limits, breaker."""

import time

import pytest
from translation_support import fast_translation
from libre_server import FakeTranslator, free_port
from translation.config import ConfigError, load_config
from translation.providers import make_client
from translation.transport import ProviderError, RetryPolicy


def client_for(url, provider="libre", environ=None, **extra):
    settings = {"TRANSLATION": {**fast_translation(url, provider=provider), **extra}}
    return make_client(load_config(settings, environ=environ or {}))


def test_libre_through_deep_translator(libre_server):
    with client_for(libre_server.url) as client:
        out = client.translate_many(["Bonjour le monde", "Salut ⟦1⟧", "Bonjour le monde"], "fr", "en")
    assert out == ["EN:Bonjour EN:le EN:monde", "EN:Salut ⟦1⟧", "EN:Bonjour EN:le EN:monde"]
    assert libre_server.count == 2  # identical segments are sent once
    params = libre_server.requests[0]["params"]
    assert {params["source"], params["target"], params["format"]} == {"fr", "en", "text"}
    assert params["api_key"]  # deep-translator refuses an empty key, a keyless server ignores it


def test_identical_segments_are_sent_once_per_run(libre_server):
    with client_for(libre_server.url) as client:
        client.translate_many(["Un", "Deux"], "fr", "en")
        client.translate_many(["Deux", "Trois"], "fr", "en")
    assert sorted(libre_server.texts) == ["Deux", "Trois", "Un"]


def test_429_then_success_is_retried(libre_server):
    libre_server.fail_next(429, times=2)
    with client_for(libre_server.url) as client:
        assert client.translate_many(["Bonjour"], "fr", "en") == ["EN:Bonjour"]
    assert libre_server.count == 3


def test_500_gives_up_after_the_retries(libre_server):
    libre_server.mode = "error"
    with client_for(libre_server.url, breaker=100) as client, pytest.raises(ProviderError) as err:
        client.translate_many(["Bonjour"], "fr", "en")
    assert err.value.fault.kind == "server_error" and "HTTP 500" in str(err.value)
    assert libre_server.count == 3  # one try and 2 retries


def test_a_slow_server_hits_the_timeout_in_bounded_time(libre_server):
    libre_server.reset(mode="slow", delay=5)
    started = time.perf_counter()
    with client_for(libre_server.url, timeout=0.2, retries=1) as client, \
            pytest.raises(ProviderError) as err:
        client.translate_many(["Bonjour"], "fr", "en")
    elapsed = time.perf_counter() - started
    assert err.value.fault.kind == "timeout"
    assert elapsed < 1.5, elapsed  # 2 attempts of 0.2 s plus a tiny backoff, not 5 s
    assert libre_server.count == 2


@pytest.mark.parametrize("mode", ["trickle", "trickle_headers"])
def test_a_server_that_trickles_bytes_is_cut_off_at_the_deadline(libre_server, mode):
    """Each byte comes well within the per-read timeout, so only a whole-request deadline ends
    it: the client hangs up long before the answer is complete (the server counts what it got
    out, so this needs no clock)."""
    libre_server.reset(mode=mode, delay=0.05)  # a full answer takes several seconds
    with client_for(libre_server.url, timeout=0.4, retries=0, breaker=10) as client, \
            pytest.raises(ProviderError) as err:
        client.translate_many(["Bonjour le monde entier"], "fr", "en")
    assert err.value.fault.kind == "timeout" and "no complete answer" in err.value.fault.message
    deadline = time.monotonic() + 10
    while not libre_server.hung_up and time.monotonic() < deadline:
        time.sleep(0.05)  # the server notices the hang-up at its next byte
    assert libre_server.hung_up
    assert libre_server.trickled < 40  # of more than 60 bytes: the answer never completed


def test_a_huge_answer_is_refused_before_it_is_read(libre_server):
    libre_server.mode = "huge"
    with client_for(libre_server.url, retries=0) as client, pytest.raises(ProviderError) as err:
        client.translate_many(["Bonjour"], "fr", "en")
    assert err.value.fault.kind == "oversized" and "larger than" in err.value.fault.message


def test_invalid_json_is_a_clear_fault(libre_server):
    libre_server.mode = "invalid_json"
    with client_for(libre_server.url) as client, pytest.raises(ProviderError) as err:
        client.translate_many(["Bonjour"], "fr", "en")
    assert err.value.fault.kind == "invalid_response" and "JSON" in str(err.value)
    assert libre_server.count == 1  # not retried: the same answer would come back


def test_connection_refused_is_retried_then_reported():
    url = f"http://127.0.0.1:{free_port()}/"
    with client_for(url) as client, pytest.raises(ProviderError) as err:
        client.translate_many(["Bonjour"], "fr", "en")
    assert err.value.fault.kind == "connection"


def test_the_breaker_stops_calling_a_failing_provider(libre_server):
    libre_server.mode = "error"
    segments = [f"Phrase {i}" for i in range(50)]
    with client_for(libre_server.url, breaker=4, retries=3, concurrency=2) as client:
        with pytest.raises(ProviderError) as err:
            client.translate_many(segments, "fr", "en")
        assert client.breaker.open
        with pytest.raises(ProviderError):  # later calls do not even try
            client.translate_many(["Encore"], "fr", "en")
    assert err.value.fault.kind in ("server_error", "circuit_open")
    assert libre_server.count <= 4 + 2  # threshold, plus what was already in flight


def test_partial_results_travel_with_the_error(libre_server):
    with client_for(libre_server.url, breaker=100, concurrency=1) as client:
        client.translate_many(["Un"], "fr", "en")
        libre_server.mode = "error"
        with pytest.raises(ProviderError) as err:
            client.translate_many(["Un", "Deux"], "fr", "en")
    assert err.value.partial == {"Un": "EN:Un"}


def test_segments_over_the_limit_are_refused_before_any_request(libre_server):
    with client_for(libre_server.url, max_chars=10) as client, pytest.raises(ProviderError):
        client.translate_many(["x" * 11], "fr", "en")
    assert libre_server.count == 0


@pytest.mark.parametrize("provider", ["google", "mymemory"])
def test_get_providers_through_deep_translator(libre_server, provider):
    with client_for(libre_server.url, provider=provider) as client:
        assert client.translate_many(["Un ⟦1⟧ texte"], "fr", "en") == ["EN:Un ⟦1⟧ EN:texte"]
        assert client.limit == {"google": 1800, "mymemory": 499}[provider]
    request = libre_server.requests[-1]
    assert request["method"] == "GET"
    if provider == "mymemory":
        assert request["params"]["langpair"] == "fr-FR|en-GB"


def test_microsoft_through_deep_translator(libre_server):
    with client_for(libre_server.url, provider="microsoft",
                    environ={"DIGEST_TRANSLATOR_KEY": "k"}) as client:
        assert client.translate_many(["Un", "Deux"], "fr", "en") == ["EN:Un", "EN:Deux"]
    paths = [r["path"] for r in libre_server.requests]
    assert paths.count("/languages") == 1  # fetched once, from the configured service
    assert libre_server.requests[-1]["headers"]["Ocp-Apim-Subscription-Key"] == "k"


def test_deepl_through_the_official_client(libre_server):
    """How DeepL was checked without the service: the official client, pointed at the fake API
    with server_url; one request carries the whole batch, the key goes in the header."""
    with client_for(libre_server.url, provider="deepl",
                    environ={"DIGEST_TRANSLATOR_KEY": "secret:fx"}) as client:
        assert client.translate_many(["Un", "Deux"], "fr", "en") == ["EN:Un", "EN:Deux"]
    request = libre_server.requests[-1]
    assert libre_server.count == 1 and request["path"] == "/v2/translate"
    assert request["headers"]["Authorization"] == "DeepL-Auth-Key secret:fx"
    assert request["body"]["target_lang"] == "EN-GB" and request["body"]["source_lang"] == "FR"


def test_deepl_faults_use_our_retries(libre_server):
    libre_server.fail_next(429, times=1)
    with client_for(libre_server.url, provider="deepl",
                    environ={"DIGEST_TRANSLATOR_KEY": "k"}) as client:
        assert client.translate_many(["Un"], "fr", "en") == ["EN:Un"]
    assert libre_server.count == 2


@pytest.mark.parametrize("provider", ["deepl", "microsoft"])
def test_providers_that_need_a_key_say_so(provider):
    with pytest.raises(ConfigError, match="DIGEST_TRANSLATOR_KEY"):
        client_for("http://127.0.0.1:1/", provider=provider)


def test_environment_overrides_settings_and_keys_come_only_from_it():
    settings = {"TRANSLATION": {"provider": "google", "url": "http://a/", "key": "in-git!"}}
    config = load_config(settings, environ={"DIGEST_TRANSLATOR": "libre",
                                            "DIGEST_TRANSLATOR_URL": "http://b/"})
    assert (config.provider, config.url, config.key) == ("libre", "http://b/", None)
    config = load_config(settings, environ={"DIGEST_TRANSLATOR_KEY": "from-env"})
    assert config.key == "from-env" and "from-env" not in repr(config)
    assert load_config(settings, environ={"DIGEST_TRANSLATOR": "none"}).offline
    with pytest.raises(ConfigError):
        load_config({"TRANSLATION": {"provider": "babelfish"}}, environ={})


def test_provider_none_never_touches_the_network():
    config = load_config({}, environ={})
    assert config.provider == "none" and config.offline
    with make_client(config) as client, pytest.raises(ProviderError) as err:
        client.translate_many(["Bonjour"], "fr", "en")
    assert err.value.fault.kind == "offline"


def test_backoff_grows_with_jitter_and_is_capped():
    policy = RetryPolicy(retries=5, backoff=1.0, backoff_max=4.0)
    from translation.transport import Fault

    fault = Fault("server_error", "x", True)
    delays = [policy.delay(n, fault) for n in range(5)]
    assert 0.5 <= delays[0] <= 1.0 and 1.0 <= delays[1] <= 2.0
    assert all(d <= 4.0 for d in delays)


def test_a_second_server_is_independent():
    with FakeTranslator() as one, FakeTranslator() as two:
        with client_for(one.url) as client:
            client.translate_many(["Un"], "fr", "en")
        assert (one.count, two.count) == (1, 0)
