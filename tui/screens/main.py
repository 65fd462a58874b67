"""The main screen: district list, section tree and detail pane; it loads the corpus in a worker."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Label, ProgressBar

from ...loaders import Corpus, Notice, Section
from ...loaders.cite import citation
from ...store.session import Annotations
from ..clipboard import copy_text
from ..compositor import RowCompositor
from ..frames import PromptFrames
from ..history import History, Location
from ..messages import CorpusLoaded, NoticeChosen, SectionChosen
from ..widgets.detail import DetailPane, SectionView
from ..widgets.district_list import DistrictList
from ..widgets.key_bar import KeyBar
from ..widgets.section_tree import SectionTree
from ..widgets.status_line import StatusLine
from ..work_ahead import WorkAhead
from .annotating import AnnotatingMixin
from .coding import CodingMixin
from .comparing import ComparingMixin
from .loading import LoadingMixin
from .navigating import NavigatingMixin
from .searching import SearchingMixin
from .worker_errors import WorkerErrors

if TYPE_CHECKING:
    from ...loaders.index import SearchIndex
    from ...loaders.keywords import KeywordModel
    from ...store.db import Store


def width_class(width: int, breakpoints: list[tuple[int, str]]) -> str:
    """The class of the widest of ``breakpoints`` (``(least width, class)``) that ``width`` reaches, as
    Textual's ``Screen`` picks it on a resize."""
    return next((name for least, name in sorted(breakpoints, reverse=True) if width >= least), "")


class MainScreen(
    WorkerErrors,
    LoadingMixin,
    NavigatingMixin,
    ComparingMixin,
    SearchingMixin,
    CodingMixin,
    AnnotatingMixin,
    PromptFrames,
    Screen[None],
):
    """Read notices: choose a district, a section, read it."""

    AUTO_FOCUS = "#district-tree"
    """Never the filter box: on an empty folder ``q`` must quit, not type."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-normal"), (170, "-wide")]

    BINDINGS = [
        # the essentials first: at 80 columns the footer shows only the first few (? lists them all)
        Binding("q", "app.quit", "Quit", id="reader.quit", tooltip="Quit Zhenggai Reader (also ctrl+q)"),
        Binding("question_mark", "app.help", "Keys", key_display="?", id="reader.help", tooltip="All keys"),
        Binding("slash", "search", "Search", id="reader.search", tooltip="Search every notice"),
        Binding("f", "filter", "Filter", id="reader.filter", tooltip="Filter districts (汉字, pinyin, hp)"),
        Binding("L", "ledger", "Ledger", id="reader.ledger", tooltip="The ledger of every notice (sortable)"),
        Binding("m", "mark", "Mark", id="reader.mark", tooltip="Mark this notice for comparison"),
        Binding("c", "compare", "Compare", id="reader.compare", tooltip="Compare the marked notices"),
        Binding(
            "ctrl+o,alt+left", "history_back", "Back", show=False, id="reader.back", tooltip="Back in history"
        ),
        # most terminals send ctrl+i as tab (the focus key), so help names the key that always arrives
        Binding(
            "alt+right,ctrl+i",
            "history_forward",
            "Forward",
            show=False,
            key_display="alt+→",
            id="reader.forward",
            tooltip="Forward in history",
        ),
        Binding("left_square_bracket", "step(-1)", "Prev §", id="reader.prev", tooltip="Previous section"),
        Binding("right_square_bracket", "step(1)", "Next §", id="reader.next", tooltip="Next section"),
        Binding("b", "bookmark", "Bookmark", id="reader.bookmark", tooltip="Bookmark this section"),
        Binding("n", "note", "Note", id="reader.note", tooltip="Note on this section or the selected text"),
        Binding("y", "copy_text", "Copy", id="reader.copy", tooltip="Copy the section's text"),
        Binding("Y", "copy_citation", "Cite", show=False, id="reader.cite", tooltip="Copy a citation"),
        Binding("B", "bookmarks", "Bookmarks", show=False, id="reader.bookmarks", tooltip="All bookmarks"),
        Binding("N", "notes", "Notes", show=False, id="reader.notes", tooltip="All notes"),
        Binding("e", "export", "Export", show=False, id="reader.export", tooltip="Export notes to Markdown"),
        Binding("u", "undo_delete", "Undo", show=False, id="reader.undo", tooltip="Undo the last delete"),
        Binding(
            "K",
            "code",
            "Code",
            show=False,
            id="reader.code",
            tooltip="Code this section or the selected text",
        ),
        Binding("O", "codebook", "Codes", show=False, id="reader.codebook", tooltip="Codebook and segments"),
        Binding("X", "matrix", "Matrix", show=False, id="reader.matrix", tooltip="District × code matrix"),
        Binding("Q", "quotes", "Quotes", show=False, id="reader.quotes", tooltip="Coded quotes table"),
        Binding("f3", "next_hit(1)", "Next hit", show=False, id="reader.next_hit", tooltip="Next search hit"),
        Binding(
            "shift+f3", "next_hit(-1)", "Prev hit", show=False, id="reader.prev_hit", tooltip="Previous hit"
        ),
        Binding("M", "marked", "Marked", show=False, id="reader.marked", tooltip="The marked notices"),
        Binding(
            "C", "comparisons", "Saved", show=False, id="reader.comparisons", tooltip="Saved comparisons"
        ),
        Binding(
            "ctrl+b", "toggle_sidebar", "Panes", show=False, id="reader.panes", tooltip="Show/hide the lists"
        ),
    ]

    DEFAULT_CSS = """
    MainScreen #panes { height: 1fr; }
    MainScreen #districts { width: 26; border-right: vkey $panel; }
    MainScreen #sections { width: 38; border-right: vkey $panel; }
    MainScreen #detail { width: 1fr; }
    MainScreen #loading { height: auto; padding: 0 1; display: none; }
    MainScreen #loading-label { width: auto; padding-right: 2; }
    MainScreen.-narrow #districts { width: 20; }
    MainScreen.-narrow #sections { width: 24; }
    MainScreen.-wide #districts { width: 30; }
    MainScreen.-wide #sections { width: 50; }
    MainScreen.-hide-lists #districts, MainScreen.-hide-lists #sections { display: none; }
    """

    def __init__(self, paths: list[Path] | None, compare_ids: list[str] | None = None) -> None:
        super().__init__()
        self._compositor = RowCompositor()  # a move draws the rows it changed (``tui/compositor.py``)
        self.work_ahead = WorkAhead(self)
        """The open notice's paragraphs wrapped ahead while the person rests (``tui/work_ahead.py``)."""
        self.paths = paths
        self.compare_ids = compare_ids or []
        self.marked: list[str] = []
        self.corpus: Corpus | None = None
        self._first_shown: str | None = None
        self._so_far: dict[str, Notice] = {}
        """The notice opened by itself while a long load went on (the user has not moved yet)."""
        self.notice: Notice | None = None
        self.section: Section | None = None
        self.annotations: Annotations | None = None
        self.search_index: SearchIndex | None = None
        self.search_terms: tuple[str, ...] = ()
        self.keyword_model: KeywordModel | None = None
        self.history: History[Location] = History()
        self.search_locations: list[Location] = []

    def compose(self) -> ComposeResult:
        # the width's class from the start, not from the first resize: that restyled every widget again
        # (12 ms before the first frame); the resize then finds it set and restyles nothing
        if name := width_class(self.app.size.width, self.HORIZONTAL_BREAKPOINTS):
            self.set_class(True, name, update=False)
        with Horizontal(id="loading"):
            yield Label("载入 loading…", id="loading-label")
            yield ProgressBar(id="loading-bar", show_eta=False)
        with Horizontal(id="panes"):
            yield DistrictList(id="districts")
            with Vertical(id="sections"):
                yield SectionTree(id="section-tree")
            yield DetailPane(id="detail")
        yield StatusLine(id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        # the panes appear with the first notices: a first frame of empty lists costs as much as a full one
        self.query_one("#panes").display = False
        self.load_notices()
        self.set_timer(self.LOADING_SHOWN_AFTER, self._show_loading, name="loading shown")
        # the text's colours are baked into it: repaint it in the new theme at once
        self.app.theme_changed_signal.subscribe(self, lambda _: self.refresh_annotations())

    def on_corpus_loaded(self, message: CorpusLoaded) -> None:
        corpus = message.corpus
        self.corpus = corpus
        self._so_far = {}
        if self._last_placing is not None:  # placed in the corpus before: never given again, let go
            self._last_placing.forget()
        self.query_one("#loading").display = False
        self.query_one("#panes").display = True
        for skipped in corpus.skipped:
            self.notify(
                f"{Path(skipped.path).name}: {skipped.reason}",
                title="跳过 skipped",
                severity="warning",
                markup=False,
            )
        for warning in corpus.warnings:
            self.notify(f"{Path(warning.path).name}: {warning.reason}", title="注意 warning", markup=False)
        store = getattr(self.app, "store", None)
        if store is not None and store.opened:  # else read off the UI thread after the first screen
            self.store_opened(store)
        districts = self.query_one(DistrictList)
        districts.set_notices(message.entries)
        if not len(corpus):
            self.notify("没有载入任何通报 · no notice loaded", severity="error", timeout=10, markup=False)
            return
        self.call_after_refresh(self._start_background_work, corpus, message.entries)
        browsing = (
            self.notice is not None
            and self.notice.id != self._first_shown
            and corpus.get(self.notice.id) is self.notice
        )
        if browsing and self.notice is not None:  # the user read on while the rest loaded: stay there
            districts.select_notice(self.notice.id)
        else:
            notice_id, section_id = self.app_settings_position()
            notice = corpus.get(notice_id) if notice_id else None
            if notice is None:
                notice, section_id = corpus.notice(0), None
            self.open_notice(notice, section_id)
            districts.select_notice(notice.id)
            districts.place_tree.focus()
        if self.compare_ids:
            self.marked = [i for i in self.compare_ids if corpus.get(i) is not None]
            districts.set_marked(set(self.marked))
            self.action_compare()
        else:
            self.restore_marks()

    def store_opened(self, store: Store) -> None:
        """The store's file is read: its notes, bookmarks and codes are shown from now on."""
        if self.corpus is None:
            return
        self.annotations = Annotations(store, self.corpus)
        problems: list[tuple[str | None, str, SeverityLevel]] = [
            (store.problem, "存储只读 store read-only", "error"),  # notes: nothing can be saved
            (store.settings_problem, "设置只读 settings read-only", "warning"),  # kept for the session
        ]
        for problem, title, severity in problems:
            if problem:
                self.notify(problem, title=title, severity=severity, timeout=15, markup=False)
        self.forget_codes()
        notice = self.notice
        if notice is not None and (  # the text shown carries some: drawn again with them
            self.annotations.placed_in("notes", notice.id)
            or self.annotations.placed_in("bookmarks", notice.id)
            or self.code_marks(notice)
        ):
            self.refresh_annotations()

    def app_settings_position(self) -> tuple[str | None, str | None]:
        """The last notice and section read (from the store's settings)."""
        getter = getattr(self.app, "last_position", None)
        return getter() if callable(getter) else (None, None)

    # -- navigation ------------------------------------------------------------------------------

    def open_notice(self, notice: Notice, section_id: str | None = None, jump: bool = True) -> None:
        """Show a notice's outline and one of its sections."""
        previous = self.notice
        if previous is not None and previous is not notice:
            previous.release()  # memory follows the screen: its text is read again if it is shown again
        self.notice = notice
        tree = self.query_one(SectionTree)
        section = notice.section(section_id) if section_id else None
        section = section or (notice.sections[0] if notice.sections else None)
        tree.show_notice(notice, section.id if section else None)
        if self.annotations is not None:
            tree.set_marks(*self.annotations.marks(notice))
        if section is not None:
            self.open_section(section, jump)
        if previous is not notice:
            self.work_ahead.start(self.query_one(DetailPane).work_ahead(notice))

    def open_section(self, section: Section, jump: bool = True) -> None:
        """Render a section in the detail pane and remember the position (a history step if ``jump``)."""
        if self.notice is None:
            return
        self.section = section
        self.query_one(DetailPane).show(self.section_view(self.notice, section))
        self.record_visit(jump)
        self.update_status()
        remember = getattr(self.app, "remember_position", None)
        if callable(remember):
            remember(self.notice.id, section.id)

    def section_view(self, notice: Notice, section: Section) -> SectionView:
        """What the detail pane needs: the section and the notes on it."""
        bookmarked = (
            self.annotations is not None and self.annotations.bookmark_of(notice, section) is not None
        )
        keywords = (
            tuple(w for w, _ in self.keyword_model.keywords(notice.id, 10)) if self.keyword_model else ()
        )
        return SectionView(
            notice,
            section,
            self.note_marks(notice),
            bookmarked,
            self.search_terms,
            keywords,
            self.code_marks(notice),
        )

    def refresh_annotations(self) -> None:
        """Re-render the marks and the text after a bookmark, note or code changed."""
        if self.notice is None:
            return
        if self.annotations is not None:
            self.query_one(SectionTree).set_marks(*self.annotations.marks(self.notice))
        self.refresh_text()

    def refresh_text(self) -> None:
        """Re-render the section shown, keeping its scroll position."""
        if self.notice is not None and self.section is not None:
            detail = self.query_one(DetailPane)
            y = detail.scroll_y
            detail.show(self.section_view(self.notice, self.section))
            detail.scroll_to(y=y, animate=False)

    def jump_to(self, notice_id: str, section_id: str) -> None:
        """Open a notice at a section (from the bookmark and note lists)."""
        notice = self.corpus.get(notice_id) if self.corpus else None
        if notice is None:
            self.notify("该通报未载入 · that notice is not loaded", severity="warning", markup=False)
            return
        self.open_notice(notice, section_id)
        self.reveal_notice(notice.id)
        self.query_one(DetailPane).focus()

    def reveal_notice(self, notice_id: str) -> None:
        """Put the district list's cursor on a notice (its city expanded)."""
        self.query_one(DistrictList).select_notice(notice_id)

    @on(NoticeChosen)
    def _notice_chosen(self, message: NoticeChosen) -> None:
        if self.corpus is not None:
            notice = self.corpus.get(message.notice_id)
        else:  # still loading: one of the notices read so far
            notice = self._so_far.get(message.notice_id)
        if notice is not None:
            self.open_notice(notice)
            self.query_one(SectionTree).focus()

    @on(SectionChosen)
    def _section_chosen(self, message: SectionChosen) -> None:
        if self.notice is None or self.notice.id != message.notice_id:
            return
        section = self.notice.section(message.section_id)
        if section is not None and section is not self.section:
            self.open_section(section, jump=message.open)
        if message.open:
            self.query_one(DetailPane).focus()

    def action_step(self, delta: int) -> None:
        """Go to the previous/next section in reading order."""
        if self.notice is None or self.section is None:
            return
        order = list(self.notice.walk())
        index = next((i for i, s in enumerate(order) if s is self.section), 0) + delta
        if 0 <= index < len(order):
            self.open_section(order[index])
            self.query_one(SectionTree).select_section(order[index].id)
        else:
            self.notify("已到尽头 · no more sections", timeout=2, markup=False)

    def action_filter(self) -> None:
        """Focus the district filter."""
        self.query_one("#district-filter").focus()

    def action_toggle_sidebar(self) -> None:
        """Hide or show the district list and section tree (for narrow terminals)."""
        self.toggle_class("-hide-lists")
        self.update_status()
        focused = self.focused
        hidden = (self.query_one("#districts"), self.query_one("#sections"))
        inside = focused is not None and any(p is focused or p in focused.ancestors for p in hidden)
        if self.has_class("-hide-lists") and inside:
            self.query_one(DetailPane).focus()  # a hidden widget never keeps the keys

    def action_ledger(self) -> None:
        """Every notice × figure in a sortable table; enter opens a notice."""
        if self.corpus is None:
            return
        from ...loaders.entries import CorpusNotices
        from .ledger import LedgerScreen

        keys = self.query_one(DistrictList).filter_keys
        # each notice built on the ledger's worker, not here (tens of milliseconds at 10,000)
        self.app.push_screen(LedgerScreen(CorpusNotices(self.corpus), keys), self._ledger_done)

    def _ledger_done(self, notice_id: str | None) -> None:
        if notice_id and self.corpus is not None:
            notice = self.corpus.get(notice_id)
            if notice is not None:
                self.open_notice(notice)
                self.query_one(DistrictList).select_notice(notice_id)

    # -- comparison ------------------------------------------------------------------------------

    def action_mark(self) -> None:
        """Mark or unmark the current notice for comparison."""
        if self.notice is None:
            return
        if self.notice.id in self.marked:
            self.marked.remove(self.notice.id)
        else:
            self.marked.append(self.notice.id)
        self.query_one(DistrictList).set_marked(set(self.marked))
        self.save_marks()
        self.notify(
            f"已标记 {len(self.marked)} 篇 · {len(self.marked)} marked; c to compare", timeout=2, markup=False
        )

    def action_compare(self) -> None:
        """Open the comparison of the marked notices."""
        if self.corpus is None:
            return
        notices = [n for n in (self.corpus.get(i) for i in self.marked) if n is not None]
        if len(notices) < 2:
            self.notify(
                "先用 m 标记两篇以上 · mark two or more notices with m", severity="warning", markup=False
            )
            return
        self.open_comparison(notices)

    def open_comparison(self, notices: list[Notice], name: str = "") -> None:
        """Show these notices side by side (the comparison screen)."""
        from .compare import CompareScreen

        export_dir = getattr(self.app, "export_dir", None)
        screen = CompareScreen(notices, export_dir=export_dir, corpus=self.corpus, name=name)
        self.app.push_screen(screen, self._comparison_left)

    def _comparison_left(self, place: tuple[str, str] | None) -> None:
        if place is not None:
            self.jump_to(*place)

    # -- clipboard -------------------------------------------------------------------------------

    def action_copy_text(self) -> None:
        """Copy the selected text, or else the section's text (with its subsections)."""
        if self.section is None:
            return
        selected = self.get_selected_text()
        self._copy(selected or self.section.full_text())

    def action_copy_citation(self) -> None:
        """Copy a citation of the notice and section."""
        if self.notice is not None:
            self._copy(citation(self.notice, self.section))

    def _copy(self, text: str) -> None:
        self.notify(copy_text(text, self.app.copy_to_clipboard), title="复制 copy", timeout=3, markup=False)
