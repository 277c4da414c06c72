"""What a company or topic page shows beyond its stories: the logo or monogram, the coverage per
month (drawn as inline SVG by the template, with a text alternative), the topics as proportions,
and the index cards. Plain data for templates; no Pelican import.
"""

from __future__ import annotations

import os
from collections import Counter

DEFAULT_COLOUR = "#0b57d0"  # the theme's accent: a company without a brand colour
PLOT_WIDTH, PLOT_HEIGHT = 600, 120  # the SVG's own units; CSS scales it to the column


def initials(name):
    """'HF' for Hugging Face, 'DS' for DeepSeek, 'xAI' for xAI, 'N' for Nvidia."""
    name = (name or "?").strip()
    if len(name) <= 3:
        return name
    words = name.split()
    if len(words) > 1:
        return (words[0][0] + words[1][0]).upper()
    capitals = [c for c in name[1:] if c.isupper()]
    return (name[0] + (capitals[0] if capitals else "")).upper()


def mark(term, lang, default_lang, content_path, siteurl, label):
    """The company's logo (a file under content/images/) or its monogram, for templates:
    {"logo": url or None, "initials", "colour", "label"}."""
    data = term.data or {}
    name = term.label(lang, default_lang)
    logo = data.get("logo")
    url = None
    if logo and "://" not in logo and ".." not in logo.replace("\\", "/").split("/"):
        relative = logo.replace("\\", "/").removeprefix("images/").lstrip("/")
        if os.path.isfile(os.path.join(content_path, "images", relative)):
            url = f"{siteurl}/images/{relative}"
    return {"logo": url, "initials": initials(name), "colour": data.get("color") or DEFAULT_COLOUR,
            "label": label}


def month_key(when):
    return when.year * 12 + when.month - 1


def coverage(stories, period, month_label, count_label, text):
    """Stories per month over `period` (first, last month key) as bars in the plot's units, with
    a table and a sentence for readers who cannot see it.

    month_label(year, month) -> "mars 2024"; count_label(n) -> "3 articles";
    text(**values) -> the sentence (ui.yaml coverage_text)."""
    counts = Counter(month_key(s.date) for s in stories)
    first, last = period
    months = list(range(first, last + 1))
    top = max(counts.values()) if counts else 0
    slot = PLOT_WIDTH / max(1, len(months))
    bars, rows = [], []
    for i, key in enumerate(months):
        n = counts.get(key, 0)
        year, month = divmod(key, 12)
        label = month_label(year, month + 1)
        height = round((PLOT_HEIGHT - 20) * n / top, 1) if top else 0
        bars.append({"x": round(i * slot + slot * 0.15, 1), "width": round(slot * 0.7, 1),
                     "y": round(PLOT_HEIGHT - 16 - height, 1), "height": height, "n": n,
                     "label": label})
        if n:
            rows.append({"label": label, "n": n})
    busiest = max(rows, key=lambda r: r["n"]) if rows else {"label": "", "n": 0}
    y0, m0 = divmod(first, 12)
    y1, m1 = divmod(last, 12)
    return {
        "bars": bars, "rows": rows, "width": PLOT_WIDTH, "height": PLOT_HEIGHT,
        "start": month_label(y0, m0 + 1), "end": month_label(y1, m1 + 1),
        "summary": text(count=count_label(len(stories)), start=month_label(y0, m0 + 1),
                        end=month_label(y1, m1 + 1), month=busiest["label"], n=busiest["n"]),
    }


def shares(stories, taxonomy, label_of, url_of, total_label, limit=6):
    """The terms of `taxonomy` the stories cover, as proportions of the stories:
    [{"label", "url", "n", "percent", "text"}], most covered first."""
    counts = Counter(t for s in stories for t in s.terms.get(taxonomy, ()))
    total = len(stories)
    out = []
    for term_id, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]:
        label = label_of(term_id)
        if label is None:
            continue
        out.append({"label": label, "url": url_of(term_id), "n": n,
                    "percent": round(100 * n / total) if total else 0,
                    "text": total_label(n, total)})
    return out
