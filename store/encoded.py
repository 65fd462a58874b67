"""A table's JSON kept from one save to the next, so a save encodes only the records it added.

Every save writes the whole store file; encoding it was most of a save's time (12–18 ms at 10,000
notes, 120 ms at 50,000), though adding a note changes two or three records.  A table (``Records``)
keeps the bytes it was last written as; a change that only adds records (``StoreTable`` knows which
keys a change touched) gives the new table the old bytes followed by the new records', and any other
change — a record changed, replaced or removed, the table cleared, a table changed behind the table's
back (its size shows it) — leaves the new table without bytes, so it is encoded whole.  The bytes are
exactly ``orjson.dumps`` of the table: a document is ``{"name":table,...}`` in order, with no spaces.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from .table import Records

Pieces = tuple[bytes | memoryview, ...]
"""Bytes in pieces, written one after the other, never joined: a file's, or a table's JSON without its
closing brace."""


def table_chunks(table: Records) -> Pieces:
    """The table's JSON without its closing brace: kept from the save before when it still holds, else
    encoded now (and kept).

    Raises:
        TypeError: orjson refuses a value (see ``storage.encode_pieces``).
    """
    kept = table.encoded
    if kept is not None and table.encoded_size == len(table):
        return kept
    whole = orjson.dumps(table)
    chunks: Pieces = (memoryview(whole)[:-1],)
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
    return (*kept, b"," + added if len(before) else added)


def encode_tables(document: dict[str, Any]) -> Pieces:
    """``orjson.dumps(document)`` in pieces, each ``Records`` table from its kept chunks.

    Raises:
        TypeError: orjson refuses a value.
    """
    from .table import Records

    pieces: list[bytes | memoryview] = [b"{"]
    for i, (name, table) in enumerate(document.items()):
        if type(name) is not str:
            raise TypeError("Dict key must be str")  # as orjson says
        pieces.append(b"," + orjson.dumps(name) + b":" if i else orjson.dumps(name) + b":")
        if isinstance(table, Records):
            pieces += table_chunks(table)
            pieces.append(b"}")
        else:
            pieces.append(orjson.dumps(table))
    pieces.append(b"}")
    return tuple(pieces)
