"""The ledger screen through real keys: sort any column (pinyin for places), Esc in the filter, checks."""

from __future__ import annotations

from pathlib import Path

from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label

from zhenggai.loaders import sample_data_paths
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


async def test_sort_any_column_from_the_keyboard_filter_and_checks(tmp_path: Path) -> None:
    # the samples, with one notice that says it rectified more problems than were found
    for sample in sample_data_paths():
        text = sample.read_text(encoding="utf-8")
        (tmp_path / sample.name).write_text(
            text.replace("已完成整改14个", "已完成整改18个"), encoding="utf-8"
        )
    app = make_app([tmp_path])
    async with app.run_test(size=(160, 48)) as pilot:
        screen, ledger, table = await open_ledger(pilot)
        assert screen.corpus is not None
        # places sort by pinyin, with an indicator; again: the other way
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
        # a figure: biggest first, the notices that do not state it last
        await pilot.press("5")  # 反馈问题总数
        totals = column(table, 4)
        stated = [float(v) for v in totals if v]
        assert stated == sorted(stated, reverse=True) and stated[0] == 80
        assert all(not v for v in totals[len(stated) :])
        # data-check warnings: counted, and the highlighted row's shown
        assert "⚠ 1 篇数据有疑" in str(ledger.query_one("#ledger-count", Label).render())
        await pilot.press("f", *"dingxi", "space", *"anding", "down")
        assert table.row_count == 1 and app.focused is table
        checks = str(ledger.query_one("#ledger-checks", Label).render())
        assert "已完成 18 > 总数 17" in checks
        # Esc in the filter clears it and stays on the ledger; Esc on the table goes back
        await pilot.press("f", "escape")
        assert app.screen is ledger and ledger.query_one(Input).value == ""
        assert table.row_count == 53 and app.focused is table
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
