"""The one exception the authoring commands let out: its message is what the editor reads."""


class AuthoringError(Exception):
    """A problem the editor can act on (bad input, unreachable page, file already there)."""
