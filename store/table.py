"""TinyDB's table, without rebuilding the whole table on every change.

``Table._update_table`` converts every record id of a table from text to a number and back on each
insert, update or remove (to hand its updaters a dict keyed by numbers), and ``_get_next_id`` converts
them again: at 50,000 notes that is most of a save's Python time.  ``StoreTable`` hands the updaters a
view keyed by numbers over the very dict the JSON file holds, so an insert touches one record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table


class RecordId(int):
    """A record id as TinyDB's updaters take it (a number) that keeps how the file spells it
    (``"007"`` stays ``"007"``)."""

    spelled: str

    def __new__(cls, spelled: str) -> RecordId:
        """The id of the record the file keys ``spelled``."""
        made = super().__new__(cls, spelled)
        made.spelled = spelled
        return made


def _key(doc_id: int) -> str:
    return doc_id.spelled if isinstance(doc_id, RecordId) else str(doc_id)


class RecordsById(MutableMapping[int, Any]):
    """A table's records by number, over the dict of records by text the JSON file holds."""

    __slots__ = ("records",)

    def __init__(self, records: dict[str, Any]) -> None:
        self.records = records

    def __getitem__(self, doc_id: int) -> Any:
        return self.records[_key(doc_id)]

    def __setitem__(self, doc_id: int, record: Any) -> None:
        self.records[_key(doc_id)] = record

    def __delitem__(self, doc_id: int) -> None:
        del self.records[_key(doc_id)]

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, int) and _key(doc_id) in self.records

    def __iter__(self) -> Iterator[int]:
        return map(RecordId, self.records)

    def __len__(self) -> int:
        return len(self.records)

    def clear(self) -> None:
        """Remove every record."""
        self.records.clear()


class StoreTable(Table):
    """A TinyDB table whose changes cost what they change, not the size of the table."""

    def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
        tables = self._storage.read()
        if tables is None:
            tables = {}
        records = dict(tables.get(self.name, {}))  # a new dict, as TinyDB makes: readers keep the old
        updater(RecordsById(records))  # type: ignore[arg-type]  # TinyDB's updaters use only Mapping methods
        tables[self.name] = records
        self._storage.write(tables)
        self.clear_cache()

    def _get_next_id(self) -> int:
        known: int | None = self._next_id
        next_id = known if known is not None else max(map(int, self._read_table()), default=0) + 1
        self._next_id = next_id + 1  # type: ignore[assignment]  # TinyDB's __init__ sets it to None
        return next_id


class StoreDB(TinyDB):
    """TinyDB with ``StoreTable`` tables."""

    table_class = StoreTable
