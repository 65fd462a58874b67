"""SVG snapshots of the main screens (pytest-textual-snapshot); update with --snapshot-update."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from zhenggai.tui.app import make_app
from zhenggai.tui.screens.compare import CompareScreen
from zhenggai.tui.screens.main import MainScreen

from .tui_helpers import wait_loaded

IDS = [
    "hunan-zhuzhou-lusong-2021-c6f36952a977",
    "gansu-dingxi-anding-33beb8b601d1",
    "jiangsu-xuzhou-gulou-2023-4cbd4e86b2ea",
]


async def settled(pilot: Pilot[None]) -> MainScreen:
    """Loaded, with the search index and the keywords computed (so the picture does not depend on timing)."""
    screen = await wait_loaded(pilot)
    for _ in range(500):
        if screen.keyword_model is not None:
            break
        await pilot.pause(0.02)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return screen


async def loaded(pilot: Pilot[None]) -> None:
    await settled(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


async def heping_section(pilot: Pilot[None]) -> None:
    screen = await settled(pilot)
    assert screen.corpus is not None
    notice = next(n for n in screen.corpus.notices if n.district == "和平区")
    screen.query_one("DistrictList").select_notice(notice.id)  # type: ignore[attr-defined]
    screen.open_notice(notice, "三/(二)")
    pilot.app.clear_notifications()
    await pilot.pause()


def test_main_screen_dark(snap_compare: Any) -> None:
    assert snap_compare(make_app(), terminal_size=(160, 48), run_before=loaded)


def test_main_screen_paper_reading_a_section(snap_compare: Any) -> None:
    app = make_app()
    app.theme = "zhenggai-paper"
    assert snap_compare(app, terminal_size=(160, 48), run_before=heping_section)


def test_main_screen_narrow(snap_compare: Any) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=heping_section)


def test_help_screen(snap_compare: Any) -> None:
    async def help_open(pilot: Pilot[None]) -> None:
        await loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=help_open)


async def compare_open(pilot: Pilot[None]) -> None:
    for _ in range(200):
        await pilot.pause(0.02)
        if isinstance(pilot.app.screen, CompareScreen):
            break
    pilot.app.clear_notifications()
    await pilot.pause()


def test_compare_120x40(snap_compare: Any) -> None:
    assert snap_compare(make_app(compare_ids=IDS[:2]), terminal_size=(120, 40), run_before=compare_open)


def test_compare_200x60(snap_compare: Any) -> None:
    assert snap_compare(make_app(compare_ids=IDS), terminal_size=(200, 60), run_before=compare_open)


async def note_editor_open(pilot: Pilot[None]) -> None:
    await heping_section(pilot)
    await pilot.press("n")
    await pilot.pause()
    await pilot.press(*"营商环境对比 #信用")
    await pilot.pause()


def test_note_editor_dark(snap_compare: Any) -> None:
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=note_editor_open)


def test_note_editor_paper(snap_compare: Any) -> None:
    app = make_app()
    app.theme = "zhenggai-paper"
    assert snap_compare(app, terminal_size=(120, 40), run_before=note_editor_open)


async def status_line_with_a_hit(pilot: Pilot[None]) -> None:
    """A search hit reached with f3: the status line pins the subsection's path and counts the hits."""
    from zhenggai.tui.screens.search import SearchScreen

    screen = await settled(pilot)
    await pilot.press("slash", *"火灾")
    for _ in range(200):
        await pilot.pause(0.02)
        if isinstance(pilot.app.screen, SearchScreen) and pilot.app.screen.hits:
            break
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("f3")
    await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()
    assert screen.search_position() is not None


def test_status_line_pins_the_section_path(snap_compare: Any) -> None:
    assert snap_compare(make_app(), terminal_size=(120, 32), run_before=status_line_with_a_hit)


async def ledger_sorted_by_problems(pilot: Pilot[None]) -> None:
    await settled(pilot)
    await pilot.press("L")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("5")  # 反馈问题总数, biggest first
    await pilot.pause()


def test_ledger_sorted_by_a_figure(snap_compare: Any) -> None:
    assert snap_compare(make_app(), terminal_size=(160, 30), run_before=ledger_sorted_by_problems)


async def narrow_lists_hidden(pilot: Pilot[None]) -> None:
    await heping_section(pilot)
    await pilot.press("ctrl+b")
    await pilot.pause()


def test_narrow_with_the_lists_hidden_says_how_to_show_them(snap_compare: Any) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=narrow_lists_hidden)
