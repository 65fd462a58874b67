"""Background work gives way to the person at the keyboard.

The reader's workers (parsing, the search index, the keyword counts, the pinyin filter keys) run in
threads, and Python runs one thread at a time: a worker busy when a key arrives makes that key's
screen wait for its turn, up to twice as long at 10,000 notices (the first moves after a start took
0.2–0.35 s while the start's background work ran).  So each worker, between two pieces of its work,
waits until no key, click or scroll has come for ``QUIET_SECONDS`` (``give_way``); the first frame of a
start counts as input too, since the first keys come right after it.  A worker waiting checks for
cancellation, so quitting still stops it at once.
"""

from __future__ import annotations

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
#: How often a waiting worker looks again (and checks whether it was cancelled).
_LOOK_EVERY = 0.05

_INPUT = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)


class InputFirst(_Base):
    """An ``App`` mixin that notes when the person last gave input (workers read it in ``give_way``)."""

    background_waits_until: float = 0.0
    """``time.monotonic()`` before which background work waits (set by every key, click and scroll)."""

    def hold_background(self) -> None:
        """Input now: background work waits until ``QUIET_SECONDS`` have passed without more."""
        self.background_waits_until = time.monotonic() + QUIET_SECONDS

    async def on_event(self, event: events.Event) -> None:
        """Note keys, clicks and scrolls, then handle the event as usual."""
        if isinstance(event, _INPUT):
            self.hold_background()
        await super().on_event(event)


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
