"""Loading for the reader screen (a mixin): the corpus read in a worker, with its progress, the notices
read so far shown during a long first load, and the pinyin filter keys computed after the first frame."""

from __future__ import annotations

import gc
import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.widgets import Label, ProgressBar
from textual.worker import get_current_worker

from ...loaders import Corpus, Notice, load_corpus
from ...loaders.entries import NoticeEntry, notice_entries
from ..district_filter import PlaceKeys, place_keys
from ..input_first import give_way
from ..messages import CorpusLoaded, LoadProgress, NoticesSoFar
from ..widgets.district_list import DistrictList

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.worker import Worker

    from ...store.db import Store

    _Base = Screen[None]
else:
    _Base = object


class LoadingMixin(_Base):
    """The reader's loading: nothing but the district list waits for it."""

    FIRST_PARTIAL_AFTER = 0.5
    """Seconds into a load before the notices read so far are shown (a warm load is done by then)."""
    PARTIAL_EVERY = 1.5
    """Seconds between later updates of the list while the load goes on."""
    LOADING_SHOWN_AFTER = 0.25
    """Seconds into a load before its progress bar is shown.  A warm load is done by then; its bar,
    drawn and animated meanwhile, took the UI thread from the load (a warm start of 10,000 notices
    read them in 0.21 s instead of 0.08)."""

    paths: list[Path] | None
    notes_problem: str | None
    corpus: Corpus | None
    notice: Notice | None
    _first_shown: str | None
    _so_far: dict[str, Notice]

    if TYPE_CHECKING:  # the screen's own (declared only: a mixin's stub would shadow the real ones)

        def open_notice(self, notice: Notice, section_id: str | None = None, jump: bool = True) -> None:
            """Show a notice's outline and one of its sections."""

        def app_settings_position(self) -> tuple[str | None, str | None]:
            """The last notice and section read."""

        def store_opened(self, store: Store) -> None:
            """The store's file is read (the screen's)."""

        def build_index(self, corpus: Corpus, entries: list[NoticeEntry]) -> Worker[None]:
            """Bring the search index up to date (``SearchingMixin``)."""

    @work(thread=True, exit_on_error=False, exclusive=True, group="load", description="loading the notices")
    def load_notices(self) -> None:
        """Parse the notices off the UI thread, reporting progress; then build the filter keys."""
        worker = get_current_worker()

        last = [0.0]

        app = self.app

        def progress(done: int, total: int, path: Path) -> None:
            # between files: stop when quitting (or the exit waits for the last one), wait while keys come
            give_way(app, worker)
            # at most ~10 updates a second: every message costs the UI thread a repaint
            now = time.monotonic()
            if not worker.is_cancelled and (now - last[0] > 0.1 or done == total):
                last[0] = now
                self.post_message(LoadProgress(done, total))

        so_far: list[Notice] = []
        started = time.monotonic()
        shown = [started]

        def found(notices: list[Notice]) -> None:
            # a long (first) load shows what is read so far, about once a second, to browse meanwhile
            so_far.extend(notices)
            now = time.monotonic()
            wait = self.FIRST_PARTIAL_AFTER if shown[0] == started else self.PARTIAL_EVERY
            if now - shown[0] >= wait and not worker.is_cancelled:
                shown[0] = now
                self.post_message(NoticesSoFar(list(so_far), *last_count))

        last_count = [0, 0]

        def counting(done: int, total: int, path: Path) -> None:
            last_count[:] = [done, total]
            progress(done, total, path)

        cache_dir = getattr(self.app, "cache_dir", None)
        early = getattr(self.app, "early", None)  # opened before the reader started (loaders.early)
        corpus = early.take(self.paths, cache_dir) if early is not None else None
        if corpus is None:
            corpus = load_corpus(self.paths, progress=counting, cache_dir=cache_dir, found=found)
        entries = notice_entries(corpus)  # the district list's rows: from a snapshot, no notice built
        # The corpus lives as long as the reader: move it out of the collector's sight, or every full
        # collection walks millions of its objects while the screen paints (and again at quit).
        gc.freeze()
        if worker.is_cancelled:
            return
        self.post_message(CorpusLoaded(corpus, entries))

    @work(
        thread=True, exit_on_error=False, exclusive=True, group="keys", description="the pinyin filter keys"
    )
    def compute_filter_keys(self, entries: list[NoticeEntry]) -> None:
        """Pinyin and initials of every place, for the district filter (Chinese works without them)."""
        worker, app = get_current_worker(), self.app
        keys: dict[str, PlaceKeys] = {}
        for number, notice in enumerate(entries):
            if number % 256 == 0:
                give_way(app, worker)  # stop when quitting (the exit waits for this thread), wait for keys
            keys[notice.id] = place_keys(notice)
        self.app.call_from_thread(self._filter_keys_ready, keys)

    def _start_background_work(self, corpus: Corpus, entries: list[NoticeEntry]) -> None:
        """After the first populated frame: the store's own file, if only its settings were read, then
        the filter keys and the search index (all hold the GIL for a while at thousands of notes or
        notices; started earlier they delay that frame), each giving way to keys as they come
        (``input_first``)."""
        # The screen's widgets live as long as the reader too: every full collection during moves
        # would walk them again (the corpus was frozen when it loaded).
        gc.freeze()
        hold = getattr(self.app, "hold_background", None)
        if callable(hold):
            hold()  # the first keys come right after the first populated frame: they go first
        store = getattr(self.app, "store", None)
        if store is not None and not store.opened:
            self.open_store(store, corpus, entries)  # the notes first: the rest starts once they are shown
        else:
            self._start_indexing(corpus, entries)

    def _start_indexing(self, corpus: Corpus, entries: list[NoticeEntry]) -> None:
        self.compute_filter_keys(entries)
        self.build_index(corpus, entries)

    @work(
        thread=True, exit_on_error=False, exclusive=True, group="store-open", description="reading the notes"
    )
    def open_store(self, store: Store, corpus: Corpus, entries: list[NoticeEntry]) -> None:
        """Read the store's file (notes, bookmarks, codes) off the UI thread, after the first screen;
        then start the filter keys and the index."""
        worker, app = get_current_worker(), self.app
        give_way(app, worker)  # keys pressed right after the first screen go first
        problem: str | None = None
        try:
            store.finish_open()
        except Exception as exc:  # said in one line; the reader reads on without the notes
            problem = f"{type(exc).__name__}: {exc}"
        if not worker.is_cancelled:
            app.call_from_thread(self._store_read, store, problem, corpus, entries)

    def _store_read(
        self, store: Store, problem: str | None, corpus: Corpus, entries: list[NoticeEntry]
    ) -> None:
        if problem is None:
            self.store_opened(store)
        else:
            self.notes_problem = problem
            title = "笔记不可读 notes unreadable"
            self.notify(problem, title=title, severity="error", timeout=15, markup=False)
        self._start_indexing(corpus, entries)

    def _filter_keys_ready(self, keys: dict[str, PlaceKeys]) -> None:
        self.query_one(DistrictList).set_filter_keys(keys)

    def _show_loading(self) -> None:
        """The progress row, once the load has taken ``LOADING_SHOWN_AFTER`` (set off at mount)."""
        if self.corpus is None:
            self.query_one("#loading").display = True

    def on_load_progress(self, message: LoadProgress) -> None:
        self.query_one("#loading-bar", ProgressBar).update(total=message.total, progress=message.done)

    def on_notices_so_far(self, message: NoticesSoFar) -> None:
        """Browse what is read while a long first load goes on."""
        if self.corpus is not None:
            return
        self.query_one("#loading-label", Label).update(
            f"载入 loading {message.done:,}/{message.total:,} files · 可先阅读 browse meanwhile"
        )
        self.query_one("#panes").display = True
        districts = self.query_one(DistrictList)
        districts.set_notices(message.notices)
        self._so_far = {n.id: n for n in message.notices}
        if self.notice is None:
            notice_id, section_id = self.app_settings_position()
            notice = next((n for n in message.notices if n.id == notice_id), None)
            if notice is None:
                notice, section_id = message.notices[0], None
            self.open_notice(notice, section_id)
            self._first_shown = notice.id
            districts.select_notice(notice.id)
            districts.place_tree.focus()
        else:
            districts.select_notice(self.notice.id)
