"""SVG snapshots of the coding screens: the district × code matrix and the code picker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from zhenggai.loaders import load_corpus
from zhenggai.store.db import Store
from zhenggai.tui.app import make_app

from .research_project import build_project
from .test_snapshots import heping_section, settled


def test_matrix_screen(snap_compare: Any, zhenggai_home: Path) -> None:
    build_project(Store.open(), load_corpus(None))

    async def matrix_open(pilot: Pilot[None]) -> None:
        await settled(pilot)
        await pilot.press("X")
        await pilot.app.workers.wait_for_complete()
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(150, 24), run_before=matrix_open)


def test_code_picker(snap_compare: Any, zhenggai_home: Path) -> None:
    build_project(Store.open(), load_corpus(None))

    async def picker_open(pilot: Pilot[None]) -> None:
        await heping_section(pilot)
        await pilot.press("K")
        await pilot.pause()
        await pilot.press(*"zuo")  # pinyin: 作风 and its sub-codes
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=picker_open)
