"""Authoring: turn an article read elsewhere into a post, and start an empty one.

Pure cores, no Pelican import: tasks.py (`invoke new`, `invoke import`) reads the settings and calls
`posts.new_post` and `importer.import_source`; every failure an editor can fix is an `AuthoringError`
whose message is one line.
"""

from .errors import AuthoringError

__all__ = ["AuthoringError"]
