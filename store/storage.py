"""A TinyDB storage that never loses the user's data.

TinyDB's stock ``JSONStorage`` truncates and rewrites the file in place, so a crash mid-write loses
everything.  ``SafeJSONStorage`` writes a temporary file in the same folder, fsyncs it, keeps the
previous good file as ``store.json.bak`` and renames the new one over the old (atomic on POSIX and
Windows).  A file that cannot be parsed is never overwritten: reading raises ``StoreCorrupt``.
Cross-process safety (read-modify-write under one lock) is ``store.db.Store``'s job.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from tinydb.storages import Storage


class StoreError(Exception):
    """A problem with the store; ``str(error)`` is the one-line message for the user."""


class StoreCorrupt(StoreError):
    """The store file exists but cannot be read as a store."""


class StoreReadOnly(StoreError):
    """A write was attempted on a store opened read-only."""


def backup_path(path: Path) -> Path:
    """Where the previous good version of ``path`` is kept."""
    return path.with_name(path.name + ".bak")


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_document(path: Path) -> dict[str, Any] | None:
    """The parsed store file, ``None`` if it does not exist.

    Raises:
        StoreCorrupt: the file exists but is not a JSON object (message names file and backup).
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreCorrupt(f"cannot read {path}: {exc.strerror or exc}") from None
    if not raw.strip():
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise StoreCorrupt(
            f"{path} is not a valid store ({type(exc).__name__}); it was left untouched — "
            f"the previous good version is {backup_path(path)}"
        ) from None
    if not isinstance(data, dict):
        raise StoreCorrupt(
            f"{path} is not a valid store; it was left untouched — backup: {backup_path(path)}"
        )
    return data


def write_document(path: Path, data: dict[str, Any]) -> None:
    """Write atomically: temp file, fsync, keep a backup of the old file, rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode("utf-8")
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            # the backup is a copy of the last good file, itself replaced atomically
            bak_tmp = path.with_name(f".{path.name}.bak.tmp")
            shutil.copyfile(path, bak_tmp)
            os.replace(bak_tmp, backup_path(path))
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


_Signature = tuple[int, int, int, int]
#: The last document read or written per file, with the file's (inode, size, mtime, ctime) then.
#: TinyDB reads the whole file before every operation (three times for one insert); while the file is
#: unchanged on disk that parse is reused.  Every write replaces the file (a new inode), so a change by
#: another process is always seen.
_CACHE: dict[Path, tuple[_Signature, dict[str, Any]]] = {}


def _signature(path: Path) -> _Signature | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def remove_stale_temporaries(path: Path) -> int:
    """Delete temporary files a killed writer left beside ``path``; call only while holding the lock."""
    removed = 0
    for stale in path.parent.glob(f".{path.name}.*.tmp"):  # also the backup's ``.bak.tmp``
        try:
            stale.unlink()
        except OSError:
            continue  # gone already, or not ours to remove: it does no harm
        removed += 1
    return removed


class SafeJSONStorage(Storage):
    """TinyDB storage over ``read_document``/``write_document``; read-only when asked.

    Callers must treat what ``read`` returns as read-only outside TinyDB's own write path.
    """

    def __init__(
        self, path: str | Path, read_only: bool = False, initial: dict[str, Any] | None = None
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.read_only = read_only
        self._memory: dict[str, Any] | None = initial if read_only else None

    def read(self) -> dict[str, Any] | None:
        """The whole document (TinyDB reads it before every operation)."""
        if self._memory is not None:
            copy: dict[str, Any] = json.loads(json.dumps(self._memory))  # TinyDB mutates what it reads
            return copy
        signature = _signature(self.path)
        cached = _CACHE.get(self.path)
        if signature is not None and cached is not None and cached[0] == signature:
            return cached[1]
        document = read_document(self.path)
        if signature is not None and document is not None:
            _CACHE[self.path] = (signature, document)
        return document

    def write(self, data: dict[str, Any]) -> None:
        """Persist the whole document (refused when read-only)."""
        if self.read_only:
            raise StoreReadOnly(f"the store is open read-only; nothing was written to {self.path}")
        try:
            write_document(self.path, data)
        except BaseException:
            _CACHE.pop(self.path, None)  # the cached document may hold the change that failed
            raise
        signature = _signature(self.path)
        if signature is not None:
            _CACHE[self.path] = (signature, data)

    def close(self) -> None:
        """Nothing to release: every write is complete when ``write`` returns."""
