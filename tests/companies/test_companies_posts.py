"""The real sample posts in content/posts: the companies their pages must link, and must not.

`detected_must` lists what detection alone must find, so a post whose front matter already names a
company still proves the detector sees it. The files are read raw: the cleaning plugin, which drops
pasted boilerplate ("Partager sur Facebook") before detection in a build, does not run here.
"""

from pathlib import Path

import pytest

from companies_cases import check_post, post_case

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content" / "posts"

POSTS = [
    post_case("2023/hugging-face-series-d.md", must="hugging-face google amazon nvidia",
              detected_must="hugging-face google amazon nvidia", must_not="apple meta openai"),
    post_case("2023/new-york-times-poursuit-openai-microsoft.md", must="openai microsoft",
              detected_must="openai microsoft", must_not="google apple"),
    post_case("2023/sommet-securite-ia-bletchley-park.md",
              must_not="openai google meta anthropic microsoft apple amazon"),
    post_case("2024/amazon-anthropic-4-milliards.md", must="amazon anthropic",
              detected_must="amazon anthropic google", must_not="apple openai"),
    post_case("2024/anthropic-claude-3.md", must="anthropic openai google", detected_must="anthropic",
              must_not="apple meta"),
    post_case("2024/apple-intelligence-wwdc.md", must="apple openai", detected_must="apple openai",
              must_not="google microsoft"),
    post_case("2024/eu-ai-act-enters-into-force.md", must_not="openai google meta mistral-ai xai"),
    post_case("2024/eu-ai-act-parliament-vote.en.md", must_not="openai google meta mistral-ai xai"),
    post_case("2024/eu-ai-act-parliament-vote.fr.md", must_not="openai google meta mistral-ai xai"),
    post_case("2024/meta-llama-3.md", must="meta", detected_must="meta", must_not="google openai"),
    post_case("2024/microsoft-hires-mustafa-suleyman.md", must="microsoft", detected_must="microsoft",
              must_not="apple amazon"),
    post_case("2024/mistral-ai-leve-600-millions.md", must="mistral-ai", detected_must="mistral-ai nvidia",
              must_not="apple"),
    post_case("2024/musk-sues-openai.md", must="openai microsoft xai", detected_must="openai xai",
              must_not="apple meta"),
    post_case("2024/nvidia-blackwell-b200-gtc.md", must="nvidia", detected_must="nvidia",
              must_not="meta openai xai", note="exclude_companies vetoes the labs named as buyers"),
    post_case("2024/openai-gpt-4o.en.md", must="openai", detected_must="openai",
              must_not="microsoft google"),
    post_case("2024/openai-gpt-4o.fr.md", must="openai", detected_must="openai",
              must_not="microsoft google"),
    post_case("2024/xai-open-source-grok.md", must="xai openai", detected_must="xai openai",
              must_not="google"),
    post_case("2024/alphafold-3-code-publie.md", must="google", detected_must="google",
              must_not="nvidia openai microsoft"),
    post_case("2025/deepseek-r1.en.md", must="deepseek openai nvidia", detected_must="deepseek",
              must_not="hugging-face meta"),
    post_case("2025/deepseek-r1.fr.md", must="deepseek openai nvidia", detected_must="deepseek",
              must_not="hugging-face meta"),
]


@pytest.mark.parametrize("expected", POSTS, ids=lambda p: p.path)
def test_sample_post_companies(detector, expected):
    if not (CONTENT / expected.path).exists():
        pytest.skip(f"{expected.path} is not in content/posts any more")
    assert check_post(detector, CONTENT, expected) == []


def test_every_sample_post_has_a_row():
    """A new sample post gets a row here, so its companies are checked too."""
    listed = {p.path for p in POSTS}
    present = {p.relative_to(CONTENT).as_posix() for p in CONTENT.rglob("*.md")}
    assert present - listed == set()
