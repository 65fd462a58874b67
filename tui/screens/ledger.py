"""The ledger of the whole corpus: every notice × figure in a sortable, filterable table."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label

from ...loaders import Notice
from ...loaders.comparison import FIGURE_LABELS, format_value
from ...loaders.ledger import Ledger, extract_ledger
from ..district_filter import PlaceKeys, matches, place_keys

#: The columns shown (the most asked-for figures), in order.
COLUMNS = (
    "problems_total",
    "problems_rectified",
    "completion_rate",
    "measures",
    "petitions_received",
    "cases_filed",
    "people_disciplined",
    "money_recovered",
    "rules_made",
)


class LedgerScreen(Screen[str | None]):
    """Sort with ``s`` on a column, filter like the district list; ``enter`` opens the notice."""

    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Back", id="ledger.back", tooltip="Back to the reader"),
        Binding("s", "sort", "Sort", id="ledger.sort", tooltip="Sort by the column under the cursor"),
        Binding(
            "f", "filter", "Filter", id="ledger.filter", tooltip="Filter notices (汉字, pinyin, initials)"
        ),
    ]

    DEFAULT_CSS = """
    LedgerScreen #ledger-count { color: $text-muted; padding: 0 1; }
    LedgerScreen DataTable { height: 1fr; }
    """

    def __init__(self, notices: list[Notice], keys: dict[str, PlaceKeys] | None = None) -> None:
        super().__init__()
        self.notices = notices
        self.keys = keys or {}
        self.ledgers: dict[str, Ledger] = {}
        self._sort_reverse = False

    def compose(self) -> ComposeResult:
        yield Input(placeholder="筛选 filter: 沈阳 / shenyang / sy", id="ledger-filter")
        yield Label("", id="ledger-count", markup=False)
        yield DataTable(id="ledger-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.ledgers = {n.id: extract_ledger(n) for n in self.notices}
        table = self.query_one(DataTable)
        table.add_column("省 province", key="province")
        table.add_column("市 city", key="city")
        table.add_column("区县 district", key="district")
        table.add_column("年 year", key="year")
        for name in COLUMNS:
            table.add_column(FIGURE_LABELS[name], key=name)
        self._fill("")
        table.focus()

    def _fill(self, query: str) -> None:
        table = self.query_one(DataTable)
        table.clear()
        shown = 0
        for notice in self.notices:
            if query.strip():
                keys = self.keys.get(notice.id) or place_keys(notice)
                if not matches(query, keys):
                    continue
            ledger = self.ledgers[notice.id]
            cells: list[Text | int | float | str] = [
                Text(notice.province or "—"),
                Text(notice.city or "—"),
                Text(notice.district or "—"),
                notice.meta.year or 0,
            ]
            for name in COLUMNS:
                figure = ledger.get(name)
                cells.append(figure.value if figure is not None else float("nan"))
            table.add_row(*(_cell(c) for c in cells), key=notice.id)
            shown += 1
        self.query_one("#ledger-count", Label).update(
            f"{shown} / {len(self.notices)} 篇 · s 排序 sort · enter 打开 open · 空格 = 未载明 not stated"
        )

    def action_sort(self) -> None:
        """Sort by the column under the cursor (again: the other way)."""
        table = self.query_one(DataTable)
        column = table.ordered_columns[table.cursor_column].key
        self._sort_reverse = not self._sort_reverse
        descending = self._sort_reverse
        if str(column.value) in COLUMNS or column.value == "year":
            # biggest first on the first press; notices that do not state the figure stay last
            table.sort(column, key=lambda cell: _number_key(cell, descending))
        else:
            table.sort(column, key=lambda cell: cell.plain, reverse=not descending)

    def action_filter(self) -> None:
        """Focus the filter box."""
        self.query_one(Input).focus()

    @on(Input.Changed, "#ledger-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(DataTable.RowSelected, "#ledger-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.dismiss(str(event.row_key.value))


class _Number(Text):
    """A right-aligned table cell that remembers its number for sorting."""

    number: float = float("nan")


def _cell(value: object) -> Text:
    if isinstance(value, Text):
        return value
    if isinstance(value, float) and value != value:
        cell = _Number("", justify="right")
        return cell
    number = float(value) if isinstance(value, int | float) else 0.0
    shown = format_value(None) if number == 0 and isinstance(value, int) else f"{number:g}"
    cell = _Number(shown, justify="right")
    cell.number = number
    return cell


def _number_key(cell: Text, descending: bool) -> tuple[int, float]:
    number = getattr(cell, "number", float("nan"))
    if number != number:
        return (1, 0.0)
    return (0, -number if descending else number)
