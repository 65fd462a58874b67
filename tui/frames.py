"""A frame drawn as soon as a screen is idle, unless one was drawn less than a frame's time ago.

Textual draws a screen's changes on a timer that ticks on a fixed grid of ``1 / MAX_FPS`` (60 a
second): a change waits for the next tick, and the timer, once it has drawn, sleeps to the tick after
the next one.  So a key pressed within 33 ms of the last frame waited up to 33 ms, doing nothing, before
its screen was laid out and drawn — 15–20 ms of a 35 ms section move when moves follow one another (the
terminal benchmark's ``]`` presses, or a person reading along).

``PromptFrames`` draws at once when the screen has gone idle with something to draw, a key, click or
scroll has come since the last frame (``InputFirst.last_input``), and that frame is at least a frame's
time old; otherwise the timer draws it, as before.  Frames still come at most ``MAX_FPS`` a second, a
burst of input (a held key, a scrolling wheel) is still gathered into frames, and a lone key or click is
drawn the moment its handlers are done (as a terminal multiplexer draws a keystroke at once after a
quiet spell, and batches a flood).  Changes nobody asked for (a start filling the screen, progress from
background work) keep the timer's pace: drawing each of them at once made a start at 10,000 notices
0.1–0.27 s slower in two interleaved runs.

Textual is pinned to one version in ``pyproject.toml``: this overrides ``Screen._on_timer_update``
(what the timer calls) to note when it drew, and calls it from an ``Idle`` handler that runs before
``Screen._on_idle`` (which then finds nothing left to draw and runs the after-refresh callbacks).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual import constants, events

if TYPE_CHECKING:
    from textual.screen import Screen

    _Base = Screen[Any]
else:
    _Base = object

#: The shortest time between two frames (Textual's own: ``1 / MAX_FPS``).
FRAME_SECONDS = 1 / constants.MAX_FPS


def wants_frame(screen: Screen[Any]) -> bool:
    """True when ``screen`` has something to lay out, scroll, draw or recompose at its next update."""
    return bool(
        screen._layout_required
        or screen._scroll_required
        or screen._repaint_required
        or screen._recompose_required
        or screen._dirty_widgets
    )


class PromptFrames(_Base):
    """A ``Screen`` mixin: what changed is drawn when the screen is idle, at most once a frame's time."""

    _last_frame: float = 0.0
    """``time.monotonic()`` when this screen last ran its update (drew, or found nothing to draw)."""

    def _on_timer_update(self) -> None:
        self._last_frame = time.monotonic()
        super()._on_timer_update()

    async def _on_idle(self, event: events.Idle) -> None:
        """Draw now if input came since the last frame and that frame is a frame's time old
        (``Screen._on_idle`` runs next)."""
        last = self._last_frame
        if (
            getattr(self.app, "last_input", 0.0) > last
            and time.monotonic() - last >= FRAME_SECONDS
            and self.is_current
            and not self.app._batch_count
            and wants_frame(self)
        ):
            self._on_timer_update()
