"""``Esc`` acts when ``ESCDELAY`` is up, not whenever the input thread next looks.

A lone ``Esc`` byte could be the first of an arrow's or an ``alt+…`` key's escape sequence, so
Textual's key parser holds it for ``ESCDELAY`` milliseconds (100 unless set) before it becomes the
``escape`` key.  But Textual's input thread checks the parser's timeouts only when its
``select(0.1)`` returns, and with nothing typed after the ``Esc`` that is 0.1 s later: every step back
(closing help, a list, a table, a prompt) took 120-130 ms in tmux where other keys took 15-20, whatever
``ESCDELAY`` said.  ``QuickEscapeDriver`` is Textual's Linux/macOS driver with one change: the input
thread waits for input only until the parser's timeout is due (``input_wait``).  The console script
also sets ``ESCDELAY`` to 25 ms unless the user set it (``cli.reader.quick_escape``).

Textual is pinned to one version in ``pyproject.toml``: ``run_input_thread`` is
``LinuxDriver.run_input_thread`` of that version (MIT licence) with the ``select`` timeout changed,
and ``input_wait`` reads the parser's ``_timeout_time``.
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder
from typing import Any

from textual._loop import loop_last
from textual._parser import ParseError, Parser
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

#: How long the input thread waits for input when no key is pending (Textual's own).
IDLE_WAIT = 0.1


def input_wait(parser: Parser[Any]) -> float:
    """Seconds to wait for input: until the parser's pending timeout (a held ``Esc``) is due, at most
    ``IDLE_WAIT``."""
    due = parser._timeout_time
    if due is None:
        return IDLE_WAIT
    return min(IDLE_WAIT, max(0.0, due - get_time()))


class QuickEscapeDriver(LinuxDriver):
    """Textual's ``LinuxDriver``, whose input thread wakes when a held ``Esc`` is due."""

    def run_input_thread(self) -> None:
        """Wait for input and dispatch events (``LinuxDriver.run_input_thread`` but for the wait)."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        event_read = selectors.EVENT_READ
        parser = XTermParser(self._debug)
        feed, tick = parser.feed, parser.tick
        decode = getincrementaldecoder("utf-8")().decode
        read = os.read

        def process_selector_events(
            selector_events: list[tuple[selectors.SelectorKey, int]], final: bool = False
        ) -> None:
            for last, (_key, mask) in loop_last(selector_events):
                if mask & event_read:
                    unicode_data = decode(read(fileno, 1024 * 4), final=final and last)
                    if not unicode_data:  # stdin piped
                        break
                    for event in feed(unicode_data):
                        self.process_message(event)
            for event in tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process_selector_events(selector.select(input_wait(parser)))
            selector.unregister(self.fileno)
            process_selector_events(selector.select(IDLE_WAIT), final=True)
        finally:
            selector.close()
            try:
                for _event in feed(""):
                    pass
            except (EOFError, ParseError):
                pass
