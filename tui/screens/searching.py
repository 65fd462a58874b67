"""Search for the reader screen (a mixin): the index built in a worker, ``/``, ``f3``/``shift+f3``."""

from __future__ import annotations

import gc
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import work
from textual.worker import WorkerCancelled, get_current_worker

from ...loaders import Corpus, Notice, Section
from ..history import Location
from ..input_first import give_way
from ..widgets.detail import DetailPane

if TYPE_CHECKING:
    from textual.screen import Screen

    from ...loaders.entries import Listed
    from ...loaders.index import SearchIndex
    from ...loaders.keywords import KeywordModel
    from .search import SearchResult

    _Base = Screen[None]
else:
    _Base = object


class SearchingMixin(_Base):
    """The reader's search: nothing is segmented before the first frame."""

    corpus: Corpus | None
    notice: Notice | None
    section: Section | None
    search_index: SearchIndex | None
    search_terms: tuple[str, ...]
    keyword_model: KeywordModel | None

    def jump_to(self, notice_id: str, section_id: str) -> None:
        """Open a notice at a section."""
        raise NotImplementedError

    @work(
        thread=True, exclusive=True, exit_on_error=False, group="index", description="build the search index"
    )
    def build_index(self, corpus: Corpus, entries: Sequence[Listed]) -> None:
        """Bring the persistent index up to date (only changed files are segmented)."""
        from ...loaders.index import SearchIndex
        from ...loaders.keywords import KeywordModel

        worker, app = get_current_worker(), self.app
        give_way(app, worker)  # keys pressed meanwhile go first (``input_first``)
        cache = getattr(app, "cache_dir", None)
        index = SearchIndex(cache / "index.sqlite" if cache is not None else None)

        def progress(done: int, total: int) -> None:
            # between files: stop when quitting (the open transaction rolls back), wait while keys come
            give_way(app, worker)

        try:
            # segments only new or changed files; builds no notice when nothing changed since the last
            # sync of the same snapshot (``SearchIndex.sync_corpus``)
            index.sync_corpus(corpus, progress)
        except WorkerCancelled:
            raise
        except Exception as exc:  # reported by WorkerErrors; search then says why it is unavailable
            self.app.call_from_thread(setattr, self, "index_problem", f"{type(exc).__name__}: {exc}")
            raise
        if worker.is_cancelled:
            return
        self.app.call_from_thread(self._index_ready, index)
        give_way(app, worker)
        model = KeywordModel.from_source(entries, index)  # reads counts when a notice is shown
        if worker.is_cancelled:
            return
        self.app.call_from_thread(self._keywords_ready, model)
        # The segmenter is not loaded here: a warm index segments nothing, and loading it holds the
        # interpreter for 0.2 s in one piece (the first key after a short rest waited for it, and its
        # dictionary added 60 MB); the first search for a word the index does not hold whole loads it.

    def _keywords_ready(self, model: KeywordModel) -> None:
        self.keyword_model = model
        # The background work is over: what it left (the index, the keyword counts) lives as long as the
        # reader, so out of the collector's sight too; each full collection during moves walked it (25 ms).
        gc.freeze()
        notice, section = self.notice, self.section
        if notice is None or section is None or not notice.sections or notice.sections[0].id != section.id:
            return  # the keywords show in a notice's heading, above its first section only
        refresh = getattr(self, "refresh_text", None)
        if callable(refresh):
            refresh()

    def _index_ready(self, index: SearchIndex) -> None:
        self.search_index = index

    def action_search(self) -> None:
        """Open search (results as you type)."""
        from .search import SearchScreen

        if self.search_index is None:
            problem = getattr(self, "index_problem", None)
            if problem:
                message = f"搜索不可用 search is unavailable: the index could not be built ({problem})"
                self.notify(message, severity="error", markup=False)
            else:
                message = "正在建立搜索索引 · the search index is still being built"
                self.notify(message, severity="warning", markup=False)
            return
        screen = SearchScreen(
            self.search_index,
            notice_id=self.notice.id if self.notice else None,
            section_id=self.section.id if self.section else None,
            query=getattr(self, "last_query", ""),
        )
        self.app.push_screen(screen, self._search_done)

    def _search_done(self, result: SearchResult | None) -> None:
        if result is None:
            return
        self.last_query = result.query
        self.search_terms = tuple(result.terms)
        self.search_locations = self._reading_order([Location(*where) for where in result.locations])
        self.jump_to(result.notice_id, result.section_id)
        self.query_one(DetailPane).call_after_refresh(self.query_one(DetailPane).step_hit, 1)

    def _reading_order(self, locations: list[Location]) -> list[Location]:
        """The hits as a reader meets them: notice by notice, section by section."""
        if self.corpus is None:
            return locations
        notices = {notice_id: i for i, notice_id in enumerate(self.corpus.column("id"))}
        orders: dict[str, dict[str, int]] = {}
        for location in locations:
            notice = self.corpus.get(location.notice_id)
            if notice is not None and notice.id not in orders:
                orders[notice.id] = {s.id: i for i, s in enumerate(notice.walk())}

        def key(location: Location) -> tuple[int, int]:
            sections = orders.get(location.notice_id, {})
            return notices.get(location.notice_id, 0), sections.get(location.section_id, 0)

        return sorted(dict.fromkeys(locations), key=key)

    def action_next_hit(self, delta: int) -> None:
        """Step to the next/previous hit in the text, then on into the next section or notice found."""
        pane = self.query_one(DetailPane)
        if self.search_terms and pane.step_hit(delta):
            return
        following = self._following_location(delta)
        if following is None:
            message = (
                "没有更多搜索结果 · no more hits"
                if self.search_terms
                else "没有搜索结果 · no hits (/ to search)"
            )
            self.notify(message, timeout=2, markup=False)
            return
        self.jump_to(following.notice_id, following.section_id)
        pane.call_after_refresh(pane.step_hit, delta)

    def _following_location(self, delta: int) -> Location | None:
        """The next (``delta`` 1) or previous found section after the one being read."""
        locations: list[Location] = getattr(self, "search_locations", [])
        if not locations or self.notice is None or self.section is None:
            return None
        here = Location(self.notice.id, self.section.id)
        ordered = self._reading_order([*locations, here])
        index = ordered.index(here) + delta
        while 0 <= index < len(ordered) and ordered[index] == here:
            index += delta
        return ordered[index] if 0 <= index < len(ordered) else None
