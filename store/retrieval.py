"""Retrieval over coded segments: the quote table and the district × code matrix, with their writers.

Each stored segment is placed in the loaded corpus (``store.locate``: re-attached by quote and context,
across an id change); one that cannot be placed stays in the table, marked ``detached`` with its stored
quote, and counts in no matrix cell (the matrix says how many were left out).  Writers give CSV (UTF-8
with a BOM, so Excel reads the Chinese) and JSON with stable column names.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from ..loaders import Corpus, Notice
from .anchor import Anchor
from .codes import Codebook
from .locate import Placer
from .spots import AnchorKey, Spot, make_spot, stored_anchor_key

if TYPE_CHECKING:
    from .db import Store

#: The quote table's columns, in order (documented in docs/research.md).
QUOTE_COLUMNS = (
    "notice_id", "notice_title", "province", "city", "district", "level", "round", "section_id",
    "section", "code", "quote", "memo", "status", "segment_id",
)  # fmt: skip
BOM = "\ufeff"
_LEVELS = {"巡视": "巡视", "xunshi": "巡视", "巡察": "巡察", "xuncha": "巡察"}


@dataclass(frozen=True, slots=True)
class CodedQuote:
    """One coded segment as the quote table shows it."""

    segment_id: str
    code_id: str
    code: str
    """The code's path, ``问题类型/形式主义``."""
    notice_id: str
    notice_title: str
    province: str
    city: str
    district: str
    level: str
    round: str
    section_id: str
    section: str
    """The section's numbering and title as the notice writes them."""
    quote: str
    memo: str
    status: str
    """``attached`` (found), ``section`` (the section is unchanged, the quote gone) or ``detached``."""
    start: int = -1
    """Where the coded passage starts in ``Notice.body`` (-1 when detached)."""
    end: int = -1
    sentence: str = ""
    """The sentence(s) around the passage, as the notice writes them."""
    note_id: str = ""

    def row(self) -> dict[str, str]:
        """The quote-table row (``QUOTE_COLUMNS``)."""
        data = asdict(self)
        return {c: str(data[c]) for c in QUOTE_COLUMNS}


def place_segments(
    corpus: Corpus,
    segments: Iterable[dict[str, Any]],
    book: Codebook,
    placer: Placer | None = None,
    *,
    release: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> list[CodedQuote]:
    """Every segment placed in the corpus, in reading order (place, notice, position); detached last
    (``placed_segments`` without the spots)."""
    return placed_segments(corpus, segments, book, placer, release=release, progress=progress)[0]


def placed_segments(
    corpus: Corpus,
    segments: Iterable[dict[str, Any]],
    book: Codebook,
    placer: Placer | None = None,
    *,
    release: bool = False,
    progress: Callable[[int, int], None] | None = None,
    known: Mapping[AnchorKey, Spot] | None = None,
) -> tuple[list[CodedQuote], dict[AnchorKey, Spot]]:
    """Every segment placed in the corpus, in reading order (place, notice, position), detached last;
    and the spot of every anchor they are on.

    The segments are placed a notice at a time. ``placer``: one kept across calls (its indexes of the
    corpus are read once). ``release``: a notice whose text was read only to place its segments is let
    go of again once they are placed (at thousands of coded segments every notice read stayed in
    memory: 0.6-0.7 GB at 10,000 notes). ``progress(done, total)`` is called after each notice's segments
    (a worker may raise from it to stop). ``known``: spots made before in this corpus (or one with the
    same files: ``spots``), taken as they are; only the other anchors are placed.
    """
    placer = placer or Placer(corpus)
    known = known or {}
    by_notice: dict[str, list[tuple[dict[str, Any], AnchorKey]]] = {}
    for segment in segments:
        key = stored_anchor_key(segment["anchor"])
        by_notice.setdefault(key[0], []).append((segment, key))
    total = sum(map(len, by_notice.values()))
    spots: dict[AnchorKey, Spot] = {}  # a passage coded with several codes is placed once
    paths = _CodePaths(book)
    placed: list[tuple[tuple[Any, ...], CodedQuote]] = []
    for notice_id, group in by_notice.items():
        own: Notice | None = None
        unread = False
        for segment, key in group:
            spot = spots.get(key) or known.get(key)
            if spot is None:
                if release and own is None:
                    own = corpus.get(notice_id)
                    unread = own is not None and not own.loaded
                spot = make_spot(Anchor.from_dict(segment["anchor"]), placer)
            spots[key] = spot
            placed.append(_placed_segment(segment, spot, paths[segment["code_id"]]))
        if unread and own is not None:
            own.release()
        if progress is not None:
            progress(len(placed), total)
    return [item for _, item in sorted(placed, key=lambda pair: pair[0])], spots


class _CodePaths(dict[str, str]):
    """A code's path by its id (``问题类型/形式主义``; an unknown code's label), each looked up once."""

    def __init__(self, book: Codebook) -> None:
        super().__init__()
        self.book = book

    def __missing__(self, code_id: str) -> str:
        code = self.book.get(code_id)
        path = self[code_id] = code.slash if code is not None else self.book.label(code_id)
        return path


def _placed_segment(segment: dict[str, Any], spot: Spot, path: str) -> tuple[tuple[Any, ...], CodedQuote]:
    """A segment placed, with its key in the quote table's order."""
    detached = spot.status == "detached"
    found = spot.found
    get = segment.get
    item = CodedQuote(
        segment["id"],
        segment["code_id"],
        path,
        spot.notice_id,
        spot.notice_title if found else get("notice_title") or "",
        spot.province,
        spot.city,
        spot.district if found else get("district") or "",
        spot.level,
        spot.round,
        spot.section_id,
        spot.section,
        spot.quote,
        str(get("memo", "")),
        spot.status,
        -1 if detached else spot.start,
        -1 if detached else spot.end,
        spot.sentence,
        str(get("note_id", "")),
    )
    order = (
        detached,
        spot.province,
        spot.city,
        item.district,
        spot.index_in_file,
        spot.notice_id,
        spot.start,
        path,
    )
    return order, item


class NoticeQuotes:
    """Coded segments placed notice by notice, for the reader's margin: a notice's own segments, then
    those whose notice is not loaded and that re-attach to it (placed once).  Showing a notice places
    only these — placing every segment of the store took seconds at thousands of notes."""

    def __init__(self, store: Store, corpus: Corpus) -> None:
        self.store = store
        self.corpus = corpus
        self._placer = Placer(corpus)
        self._book: Codebook | None = None
        self._in_notice: dict[str, list[CodedQuote]] = {}
        self._elsewhere: list[CodedQuote] | None = None

    @property
    def book(self) -> Codebook:
        """The codebook (read once)."""
        if self._book is None:
            self._book = self.store.codebook()
        return self._book

    def of(self, notice_id: str) -> list[CodedQuote]:
        """The segments shown in one notice, by position; those detached in it last."""
        found = self._in_notice.get(notice_id)
        if found is None:
            if self._elsewhere is None:
                others = self._placer.elsewhere(self.store.segments())
                self._elsewhere = place_segments(self.corpus, others, self.book, self._placer)
            own = self.store.segments(notice_id=notice_id)
            placed = place_segments(self.corpus, own, self.book, self._placer)
            here = [quote for quote in placed + self._elsewhere if quote.notice_id == notice_id]
            found = sorted(here, key=lambda quote: (quote.status == "detached", quote.start, quote.code))
            self._in_notice[notice_id] = found
        return found


@dataclass(frozen=True, slots=True)
class QuoteFilter:
    """Which quotes to keep: by province (辽宁 or 辽宁省), round (a part of it: 第四轮), level (巡视 /
    巡察 / xunshi / xuncha) and code subtree (a code path: it and every code below it)."""

    province: str | None = None
    round: str | None = None
    level: str | None = None
    code: str | None = None

    def apply(self, quotes: Iterable[CodedQuote], book: Codebook) -> list[CodedQuote]:
        """The quotes that pass every given filter.

        Raises:
            ValueError: an unknown code or level.
        """
        codes = book.subtree(book.resolve(self.code).id) if self.code else None
        level = None
        if self.level:
            level = _LEVELS.get(self.level.strip().lower())
            if level is None:
                raise ValueError(f"level must be 巡视 (xunshi) or 巡察 (xuncha), not {self.level!r}")
        province = self.province.strip() if self.province else None
        round_part = re.sub(r"\s+", "", self.round) if self.round else None
        return [
            q
            for q in quotes
            if (codes is None or q.code_id in codes)
            and (level is None or q.level == level)
            and (province is None or q.province.startswith(province))
            and (round_part is None or round_part in q.round)
        ]


@dataclass(slots=True)
class Matrix:
    """Districts (rows) × codes (columns): how many segments of each code each district's notices have."""

    rows: list[tuple[str, str, str]] = field(default_factory=list)
    """(province, city, district) of each row."""
    codes: list[str] = field(default_factory=list)
    """The column codes' paths, in codebook order."""
    counts: list[list[int]] = field(default_factory=list)
    detached: int = 0
    """Segments left out because they could not be placed."""

    def binary(self) -> list[list[int]]:
        """1 where a district has the code at all, else 0."""
        return [[1 if c else 0 for c in row] for row in self.counts]

    def row_label(self, index: int) -> str:
        """``辽宁省 沈阳市 和平区`` (unknown parts left out)."""
        return " ".join(p for p in self.rows[index] if p) or "（地区未知）"


def district_matrix(quotes: Iterable[CodedQuote], book: Codebook) -> Matrix:
    """The matrix of the placed quotes: one row per district, one column per code used."""
    order = {c.id: i for i, c in enumerate(book.walk())}
    cells: dict[tuple[str, str, str], dict[str, int]] = {}
    used: dict[str, tuple[int, str]] = {}
    detached = 0
    for quote in quotes:
        if quote.status == "detached":
            detached += 1
            continue
        key = (quote.province, quote.city, quote.district)
        row = cells.setdefault(key, {})
        row[quote.code_id] = row.get(quote.code_id, 0) + 1
        used[quote.code_id] = (order.get(quote.code_id, len(order)), quote.code)
    columns = sorted(used, key=lambda i: used[i])
    rows = sorted(cells)
    return Matrix(
        rows,
        [used[i][1] for i in columns],
        [[cells[r].get(i, 0) for i in columns] for r in rows],
        detached,
    )


def _csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(list(header))
    writer.writerows(rows)
    return BOM + buffer.getvalue()


def quotes_csv(quotes: Iterable[CodedQuote]) -> str:
    """The quote table as CSV text starting with a BOM (write it as UTF-8)."""
    return _csv(QUOTE_COLUMNS, ([q.row()[c] for c in QUOTE_COLUMNS] for q in quotes))


def quotes_json(quotes: Iterable[CodedQuote]) -> str:
    """The quote table as a JSON list of objects (``QUOTE_COLUMNS`` plus offsets and sentence)."""
    data = [{**q.row(), "start": q.start, "end": q.end, "sentence": q.sentence} for q in quotes]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def matrix_csv(matrix: Matrix, *, binary: bool = False) -> str:
    """The matrix as CSV with a BOM: ``province,city,district`` then one column per code path."""
    values = matrix.binary() if binary else matrix.counts
    return _csv(
        ("province", "city", "district", *matrix.codes),
        ([*row, *cells] for row, cells in zip(matrix.rows, values, strict=True)),
    )


def matrix_json(matrix: Matrix, *, binary: bool = False) -> str:
    """The matrix as JSON: ``{"codes": [...], "rows": [{province, city, district, counts: {...}}]}``."""
    values = matrix.binary() if binary else matrix.counts
    data = {
        "codes": matrix.codes,
        "binary": binary,
        "detached_left_out": matrix.detached,
        "rows": [
            {
                "province": p,
                "city": c,
                "district": d,
                "counts": dict(zip(matrix.codes, cells, strict=True)),
            }
            for (p, c, d), cells in zip(matrix.rows, values, strict=True)
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def notice_of(corpus: Corpus, quote: CodedQuote) -> Notice | None:
    """The loaded notice a quote is in."""
    return corpus.get(quote.notice_id)
