"""Fixtures for translation tests: the fake provider, a small content folder, fast settings."""

import os
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
for path in (ROOT / "plugins", Path(__file__).resolve().parent):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from libre_server import FakeTranslator  # noqa: E402


@pytest.fixture(autouse=True)
def _no_provider_from_the_environment(monkeypatch):
    """A developer's DIGEST_TRANSLATOR* must never send test text to a real service."""
    for name in ("DIGEST_TRANSLATOR", "DIGEST_TRANSLATOR_URL", "DIGEST_TRANSLATOR_KEY",
                 "DIGEST_TRANSLATE_ON_BUILD", "LIBRE_API_KEY", "MICROSOFT_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def libre_server():
    """A started LibreTranslate-compatible server on 127.0.0.1 (see libre_server.py)."""
    with FakeTranslator() as server:
        yield server


def fast_translation(url, **extra):
    """TRANSLATION settings for tests: tiny timeouts and backoff so faults cost milliseconds."""
    return {"provider": "libre", "url": url, "timeout": 0.5, "retries": 2, "backoff": 0.01,
            "backoff_max": 0.05, "breaker": 4, "concurrency": 2, "on_build": True, **extra}


FR_POST = """\
---
title: "L'IA générative en entreprise"
date: 2024-03-13 10:30
lang: fr
summary: Un résumé court avec un [lien](https://exemple.fr/resume).
source: https://exemple.fr/article
source_name: Exemple
tags: []
---

## Ce qui change

Les entreprises adoptent des modèles de langue. Voir [le rapport](https://exemple.fr/rapport "Rapport") et ![un graphique](/images/graphique.png).

- Premier point **important**
- Deuxième point avec `du_code()` en ligne

```python
print("jamais traduit")
```

> Une citation d'un dirigeant.

Dernier paragraphe : https://exemple.fr/fin reste tel quel.
"""

EN_POST = """\
---
title: Open models catch up
date: 2024-04-02 09:00
lang: en
---

# What happened

A new open model was released. Read [the paper](https://example.org/paper).

1. First finding
2. Second finding
"""


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path):
    """A project folder with content/posts holding one French and one English post."""
    content = tmp_path / "content"
    write(content / "posts" / "2024" / "ia-generative.md", FR_POST)
    write(content / "posts" / "2024" / "open-models.md", EN_POST)
    return tmp_path
