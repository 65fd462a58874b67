"""TinyDB's table, without rebuilding the whole table on every change.

``Table._update_table`` converts every record id of a table from text to a number and back on each
insert, update or remove (to hand its updaters a dict keyed by numbers), and ``_get_next_id`` converts
them again: at 50,000 notes that is most of a save's Python time.  ``StoreTable`` hands the updaters a
view keyed by numbers over the very dict the JSON file holds, so an insert touches one record; the
table it makes (``Records``) knows its next free record number, so the next insert does not look at
every key again; it keeps which of its records point into which notice (``NoticeIndex``), and each
change brings that up to date with the keys it touched, and gives the new table the old one's JSON when
it only added records (``store.encoded``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from .encoded import Pieces, appended
from .notice_index import NoticeIndex, notice_of


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


class Records(dict[str, Any]):
    """A table's records by text, as the JSON file holds them (and as it is written: a dict), with the
    next free record number (one past the largest) when it is known."""

    __slots__ = ("_index", "encoded", "encoded_size", "next_id", "size")

    def __init__(self, records: dict[str, Any], next_id: int | None = None) -> None:
        super().__init__(records)
        self.next_id = next_id
        self.size = len(self)
        """How many records there were when ``next_id`` was set: the dict changed behind our back (not
        through ``StoreTable``) when they differ, and ``next_id`` is not trusted."""
        self._index: NoticeIndex | None = None
        self.encoded: Pieces | None = None
        """The table as last written (``store.encoded``), while it still holds."""
        self.encoded_size = 0

    def __reduce__(self) -> tuple[type[Records], tuple[dict[str, Any]]]:
        """Copies (``copy.deepcopy``) and pickles hold the records alone: what is kept belongs to this
        table."""
        return (Records, (dict(self),))

    def notice_index(self) -> NoticeIndex:
        """Which records point into which notice (built by the first look, then kept up to date)."""
        index = self._index
        if index is None or not index.valid_for(self):
            index = self._index = NoticeIndex(self)
        return index

    def drop_index(self) -> None:
        """Forget the index (the next look builds it again)."""
        self._index = None

    def take_index(self) -> NoticeIndex | None:
        """The index if one is kept and still fits this table, no longer kept here (a change makes a new
        table, which takes it over)."""
        index, self._index = self._index, None
        return index if index is not None and index.valid_for(self) else None

    def known_next_id(self) -> int | None:
        """One past the largest record number, if known and not taken; else None (count them)."""
        next_id = self.next_id
        if next_id is None or self.size != len(self) or str(next_id) in self:
            return None
        return next_id


def in_notice(records: Mapping[str, Any], notice_id: Any) -> list[tuple[str, Any]]:
    """(key, record) of the records whose anchor points into ``notice_id``, in the table's order: from
    the table's ``NoticeIndex`` when it keeps one (built now if not), else by looking at every record."""
    if isinstance(records, Records):
        get = records.get
        found = [(key, get(key)) for key in records.notice_index().lookup(notice_id)]
        if all(notice_of(r) == notice_id for _, r in found):  # each found record checked, cheaply
            return found
        records.drop_index()  # out of step (changed behind the table's back): the scan answers
    return [(key, r) for key, r in records.items() if notice_of(r) == notice_id]


def known_next_id(records: dict[str, Any]) -> int | None:
    """One past the largest record number of a table, when it is known without counting."""
    return records.known_next_id() if isinstance(records, Records) else None


class RecordsById(MutableMapping[int, Any]):
    """A table's records by number, over the dict of records by text the JSON file holds; keeps the
    table's next free record number up to date while it is known."""

    __slots__ = ("cleared", "next_id", "records", "touched")

    def __init__(self, records: dict[str, Any], next_id: int | None = None) -> None:
        self.records = records
        self.next_id = next_id
        """One past the largest record number, or None when not known (the largest was removed)."""
        self.touched: dict[str, None] = {}
        """The keys of the records looked at (TinyDB changes a record in place), set or removed, in order."""
        self.cleared = False

    def __getitem__(self, doc_id: int) -> Any:
        key = _key(doc_id)
        self.touched[key] = None
        return self.records[key]

    def __setitem__(self, doc_id: int, record: Any) -> None:
        key = _key(doc_id)
        self.touched[key] = None
        self.records[key] = record
        if self.next_id is not None and doc_id >= self.next_id:
            self.next_id = int(doc_id) + 1

    def __delitem__(self, doc_id: int) -> None:
        key = _key(doc_id)
        self.touched[key] = None
        del self.records[key]
        if self.next_id is not None and doc_id + 1 >= self.next_id:
            self.next_id = None

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, int) and _key(doc_id) in self.records

    def __iter__(self) -> Iterator[int]:
        return map(RecordId, self.records)

    def __len__(self) -> int:
        return len(self.records)

    def clear(self) -> None:
        """Remove every record."""
        self.records.clear()
        self.next_id = 1
        self.cleared = True


class StoreTable(Table):
    """A TinyDB table whose changes cost what they change, not the size of the table."""

    _counted: tuple[dict[str, Any], int] | None = None
    """A table this instance counted the records of, and one past its largest record number."""

    def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
        tables = self._storage.read()
        if tables is None:
            tables = {}
        before = tables.get(self.name, {})
        known = known_next_id(before)
        if known is None and self._counted is not None and self._counted[0] is before:
            known = self._counted[1]
        index = before.take_index() if isinstance(before, Records) else None
        records = Records(before)  # a new dict, as TinyDB makes: readers keep the old
        view = RecordsById(records, known)
        updater(view)  # type: ignore[arg-type]  # TinyDB's updaters use only Mapping methods
        records.next_id, records.size = view.next_id, len(records)
        if index is not None and not view.cleared and index.followed(before, records, view.touched):
            records._index = index
        if isinstance(before, Records) and not view.cleared:
            records.encoded = appended(before, records, view.touched)
            records.encoded_size = len(records)
        tables[self.name] = records
        self._storage.write(tables)
        self.clear_cache()

    def _get_next_id(self) -> int:
        next_id: int | None = self._next_id
        if next_id is None:
            table = self._read_table()
            next_id = known_next_id(table)
            if next_id is None:
                next_id = max(map(int, table), default=0) + 1
                self._counted = (table, next_id)
        self._next_id = next_id + 1  # type: ignore[assignment]  # TinyDB's __init__ sets it to None
        return next_id


class StoreDB(TinyDB):
    """TinyDB with ``StoreTable`` tables."""

    table_class = StoreTable
