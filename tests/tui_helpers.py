"""Helpers for Pilot tests: start the app and wait until the corpus is on screen."""

from __future__ import annotations

from textual.pilot import Pilot

from tui.app import ZhenggaiApp
from tui.screens.main import MainScreen


async def wait_loaded(pilot: Pilot[None]) -> MainScreen:
    """Wait for the loading worker to finish and the first notice to be shown."""
    app = pilot.app
    assert isinstance(app, ZhenggaiApp)
    for _ in range(200):
        await pilot.pause(0.02)
        screen = app.screen
        if isinstance(screen, MainScreen) and screen.corpus is not None and screen.section is not None:
            await app.workers.wait_for_complete()
            await pilot.pause()
            return screen
    raise AssertionError("the corpus never loaded")
