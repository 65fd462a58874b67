"""Pilot test: / opens search, results appear as you type, enter opens the section, f3 steps hits."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from zhenggai.tui.app import make_app
from zhenggai.tui.screens.search import SearchScreen
from zhenggai.tui.widgets.detail import DetailPane

from .tui_helpers import wait_loaded


async def wait_index(pilot, screen) -> None:  # type: ignore[no-untyped-def]
    for _ in range(300):
        if screen.search_index is not None:
            return
        await pilot.pause(0.02)
    raise AssertionError("index never built")


async def test_search_as_you_type_and_open(zhenggai_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        await wait_index(pilot, screen)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*'"巡察反馈的17个问题"')
        for _ in range(100):
            await pilot.pause(0.03)
            if app.screen.query_one(OptionList).option_count:
                break
        assert app.screen.query_one(OptionList).option_count == 1
        await pilot.press("enter")
        await pilot.pause()
        assert screen.notice is not None and screen.notice.district == "安定区" and screen.section.id == "二"
        assert screen.query_one(DetailPane).current_view.terms == ("巡察反馈的17个问题",)
        assert screen.query_one(DetailPane).hit_lines()
        await pilot.press("f3")
        await pilot.press("shift+f3")


async def test_scope_this_notice(zhenggai_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        await wait_index(pilot, screen)
        await pilot.press("slash")
        search = app.screen
        await pilot.press("ctrl+o")
        assert search.scope == "notice"
        await pilot.press(*"整改")
        for _ in range(100):
            await pilot.pause(0.03)
            if search.hits:
                break
        assert search.hits and {h.notice_id for h in search.hits} == {screen.notice.id}
        await pilot.press("escape")


async def search_for(pilot, screen, query: str) -> None:  # type: ignore[no-untyped-def]
    await wait_index(pilot, screen)
    await pilot.press("slash", *query)
    for _ in range(200):
        await pilot.pause(0.02)
        if isinstance(pilot.app.screen, SearchScreen) and pilot.app.screen.hits:
            return
    raise AssertionError("no hits arrived")


async def test_f3_goes_on_into_the_next_section_found_and_slash_remembers_the_query(
    zhenggai_home: Path,
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        await search_for(pilot, screen, "火灾")
        await pilot.press("enter")
        await pilot.pause()
        found = screen.search_locations
        assert len(found) >= 3 and len({loc.notice_id for loc in found}) >= 2
        start = found.index(screen.history.current)  # type: ignore[arg-type]
        pane = screen.query_one(DetailPane)
        hits_here = len(pane.hit_lines())
        for _ in range(hits_here):  # the first f3 after opening is the second hit, then on past the last
            await pilot.press("f3")
            await pilot.pause()
        assert start + 1 < len(found)  # the best hit is not the last section in reading order
        assert screen.history.current == found[start + 1]
        status = str(screen.query_one("#status").render())
        assert f"命中 hit {start + 2}/{len(found)}" in status
        await pilot.press("shift+f3")
        await pilot.pause()
        assert screen.history.current == found[start]
        await pilot.press("slash")
        await pilot.pause()
        field = app.screen.query_one("#search-input")
        assert field.value == "火灾"  # type: ignore[attr-defined]


async def test_browsing_never_loads_the_segmenter_only_a_search_that_needs_it_does(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm index segments nothing, and loading the segmenter holds the interpreter for 0.2 s: loaded
    in the background, it held the first key pressed after half a second's rest (207–225 ms moves at
    10,000 notices).  It is loaded by the first search for a word the index does not hold whole."""
    from zhenggai.loaders import segment

    cuts: list[str] = []
    cut = segment._engine_cut
    monkeypatch.setattr(segment, "_engine_cut", lambda text: (cuts.append(text), cut(text))[1])
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)  # the background work is over: index, keywords, pinyin keys
        await wait_index(pilot, screen)
        assert screen.keyword_model is not None and not app.workers
        for key in ("right_square_bracket", "right_square_bracket", "j", "k"):
            await pilot.press(key)
        assert cuts == []
        await search_for(pilot, screen, "营商环境")  # a word the index holds whole: found, no cut
        assert cuts == []
        await pilot.press(*"量子纠缠态")  # 营商环境量子纠缠态 is not held whole: cut now
        await searched(pilot)
        assert cuts and all(text.startswith("营商环境量") for text in cuts)


async def searched(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait out the search box's pause for more typing, then the search."""
    from zhenggai.tui.screens.search import DEBOUNCE

    await pilot.pause(DEBOUNCE + 0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
