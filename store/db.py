"""The store: one TinyDB file of bookmarks, notes, comparisons and settings (``Store.open``).

The file handling, lock and schema are in ``store.base``; each table's operations in its own module.
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
        """Open (not yet create) the store; a damaged or invalid file opens read-only, showing the backup,
        untouched.  A killed save's temporary files are cleared and an older schema migrated, when the
        lock is free.

        Args:
            path: the store file (default: ``store_path(data_dir)``).
            read_only: never write, whatever the file's state.
            data_dir: the ``--data-dir`` override.
        """
        store = cls(path or store_path(data_dir), read_only=read_only)
        store.reload()
        store.tidy()
        return store

    def __enter__(self) -> Store:
        return self
