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

_stamps: dict = {}  # (path, mtime_ns, size, method) -> Pelican's stamp (the content's digest)
_read: dict = {}  # (path, method) -> stamp of the bytes read for this build (see new_build)
_LIMIT = 200_000  # a long-lived process (livereload) building many versions


def read_bytes(path) -> tuple[bytes, os.stat_result]:
    """The bytes of a file and its stat, with as few system calls as a read can make."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        chunks = [os.read(fd, st.st_size + 1)]
        while len(chunks[-1]) and sum(map(len, chunks)) > st.st_size:  # grew since fstat
            chunks.append(os.read(fd, 1 << 16))
        return b"".join(chunks), st
    finally:
        os.close(fd)


def key(path, st, method):
    return (path, st.st_mtime_ns, st.st_size, method)


def hashed_stamp(raw: bytes, method):
    """Pelican's stamp for content `raw` under CHECK_MODIFIED_METHOD, or None for methods that are
    not a hash (mtime: Pelican's own way is as cheap)."""
    func = getattr(hashlib, method, None) if isinstance(method, str) and method != "mtime" else None
    return func(raw).digest() if func is not None else None


def remember(entry):
    """entry: (key, stamp) from a reader, possibly in a worker process. Until the next build, the
    cache stores that stamp with what was read: the stamp of the very bytes that were parsed, and
    no stat per cache write."""
    if entry is None:
        return
    if len(_stamps) > _LIMIT:
        _stamps.clear()
    _stamps[entry[0]] = entry[1]
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
        remember((k, value))
    return value
