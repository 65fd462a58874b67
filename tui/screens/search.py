"""The search dialog (``/``): results as you type, scoped to this section, this notice or everything."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ...loaders.index import SearchIndex
from ...loaders.query import Filters, Hit, parse_query, query_problem, search
from ..cjk import NO_START, CJKText
from ..frames import PromptFrames
from .worker_errors import WorkerErrors

SCOPES = ("all", "notice", "section")
SCOPE_LABELS = {"all": "全部通报 all notices", "notice": "本篇 this notice", "section": "本节 this section"}
DEBOUNCE = 0.15


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The hit the user opened, and the terms to highlight there."""

    notice_id: str
    section_id: str
    terms: list[str]
    query: str = ""
    """What was typed (``/`` offers it again)."""
    locations: tuple[tuple[str, str], ...] = ()
    """(notice id, section id) of every hit found, best first (``f3`` goes on through them)."""


class SearchScreen(WorkerErrors, PromptFrames, ModalScreen[SearchResult | None]):
    """Type to search; ``enter`` opens the highlighted hit; ``ctrl+o`` changes the scope."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="search.close", tooltip="Close search"),
        Binding(
            "ctrl+o", "next_scope", "Scope", id="search.scope", tooltip="All / this notice / this section"
        ),
        Binding(
            "down", "focus_results", "Results", show=False, id="search.results", tooltip="To the results"
        ),
    ]

    DEFAULT_CSS = """
    SearchScreen { align: center top; }
    SearchScreen > Vertical {
        width: 110; max-width: 96%; height: 85%; margin-top: 2;
        border: round $primary; background: $surface; padding: 0 1;
    }
    SearchScreen #search-status { color: $text-muted; width: 1fr; }
    SearchScreen #search-scope { color: $accent; width: auto; }
    SearchScreen Horizontal { height: 1; }
    SearchScreen OptionList { height: 1fr; }
    """

    def __init__(
        self,
        index: SearchIndex,
        *,
        notice_id: str | None = None,
        section_id: str | None = None,
        query: str = "",
    ) -> None:
        super().__init__()
        self.index = index
        self.notice_id = notice_id
        self.section_id = section_id
        self.initial = query
        self.scope = "all"
        self.hits: list[Hit] = []
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(
                self.initial,
                placeholder='搜索 search: 词语 words, "短语 phrase", -排除, OR',
                id="search-input",
            )
            with Horizontal():
                yield Label("", id="search-status", markup=False)
                yield Label(SCOPE_LABELS[self.scope], id="search-scope", markup=False)
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.focus()
        if self.initial:
            field.select_all()  # the last query, offered again: typing replaces it
            self.run_search(self.initial)

    @on(Input.Changed, "#search-input")
    def _typed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        value = event.value
        self._timer = self.set_timer(DEBOUNCE, lambda: self.run_search(value))

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        if self.hits:
            self._open(0)

    def _filters(self) -> Filters:
        if self.scope == "notice" and self.notice_id:
            return Filters(notice_id=self.notice_id)
        if self.scope == "section" and self.notice_id and self.section_id:
            return Filters(notice_id=self.notice_id, section_prefix=self.section_id)
        return Filters()

    @work(thread=True, exclusive=True, exit_on_error=False, group="search", description="search")
    def run_search(self, query: str) -> None:
        """Query the index off the UI thread; a newer keystroke cancels this one."""
        worker = get_current_worker()
        problem = query_problem(query) if query.strip() else None
        hits = search(self.index, query, self._filters(), limit=100) if query.strip() and not problem else []
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, query, hits, problem)

    def _show(self, query: str, hits: list[Hit], problem: str | None = None) -> None:
        self.hits = hits
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._option(h) for h in hits)
        status = f"{len(hits)} 条结果 hits" if query.strip() else ""
        if query.strip() and not hits:
            status = "没有结果 no hits"
        if problem:
            status = f"无法搜索 cannot search: {problem}"
        self.query_one("#search-status", Label).update(Text(status))

    def _option(self, hit: Hit) -> Option:
        label = Text(f"{hit.city or ''}{hit.district or ''}", style="bold")
        label.append(f"  {hit.section_title[:50]}", style="dim")
        # a snippet cut out of running text may open with the punctuation that ended the clause before
        cut = len(hit.snippet) - len(hit.snippet.lstrip("".join(NO_START) + " \u3000"))
        snippet = Text(hit.snippet[cut:])
        for start, end in hit.spans:
            if end - cut > 0:
                snippet.stylize("bold reverse", max(0, start - cut), end - cut)
        return Option(Group(CJKText(label), CJKText(snippet, indent=2)))  # kinsoku: no 。、， at a line start

    def _open(self, index: int) -> None:
        hit = self.hits[index]
        query = self.query_one(Input).value
        locations = tuple((h.notice_id, h.section_id) for h in self.hits)
        self.dismiss(SearchResult(hit.notice_id, hit.section_id, parse_query(query).terms, query, locations))

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option_index)

    def action_next_scope(self) -> None:
        """Cycle the scope and search again."""
        self.scope = SCOPES[(SCOPES.index(self.scope) + 1) % len(SCOPES)]
        self.query_one("#search-scope", Label).update(SCOPE_LABELS[self.scope])
        self.run_search(self.query_one(Input).value)

    def action_focus_results(self) -> None:
        """Move from the query to the results."""
        self.query_one(OptionList).focus()
