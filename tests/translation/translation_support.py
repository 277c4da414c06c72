"""Helpers shared by the translation tests (a uniquely named module: tests/conftest.py is also
called conftest, so `from conftest import` would be ambiguous across the suite)."""

import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EN_MEMORY = Path("content/translations/en/2024/ia-generative.md")
FR_MEMORY = Path("content/translations/fr/2024/open-models.md")
FAST = ["--no-progress", "--timeout", "0.5", "--retries", "1", "--backoff", "0.01",
        "--concurrency", "2"]


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


def build(content, tmp, **translation):
    """A real build with the real pelicanconf.py (every plugin) of `content` into tmp/output.
    Returns (report, output folder)."""
    from pelican import Pelican
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(content), "OUTPUT_PATH": str(tmp / "output"), "CACHE_PATH": str(tmp / "cache"),
        "SITEURL": "http://site.test", "TRANSLATION": translation})
    Pelican(settings).run()
    return settings["DIGEST_REPORT"], tmp / "output"
