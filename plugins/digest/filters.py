"""Jinja filters the theme needs, kept few: templates get values ready-made (see views.py)."""

import json

from markupsafe import Markup


def jsonld(data):
    """JSON for a <script type="application/ld+json"> block: '<', '>' and '&' are escaped, so a
    '</script>' in a title cannot close the block."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


FILTERS = {"jsonld": jsonld}
