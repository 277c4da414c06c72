"""Replacing a file in one step: a build killed midway, or a reader racing the writer, sees the old
file or the new one, never half of either."""

from __future__ import annotations

import contextlib
import os
import tempfile

TEMP_SUFFIX = ".tmp"  # .gitignore has *.tmp, and Pelican reads only .md: a left-over is never content


@contextlib.contextmanager
def replacing(path, *, binary: bool = False, durable: bool = True, opener=None):
    """A file open for writing whose content replaces `path` when the block ends without error.

    The temporary file has a unique name in the same folder (two writers never share one, and the
    rename stays on one file system); on error it is removed and `path` is left as it was.
    `durable` syncs the data and the folder, so the new file survives a power cut: what an editor
    wrote needs it, a cache that the next build can make again does not. `opener(temp_path)` opens
    the temporary file another way (a compressing writer, say)."""
    path = os.fspath(path)
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=TEMP_SUFFIX)
    try:
        if opener is None:
            fh = os.fdopen(fd, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8", "newline": "\n"}))
        else:
            os.close(fd)
            fh = opener(temp)
        with fh:
            yield fh
            if durable:
                fh.flush()
                with contextlib.suppress(AttributeError, OSError, ValueError):
                    os.fsync(fh.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    if durable:
        _sync_folder(folder)


def atomic_write(path, data, *, durable: bool = True) -> None:
    """Write `data` (str: UTF-8 with "\n" line ends; bytes: as they are) to `path` in one step."""
    with replacing(path, binary=isinstance(data, bytes), durable=durable) as fh:
        fh.write(data)


def _sync_folder(folder):
    # A rename survives a power cut only once its folder is synced.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
