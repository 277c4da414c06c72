"""The registry: the real file loads, and every mistake an editor can make is named with file and id."""

import pytest

from companies.core import RegistryError, load_registry, parse_registry

REQUIRED = ["xai", "openai", "anthropic", "google", "meta", "microsoft", "mistral-ai", "nvidia", "apple",
            "amazon", "hugging-face", "deepseek"]


def problems_of(yaml_text, languages=None):
    with pytest.raises(RegistryError) as caught:
        parse_registry(yaml_text.encode("utf-8"), "data/companies.yaml", languages)
    return caught.value


def one(body, **extra):
    """A one-company registry with `body` lines added to a valid company."""
    return ("companies:\n  - id: acme\n    name: Acme\n"
            "    description: {fr: Une entreprise., en: A company.}\n" + body)


def test_real_registry_has_every_required_company_with_a_profile(registry):
    assert set(REQUIRED) <= set(registry.ids)
    for cid in REQUIRED:
        company = registry.companies[cid]
        assert company.name and company.website.startswith("https://"), cid
        assert 1800 < company.founded <= 2025, cid
        assert set(company.headquarters) >= {"fr", "en"}, cid
        for lang in ("fr", "en"):
            assert len(company.description[lang]) > 200, (cid, lang)


def test_real_registry_products_and_aliases(registry):
    companies = registry.companies
    assert "Grok" in companies["xai"].products
    assert {"ChatGPT", "GPT-4o", "GPT-4", "DALL-E", "Sora"} <= set(companies["openai"].products)
    assert "Claude" in companies["anthropic"].products
    assert {"Google DeepMind", "DeepMind", "Alphabet"} <= set(companies["google"].aliases)
    assert {"Gemini", "Bard"} <= set(companies["google"].products)
    assert {"Meta Platforms", "Facebook"} <= set(companies["meta"].aliases)
    assert "Llama" in companies["meta"].products
    assert {"Copilot", "Bing"} <= set(companies["microsoft"].products)
    assert {"Le Chat", "Mixtral", "Codestral"} <= set(companies["mistral-ai"].products)
    assert {"CUDA", "H100", "Blackwell"} <= set(companies["nvidia"].products)
    assert {"Siri", "Apple Intelligence"} <= set(companies["apple"].products)
    assert {"AWS", "Amazon Web Services"} <= set(companies["amazon"].aliases)
    assert {"Alexa", "Amazon Bedrock"} <= set(companies["amazon"].products)


def test_hidden_spellings_are_matched_but_not_shown(registry):
    openai = registry.companies["openai"]
    assert "DALL·E" not in openai.products
    assert any(f.text == "DALL·E" for f in openai.forms)


def test_the_display_name_is_always_a_form():
    registry = parse_registry(one("    aliases: [Acme Corp]\n").encode(), "x.yaml")
    assert [f.text for f in registry.companies["acme"].forms] == ["Acme", "Acme Corp"]


def test_load_registry_names_a_missing_file(tmp_path):
    with pytest.raises(RegistryError, match="cannot read the company registry"):
        load_registry(tmp_path / "companies.yaml")


def test_invalid_yaml_names_file_and_line():
    error = problems_of("companies:\n  - id: acme\n    name: [unclosed\n")
    assert str(error).startswith("data/companies.yaml: line ")


@pytest.mark.parametrize("body, expected", [
    ("    founded: two thousand\n", "company 'acme': 'founded' must be a year"),
    ("    founded: 2999\n", "company 'acme': 'founded' must be a year"),
    ("    website: acme.com\n", "company 'acme': 'website' must be an http(s) URL"),
    ("    aliases: [X]\n", "company 'acme': an alias needs a 'form' of at least two characters"),
    ("    aliases: Acme Corp\n", "company 'acme': 'aliases' must be a list"),
    ("    products: [{form: Widget, needs_cues: true}]\n",
     "company 'acme': product 'Widget': unknown field 'needs_cues'; did you mean 'needs_cue'?"),
    ("    products: [{form: Widget, needs_cue: yes please}]\n", "'needs_cue' must be true or false"),
    ("    products: [{form: Widget, needs_cue: true, cues: ['@nope']}]\n", "unknown cue set '@nope'"),
    ("    products: [{form: Widget, needs_cue: true, ambiguous: true}]\n", "exclude each other"),
    ("    products: [{form: Widget, cues: [gadget]}]\n", "only apply with needs_cue or ambiguous"),
    ("    products: [{form: Widget, versioned: maybe}]\n", "'versioned' must be true, false or 'required'"),
    ("    products: [Widget, widget]\n", "company 'acme': form 'widget' is listed twice"),
    ("    headquarter: Paris\n", "company 'acme': unknown field 'headquarter'; did you mean 'headquarters'?"),
    ("    logo: 3\n", "'logo' must be a path or URL"),
])
def test_company_mistakes_name_file_and_company(body, expected):
    error = problems_of(one(body))
    assert expected in str(error)
    assert all(line.startswith("data/companies.yaml: ") for line in str(error).splitlines())


def test_bad_ids_and_duplicates():
    error = problems_of("companies:\n"
                        "  - {id: Open_AI, name: OpenAI}\n"
                        "  - {id: acme, name: Acme}\n"
                        "  - {id: acme, name: Acme Two}\n"
                        "  - {id: other, name: Other, aliases: [ACME]}\n")
    text = str(error)
    assert "company #1: 'id' must be lowercase letters, digits and hyphens" in text
    assert "company 'acme': duplicate id" in text
    assert "company 'other': form 'ACME' is also a form of 'acme'; a form names one company" in text


def test_every_problem_is_reported_at_once():
    error = problems_of(one("    founded: 'soon'\n    website: nope\n"))
    assert len(error.problems) == 2


def test_descriptions_required_per_language_when_asked():
    text = "companies:\n  - id: acme\n    name: Acme\n    description: {fr: Une entreprise.}\n"
    assert parse_registry(text.encode(), "x.yaml").companies["acme"].description == {"fr": "Une entreprise."}
    error = problems_of(text, languages=["fr", "en"])
    assert "company 'acme': 'description' has no text for language 'en'" in str(error)


def test_top_level_mistakes():
    assert "expected a mapping with a 'companies' list" in str(problems_of("- acme\n"))
    assert "'window' must be a number of words" in str(problems_of("window: 0\n" + one("")))
    assert "unknown field 'windw'; did you mean 'window'?" in str(problems_of("windw: 3\n" + one("")))


def test_headquarters_may_be_one_text_for_every_language():
    registry = parse_registry(one("    headquarters: Paris\n").encode(), "x.yaml")
    assert registry.companies["acme"].headquarters == {"*": "Paris"}


def test_suggest_nearest_id(registry):
    assert registry.suggest("open-ai") == "openai"
    assert registry.suggest("mistral") == "mistral-ai"
    assert registry.suggest("zzzz") is None
