"""The corpus store's rows: a notice's metadata and outline as plain data, and back — checked.

A row read back must have exactly the shape written here (every field of ``NoticeMeta`` and ``Place``
with its type, the outline's columns with matching lengths and offsets inside the text), or it is
refused with ``CacheEntryError``: an outline built later from a checked row cannot fail.
"""

from __future__ import annotations

import json
import operator
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import fields
from typing import Any

from .model import NoticeMeta, Paragraph, Place, Section

_META_FIELDS = tuple(f for f in fields(NoticeMeta) if f.name != "place")
_PLACE_FIELDS = tuple(f.name for f in fields(Place))
_ROW_FIELDS = tuple(f.name for f in fields(NoticeMeta))
_ROW_PLACE = _ROW_FIELDS.index("place")
_ROW_KINDS = _ROW_FIELDS.index("kinds")
_PLACES = len(_PLACE_FIELDS)
#: The place's fields as ``Notice.to_dict`` names them.
PLACE_COLUMNS = ("province", "city", "district", "adcode", "place_evidence")
#: ``meta_values``' order: every field of ``NoticeMeta``, the place's fields in the place's stead.
META_COLUMNS = (*_ROW_FIELDS[:_ROW_PLACE], *PLACE_COLUMNS, *_ROW_FIELDS[_ROW_PLACE + 1 :])
_OUTLINE_COLUMNS = 11


class CacheEntryError(ValueError):
    """A stored row that does not have the shape this loader writes."""


def flatten_outline(sections: list[Section]) -> list[list[Any]]:
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


def check_outline(columns: Any, body_length: int) -> list[list[Any]]:
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


#: A section as the search index reads it: ``(id, number, title, kind, text)``.
SectionText = tuple[str, str, str, str, str]


class StoredOutline:
    """A notice's outline as stored (checked columns): built into sections when called, and read
    as ``section_texts`` without building it (the search index needs nothing more, and building
    every section and paragraph was most of reading a notice back)."""

    __slots__ = ("_first", "body", "columns")

    def __init__(self, columns: list[list[Any]], body: str) -> None:
        self.columns = columns
        self.body = body
        self._first: dict[str, int] | None = None

    def __call__(self) -> list[Section]:
        return build_outline(self.columns, self.body)

    def section_texts(self) -> list[SectionText]:
        """Every section in reading order with its own text (what ``Section.text`` gives)."""
        ids, numbers, titles, _, kinds, _, _, counts, starts, sizes, _ = self.columns
        body = self.body
        texts: list[SectionText] = []
        at = 0
        for row, count in enumerate(counts):
            end = at + count
            text = "\n".join(
                [
                    body[start : start + size]
                    for start, size in zip(starts[at:end], sizes[at:end], strict=True)
                ]
            )
            texts.append((ids[row], numbers[row], titles[row], kinds[row], text))
            at = end
        return texts

    def sections_alone(self, section_id: str) -> dict[str, Section]:
        """The section with this id (the first, as ``Notice.section`` finds it) built alone with its
        subsections, each by its id (those whose id comes first there); empty when there is none.
        Placing a note needs its section, not the whole outline."""
        ids, parents = self.columns[0], self.columns[6]
        first = self._first
        if first is None:  # each id's first row
            first = self._first = dict(zip(reversed(ids), range(len(ids) - 1, -1, -1), strict=True))
        row = first.get(section_id)
        if row is None:
            return {}
        end = row + 1  # the rows are in reading order, depth first: a subtree is the run of its rows
        while end < len(ids) and parents[end] >= row:
            end += 1
        built: dict[str, Section] = {}
        for at, section in enumerate(_walk(_build(self.columns, self.body, row, end)), row):
            if first[section.id] == at:
                built[section.id] = section
        return built


def _walk(sections: list[Section]) -> Iterator[Section]:
    for section in sections:
        yield from section.walk()


def build_outline(columns: list[list[Any]], body: str) -> list[Section]:
    return _build(columns, body, 0, len(columns[0]))


def _build(columns: list[list[Any]], body: str, first: int, end: int) -> list[Section]:
    """The top-level sections among rows ``first`` to ``end`` (a whole outline, or one subtree)."""
    ids, numbers, titles, levels, kinds, prints, parents, counts, starts, sizes, heads = columns
    if first or end < len(ids):
        at = sum(counts[:first])
        stop = at + sum(counts[first:end])
        starts, sizes, heads = starts[at:stop], sizes[at:stop], heads[at:stop]
    # every paragraph made in one pass of C loops (slices, then tuples), then handed out by section:
    # a third less time than a comprehension per section
    texts = map(body.__getitem__, map(slice, starts, map(operator.add, starts, sizes)))
    paragraphs = list(map(Paragraph, texts, starts, heads))
    roots: list[Section] = []
    built: list[Section] = []
    at = 0
    for row in range(first, end):
        stop = at + counts[row]
        section = Section(
            ids[row], numbers[row], titles[row], levels[row], kinds[row], paragraphs[at:stop], [], prints[row]
        )
        at = stop
        built.append(section)
        parent = parents[row]
        (roots if parent < first else built[parent - first].children).append(section)
    return roots


def _checker(annotation: Any) -> Callable[[Any], bool]:
    """Whether a value has a metadata field's type (unknown annotations: any plain value)."""
    kind = str(annotation).replace(" ", "")
    checks: dict[str, Callable[[Any], bool]] = {
        "str": lambda v: type(v) is str,
        "str|None": lambda v: v is None or type(v) is str,
        "bool": lambda v: type(v) is bool,
        "int": lambda v: type(v) is int,
        "int|None": lambda v: v is None or type(v) is int,
        "list[str]": lambda v: type(v) is list and all(type(x) is str for x in v),
    }
    return checks.get(kind, lambda v: v is None or type(v) in (str, int, float, bool, list))


#: Each metadata field with the check of its type, built once (tens of thousands of values a start).
_META_CHECKS = tuple((f.name, _checker(f.type)) for f in _META_FIELDS)


def meta_to_json(meta: NoticeMeta) -> str:
    """A notice's metadata as the store keeps it (JSON: readable with SQLite's own json functions)."""
    data: dict[str, Any] = {f.name: getattr(meta, f.name) for f in _META_FIELDS}
    data["place"] = [getattr(meta.place, name) for name in _PLACE_FIELDS]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def meta_from_json(raw: Any) -> NoticeMeta:
    """Metadata written by ``meta_to_json``.

    Raises:
        CacheEntryError: it does not have exactly that shape.
    """
    try:
        data = json.loads(raw) if type(raw) is str else None
    except ValueError:
        data = None
    if type(data) is not dict or set(data) != {f.name for f in _META_FIELDS} | {"place"}:
        raise CacheEntryError("the metadata has other fields than NoticeMeta")
    place = data.pop("place")
    if type(place) is not list or len(place) != len(_PLACE_FIELDS):
        raise CacheEntryError("the place has other fields than Place")
    if not all(p is None or type(p) is str for p in place):
        raise CacheEntryError("a place name is not text")
    for name, check in _META_CHECKS:
        if not check(data[name]):
            raise CacheEntryError(f"metadata {name} has the wrong type")
    return NoticeMeta(place=Place(*place), **data)


def _shared(value: Any) -> Any:
    """Short text interned: thousands of notices share their province, level, round and dates, and
    ``marshal`` writes an interned string once, then refers to it (a smaller blob, read faster)."""
    return sys.intern(value) if type(value) is str and len(value) <= 64 else value


def meta_values(meta: NoticeMeta) -> tuple[Any, ...]:
    """A notice's metadata as plain values in ``META_COLUMNS`` order, as the store's snapshot of a load
    keeps it (``loaders.snapshot``, checked as a whole by its digest)."""
    values = [_shared(getattr(meta, name)) for name in _ROW_FIELDS]
    values[_ROW_KINDS] = [_shared(kind) for kind in meta.kinds]
    values[_ROW_PLACE : _ROW_PLACE + 1] = [_shared(getattr(meta.place, name)) for name in _PLACE_FIELDS]
    return tuple(values)


def meta_from_values(values: Sequence[Any]) -> NoticeMeta:
    """``meta_values`` read back."""
    place = Place(*values[_ROW_PLACE : _ROW_PLACE + _PLACES])
    return NoticeMeta(*values[:_ROW_PLACE], place, *values[_ROW_PLACE + _PLACES :])  # type: ignore[call-arg]
