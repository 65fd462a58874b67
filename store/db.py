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

    opened = False
    """True once the store's own file was read (``finish_open``), not only its settings."""

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
        store = cls.open_settings(path, read_only=read_only, data_dir=data_dir)
        store.finish_open()
        return store

    @classmethod
    def open_settings(
        cls, path: Path | None = None, *, read_only: bool = False, data_dir: Path | None = None
    ) -> Store:
        """``open``, having read only the settings file: ``finish_open`` reads the store's own file.

        The reader does that on a worker once its first screen is drawn: at thousands of notes, parsing
        and checking the file takes a tenth of a second or more.  Anything asked of the store before
        then reads the file itself, on the thread that asks.  A store of a schema that still keeps the
        settings in its own file (no settings file yet) is opened whole: they are moved out first.
        """
        store = cls(path or store_path(data_dir), read_only=read_only)
        store.settings_file.reload()
        if not store.settings_file.path.exists() and store.path.exists():
            store.finish_open()
        return store

    def finish_open(self) -> None:
        """Read the store's file (damaged or invalid: read-only, the backup shown), clear what a killed
        save left, and bring an older schema up to date when the lock is free (``open``)."""
        if self.opened:
            return
        self.reload()
        self.tidy()  # may move the settings into the settings file: it was looked at first
        self.settings_file.tidy()
        self.opened = True

    def __enter__(self) -> Store:
        return self
