"""The ``notes`` table: the user's text on an anchored passage, with ``#tags`` collected from it."""

from __future__ import annotations

from typing import Any

from .base import StoreBase
from .tags import parse_tags

__all__ = ["NoteTable", "parse_tags"]


class NoteTable(StoreBase):
    """Note operations of ``Store``."""

    def add_note(self, anchor: dict[str, Any], text: str, **extra: Any) -> dict[str, Any]:
        """Add a note on an anchored place; ``#tags`` in the text are collected."""
        return self._insert("notes", {"anchor": anchor, "text": text, "tags": parse_tags(text), **extra})

    def edit_note(
        self, note_id: str, text: str, *, anchor: dict[str, Any] | None = None, previous_notice_id: str = ""
    ) -> dict[str, Any]:
        """Replace a note's text (and tags); with ``anchor``, also where it points (a note re-attached
        to a notice whose id changed records the new id when next saved, and the old one as
        ``previous_notice_id``)."""
        changes: dict[str, Any] = {"text": text, "tags": parse_tags(text)}
        if anchor is not None:
            changes["anchor"] = anchor
        if previous_notice_id:
            changes["previous_notice_id"] = previous_notice_id
        return self._update("notes", note_id, changes)

    def remove_note(self, note_id: str) -> dict[str, Any]:
        """Delete a note; returns it."""
        return self._remove("notes", note_id)

    def notes(self, notice_id: str | None = None, tag: str | None = None) -> list[dict[str, Any]]:
        """Notes, optionally of one notice and/or with one tag, oldest first."""
        records = self._of_notice("notes", notice_id)
        return [_with_tags(record) for record in records if tag is None or tag in record.get("tags", ())]

    def note(self, note_id: str) -> dict[str, Any] | None:
        """One note by id."""
        found = self._find("notes", note_id)
        return _with_tags(found) if found is not None else None


def _with_tags(record: dict[str, Any]) -> dict[str, Any]:
    """A note as callers expect it: ``tags`` always there (a hand-written note may lack them)."""
    return {**record, "tags": record["tags"]} if "tags" in record else {**record, "tags": []}
