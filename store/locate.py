"""Placing anchors in a loaded corpus, across a change of notice id.

A notice's id hashes its opening, so editing its first lines gives it a new id; ids of earlier versions
were shorter (4 hex digits, a prefix of today's 12).  An anchor whose notice id is not loaded is looked
for in the loaded notices of the same place — the readable part of the id (province, city, district,
year) or the place the anchor recorded — and re-attached only when exactly one of them holds its passage
with the context confirming it (``reattach(..., strict=True)``).  The attachment then names the new
notice and says why; the note records the new id the next time it is saved (``store.session``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ..loaders import Corpus, Notice
from ..loaders.entries import notice_entries
from .anchor import Anchor, Attachment, notice_place, reattach

_ID = re.compile(r"(?P<place>.+)-(?P<hash>[0-9a-f]{4}(?:[0-9a-f]{8})?)")


def place_key(notice_id: str) -> str:
    """The readable part of a notice id (``liaoning-shenyang-heping-2024``); "" when it names no place."""
    match = _ID.fullmatch(notice_id)
    if match is None or not re.search(r"[a-z]", match.group("place")):
        return ""
    return match.group("place")


class Placer:
    """Anchors placed in one corpus (its ids and place indexes are read once, on first need, from the
    metadata columns: no notice is built but those an anchor is looked for in)."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self._loaded: frozenset[str] | None = None
        self._by_key: dict[str, list[int]] | None = None
        self._by_place: dict[str, list[int]] = {}
        """Positions of the notices by ``notice_place`` (set with ``_by_key``)."""

    @property
    def loaded(self) -> frozenset[str]:
        """The ids of the corpus's notices."""
        if self._loaded is None:
            self._loaded = frozenset(self.corpus.column("id"))
        return self._loaded

    def elsewhere(self, records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """The records (notes, bookmarks, segments) whose anchor names a notice that is not loaded: those
        re-attached to another notice after an id change, or detached."""
        loaded = self.loaded
        return [record for record in records if record["anchor"].get("notice_id") not in loaded]

    def _candidates(self, anchor: Anchor) -> list[Notice]:
        if self._by_key is None:  # built whole before it is kept: a worker may be placing too
            by_key: dict[str, list[int]] = {}
            by_place: dict[str, list[int]] = {}
            for at, entry in enumerate(notice_entries(self.corpus)):
                by_key.setdefault(place_key(entry.id), []).append(at)
                by_place.setdefault(notice_place(entry), []).append(at)
            self._by_place, self._by_key = by_place, by_key
        key = place_key(anchor.notice_id)
        found = list(self._by_key.get(key, [])) if key else []
        if anchor.place.strip("/"):
            found += [at for at in self._by_place.get(anchor.place, []) if at not in found]
        return [self.corpus.notice(at) for at in found]

    def place(self, anchor: Anchor) -> tuple[Notice | None, Attachment]:
        """The notice the anchor lands in (None when detached from every loaded notice) and where."""
        notice = self.corpus.get(anchor.notice_id)
        if notice is not None:
            return notice, reattach(anchor, notice)
        found: list[tuple[Notice, Attachment]] = []
        for candidate in self._candidates(anchor):
            # an id of an earlier version is a prefix of the same notice's id now: the same notice
            attachment = reattach(anchor, candidate, strict=not candidate.id.startswith(anchor.notice_id))
            if attachment.status == "attached":
                found.append((candidate, attachment))
        if len(found) == 1:
            candidate, attachment = found[0]
            why = (
                "ids are longer now"
                if candidate.id.startswith(anchor.notice_id)
                else "its opening was edited, which changes the id"
            )
            reason = f"re-attached to {candidate.id}: was {anchor.notice_id} ({why})"
            return candidate, replace(attachment, reason=reason)
        if found:
            return None, Attachment(
                "detached",
                reason=f"{anchor.notice_id} is not loaded, and its passage is in "
                f"{len(found)} loaded notices of the same place",
            )
        return None, Attachment("detached", reason="the notice is not loaded")


def moved_to(anchor: Anchor, attachment: Attachment) -> str | None:
    """The new notice id of an anchor re-attached across an id change, else None."""
    if attachment.status == "detached" or not attachment.notice_id:
        return None
    return attachment.notice_id if attachment.notice_id != anchor.notice_id else None
