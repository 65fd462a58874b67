"""The comparison screen: a ledger table on top, the aligned sections side by side below."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Label

from ...loaders import Corpus, Notice
from ...loaders.align import KIND_LABELS, AlignedRow
from ...loaders.comparison import Comparison, compare, format_value, notice_heading, to_markdown
from ...loaders.ledger import Figure
from ...loaders.model import Section
from ...store.session import Annotations
from ..frames import PromptFrames
from ..widgets.compare_column import CompareColumn
from ..widgets.key_bar import KeyBar
from .annotating import ask_export_folder
from .note_editor import NoteEditor, Prompt
from .worker_errors import WorkerErrors

T = TypeVar("T")

_BAR = "▏▎▍▌▋▊▉█"


def rate_bar(value: float, width: int = 5) -> str:
    """A small bar for a percentage: ``██▌`` for 50% at width 5."""
    cells = max(0.0, min(100.0, value)) / 100 * width
    full = int(cells)
    rest = int((cells - full) * 8)
    return "█" * full + (_BAR[rest - 1] if rest else "")


class CompareScreen(WorkerErrors, PromptFrames, Screen[tuple[str, str] | None]):
    """Two or more notices side by side, figure by figure and section by section."""

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="compare.back", tooltip="Back to the reader"),
        Binding("right_square_bracket", "step(1)", "Next §", id="compare.next", tooltip="Next aligned row"),
        Binding("left_square_bracket", "step(-1)", "Prev §", id="compare.prev", tooltip="Previous row"),
        Binding("greater_than_sign", "move_column(1)", "→col", show=False, id="compare.right",
                tooltip="Swap the current column with the one to its right"),
        Binding("less_than_sign", "move_column(-1)", "←col", show=False, id="compare.left",
                tooltip="Swap the current column with the one to its left"),
        Binding("o", "open_in_reader", "Read", id="compare.open",
                tooltip="Open this column's section in the reader (ctrl+o there comes back)"),
        Binding("x", "remove_column", "Remove", id="compare.remove", tooltip="Remove the current column"),
        Binding("a", "add_column", "Add", id="compare.add", tooltip="Add a notice as a new column"),
        Binding("s", "save", "Save", id="compare.save", tooltip="Save this comparison under a name"),
        Binding("b", "bookmark", "Bookmark", id="compare.bookmark", tooltip="Bookmark this column's section"),
        Binding("n", "note", "Note", id="compare.note", tooltip="Note on the current column's section"),
        Binding("e", "export", "Export", id="compare.export", tooltip="Export the comparison to Markdown"),
    ]  # fmt: skip

    DEFAULT_CSS = """
    CompareScreen #ledger { height: auto; max-height: 45%; }
    CompareScreen #row-title { padding: 0 1; background: $panel; width: 1fr; }
    CompareScreen #columns { height: 1fr; }
    """

    def __init__(
        self,
        notices: list[Notice],
        export_dir: Path | None = None,
        corpus: Corpus | None = None,
        name: str = "",
    ) -> None:
        super().__init__()
        self.notices = list(notices)
        self.corpus = corpus
        self.name_saved = name
        self.export_dir = export_dir
        self.comparison: Comparison = compare(self.notices)
        self.row_index = 0
        self.source: tuple[int, tuple[int, int]] | None = None
        """(column, (start, end)) of the sentence a ledger cell jumped to."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield DataTable(id="ledger", cursor_type="cell", zebra_stripes=True)
            yield Label("", id="row-title", markup=False)
            with Horizontal(id="columns"):
                for notice in self.notices:
                    yield CompareColumn(notice)
        yield KeyBar()

    def on_mount(self) -> None:
        self._fill_ledger()
        self.show_row(0)

    # -- ledger ----------------------------------------------------------------------------------

    def _fill_ledger(self) -> None:
        table = self.query_one("#ledger", DataTable)
        table.clear(columns=True)
        table.add_column("项目 figure", key="figure")
        for index, notice in enumerate(self.notices):
            table.add_column(notice_heading(notice), key=f"n{index}")
        for key, label in (("inspection_end", "巡视结束"), ("feedback_date", "反馈日期")):
            values = [getattr(n.meta, key) or "—" for n in self.notices]
            table.add_row(Text(label, style="dim"), *(Text(v) for v in values), key=key)
        for row in self.comparison.rows:
            cells = []
            for figure in row.cells:
                text = Text(format_value(figure), style="bold" if row.differs and figure else "")
                if figure is not None and figure.name == "completion_rate":
                    text.append(" " + rate_bar(figure.value), style="green")
                if figure is not None and figure.computed:
                    text.append(" *", style="dim")
                cells.append(text)
            table.add_row(Text(row.title), *cells, key=f"{row.name}|{row.label}")
        if not self.comparison.rows:
            why = Text("（这些通报都未载明可比的数字 · none of these notices states a comparable figure）")
            table.add_row(why, *(Text("") for _ in self.notices), key="no-figures")

    def figure_at(self, row: int, column: int) -> Figure | None:
        """The figure under the ledger's cursor (None for a date row or the label column)."""
        index = row - 2
        if index < 0 or column < 1 or index >= len(self.comparison.rows):
            return None
        return self.comparison.rows[index].cells[column - 1]

    @on(DataTable.CellSelected, "#ledger")
    def _cell_selected(self, event: DataTable.CellSelected) -> None:
        figure = self.figure_at(event.coordinate.row, event.coordinate.column)
        if figure is None:
            return
        self.jump_to(event.coordinate.column - 1, figure)

    def jump_to(self, column: int, figure: Figure) -> None:
        """Show the aligned row holding the figure's sentence, with the sentence marked."""
        section_id = figure.section
        rows = self.comparison.alignment.rows
        while section_id:
            for index, row in enumerate(rows):
                cell = row.cells[column]
                if cell is not None and cell.id == section_id:
                    self.source = (column, (figure.start, figure.end))
                    self.show_row(index)
                    target = self.columns[column]
                    target.focus()
                    target.call_after_refresh(target.scroll_to_source, (figure.start, figure.end))
                    return
            section_id = section_id.rpartition("/")[0]
        self.notify(
            "找不到出处所在部分 · the source section is not in the alignment",
            severity="warning",
            markup=False,
        )

    # -- aligned sections ------------------------------------------------------------------------

    @property
    def columns(self) -> list[CompareColumn]:
        """The columns in screen order."""
        return list(self.query(CompareColumn))

    @property
    def current_row(self) -> AlignedRow:
        """The aligned row on screen."""
        return self.comparison.alignment.rows[self.row_index]

    def show_row(self, index: int) -> None:
        """Show aligned row ``index`` in every column."""
        rows = self.comparison.alignment.rows
        self.row_index = max(0, min(index, len(rows) - 1))
        row = self.current_row
        kind = KIND_LABELS[row.kind]
        status = "" if row.matched else "  (仅一篇 · unmatched)"
        position = f"{self.row_index + 1}/{len(rows)}"
        title = f"{position}  {kind}" + (f" › {row.title}" if row.depth else "") + status
        self.query_one("#row-title", Label).update(Text(title))
        for index_, column in enumerate(self.columns):
            source = self.source[1] if self.source and self.source[0] == index_ else None
            column.show(row.cells[index_], with_children=row.depth > 0, source=source)
        self.source = None

    def action_step(self, delta: int) -> None:
        """Next/previous aligned row."""
        self.show_row(self.row_index + delta)

    @on(CompareColumn.Scrolled)
    def _column_scrolled(self, message: CompareColumn.Scrolled) -> None:
        for column in self.columns:
            if column is not message.column:
                column.follow(message.ratio)

    def _focused_column(self) -> int:
        """The column actions act on: the focused text column, or the figure table's cursor column."""
        focused = self.focused
        columns = self.columns
        if isinstance(focused, CompareColumn) and focused in columns:
            return columns.index(focused)
        table = self.query_one("#ledger", DataTable)
        if focused is table and 1 <= table.cursor_column <= len(columns):
            return table.cursor_column - 1
        return 0

    async def action_move_column(self, delta: int) -> None:
        """Swap the focused column with its neighbour."""
        index = self._focused_column()
        other = index + delta
        if not 0 <= other < len(self.notices):
            return
        self.notices[index], self.notices[other] = self.notices[other], self.notices[index]
        await self.rebuild(focus=other)

    async def action_remove_column(self) -> None:
        """Remove the focused column (two must remain)."""
        if len(self.notices) <= 2:
            self.notify("至少保留两篇 · a comparison needs two notices", severity="warning", markup=False)
            return
        del self.notices[self._focused_column()]
        await self.rebuild(focus=0)

    async def add_notice(self, notice: Notice) -> None:
        """Add a column."""
        if any(n.id == notice.id for n in self.notices):
            return
        self.notices.append(notice)
        await self.rebuild(focus=len(self.notices) - 1)

    async def rebuild(self, focus: int = 0) -> None:
        """Recompute the comparison after the columns changed, staying on the same aligned row."""
        before = [(c.notice.id, c.section.id) for c in self.columns if c.section is not None]
        table = self.query_one("#ledger", DataTable)
        ledger_row, ledger_focused = table.cursor_row, self.focused is table
        self.comparison = compare(self.notices)
        container = self.query_one("#columns", Horizontal)
        await container.remove_children()
        await container.mount_all(CompareColumn(n) for n in self.notices)
        self._fill_ledger()
        self.show_row(self._row_holding(before))
        table.move_cursor(row=min(ledger_row, table.row_count - 1), column=focus + 1)
        columns = self.columns
        if ledger_focused:
            table.focus()
        else:
            columns[min(focus, len(columns) - 1)].focus()

    def _row_holding(self, sections: list[tuple[str, str]]) -> int:
        """The aligned row that shows one of these (notice id, section id) cells, else the first row."""
        for notice_id, section_id in sections:
            if notice_id not in [n.id for n in self.notices]:
                continue
            column = [n.id for n in self.notices].index(notice_id)
            for index, row in enumerate(self.comparison.alignment.rows):
                cell = row.cells[column]
                if cell is not None and cell.id == section_id:
                    return index
        return 0

    def action_open_in_reader(self) -> None:
        """Leave for the reader at the focused column's section (a step in the reader's history)."""
        current = self._current()
        if current is not None:
            self.dismiss((current[0].id, current[1].id))

    def action_export(self) -> None:
        """Write the comparison as Markdown, in a folder the user chooses (the last one is offered)."""
        comparison = self.comparison

        def write(folder: Path) -> None:
            path = folder / f"zhenggai-compare-{datetime.now().strftime('%Y%m%d-%H%M%S')}.md"
            try:
                folder.mkdir(parents=True, exist_ok=True)
                path.write_text(to_markdown(comparison), encoding="utf-8")
            except OSError as exc:
                self.notify(f"导出失败 export failed: {exc.strerror or exc}", severity="error", markup=False)
                return
            self.notify(f"已导出 exported to {path}", title="导出 export", timeout=6, markup=False)

        ask_export_folder(self.app, write)

    # -- store: save, bookmark, note ------------------------------------------------------------------

    def _annotations(self) -> Annotations | None:
        store = getattr(self.app, "store", None)
        if store is None or self.corpus is None:
            self.notify("没有可用的存储 · no store", severity="warning", markup=False)
            return None
        if store.read_only:
            self.notify(store.problem or "the store is read-only", severity="error", markup=False)
            return None
        return Annotations(store, self.corpus)

    def action_save(self) -> None:
        """Save the comparison under a name (the store's comparisons table)."""
        annotations = self._annotations()
        if annotations is None:
            return
        default = self.name_saved or " / ".join(notice_heading(n) for n in self.notices)
        ids = [n.id for n in self.notices]

        def saved(record: dict[str, object]) -> None:
            self.name_saved = str(record["name"])
            self.notify(f"已保存 saved: {record['name']}", timeout=3, markup=False)

        def named(name: str | None) -> None:
            if name:
                self._write(lambda: annotations.store.save_comparison(name, ids), saved)

        # dialogs are pushed at once (not from a worker): keys typed right after the key go into them
        self.app.push_screen(Prompt("对比名称 name of the comparison", default), named)

    def _write(self, change: Callable[[], T], done: Callable[[T], object]) -> None:
        """A store change off the UI thread (see ``ZhenggaiApp.write_store``)."""
        write = getattr(self.app, "write_store", None)
        if callable(write):
            write(change, done)

    def _current(self) -> tuple[Notice, Section] | None:
        column = self.columns[self._focused_column()]
        if column.section is None:
            self.notify("这一栏此处无内容 · nothing here in this column", severity="warning", markup=False)
            return None
        return column.notice, column.section

    def action_bookmark(self) -> None:
        """Bookmark the focused column's section."""
        annotations, current = self._annotations(), self._current()
        if annotations is None or current is None:
            return
        self._write(
            lambda: annotations.toggle_bookmark(*current),
            lambda added: self.notify(
                "已加书签 bookmarked" if added else "已删书签 bookmark removed", timeout=2, markup=False
            ),
        )

    def action_note(self) -> None:
        """A note on the focused column's section."""
        annotations, current = self._annotations(), self._current()
        if annotations is None or current is None:
            return
        notice, section = current
        where = f"{notice_heading(notice)} › {section.number}{section.title}"

        def written(text: str | None) -> None:
            if text is not None:
                self._write(
                    lambda: annotations.add_note(notice, section, text),
                    lambda _: self.notify("笔记已保存 note saved", timeout=2, markup=False),
                )

        self.app.push_screen(NoteEditor(where), written)

    def action_add_column(self) -> None:
        """Add a notice (by district name or id) as a new column."""
        corpus = self.corpus
        if corpus is None:
            return

        async def asked(query: str | None) -> None:
            if not query:
                return
            found = corpus.resolve(query)
            if len(found) != 1:
                names = "、".join(f"{n.city or ''}{n.district or ''}" for n in found[:6])
                self.notify(
                    f"找到 {len(found)} 篇 {len(found)} match: {names}", severity="warning", markup=False
                )
                return
            await self.add_notice(found[0])

        self.app.push_screen(Prompt("加入哪一篇 add which notice (区县名或id district or id)"), asked)
