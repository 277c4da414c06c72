"""Content files read once per build: their bytes, and the stamp Pelican's cache keeps for them.

On this kind of machine a system call costs microseconds, not nanoseconds, so the number of calls
per file shows in a build of thousands of files. Python's open() makes seven (open, two fstat, an
isatty ioctl, lseek, two reads, close); read_bytes makes four. Pelican hashes every content file
for its cache three times per build (CHECK_MODIFIED_METHOD), each time opening it again; here the
hash is taken once, from the very bytes the reader parsed, and remembered per file version.
"""

from __future__ import annotations

import hashlib
import os
import stat

from common.safety import ContentRefused

_stamps: dict = {}  # (path, mtime_ns, size, method) -> Pelican's stamp (the content's digest)
_read: dict = {}  # (path, method) -> stamp of the bytes read for this build (see new_build)
_LIMIT = 200_000  # a long-lived process (livereload) building many versions


def read_bytes(path) -> tuple[bytes, os.stat_result]:
    """The bytes of a file and its stat, with as few system calls as a read can make. A FIFO or a
    device is never read (O_NONBLOCK: opening a FIFO would wait for a writer): ContentRefused."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ContentRefused(path, "is not a regular file, and is skipped", fatal=False)
        data = os.read(fd, st.st_size + 1)
        if len(data) > st.st_size:  # it grew since fstat: read on to the end
            chunks = [data]
            while chunk := os.read(fd, 1 << 16):
                chunks.append(chunk)
            data = b"".join(chunks)
        return data, st
    finally:
        os.close(fd)


def key(path, st, method):
    return (path, st.st_mtime_ns, st.st_size, method)


def hashed_stamp(raw: bytes, method):
    """Pelican's stamp for content `raw` under CHECK_MODIFIED_METHOD, or None for methods that are
    not a hash (mtime: Pelican's own way is as cheap)."""
    func = getattr(hashlib, method, None) if isinstance(method, str) and method != "mtime" else None
    return func(raw).digest() if func is not None else None


def _keep(k, value):
    if len(_stamps) > _LIMIT:
        _stamps.clear()
    _stamps[k] = value


def remember(entry):
    """entry: (key, stamp) of bytes a reader parsed, possibly in a worker process. Until the next
    build, the cache stores that stamp with what was read (and no stat per cache write)."""
    if entry is None:
        return
    _keep(*entry)
    path, _mtime, _size, method = entry[0]
    _read[(path, method)] = entry[1]


def new_build():
    """Forget which bytes were read: a long-lived process (livereload) builds again after edits."""
    _read.clear()


def note(path, raw, st, method):
    """Remember the stamp of bytes just read; returns the entry for a parent process."""
    stamp = hashed_stamp(raw, method)
    if stamp is None:
        return None
    entry = (key(path, st, method), stamp)
    remember(entry)
    return entry


def stamp(path, method, compute):
    """The stamp of `path`: of the bytes read in this build if it was read, else of the file as it
    is now (remembered per version, else compute(path))."""
    value = _read.get((path, method))
    if value is not None:
        return value
    try:
        st = os.stat(path)
    except OSError:
        return compute(path)
    k = key(path, st, method)
    value = _stamps.get(k)
    if value is None:
        value = compute(path)
        _keep(k, value)
    return value
