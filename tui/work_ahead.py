"""Work done ahead while the person rests: the open notice's paragraphs wrapped and their figures found.

Moving into a top-level section shows every paragraph under it, and wrapping them (``cjk.wrapped``) and
finding their figures (``detail.figure_spans``) the first time was half of that move's own work (about
10 ms of 20 for section 二 of a notice at 10,000 notices, headless).  Both remember what they did.  So
once no key, click or scroll has come for ``input_first.QUIET_SECONDS``, the screen does them ahead for
the whole open notice, on the UI thread, a slice of at most ``SLICE_SECONDS`` at a time: a key that
comes meanwhile waits for one slice at most, and the rest waits until the keys stop again.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from textual.timer import Timer

from . import input_first

#: The longest one slice of work ahead runs on the UI thread.
SLICE_SECONDS = 0.002
#: The pause between two slices (the event loop handles whatever came meanwhile).
BETWEEN_SLICES = 0.005


class WorkAhead:
    """Runs steps (an iterator; each ``next`` a small piece of work) in short slices while input rests."""

    def __init__(self, owner: Any) -> None:
        self.owner = owner
        """Whose timers run the slices (a screen or widget: they stop with it)."""
        self._steps: Iterator[object] | None = None
        self._timer: Timer | None = None

    @property
    def pending(self) -> bool:
        """True while steps remain."""
        return self._steps is not None

    def start(self, steps: Iterator[object]) -> None:
        """Do ``steps`` ahead, in place of whatever was being done."""
        self.stop()
        self._steps = steps
        self._schedule(input_first.QUIET_SECONDS)

    def stop(self) -> None:
        """Forget the steps not done."""
        self._steps = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def run_slice(self, budget: float = SLICE_SECONDS) -> bool:
        """Run steps for about ``budget`` seconds; True while steps remain."""
        steps = self._steps
        if steps is None:
            return False
        end = time.perf_counter() + budget
        for _ in steps:
            if time.perf_counter() >= end:
                return True
        self._steps = None
        return False

    def _schedule(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.stop()
        # (a timer of no time never settles)
        self._timer = self.owner.set_timer(max(delay, 0.001), self._tick, name="work ahead")

    def _tick(self) -> None:
        self._timer = None
        if self._steps is None:
            return
        wait = getattr(self.owner.app, "background_waits_until", 0.0) - time.monotonic()
        if wait > 0:  # a key, click or scroll came: wait until it rests again
            self._schedule(wait)
        elif self.run_slice():
            self._schedule(BETWEEN_SLICES)
