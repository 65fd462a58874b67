"""What a list of notices shows of each one, read from the metadata columns: no ``Notice`` is built.

A reader's district list of 10,000 notices needs each one's id, title, place, level, round and year.
Building 10,000 ``Notice`` objects (their metadata records, their loaders) to read those took 60–70 ms
of a warm start, before anything was drawn; the same values read as columns from the snapshot
(``Corpus.column``) take a few milliseconds.  A ``Notice`` has the same attributes
(``Notice.year``, ``level``, ``round``), so what takes a ``Listed`` takes either.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol, overload

if TYPE_CHECKING:
    from .corpus import Corpus
    from .model import Notice


class Listed(Protocol):
    """What a list shows of a notice: a ``NoticeEntry`` or a ``Notice``."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def province(self) -> str | None: ...
    @property
    def city(self) -> str | None: ...
    @property
    def district(self) -> str | None: ...
    @property
    def level(self) -> str | None: ...
    @property
    def round(self) -> str | None: ...
    @property
    def year(self) -> int | None: ...


class NoticeEntry(NamedTuple):
    """One notice as a list shows it."""

    id: str
    title: str
    province: str | None
    city: str | None
    district: str | None
    level: str | None
    round: str | None
    year: int | None


#: The dates a notice's year is read from, first found first (``NoticeMeta.year``).
YEAR_COLUMNS = ("feedback_date", "publication_date", "signature_date", "inspection_end", "inspection_start")
_COLUMNS = ("id", "title", "province", "city", "district", "level", "round")
#: Every column ``notice_entries`` reads.
ENTRY_COLUMNS = (*_COLUMNS, *YEAR_COLUMNS)


def year_of(*dates: str | None) -> int | None:
    """The year of the first date given (``NoticeMeta.year``'s rule)."""
    for value in dates:
        if value:
            return int(value[:4])
    return None


def notice_entries(corpus: Corpus) -> list[NoticeEntry]:
    """Every notice of the corpus as a list shows it, in order (no notice built from a snapshot)."""
    columns = [corpus.column(name) for name in _COLUMNS]
    years = map(year_of, *(corpus.column(name) for name in YEAR_COLUMNS))
    return list(map(NoticeEntry, *columns, years))


class CorpusNotices(Sequence["Notice"]):
    """A corpus's notices as a sequence that builds each one when it is read (``Corpus.notice``): a
    screen given every notice reads them on its own worker, not on the thread that opened it."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus

    def __len__(self) -> int:
        return len(self.corpus)

    @overload
    def __getitem__(self, index: int) -> Notice: ...
    @overload
    def __getitem__(self, index: slice) -> list[Notice]: ...
    def __getitem__(self, index: int | slice) -> Notice | list[Notice]:
        if isinstance(index, slice):
            return [self.corpus.notice(at) for at in range(len(self.corpus))[index]]
        return self.corpus.notice(index)
