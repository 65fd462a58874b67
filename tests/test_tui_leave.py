"""Quitting the console script's reader: the terminal restored at once, after everything is saved."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from zhenggai.tui import leave
from zhenggai.tui.app import make_app

from .tui_helpers import wait_loaded


class LinuxDriver:
    """Stands in for Textual's driver of a real terminal (the names ``leave`` relies on)."""

    def __init__(self) -> None:
        self.exit_event = threading.Event()
        self.attrs_before = None
        self.fileno = -1
        self.written: list[str] = []
        self.closed = False

    def write(self, data: str) -> None:
        assert not self.closed
        self.written.append(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def _disable_mouse_support(self) -> None:
        self.write("[mouse off]")

    def _disable_bracketed_paste(self) -> None:
        self.write("[paste off]")

    def _enable_line_wrap(self) -> None:
        self.write("[wrap on]")

    def _disable_in_band_window_resize(self) -> None:
        self.write("[resize off]")


def test_leave_terminal_restores_everything_then_ends_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    exits: list[int] = []

    def fake_exit(code: int) -> Any:
        exits.append(code)
        raise SystemExit(code)

    monkeypatch.setattr(leave.os, "_exit", fake_exit)
    driver = LinuxDriver()
    assert leave.can_leave_at_once(driver)
    with pytest.raises(SystemExit):
        leave.leave_terminal(driver, 0)
    assert driver.exit_event.is_set() and driver.closed and exits == [0]
    restored = ["[mouse off]", "[paste off]", "[wrap on]", "[resize off]", "\x1b[<u"]
    assert driver.written == [*restored, "\x1b[?1049l\x1b[?25h\x1b[?1004l"]
    assert not leave.can_leave_at_once(object())


async def test_a_headless_reader_quits_through_textual_even_when_asked_to_leave_at_once(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(leave.os, "_exit", lambda code: pytest.fail("the process must not end"))
    app = make_app()
    app.leave_at_once = True
    async with app.run_test() as pilot:
        await wait_loaded(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
