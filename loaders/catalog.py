"""A corpus opened from the store's snapshot: its notices' metadata as columns, a ``Notice`` on demand.

``zhenggai list`` at 50,000 notices needs nine metadata columns, ``zhenggai show`` one notice, and
``zhenggai search`` the notices' ids by file: none needs 50,000 ``Notice`` objects, which cost more than
opening the snapshot itself.  A ``Catalog`` keeps what the snapshot holds (``loaders.snapshot``), decodes
a column when it is first read, and builds a notice — its metadata, its text still in the store — only
when it is asked for.  The positions it counts are those of the corpus: a notice whose id an earlier
file already had is left out, with the same warning as a full load gives.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from itertools import repeat
from operator import itemgetter
from typing import Any

from .cache import ParseCache
from .model import Notice, SkippedFile
from .rows import META_COLUMNS, meta_from_values
from .snapshot import COLUMNS, Snapshot, SnapshotMiss

#: The columns a catalog gives (``Catalog.column``): the snapshot's, and where each notice came from.
CATALOG_COLUMNS = ("id", "file", "index_in_file", "encoding", "section_count", *META_COLUMNS)


class Catalog:
    """The notices of a snapshot, in corpus order (duplicates left out)."""

    def __init__(
        self,
        cache: ParseCache,
        snapshot: Snapshot,
        rereader: Callable[[str, str], Callable[[int], Notice]],
    ) -> None:
        """Read the files' records and the ids (raises ``SnapshotMiss`` when they do not agree)."""
        self.cache = cache
        self.snapshot = snapshot
        self._rereader = rereader
        self.skipped: list[SkippedFile] = []
        self.warnings: list[SkippedFile] = []
        self.file_keys: dict[str, str] = {}
        self.rows: list[int] = []
        """The snapshot row of each notice of the corpus."""
        self._pick: Callable[[list[Any]], tuple[Any, ...]] | None = None
        self._file_of: list[int] = []  # each snapshot row's file (an index into snapshot.files)
        self._first_row: list[int] = []  # each file's first snapshot row
        self._positions: dict[str, int] | None = None
        self._built: dict[int, Notice] = {}
        self._rereaders: dict[int, Callable[[int], Notice]] = {}
        self._lock = threading.Lock()
        try:
            self._read_files(snapshot.column("id"))
        except (TypeError, ValueError) as exc:
            raise SnapshotMiss(f"a record is not as written here: {exc}") from None

    def _read_files(self, ids: list[str]) -> None:
        size = len(ids)
        if size != self.snapshot.size:
            raise ValueError("the ids are not one per notice")
        # each id's first row: the reversed pairs leave the earliest row of an id last written
        first = dict(zip(reversed(ids), range(size - 1, -1, -1), strict=True))
        duplicates = [] if len(first) == size else [at for at, i in enumerate(ids) if first[i] != at]
        later = iter(duplicates)
        duplicate = next(later, size)
        files = self.snapshot.files
        file_of = self._file_of
        row = 0
        for number, record in enumerate(files):
            self._first_row.append(row)
            if len(record) == 2:
                name, reason = record
                self.skipped.append(SkippedFile(name, reason))
                continue
            _, name, key, warnings, count = record
            if warnings:
                self.warnings.extend(SkippedFile(name, w) for w in warnings)
            self.file_keys[name] = key
            file_of += repeat(number, count)
            row += count
            while duplicate < row:
                other = files[file_of[first[ids[duplicate]]]][1]
                self.warnings.append(SkippedFile(name, f"duplicate of {ids[duplicate]} in {other}"))
                duplicate = next(later, size)
        if row != size:
            raise ValueError("the files do not hold the notices")
        self.rows = [at for at in range(size) if first[ids[at]] == at] if duplicates else list(range(size))
        self._pick = itemgetter(*self.rows) if len(self.rows) > 1 else None

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[Any]:
        """One value per notice of the corpus (``CATALOG_COLUMNS``); not to be changed."""
        if name == "file":
            files = self.snapshot.files
            return [files[number][1] for number in self._row_values(self._file_of)]
        if name == "index_in_file":
            first = self._first_row
            file_of = self._file_of
            return [row - first[file_of[row]] for row in self.rows]
        return self._row_values(self.snapshot.column(name))

    def _row_values(self, values: list[Any]) -> list[Any]:
        if len(self.rows) == len(values):  # no duplicate left out: the rows are 0, 1, 2, …
            return values
        if self._pick is None:
            return [values[row] for row in self.rows]
        return list(self._pick(values))

    def position(self, notice_id: str) -> int | None:
        """The position of the notice with exactly this id."""
        if self._positions is None:
            self._positions = {str(notice_id): at for at, notice_id in enumerate(self.column("id"))}
        return self._positions.get(notice_id)

    def notice(self, position: int) -> Notice:
        """The notice at this position (built once: the same object every time)."""
        row = self.rows[position]
        with self._lock:
            found = self._built.get(row)
            if found is None:
                found = self._build(row)
                self._built[row] = found
        return found

    def _build(self, row: int, values: Sequence[Any] | None = None) -> Notice:
        """The notice of a snapshot row; ``values``: its id, encoding, section count and metadata, in
        ``snapshot.COLUMNS`` order (read from the snapshot when not given)."""
        snapshot = self.snapshot
        if values is None:
            values = [snapshot.value(column, row) for column in COLUMNS]
        number = self._file_of[row]
        _, name, key, _, _ = snapshot.files[number]
        notice_id, encoding, sections, *meta = values
        return self.cache.stored_notice(
            key,
            row - self._first_row[number],
            notice_id,
            meta_from_values(meta),
            name,
            encoding,
            sections,
            self._reread(number),
        )

    def _reread(self, number: int) -> Callable[[int], Notice]:
        """The file's re-reader, one per file (a collection is parsed again once for all its notices)."""
        found = self._rereaders.get(number)
        if found is None:
            os_name, name, *_ = self.snapshot.files[number]
            found = self._rereaders[number] = self._rereader(os_name, name)
        return found

    def notices(self) -> list[Notice]:
        """Every notice of the corpus, in order (the snapshot decoded column by column)."""
        columns = [self.snapshot.column(column) for column in COLUMNS]
        with self._lock:
            built = self._built
            rows = self._row_values(list(zip(*columns, strict=True)))
            for row, values in zip(self.rows, rows, strict=True):
                if row not in built:
                    built[row] = self._build(row, values)
            return [built[row] for row in self.rows]
