"""The store seen through the loaded corpus: notes and bookmarks re-attached, per notice and section.

The reader's screens use this; it never imports textual.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..loaders import Corpus, Notice, Section
from .anchor import Anchor, Attachment, make_anchor
from .db import Store
from .locate import Placer, moved_to
from .spots import AnchorKey, Spot, Spots, make_spot, stored_anchor_key


@dataclass(frozen=True, slots=True)
class PlacedRecord:
    """A note or bookmark with where it attaches in the loaded corpus now."""

    record: dict[str, Any]
    anchor: Anchor
    attachment: Attachment

    @property
    def detached(self) -> bool:
        """True when it could not be placed with confidence."""
        return self.attachment.status == "detached"

    @property
    def quote(self) -> str:
        """The quoted passage (empty for whole-section anchors)."""
        return "" if self.anchor.whole_section else self.anchor.exact

    @property
    def moved_to(self) -> str | None:
        """The new id of its notice, when it was re-attached across an id change (the reader should
        say so: ``attachment.reason``); recorded on the note when it is next saved."""
        return moved_to(self.anchor, self.attachment)

    @property
    def notice_id(self) -> str:
        """The notice it is shown in: the new id after an id change, else the anchor's."""
        return self.moved_to or self.anchor.notice_id


class Annotations:
    """Notes and bookmarks of a store, placed in a corpus (re-attached once per notice and change)."""

    def __init__(self, store: Store, corpus: Corpus) -> None:
        self.store = store
        self.corpus = corpus
        self._placer = Placer(corpus)
        #: (kind, notice id) → the records shown in that notice (``placed_in``)
        self._in_notice: dict[tuple[str, str], list[PlacedRecord]] = {}
        #: kind → the records whose notice is not loaded, placed, by the notice each is shown in
        self._elsewhere: dict[str, dict[str, list[PlacedRecord]]] = {}

    def _place(self, records: list[dict[str, Any]]) -> dict[str, list[PlacedRecord]]:
        by_notice: dict[str, list[PlacedRecord]] = {}
        for record in records:
            anchor = Anchor.from_dict(record["anchor"])
            placed = PlacedRecord(record, anchor, self._placer.place(anchor)[1])
            by_notice.setdefault(placed.notice_id, []).append(placed)
        return by_notice

    def refresh(self) -> None:
        """Forget placements (after a change, or when another process may have written).

        The caches are replaced, not cleared: a list still placing on a worker fills the old ones.
        """
        self._in_notice = {}
        self._elsewhere = {}

    def records(self, kind: str, notice_id: str | None = None) -> list[dict[str, Any]]:
        """The store's notes (``kind="notes"``) or bookmarks (of one notice), oldest first."""
        return self.store.notes(notice_id) if kind == "notes" else self.store.bookmarks(notice_id)

    def _placed_elsewhere(self, kind: str) -> dict[str, list[PlacedRecord]]:
        """The records whose notice is not loaded, placed once per change: by the notice they
        re-attach to, or under their own notice's id when detached."""
        cache = self._elsewhere
        found = cache.get(kind)
        if found is None:  # a store whose ids all still load has none
            found = cache[kind] = self._place(self._placer.elsewhere(self.records(kind)))
        return found

    def placed_in(self, kind: str, notice_id: str) -> list[PlacedRecord]:
        """The notes (``kind="notes"``) or bookmarks shown in one notice: those anchored in it, then
        those whose own notice is not loaded and that re-attach to it (after an id change).

        Reading a notice places only these — not every record of the store, which at thousands of notes
        read and re-attached hundreds of notices before the first screen.  Safe on a worker thread: a
        placement begun before a ``refresh`` lands in the caches it began with, never in the new ones.
        """
        key = (kind, notice_id)
        cache = self._in_notice
        found = cache.get(key)
        if found is None:
            own = self._place(self.records(kind, notice_id)).get(notice_id, [])
            found = cache[key] = own + self._placed_elsewhere(kind).get(notice_id, [])
        return found

    def groups(self, kind: str, records: list[dict[str, Any]]) -> Iterator[tuple[str, list[PlacedRecord]]]:
        """``records`` (the store's ``records(kind)``) placed one notice at a time: (the notice each
        group is shown in, its records), in the order of each notice's first record; then the groups of
        records whose notice is loaded nowhere (detached) or that re-attach to a notice with none of its
        own.  A caller can use the first groups while the rest are placed: at 10,000 notes placing every
        one reads and re-attaches thousands of notices (the lists use ``listed``, which takes passages
        placed before as they are).  A notice whose text was read only to place its group is let go
        of once the caller asks for the next group (memory follows the screen)."""
        loaded = self._placer.loaded
        shown: set[str] = set()
        for notice_id in dict.fromkeys(record["anchor"].get("notice_id") for record in records):
            if notice_id in loaded:
                shown.add(notice_id)
                notice = self.corpus.get(notice_id)
                unread = notice is not None and not notice.loaded
                yield notice_id, self.placed_in(kind, notice_id)
                if unread and notice is not None:
                    notice.release()
        for notice_id, group in self._placed_elsewhere(kind).items():
            if notice_id not in shown:
                yield notice_id, self.placed_in(kind, notice_id) if notice_id in loaded else group

    def listed(
        self, kind: str, records: list[dict[str, Any]], known: Mapping[AnchorKey, Spot], made: Spots
    ) -> Iterator[tuple[str, list[tuple[dict[str, Any], Spot]]]]:
        """``groups`` as a list shows them: each record with where it landed, a spot of ``known`` or
        made now (and added to ``made``), in the order ``groups`` gives.  A record whose passage was
        placed before (by the coding screens, or an earlier list) reads no text: at 10,000 notes the
        list filled in 2 s, reading and re-attaching thousands of notices.  ``known`` is read as the
        groups are taken (the caller may fill it after the first).  A notice whose text was read only
        to place its group is let go of once the caller asks for the next group."""
        loaded = self._placer.loaded
        placer = self._placer

        def spot_of(record: dict[str, Any], key: AnchorKey) -> Spot:
            spot = made.get(key) or known.get(key)
            if spot is None:
                spot = made[key] = make_spot(Anchor.from_dict(record["anchor"]), placer)
            return spot

        own: dict[str, list[tuple[dict[str, Any], AnchorKey]]] = {}
        elsewhere: dict[str, list[tuple[dict[str, Any], Spot]]] = {}
        for record in records:
            key = stored_anchor_key(record["anchor"])
            if key[0] in loaded:
                own.setdefault(key[0], []).append((record, key))
            else:  # re-attached to another notice, or detached: placed before any group is shown
                spot = spot_of(record, key)
                elsewhere.setdefault(spot.notice_id, []).append((record, spot))
        for notice_id, group in own.items():
            fresh = any(key not in known and key not in made for _, key in group)
            notice = self.corpus.get(notice_id) if fresh else None
            unread = notice is not None and not notice.loaded
            yield (
                notice_id,
                [(record, spot_of(record, key)) for record, key in group] + elsewhere.get(notice_id, []),
            )
            if unread and notice is not None:
                notice.release()
        for notice_id, placed_here in elsewhere.items():
            if notice_id not in own:
                yield notice_id, placed_here

    def notes(self) -> dict[str, list[PlacedRecord]]:
        """Every note, by the notice it is shown in (``groups``, all at once)."""
        return dict(self.groups("notes", self.records("notes")))

    def bookmarks(self) -> dict[str, list[PlacedRecord]]:
        """Every bookmark, by the notice it is shown in (``groups``, all at once)."""
        return dict(self.groups("bookmarks", self.records("bookmarks")))

    def notes_by_section(self, notice: Notice) -> dict[str, list[PlacedRecord]]:
        """A notice's notes by the section they attach to; detached ones under its first section."""
        first = notice.sections[0].id if notice.sections else ""
        result: dict[str, list[PlacedRecord]] = {}
        for placed in self.placed_in("notes", notice.id):
            section_id = placed.attachment.section_id if not placed.detached else first
            result.setdefault(section_id or first, []).append(placed)
        return result

    def marks(self, notice: Notice) -> tuple[set[str], set[str]]:
        """(bookmarked section ids, noted section ids) of a notice."""
        bookmarked = {p.attachment.section_id for p in self.placed_in("bookmarks", notice.id)}
        noted = {p.attachment.section_id for p in self.placed_in("notes", notice.id)}
        return {s for s in bookmarked if s}, {s for s in noted if s}

    def bookmark_of(self, notice: Notice, section: Section) -> PlacedRecord | None:
        """The bookmark on this section, if any."""
        return next(
            (p for p in self.placed_in("bookmarks", notice.id) if p.attachment.section_id == section.id), None
        )

    def toggle_bookmark(self, notice: Notice, section: Section) -> bool:
        """Bookmark the section, or remove its bookmark; True when it is now bookmarked."""
        existing = self.bookmark_of(notice, section)
        if existing is not None:
            self.store.remove_bookmark(existing.record["id"])
            self.refresh()
            return False
        anchor = make_anchor(notice, section.id)
        self.store.add_bookmark(anchor.to_dict(), notice_title=notice.title, district=notice.district)
        self.refresh()
        return True

    def add_note(
        self, notice: Notice, section: Section, text: str, quote: str | None = None
    ) -> dict[str, Any]:
        """Add a note on a section, or on a quoted passage inside it."""
        anchor = make_anchor(notice, section.id, quote)
        record = self.store.add_note(
            anchor.to_dict(), text, notice_title=notice.title, district=notice.district
        )
        self.refresh()
        return record

    def edit_note(self, note_id: str, text: str) -> None:
        """Change a note's text; a note re-attached across an id change records its new notice id (and
        the old one as ``previous_notice_id``)."""
        record = self.store.note(note_id)  # placed alone: where it is shown now
        groups = self._place([record]).values() if record is not None else []
        placed = next((p for group in groups for p in group), None)
        new_id = placed.moved_to if placed is not None else None
        if placed is not None and new_id is not None:
            anchor = replace(placed.anchor, notice_id=new_id).to_dict()
            self.store.edit_note(note_id, text, anchor=anchor, previous_notice_id=placed.anchor.notice_id)
        else:
            self.store.edit_note(note_id, text)
        self.refresh()

    def remove(self, kind: str, record_id: str) -> None:
        """Delete a note (``kind="notes"``) or a bookmark."""
        if kind == "notes":
            self.store.remove_note(record_id)
        else:
            self.store.remove_bookmark(record_id)
        self.refresh()

    def export(self) -> str:
        """All notes, bookmarks and saved comparisons as Markdown."""
        from .export import export_markdown

        return export_markdown(
            self.corpus, self.store.notes(), self.store.bookmarks(), self.store.comparisons()
        )
