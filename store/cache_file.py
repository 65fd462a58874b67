"""A file of the cache folder that is used only when it is whole and made from what is asked for.

Layout: a first line naming what the file holds and its version, the 20-byte key of what it was made
from, the BLAKE2b digest of the body, then the body.  The key comes first so a file made from
something else is turned down after reading its first bytes, not its megabytes.  A file that is
damaged, cut short, of another version or made from something else reads as nothing; one that cannot
be written is not kept (the caller makes the thing again next time).  Files are private (0600): they
may hold what the user wrote.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import time
from pathlib import Path

from .storage import remove_stale_temporaries

KEY_SIZE = 20
_CHECK = 32
#: A save killed midway leaves its temporary file: the next save clears those older than this (ns).
_STALE_NS = 60 * 10**9


def write_cache(path: Path, magic: bytes, key: bytes, body: bytes) -> bool:
    """Write ``body``, made from ``key``, to ``path`` (in place of the file before, whole or not at
    all); False when it could not be written."""
    if len(key) != KEY_SIZE:
        raise ValueError(f"a cache key is {KEY_SIZE} bytes")
    check = hashlib.blake2b(body, digest_size=_CHECK).digest()
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # what a save killed midway left (another zhenggai's save under way is younger)
        remove_stale_temporaries(path, time.time_ns() - _STALE_NS)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(magic + key + check)
                file.write(body)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


def read_cache(path: Path, magic: bytes, key: bytes) -> bytes | None:
    """The body of ``path`` when it holds ``magic``'s kind, was made from ``key`` and is whole."""
    head = len(magic) + KEY_SIZE
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a pipe put there: no wait
        with os.fdopen(handle, "rb") as file:
            if not stat.S_ISREG(os.fstat(handle).st_mode):
                return None
            if file.read(head) != magic + key:
                return None  # of another kind or version, or made from something else
            check = file.read(_CHECK)
            body = file.read()
    except OSError:
        return None
    if hashlib.blake2b(body, digest_size=_CHECK).digest() != check:
        return None  # damaged or cut short
    return body
