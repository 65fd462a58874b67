"""A TinyDB storage that never loses the user's data.

TinyDB's stock ``JSONStorage`` truncates and rewrites the file in place, so a crash mid-write loses
everything.  ``SafeJSONStorage`` writes a temporary file in the same folder, fsyncs it, keeps the
previous good file as ``store.json.bak`` (a hard link to it, or a copy where links are refused) and
renames the new one over the old (atomic on POSIX and Windows).  Both files are private (0600).  A
file that is empty, cannot be read, cannot be parsed or fails validation is never overwritten: reading
raises ``StoreCorrupt``; a write the disk refuses (full, read-only) raises ``StoreWriteError`` and
leaves everything saved before as it was.  The document last read or written is remembered while the
file on disk is still that one, so a save does not re-read, re-parse or re-check what this process
wrote (``store.known``); a deferred storage saves several TinyDB operations at once (``flush``).
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
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from .encoded import Pieces, encode_tables, parse_lines
from .known import forget, remember, remembered, signature
from .paths import SETTINGS_FILE
from .table import Records


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
    kept = "the settings are" if path.name.endswith(SETTINGS_FILE) else "the store is"
    return f"{one_line(path)} {what}; it was left untouched and {kept} read-only — {tail}"


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
    raw = read_bytes(path)
    return None if raw is None else parse_document(path, raw)


def read_bytes(path: Path) -> bytes | None:
    """The store file's bytes, ``None`` if it does not exist.

    Raises:
        StoreCorrupt: the file exists but cannot be read.
    """
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreCorrupt(damaged(path, f"cannot be read ({one_line(exc.strerror or exc)})")) from None


def parse_document(path: Path, raw: bytes) -> dict[str, Any]:
    """The store file's bytes as a JSON object (no validation of its tables).

    Raises:
        StoreCorrupt: empty, not UTF-8, not JSON or not an object (the message names ``path``).
    """
    if not raw.strip():
        raise StoreCorrupt(damaged(path, f"is empty ({len(raw)} bytes)"))
    data: Any = parse_lines(raw)  # a line at a time: a key pressed meanwhile does not wait for it all
    if data is None:
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:  # what orjson refuses but JSON allows (deep nesting, lone surrogates)
            try:
                data = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError) as exc:
                raise StoreCorrupt(damaged(path, f"is not a valid store ({type(exc).__name__})")) from None
    if not isinstance(data, dict):
        raise StoreCorrupt(
            damaged(path, f"is not a valid store (a JSON {type(data).__name__}, not an object)")
        )
    return data


def encode_pieces(data: dict[str, Any]) -> Pieces:
    """Compact UTF-8 JSON, as ``json.dumps(ensure_ascii=False, separators=(",", ":"))`` writes it
    (orjson: some 20 times faster), in pieces: each table's JSON kept from the save before with what
    was added (``store.encoded``), never joined into one more copy of the file.  What orjson refuses
    (integers past 64 bits, lone surrogates) is written by ``json`` with escapes."""
    try:
        return encode_tables(data)
    except TypeError:
        return (json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii"),)


def _write_all(fd: int, payload: Pieces) -> None:
    for piece in payload:
        view = memoryview(piece)
        while view:
            written = os.write(fd, view)
            if written <= 0:  # pragma: no cover - os.write raises rather than writing nothing
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            view = view[written:]


def write_document(path: Path, data: dict[str, Any]) -> bytes:
    """``write_pieces``, returning the bytes written."""
    return b"".join(write_pieces(path, data))


def write_pieces(path: Path, data: dict[str, Any]) -> Pieces:
    """Write atomically: temp file, fsync, keep the old file as the backup, rename over it; returns
    the bytes written, in pieces.

    Every file made here is private (0600, as ``mkstemp`` creates them); the backup is the old file
    itself (a hard link: no copy), or a private copy where the file system refuses links.

    Raises:
        StoreWriteError: the disk refused (full, read-only, no permission); the old file and backup are
            as they were, and no temporary file is left behind when it can be removed.
    """
    payload = encode_pieces(data)
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
            # the backup is the last good file, linked (or copied) under a temporary name and renamed
            # over the old backup, so a crash leaves either backup whole
            made.append(_link_or_copy(path, tmp))
            os.replace(made[-1], backup_path(path))
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except OSError as exc:
        raise write_failed(path, exc) from None
    finally:
        for leftover in made:
            with suppress(OSError):  # else cleared by the next save that holds the lock
                leftover.unlink(missing_ok=True)
    return payload


def _link_or_copy(path: Path, tmp: Path) -> Path:
    """``path`` under a temporary name beside ``tmp`` (the new file's): a hard link to it, else
    (links refused, or the name taken) a private copy."""
    name = tmp.name.removeprefix(f".{path.name}.")
    linked = path.with_name(f".{path.name}.bak.{name}")
    try:
        os.link(path, linked)
    except OSError:
        pass  # links refused (some network and FAT file systems), or the name is taken: copy
    else:
        try:
            if stat.S_IMODE(os.stat(linked).st_mode) & 0o077:  # an old world-readable store file
                os.chmod(linked, 0o600)
        except OSError:
            with suppress(OSError):
                linked.unlink()
            raise
        return linked
    # mkstemp makes the copy 0600 whatever the old file's mode was
    fd, copied = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.bak.", suffix=".tmp")
    os.close(fd)
    try:
        shutil.copyfile(path, copied)
    except BaseException:
        Path(copied).unlink(missing_ok=True)
        raise
    return Path(copied)


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
        deferred: bool = False,
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.read_only = read_only
        self.check = check
        self.deferred = deferred
        """Keep writes in memory until ``flush`` (one save for several TinyDB operations)."""
        self._memory: dict[str, Any] | None = initial if read_only else None
        self._view: dict[str, Any] | None = None
        self._unsaved = False

    def read(self) -> dict[str, Any] | None:
        """The whole document (TinyDB reads it before every operation).  One storage, one view: the
        file is looked at on the first read only (a TinyDB instance is one query or one locked change;
        ``StoreBase`` makes a new one for each).

        Raises:
            StoreError: the file is damaged or fails the check (one-line message).
        """
        if self._memory is not None:
            copy: dict[str, Any] = json.loads(json.dumps(self._memory))  # TinyDB mutates what it reads
            return copy
        if self._view is None:
            self._view = self._load()
        return self._view

    def _load(self) -> dict[str, Any] | None:
        document = remembered(self.path)
        if document is not None:
            return document
        seen = time.time_ns()
        found = signature(self.path)
        raw = read_bytes(self.path)
        if raw is None:
            return None
        document = parse_document(self.path, raw)
        if self.check is not None:
            self.check(document)
        # as a change makes them: a table's next record number and its records by notice are kept
        document = {name: Records(t) if type(t) is dict else t for name, t in document.items()}
        if found is not None:
            remember(self.path, document, (raw,), (found, seen))
        return document

    def write(self, data: dict[str, Any]) -> None:
        """Persist the whole document (refused when read-only); kept until ``flush`` when deferred.

        The file being replaced becomes the backup, so it must be the good one we read: if it changed
        on disk since (a program that ignores the lock), it is read and checked again first.

        Raises:
            StoreReadOnly: the storage is read-only.
            StoreCorrupt: the file on disk was damaged since it was read; nothing was written.
            StoreWriteError: the disk refused the write; nothing saved before was changed.
        """
        if self.read_only:
            raise StoreReadOnly(f"the store is open read-only; nothing was written to {one_line(self.path)}")
        self._view = data
        if self.deferred:
            self._unsaved = True
        else:
            self._save(data)

    def flush(self) -> None:
        """Save what deferred writes kept (nothing when there is none).

        Raises:
            StoreCorrupt: the file on disk was damaged since it was read; nothing was written.
            StoreWriteError: the disk refused the write; nothing saved before was changed.
        """
        if self._unsaved and self._view is not None:
            self._unsaved = False
            self._save(self._view)

    def discard(self) -> None:
        """Drop what deferred writes kept, unsaved, and the remembered document (TinyDB changes what it
        reads in place)."""
        self._unsaved = False
        self._view = None
        forget(self.path)

    def _save(self, data: dict[str, Any]) -> None:
        try:
            if remembered(self.path) is None and signature(self.path) is not None:
                current = read_document(self.path)
                if current is not None and self.check is not None:
                    self.check(current)
            payload = write_pieces(self.path, data)
        except BaseException:
            forget(self.path)  # the remembered document may hold the change that failed
            raise
        remember(self.path, data, payload, None)

    def close(self) -> None:
        """Nothing to release: every write is complete when ``write`` (or ``flush``) returns."""
