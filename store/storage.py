"""A TinyDB storage that never loses the user's data.

TinyDB's stock ``JSONStorage`` truncates and rewrites the file in place, so a crash mid-write loses
everything.  ``SafeJSONStorage`` writes a temporary file in the same folder, fsyncs it, keeps the
previous good file as ``store.json.bak`` and renames the new one over the old (atomic on POSIX and
Windows).  Both files are private (0600).  A file that is empty, cannot be read, cannot be parsed or
fails validation is never overwritten: reading raises ``StoreCorrupt``; a write the disk refuses (full,
read-only) raises ``StoreWriteError`` and leaves everything saved before as it was.
Cross-process safety (read-modify-write under one lock) is ``store.base.StoreBase``'s job.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

from tinydb.storages import Storage


class StoreError(Exception):
    """A problem with the store; ``str(error)`` is the one-line message for the user."""


class StoreCorrupt(StoreError):
    """The store file exists but cannot be read as a store (empty, unreadable, not JSON, invalid)."""


class StoreReadOnly(StoreError):
    """A write was attempted on a store opened read-only."""


class StoreWriteError(StoreError):
    """The disk refused a save (full, read-only, no permission); nothing saved before was changed."""


#: Checks a parsed document before it is used; raises ``StoreError`` with a one-line message.
Check = Callable[[dict[str, Any]], None]

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def one_line(text: object, limit: int = 200) -> str:
    """Foreign text (a path, a key from the file) safe inside a one-line message."""
    shown = _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))
    shown = shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def backup_path(path: Path) -> Path:
    """Where the previous good version of ``path`` is kept."""
    return path.with_name(path.name + ".bak")


def damaged(path: Path, what: str) -> str:
    """The one-line message for a store file that is not used: the file, why, and its backup."""
    backup = backup_path(path)
    try:
        there = backup.is_file()
    except OSError:
        there = False
    tail = (
        f"the previous good version is {one_line(backup)}"
        if there
        else f"there is no usable backup ({one_line(backup)})"
    )
    return f"{one_line(path)} {what}; it was left untouched and the store is read-only — {tail}"


def write_failed(path: Path, exc: OSError) -> StoreWriteError:
    """``cannot save to …: No space left on device``."""
    reason = exc.strerror or (os.strerror(exc.errno) if exc.errno else str(exc)) or type(exc).__name__
    return StoreWriteError(f"cannot save to {one_line(path)}: {one_line(reason)}")


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
    """The parsed store file, ``None`` if it does not exist (no validation of its tables).

    Raises:
        StoreCorrupt: the file exists but is empty, unreadable or not a JSON object (the message names
            the file and the backup).
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreCorrupt(damaged(path, f"cannot be read ({one_line(exc.strerror or exc)})")) from None
    if not raw.strip():
        raise StoreCorrupt(damaged(path, f"is empty ({len(raw)} bytes)"))
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise StoreCorrupt(damaged(path, f"is not a valid store ({type(exc).__name__})")) from None
    if not isinstance(data, dict):
        raise StoreCorrupt(
            damaged(path, f"is not a valid store (a JSON {type(data).__name__}, not an object)")
        )
    return data


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        if written <= 0:  # pragma: no cover - os.write raises rather than writing nothing
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        view = view[written:]


def write_document(path: Path, data: dict[str, Any]) -> None:
    """Write atomically: temp file, fsync, keep a backup of the old file, rename over it.

    Every file made here is private (0600, as ``mkstemp`` creates them), the backup included.

    Raises:
        StoreWriteError: the disk refused (full, read-only, no permission); the old file and backup are
            as they were, and no temporary file is left behind when it can be removed.
    """
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode("utf-8")
    made: list[Path] = []
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        tmp = Path(tmp_name)
        made.append(tmp)
        try:
            _write_all(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
        if path.exists():
            # the backup is a copy of the last good file, itself replaced atomically; mkstemp makes
            # the copy 0600 whatever the old backup's mode was
            bak_fd, bak_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.bak.", suffix=".tmp")
            os.close(bak_fd)
            made.append(Path(bak_name))
            shutil.copyfile(path, bak_name)
            os.replace(bak_name, backup_path(path))
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except OSError as exc:
        raise write_failed(path, exc) from None
    finally:
        for leftover in made:
            with suppress(OSError):  # else cleared by the next save that holds the lock
                leftover.unlink(missing_ok=True)


def keep_copy(path: Path, suffix: str) -> Path:
    """A private copy of ``path`` as ``<name><suffix>`` (made once: an existing copy is kept), e.g. the
    store as it was before a schema migration.

    Raises:
        StoreWriteError: the copy could not be written.
    """
    target = path.with_name(path.name + suffix)
    try:
        if target.exists() or not path.exists():
            return target
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        try:
            shutil.copyfile(path, tmp)
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except OSError as exc:
        raise write_failed(target, exc) from None
    return target


_Signature = tuple[int, int, int, int]
#: The last document read or written per file, with the file's (inode, size, mtime, ctime) then.
#: TinyDB reads the whole file before every operation (three times for one insert); while the file is
#: unchanged on disk that parse is reused.  Every write replaces the file (a new inode), so a change by
#: another process is always seen.  Only documents that passed their check are kept here.
_CACHE: dict[Path, tuple[_Signature, dict[str, Any]]] = {}


def _signature(path: Path) -> _Signature | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def temporary_pattern(path: Path) -> re.Pattern[str]:
    """Names of the temporary files ``write_document`` makes beside ``path`` (and the older
    ``.store.json.bak.tmp``): nothing else in the folder ever matches."""
    name = re.escape(path.name)
    return re.compile(rf"\.{name}\.(?:bak\.)?[a-z0-9_]{{1,32}}\.tmp")


def remove_stale_temporaries(path: Path, before_ns: int | None = None) -> int:
    """Delete temporary files a killed writer left beside ``path``; call only while holding the lock.

    Only regular files named like ours, in ``path``'s folder, last changed before ``before_ns`` (when we
    took the lock: anything older was left by an earlier holder, who is gone).
    """
    pattern = temporary_pattern(path)
    removed = 0
    try:
        names = os.listdir(path.parent)
    except OSError:
        return 0
    for name in names:
        if not pattern.fullmatch(name):
            continue
        stale = path.parent / name
        try:
            info = stale.lstat()
            if not stat.S_ISREG(info.st_mode) or (before_ns is not None and info.st_mtime_ns > before_ns):
                continue
            stale.unlink()
        except OSError:
            continue  # gone already, or not ours to remove: it does no harm
        removed += 1
    return removed


def make_private(path: Path) -> None:
    """Take group and other permissions off an existing file of ours (an old 0644 backup)."""
    try:
        info = path.lstat()
        if stat.S_ISREG(info.st_mode) and info.st_mode & 0o077:
            os.chmod(path, stat.S_IMODE(info.st_mode) & 0o700)
    except OSError:
        pass


class SafeJSONStorage(Storage):
    """TinyDB storage over ``read_document``/``write_document``; read-only when asked.

    ``check`` validates every document read from disk before it is used or cached.  Callers must treat
    what ``read`` returns as read-only outside TinyDB's own write path.
    """

    def __init__(
        self,
        path: str | Path,
        read_only: bool = False,
        initial: dict[str, Any] | None = None,
        check: Check | None = None,
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.read_only = read_only
        self.check = check
        self._memory: dict[str, Any] | None = initial if read_only else None

    def read(self) -> dict[str, Any] | None:
        """The whole document (TinyDB reads it before every operation).

        Raises:
            StoreError: the file is damaged or fails the check (one-line message).
        """
        if self._memory is not None:
            copy: dict[str, Any] = json.loads(json.dumps(self._memory))  # TinyDB mutates what it reads
            return copy
        signature = _signature(self.path)
        cached = _CACHE.get(self.path)
        if signature is not None and cached is not None and cached[0] == signature:
            return cached[1]
        document = read_document(self.path)
        if document is not None and self.check is not None:
            self.check(document)
        if signature is not None and document is not None:
            _CACHE[self.path] = (signature, document)
        return document

    def write(self, data: dict[str, Any]) -> None:
        """Persist the whole document (refused when read-only).

        The file being replaced becomes the backup, so it must be the good one we read: if it changed
        on disk since (a program that ignores the lock), it is read and checked again first.

        Raises:
            StoreReadOnly: the storage is read-only.
            StoreCorrupt: the file on disk was damaged since it was read; nothing was written.
            StoreWriteError: the disk refused the write; nothing saved before was changed.
        """
        if self.read_only:
            raise StoreReadOnly(f"the store is open read-only; nothing was written to {one_line(self.path)}")
        cached = _CACHE.get(self.path)
        signature = _signature(self.path)
        if signature is not None and (cached is None or cached[0] != signature):
            _CACHE.pop(self.path, None)
            current = read_document(self.path)
            if current is not None and self.check is not None:
                self.check(current)
        try:
            write_document(self.path, data)
        except BaseException:
            _CACHE.pop(self.path, None)  # the cached document may hold the change that failed
            raise
        signature = _signature(self.path)
        if signature is not None:
            _CACHE[self.path] = (signature, data)
        else:  # pragma: no cover - the file vanished right after being written
            _CACHE.pop(self.path, None)

    def close(self) -> None:
        """Nothing to release: every write is complete when ``write`` returns."""
