"""A note's ``#tags`` and the codes they stand for (``#问题类型/形式主义`` nests 形式主义 under 问题类型).

Pure: used by the notes table, the codebook and the migration to schema 3 (which turns the tags of
existing notes into codes and coded segments, so nothing tagged before is missing from the codebook).
"""

from __future__ import annotations

import copy
import re
import uuid
from datetime import datetime
from typing import Any

from .codes import PLACE_KEYS, ensure_path, split_path

#: ``\w`` takes in every Han character (U+4E00–U+9FFF are letters to ``re``): naming that range beside
#: it as well changed no match and made compiling the pattern 3.6 ms of the reader's start.
_WORD = r"\w[\w\-]{0,30}"
_TAG = re.compile(rf"(?<![\w#/])#({_WORD}(?:/{_WORD}){{0,7}})")


def parse_tags(text: str) -> list[str]:
    """``#营商环境 #问题类型/形式主义`` in a note → ``["营商环境", "问题类型/形式主义"]`` (first
    occurrence order)."""
    tags: list[str] = []
    for tag in _TAG.findall(text):
        if tag not in tags:
            tags.append(tag)
    return tags


def tag_path(tag: str) -> tuple[str, ...] | None:
    """A tag's code path, or None when it cannot be one."""
    try:
        return split_path(tag)
    except ValueError:
        return None


def _stamp() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def tag_segments(
    note: dict[str, Any],
    codes: list[dict[str, Any]],
    segments: list[dict[str, Any]],
    new_id: Any = None,
    tags: list[str] | None = None,
    coded: set[tuple[Any, ...]] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The codes and segments to add so that each of a note's tags codes the note's passage.

    ``codes`` and ``segments`` are the current records (extended in place with the new ones); a tag
    whose code already codes the same passage adds nothing.  Returns (new codes, new segments).
    ``coded`` (``coded_places(segments)``, kept up to date here) spares a scan of every segment per
    tag when many notes are converted at once.
    """
    if coded is None:
        coded = coded_places(segments)
    make_id = new_id or (lambda: uuid.uuid4().hex[:10])
    stamp = _stamp()

    def complete(record: dict[str, Any]) -> dict[str, Any]:
        return {"id": make_id(), **record, "created": stamp, "updated": stamp}

    new_codes: list[dict[str, Any]] = []
    new_segments: list[dict[str, Any]] = []
    anchor = note.get("anchor")
    if not isinstance(anchor, dict):
        return new_codes, new_segments
    for tag in tags if tags is not None else parse_tags(str(note.get("text", ""))):
        path = tag_path(tag)
        if path is None:
            continue
        code_id, made = ensure_path(codes, path, complete)
        new_codes += made
        place = _coded_place(code_id, anchor)
        if place in coded:
            continue
        coded.add(place)
        segment = complete(
            {
                "code_id": code_id,
                "anchor": copy.deepcopy(anchor),
                "memo": "",
                "note_id": str(note.get("id", "")),
                "notice_title": note.get("notice_title"),
                "district": note.get("district"),
            }
        )
        segments.append(segment)
        new_segments.append(segment)
    return new_codes, new_segments


def _coded_place(code_id: Any, anchor: Any) -> tuple[Any, ...]:
    """What ``same_place`` compares, with the code: equal for a passage coded twice by one code."""
    found = anchor if isinstance(anchor, dict) else {}
    return (code_id, *(repr(found.get(k)) for k in PLACE_KEYS))


def coded_places(segments: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    """Every (code, passage) the segments code."""
    return {_coded_place(s.get("code_id"), s.get("anchor")) for s in segments}


def codes_from_tags(document: dict[str, Any]) -> dict[str, Any]:
    """Schema 2 → 3: tags re-read (they may now nest), and every note's tags become codes and segments."""
    notes = document.get("notes", {})
    codes_table = document.setdefault("codes", {})
    segments_table = document.setdefault("segments", {})
    codes = list(codes_table.values())
    segments = list(segments_table.values())
    coded = coded_places(segments)
    last = {
        id(t): max((int(k) for k in t if str(k).isdigit()), default=0) for t in (codes_table, segments_table)
    }
    for note in notes.values():
        if isinstance(note.get("text"), str):
            note["tags"] = parse_tags(note["text"])
        made_codes, made_segments = tag_segments(note, codes, segments, coded=coded)
        for table, records in ((codes_table, made_codes), (segments_table, made_segments)):
            for record in records:
                last[id(table)] += 1
                table[str(last[id(table)])] = record
    return document
