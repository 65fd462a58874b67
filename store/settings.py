"""The ``settings`` table: theme, last reading position and other key → value preferences.

The settings live in their own file beside the store (``settings.json`` beside ``store.json``), saved
with the same machinery (``StoreBase``: atomic write, backup, validation, read-only when damaged) under
the store's own lock, so saving the reading position writes a few hundred bytes, whatever the number
of notes.  A store of schema 3 or older keeps its settings in ``store.json``: they are read from there
until ``settings.json`` exists, and moved when the store is next saved (``settings.json`` written
first, then ``store.json`` without them, so a crash in between leaves them in both; ``settings.json``
wins).  Each file has its own problem: a damaged ``settings.json`` keeps the notes writable (and the
settings changed meanwhile are kept for the session), a damaged ``store.json`` keeps the settings
writable.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from tinydb import Query

from .base import SCHEMA_VERSION, StoreBase, StoreLock, now
from .paths import settings_path
from .storage import StoreError

TABLE = "settings"


class SettingsTable(StoreBase):
    """Settings operations of ``Store``.

    A read-only settings file keeps changed settings in memory for the session, so the app still
    behaves.
    """

    def __init__(self, path: Path, *, read_only: bool = False, lock: StoreLock | None = None) -> None:
        super().__init__(path, read_only=read_only, lock=lock)
        self.settings_file = StoreBase(settings_path(path), read_only=read_only, lock=self._lock)
        """The settings' own file (same lock as the store)."""

    @property
    def settings_read_only(self) -> bool:
        """True when settings changes are kept for the session only (asked for, or a damaged file)."""
        return self.settings_file.read_only

    @property
    def settings_problem(self) -> str | None:
        """Why the settings are read-only (one line), or None."""
        return self.settings_file.problem

    # -- where the settings are ------------------------------------------------------------------

    def _legacy(self) -> dict[str, Any]:
        """The ``settings`` table still in the store file (a store saved before schema 4)."""
        return self._records(self.db, TABLE)

    def _stored(self) -> dict[str, Any]:
        """The settings records as saved: the settings file's (its backup when it is damaged), the
        store file's until the settings file exists (and under a damaged one without a backup)."""
        document = self.settings_file.db.storage.read()
        if not document:
            return self._legacy()
        records = document.get(TABLE)
        return records if isinstance(records, dict) else {}

    def _seeded(self, legacy: dict[str, Any] | None = None) -> dict[str, Any]:
        """A new settings file's document: the settings still in the store file, if any."""
        records = self._legacy() if legacy is None else legacy
        return {"_meta": {"1": {"schema_version": SCHEMA_VERSION}}, TABLE: copy.deepcopy(records)}

    def _outdated(self, document: dict[str, Any]) -> bool:
        return super()._outdated(document) or TABLE in document

    def _carry(self, document: dict[str, Any]) -> bool:
        """The store file's ``settings`` table into the settings file (written now, before the store
        file), where that file is not damaged; an existing settings file wins over the table."""
        legacy = document.get(TABLE)
        if legacy is None:
            return False
        if isinstance(legacy, dict) and legacy:
            if self.settings_file.read_only:
                return False  # damaged: the settings stay in the store file, never lost
            try:
                with self.settings_file.writing(fresh=lambda: self._seeded(legacy)):
                    pass  # a new file starts from the table; an existing one is kept as it is
            except StoreError:
                return False  # the settings file was damaged since, or cannot be written: try next time
        del document[TABLE]
        return True

    # -- the settings ----------------------------------------------------------------------------

    def get(self, key: str, default: Any = None) -> Any:
        """A setting's value."""
        if key in self.unsaved_settings:
            return self.unsaved_settings[key]
        for record in self._stored().values():
            if record.get("key") == key:
                return record["value"]
        return default

    def set(self, key: str, value: Any) -> None:
        """Change a setting (in memory only while the settings are read-only)."""
        if self.settings_file.read_only:
            self.unsaved_settings[key] = value
            return
        with self.settings_file.writing(fresh=self._seeded) as db:
            table = db.table(TABLE)
            stamp = now()
            if table.search(Query().key == key):
                table.update({"value": value, "updated": stamp}, Query().key == key)
            else:
                table.insert({"key": key, "value": value, "created": stamp, "updated": stamp})

    def unset(self, key: str) -> bool:
        """Forget a setting; True when there was one."""
        if self.settings_file.read_only:
            return self.unsaved_settings.pop(key, None) is not None
        with self.settings_file.writing(fresh=self._seeded) as db:
            return bool(db.table(TABLE).remove(Query().key == key))

    def settings(self) -> dict[str, Any]:
        """Every setting as ``{key: value}``."""
        stored = {record["key"]: record["value"] for record in self._stored().values()}
        return {**stored, **self.unsaved_settings}
