"""A long first load: the reader shows the notices read so far and can be used while the rest load."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen

from zhenggai.loaders import corpus as corpus_module
from zhenggai.loaders import sample_data_paths
from zhenggai.tui.app import make_app
from zhenggai.tui.screens.main import MainScreen
from zhenggai.tui.widgets.district_list import DistrictList

from .tui_helpers import wait_loaded

LIAONING = next(p for p in sample_data_paths() if "liaoning" in p.name)


@pytest.mark.cold_cache
async def test_notices_read_so_far_can_be_browsed_while_the_rest_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    for path in sample_data_paths():
        shutil.copy(path, folder / path.name)
    release = threading.Event()
    parse = corpus_module.parse_bytes

    def stalls_at_the_last_file(raw: bytes, file: str) -> object:
        if "shaanxi" in file:  # read last (files are sorted): four files, 52 notices, are in by then
            assert release.wait(30), "the test never let the load go on"
        return parse(raw, file)

    monkeypatch.setattr(corpus_module, "parse_bytes", stalls_at_the_last_file)
    monkeypatch.setattr(MainScreen, "FIRST_PARTIAL_AFTER", 0.0)
    monkeypatch.setattr(MainScreen, "PARTIAL_EVERY", 0.0)
    app = make_app([folder])
    async with app.run_test(size=(160, 48)) as pilot:
        districts = app.screen.query_one(DistrictList)
        for _ in range(500):  # waits on the UI, not a clock: the partial list arrives by a message
            await pilot.pause(0.01)
            if districts.total == 52:
                break
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.corpus is None  # still loading
        assert districts.total == 52 and screen.notice is not None
        assert "browse meanwhile" in str(screen.query_one("#loading-label").render())
        first = screen.notice.id
        await pilot.press("f", "和", "平", "enter")  # the user reads on (汉字 filter: no pinyin keys yet)
        await pilot.pause()
        chosen = screen.notice.id
        assert chosen != first and screen.notice.district == "和平区"
        release.set()
        screen = await wait_loaded(pilot)
        assert districts.total == 53
        assert screen.notice is not None and screen.notice.id == chosen


@pytest.mark.cold_cache
async def test_a_load_longer_than_a_moment_shows_its_progress_and_a_quick_one_never_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    parse = corpus_module.parse_bytes

    def stalls(raw: bytes, file: str) -> object:
        assert release.wait(30), "the test never let the load go on"
        return parse(raw, file)

    monkeypatch.setattr(corpus_module, "parse_bytes", stalls)
    monkeypatch.setattr(MainScreen, "LOADING_SHOWN_AFTER", 0.05)
    app = make_app([LIAONING])
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        loading = screen.query_one("#loading")
        for _ in range(500):
            await pilot.pause(0.01)
            if loading.display:
                break
        assert loading.display and screen.corpus is None  # shown while the load is still going
        release.set()
        await wait_loaded(pilot)
        assert not loading.display

    monkeypatch.setattr(corpus_module, "parse_bytes", parse)
    monkeypatch.setattr(MainScreen, "LOADING_SHOWN_AFTER", 60.0)  # "a moment" outlasts this load
    drawn: list[bool] = []  # whether each frame drawn showed the progress row
    refresh = Screen._compositor_refresh

    def recording(self: Screen[Any]) -> None:
        if isinstance(self, MainScreen):
            drawn.append(self.query_one("#loading").display)
        refresh(self)

    monkeypatch.setattr(Screen, "_compositor_refresh", recording)
    app = make_app([LIAONING])
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_loaded(pilot)
        assert drawn and not any(drawn)
