"""A key's screen is drawn as soon as its handlers are done, not at the update timer's next tick; a
change within a frame's time of the last frame, or one that no input asked for, still waits for it.

The screen's update timer is stopped here, so only ``PromptFrames`` can draw: without it the first
test's key is never drawn; without its checks the other tests' changes are drawn at once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.screen import Screen

from zhenggai.tui import frames
from zhenggai.tui.app import ZhenggaiApp, make_app
from zhenggai.tui.frames import PromptFrames, wants_frame
from zhenggai.tui.screens.main import MainScreen

from .tui_helpers import wait_loaded


def _press_next(screen: MainScreen) -> None:
    """``]`` as the terminal sends it (no Pilot: its helpers draw by themselves)."""
    screen.app.post_message(events.Key("right_square_bracket", "]"))


def _next_without_input(screen: MainScreen) -> None:
    """The next section opened by the program itself, as background work changes the screen."""
    assert screen.notice is not None
    order = list(screen.notice.walk())
    screen.open_section(order[order.index(screen.section) + 1] if screen.section in order else order[0])


async def _drawn_with_the_timer_stopped(
    screen: MainScreen, monkeypatch: pytest.MonkeyPatch, last_frame: float, act: Callable[[MainScreen], None]
) -> tuple[list[str], str]:
    """Do ``act`` with the screen's timer never ticking; the sections drawn within 0.5 s, and the
    section then open."""
    drawn: list[str] = []
    timer = screen._update_timer
    timer.pause()
    monkeypatch.setattr(timer, "resume", lambda: None)
    refresh = Screen._compositor_refresh

    def recording(self: Screen[Any]) -> None:
        if self is screen and screen.section is not None:
            drawn.append(screen.section.id)
        refresh(self)

    monkeypatch.setattr(Screen, "_compositor_refresh", recording)
    screen._last_frame = last_frame
    before = screen.section
    act(screen)
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline and not drawn:
        await asyncio.sleep(0.01)
    assert screen.section is not None and screen.section is not before  # the change was made
    return drawn, screen.section.id


async def test_a_key_is_drawn_at_once_without_waiting_for_the_timer(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await wait_loaded(pilot)
        assert isinstance(screen, PromptFrames)
        drawn, opened = await _drawn_with_the_timer_stopped(screen, monkeypatch, 0.0, _press_next)
        assert drawn and drawn[0] == opened
        assert time.monotonic() - screen._last_frame < 1


async def test_a_key_within_a_frame_of_the_last_one_waits_for_the_timer(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(frames, "FRAME_SECONDS", 60.0)  # the last frame stays "a moment ago"
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await wait_loaded(pilot)
        drawn, _ = await _drawn_with_the_timer_stopped(screen, monkeypatch, time.monotonic(), _press_next)
        assert drawn == []
        assert wants_frame(screen)  # left for the timer


async def test_a_change_no_input_asked_for_waits_for_the_timer(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await wait_loaded(pilot)
        assert isinstance(app, ZhenggaiApp)
        last_frame = app.last_input + 0.001  # drawn since the last input (and long ago)
        drawn, _ = await _drawn_with_the_timer_stopped(screen, monkeypatch, last_frame, _next_without_input)
        assert drawn == []
        assert wants_frame(screen)


def test_every_screen_of_the_reader_draws_keys_at_once() -> None:
    import importlib
    import pkgutil

    from textual.screen import Screen as TextualScreen

    import zhenggai.tui.screens as screens

    for module in pkgutil.iter_modules(screens.__path__):
        importlib.import_module(f"{screens.__name__}.{module.name}")
    found: list[type] = []
    todo: list[type] = [TextualScreen]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("zhenggai.tui"):
                found.append(sub)
    assert len(found) >= 13
    assert [cls.__name__ for cls in found if not issubclass(cls, PromptFrames)] == []
