"""Helpers for Pilot tests: start the app and wait until the corpus is on screen."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot

from zhenggai.tui.app import ZhenggaiApp
from zhenggai.tui.screens.main import MainScreen
from zhenggai.tui.widgets.district_list import DistrictList


async def wait_loaded(pilot: Pilot[None]) -> MainScreen:
    """Wait on the app's workers (loading, then indexing) until a notice and section are shown."""
    app = pilot.app
    assert isinstance(app, ZhenggaiApp)
    await pilot.pause()
    for _ in range(20):  # each round waits for the workers of one stage to finish
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        populated = isinstance(screen, MainScreen) and screen.corpus is not None
        if populated and screen.section is not None and not app.workers and _background_done(screen):
            return screen
    raise AssertionError("the corpus never loaded")


def _background_done(screen: MainScreen) -> bool:
    """The work started after the first frame is over: the pinyin keys arrived, the index was tried."""
    if screen.corpus is None or not screen.corpus.notices:
        return True
    keys_ready = bool(screen.query_one(DistrictList).filter_keys)
    index_tried = screen.keyword_model is not None or getattr(screen, "index_problem", None) is not None
    return keys_ready and index_tried


def record_notifications(app: App[Any], monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """From now on, every toast as Textual receives it to show, as ``(severity, message)``."""
    shown: list[tuple[str, str]] = []
    notify = App.notify

    def recording(self: App[Any], message: str, **options: Any) -> None:
        if self is app:
            shown.append((str(options.get("severity", "information")), message))
        notify(self, message, **options)

    monkeypatch.setattr(App, "notify", recording)
    return shown
