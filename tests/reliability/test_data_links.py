"""Every loader of an editor's data file follows the link rule itself: a content/data file that is
a link out of content/ is never read, whoever reads it (the build also reports it as an error)."""

import os

import pytest

SECRET = "CANARY-DATA-7f3a"


@pytest.fixture
def linked_data(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text(f"topics: []\ncompanies: []\nkeep: [{SECRET}]\n", encoding="utf-8")
    data = tmp_path / "project" / "content" / "data"
    data.mkdir(parents=True)
    for name in ("topics.yaml", "companies.yaml", "cleaning.yaml", "glossary.yaml"):
        os.symlink(outside, data / name)
    return data


def test_the_topic_taxonomy_is_not_read_through_a_link(linked_data):
    from topics.taxonomy import TaxonomyError, load_taxonomy

    with pytest.raises(TaxonomyError, match="cannot read the topic taxonomy .*outside"):
        load_taxonomy(linked_data / "topics.yaml")


def test_the_company_registry_is_not_read_through_a_link(linked_data):
    from companies.registry import RegistryError, load_registry

    with pytest.raises(RegistryError, match="cannot read the company registry"):
        load_registry(linked_data / "companies.yaml")


def test_the_cleaning_rules_are_not_read_through_a_link(linked_data):
    from cleaning.rules import RulesError, load_rules

    with pytest.raises(RulesError, match="cannot be read"):
        load_rules(str(linked_data / "cleaning.yaml"))


def test_the_glossary_is_not_read_through_a_link(linked_data):
    from translation.glossary import GlossaryError, load_glossary

    with pytest.raises(GlossaryError) as failed:
        load_glossary(linked_data.parent, languages=("fr", "en"))
    assert SECRET not in str(failed.value)
