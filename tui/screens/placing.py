"""Screens that show every coded segment of the store (the quote table, the matrix, the codebook) place
them on a worker: the screen opens at once, says how far the placing is, and fills when it is done.

Placing a segment reads its notice's text and re-attaches it (``store.retrieval.place_segments``): at
10,000 notes, 20,000 coded segments in 2,500 notices held the UI thread 1.9-3.2 s before the screen
opened, and every notice read stayed in memory (0.6-0.7 GB).  The worker lets go of each notice it read once
its segments are placed, and stops at the next notice when the screen closes.  A screen given the reader's
``LastPlacing`` reuses the last placing when the corpus, codes and segments are the same, and otherwise
places only the anchors it has no spot for (``store.last_placing``: in memory, or on disk from an
earlier run); it keeps its own.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.widgets import Static
from textual.worker import Worker, get_current_worker

from ...loaders import Corpus
from ...store.codes import Codebook
from ...store.last_placing import LastPlacing, placing_key
from ...store.retrieval import CodedQuote, placed_segments
from .worker_errors import WorkerErrors, failure_line

#: How often the screen is told how far the placing is (seconds).
SEND_EVERY = 0.25


def placing_label(done: int, total: int) -> str:
    """``载入中 placing 5000/20000 段编码 coded segments…``."""
    return f"载入中 placing {done}/{total} 段编码 coded segments…"


#: What a screen says when its segments could not be placed.
FAILED = "未能定位编码 the coded segments could not be placed (see the message)"


class _Stopped(Exception):
    """The screen closed: stop placing."""


class PlacesSegments(WorkerErrors):
    """A screen that places the store's coded segments on a worker (``place``), shows how far it is
    (``show_placing``) and then the result (``segments_placed``)."""

    placing = False
    """True while a worker is placing."""
    PLACING_LINE: ClassVar[str] = ""
    """The selector of the screen's title line, which says how far placing is (``say``)."""
    last: LastPlacing | None = None
    """The reader's last placing: given again when nothing it was made from changed, kept when made."""

    def place(self, corpus: Corpus, book: Codebook, segments: list[dict[str, Any]]) -> None:
        """Place ``segments`` (read by the caller on the UI thread) in ``corpus`` on a worker."""
        self.placing = True
        self.show_placing(0, len(segments))
        self._place(corpus, book, segments)

    @work(thread=True, exclusive=True, exit_on_error=False, group="segments", description="placing segments")
    def _place(self, corpus: Corpus, book: Codebook, segments: list[dict[str, Any]]) -> None:
        worker = get_current_worker()
        last = self.last
        key = placing_key(corpus, book, segments) if last is not None else None
        known = last.get(key) if last is not None else None
        if known is not None:  # placed before, from the very same corpus, codes and segments
            if not worker.is_cancelled:
                self.app.call_from_thread(self._placed, book, known)
            return
        sent = time.monotonic()

        def progress(done: int, total: int) -> None:
            nonlocal sent
            if worker.is_cancelled:
                raise _Stopped
            if time.monotonic() - sent >= SEND_EVERY:
                sent = time.monotonic()
                self.app.call_from_thread(self.show_placing, done, total)

        spots = last.spots(corpus) if last is not None else {}  # only anchors not among them are placed
        try:
            quotes, made = placed_segments(
                corpus, segments, book, release=True, progress=progress, known=spots
            )
        except _Stopped:
            return
        fresh = False
        if last is not None:
            last.keep(key, quotes)
            fresh = last.add(corpus, made)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._placed, book, quotes)
        if last is not None:  # for the next run of the reader too (the screen closed or not)
            last.save(key, quotes)
            if fresh:
                last.save_spots(corpus)

    def _placed(self, book: Codebook, quotes: list[CodedQuote]) -> None:
        self.placing = False
        self.segments_placed(book, quotes)

    def say(self, text: str) -> None:
        """Write ``text`` (data, never markup) in the screen's title line."""
        self.query_one(self.PLACING_LINE, Static).update(Text(text))

    def show_placing(self, done: int, total: int) -> None:
        """Say how far the placing is (on the UI thread)."""
        self.say(placing_label(done, total))

    def segments_placed(self, book: Codebook, quotes: list[CodedQuote]) -> None:
        """Show the placed segments (on the UI thread)."""
        raise NotImplementedError

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Placing failed: toasted (``WorkerErrors``), and the screen says nothing was placed."""
        super().on_worker_state_changed(event)
        if event.worker.group == "segments" and failure_line(event.worker) is not None:
            self.placing = False
            self.placing_failed()

    def placing_failed(self) -> None:
        """Say the segments could not be placed (on the UI thread)."""
        self.say(FAILED)
