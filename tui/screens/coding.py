"""Coding from the reader (a mixin of the main screen): code the section or the selected text, the
codes in the margin of the text, and the codebook, matrix and quote-table screens."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual import work

from ...loaders import Corpus, Notice, Section
from ...loaders.cite import section_label
from ...store.codes import Codebook
from ...store.session import Annotations
from ..widgets.detail import CodeMark

T = TypeVar("T")

if TYPE_CHECKING:
    from textual.screen import Screen

    from ...store.last_placing import LastPlacing
    from ...store.retrieval import CodedQuote, NoticeQuotes

    _Base = Screen[None]
else:
    _Base = object


class CodingMixin(_Base):
    """Actions ``K`` (code), ``O`` (codebook), ``X`` (matrix) and ``Q`` (quotes)."""

    notice: Notice | None
    section: Section | None
    annotations: Annotations | None
    _notice_quotes: NoticeQuotes | None = None
    _last_placing: LastPlacing | None = None

    if TYPE_CHECKING:  # provided by the main screen and the annotating mixin

        def refresh_annotations(self) -> None: ...
        def jump_to(self, notice_id: str, section_id: str) -> None: ...
        def _store_ready(self) -> Annotations | None: ...

    def _coded_segments(self) -> tuple[Corpus, Codebook, list[dict[str, Any]], LastPlacing]:
        """The corpus, the codebook, every coded segment and the last placing of them, for a screen
        that places them (on its worker: ``screens.placing``)."""
        assert self.annotations is not None
        store = self.annotations.store
        return self.annotations.corpus, store.codebook(), store.segments(), self._last()

    def _last(self) -> LastPlacing:
        """The last placing of every segment (kept across the coding screens: ``store.last_placing``)."""
        if self._last_placing is None:
            from ...store.last_placing import LastPlacing

            self._last_placing = LastPlacing(getattr(self.app, "cache_dir", None))
        return self._last_placing

    def forget_codes(self) -> None:
        """Drop the cached placements (after a change, or when another zhenggai may have written)."""
        self._notice_quotes = None

    def _quotes_of(self, notice: Notice) -> tuple[Codebook, list[CodedQuote]]:
        """The codebook and the segments shown in one notice (placed for it alone)."""
        assert self.annotations is not None
        if self._notice_quotes is None:
            from ...store.retrieval import NoticeQuotes

            self._notice_quotes = NoticeQuotes(self.annotations.store, self.annotations.corpus)
        return self._notice_quotes.book, self._notice_quotes.of(notice.id)

    def code_marks(self, notice: Notice) -> dict[str, list[CodeMark]]:
        """The codes of a notice's passages, by section, for the margin of the text."""
        if self.annotations is None:
            return {}
        book, quotes = self._quotes_of(notice)
        marks: dict[str, list[CodeMark]] = {}
        for quote in quotes:
            if quote.status != "detached":
                code = book.get(quote.code_id)
                colour = code.colour if code is not None else "#808080"
                mark = CodeMark(quote.code.replace("/", " › "), colour, quote.quote, quote.start, quote.end)
                marks.setdefault(quote.section_id, []).append(mark)
        return marks

    def _save_codes(self, change: Callable[[], T], message: Callable[[T], str]) -> None:
        def done(result: T) -> None:
            self.forget_codes()
            self.refresh_annotations()
            self.notify(message(result), timeout=3, markup=False)

        write = getattr(self.app, "write_store", None)
        if callable(write):
            write(change, done, failed="编码未保存 coding not saved")

    @work(exclusive=True, group="code-picker")
    async def action_code(self) -> None:
        """Code the current section, or the selected text, with a code chosen in the picker."""
        from ...store.anchor import make_anchor
        from .code_picker import NEW_PREFIX, CodePicker

        annotations = self._store_ready()
        if annotations is None or self.notice is None or self.section is None:
            return
        notice, section = self.notice, self.section
        selected = (self.get_selected_text() or "").strip() or None
        try:  # a selection inside this section is the coded passage; otherwise the whole section
            quote = make_anchor(notice, section.id, selected).exact if selected else None
        except ValueError:
            quote = None
            if selected:
                self.notify("选中的文字不在本节 · the selection is not in this section; coding the section",
                            severity="warning", markup=False)  # fmt: skip
        book = annotations.store.codebook()
        where = f"{notice.district or notice.title} › {section_label(section)}"
        choice = await self.app.push_screen_wait(CodePicker(book, where, quote or ""))
        if choice is None:
            return
        anchor = make_anchor(notice, section.id, quote).to_dict()
        code = choice[len(NEW_PREFIX) :] if choice.startswith(NEW_PREFIX) else choice
        store = annotations.store

        def change() -> dict[str, Any]:
            record = store.code_segment(code, anchor, notice_title=notice.title, district=notice.district)
            return {**record, "label": store.codebook().label(record["code_id"])}

        self._save_codes(change, lambda record: f"已编码 coded: {record['label']}")

    async def _open_after_writes(self) -> bool:
        writes = getattr(self, "_writes_done", None)
        if callable(writes):
            await writes()
        if self.annotations is None:
            return False
        self.forget_codes()
        return True

    async def action_codebook(self) -> None:
        """The codebook: every code, the segments of the chosen one across notices; rename, merge."""
        if not await self._open_after_writes():
            return
        from .codebook import CodebookScreen

        assert self.annotations is not None
        screen = CodebookScreen(self.annotations.store, self.annotations.corpus, self._last())
        self.app.push_screen(screen, self._jump_back)

    async def action_matrix(self) -> None:
        """The district × code matrix."""
        if not await self._open_after_writes():
            return
        from .matrix import MatrixScreen

        self.app.push_screen(MatrixScreen(*self._coded_segments()))

    async def action_quotes(self) -> None:
        """The quote table: one row per coded segment; enter opens its passage."""
        if not await self._open_after_writes():
            return
        from .quotes import QuoteTableScreen

        self.app.push_screen(QuoteTableScreen(*self._coded_segments()), self._jump_back)

    def _jump_back(self, target: tuple[str, str] | None) -> None:
        self.forget_codes()
        if target is not None:
            self.jump_to(*target)
        else:
            self.refresh_annotations()
