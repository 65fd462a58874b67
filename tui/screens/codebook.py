"""The codebook screen: the code tree, and every segment of the chosen code across notices.

``r`` renames, ``m`` merges into another code, ``p`` moves under another code (or to the top); enter on
a segment opens its passage.  Store writes go through ``app.write_store``; the screen re-reads after.
The code tree and its counts show at once; the segments are placed on a worker (``placing``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Static, Tree

from ...loaders import Corpus
from ...store.codes import Code, Codebook
from ...store.db import Store
from ...store.last_placing import LastPlacing
from ...store.retrieval import CodedQuote
from ..frames import PromptFrames
from ..widgets.key_bar import KeyBar
from ..widgets.paged_table import PagedTable
from .code_picker import NEW_PREFIX, CodePicker
from .note_editor import Prompt
from .placing import FAILED, PlacesSegments, placing_label


def _cells(quote: CodedQuote) -> tuple[Text, ...]:
    text = " ".join(quote.quote.split())
    status = "（已脱离 detached）" if quote.status == "detached" else ""
    return (
        Text(f"{quote.city}{quote.district}" or quote.notice_id),
        Text(quote.section[:24]),
        Text(quote.code.replace("/", " › ")),
        Text(status + (text if len(text) <= 50 else text[:49] + "…")),
        Text(" ".join(quote.memo.split())[:30]),
    )


class CodebookScreen(PlacesSegments, PromptFrames, Screen[tuple[str, str] | None]):
    """Codes on the left, the chosen code's segments (with its sub-codes') on the right."""

    BINDINGS = [
        Binding("escape", "close", "Back", id="codebook.close", tooltip="Back to the reader"),
        Binding("r", "rename", "Rename", id="codebook.rename", tooltip="Rename the chosen code"),
        Binding("m", "merge", "Merge", id="codebook.merge", tooltip="Merge the chosen code into another"),
        Binding("p", "move", "Move", id="codebook.move", tooltip="Move the chosen code under another"),
    ]

    DEFAULT_CSS = """
    CodebookScreen #codebook-panes { height: 1fr; }
    CodebookScreen #codebook-tree { width: 36; border-right: vkey $panel; }
    CodebookScreen #codebook-side { width: 1fr; }
    CodebookScreen #codebook-title { padding: 0 1; height: auto; color: $text-muted; }
    CodebookScreen DataTable { height: 1fr; }
    """

    def __init__(self, store: Store, corpus: Corpus, last: LastPlacing | None = None) -> None:
        super().__init__()
        self.last = last
        self.store = store
        self.corpus = corpus
        self.book = Codebook([])
        self.quotes: list[CodedQuote] = []
        self.chosen: Code | None = None
        self.shown: list[CodedQuote] = []
        self._progress = ""
        """How far placing the segments is ("" once they are placed)."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="codebook-panes"):
            yield Tree("编码 Codes", id="codebook-tree")
            with Horizontal(id="codebook-side"):
                yield PagedTable(id="codebook-segments", cursor_type="row", zebra_stripes=True)
        yield Static("", id="codebook-title", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for column in ("地区 district", "章节 section", "编码 code", "引文 quote", "备忘 memo"):
            table.add_column(column)
        self.reload()
        self.query_one(Tree).focus()

    def reload(self) -> None:
        """Read the codebook and segments again and redraw (the chosen code kept when it still exists)."""
        self.book = self.store.codebook()
        segments = self.store.segments()
        counts = Counter(segment["code_id"] for segment in segments)
        tree: Tree[str] = self.query_one(Tree)
        tree.clear()
        tree.root.expand()

        def add(node: Any, parent: str | None) -> None:
            for code in self.book.children(parent):
                label = Text("● ", style=code.colour)
                label.append(code.name)
                label.append(f"  {counts.get(code.id, 0)}", style="dim")
                child = node.add(label, data=code.id, expand=True)
                add(child, code.id)
                if not self.book.children(code.id):
                    child.allow_expand = False

        add(tree.root, None)
        chosen = self.book.get(self.chosen.id) if self.chosen else None
        self.chosen = chosen or next(self.book.walk(), None)
        self.place(self.corpus, self.book, segments)  # the segments listed so far stay until then
        self.show_code(self.chosen)

    def show_placing(self, done: int, total: int) -> None:
        self._progress = placing_label(done, total)
        self._title()

    def placing_failed(self) -> None:
        self._progress = FAILED
        self._title()

    def segments_placed(self, book: Codebook, quotes: list[CodedQuote]) -> None:
        self.book, self.quotes, self._progress = book, quotes, ""
        self.show_code(self.chosen)

    def show_code(self, code: Code | None) -> None:
        """List the segments of a code and the codes below it."""
        self.chosen = code
        ids = self.book.subtree(code.id) if code else set()
        self.shown = [q for q in self.quotes if q.code_id in ids]
        self.query_one(PagedTable).show(self.shown, _cells)
        self._title()

    def _title(self) -> None:
        """The chosen code, how many segments it has and the keys; while placing, how far it is."""
        code = self.chosen
        if code is None:
            title = "还没有编码 · no codes yet: K in the reader codes a section or the selected text"
        else:
            memo = f" · {code.memo}" if code.memo else ""
            keys = "r 改名 rename · m 合并 merge · p 移动 move"
            count = f"{len(self.shown)} 段 segments" if not self._progress else self._progress
            title = f"{code.label} · {count}{memo} · {keys}"
        self.query_one("#codebook-title", Static).update(Text(" ".join(title.split("\n"))))

    @on(Tree.NodeHighlighted, "#codebook-tree")
    def _highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        code = self.book.get(event.node.data) if event.node.data else None
        if code is not None and code is not self.chosen:
            self.show_code(code)

    @on(DataTable.RowSelected, "#codebook-segments")
    def _open(self, event: DataTable.RowSelected) -> None:
        quote = self.shown[int(str(event.row_key.value))]
        if quote.status == "detached":
            self.notify("这段编码未能定位 · this segment is detached", severity="warning", markup=False)
            return
        self.dismiss((quote.notice_id, quote.section_id))

    def _write(self, change: Callable[[], Any], message: Callable[[Any], str]) -> None:
        if self.store.read_only:
            self.notify(self.store.problem or "the store is read-only", severity="error", markup=False)
            return

        def done(result: Any) -> None:
            self.reload()
            self.notify(message(result), timeout=3, markup=False)

        write = getattr(self.app, "write_store", None)
        if callable(write):
            write(change, done, failed="编码未保存 codebook not saved")

    @work(exclusive=True, group="codebook-dialog")
    async def action_rename(self) -> None:
        """Rename the chosen code."""
        code = self.chosen
        if code is None:
            return
        name = await self.app.push_screen_wait(Prompt(f"新名称 new name for {code.label}", code.name))
        if name and name != code.name:
            self._write(lambda: self.store.rename_code(code.id, name), lambda r: f"{r['was']} → {name}")

    @work(exclusive=True, group="codebook-dialog")
    async def action_merge(self) -> None:
        """Merge the chosen code into another (chosen in the picker)."""
        code = self.chosen
        if code is None:
            return
        others = self._codes_outside(code.id)
        target = await self.app.push_screen_wait(CodePicker(others, code.label, title="合并到 Merge into"))
        if target is None:
            return
        target = target[len(NEW_PREFIX) :] if target.startswith(NEW_PREFIX) else target
        if target not in self.book.codes:
            self.notify("先建该编码 · create that code first", severity="warning", markup=False)
            return
        self._write(
            lambda: self.store.merge_codes(code.id, target),
            lambda r: f"{r['source']} → {r['target']} ({r['segments']} segments)",
        )

    @work(exclusive=True, group="codebook-dialog")
    async def action_move(self) -> None:
        """Move the chosen code under another code (``zhenggai code move`` also moves to the top)."""
        code = self.chosen
        if code is None:
            return
        others = self._codes_outside(code.id)
        parent = await self.app.push_screen_wait(CodePicker(others, code.label, title="移到 Move under"))
        if parent is None:
            return
        if parent.startswith(NEW_PREFIX):
            self.notify("先建该编码 · create that code first", severity="warning", markup=False)
            return
        self._write(lambda: self.store.move_code(code.id, parent), lambda r: f"{r['was']} → {r['parent']}")

    def _codes_outside(self, code_id: str) -> Codebook:
        """The codebook without this code and its sub-codes (where it can be merged or moved to)."""
        inside = self.book.subtree(code_id)
        return Codebook(
            {"id": c.id, "name": c.name, "parent": c.parent, "colour": c.colour}
            for c in self.book.walk()
            if c.id not in inside
        )

    def action_close(self) -> None:
        """Back to the reader."""
        self.dismiss(None)
