"""The store file's layout: a table's JSON kept from one save to the next, so a save encodes only the
records it added, and records a line at a time, so reading the file never holds the interpreter long.

Every save writes the whole store file; encoding it was most of a save's time (12–18 ms at 10,000
notes, 120 ms at 50,000), though adding a note changes two or three records.  A table (``Records``)
keeps the bytes it was last written as; a change that only adds records (``StoreTable`` knows which
keys a change touched) gives the new table the old bytes followed by the new records', and any other
change — a record changed, replaced or removed, the table cleared, a table changed behind the table's
back (its size shows it) — leaves the new table without bytes, so it is encoded whole.

The file is compact JSON (``orjson.dumps`` of the document) with a line break before each table and
before each line of at most ``LINE_RECORDS`` records: whitespace to JSON (TinyDB and any JSON reader
read it as before), and, since a string can never hold a raw line break, a place where a record surely
begins.  ``parse_lines`` reads such a file a line at a time: the reader parsed a 20 MB store (10,000
notes) in one call that held the interpreter 110–130 ms, and a key pressed meanwhile waited for it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from .table import Records

Pieces = tuple[bytes | memoryview, ...]
"""Bytes in pieces, written one after the other, never joined: a file's, or a table's JSON without its
closing brace."""

#: Records on one line of a table (a third of a megabyte of notes and coded segments: 1.6 ms to parse).
LINE_RECORDS = 512
#: ``parse_lines`` parses lines together up to this many bytes (a line or two), then lets other threads run.
PARSE_BYTES = 1 << 19


def _lines(table: dict[str, Any]) -> Pieces:
    """The table's JSON without its closing line: ``{``, then its records (``"id":{...}``),
    ``LINE_RECORDS`` to a line (each line's bytes a view of its encoding, never copied)."""
    items = list(table.items())
    pieces: list[bytes | memoryview] = [b"{"]
    for at in range(0, len(items), LINE_RECORDS):
        pieces.append(b",\n" if at else b"\n")
        pieces.append(memoryview(orjson.dumps(dict(items[at : at + LINE_RECORDS])))[1:-1])
    return tuple(pieces)


def table_chunks(table: Records) -> Pieces:
    """The table's JSON without its closing line: kept from the save before when it still holds, else
    encoded now (and kept).

    Raises:
        TypeError: orjson refuses a value (see ``storage.encode_pieces``).
    """
    kept = table.encoded
    if kept is not None and table.encoded_size == len(table):
        return kept
    chunks = _lines(table)
    table.encoded, table.encoded_size = chunks, len(table)
    return chunks


def appended(before: Records, after: Records, touched: Iterable[str]) -> Pieces | None:
    """``after``'s chunks when it is ``before`` with the records ``touched`` added at its end and
    nothing else changed (``before`` encoded and unchanged since); else None."""
    kept = before.encoded
    if kept is None or before.encoded_size != len(before):
        return None
    keys = list(touched)
    # every key a change set, removed or looked at is touched: the table grew by all of them only when
    # each is new and none was removed
    if len(after) != len(before) + len(keys):
        return None  # a record was changed or removed: only a whole encoding is sure
    try:
        added = b",".join(orjson.dumps(key) + b":" + orjson.dumps(after[key]) for key in keys)
    except (TypeError, KeyError):  # orjson refuses a value, or a key is gone: encoded whole later
        return None
    if not added:
        return kept
    return (*kept, b",\n" + added if len(before) else b"\n" + added)


def encode_tables(document: dict[str, Any]) -> Pieces:
    """``orjson.dumps(document)`` in pieces, with a line break before each table and each line of
    records (``parse_lines``), each ``Records`` table from its kept chunks.

    Raises:
        TypeError: orjson refuses a value.
    """
    from .table import Records

    pieces: list[bytes | memoryview] = [b"{"]
    for i, (name, table) in enumerate(document.items()):
        if type(name) is not str:
            raise TypeError("Dict key must be str")  # as orjson says
        pieces.append((b",\n" if i else b"\n") + orjson.dumps(name) + b":")
        if isinstance(table, Records):
            pieces += table_chunks(table)
            pieces.append(b"\n}")
        elif type(table) is dict:  # a table not read through ``Records`` (a migration's): in lines too
            pieces += _lines(table)
            pieces.append(b"\n}")
        else:
            pieces.append(orjson.dumps(table))
    pieces.append(b"\n}")
    return tuple(pieces)


class _NotLines(Exception):
    """The bytes are not laid out as ``encode_tables`` writes them."""


def parse_lines(raw: bytes) -> dict[str, Any] | None:
    """A file laid out as ``encode_tables`` writes it, parsed a few lines at a time (other threads run
    in between), exactly as ``orjson.loads`` parses it whole; None when it is laid out otherwise (a
    store written before this layout, by hand or by another program: parse it whole).

    A line is a table's start (``"name":{``), its end (``}``), or members; a comma ends every item but
    the last of its object, as JSON wants (a comma missing or left over is not this layout)."""
    lines = raw.split(b"\n")
    if len(lines) < 2 or lines[0] != b"{" or lines[-1] != b"}":
        return None
    document: dict[str, Any] = {}
    table: dict[str, Any] | None = None  # the table being read, None between tables
    batch: list[bytes] = []  # members not parsed yet, all of ``table`` (or all of the document)
    size = 0
    more = False  # the item before ended with a comma: another must follow in the same object
    first = True  # no item yet in the object being read
    try:
        for line in lines[1:-1]:
            if table is not None and line in (b"}", b"},"):  # the table's end
                if more:
                    raise _NotLines
                _add(table, batch)
                batch, size, table = [], 0, None
                more, first = line == b"},", False
                continue
            if not (first or more):
                raise _NotLines  # two items without a comma between them
            first = False
            if table is None and line.endswith(b":{"):  # a table's start: its name, a string
                _add(document, batch)
                batch, size = [], 0
                name = orjson.loads(line[:-2])
                if type(name) is not str:
                    raise _NotLines
                table = document[name] = {}
                more, first = False, True
                continue
            more = line.endswith(b",")  # members: records of the table, or whole tables
            batch.append(line)
            size += len(line)
            if size >= PARSE_BYTES:
                _add(table if table is not None else document, batch)
                batch, size = [], 0
                time.sleep(0)  # a key pressed meanwhile is handled now, not after the whole file
        if table is not None or more:
            return None  # a table never closed, or a comma before the document's end
        _add(document, batch)
    except (_NotLines, orjson.JSONDecodeError):
        return None
    return document


def _add(into: dict[str, Any], lines: list[bytes]) -> None:
    """Parse ``lines`` of members (the file's very bytes, line breaks and all, but the comma after the
    last: a line break inside a text is refused as it is in the whole file) into ``into``."""
    if lines:
        members = b"\n".join(lines)
        parsed = orjson.loads(b"{" + (members[:-1] if members.endswith(b",") else members) + b"}")
        if type(parsed) is not dict:  # pragma: no cover - braces around members make an object
            raise _NotLines
        into.update(parsed)
