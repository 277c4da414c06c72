"""The sample posts, built for real: each article page in each language links the topics and
companies its story must have, and none it must not (issue 5 #7, issue 6 #7)."""

import re

import pytest
from bs4 import BeautifulSoup

from support import page

ALL_TOPICS = {"open-source", "regulation", "legal", "funding", "safety", "hardware", "model-release",
              "deals", "research"}
ALL_COMPANIES = {"xai", "openai", "anthropic", "google", "meta", "microsoft", "mistral-ai", "nvidia",
                 "apple", "amazon", "hugging-face", "deepseek"}

# slug: (topics must, topics must not, companies must, companies must not ("*" = all others but
# the "may" ones listed after "~"))
TABLE = {
    "hugging-face-series-d": ({"funding", "open-source"}, {"legal", "regulation", "safety"},
                              {"hugging-face", "google", "amazon", "nvidia"}, "*"),
    "sommet-securite-ia-bletchley-park": ({"safety"}, {"funding", "legal", "hardware", "deals",
                                                       "open-source"}, set(), "*"),
    "new-york-times-poursuit-openai-microsoft": ({"legal"}, {"funding", "hardware", "open-source",
                                                             "safety"}, {"openai", "microsoft"}, "*"),
    "musk-sues-openai": ({"legal"}, {"hardware", "regulation", "safety", "model-release"},
                         {"openai", "microsoft"}, "*~xai"),
    "anthropic-claude-3": ({"model-release"}, {"legal", "funding", "regulation", "hardware", "deals",
                                               "open-source"}, {"anthropic"}, "*~openai,google"),
    "eu-ai-act-parliament-vote": ({"regulation"}, {"funding", "hardware", "deals", "open-source"},
                                  set(), "*"),
    "xai-open-source-grok": ({"open-source", "model-release"}, {"funding", "regulation", "deals"},
                             {"xai"}, "*~openai"),
    "nvidia-blackwell-b200-gtc": ({"hardware"}, {"legal", "funding", "regulation", "open-source",
                                                 "safety", "deals"}, {"nvidia"},
                                  "*~amazon,google,microsoft"),
    "microsoft-hires-mustafa-suleyman": ({"deals"}, {"funding", "legal", "hardware", "open-source",
                                                     "safety"}, {"microsoft"}, "*~google,openai"),
    "amazon-anthropic-4-milliards": ({"funding"}, {"open-source"}, {"amazon", "anthropic"},
                                     "*~google"),
    "meta-llama-3": ({"model-release", "open-source"}, {"legal", "funding", "regulation", "deals",
                                                        "safety"}, {"meta"}, "*"),
    "openai-gpt-4o": ({"model-release"}, {"legal", "funding", "regulation", "hardware", "deals",
                                          "open-source", "safety"}, {"openai"}, "*"),
    "apple-intelligence-wwdc": ({"deals"}, {"legal", "funding", "regulation", "open-source", "safety"},
                                {"apple", "openai"}, "*"),
    "mistral-ai-leve-600-millions": ({"funding"}, {"legal", "regulation", "safety"}, {"mistral-ai"},
                                     "*~nvidia,microsoft"),
    "eu-ai-act-enters-into-force": ({"regulation"}, {"funding", "hardware", "deals", "open-source"},
                                    set(), "*"),
    "alphafold-3-code-publie": ({"research", "open-source"}, {"legal", "funding", "regulation", "deals"},
                                {"google"}, "*"),
    "deepseek-r1": ({"model-release", "open-source"}, {"legal", "regulation", "safety", "deals"},
                    {"deepseek", "nvidia"}, "*~openai,hugging-face"),
}


def article_pages(out):
    found = {}
    for path in out.rglob("index.html"):
        m = re.fullmatch(r"(?:(en)/)?\d{4}/\d{2}/([a-z0-9-]+)/index\.html",
                         path.relative_to(out).as_posix())
        if m:
            found.setdefault(m.group(2), {})[m.group(1) or "fr"] = path
    return found


def linked(path, kind):
    doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    post = doc.select_one("article.post") or doc
    ids = set()
    for a in post.select(f"ul.chips .chip-{kind} a"):
        ids.add(a["href"].rstrip("/").rsplit("/", 1)[-1])
    return ids


def must_not(spec, must, universe):
    if spec == "*":
        return universe - must
    if spec.startswith("*~"):
        return universe - must - set(spec[2:].split(","))
    return set(spec)


@pytest.mark.parametrize("slug", sorted(TABLE))
def test_sample_post_terms_in_every_language(site, slug):
    topics_must, topics_not, companies_must, companies_spec = TABLE[slug]
    pages = article_pages(site["out"])[slug]
    assert set(pages) == {"fr", "en"} or pages, slug
    seen = []
    for lang, path in sorted(pages.items()):
        topics, companies = linked(path, "topics"), linked(path, "companies")
        assert topics_must <= topics, (lang, topics)
        assert not topics & topics_not, (lang, topics & topics_not)
        assert companies_must <= companies, (lang, companies)
        assert not companies & must_not(companies_spec, companies_must, ALL_COMPANIES), (lang, companies)
        seen.append((topics, companies))
    # A post and its translation carry the same topics and companies, computed once.
    assert all(s == seen[0] for s in seen), seen


def test_every_sample_story_is_in_the_table(site):
    assert set(article_pages(site["out"])) == set(TABLE)
