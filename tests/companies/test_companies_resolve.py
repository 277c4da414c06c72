"""Front matter against detection, and the candidates report."""

from companies.core import describe, resolve_companies

KNOWN = ["openai", "anthropic", "google", "meta", "mistral-ai", "xai"]


def test_explicit_is_always_kept_even_when_not_detected():
    result = resolve_companies(["xai"], [], [], KNOWN)
    assert result.ids == ["xai"] and result.errors == []


def test_explicit_comes_first_then_detected_in_detection_order():
    result = resolve_companies(["meta"], ["openai", "meta", "google"], [], KNOWN)
    assert result.ids == ["meta", "openai", "google"]
    assert result.explicit == ["meta"] and result.detected == ["openai", "google"]


def test_veto_removes_detections_only():
    result = resolve_companies(["meta"], ["openai", "meta", "google"], ["meta", "google"], KNOWN)
    assert result.ids == ["meta", "openai"]
    assert result.vetoed == ["google"]
    assert result.overruled == ["meta"]  # named in both lists: the explicit list wins


def test_unknown_id_is_an_error_with_the_nearest_id():
    result = resolve_companies(["open-ai", "anthropic"], [], [], KNOWN)
    assert result.ids == ["anthropic"]
    (error,) = result.errors
    assert error.message == ("unknown company id 'open-ai' in companies; did you mean 'openai'? "
                             "Known ids are in content/data/companies.yaml")
    assert error.field == "companies" and error.fix == "write 'openai' instead of 'open-ai'"


def test_unknown_veto_is_an_error_too():
    (error,) = resolve_companies([], ["openai"], ["mistral"], KNOWN).errors
    assert error.field == "exclude_companies"
    assert "unknown company id 'mistral' in exclude_companies; did you mean 'mistral-ai'?" in error.message


def test_unknown_id_without_a_near_one():
    (error,) = resolve_companies(["zzz-corp"], [], [], KNOWN).errors
    assert error.message == "unknown company id 'zzz-corp' in companies; known ids are in content/data/companies.yaml"
    assert error.suggestion is None


def test_none_lists_are_empty_lists():
    assert resolve_companies(None, None, None, KNOWN).ids == []


def test_report_line_says_where_each_company_comes_from(detector, registry):
    text = "Anthropic a lancé Claude 3. Claude Monet. Google aussi."
    detection = detector.detect(text)
    result = resolve_companies(["xai"], detection.ids, ["google"], registry.ids)
    line = describe(result, detection)
    assert line.startswith("xai (front matter); anthropic (Anthropic, Claude)")
    assert "vetoed: google" in line
    assert "not counted: Claude (followed by 'Monet')" in line


POSTS = [
    "Perplexity lance un moteur de recherche. Selon Perplexity, la croissance continue. Stability AI aussi.",
    "Le PDG de Perplexity, Aravind Srinivas, répond. Stability AI publie un modèle. OpenAI se tait.",
    "En janvier, Cohere a levé des fonds. Mardi, Sam Altman a parlé. Lundi rien.",
    "Mardi, Cohere a signé avec Oracle. Janvier est calme. Sam Altman voyage. OpenAI répond.",
    "Perplexity seulement ici, avec Mistral AI et Hugging Face.",
]


def test_candidates_are_recurring_unknown_capitalised_names(detector):
    found = detector.candidates(POSTS)
    names = [name for name, _, _ in found]
    assert ("Perplexity", 4, 3) in found
    assert ("Stability AI", 2, 2) in found
    assert ("Cohere", 2, 2) in found
    assert names[0] == "Perplexity"  # most posts first
    for never in ("OpenAI", "Mistral AI", "Hugging Face",  # in the registry
                  "Sam Altman",  # a cue in the registry (a person), not a company
                  "Mardi", "Janvier", "Lundi", "Le", "En", "Selon",  # days, months, openers
                  "Oracle", "Aravind Srinivas"):  # one post only
        assert never not in names, never


def test_candidates_skip_title_case_headlines_and_numbers(detector):
    posts = ["OpenAI Unveils A Faster Model For Everyone. The R1 model and Acmecorp.",
             "Why The Faster Model Matters Now. R1 again and Acmecorp."]
    names = [name for name, _, _ in detector.candidates(posts)]
    assert names == ["Acmecorp"]
