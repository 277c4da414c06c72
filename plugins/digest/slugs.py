"""The one slug function: `invoke new`, `invoke import` and the build make every URL slug here.

Letters are transliterated, not dropped: cœur -> coeur, Œuvres -> oeuvres, Straße -> strasse,
Ærø -> aero, ça -> ca (Unidecode, which Pelican itself depends on); anything that is not a letter
or a digit becomes one hyphen.
"""

import re

from unidecode import unidecode

MAX_LENGTH = 80
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    ascii_text = unidecode(str(text)).lower()
    return _SEPARATORS.sub("-", ascii_text).strip("-")[:MAX_LENGTH].strip("-")
