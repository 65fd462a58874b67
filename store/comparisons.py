"""The ``comparisons`` table: a named set of two or more notices, a section to align on, a note."""

from __future__ import annotations

from typing import Any

from tinydb import Query

from .base import StoreBase, new_id, now
from .storage import StoreError


class ComparisonExists(StoreError):
    """Saving under a name that is already taken, without ``replace=True``."""


class ComparisonTable(StoreBase):
    """Saved-comparison operations of ``Store`` (comparisons are named; the name is unique)."""

    def save_comparison(
        self,
        name: str,
        notice_ids: list[str],
        *,
        section_id: str | None = None,
        note: str = "",
        replace: bool = True,
    ) -> dict[str, Any]:
        """Save a named comparison of two or more different notices (the name without surrounding
        spaces); a comparison of that name is replaced, or with ``replace=False`` refused.

        Raises:
            StoreError: an empty name, a notice named twice, fewer than two notices (one-line message).
            ComparisonExists: the name is taken and ``replace`` is False.
        """
        name = name.strip()
        if not name:
            raise StoreError("a comparison needs a name")
        twice = next((i for i in notice_ids if notice_ids.count(i) > 1), None)
        if twice is not None:
            raise StoreError(f"the same notice is named twice: {twice}")
        if len(notice_ids) < 2:
            raise StoreError("a comparison needs two or more notices")
        with self.writing() as db:
            table = db.table("comparisons")
            existing = table.search(Query().name == name)
            if existing and not replace:
                raise ComparisonExists(f"a comparison named {name!r} already exists")
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
        """A saved comparison by name (surrounding spaces ignored)."""
        docs = self.db.table("comparisons").search(Query().name == name.strip())
        return dict(docs[0]) if docs else None

    def remove_comparison(self, name: str) -> dict[str, Any]:
        """Delete a saved comparison by name (surrounding spaces ignored); returns it."""
        name = name.strip()
        with self.writing() as db:
            docs = db.table("comparisons").search(Query().name == name)
            if not docs:
                raise StoreError(f"no saved comparison named {name!r}")
            db.table("comparisons").remove(Query().name == name)
            return dict(docs[0])
