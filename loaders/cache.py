"""A persistent cache of parsed notices, keyed by each file's content hash and the loader version.

A second start parses nothing that has not changed: a file's bytes are hashed, and when a cache entry
for that hash and ``LOADER_VERSION`` exists, its notices are rebuilt from it instead of parsed (and
their outlines only when first used).  The file's current path is re-applied on load, so a renamed
file hits the cache too.  Entries are plain data (strings, numbers, lists, dicts) written with
``marshal``, which reads them several times faster than JSON — derived data only, never the user's
notes, and never pickle.

The cache is disposable: an entry that cannot be read, is not marshal data, or does not have exactly
the shape written here (every field of ``NoticeMeta`` and ``Place`` with its type, the outline's
columns with matching lengths and offsets inside the body) is a miss — deleted, and the file parsed
again.  The check runs when the entry is read, over whole columns at C speed, so the lazily built
outline can never fail later.
"""

from __future__ import annotations

import hashlib
import marshal
import operator
import os
import tempfile
from contextlib import suppress
from dataclasses import fields
from pathlib import Path
from typing import Any

from .model import LOADER_VERSION, Notice, NoticeMeta, Paragraph, Place, Section

_FORMAT = 3
#: An entry larger than this is not read (a notice file is at most 64 MB; its entry about as large).
MAX_ENTRY_BYTES = 256 * 1024 * 1024
_META_FIELDS = tuple(f for f in fields(NoticeMeta) if f.name != "place")
_PLACE_FIELDS = tuple(f.name for f in fields(Place))
_OUTLINE_COLUMNS = 11


class CacheEntryError(ValueError):
    """A cache entry that does not have the shape this loader writes."""


def content_key(raw: bytes) -> str:
    """The cache key of a file's bytes (and of the loader version that parsed them)."""
    digest = hashlib.blake2b(raw, digest_size=16)
    digest.update(f"|loader={LOADER_VERSION}|format={_FORMAT}".encode())
    return digest.hexdigest()


def _flatten(sections: list[Section]) -> list[list[Any]]:
    """The outline as columns: one row per section in reading order (with its parent's row, -1 for a
    top-level section and its paragraph count) and one per paragraph (start, length, heading)."""
    columns: list[list[Any]] = [[] for _ in range(_OUTLINE_COLUMNS)]
    ids, numbers, titles, levels, kinds, prints, parents, counts, starts, sizes, heads = columns
    stack: list[tuple[Section, int]] = [(s, -1) for s in reversed(sections)]
    while stack:
        section, parent = stack.pop()
        row = len(ids)
        ids.append(section.id)
        numbers.append(section.number)
        titles.append(section.title)
        levels.append(section.level)
        kinds.append(section.kind)
        prints.append(section.fingerprint)
        parents.append(parent)
        counts.append(len(section.paragraphs))
        for paragraph in section.paragraphs:
            starts.append(paragraph.start)
            sizes.append(len(paragraph.text))
            heads.append(paragraph.is_heading)
        stack.extend((child, row) for child in reversed(section.children))
    return columns


def _column(value: Any, kind: type, size: int | None = None) -> list[Any]:
    if type(value) is not list or (size is not None and len(value) != size):
        raise CacheEntryError("an outline column has the wrong length")
    if value and not set(map(type, value)) <= {kind}:
        raise CacheEntryError(f"an outline column holds something other than {kind.__name__}")
    return value


def _check_outline(columns: Any, body_length: int) -> list[list[Any]]:
    """The outline columns, if they can only build a valid outline of this body."""
    if type(columns) is not list or len(columns) != _OUTLINE_COLUMNS:
        raise CacheEntryError("the outline is not a list of its columns")
    count = len(_column(columns[0], str))
    for index, kind in ((1, str), (2, str), (3, int), (4, str), (5, str), (6, int), (7, int)):
        _column(columns[index], kind, count)
    parents, counts, starts = columns[6], columns[7], columns[8]
    paragraphs = len(_column(starts, int))
    sizes = _column(columns[9], int, paragraphs)
    _column(columns[10], bool, paragraphs)
    if counts and (min(counts) < 0 or sum(counts) != paragraphs):
        raise CacheEntryError("the paragraph counts do not add up")
    if parents and (min(parents) < -1 or not all(map(operator.lt, parents, range(count)))):
        raise CacheEntryError("a section's parent does not come before it")
    if paragraphs and (
        min(starts) < 0 or min(sizes) < 0 or max(map(operator.add, starts, sizes)) > body_length
    ):
        raise CacheEntryError("a paragraph lies outside the notice's text")
    return columns


def _build_outline(columns: list[list[Any]], body: str) -> list[Section]:
    ids, numbers, titles, levels, kinds, prints, parents, counts, starts, sizes, heads = columns
    roots: list[Section] = []
    built: list[Section] = []
    at = 0
    for row, parent in enumerate(parents):
        end = at + counts[row]
        paragraphs = [
            Paragraph(body[start : start + size], start, heading)
            for start, size, heading in zip(starts[at:end], sizes[at:end], heads[at:end], strict=True)
        ]
        at = end
        section = Section(
            ids[row], numbers[row], titles[row], levels[row], kinds[row], paragraphs, [], prints[row]
        )
        built.append(section)
        (roots if parent < 0 else built[parent].children).append(section)
    return roots


def _typed(name: str, annotation: Any, value: Any) -> Any:
    """A metadata value, if it has its field's type (unknown annotations: any plain value)."""
    kind = str(annotation).replace(" ", "")
    ok = {
        "str": isinstance(value, str),
        "str|None": value is None or isinstance(value, str),
        "bool": isinstance(value, bool),
        "int": type(value) is int,
        "int|None": value is None or type(value) is int,
        "list[str]": type(value) is list and all(isinstance(v, str) for v in value),
    }.get(kind, value is None or type(value) in (str, int, float, bool, list))
    if not ok:
        raise CacheEntryError(f"metadata {name} has the wrong type")
    return value


def notice_to_json(notice: Notice) -> dict[str, Any]:
    """A compact plain-data form of a notice (paragraphs as offsets into the body)."""
    meta = notice.meta
    return {
        "id": notice.id,
        "meta": {f.name: getattr(meta, f.name) for f in _META_FIELDS},
        "place": [getattr(meta.place, name) for name in _PLACE_FIELDS],
        "body": notice.body,
        "outline": _flatten(notice.sections),
        "index": notice.index_in_file,
        "encoding": notice.encoding,
    }


def notice_from_json(data: Any, file: str) -> Notice:
    """Rebuild a notice written by ``notice_to_json``; its outline is rebuilt on first use.

    Raises:
        CacheEntryError: the data does not have exactly the shape ``notice_to_json`` writes.
    """
    if type(data) is not dict or set(data) != {"id", "meta", "place", "body", "outline", "index", "encoding"}:
        raise CacheEntryError("a notice entry has other keys than a notice")
    meta_data, place, body = data["meta"], data["place"], data["body"]
    if type(meta_data) is not dict or set(meta_data) != {f.name for f in _META_FIELDS}:
        raise CacheEntryError("the metadata has other fields than NoticeMeta")
    if type(place) is not list or len(place) != len(_PLACE_FIELDS):
        raise CacheEntryError("the place has other fields than Place")
    if not all(p is None or type(p) is str for p in place):
        raise CacheEntryError("a place name is not text")
    if type(body) is not str or type(data["id"]) is not str or not data["id"]:
        raise CacheEntryError("the id or body is not text")
    if type(data["index"]) is not int or type(data["encoding"]) is not str:
        raise CacheEntryError("the index or encoding has the wrong type")
    columns = _check_outline(data["outline"], len(body))
    values = {f.name: _typed(f.name, f.type, meta_data[f.name]) for f in _META_FIELDS}
    if "kinds" in values:
        values["kinds"] = list(values["kinds"])
    meta = NoticeMeta(place=Place(*place), **values)
    return Notice(
        id=data["id"],
        meta=meta,
        body=body,
        file=file,
        index_in_file=data["index"],
        encoding=data["encoding"],
        outline=lambda: _build_outline(columns, body),
    )


class ParseCache:
    """Parsed notices on disk under ``folder``, one entry per distinct file content."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0
        self.discarded = 0
        """Entries that were there but unusable (deleted; their files are parsed again)."""

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.bin"

    def get(self, key: str, file: str) -> tuple[list[Notice], list[str]] | None:
        """The cached notices and warnings for this content, or None (a bad entry is deleted)."""
        entry = self._entry(key)
        try:
            if entry.stat().st_size > MAX_ENTRY_BYTES:
                raise CacheEntryError("the entry is too large")
            raw = entry.read_bytes()
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, CacheEntryError):
            self._discard(entry)
            return None
        try:
            data = marshal.loads(raw)
            if type(data) is not dict or set(data) != {"notices", "warnings"}:
                raise CacheEntryError("the entry is not a list of notices and warnings")
            if type(data["notices"]) is not list or type(data["warnings"]) is not list:
                raise CacheEntryError("the notices or warnings are not lists")
            notices = [notice_from_json(n, file) for n in data["notices"]]
            warnings = [w for w in data["warnings"] if type(w) is str]
            if len(warnings) != len(data["warnings"]) or not notices:
                raise CacheEntryError("a warning is not text, or there is no notice")
        except Exception:  # any shape this loader did not write: the cache is disposable
            self._discard(entry)
            return None
        self.hits += 1
        return notices, warnings

    def _discard(self, entry: Path) -> None:
        self.misses += 1
        self.discarded += 1
        with suppress(OSError):  # else overwritten by ``put`` after the file is parsed again
            entry.unlink(missing_ok=True)

    def put(self, key: str, notices: list[Notice], warnings: list[str]) -> None:
        """Store parsed notices atomically; a cache that cannot be written is simply skipped."""
        entry = self._entry(key)
        payload = {"notices": [notice_to_json(n) for n in notices], "warnings": list(warnings)}
        tmp: str | None = None
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                marshal.dump(payload, handle)
            os.replace(tmp, entry)
            tmp = None
        except (OSError, ValueError):
            return
        finally:
            if tmp is not None:
                with suppress(OSError):
                    os.unlink(tmp)
