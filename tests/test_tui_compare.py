"""Pilot tests of the comparison screen: ledger, stepping, jumping to a source, columns, export."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from zhenggai.store.db import Store
from zhenggai.tui.app import make_app
from zhenggai.tui.screens.compare import CompareScreen, rate_bar
from zhenggai.tui.screens.main import MainScreen
from zhenggai.tui.screens.note_editor import Prompt
from zhenggai.tui.widgets.compare_column import CompareColumn

from .tui_helpers import saved, wait_loaded

IDS = [
    "hunan-zhuzhou-lusong-2021-c6f36952a977",
    "gansu-dingxi-anding-33beb8b601d1",
    "jiangsu-xuzhou-gulou-2023-4cbd4e86b2ea",
]


async def open_compare(pilot: Pilot[None]) -> CompareScreen:
    for _ in range(200):
        await pilot.pause(0.02)
        if isinstance(pilot.app.screen, CompareScreen):
            await pilot.pause()
            return pilot.app.screen
    raise AssertionError("comparison never opened")


async def test_open_from_the_command_line_ids() -> None:
    app = make_app(compare_ids=IDS)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_compare(pilot)
        table = screen.query_one("#ledger", DataTable)
        assert table.row_count == 2 + len(screen.comparison.rows)
        total_row = next(i for i, r in enumerate(screen.comparison.rows) if r.name == "problems_total") + 2
        assert [str(table.get_cell_at(Coordinate(total_row, c))) for c in range(1, 4)] == ["42", "17", "80"]
        columns = screen.query(CompareColumn)
        assert [c.notice.district for c in columns] == ["芦淞区", "安定区", "鼓楼区"]


async def test_step_and_jump_from_a_cell_to_its_sentence() -> None:
    app = make_app(compare_ids=IDS)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_compare(pilot)
        await pilot.press("right_square_bracket")
        assert screen.row_index == 1 and screen.current_row.kind == "organisation"
        await pilot.press("left_square_bracket")
        assert screen.row_index == 0
        table = screen.query_one("#ledger", DataTable)
        table.focus()
        rectified = (
            next(i for i, r in enumerate(screen.comparison.rows) if r.name == "problems_rectified") + 2
        )
        table.cursor_coordinate = Coordinate(rectified, 2)  # 安定区
        await pilot.press("enter")
        await pilot.pause()
        column = screen.query(CompareColumn)[1]
        assert column.section is not None and column.section.id == "二"
        assert app.focused is column


async def test_swap_remove_and_export(tmp_path: Path) -> None:
    app = make_app(compare_ids=IDS)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_compare(pilot)
        screen.export_dir = tmp_path
        screen.query(CompareColumn)[0].focus()
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert [n.district for n in screen.notices] == ["安定区", "芦淞区", "鼓楼区"]
        await pilot.press("x")
        await pilot.pause()
        assert len(screen.notices) == 2
        await pilot.press("x")
        assert len(screen.notices) == 2  # a comparison keeps two
        await pilot.press("e")
        assert isinstance(app.screen, Prompt)  # asks where
        app.screen.query_one(Input).value = str(tmp_path)
        await pilot.press("enter")
        [exported] = tmp_path.glob("zhenggai-compare-*.md")
        assert "| 反馈问题总数 |" in exported.read_text(encoding="utf-8")
        await pilot.press("escape")
        await asyncio.sleep(0)
        assert not isinstance(app.screen, CompareScreen)


async def test_mark_two_notices_and_press_c() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("m")
        assert screen.corpus is not None
        screen.open_notice(next(n for n in screen.corpus.notices if n.district == "鼓楼区"))
        await pilot.press("m", "c")
        compare = await open_compare(pilot)
        assert [n.district for n in compare.notices] == ["安定区", "鼓楼区"]


def test_rate_bar() -> None:
    assert rate_bar(100) == "█████"
    assert rate_bar(50) == "██▌"
    assert rate_bar(0) == ""


async def test_save_bookmark_and_note_from_the_comparison(zhenggai_home: Path) -> None:
    from textual.widgets import Input, TextArea

    from zhenggai.store.db import Store
    from zhenggai.tui.screens.note_editor import NoteEditor, Prompt

    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        screen.marked = IDS[:2]
        await pilot.press("c")
        compare = await open_compare(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, Prompt)
        app.screen.query_one(Input).value = "芦淞与安定"
        await pilot.press("enter")
        await saved(pilot)
        [comparison] = Store.open().comparisons()
        assert comparison["name"] == "芦淞与安定" and comparison["notice_ids"] == IDS[:2]
        compare.query(CompareColumn)[1].focus()
        await pilot.press("b")
        await saved(pilot)
        [bookmark] = Store.open().bookmarks()
        assert bookmark["anchor"]["notice_id"] == IDS[1] and bookmark["anchor"]["section_id"] == "preamble"
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        app.screen.query_one(TextArea).insert("两地导语对比")
        await pilot.press("ctrl+s")
        await saved(pilot)
        assert Store.open().notes()[0]["text"] == "两地导语对比"
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one(Input).value = "鼓楼区"
        await pilot.press("enter")
        await pilot.pause()
        assert [n.district for n in compare.notices] == ["芦淞区", "安定区", "鼓楼区"]


async def test_reopen_a_saved_comparison(zhenggai_home: Path) -> None:
    from zhenggai.store.db import Store

    Store.open().save_comparison("存档", IDS[:2])
    app = make_app(compare_ids=Store.open().comparison("存档")["notice_ids"])  # type: ignore[index]
    async with app.run_test(size=(120, 40)) as pilot:
        compare = await open_compare(pilot)
        assert [n.district for n in compare.notices] == ["芦淞区", "安定区"]


async def test_ledger_screen_sorts_and_opens(zhenggai_home: Path) -> None:
    from zhenggai.tui.screens.ledger import LedgerScreen

    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("L")
        await pilot.pause()
        ledger = app.screen
        assert isinstance(ledger, LedgerScreen)
        table = ledger.query_one(DataTable)
        assert table.row_count == 53
        table.move_cursor(column=4)  # 反馈问题总数
        await pilot.press("s")
        await pilot.pause()
        first = [str(table.get_cell_at(Coordinate(r, 2))) for r in range(3)]
        assert first == ["鼓楼区", "芦淞区", "甘井子区"]  # 80, 42, 28 problems fed back
        await pilot.press("enter")
        await pilot.pause()
        assert screen.notice is not None and screen.notice.district == first[0]


async def test_moving_and_adding_columns_keeps_the_row_and_the_cursor_column_is_the_target(
    zhenggai_home: Path,
) -> None:
    app = make_app(compare_ids=IDS[:2])
    async with app.run_test(size=(160, 48)) as pilot:
        compare = await open_compare(pilot)
        compare.query(CompareColumn)[0].focus()
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        shown = {c.notice.id: c.section.id for c in compare.columns if c.section is not None}
        assert compare.row_index == 3 and shown
        await pilot.press("a", *"鼓楼区", "enter")
        for _ in range(50):
            await pilot.pause()
            if len(compare.columns) == 3:
                break
        added = {c.notice.id: c.section.id for c in compare.columns if c.section is not None}
        assert len(compare.columns) == 3 and compare.row_index > 0
        assert any(added.get(notice_id) == section_id for notice_id, section_id in shown.items())
        shown = added
        await pilot.press("greater_than_sign")
        await pilot.pause()
        after = {c.notice.id: c.section.id for c in compare.columns if c.section is not None}
        assert after == shown  # the same aligned sections, the columns swapped
        compare.columns[0].focus()
        await pilot.press(*["left_square_bracket"] * 8)  # back to the first row: every notice has it
        table = compare.query_one("#ledger", DataTable)
        table.focus()
        target = next(i for i, c in enumerate(compare.columns) if c.section is not None and i > 0)
        table.move_cursor(row=2, column=target + 1)
        await pilot.press("b")  # the bookmark goes on the cursor's column, not the first one
        await app.workers.wait_for_complete()
        [bookmark] = Store.open().bookmarks()
        column = compare.columns[target]
        assert column.section is not None
        assert (bookmark["anchor"]["notice_id"], bookmark["anchor"]["section_id"]) == (
            column.notice.id,
            column.section.id,
        )
        # a figure table with nothing to compare says why
        await pilot.press("escape")
        reader = app.screen
        assert isinstance(reader, MainScreen) and reader.corpus is not None
        unstated = [
            "liaoning-shenyang-heping-2024-2c8342fdd6d2",
            "liaoning-shenyang-shenhe-2024-5ab22e118e2e",
        ]
        reader.open_comparison([n for n in reader.corpus.notices if n.id in unstated])
        empty = await open_compare(pilot)
        table = empty.query_one("#ledger", DataTable)
        assert "未载明可比的数字" in str(table.get_cell_at(Coordinate(table.row_count - 1, 0)))


async def test_saved_comparisons_marks_and_the_restored_notice_across_a_restart(zhenggai_home: Path) -> None:
    from zhenggai.tui.screens.choose import ChoiceList
    from zhenggai.tui.widgets.district_list import DistrictTree

    Store.open().save_comparison("两区", IDS[:2])
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        assert screen.notice is not None and screen.section is not None
        before = (screen.notice.id, screen.section.id)
        await pilot.press("C")  # the saved comparisons, opened from inside the app
        assert isinstance(app.screen, ChoiceList)
        await pilot.press("enter")
        compare = await open_compare(pilot)
        assert [n.id for n in compare.notices] == IDS[:2] and compare.name_saved == "两区"
        column = compare.columns[1]
        column.focus()
        await pilot.press("right_square_bracket", "o")  # o: read this column's section in the reader
        assert app.screen is screen and column.section is not None
        assert (screen.notice.id, screen.section.id) == (column.notice.id, column.section.id)
        await pilot.press("ctrl+o")  # and back to where the comparison started
        assert (screen.notice.id, screen.section.id) == before
        await pilot.press("f", *"anshan", "space", *"tiexi", "enter", "m")
        await app.workers.wait_for_complete()
        chosen = screen.notice.id
        assert screen.marked == [chosen] and screen.notice.city == "鞍山市"
        await pilot.press("q")
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        assert screen.notice is not None and screen.notice.id == chosen
        tree = screen.query_one(DistrictTree)  # the list points at the restored notice, on screen
        assert tree.cursor_node is not None and tree.cursor_node.data == chosen
        assert tree.cursor_node.parent is not None and tree.cursor_node.parent.is_expanded
        assert tree.scroll_y <= tree.cursor_line < tree.scroll_y + tree.scrollable_content_region.height
        assert screen.marked == [chosen]  # marks survive a restart
        await pilot.press("f", "h", "p", "enter", "M")
        assert isinstance(app.screen, ChoiceList)
        await pilot.press("enter")
        assert screen.notice is not None and screen.notice.id == chosen
