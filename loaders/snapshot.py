"""A folder opened in one read: the corpus store's snapshot of what a load found.

Opening thousands of files one by one — a path object, a store lookup and a JSON decode for each —
costs about a second per 10,000 notices before anything is shown.  After a load, the corpus store keeps
a *snapshot* of it: for the folders and files asked for, every file's status (size, times, inode, mode)
as the load found it, and what the load made of each file (its content key, warnings and notices'
metadata, or why it was skipped), as one ``marshal`` blob with its BLAKE2 digest.

The next load of the same folders walks them and ``stat``\\ s every file — nothing is read — and when
each status is exactly as recorded it builds the corpus from the snapshot; the notices' texts stay in the
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
from collections.abc import Callable, Sequence
from typing import Any

from .cache import RACY_SECONDS, FileStatus, ParseCache
from .model import LEDGER_VERSION, LOADER_VERSION, Notice, SkippedFile
from .rows import meta_from_row

FORMAT = 2

#: What a load made of one file: (display name, key, warnings, notices) or (display name, reason).
FileRecord = tuple[Any, ...]


class SnapshotMiss(Exception):
    """The snapshot cannot be used for this load (the reason is for tests and debugging)."""


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
    statuses: dict[str, FileStatus], records: list[FileRecord],
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
    blob = marshal.dumps((FORMAT, state, records))
    digest = hashlib.blake2b(blob, digest_size=16).hexdigest()
    return cache.write_snapshot(snapshot_name(targets), blob, digest)


def read_snapshot(
    cache: ParseCache, targets: Sequence[str], walk: list[tuple[str, SkippedFile | None]]
) -> list[FileRecord]:
    """The records of the last load of ``targets`` when every file is exactly as it found them.

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
        version, state, records = marshal.loads(blob)
    except (ValueError, EOFError, TypeError):
        raise SnapshotMiss("the snapshot is not readable") from None
    if version != FORMAT or type(state) is not list or type(records) is not list:
        raise SnapshotMiss("a snapshot of another format")
    if len(state) != len(walk):
        raise SnapshotMiss("files were added or removed")
    for found, (name, problem) in zip(state, walk, strict=True):
        if problem is not None:
            if found != (name, problem.path, problem.reason):
                raise SnapshotMiss(f"{name} changed")
        elif found != file_status(name):
            raise SnapshotMiss(f"{name} changed")
    return records


def build_corpus_notices(
    cache: ParseCache,
    records: list[FileRecord],
    rereader: Callable[[str, str], Callable[[int], Notice]],
) -> list[tuple[str, str | None, list[str], list[Notice]]]:
    """Each file's (display name, key or None when skipped, warnings or [reason], notices).

    Raises:
        SnapshotMiss: a record is not as written here.
    """
    built: list[tuple[str, str | None, list[str], list[Notice]]] = []
    try:
        for record in records:
            if len(record) == 2:
                name, reason = record
                built.append((name, None, [reason], []))
                continue
            os_name, name, key, warnings, rows = record
            reread = rereader(os_name, name)
            notices = [
                cache.stored_notice(
                    key, index, notice_id, meta_from_row(meta), name, encoding, sections, reread
                )
                for index, (notice_id, encoding, meta, sections) in enumerate(rows)
            ]
            built.append((name, key, list(warnings), notices))
    except (TypeError, ValueError) as exc:
        raise SnapshotMiss(f"a record is not as written here: {exc}") from None
    return built
