"""The quote table: one row per coded segment (place, round, section, code, quote, memo); enter opens
the passage in the reader.  It opens at once and fills once every coded segment is placed (on a
worker: ``placing``)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from ...loaders import Corpus
from ...store.codes import Codebook
from ...store.last_placing import LastPlacing
from ...store.retrieval import CodedQuote
from ..frames import PromptFrames
from ..widgets.key_bar import KeyBar
from ..widgets.paged_table import PagedTable
from .placing import PlacesSegments

COLUMNS = ("地区 district", "轮次 round", "章节 section", "编码 code", "引文 quote", "备忘 memo")


def _cells(quote: CodedQuote) -> tuple[Text, ...]:
    # a notice whose place was not read says what it is by its title (its id is a hash where no place is),
    # cut as short as a place, so the column stays narrow
    title = quote.notice_title if len(quote.notice_title) <= 12 else quote.notice_title[:11] + "…"
    place = f"{quote.city}{quote.district}" or quote.province or title or quote.notice_id
    text = quote.quote if len(quote.quote) <= 60 else quote.quote[:59] + "…"
    status = "" if quote.status != "detached" else "（已脱离 detached）"
    return (
        Text(place),
        Text(quote.round),
        Text(quote.section[:24]),
        Text(quote.code.replace("/", " › ")),
        Text(status + " ".join(text.split())),
        Text(" ".join(quote.memo.split())[:40]),
    )


class QuoteTableScreen(PlacesSegments, PromptFrames, Screen[tuple[str, str] | None]):
    """Every coded segment; ``/`` filters by code (a code and its sub-codes), enter jumps."""

    PLACING_LINE = "#quotes-title"

    BINDINGS = [
        Binding("escape", "close", "Back", id="quotes.close", tooltip="Back to the reader"),
        Binding("slash", "filter", "Filter", id="quotes.filter", tooltip="Only a code and its sub-codes"),
    ]

    DEFAULT_CSS = """
    QuoteTableScreen #quotes-title { padding: 0 1; height: auto; color: $text-muted; }
    QuoteTableScreen #quotes-filter { display: none; }
    QuoteTableScreen #quotes-filter.-shown { display: block; }
    QuoteTableScreen DataTable { height: 1fr; }
    """

    def __init__(
        self, corpus: Corpus, book: Codebook, segments: list[dict[str, Any]], last: LastPlacing | None = None
    ) -> None:
        super().__init__()
        self.last = last
        self.corpus = corpus
        self.book = book
        self.segments = segments
        self.quotes: list[CodedQuote] = []
        """Every segment placed (empty until they are)."""
        self.code_ids: set[str] | None = None
        self.shown: list[CodedQuote] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="quotes-title", markup=False)
        yield Input(placeholder="编码 code path: 问题类型/形式主义", id="quotes-filter")
        yield PagedTable(id="quotes-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for column in COLUMNS:
            table.add_column(column)
        table.focus()
        self.place(self.corpus, self.book, self.segments)

    def segments_placed(self, book: Codebook, quotes: list[CodedQuote]) -> None:
        self.book, self.quotes = book, quotes
        self._fill()

    def _fill(self) -> None:
        if self.placing:  # a filter chosen meanwhile applies once they are placed
            return
        self.shown = [q for q in self.quotes if self.code_ids is None or q.code_id in self.code_ids]
        self.query_one(PagedTable).show(self.shown, _cells)
        self.say(f"{len(self.shown)} 条引文 coded quotes · enter 跳转 open · / 按编码筛选 filter by code")

    def action_filter(self) -> None:
        """Show the code filter."""
        field = self.query_one("#quotes-filter", Input)
        field.add_class("-shown")
        field.focus()

    @on(Input.Submitted, "#quotes-filter")
    def _filtered(self, event: Input.Submitted) -> None:
        query = event.value.strip()
        if not query:
            self.code_ids = None
        else:
            try:
                self.code_ids = self.book.subtree(self.book.resolve(query).id)
            except ValueError as exc:
                self.notify(str(exc), severity="warning", markup=False)
                return
        self._fill()
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected, "#quotes-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        quote = self.shown[int(str(event.row_key.value))]
        if quote.status == "detached":
            self.notify("这段编码未能定位 · this segment is detached", severity="warning", markup=False)
            return
        self.dismiss((quote.notice_id, quote.section_id))

    def action_close(self) -> None:
        """Back to the reader."""
        self.dismiss(None)
