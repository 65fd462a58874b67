"""The document last read or written per store file, reused while the file is still that one.

TinyDB reads the whole file before every operation; parsing and checking it is most of a save's time
at 10,000 notes.  The document is reused while the file's identity (inode, size, mtime, ctime) is the
same.  Every save replaces the file (a new inode, new times), so another process's save is always seen;
an in-place edit of the same size within the timestamps' grain of our save (nothing but a program that
ignores the lock does that) is caught by comparing the file's bytes with what was written or read.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .encoded import Pieces

#: How far apart two changes of a file must be for its timestamps to tell them apart: on a file system
#: with whole-second timestamps (FAT: 2 s, HFS+, ext3: 1 s), and on one with finer timestamps (ext4,
#: btrfs, xfs, tmpfs, APFS, NTFS: set from a clock that ticks every 16 ms or faster).
COARSE_GRAIN_NS, FINE_GRAIN_NS = 2_000_000_000, 100_000_000

Signature = tuple[int, int, int, int]


@dataclass(slots=True)
class _Known:
    """A document this process read or wrote, checked, and the file's (inode, size, mtime, ctime) then."""

    signature: Signature
    document: dict[str, Any]
    payload: Pieces | None
    """The file's bytes (in pieces) while a change could still leave the signature as it was (the same
    size within the timestamps' grain): then the file is compared with them.  None once the signature
    alone tells."""


#: The last document read (and checked) or written per file.
_CACHE: dict[Path, _Known] = {}


def signature(path: Path) -> Signature | None:
    """The file's (inode, size, mtime, ctime), None when it cannot be looked at."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _settled(identity: Signature, seen_at_ns: int) -> bool:
    """True when a file seen with ``identity`` at ``seen_at_ns`` cannot change without its signature
    changing too: its last change is older than the timestamps' grain (the coarse one unless both its
    times have a fraction of a second)."""
    _, _, mtime, ctime = identity
    fine = mtime % 1_000_000_000 and ctime % 1_000_000_000
    return seen_at_ns - max(mtime, ctime) > (FINE_GRAIN_NS if fine else COARSE_GRAIN_NS)


def remembered(path: Path) -> dict[str, Any] | None:
    """The document last read or written here for ``path`` if the file on disk is still that one (else
    None, and it is forgotten).  Treat it as read-only."""
    known = _CACHE.get(path)
    if known is None:
        return None
    if signature(path) != known.signature:
        _CACHE.pop(path, None)
        return None
    if known.payload is not None:
        seen_at = time.time_ns()
        same = holds(path, known.payload) and signature(path) == known.signature
        if not same:
            _CACHE.pop(path, None)
            return None
        if _settled(known.signature, seen_at):
            known.payload = None
    return known.document


def holds(path: Path, payload: Pieces, chunk: int = 1 << 20) -> bool:
    """True when the file's bytes are exactly ``payload``'s pieces one after the other (read a chunk at
    a time, whatever the pieces' sizes: a store's hundreds of lines are not hundreds of reads; no second
    copy)."""
    buffer = bytearray(chunk)
    into = memoryview(buffer)
    pieces = iter(payload)
    piece, at = memoryview(b""), 0  # the piece being compared, and how much of it is done
    try:
        with path.open("rb", buffering=0) as file:
            while got := file.readinto(into):
                done = 0
                while done < got:
                    while at == len(piece):
                        piece, at = memoryview(next(pieces)), 0  # StopIteration: the file is longer
                    size = min(got - done, len(piece) - at)
                    # a bytearray against a view: memcmp (two views compare byte by byte, 10x slower)
                    if buffer[done : done + size] != piece[at : at + size]:
                        return False
                    done, at = done + size, at + size
    except (OSError, StopIteration):
        return False
    return at == len(piece) and not any(map(len, pieces))  # nothing written is missing from the file


def forget(path: Path) -> None:
    """Drop the remembered document of ``path`` (it may hold a change that was not saved)."""
    _CACHE.pop(path, None)


def remember(
    path: Path, document: dict[str, Any], payload: Pieces, seen: tuple[Signature, int] | None
) -> None:
    """Keep ``document`` (parsed from, or written as, ``payload``) for ``path``; ``seen`` is the signature
    and time taken before reading it (None: just written); nothing is kept if the file changed since."""
    found = signature(path)
    if found is None or (seen is not None and seen[0] != found):
        _CACHE.pop(path, None)
        return
    settled = seen is not None and _settled(found, seen[1])
    _CACHE[path] = _Known(found, document, None if settled else payload)
