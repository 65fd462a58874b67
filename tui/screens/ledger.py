"""The ledger of the whole corpus: every notice × figure in a sortable, filterable table.

The figures are extracted in a thread worker and the rows arrive in batches, so the screen opens at
once even at thousands of notices.  Any column sorts from the keyboard (``s`` on the column, or the
column's number key), with ▲/▼ on the sorted column; places sort by pinyin, not by code point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label
from textual.worker import get_current_worker

from ...loaders import Notice
from ...loaders.comparison import FIGURE_LABELS, format_value
from ...loaders.ledger import Ledger, extract_ledger
from ..district_filter import PlaceKeys, matches, pinyin_of, place_keys
from ..frames import PromptFrames
from ..widgets.key_bar import KeyBar

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
PLACE_COLUMNS = (("province", "省 province"), ("city", "市 city"), ("district", "区县 district"))
#: Rows computed per batch sent to the table (small enough that the screen stays responsive); the first
#: batch is smaller so the table fills at once.
BATCH = 200
FIRST_BATCH = 40


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One notice's row, computed off the UI thread."""

    notice: Notice
    ledger: Ledger
    keys: PlaceKeys
    checks: tuple[str, ...]
    places: tuple[str, ...]
    """Pinyin sort keys of province, city and district."""
    cells: tuple[Text, ...] = ()
    """The table cells, made once (a re-sort only re-adds them)."""


class LedgerFilter(Input):
    """The ledger's filter box: ``escape`` clears it and goes back to the table."""

    BINDINGS = [
        Binding("escape", "clear_filter", "Clear", show=False, id="ledger.clear", tooltip="Clear the filter"),
        Binding("down,enter", "to_table", "Table", show=False, id="ledger.to_table", tooltip="To the table"),
    ]

    def action_to_table(self) -> None:
        """Leave the box for the table, keeping the filter."""
        self.screen.query_one(DataTable).focus()

    def action_clear_filter(self) -> None:
        """Empty the box (the table shows every notice again) and leave it."""
        self.value = ""
        self.screen.query_one(DataTable).focus()


class LedgerScreen(PromptFrames, Screen[str | None]):
    """Sort with ``s`` on a column, filter like the district list; ``enter`` opens the notice."""

    AUTO_FOCUS = "#ledger-table"
    """Keys typed right after ``L`` sort and move, they do not type into the filter."""

    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Back", id="ledger.back", tooltip="Back to the reader"),
        Binding("s", "sort", "Sort", id="ledger.sort", tooltip="Sort by this column (again: reverse)"),
        Binding("f", "filter", "Filter", id="ledger.filter", tooltip="Filter (汉字, pinyin, initials)"),
        *(
            Binding(str(n % 10), f"sort_column({n - 1})", f"Sort {n}", show=False, id=f"ledger.sort{n}",
                    tooltip=f"Sort by column {n}")
            for n in range(1, 11)
        ),
    ]  # fmt: skip

    DEFAULT_CSS = """
    LedgerScreen #ledger-count { color: $text-muted; padding: 0 1; }
    LedgerScreen #ledger-checks { color: $text-warning; padding: 0 1; height: auto; max-height: 3; }
    LedgerScreen DataTable { height: 1fr; }
    """

    def __init__(self, notices: Sequence[Notice], keys: dict[str, PlaceKeys] | None = None) -> None:
        super().__init__()
        self.notices = notices
        self.keys = keys or {}
        self.rows: list[LedgerRow] = []
        self.sorted_by: tuple[str, bool] | None = None
        """(column key, descending) of the current sort."""
        self._query = ""

    def compose(self) -> ComposeResult:
        yield LedgerFilter(placeholder="筛选 filter: 沈阳 / shenyang / sy", id="ledger-filter")
        yield Label("", id="ledger-count", markup=False)
        yield DataTable(id="ledger-table", cursor_type="cell", zebra_stripes=True)
        yield Label("", id="ledger-checks", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # two spaces after each label: room for the ▲/▼ of the sorted column
        for key, label in PLACE_COLUMNS:
            table.add_column(f"{label}  ", key=key)
        table.add_column("年 year  ", key="year")
        for name in COLUMNS:
            table.add_column(f"{FIGURE_LABELS[name]}  ", key=name)
        table.add_column("检查 checks  ", key="checks")
        table.focus()
        self._count()
        self.compute_rows()

    @property
    def computing(self) -> bool:
        """True while rows are still being computed."""
        return len(self.rows) < len(self.notices)

    @work(thread=True, exclusive=True, exit_on_error=False, group="ledger", description="the ledger")
    def compute_rows(self) -> None:
        """Extract every notice's figures off the UI thread, sending the rows in batches."""
        worker = get_current_worker()
        batch: list[LedgerRow] = []
        sent = False
        for notice in self.notices:
            if worker.is_cancelled:
                return
            ledger = extract_ledger(notice)
            place = notice.meta.place
            places = tuple(pinyin_of(name or "") for name in (place.province, place.city, place.district))
            keys = self.keys.get(notice.id) or place_keys(notice)
            row = LedgerRow(notice, ledger, keys, tuple(ledger.checks), places)
            batch.append(LedgerRow(notice, ledger, keys, row.checks, places, tuple(_cells(row))))
            if len(batch) >= (FIRST_BATCH if not sent else BATCH):
                sent = True
                self.app.call_from_thread(self._add_rows, batch)
                batch = []
        if not worker.is_cancelled:
            self.app.call_from_thread(self._add_rows, batch)

    def _add_rows(self, rows: list[LedgerRow]) -> None:
        self.rows.extend(rows)
        if self.sorted_by is not None:
            self._fill()  # the new rows take their places in the order
        else:
            table = self.query_one(DataTable)
            for row in rows:
                if self._shown(row):
                    table.add_row(*row.cells, key=row.notice.id)
            self._count()
        self._show_checks()

    def _shown(self, row: LedgerRow) -> bool:
        return not self._query.strip() or matches(self._query, row.keys)

    def _fill(self) -> None:
        """Show the rows that pass the filter, in the current order."""
        table = self.query_one(DataTable)
        cursor = table.cursor_coordinate
        table.clear()
        rows = [row for row in self.rows if self._shown(row)]
        if self.sorted_by is not None:
            key, descending = self.sorted_by
            present = [row for row in rows if not _missing(row, key)]
            present.sort(key=lambda row: _sort_value(row, key), reverse=descending)
            rows = present + [row for row in rows if _missing(row, key)]  # not stated: always last
        for row in rows:
            table.add_row(*row.cells, key=row.notice.id)
        if table.row_count:
            table.cursor_coordinate = Coordinate(min(cursor.row, table.row_count - 1), cursor.column)
        self._label_columns()
        self._count()
        self._show_checks()

    def _label_columns(self) -> None:
        table = self.query_one(DataTable)
        key, descending = self.sorted_by or ("", False)
        for column in table.ordered_columns:
            base = column.label.plain.rstrip(" ▲▼")
            arrow = (" ▼" if descending else " ▲") if str(column.key.value) == key else ""
            column.label = Text(base + arrow)
        table.refresh()

    def _count(self) -> None:
        table = self.query_one(DataTable)
        loading = f" · 计算中 computing {len(self.rows)}/{len(self.notices)}…" if self.computing else ""
        warned = sum(1 for row in self.rows if row.checks)
        checks = f" · ⚠ {warned} 篇数据有疑 with data-check warnings" if warned else ""
        self.query_one("#ledger-count", Label).update(
            f"{table.row_count} / {len(self.notices)} 篇{loading}{checks} · s 或 1–0 排序 sort · "
            "enter 打开 open · 空格 = 未载明 not stated"
        )

    # -- sorting ---------------------------------------------------------------------------------

    def action_sort(self) -> None:
        """Sort by the column under the cursor (again: the other way)."""
        self.action_sort_column(self.query_one(DataTable).cursor_column)

    def action_sort_column(self, index: int) -> None:
        """Sort by column ``index``: figures biggest first, places and years in natural order first."""
        table = self.query_one(DataTable)
        if not 0 <= index < len(table.ordered_columns):
            return
        key = str(table.ordered_columns[index].key.value)
        numeric = key in COLUMNS or key == "checks"
        if self.sorted_by is not None and self.sorted_by[0] == key:
            descending = not self.sorted_by[1]
        else:
            descending = numeric
        self.sorted_by = (key, descending)
        table.move_cursor(row=0, column=index)
        self._fill()

    def action_filter(self) -> None:
        """Focus the filter box."""
        self.query_one(Input).focus()

    @on(Input.Changed, "#ledger-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._query = event.value
        self._fill()

    @on(DataTable.CellHighlighted, "#ledger-table")
    def _highlighted(self) -> None:
        self._show_checks()

    def _show_checks(self) -> None:
        table = self.query_one(DataTable)
        label = self.query_one("#ledger-checks", Label)
        if not table.row_count:
            label.update("")
            return
        row_key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key
        row = next((r for r in self.rows if r.notice.id == row_key.value), None)
        label.update("⚠ " + "；".join(row.checks) if row is not None and row.checks else "")

    @on(DataTable.CellSelected, "#ledger-table")
    def _open(self, event: DataTable.CellSelected) -> None:
        self.dismiss(str(event.cell_key.row_key.value))


def _sort_value(row: LedgerRow, key: str) -> tuple[object, ...]:
    """What a column sorts by: places by pinyin (then the characters), figures by value."""
    if key in ("province", "city", "district"):
        index = ("province", "city", "district").index(key)
        name = (row.notice.province, row.notice.city, row.notice.district)[index] or ""
        return (row.places[index], name)
    if key == "year":
        return (row.notice.meta.year or 0,)
    if key == "checks":
        return (len(row.checks),)
    figure = row.ledger.get(key)
    return (figure.value if figure is not None else 0.0,)


def _missing(row: LedgerRow, key: str) -> bool:
    """True when the row does not state what the column shows."""
    if key in ("province", "city", "district"):
        return not row.places[("province", "city", "district").index(key)]
    if key == "year":
        return not row.notice.meta.year
    if key == "checks":
        return False
    return row.ledger.get(key) is None


class _Number(Text):
    """A right-aligned table cell that remembers its number for sorting."""

    number: float = float("nan")


def _cells(row: LedgerRow) -> list[Text]:
    notice = row.notice
    cells: list[Text] = [
        Text(notice.province or "—"),
        Text(notice.city or "—"),
        Text(notice.district or "—"),
        _cell(notice.meta.year or 0),
    ]
    for name in COLUMNS:
        figure = row.ledger.get(name)
        cells.append(_cell(figure.value if figure is not None else float("nan")))
    cells.append(Text(f"⚠ {len(row.checks)}" if row.checks else "", style="bold"))
    return cells


def _cell(value: object) -> Text:
    if isinstance(value, float) and value != value:
        return _Number("", justify="right")
    number = float(value) if isinstance(value, int | float) else 0.0
    shown = format_value(None) if number == 0 and isinstance(value, int) else f"{number:g}"
    cell = _Number(shown, justify="right")
    cell.number = number
    return cell
