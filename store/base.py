"""The store's core: opening the TinyDB file, the locked read-modify-write, schema and migrations.

Every change happens under a cross-process file lock and re-reads the file first (TinyDB reads its
storage before each operation), so two running ``zhenggai`` processes never lose each other's notes.
A corrupt or unreadable file is never overwritten: the store opens read-only with a one-line message.
The tables live in their own modules (``bookmarks``, ``notes``, ``comparisons``, ``settings``).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb import Query, TinyDB

from .storage import (
    SafeJSONStorage,
    StoreError,
    StoreReadOnly,
    backup_path,
    read_document,
    remove_stale_temporaries,
)

SCHEMA_VERSION = 1
TABLES = ("bookmarks", "notes", "comparisons", "settings")
LOCK_TIMEOUT = 10.0

#: Migrations from a schema version to the next; each takes and returns the whole document.
#: Schema 1 is the first version, so there is nothing to migrate from yet.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def now() -> str:
    """ISO 8601 timestamp with the local time zone."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def new_id() -> str:
    """A short random record id."""
    return uuid.uuid4().hex[:10]


def schema_version(document: dict[str, Any]) -> int:
    """The schema a document was written with (an empty document counts as current)."""
    meta = document.get("_meta", {}).get("1", {})
    return int(meta.get("schema_version", SCHEMA_VERSION if not document else 1))


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


class StoreBase:
    """The file, its lock and the generic record operations the table mixins build on."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.requested_read_only = read_only
        """True when the caller asked for read-only (not because of a damaged file)."""
        self.read_only = read_only
        self.problem: str | None = None
        """Why the store is read-only (one line), or None."""
        self._initial: dict[str, Any] | None = None
        self.unsaved_settings: dict[str, Any] = {}
        """Settings changed while read-only: kept for the session, never written."""
        self._lock = FileLock(str(path.with_name(path.name + ".lock")), timeout=LOCK_TIMEOUT)

    def reload(self) -> None:
        """Look at the file again: a damaged file makes the store read-only (showing the backup), a
        repaired one makes it writable again, an older schema is migrated."""
        problem: str | None = None
        document: dict[str, Any] | None = None
        try:
            document = read_document(self.path)
            if document is not None:
                check_version(document)
        except StoreError as exc:
            problem, document = str(exc), None
            try:  # show the last good version while the damaged file waits for the user
                document = read_document(backup_path(self.path))
                if document is not None:
                    check_version(document)
            except StoreError:
                document = None
        self.problem = problem
        self.read_only = self.requested_read_only or problem is not None
        if self.read_only and document is not None and schema_version(document) < SCHEMA_VERSION:
            document = migrate(copy.deepcopy(document))  # an up-to-date view; the file stays as it is
        self._initial = (document or {}) if self.read_only else None
        if not self.read_only and document is not None and schema_version(document) < SCHEMA_VERSION:
            with self.writing():
                pass  # ``writing`` migrates under the lock; the old file stays as the backup

    @property
    def db(self) -> TinyDB:
        """A fresh view of the file: TinyDB caches ids and queries per instance, and another process may
        have written since."""
        return TinyDB(self.path, storage=SafeJSONStorage, read_only=self.read_only, initial=self._initial)

    def close(self) -> None:
        """Nothing is held open between operations; kept for ``with`` blocks."""

    def __enter__(self) -> StoreBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def writing(self) -> Iterator[TinyDB]:
        """Hold the cross-process lock for one read-modify-write, with the schema up to date."""
        if self.read_only:
            raise StoreReadOnly(self.problem or f"the store {self.path} is open read-only")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self._lock:
                remove_stale_temporaries(self.path)
                db = self.db
                try:
                    document = db.storage.read()
                    if document is None or schema_version(document) != SCHEMA_VERSION:
                        db.storage.write(migrate(document or {}))
                except StoreError:
                    self.reload()  # damaged or upgraded by another program since we opened it: read-only
                    raise
                yield db
        except Timeout:
            raise StoreError(
                f"another zhenggai holds the lock on {self.path} (waited {LOCK_TIMEOUT:g} s)"
            ) from None

    def _insert(self, table: str, record: dict[str, Any]) -> dict[str, Any]:
        stamp = now()
        record = {"id": new_id(), **record, "created": stamp, "updated": stamp}
        with self.writing() as db:
            db.table(table).insert(record)
        return record

    def _update(self, table: str, record_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        with self.writing() as db:
            docs = db.table(table).search(Query().id == record_id)
            if not docs:
                raise StoreError(f"no {table[:-1]} with id {record_id}")
            changes = {**changes, "updated": now()}
            db.table(table).update(changes, Query().id == record_id)
            return {**docs[0], **changes}

    def _remove(self, table: str, record_id: str) -> dict[str, Any]:
        with self.writing() as db:
            docs = db.table(table).search(Query().id == record_id)
            if not docs:
                raise StoreError(f"no {table[:-1]} with id {record_id}")
            db.table(table).remove(Query().id == record_id)
            return dict(docs[0])

    def _all(self, table: str) -> list[dict[str, Any]]:
        return [dict(d) for d in self.db.table(table).all()]

    def _find(self, table: str, record_id: str) -> dict[str, Any] | None:
        docs = self.db.table(table).search(Query().id == record_id)
        return dict(docs[0]) if docs else None
