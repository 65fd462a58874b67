"""The district × code matrix on screen: counts (``b``: 0/1), one row per district, one column per code.

It opens at once and fills once every coded segment is placed (on a worker: ``placing``)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ...loaders import Corpus
from ...store.codes import Codebook
from ...store.last_placing import LastPlacing
from ...store.retrieval import CodedQuote, Matrix, district_matrix
from ..frames import PromptFrames
from ..widgets.key_bar import KeyBar
from ..widgets.paged_table import PagedTable
from .placing import PlacesSegments


class MatrixScreen(PlacesSegments, PromptFrames, Screen[None]):
    """Districts × codes of every placed coded segment."""

    PLACING_LINE = "#matrix-title"

    BINDINGS = [
        Binding("escape", "close", "Back", id="matrix.close", tooltip="Back to the reader"),
        Binding("b", "toggle_binary", "0/1", id="matrix.binary", tooltip="Counts or 0/1"),
    ]

    DEFAULT_CSS = """
    MatrixScreen #matrix-title { padding: 0 1; height: auto; color: $text-muted; }
    MatrixScreen DataTable { height: 1fr; }
    """

    def __init__(
        self, corpus: Corpus, book: Codebook, segments: list[dict[str, Any]], last: LastPlacing | None = None
    ) -> None:
        super().__init__()
        self.last = last
        self.corpus = corpus
        self.book = book
        self.segments = segments
        self.matrix: Matrix | None = None
        """None until the segments are placed."""
        self.binary = False

    def compose(self) -> ComposeResult:
        yield Static("", id="matrix-title", markup=False)
        yield PagedTable(id="matrix-table", cursor_type="cell", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.place(self.corpus, self.book, self.segments)

    def segments_placed(self, book: Codebook, quotes: list[CodedQuote]) -> None:
        self.matrix = district_matrix(quotes, book)
        self._fill()

    def _fill(self) -> None:
        matrix = self.matrix
        if matrix is None:
            return
        table = self.query_one(PagedTable)
        table.show((), tuple)  # no rows of the table before while its columns change
        table.clear(columns=True)
        table.add_column("地区 district", key="district")
        for index, code in enumerate(matrix.codes):
            table.add_column(Text(code.replace("/", " › ")), key=f"code-{index}")
        values = matrix.binary() if self.binary else matrix.counts

        def cells(index: int) -> tuple[Text, ...]:
            return (
                Text(matrix.row_label(index)),
                *(Text(str(v), justify="right", style="" if v else "dim") for v in values[index]),
            )

        table.show(range(len(values)), cells)  # a page at a time: 1,719 districts at once took 0.37-0.45 s
        what = "0/1" if self.binary else "计数 counts"
        title = (
            f"地区 × 编码 district × code · {len(matrix.rows)} × {len(matrix.codes)} · {what} · b 切换 toggle"
        )
        if matrix.detached:
            title += f" · {matrix.detached} 段未能定位 detached, left out"
        if not matrix.codes:
            title = "还没有编码 · nothing coded yet (K in the reader codes a section or the selected text)"
        self.say(title)

    def action_toggle_binary(self) -> None:
        """Switch between counts and 0/1."""
        self.binary = not self.binary
        self._fill()

    def action_close(self) -> None:
        """Back to the reader."""
        self.dismiss(None)
