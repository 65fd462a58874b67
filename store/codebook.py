"""The ``codes`` and ``segments`` tables: the codebook and the passages each code marks.

A coded segment is anchored like a note (``store.anchor``: quote, context, section, position), so it
re-attaches the same way after re-parsing and is listed as detached, never moved, when it cannot be
placed.  Every change is one locked read-modify-write (``StoreBase.writing``), validated before it is
saved.  Renaming and moving change one code record; merging moves the segments and sub-codes of one
code onto another.  Notes' ``#tags`` become codes: adding or editing a note codes its passage with each
tag (``#问题类型/形式主义`` nests 形式主义 under 问题类型).
"""

from __future__ import annotations

from typing import Any

from tinydb import Query, TinyDB

from .base import new_id, now
from .codes import Codebook, check_colour, check_name, ensure_path, same_place, split_path
from .notes import NoteTable
from .notice_index import notice_of
from .storage import StoreError
from .table import RecordId, in_notice
from .tags import parse_tags, tag_path, tag_segments


class CodeTable(NoteTable):
    """Codebook and coded-segment operations of ``Store`` (and notes whose tags become codes)."""

    # -- reading ---------------------------------------------------------------------------------

    def codebook(self) -> Codebook:
        """The codes as a tree."""
        return Codebook(self._all("codes"))

    def code_records(self) -> list[dict[str, Any]]:
        """The stored code records (for exports), oldest first."""
        return self._all("codes")

    def segments(
        self, code_ids: set[str] | None = None, notice_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Coded segments (of some codes, of one notice), oldest first."""
        return [s for s in self._all("segments", notice_id) if code_ids is None or s["code_id"] in code_ids]

    def segment(self, segment_id: str) -> dict[str, Any] | None:
        """One segment by id."""
        return self._find("segments", segment_id)

    # -- helpers inside one locked write ---------------------------------------------------------

    def _record(self, fields: dict[str, Any]) -> dict[str, Any]:
        stamp = now()
        return {"id": new_id(), **fields, "created": stamp, "updated": stamp}

    def _book(self, db: TinyDB) -> tuple[list[dict[str, Any]], Codebook]:
        records = [dict(d) for d in db.table("codes").all()]
        return records, Codebook(records)

    def _code(self, book: Codebook, query: str) -> Any:
        try:
            return book.resolve(query)
        except ValueError as exc:
            raise StoreError(str(exc)) from None

    def _sibling_clash(self, book: Codebook, parent: str | None, name: str, moving: str) -> None:
        clash = next((c for c in book.children(parent) if c.name == name and c.id != moving), None)
        if clash is not None:
            raise StoreError(f"{clash.label} already exists (merge the two codes instead)")

    # -- codes -----------------------------------------------------------------------------------

    def add_code(self, path: str, *, colour: str | None = None, memo: str = "") -> dict[str, Any]:
        """Create a code at a path (``问题类型/形式主义``), with the levels above it as needed.

        Raises:
            StoreError: the path is not a code path, the colour not ``#RRGGBB``, or the code exists.
        """
        try:
            parts = split_path(path)
            colour = check_colour(colour) if colour else None
        except ValueError as exc:
            raise StoreError(str(exc)) from None
        with self.writing() as db:
            records, book = self._book(db)
            if book.find(parts) is not None:
                raise StoreError(f"the code {'/'.join(parts)} already exists")
            code_id, made = ensure_path(records, parts, self._record)
            leaf = made[-1]
            if colour:
                leaf["colour"] = colour
            leaf["memo"] = memo
            for record in made:
                db.table("codes").insert(self._checked("codes", record))
            return {**leaf, "path": list(parts), "id": code_id}

    def rename_code(self, query: str, name: str) -> dict[str, Any]:
        """Give a code a new name (its segments and sub-codes stay with it)."""
        try:
            name = check_name(name)
        except ValueError as exc:
            raise StoreError(str(exc)) from None
        with self.writing() as db:
            _, book = self._book(db)
            code = self._code(book, query)
            self._sibling_clash(book, code.parent, name, code.id)
            db.table("codes").update({"name": name, "updated": now()}, Query().id == code.id)
            return {"id": code.id, "name": name, "was": code.label}

    def move_code(self, query: str, parent: str | None) -> dict[str, Any]:
        """Put a code (with its sub-codes and segments) under another code, or at the top (None)."""
        with self.writing() as db:
            _records, book = self._book(db)
            code = self._code(book, query)
            target = self._code(book, parent) if parent else None
            if target is not None and target.id in book.subtree(code.id):
                raise StoreError(f"cannot move {code.label} under itself ({target.label})")
            self._sibling_clash(book, target.id if target else None, code.name, code.id)
            db.table("codes").update(
                {"parent": target.id if target else None, "updated": now()}, Query().id == code.id
            )
            return {"id": code.id, "was": code.label, "parent": target.label if target else ""}

    def edit_code(self, query: str, *, colour: str | None = None, memo: str | None = None) -> dict[str, Any]:
        """Change a code's colour or memo."""
        changes: dict[str, Any] = {}
        try:
            if colour is not None:
                changes["colour"] = check_colour(colour)
        except ValueError as exc:
            raise StoreError(str(exc)) from None
        if memo is not None:
            changes["memo"] = memo
        with self.writing() as db:
            _, book = self._book(db)
            code = self._code(book, query)
            record = dict(db.table("codes").search(Query().id == code.id)[0])
            self._checked("codes", {**record, **changes})
            db.table("codes").update({**changes, "updated": now()}, Query().id == code.id)
            return {**record, **changes}

    def merge_codes(self, source: str, target: str) -> dict[str, Any]:
        """Merge ``source`` into ``target``: its segments code ``target`` (a passage coded by both is
        kept once, with both memos), its sub-codes move under ``target`` (merged by name), its memo is
        appended; ``source`` is then removed.  Returns counts of what moved."""
        with self.writing() as db:
            _, book = self._book(db)
            src, dst = self._code(book, source), self._code(book, target)
            if src.id == dst.id:
                raise StoreError("a code cannot be merged into itself")
            if dst.id in book.subtree(src.id):
                raise StoreError(f"cannot merge {src.label} into its own sub-code {dst.label}")
            moved = self._merge(db, src.id, dst.id)
            return {"source": src.label, "target": dst.label, **moved}

    def _merge(self, db: TinyDB, source_id: str, target_id: str) -> dict[str, int]:
        codes, segments = db.table("codes"), db.table("segments")
        stamp = now()
        moved = {"segments": 0, "codes": 0}
        kept = [dict(s) for s in segments.search(Query().code_id == target_id)]
        for segment in [dict(s) for s in segments.search(Query().code_id == source_id)]:
            twin = next((k for k in kept if same_place(k["anchor"], segment["anchor"])), None)
            if twin is None:
                segments.update({"code_id": target_id, "updated": stamp}, Query().id == segment["id"])
                kept.append({**segment, "code_id": target_id})
            else:
                memo = "\n\n".join(m for m in (twin.get("memo", ""), segment.get("memo", "")) if m)
                segments.update({"memo": memo, "updated": stamp}, Query().id == twin["id"])
                twin["memo"] = memo
                segments.remove(Query().id == segment["id"])
            moved["segments"] += 1
        for child in [dict(c) for c in codes.search(Query().parent == source_id)]:
            clash = codes.search((Query().parent == target_id) & (Query().name == child["name"]))
            if clash:
                sub = self._merge(db, child["id"], clash[0]["id"])
                moved["segments"] += sub["segments"]
                moved["codes"] += sub["codes"] + 1
            else:
                codes.update({"parent": target_id, "updated": stamp}, Query().id == child["id"])
                moved["codes"] += 1
        source = codes.search(Query().id == source_id)[0]
        if source.get("memo"):
            target = codes.search(Query().id == target_id)[0]
            memo = "\n\n".join(m for m in (target.get("memo", ""), source["memo"]) if m)
            codes.update({"memo": memo, "updated": stamp}, Query().id == target_id)
        codes.remove(Query().id == source_id)
        return moved

    def remove_code(self, query: str) -> dict[str, Any]:
        """Delete a code that codes nothing and has no sub-codes (nothing coded is ever lost: merge or
        uncode first)."""
        with self.writing() as db:
            _, book = self._book(db)
            code = self._code(book, query)
            if book.children(code.id):
                raise StoreError(f"{code.label} has sub-codes; move or merge them first")
            count = db.table("segments").count(Query().code_id == code.id)
            if count:
                raise StoreError(f"{code.label} codes {count} segments; merge it into another code instead")
            db.table("codes").remove(Query().id == code.id)
            return {"id": code.id, "label": code.label}

    # -- segments --------------------------------------------------------------------------------

    def code_segment(self, code: str, anchor: dict[str, Any], memo: str = "", **extra: Any) -> dict[str, Any]:
        """Code an anchored passage (the code is created from its path if needed); coding the same
        passage with the same code again returns the existing segment (its memo extended)."""
        with self.writing() as db:
            records, book = self._book(db)
            if code in book.codes:
                code_id = code
            else:
                try:
                    parts = split_path(code)
                except ValueError as exc:
                    raise StoreError(str(exc)) from None
                code_id, made = ensure_path(records, parts, self._record)
                for record in made:
                    db.table("codes").insert(self._checked("codes", record))
            segments = db.table("segments")
            for existing in segments.search(Query().code_id == code_id):
                if same_place(existing["anchor"], anchor):
                    if memo and memo not in existing.get("memo", ""):
                        joined = "\n\n".join(m for m in (existing.get("memo", ""), memo) if m)
                        segments.update({"memo": joined, "updated": now()}, Query().id == existing["id"])
                        return {**existing, "memo": joined}
                    return dict(existing)
            record = self._checked(
                "segments", self._record({"code_id": code_id, "anchor": anchor, "memo": memo, **extra})
            )
            segments.insert(record)
            return record

    def edit_segment(self, segment_id: str, memo: str) -> dict[str, Any]:
        """Replace a segment's memo."""
        return self._update("segments", segment_id, {"memo": memo})

    def uncode(self, segment_id: str) -> dict[str, Any]:
        """Delete a coded segment; returns it."""
        return self._remove("segments", segment_id)

    # -- notes whose tags become codes ---------------------------------------------------------------

    def add_note(self, anchor: dict[str, Any], text: str, **extra: Any) -> dict[str, Any]:
        """Add a note; each of its ``#tags`` codes its passage (codes made as needed); one save."""
        with self.writing():
            record = super().add_note(anchor, text, **extra)
            self._code_tags(record, record["tags"])
        return record

    def edit_note(
        self, note_id: str, text: str, *, anchor: dict[str, Any] | None = None, previous_notice_id: str = ""
    ) -> dict[str, Any]:
        """Change a note; tags added code its passage, tags removed uncode what they coded; one save."""
        with self.writing():
            before = self.note(note_id)
            record = super().edit_note(note_id, text, anchor=anchor, previous_notice_id=previous_notice_id)
            old = set(before["tags"]) if before else set()
            new = parse_tags(text)
            added, removed = [t for t in new if t not in old], [t for t in old if t not in new]
            self._code_tags(record, added, removed=removed)
        return record

    def _code_tags(self, note: dict[str, Any], tags: list[str], removed: list[str] | None = None) -> None:
        if not tags and not removed:
            return
        with self.writing() as db:
            records, book = self._book(db)
            uncoded: set[str] = set()  # codes of the tags removed: their segments of this note go
            for tag in removed or []:
                path = tag_path(tag)
                code = book.find(path) if path else None
                if code is not None:
                    uncoded.add(code.id)
            # the segments the removed tags made go (a look at every segment, only when a tag was
            # removed); only segments in the note's notice can be twins of the ones its tags make (a
            # passage is coded once by a code)
            notice_id, note_id = notice_of(note), note["id"]
            stored = self._records(db, "segments")
            left = (
                {
                    key
                    for key, segment in stored.items()
                    if segment.get("note_id") == note_id and segment.get("code_id") in uncoded
                }
                if uncoded
                else set()
            )
            gone = [RecordId(key) for key in left]
            # the notice's, from the table's index: a look at all 20,000 was a third of adding a note
            segments = [dict(segment) for key, segment in in_notice(stored, notice_id) if key not in left]
            if gone:
                db.table("segments").remove(doc_ids=gone)
            made_codes, made_segments = tag_segments(note, records, segments, new_id, tags)
            for code_record in made_codes:
                db.table("codes").insert(self._checked("codes", code_record))
            for segment in made_segments:
                db.table("segments").insert(self._checked("segments", segment))

    def codes_from_notes(self) -> int:
        """Code every note's passage with its tags (for notes written elsewhere); returns how many
        segments were added."""
        added = 0
        with self.writing() as db:
            records, _ = self._book(db)
            segments = [dict(s) for s in db.table("segments").all()]
            for note in db.table("notes").all():
                made_codes, made_segments = tag_segments(dict(note), records, segments, new_id)
                for code_record in made_codes:
                    db.table("codes").insert(self._checked("codes", code_record))
                for segment in made_segments:
                    db.table("segments").insert(self._checked("segments", segment))
                added += len(made_segments)
        return added
