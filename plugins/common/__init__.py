"""Helpers every plugin shares, one module per idea, none of them importing Pelican.

- `files`: write a file so that a reader, or a crash, sees the old file or the new one.
- `suggest`: the known name an unknown id, field or setting most likely misspells ("did you mean").
"""
