"""The ``settings`` table: theme, last reading position and other key → value preferences."""

from __future__ import annotations

from typing import Any

from tinydb import Query

from .base import StoreBase, now


class SettingsTable(StoreBase):
    """Settings operations of ``Store``.

    A read-only store keeps changed settings in memory for the session, so the app still behaves.
    """

    def get(self, key: str, default: Any = None) -> Any:
        """A setting's value."""
        if key in self.unsaved_settings:
            return self.unsaved_settings[key]
        docs = self.db.table("settings").search(Query().key == key)
        return docs[0]["value"] if docs else default

    def set(self, key: str, value: Any) -> None:
        """Change a setting (in memory only while the store is read-only)."""
        if self.read_only:
            self.unsaved_settings[key] = value
            return
        with self.writing() as db:
            table = db.table("settings")
            stamp = now()
            if table.search(Query().key == key):
                table.update({"value": value, "updated": stamp}, Query().key == key)
            else:
                table.insert({"key": key, "value": value, "created": stamp, "updated": stamp})

    def unset(self, key: str) -> bool:
        """Forget a setting; True when there was one."""
        if self.read_only:
            return self.unsaved_settings.pop(key, None) is not None
        with self.writing() as db:
            return bool(db.table("settings").remove(Query().key == key))

    def settings(self) -> dict[str, Any]:
        """Every setting as ``{key: value}``."""
        stored = {d["key"]: d["value"] for d in self.db.table("settings").all()}
        return {**stored, **self.unsaved_settings}
