"""Helpers for Pilot tests: start the app and wait until the corpus is on screen."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot

from zhenggai.tui.app import ZhenggaiApp
from zhenggai.tui.screens.main import MainScreen


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
        if populated and screen.section is not None and not app.workers:
            return screen
    raise AssertionError("the corpus never loaded")


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
