"""A folder opened in one read: the corpus store's snapshot of what a load found.

Opening thousands of files one by one — a path object, a store lookup and a JSON decode for each —
costs about a second per 10,000 notices before anything is shown.  After a load, the corpus store keeps
a *snapshot* of it: for the folders and files asked for, every file's status (size, times, inode, mode)
as the load found it, and what the load made of each file (its content key, warnings and number of
notices, or why it was skipped), and the notices' ids and metadata as columns, as one ``marshal`` blob
with its BLAKE2 digest.  Each column is kept in blocks of ``BLOCK`` notices, themselves marshalled: a
command decodes only the columns it reads (``list`` its nine, ``show`` one block of each), and builds a
``Notice`` only for the notices it uses (``loaders.catalog``).

The next load of the same folders walks them and ``stat``\\ s every file — nothing is read — and when
each status is exactly as recorded it opens the corpus from the snapshot; the notices' texts stay in the
store and are read when first used, as after any load.  Any difference (a file added, removed, touched,
renamed, a folder now empty), a damaged or foreign snapshot, or another loader version means the
ordinary load runs instead, which writes a new snapshot.  A file changed within ``RACY_SECONDS`` of the
load is not trusted (its next change could keep the same status), so no snapshot is written then.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .cache import RACY_SECONDS, FileStatus, ParseCache
from .model import LEDGER_VERSION, LOADER_VERSION, SkippedFile
from .rows import META_COLUMNS

FORMAT = 3
#: The notices' columns, in the order kept: id, encoding, section count, then the metadata.
COLUMNS = ("id", "encoding", "section_count", *META_COLUMNS)
#: Notices per block of a column.
BLOCK = 4096

#: What a load made of one file: (path, display name, key, warnings, number of notices) or
#: (display name, reason).
FileRecord = tuple[Any, ...]
#: One notice's values in ``COLUMNS`` order.
NoticeRecord = tuple[Any, ...]


class SnapshotMiss(Exception):
    """The snapshot cannot be used for this load (the reason is for tests and debugging)."""


@dataclass(slots=True)
class Snapshot:
    """What the last load of some paths found: its files, and its notices' columns (decoded on use)."""

    files: list[FileRecord]
    digest: str
    """The blob's digest: the same digest, the same load."""
    size: int
    """How many notices (rows of every column)."""
    blocks: dict[str, list[bytes]]
    _decoded: dict[tuple[str, int], list[Any]] = field(default_factory=dict)

    def block(self, name: str, number: int) -> list[Any]:
        """One block of a column (rows ``number * BLOCK`` on)."""
        found = self._decoded.get((name, number))
        if found is None:
            found = marshal.loads(self.blocks[name][number])
            wanted = min(BLOCK, self.size - number * BLOCK)
            if type(found) is not list or len(found) != wanted:
                raise ValueError(f"the snapshot's column {name} is not as written")  # its digest matched
            self._decoded[(name, number)] = found
        return found

    def column(self, name: str) -> list[Any]:
        """A whole column, one value per notice."""
        count = len(self.blocks[name])
        if count == 1:
            return self.block(name, 0)
        values: list[Any] = []
        for number in range(count):
            values += self.block(name, number)
        return values

    def value(self, name: str, row: int) -> Any:
        """One notice's value in a column."""
        return self.block(name, row // BLOCK)[row % BLOCK]


def snapshot_name(targets: Sequence[str]) -> str:
    """The snapshot's name for a load of these paths (absolute), with the versions that read them."""
    text = "\0".join(os.path.abspath(t) for t in targets)
    text += f"\0loader={LOADER_VERSION}\0ledger={LEDGER_VERSION}\0format={FORMAT}"
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def file_status(name: str) -> FileStatus | None:
    """A file's status as a snapshot records it, or None when it cannot be read (then no snapshot)."""
    try:
        info = os.stat(name)
    except (OSError, ValueError):
        return None
    return (name, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_mode)


def is_settled(status: FileStatus, now: float | None = None) -> bool:
    """Not a regular file modified within the last ``RACY_SECONDS`` (its status can be trusted: a
    pipe or device is refused by its kind alone)."""
    now = time.time() if now is None else now
    return not stat.S_ISREG(status[5]) or now - status[2] / 1e9 >= RACY_SECONDS


def write_snapshot(
    cache: ParseCache, targets: Sequence[str], walk: list[tuple[str, SkippedFile | None]],
    statuses: dict[str, FileStatus], records: list[FileRecord], notices: list[NoticeRecord],
) -> bool:  # fmt: skip
    """Keep what this load found, unless a file's status cannot be trusted; True when written."""
    now = time.time()
    state: list[Any] = []
    for name, problem in walk:
        if problem is not None:
            state.append((name, problem.path, problem.reason))
            continue
        status = statuses.get(name)
        if status is None or not is_settled(status, now):
            return False
        state.append(status)
    columns = list(zip(*notices, strict=True)) if notices else [() for _ in COLUMNS]
    blocks = [
        [marshal.dumps(list(column[at : at + BLOCK])) for at in range(0, len(notices), BLOCK)]
        for column in columns
    ]
    blob = marshal.dumps((FORMAT, state, records, len(notices), blocks))
    digest = hashlib.blake2b(blob, digest_size=16).hexdigest()
    return cache.write_snapshot(snapshot_name(targets), blob, digest)


def read_snapshot(
    cache: ParseCache, targets: Sequence[str], walk: list[tuple[str, SkippedFile | None]]
) -> Snapshot:
    """The last load of ``targets`` when every file is exactly as it found them.

    Raises:
        SnapshotMiss: no snapshot, a damaged one, or something changed.
    """
    stored = cache.read_snapshot(snapshot_name(targets))
    if stored is None:
        raise SnapshotMiss("no snapshot")
    blob, digest = stored
    if hashlib.blake2b(blob, digest_size=16).hexdigest() != digest:
        raise SnapshotMiss("the snapshot is damaged")
    try:
        version, state, records, size, blocks = marshal.loads(blob)
    except (ValueError, EOFError, TypeError):
        raise SnapshotMiss("the snapshot is not readable") from None
    if (
        version != FORMAT
        or type(state) is not list
        or type(records) is not list
        or type(size) is not int
        or type(blocks) is not list
        or len(blocks) != len(COLUMNS)
        or any(len(column) != -(-size // BLOCK) for column in blocks)
    ):
        raise SnapshotMiss("a snapshot of another format")
    if len(state) != len(walk):
        raise SnapshotMiss("files were added or removed")
    stat_of = os.stat
    for found, (name, problem) in zip(state, walk, strict=True):
        if problem is not None:
            if found != (name, problem.path, problem.reason):
                raise SnapshotMiss(f"{name} changed")
            continue
        try:
            info = stat_of(name)
        except (OSError, ValueError):
            raise SnapshotMiss(f"{name} changed") from None
        if found != (name, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_mode):
            raise SnapshotMiss(f"{name} changed")
    return Snapshot(records, digest, size, dict(zip(COLUMNS, blocks, strict=True)))
