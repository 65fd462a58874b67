"""A persistent cache of parsed notices, keyed by each file's content hash and the loader version.

A second start parses nothing that has not changed: a file's bytes are hashed, and when a cache entry
for that hash and ``LOADER_VERSION`` exists, its notices are rebuilt from it instead of parsed (and
their outlines only when first used).  The file's current path is re-applied on load, so a renamed
file hits the cache too.  Entries are plain data (strings, numbers, lists, dicts) written with
``marshal``, which reads them several times faster than JSON — derived data only, never the user's
notes, and never pickle; a corrupt entry is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

from .model import LOADER_VERSION, Notice, NoticeMeta, Paragraph, Place, Section

_FORMAT = 2


def content_key(raw: bytes) -> str:
    """The cache key of a file's bytes (and of the loader version that parsed them)."""
    digest = hashlib.blake2b(raw, digest_size=16)
    digest.update(f"|loader={LOADER_VERSION}|format={_FORMAT}".encode())
    return digest.hexdigest()


def _section_to_list(section: Section) -> list[Any]:
    return [
        section.id,
        section.number,
        section.title,
        section.level,
        section.kind,
        section.fingerprint,
        [[p.start, len(p.text), p.is_heading] for p in section.paragraphs],
        [_section_to_list(c) for c in section.children],
    ]


def _section_from_list(data: list[Any], body: str) -> Section:
    sid, number, title, level, kind, fingerprint, paragraphs, children = data
    return Section(
        id=sid,
        number=number,
        title=title,
        level=level,
        kind=kind,
        paragraphs=[
            Paragraph(body[start : start + size], start, heading) for start, size, heading in paragraphs
        ],
        children=[_section_from_list(c, body) for c in children],
        fingerprint=fingerprint,
    )


def notice_to_json(notice: Notice) -> dict[str, Any]:
    """A compact plain-data form of a notice (paragraphs as offsets into the body)."""
    meta = notice.meta
    return {
        "id": notice.id,
        "meta": {
            "title": meta.title,
            "title_derived": meta.title_derived,
            "committee": meta.committee,
            "place": [
                meta.place.province,
                meta.place.city,
                meta.place.district,
                meta.place.adcode,
                meta.place.evidence,
            ],
            "level": meta.level,
            "round": meta.round,
            "team": meta.team,
            "kinds": meta.kinds,
            "inspection_start": meta.inspection_start,
            "inspection_end": meta.inspection_end,
            "feedback_date": meta.feedback_date,
            "publication_date": meta.publication_date,
            "source": meta.source,
            "signature_date": meta.signature_date,
        },
        "body": notice.body,
        "sections": [_section_to_list(s) for s in notice.sections],
        "index": notice.index_in_file,
        "encoding": notice.encoding,
    }


def notice_from_json(data: dict[str, Any], file: str) -> Notice:
    """Rebuild a notice written by ``notice_to_json``; its outline is rebuilt on first use."""
    meta_data = dict(data["meta"])
    meta = NoticeMeta(place=Place(*meta_data.pop("place")), **meta_data)
    body: str = data["body"]
    raw = data["sections"]
    return Notice(
        id=data["id"],
        meta=meta,
        body=body,
        file=file,
        index_in_file=data["index"],
        encoding=data["encoding"],
        outline=lambda: [_section_from_list(s, body) for s in raw],
    )


class ParseCache:
    """Parsed notices on disk under ``folder``, one entry per distinct file content."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.bin"

    def get(self, key: str, file: str) -> tuple[list[Notice], list[str]] | None:
        """The cached notices and warnings for this content, or None."""
        try:
            data = marshal.loads(self._entry(key).read_bytes())
            notices = [notice_from_json(n, file) for n in data["notices"]]
            warnings = [str(w) for w in data["warnings"]]
        except (OSError, ValueError, KeyError, TypeError, EOFError):
            self.misses += 1
            return None
        self.hits += 1
        return notices, warnings

    def put(self, key: str, notices: list[Notice], warnings: list[str]) -> None:
        """Store parsed notices atomically; a cache that cannot be written is simply skipped."""
        entry = self._entry(key)
        payload = {"notices": [notice_to_json(n) for n in notices], "warnings": warnings}
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                marshal.dump(payload, handle)
            os.replace(tmp, entry)
        except OSError:
            return
