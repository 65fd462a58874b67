"""The search index's files: what a file's rows are keyed on, a corpus's files as a sync takes them,
and the stamp that lets a sync of an unchanged corpus be skipped.

A sync makes the index hold exactly a corpus's notices; with nothing changed it still computes every
file's key and compares them with the index's (a fifth of a warm ``zhenggai search`` at 50,000
notices).  So after a sync, ``index.sqlite.synced`` records which corpus it was — the digest of the
store's snapshot it was opened from (``loaders.snapshot``: the same digest is the same files, notices,
ids and content keys) — with the versions and the index file's status (inode, size, times) then.
While both hold, the same corpus opened again finds nothing to do without computing a key.  Any
write to the index by any process changes its status; a status written too recently to be trusted
(``RACY_SECONDS``: a write in the same clock tick could keep it) is not recorded, and the next sync
checks every file, then records it.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from contextlib import suppress
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import RACY_SECONDS
from .index_schema import INDEX_VERSION
from .model import LOADER_VERSION, Notice
from .segment import SEGMENTER_VERSION

if TYPE_CHECKING:
    from .corpus import Corpus

#: A file to index: its name, its notices' ids, and its notices (built when needed).
FileGroup = tuple[str, list[str], Callable[[], list[Notice]]]

_VERSIONS = f"loader={LOADER_VERSION};segmenter={SEGMENTER_VERSION}".encode()


def file_key(notices: list[Notice], content: str | None = None) -> str:
    """What a file's rows depend on: its notices' ids and the versions, and either the file's content
    key (``cache.content_key``: it already covers the loader version) or, without one, every section's
    fingerprint — which builds every outline, seconds of one core at thousands of notices."""
    if content is not None:
        return ids_key([notice.id for notice in notices], content)
    digest = hashlib.blake2b(_VERSIONS, digest_size=16)
    for notice in notices:
        digest.update(notice.id.encode())
    for notice in notices:
        for section in notice.walk():
            digest.update(f"|{notice.id}|{section.id}:{section.fingerprint}".encode())
    return digest.hexdigest()


def ids_key(ids: list[str], content: str) -> str:
    """``file_key`` of a file with a content key, from its notices' ids alone."""
    text = "".join(ids) + f"|content={content}"
    return hashlib.blake2b(_VERSIONS + text.encode(), digest_size=16).hexdigest()


def notice_groups(notices: list[Notice]) -> list[FileGroup]:
    """Notices by file, in order of first appearance."""
    by_file: dict[str, list[Notice]] = {}
    for notice in notices:
        by_file.setdefault(notice.file, []).append(notice)
    return [
        (path, [n.id for n in group], lambda group=group: group)  # type: ignore[misc]
        for path, group in by_file.items()
    ]


def corpus_groups(corpus: Corpus) -> list[FileGroup]:
    """``notice_groups`` of a corpus, from its columns: a notice is built only when its file is
    indexed (a corpus opened from the store's snapshot builds none when nothing changed)."""
    ids = corpus.column("id")

    def built(start: int, end: int) -> Callable[[], list[Notice]]:
        return lambda: [corpus.notice(position) for position in range(start, end)]

    groups: list[FileGroup] = []
    start = 0
    for path, run in groupby(corpus.column("file")):  # a file's notices come one after another
        end = start + len(list(run))
        groups.append((path, ids[start:end], built(start, end)))
        start = end
    if len({path for path, _, _ in groups}) != len(groups):  # a file named twice, apart
        return notice_groups(corpus.notices)
    return groups


def _stamp_path(index: Path) -> Path:
    return index.with_name(index.name + ".synced")


def _status(index: Path) -> tuple[str, float] | None:
    """The index file's status as text, and its modification time (None: no such file)."""
    try:
        info = index.stat()
    except OSError:
        return None
    return f"{info.st_ino} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns}", info.st_mtime


def _stamp_text(corpus: str, status: str, files: int) -> str:
    versions = f"{LOADER_VERSION} {SEGMENTER_VERSION} {INDEX_VERSION}"
    return f"zhenggai-synced 1\n{corpus}\n{versions}\n{status}\n{files}\n"


def synced_files(index: Path, corpus: str) -> int | None:
    """How many files the index holds for the corpus of this snapshot digest, when it was synced with
    that corpus last and has not been written since; else None."""
    status = _status(index)
    if status is None:
        return None
    try:
        text = _stamp_path(index).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    files = text.rsplit("\n", 2)[-2] if text.count("\n") == 5 else ""
    if not files.isdigit() or text != _stamp_text(corpus, status[0], int(files)):
        return None
    return int(files)


def stamp_synced(index: Path, corpus: str | None, files: int) -> None:
    """Record that the index now holds exactly the corpus of this snapshot digest (``files`` files),
    unless its status is too recent to be trusted; ``None``: forget any corpus recorded."""
    status = _status(index)
    stamp = _stamp_path(index)
    if corpus is None or status is None or time.time() - status[1] < RACY_SECONDS:
        with suppress(OSError):
            stamp.unlink(missing_ok=True)
        return
    with suppress(OSError):
        partial = stamp.with_name(f"{stamp.name}.{os.getpid()}")
        partial.write_text(_stamp_text(corpus, status[0], files), encoding="utf-8")
        partial.replace(stamp)
