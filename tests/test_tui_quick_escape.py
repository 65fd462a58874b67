"""``Esc`` acts when ``ESCDELAY`` is up: the input thread waits for input only until the key parser's
held ``Esc`` is due, not Textual's fixed 0.1 s (``tui.quick_escape``)."""

from __future__ import annotations

import os
import selectors
import threading
from typing import Any

import pytest
from textual import constants, events
from textual._xterm_parser import XTermParser

from zhenggai.tui import quick_escape
from zhenggai.tui.app import make_app
from zhenggai.tui.quick_escape import IDLE_WAIT, QuickEscapeDriver, input_wait


def test_the_wait_ends_when_a_held_escape_is_due(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(constants, "ESCAPE_DELAY", 0.025)
    parser = XTermParser()
    assert input_wait(parser) == IDLE_WAIT  # nothing held
    assert list(parser.feed("\x1b")) == []  # held: an arrow's sequence may follow
    assert 0 < input_wait(parser) <= 0.025
    assert [e.key for e in parser.feed("[A") if isinstance(e, events.Key)] == ["up"]  # it did
    assert input_wait(parser) == IDLE_WAIT


def test_the_input_thread_wakes_for_a_lone_escape(monkeypatch: pytest.MonkeyPatch) -> None:
    """Through a pipe, as a terminal would send it: the ``escape`` key arrives, and the thread waited
    no longer than the delay for it (Textual's driver waits 0.1 s whatever the delay)."""
    monkeypatch.setattr(constants, "ESCAPE_DELAY", 0.025)
    waits: list[float | None] = []

    class Recording(selectors.SelectSelector):
        def select(self, timeout: float | None = None) -> Any:
            waits.append(timeout)
            return super().select(timeout)

    monkeypatch.setattr(quick_escape.selectors, "SelectSelector", Recording)
    read, write = os.pipe()
    driver = QuickEscapeDriver.__new__(QuickEscapeDriver)
    driver.fileno, driver.exit_event, driver._debug = read, threading.Event(), False
    keys: list[str] = []
    arrived = threading.Event()

    def process_message(message: Any) -> None:
        if isinstance(message, events.Key):
            keys.append(message.key)
            arrived.set()

    driver.process_message = process_message  # type: ignore[method-assign]
    thread = threading.Thread(target=driver.run_input_thread, daemon=True)
    thread.start()
    try:
        os.write(write, b"\x1b")
        assert arrived.wait(5)
    finally:
        driver.exit_event.set()
        thread.join(5)
        os.close(write)
        os.close(read)
    assert keys == ["escape"]
    assert any(wait is not None and 0 <= wait <= 0.025 for wait in waits)


def test_the_reader_uses_it_on_a_real_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.app import App

    monkeypatch.setattr(constants, "DRIVER", None)
    linux = App.get_driver_class(App())
    app = make_app()
    if linux.__name__ == "LinuxDriver":
        assert app.get_driver_class() is QuickEscapeDriver
    else:  # Windows keeps Textual's own
        assert app.get_driver_class() is linux
