"""The store's core: opening the TinyDB file, the locked read-modify-write, schema and migrations.

Every change happens under a cross-process file lock and starts from the file as it is on disk (the
document this process last read or wrote is reused only while the file is still that one), so two
running ``zhenggai`` processes never lose each other's notes; a change is saved once, when its locked
block ends (``writing``), however many TinyDB operations it made.
A file that is empty, unreadable, corrupt or fails validation (``store.validate``) is never
overwritten: the store opens read-only, showing the backup, with a one-line message naming both.  A
save the disk refuses raises ``StoreWriteError`` (a ``StoreError``) and changes nothing saved before.
The tables live in their own modules (``bookmarks``, ``notes``, ``comparisons``, ``settings``).  The
settings live in a file of their own beside the store (``settings.json``, a ``StoreBase`` of its own
sharing the store's lock), so saving the reading position never rewrites every note.
"""

from __future__ import annotations

import copy
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb import TinyDB

from . import validate
from .storage import (
    Check,
    SafeJSONStorage,
    StoreCorrupt,
    StoreError,
    StoreReadOnly,
    StoreWriteError,
    backup_path,
    damaged,
    keep_copy,
    make_private,
    one_line,
    remove_stale_temporaries,
    write_failed,
)
from .table import RecordId, StoreDB, in_notice
from .tags import codes_from_tags

if TYPE_CHECKING:
    from filelock import FileLock

#: 2: anchors carry position selectors (``offset`` in their section, the notice's ``place``).
#: 3: the codebook (``codes``) and coded segments (``segments``); notes' ``#tags`` become codes.
#: 4: the settings live in ``settings.json`` beside the store (moved there by ``SettingsTable``).
SCHEMA_VERSION = 4
TABLES = ("bookmarks", "notes", "comparisons", "settings", "codes", "segments")
LOCK_TIMEOUT = 10.0


def _positions_in_anchors(document: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 → 2: anchors get the position selectors, unknown (-1, ""), until next saved."""
    for table in ("notes", "bookmarks"):
        for record in document.get(table, {}).values():
            anchor = record.get("anchor")
            if isinstance(anchor, dict):
                anchor.setdefault("offset", -1)
                anchor.setdefault("place", "")
            if table == "notes":
                record.setdefault("tags", [])
    return document


def _settings_apart(document: dict[str, Any]) -> dict[str, Any]:
    """Schema 3 → 4: the document is unchanged here; the store moves its ``settings`` table into the
    settings file before it saves the migrated document (``SettingsTable._carry``: it needs the other
    file), and keeps the table where that file cannot be written (a ``settings`` table is still valid)."""
    return document


#: Migrations from a schema version to the next; each takes and returns the whole (valid) document.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _positions_in_anchors,
    2: codes_from_tags,
    3: _settings_apart,
}


def now() -> str:
    """ISO 8601 timestamp with the local time zone."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def new_id() -> str:
    """A short random record id."""
    return uuid.uuid4().hex[:10]


def schema_version(document: dict[str, Any]) -> int:
    """The schema a document was written with (an empty document counts as current, an unreadable
    version as the first; ``validate.schema_problem`` reports a bad one)."""
    meta = document.get("_meta")
    entry = meta.get("1") if isinstance(meta, dict) else None
    value = entry.get("schema_version") if isinstance(entry, dict) else None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    return SCHEMA_VERSION if not document else 1


def check_version(document: dict[str, Any]) -> int:
    """The document's schema version, if this zhenggai can read it.

    Raises:
        StoreError: the document was written by a newer zhenggai.
    """
    version = schema_version(document)
    if version > SCHEMA_VERSION:
        raise StoreError(f"the store was written by a newer zhenggai (schema {version} > {SCHEMA_VERSION})")
    return version


def migrate(document: dict[str, Any]) -> dict[str, Any]:
    """Bring a document up to ``SCHEMA_VERSION`` (in place; returns it).

    Raises:
        StoreError: the document was written by a newer zhenggai.
    """
    version = check_version(document)
    while version < SCHEMA_VERSION:
        document = MIGRATIONS[version](document)
        version += 1
    document.setdefault("_meta", {})["1"] = {"schema_version": SCHEMA_VERSION}
    return document


def checker(path: Path) -> Check:
    """The check every document read from ``path`` passes before it is used.

    Raises (from the returned callable):
        StoreCorrupt: a wrongly shaped document (one line naming the file, the fault and the backup).
        StoreError: a document written by a newer zhenggai.
    """

    def check(document: dict[str, Any]) -> None:
        issue = validate.schema_problem(document)
        if issue is None:
            version = schema_version(document)
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{one_line(path)} was written by a newer zhenggai (schema {version} > "
                    f"{SCHEMA_VERSION}); it is shown read-only and left untouched"
                )
            issue = validate.problem(document)
        if issue is not None:
            raise StoreCorrupt(damaged(path, f"is not a valid store: {issue}"))

    return check


def load(path: Path) -> dict[str, Any] | None:
    """Read and check one store file; None when it does not exist.  What was read is remembered (the
    store is opened, tidied and first read with one parse); treat it as read-only.

    Raises:
        StoreError: it is damaged, invalid, or newer (one line).
    """
    return SafeJSONStorage(path, check=checker(path)).read()


class LockTimeout(Exception):
    """Another process held the store's lock longer than asked."""


class StoreLock:
    """The cross-process lock of a store's files: filelock's ``FileLock``, made when first taken.

    Opening the store takes no lock (only its first save or tidying does), and importing filelock was
    7 ms of the reader's start, before its first frame.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file_lock: FileLock | None = None
        self._made = threading.Lock()  # two savers taking it first at once make one FileLock

    def acquire(self, timeout: float | None = None) -> None:
        """Take the lock, waiting at most ``timeout`` s (``LOCK_TIMEOUT`` by default; ``LockTimeout``
        then); ``OSError`` when the lock file cannot be made."""
        from filelock import FileLock, Timeout

        with self._made:
            if self._file_lock is None:
                self._file_lock = FileLock(str(self.path), timeout=LOCK_TIMEOUT, mode=0o600)
            file_lock = self._file_lock
        try:
            file_lock.acquire(timeout=LOCK_TIMEOUT if timeout is None else timeout)
        except Timeout:
            raise LockTimeout(str(self.path)) from None

    def release(self) -> None:
        """Let go of the lock taken by ``acquire``."""
        if self._file_lock is not None:
            self._file_lock.release()


class StoreBase:
    """The file, its lock and the generic record operations the table mixins build on."""

    def __init__(self, path: Path, *, read_only: bool = False, lock: StoreLock | None = None) -> None:
        self.path = path
        self.requested_read_only = read_only
        """True when the caller asked for read-only (not because of a damaged file)."""
        self.read_only = read_only
        self.problem: str | None = None
        """Why the store is read-only (one line), or None."""
        self._initial: dict[str, Any] | None = None
        self.unsaved_settings: dict[str, Any] = {}
        """Settings changed while read-only: kept for the session, never written."""
        self._lock = lock or StoreLock(path.with_name(path.name + ".lock"))
        """Held for every read-modify-write; a file saved with another (the settings) shares its lock."""
        self._writing = threading.local()

    def reload(self) -> None:
        """Look at the file again: a damaged or invalid file makes the store read-only (showing the
        backup), a repaired one makes it writable again; an older schema is read as migrated."""
        problem: str | None = None
        document: dict[str, Any] | None = None
        try:
            document = load(self.path)
        except StoreError as exc:
            problem, document = str(exc), None
            try:  # show the last good version while the damaged file waits for the user
                document = load(backup_path(self.path))
            except StoreError:
                document = None
        self.problem = problem
        self.read_only = self.requested_read_only or problem is not None
        if self.read_only and document is not None and schema_version(document) < SCHEMA_VERSION:
            document = migrate(copy.deepcopy(document))  # an up-to-date view; the file stays as it is
        self._initial = (document or {}) if self.read_only else None

    def tidy(self) -> None:
        """At open, when the lock is free: clear temporary files a killed save left, make an old
        world-readable backup private, and bring an older schema up to date (the old file stays as the
        backup).  Never raises: whatever cannot be done now is done by the next save."""
        if self.read_only or not self.path.parent.is_dir():
            return
        try:
            self._lock.acquire(timeout=0)
        except (LockTimeout, OSError):
            return  # another zhenggai is saving, or the folder cannot be written
        try:
            remove_stale_temporaries(self.path, time.time_ns())
            make_private(backup_path(self.path))
            document = load(self.path)
            if document is not None and self._outdated(document):
                with self.writing():
                    pass  # ``writing`` migrates under the lock
        except StoreError:
            self.reload()
        finally:
            self._lock.release()

    def _outdated(self, document: dict[str, Any]) -> bool:
        """True when ``document`` should be saved again at open (an older schema)."""
        return schema_version(document) < SCHEMA_VERSION

    def _carry(self, document: dict[str, Any]) -> bool:
        """Move out of ``document``, while the lock is held and before it is saved, what lives in
        another file now; True when ``document`` changed.  Nothing, here."""
        return False

    def _tinydb(self, *, deferred: bool = False) -> TinyDB:
        return StoreDB(
            self.path,
            storage=SafeJSONStorage,
            read_only=self.read_only,
            initial=self._initial,
            check=checker(self.path),
            deferred=deferred,
        )

    @property
    def db(self) -> TinyDB:
        """A fresh view of the file: TinyDB caches ids and queries per instance, and another process may
        have written since.  A file damaged since it was opened turns the store read-only (the backup
        shown) instead of failing the read."""
        if not self.read_only:
            db = self._tinydb()
            try:
                db.storage.read()  # the view's one look at the file (no parse while it is unchanged)
                return db
            except StoreError:
                self.reload()
        return self._tinydb()

    @staticmethod
    def _records(db: TinyDB, table: str) -> dict[str, dict[str, Any]]:
        """One table's records, keyed as in the file, as ``db`` sees them: read-only (copy what is
        returned or changed); no TinyDB ``Document`` is made for records that are not wanted."""
        document = db.storage.read()
        records = document.get(table) if document else None
        return records if isinstance(records, dict) else {}

    def _ids(self, db: TinyDB, table: str, record_id: str) -> list[RecordId]:
        """Where the records with ``id`` ``record_id`` are in ``table`` (for TinyDB's ``doc_ids``)."""
        return [
            RecordId(key) for key, record in self._records(db, table).items() if record.get("id") == record_id
        ]

    def close(self) -> None:
        """Nothing is held open between operations; kept for ``with`` blocks."""

    def __enter__(self) -> StoreBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def writing(self, fresh: Callable[[], dict[str, Any]] | None = None) -> Iterator[TinyDB]:
        """Hold the cross-process lock for one read-modify-write, with the schema up to date.

        Everything done in the block is saved once, when it ends, or not at all if it raises.  A
        ``writing`` block inside another (same thread) joins it.  ``fresh`` makes the document a file
        that does not exist yet starts from (default: an empty one).

        Raises:
            StoreReadOnly: the store is read-only (asked for, or damaged).
            StoreCorrupt: the file was damaged since it was opened (the store is now read-only).
            StoreWriteError: the folder or disk refuses writes (``cannot save to …: …``).
            StoreError: another zhenggai held the lock too long.
        """
        joined: TinyDB | None = getattr(self._writing, "db", None)
        if joined is not None:
            yield joined
            return
        if self.read_only:
            raise StoreReadOnly(self.problem or f"the store {one_line(self.path)} is open read-only")
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._lock.acquire()
        except LockTimeout:
            raise StoreError(
                f"another zhenggai holds the lock on {one_line(self.path)} (waited {LOCK_TIMEOUT:g} s)"
            ) from None
        except OSError as exc:
            raise write_failed(self.path, exc) from None
        try:
            remove_stale_temporaries(self.path, time.time_ns())
            db = self._tinydb(deferred=True)
            storage = db.storage
            assert isinstance(storage, SafeJSONStorage)
            try:
                document = storage.read()
                changed = document is None or schema_version(document) != SCHEMA_VERSION
                if document is None:
                    document = migrate(fresh() if fresh is not None else {})
                elif changed:
                    keep_copy(self.path, f".schema{schema_version(document)}.bak")
                    document = migrate(document)
                if self._carry(document) or changed:
                    storage.write(document)
            except StoreWriteError:
                raise
            except StoreError:
                self.reload()  # damaged or upgraded by another program since we opened it: read-only
                raise
            self._writing.db = db
            try:
                yield db
                storage.flush()
            except BaseException:
                storage.discard()
                raise
            finally:
                self._writing.db = None
        finally:
            self._lock.release()

    def _checked(self, table: str, record: dict[str, Any]) -> dict[str, Any]:
        """A record about to be saved, refused (``StoreError``) when it would make the file invalid."""
        spec = validate.TABLES.get(table)
        issue = validate.record_problem(record, spec) if spec is not None else None
        if issue is not None:
            raise StoreError(f"not saved: the {table[:-1]} {issue}")
        return record

    def _insert(self, table: str, record: dict[str, Any]) -> dict[str, Any]:
        stamp = now()
        record = self._checked(table, {"id": new_id(), **record, "created": stamp, "updated": stamp})
        with self.writing() as db:
            db.table(table).insert(record)
        return record

    def _update(self, table: str, record_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        with self.writing() as db:
            ids = self._ids(db, table, record_id)
            if not ids:
                raise StoreError(f"no {table[:-1]} with id {one_line(record_id, 40)}")
            changes = {**changes, "updated": now()}
            updated = self._checked(table, {**self._records(db, table)[ids[0].spelled], **changes})
            db.table(table).update(changes, doc_ids=ids)
            return updated

    def _remove(self, table: str, record_id: str) -> dict[str, Any]:
        with self.writing() as db:
            ids = self._ids(db, table, record_id)
            if not ids:
                raise StoreError(f"no {table[:-1]} with id {one_line(record_id, 40)}")
            removed = dict(self._records(db, table)[ids[0].spelled])
            db.table(table).remove(doc_ids=ids)
            return removed

    def _all(self, table: str, notice_id: str | None = None) -> list[dict[str, Any]]:
        """Copies of a table's records (of one notice), oldest first."""
        return [dict(record) for record in self._of_notice(table, notice_id)]

    def _of_notice(self, table: str, notice_id: str | None = None) -> Iterable[dict[str, Any]]:
        """A table's records (read-only), only those whose anchor points into ``notice_id`` when given
        (found by the table's ``NoticeIndex``, not by looking at every record)."""
        records = self._records(self.db, table)
        return records.values() if notice_id is None else [r for _, r in in_notice(records, notice_id)]

    def _find(self, table: str, record_id: str) -> dict[str, Any] | None:
        for record in self._records(self.db, table).values():
            if record.get("id") == record_id:
                return dict(record)
        return None
