"""The ledger screen through real keys: sort any column (pinyin for places), Esc in the filter, checks."""

from __future__ import annotations

from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label

from zhenggai.tui.app import make_app
from zhenggai.tui.district_filter import pinyin_of
from zhenggai.tui.screens.ledger import LedgerScreen
from zhenggai.tui.screens.main import MainScreen

from .tui_helpers import wait_loaded


async def open_ledger(pilot: Pilot[None]) -> tuple[MainScreen, LedgerScreen, DataTable[object]]:
    screen = await wait_loaded(pilot)
    await pilot.press("L")
    ledger = pilot.app.screen
    assert isinstance(ledger, LedgerScreen)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert not ledger.computing
    return screen, ledger, ledger.query_one(DataTable)


def column(table: DataTable[object], index: int) -> list[str]:
    return [str(table.get_cell_at(Coordinate(r, index))) for r in range(table.row_count)]


async def test_number_keys_sort_places_by_pinyin_with_an_indicator() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen, _ledger, table = await open_ledger(pilot)
        assert screen.corpus is not None
        await pilot.press("3")  # 区县 district
        districts = column(table, 2)
        expected = sorted((n.district or "—" for n in screen.corpus.notices), key=lambda d: (pinyin_of(d), d))
        assert districts == expected
        assert districts[:2] == ["安定区", "白塔区"]  # an, bai: not by code point (白 < 安 there)
        assert table.ordered_columns[2].label.plain.endswith("▲")
        await pilot.press("3")
        assert column(table, 2) == expected[::-1]
        assert table.ordered_columns[2].label.plain.endswith("▼")
        await pilot.press("right", "s")  # the year column, from the cursor
        assert table.ordered_columns[3].label.plain.endswith("▲")
        assert not table.ordered_columns[2].label.plain.endswith(("▲", "▼"))


async def test_a_figure_sorts_biggest_first_and_unstated_last() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        _, _, table = await open_ledger(pilot)
        await pilot.press("5")  # 反馈问题总数
        totals = column(table, 4)
        stated = [float(v) for v in totals if v]
        assert stated == sorted(stated, reverse=True) and stated[0] == 80
        assert all(not v for v in totals[len(stated) :])  # the notices that state none come last


async def test_escape_in_the_filter_clears_it_and_stays_on_the_ledger() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        _, ledger, table = await open_ledger(pilot)
        await pilot.press("f", "s", "y")
        assert 0 < table.row_count < 53
        await pilot.press("escape")
        assert app.screen is ledger and ledger.query_one(Input).value == ""
        assert table.row_count == 53 and app.focused is table
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_data_check_warnings_are_shown() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        _, ledger, table = await open_ledger(pilot)
        assert "⚠ 1 篇数据有疑" in str(ledger.query_one("#ledger-count", Label).render())
        await pilot.press("f", *"tieling", "space", *"qinghe", "down")
        assert table.row_count == 1 and app.focused is table
        checks = str(ledger.query_one("#ledger-checks", Label).render())
        assert "已完成 42 > 总数 30" in checks
