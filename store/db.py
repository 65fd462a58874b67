"""The store: a TinyDB file of bookmarks, notes, codes and comparisons, and one of settings
(``Store.open``).

The file handling, lock and schema are in ``store.base``; each table's operations in its own module
(the settings, with their own file, in ``store.settings``).
"""

from __future__ import annotations

from pathlib import Path

from .base import LOCK_TIMEOUT, MIGRATIONS, SCHEMA_VERSION, TABLES, migrate, new_id, now, schema_version
from .bookmarks import BookmarkTable
from .codebook import CodeTable
from .comparisons import ComparisonTable
from .notes import parse_tags
from .paths import store_path
from .settings import SettingsTable

__all__ = [
    "LOCK_TIMEOUT",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "TABLES",
    "Store",
    "migrate",
    "new_id",
    "now",
    "parse_tags",
    "schema_version",
]


class Store(BookmarkTable, CodeTable, ComparisonTable, SettingsTable):
    """Bookmarks, notes, codes and coded segments, comparisons and settings.

    Open with ``Store.open``; use as a context manager."""

    @classmethod
    def open(
        cls, path: Path | None = None, *, read_only: bool = False, data_dir: Path | None = None
    ) -> Store:
        """Open (not yet create) the store and its settings file; a damaged or invalid file opens
        read-only, showing the backup, untouched (each file on its own).  A killed save's temporary
        files are cleared and an older schema migrated, when the lock is free.

        Args:
            path: the store file (default: ``store_path(data_dir)``).
            read_only: never write, whatever the file's state.
            data_dir: the ``--data-dir`` override.
        """
        store = cls(path or store_path(data_dir), read_only=read_only)
        store.settings_file.reload()
        store.reload()
        store.tidy()  # may move the settings into the settings file: it was looked at first
        store.settings_file.tidy()
        return store

    def __enter__(self) -> Store:
        return self
