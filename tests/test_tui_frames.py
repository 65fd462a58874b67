"""A key's screen is drawn as soon as its handlers are done, not at the update timer's next tick; a
change that comes less than a frame's time after the last frame still waits for the timer.

The screen's update timer is stopped here, so only ``PromptFrames`` can draw: without it the first
test's key is never drawn; without its frame-time check the second one's is drawn at once.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.screen import Screen

from zhenggai.tui.app import make_app
from zhenggai.tui.frames import FRAME_SECONDS, PromptFrames
from zhenggai.tui.screens.main import MainScreen

from .tui_helpers import wait_loaded


async def _press_with_the_timer_stopped(
    screen: MainScreen, monkeypatch: pytest.MonkeyPatch, last_frame: float
) -> tuple[list[str], str]:
    """Press ``]`` (no Pilot: its helpers draw by themselves) with the screen's timer never ticking;
    the sections drawn within 0.5 s, and the section the key opened."""
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
    screen.app.post_message(events.Key("right_square_bracket", "]"))
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline and not drawn:
        await asyncio.sleep(0.01)
    assert screen.section is not None and screen.section is not before  # the key was handled
    return drawn, screen.section.id


async def test_a_key_is_drawn_at_once_without_waiting_for_the_timer(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await wait_loaded(pilot)
        assert isinstance(screen, PromptFrames)
        drawn, opened = await _press_with_the_timer_stopped(screen, monkeypatch, last_frame=0.0)
        assert drawn and drawn[0] == opened
        assert time.monotonic() - screen._last_frame < 1


async def test_a_change_within_a_frame_of_the_last_one_waits_for_the_timer(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await wait_loaded(pilot)
        soon = time.monotonic() + 60  # "the last frame was just now", for the whole test
        drawn, _ = await _press_with_the_timer_stopped(screen, monkeypatch, last_frame=soon)
        assert drawn == []
        assert screen._wants_frame()  # left for the timer
        assert FRAME_SECONDS <= 1 / 30
