"""Background work gives way to keys: it waits while they come, and goes on once they stop."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from textual.worker import Worker, WorkerCancelled

from zhenggai.tui import input_first
from zhenggai.tui.app import make_app
from zhenggai.tui.input_first import give_way
from zhenggai.tui.screens.main import MainScreen
from zhenggai.tui.widgets.district_list import DistrictList

from .tui_helpers import wait_loaded

pytestmark = pytest.mark.input_first


class _Clock:
    background_waits_until = 0.0


class _Worker:
    is_cancelled = False


def test_a_worker_waits_until_the_quiet_moment_and_not_a_moment_more() -> None:
    app, worker = _Clock(), _Worker()
    app.background_waits_until = time.monotonic() + 0.2
    started = time.monotonic()
    give_way(app, cast(Worker[Any], worker))
    assert time.monotonic() - started >= 0.19
    app.background_waits_until = time.monotonic() - 1  # no input for a while: no wait at all
    started = time.monotonic()
    give_way(app, cast(Worker[Any], worker))
    assert time.monotonic() - started < 0.05


def test_a_waiting_worker_that_is_cancelled_stops_at_once() -> None:
    app, worker = _Clock(), _Worker()
    app.background_waits_until = time.monotonic() + 60
    outcome: list[str] = []

    def run() -> None:
        try:
            give_way(app, cast(Worker[Any], worker))
            outcome.append("went on")
        except WorkerCancelled:
            outcome.append("cancelled")

    thread = threading.Thread(target=run)
    thread.start()
    worker.is_cancelled = True
    thread.join(timeout=5)
    assert outcome == ["cancelled"]


async def test_the_starts_background_work_waits_while_keys_come_then_finishes(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(input_first, "QUIET_SECONDS", 1.0)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(500):
            screen = app.screen
            if isinstance(screen, MainScreen) and screen.corpus is not None and screen.section is not None:
                break
            await pilot.pause(0.01)
        assert isinstance(screen, MainScreen)
        for _ in range(3):  # reading on at once: each key holds the background work off again
            await pilot.press("right_square_bracket")
        assert screen.keyword_model is None  # the index and keywords have not begun
        assert not screen.query_one(DistrictList).filter_keys
        assert await wait_loaded(pilot) is screen  # once the keys stop, it all runs
        assert screen.keyword_model is not None and screen.corpus is not None
        assert len(screen.query_one(DistrictList).filter_keys) == len(screen.corpus.notices)


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """Whatever a test does to the garbage collector, the next test finds it on."""
    yield
    gc.enable()


async def test_keys_keep_the_collector_off_until_they_stop(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch, collector_restored: None
) -> None:
    monkeypatch.setattr(input_first, "QUIET_SECONDS", 0.2)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_loaded(pilot)
        assert gc.isenabled()
        await pilot.press("right_square_bracket")
        assert not gc.isenabled()  # no full collection in the middle of the next frames
        for _ in range(200):
            if gc.isenabled():
                break
            await pilot.pause(0.01)
        assert gc.isenabled()  # the keys stopped: the collector runs again
        assert time.monotonic() - app.last_input >= 0.2


async def test_a_held_key_lets_the_collector_run_at_the_latest_after_its_limit(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch, collector_restored: None
) -> None:
    monkeypatch.setattr(input_first, "QUIET_SECONDS", 60.0)  # input never stops, as far as it knows
    monkeypatch.setattr(input_first, "COLLECTOR_WAITS_AT_MOST", 0.1)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        monkeypatch.setattr(input_first, "QUIET_SECONDS", 0.0)  # (for the loading only)
        await wait_loaded(pilot)
        monkeypatch.setattr(input_first, "QUIET_SECONDS", 60.0)
        await pilot.press("right_square_bracket")
        assert not gc.isenabled()
        await pilot.pause(0.15)
        await pilot.press("right_square_bracket")  # past the limit: this key turns it back on
        assert gc.isenabled()
        await pilot.press("right_square_bracket")  # and the same burst never turns it off again
        assert gc.isenabled()


async def test_input_leaves_a_collector_someone_else_turned_off_alone_and_closing_turns_it_on(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch, collector_restored: None
) -> None:
    monkeypatch.setattr(input_first, "QUIET_SECONDS", 0.0)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_loaded(pilot)
        gc.disable()  # as loading a corpus does in its thread
        monkeypatch.setattr(input_first, "QUIET_SECONDS", 60.0)
        await pilot.press("right_square_bracket")
        await pilot.pause(0.05)
        assert not gc.isenabled() and not app._collector_held  # not ours to turn on
        gc.enable()
        app._burst_since = None  # (a new burst of input)
        await pilot.press("right_square_bracket")
        assert not gc.isenabled() and app._collector_held
    assert gc.isenabled()  # the app closed while keys held it off
