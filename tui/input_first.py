"""Background work gives way to the person at the keyboard.

The reader's workers (parsing, the search index, the keyword counts, the pinyin filter keys) run in
threads, and Python runs one thread at a time: a worker busy when a key arrives makes that key's
screen wait for its turn, up to twice as long at 10,000 notices (the first moves after a start took
0.2–0.35 s while the start's background work ran).  So each worker, between two pieces of its work,
waits until no key, click or scroll has come for ``QUIET_SECONDS`` (``give_way``); the first frame of a
start counts as input too, since the first keys come right after it.  A worker waiting checks for
cancellation, so quitting still stops it at once.

The garbage collector waits too, as Textual's ``PAUSE_GC_ON_SCROLL`` makes it wait while a scroll
animates: a full collection in the middle of a key's frame added 12–25 ms to that move at 10,000
notices.  From a key, click or scroll until ``QUIET_SECONDS`` pass without more, the collector is off; it
runs once input stops, and at the latest ``COLLECTOR_WAITS_AT_MOST`` seconds into a burst that does not
(a held key), so garbage never piles up for long.  Memory still comes back at once for everything
that is freed without a collection (nearly all of it).
"""

from __future__ import annotations

import gc
import time
from typing import TYPE_CHECKING, Any

from textual import events
from textual.worker import Worker, WorkerCancelled

if TYPE_CHECKING:
    from textual.app import App

    _Base = App[Any]
else:
    _Base = object

#: How long after the last key, click or scroll background work waits before it goes on.
QUIET_SECONDS = 0.3
#: The longest the collector waits while input keeps coming.
COLLECTOR_WAITS_AT_MOST = 5.0
#: How often a waiting worker looks again (and checks whether it was cancelled).
_LOOK_EVERY = 0.05

_INPUT = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)


class InputFirst(_Base):
    """An ``App`` mixin that notes when the person last gave input (workers read it in ``give_way``)."""

    background_waits_until: float = 0.0
    """``time.monotonic()`` before which background work waits (set by every key, click and scroll)."""
    last_input: float = 0.0
    """``time.monotonic()`` of the last key, click or scroll (``frames.PromptFrames`` draws it at once)."""

    _burst_since: float | None = None
    """``time.monotonic()`` when the input going on now began (None: no input for ``QUIET_SECONDS``)."""
    _collector_held: bool = False
    """True while input keeps the collector off."""

    def hold_background(self) -> None:
        """Input now: background work waits until ``QUIET_SECONDS`` have passed without more."""
        self.background_waits_until = time.monotonic() + QUIET_SECONDS

    async def on_event(self, event: events.Event) -> None:
        """Note keys, clicks and scrolls, then handle the event as usual."""
        if isinstance(event, _INPUT):
            self.last_input = time.monotonic()
            self.hold_background()
            self._hold_collector()
        await super().on_event(event)

    def _hold_collector(self) -> None:
        """Keep the collector off while input goes on, but not past ``COLLECTOR_WAITS_AT_MOST``."""
        now = time.monotonic()
        if QUIET_SECONDS <= 0:  # nothing waits for quiet (the tests of other things)
            return
        if self._burst_since is None:
            self._burst_since = now
            self.set_timer(QUIET_SECONDS, self._collector_when_quiet, name="collector")
            if gc.isenabled():  # (off already, as loading a corpus turns it off: theirs to turn on)
                gc.disable()
                self._collector_held = True
        elif now - self._burst_since >= COLLECTOR_WAITS_AT_MOST:
            self.release_collector()  # a held key: the collector runs now, and not held again in it

    def _collector_when_quiet(self) -> None:
        quiet_for = time.monotonic() - self.last_input
        if quiet_for >= QUIET_SECONDS:
            self._burst_since = None
            self.release_collector()
        else:  # more input came: look again when it may have stopped
            wait = max(QUIET_SECONDS - quiet_for, 0.01)  # (a timer of no time never settles)
            self.set_timer(wait, self._collector_when_quiet, name="collector")

    def _on_unmount(self, event: events.Unmount) -> None:
        self.release_collector()  # the app is closing: the process (a test run) goes on collecting

    def release_collector(self) -> None:
        """Turn the collector back on if input turned it off (it then runs as its counts say)."""
        if self._collector_held:
            self._collector_held = False
            gc.enable()


def give_way(app: object, worker: Worker[Any]) -> None:
    """In a worker thread: wait while the person is giving input (see ``InputFirst``).

    Raises:
        WorkerCancelled: the worker was cancelled while it waited (the reader is quitting).
    """
    while True:
        if worker.is_cancelled:
            raise WorkerCancelled()
        wait = getattr(app, "background_waits_until", 0.0) - time.monotonic()
        if wait <= 0:
            return
        time.sleep(min(wait, _LOOK_EVERY))
