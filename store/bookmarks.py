"""The ``bookmarks`` table: anchored places in notices, with an optional label."""

from __future__ import annotations

from typing import Any

from .base import StoreBase


class BookmarkTable(StoreBase):
    """Bookmark operations of ``Store``."""

    def add_bookmark(self, anchor: dict[str, Any], **extra: Any) -> dict[str, Any]:
        """Bookmark an anchored place (see ``store.anchor``)."""
        return self._insert("bookmarks", {"anchor": anchor, **extra})

    def bookmarks(self, notice_id: str | None = None) -> list[dict[str, Any]]:
        """All bookmarks (of one notice), oldest first."""
        return self._all("bookmarks", notice_id)

    def bookmark(self, bookmark_id: str) -> dict[str, Any] | None:
        """One bookmark by id."""
        return self._find("bookmarks", bookmark_id)

    def edit_bookmark(self, bookmark_id: str, label: str) -> dict[str, Any]:
        """Give a bookmark a label (empty to clear it)."""
        return self._update("bookmarks", bookmark_id, {"label": label})

    def remove_bookmark(self, bookmark_id: str) -> dict[str, Any]:
        """Delete a bookmark; returns it."""
        return self._remove("bookmarks", bookmark_id)
