"""The store: one TinyDB file of bookmarks, notes, comparisons and settings.

Every change happens under a cross-process file lock and re-reads the file first (TinyDB reads its
storage before each operation), so two running ``zhenggai`` processes never lose each other's notes.
A corrupt or unreadable file is never overwritten: the store opens read-only with a one-line message.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb import Query, TinyDB
from tinydb.table import Document

from .paths import store_path
from .storage import SafeJSONStorage, StoreCorrupt, StoreError, StoreReadOnly, backup_path, read_document

SCHEMA_VERSION = 1
TABLES = ("bookmarks", "notes", "comparisons", "settings")
_TAG = re.compile(r"(?<![\w#])#([\w\u4e00-\u9fff][\w\u4e00-\u9fff\-]{0,30})")
LOCK_TIMEOUT = 10.0

#: Migrations from a schema version to the next; each takes and returns the whole document.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def now() -> str:
    """ISO 8601 timestamp with the local time zone."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def new_id() -> str:
    """A short random record id."""
    return uuid.uuid4().hex[:10]


def parse_tags(text: str) -> list[str]:
    """``#营商环境 #todo`` in a note → ``["营商环境", "todo"]`` (first occurrence order)."""
    tags: list[str] = []
    for tag in _TAG.findall(text):
        if tag not in tags:
            tags.append(tag)
    return tags


def migrate(document: dict[str, Any]) -> dict[str, Any]:
    """Bring a document up to ``SCHEMA_VERSION``.

    Raises:
        StoreError: the document was written by a newer zhenggai.
    """
    meta = document.get("_meta", {}).get("1", {})
    version = int(meta.get("schema_version", SCHEMA_VERSION if not document else 1))
    if version > SCHEMA_VERSION:
        raise StoreError(f"the store was written by a newer zhenggai (schema {version} > {SCHEMA_VERSION})")
    while version < SCHEMA_VERSION:
        document = MIGRATIONS[version](document)
        version += 1
    document.setdefault("_meta", {})["1"] = {"schema_version": SCHEMA_VERSION}
    return document


class Store:
    """Bookmarks, notes, comparisons and settings.  Open with ``Store.open``."""

    def __init__(
        self, path: Path, *, read_only: bool, problem: str | None, initial: dict[str, Any] | None
    ) -> None:
        self.path = path
        self._initial = initial
        self.read_only = read_only
        self.problem = problem
        """Why the store is read-only (one line), or None."""
        self._lock = FileLock(str(path.with_name(path.name + ".lock")), timeout=LOCK_TIMEOUT)

    @classmethod
    def open(
        cls, path: Path | None = None, *, read_only: bool = False, data_dir: Path | None = None
    ) -> Store:
        """Open (not yet create) the store; a corrupt file opens read-only and is left untouched."""
        path = path or store_path(data_dir)
        problem: str | None = None
        document: dict[str, Any] | None = None
        try:
            document = read_document(path)
            if document is not None:
                migrate(dict(document))
        except StoreError as exc:
            problem, read_only, document = str(exc), True, None
            try:  # show the last good version while the damaged file waits for the user
                document = read_document(backup_path(path))
            except StoreCorrupt:
                document = None
        initial = (document or {}) if read_only else None
        return cls(path, read_only=read_only, problem=problem, initial=initial)

    @property
    def db(self) -> TinyDB:
        """A fresh view of the file: TinyDB caches ids and queries per instance, and another process may
        have written since."""
        return TinyDB(self.path, storage=SafeJSONStorage, read_only=self.read_only, initial=self._initial)

    def close(self) -> None:
        """Nothing is held open between operations; kept for ``with`` blocks."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the write path -----------------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[TinyDB]:
        """Hold the cross-process lock for one read-modify-write, with the schema up to date."""
        if self.read_only:
            raise StoreReadOnly(self.problem or f"the store {self.path} is open read-only")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self._lock:
                db = self.db
                document = db.storage.read()
                if (
                    document is None
                    or document.get("_meta", {}).get("1", {}).get("schema_version") != SCHEMA_VERSION
                ):
                    db.storage.write(migrate(document or {}))
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

    # -- bookmarks -----------------------------------------------------------------------------------

    def add_bookmark(self, anchor: dict[str, Any], **extra: Any) -> dict[str, Any]:
        """Bookmark an anchored place (see ``store.anchor``)."""
        return self._insert("bookmarks", {"anchor": anchor, **extra})

    def bookmarks(self, notice_id: str | None = None) -> list[dict[str, Any]]:
        """All bookmarks (of one notice), oldest first."""
        items = self._all("bookmarks")
        return [b for b in items if notice_id is None or b["anchor"]["notice_id"] == notice_id]

    def remove_bookmark(self, bookmark_id: str) -> dict[str, Any]:
        """Delete a bookmark; returns it."""
        return self._remove("bookmarks", bookmark_id)

    # -- notes ---------------------------------------------------------------------------------------

    def add_note(self, anchor: dict[str, Any], text: str, **extra: Any) -> dict[str, Any]:
        """Add a note on an anchored place; ``#tags`` in the text are collected."""
        return self._insert("notes", {"anchor": anchor, "text": text, "tags": parse_tags(text), **extra})

    def edit_note(self, note_id: str, text: str) -> dict[str, Any]:
        """Replace a note's text (and tags)."""
        return self._update("notes", note_id, {"text": text, "tags": parse_tags(text)})

    def remove_note(self, note_id: str) -> dict[str, Any]:
        """Delete a note; returns it."""
        return self._remove("notes", note_id)

    def notes(self, notice_id: str | None = None, tag: str | None = None) -> list[dict[str, Any]]:
        """Notes, optionally of one notice and/or with one tag, oldest first."""
        docs: list[Document] = self.db.table("notes").all()
        if notice_id is None and tag is None:
            return [dict(d) for d in docs]
        return [
            dict(d)
            for d in docs
            if (notice_id is None or d["anchor"]["notice_id"] == notice_id)
            and (tag is None or tag in d["tags"])
        ]

    def note(self, note_id: str) -> dict[str, Any] | None:
        """One note by id."""
        docs = self.db.table("notes").search(Query().id == note_id)
        return dict(docs[0]) if docs else None

    # -- comparisons ---------------------------------------------------------------------------------

    def save_comparison(
        self, name: str, notice_ids: list[str], *, section_id: str | None = None, note: str = ""
    ) -> dict[str, Any]:
        """Save (or replace) a named comparison of two or more notices."""
        if len(notice_ids) < 2:
            raise StoreError("a comparison needs two or more notices")
        with self.writing() as db:
            table = db.table("comparisons")
            existing = table.search(Query().name == name)
            stamp = now()
            record = {"notice_ids": notice_ids, "section_id": section_id, "note": note, "updated": stamp}
            if existing:
                table.update(record, Query().name == name)
                return {**existing[0], **record}
            record = {"id": new_id(), "name": name, **record, "created": stamp}
            table.insert(record)
            return record

    def comparisons(self) -> list[dict[str, Any]]:
        """Saved comparisons, oldest first."""
        return self._all("comparisons")

    def comparison(self, name: str) -> dict[str, Any] | None:
        """A saved comparison by name."""
        docs = self.db.table("comparisons").search(Query().name == name)
        return dict(docs[0]) if docs else None

    def remove_comparison(self, name: str) -> dict[str, Any]:
        """Delete a saved comparison by name; returns it."""
        with self.writing() as db:
            docs = db.table("comparisons").search(Query().name == name)
            if not docs:
                raise StoreError(f"no saved comparison named {name!r}")
            db.table("comparisons").remove(Query().name == name)
            return dict(docs[0])

    # -- settings ------------------------------------------------------------------------------------

    def get(self, key: str, default: Any = None) -> Any:
        """A setting's value."""
        docs = self.db.table("settings").search(Query().key == key)
        return docs[0]["value"] if docs else default

    def set(self, key: str, value: Any) -> None:
        """Change a setting (silently kept in memory only when the store is read-only)."""
        if self.read_only:
            return
        with self.writing() as db:
            table = db.table("settings")
            stamp = now()
            if table.search(Query().key == key):
                table.update({"value": value, "updated": stamp}, Query().key == key)
            else:
                table.insert({"key": key, "value": value, "created": stamp, "updated": stamp})
