"""The ledger as panel data: one row per notice × figure, with the notice's place, round and dates.

Pure (no I/O).  The columns and their meaning are documented in ``docs/panel.md``; their names are
stable (scripts in R and pandas rely on them).  A computed figure (``completion_rate``) carries the
computation and its result as its sentence (``计算所得 computed: 14 / 17 = 82.4``).
"""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .ledger import Figure, extract_ledger
from .model import Notice

#: The long table's columns, in order (documented in docs/panel.md).
PANEL_COLUMNS = (
    "notice_id", "notice_title", "province", "city", "district", "adcode", "level", "round", "team",
    "kinds", "inspection_start", "inspection_end", "feedback_date", "publication_date", "figure", "value",
    "unit", "label", "computed", "section_id", "sentence",
)  # fmt: skip
#: The per-round summary's columns.
ROUND_COLUMNS = ("round", "level", "figure", "unit", "notices", "median", "min", "max")
UNKNOWN_ROUND = "（轮次未知）"


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def figure_sentence(figure: Figure) -> str:
    """The sentence a figure came from; for a computed one, the computation with its result."""
    if figure.computed:
        return f"{figure.sentence} = {_number(figure.value)}"
    return figure.sentence


@dataclass(frozen=True, slots=True)
class PanelRow:
    """One notice × figure."""

    notice: Notice
    figure: Figure

    def values(self) -> dict[str, str | int | float | None]:
        """The row by column name (None where the notice does not say)."""
        meta = self.notice.meta
        return {
            "notice_id": self.notice.id,
            "notice_title": meta.title,
            "province": meta.place.province,
            "city": meta.place.city,
            "district": meta.place.district,
            "adcode": meta.place.adcode,
            "level": meta.level,
            "round": meta.round,
            "team": meta.team,
            "kinds": ";".join(meta.kinds) or None,
            "inspection_start": meta.inspection_start,
            "inspection_end": meta.inspection_end,
            "feedback_date": meta.feedback_date,
            "publication_date": meta.publication_date,
            "figure": self.figure.name,
            "value": _number(self.figure.value),
            "unit": self.figure.unit,
            "label": self.figure.label,
            "computed": "true" if self.figure.computed else "false",
            "section_id": self.figure.section,
            "sentence": figure_sentence(self.figure),
        }


def panel_rows(notices: Iterable[Notice]) -> Iterator[PanelRow]:
    """Every figure of every notice, in notice order and the ledger's order."""
    for notice in notices:
        for figure in extract_ledger(notice).figures:
            yield PanelRow(notice, figure)


def panel_csv(rows: Iterable[PanelRow]) -> str:
    """The long table as CSV text with a BOM (write it as UTF-8); empty cells where unknown."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(PANEL_COLUMNS)
    for row in rows:
        values = row.values()
        writer.writerow(["" if values[c] is None else values[c] for c in PANEL_COLUMNS])
    return "\ufeff" + buffer.getvalue()


@dataclass(frozen=True, slots=True)
class RoundSummary:
    """One figure across the notices of one round: how many state it, median, min and max."""

    round: str
    level: str
    figure: str
    unit: str
    notices: int
    median: float
    low: float
    high: float

    def cells(self) -> tuple[str, ...]:
        """``ROUND_COLUMNS`` as text."""
        return (
            self.round,
            self.level,
            self.figure,
            self.unit,
            str(self.notices),
            str(_number(round(self.median, 1))),
            str(_number(self.low)),
            str(_number(self.high)),
        )


def round_summary(rows: Iterable[PanelRow]) -> list[RoundSummary]:
    """Per round and figure (unlabelled totals only, one value per notice): counts and medians."""
    values: dict[tuple[str, str, str, str], dict[str, float]] = {}
    for row in rows:
        if row.figure.label:
            continue  # a per-kind figure is not the notice's total
        meta = row.notice.meta
        key = (meta.round or UNKNOWN_ROUND, meta.level or "", row.figure.name, row.figure.unit)
        values.setdefault(key, {}).setdefault(row.notice.id, row.figure.value)
    return [
        RoundSummary(*key, len(by_notice), statistics.median(v), min(v), max(v))
        for key, by_notice in sorted(values.items())
        if (v := list(by_notice.values()))
    ]


def rounds_csv(summaries: Iterable[RoundSummary]) -> str:
    """The per-round summary as CSV text with a BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ROUND_COLUMNS)
    writer.writerows(s.cells() for s in summaries)
    return "\ufeff" + buffer.getvalue()
