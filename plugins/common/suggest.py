"""'Did you mean ...?' for a value that is not one of the known ones."""

from __future__ import annotations

import difflib

CUTOFF = 0.6  # difflib's own: below it the closest name is rarely what was meant


def closest(value, choices, *, cutoff: float = CUTOFF):
    """The known choice `value` most likely stands for, or None. Case does not count; a misspelling
    (difflib's ratio at least `cutoff`) comes first, then the shortest choice that `value` begins
    (an editor typing the start of a long slug)."""
    by_folded = {str(c).lower(): str(c) for c in sorted(choices, key=str)}
    wanted = str(value).lower()
    if wanted in by_folded:
        return by_folded[wanted]
    match = difflib.get_close_matches(wanted, list(by_folded), n=1, cutoff=cutoff)
    if match:
        return by_folded[match[0]]
    started = sorted((c for c in by_folded if wanted and c.startswith(wanted)), key=len)
    return by_folded[started[0]] if started else None
