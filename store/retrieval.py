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
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from ..loaders import Corpus, Notice, Section
from ..loaders.cite import section_label
from .anchor import Anchor
from .codes import Codebook
from .locate import Placer

if TYPE_CHECKING:
    from .db import Store

#: The quote table's columns, in order (documented in docs/research.md).
QUOTE_COLUMNS = (
    "notice_id", "notice_title", "province", "city", "district", "level", "round", "section_id",
    "section", "code", "quote", "memo", "status", "segment_id",
)  # fmt: skip
BOM = "\ufeff"
_SENTENCE_END = "。！？!?；;\n"
_MARKS = _SENTENCE_END[:-1]
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


def _section_span(section: Section) -> tuple[int, int] | None:
    paragraphs = [p for s in section.walk() for p in s.paragraphs]
    return (paragraphs[0].start, paragraphs[-1].end) if paragraphs else None


def surrounding_sentence(body: str, start: int, end: int) -> str:
    """The whole sentence(s) of ``body`` holding ``body[start:end]`` (cut at 。！？； and line ends)."""
    if start < 0:
        return ""
    # each mark is looked for within the line only: one missing from the rest of the notice made
    # ``find`` read on to its end
    line_start = body.rfind("\n", 0, start) + 1
    left = max(line_start, max(body.rfind(c, line_start, start) for c in _MARKS) + 1)
    line_end = body.find("\n", max(end - 1, start))
    if line_end < 0:
        line_end = len(body)
    right = line_end
    for char in _MARKS:
        found = body.find(char, max(end - 1, start), line_end)
        if found >= 0:
            right = min(right, found + 1)
    return body[left:right].strip()


def place_segments(
    corpus: Corpus,
    segments: Iterable[dict[str, Any]],
    book: Codebook,
    placer: Placer | None = None,
    *,
    release: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> list[CodedQuote]:
    """Every segment placed in the corpus, in reading order (place, notice, position); detached last.

    The segments are placed a notice at a time. ``placer``: one kept across calls (its indexes of the
    corpus are read once). ``release``: a notice whose text was read only to place its segments is let
    go of again once they are placed (at thousands of coded segments every notice read stayed in
    memory: 0.6-0.7 GB at 10,000 notes). ``progress(done, total)`` is called after each notice's segments
    (a worker may raise from it to stop).
    """
    placer = placer or Placer(corpus)
    by_notice: dict[str, list[tuple[dict[str, Any], Anchor]]] = {}
    for segment in segments:
        anchor = Anchor.from_dict(segment["anchor"])
        by_notice.setdefault(anchor.notice_id, []).append((segment, anchor))
    total = sum(map(len, by_notice.values()))
    placed: list[tuple[tuple[Any, ...], CodedQuote]] = []
    for notice_id, group in by_notice.items():
        own = corpus.get(notice_id) if release else None
        unread = own is not None and not own.loaded
        spots: dict[Anchor, _Spot] = {}  # a passage coded with several codes is placed once
        for segment, anchor in group:
            spot = spots.get(anchor)
            if spot is None:
                spot = spots[anchor] = _spot(anchor, placer)
            placed.append(_placed_segment(segment, spot, book))
        if unread and own is not None:
            own.release()
        if progress is not None:
            progress(len(placed), total)
    return [item for _, item in sorted(placed, key=lambda pair: pair[0])]


@dataclass(frozen=True, slots=True)
class _Spot:
    """Where an anchor was placed: what every segment on that passage shares."""

    notice: Notice | None
    section: Section | None
    status: str
    start: int
    end: int
    quote: str
    sentence: str
    anchor: Anchor


def _spot(anchor: Anchor, placer: Placer) -> _Spot:
    notice, attachment = placer.place(anchor)
    section = notice.lone_section(attachment.section_id or anchor.section_id) if notice else None
    start, end, quote = attachment.start, attachment.end, anchor.exact
    if (
        notice is not None
        and section is not None
        and anchor.whole_section
        and attachment.status != "detached"
    ):
        span = _section_span(section)
        if span is not None:
            start, end = span
    if notice is not None and start >= 0:
        quote = notice.body[start:end]
    status = attachment.status if notice is not None else "detached"
    sentence = surrounding_sentence(notice.body, start, end) if notice and start >= 0 else ""
    return _Spot(notice, section, status, start, end, quote, sentence, anchor)


def _placed_segment(
    segment: dict[str, Any], spot: _Spot, book: Codebook
) -> tuple[tuple[Any, ...], CodedQuote]:
    """A segment placed, with its key in the quote table's order."""
    notice, section, status, start, end, anchor = (
        spot.notice, spot.section, spot.status, spot.start, spot.end, spot.anchor
    )  # fmt: skip
    code = book.get(segment["code_id"])
    path = code.slash if code is not None else book.label(segment["code_id"])
    meta = notice.meta if notice is not None else None
    item = CodedQuote(
        segment_id=segment["id"],
        code_id=segment["code_id"],
        code=path,
        notice_id=notice.id if notice else anchor.notice_id,
        notice_title=(notice.title if notice else segment.get("notice_title")) or "",
        province=(meta.place.province if meta else None) or "",
        city=(meta.place.city if meta else None) or "",
        district=(meta.place.district if meta else segment.get("district")) or "",
        level=(meta.level if meta else None) or "",
        round=(meta.round if meta else None) or "",
        section_id=section.id if section else anchor.section_id,
        section=section_label(section) if section else anchor.section_title,
        quote=spot.quote,
        memo=str(segment.get("memo", "")),
        status=status,
        start=start if status != "detached" else -1,
        end=end if status != "detached" else -1,
        sentence=spot.sentence,
        note_id=str(segment.get("note_id", "")),
    )
    order = (
        status == "detached",
        item.province,
        item.city,
        item.district,
        notice.index_in_file if notice else 0,
        item.notice_id,
        start,
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
