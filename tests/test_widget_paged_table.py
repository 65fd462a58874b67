"""PagedTable: a table of thousands of rows adds a page of them at a time, and every entry is reached
by the cursor, the wheel and ``ctrl+end``; row ``n`` is always entry ``n``."""

from __future__ import annotations

from textual.app import App, ComposeResult

from zhenggai.tui.widgets.paged_table import NEAR, PAGE, PagedTable


class Table(App[None]):
    def __init__(self, count: int) -> None:
        super().__init__()
        self.entries = [f"第{n}段" for n in range(count)]

    def compose(self) -> ComposeResult:
        yield PagedTable(cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(PagedTable)
        table.add_columns("引文 quote", "序 n")
        table.show(self.entries, lambda entry: (entry, entry.strip("第段")))
        table.focus()


async def test_rows_come_a_page_at_a_time_as_the_cursor_nears_the_last_and_all_for_ctrl_end() -> None:
    app = Table(3 * PAGE + 7)
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(PagedTable)
        assert table.row_count == PAGE and table.cursor_row == 0
        table.move_cursor(row=PAGE // 2)
        await pilot.pause()
        assert table.row_count == PAGE  # not near the end yet
        table.move_cursor(row=PAGE - NEAR)
        await pilot.pause()
        assert table.row_count == 2 * PAGE
        await pilot.press("down")
        assert table.cursor_row == PAGE - NEAR + 1
        assert table.get_row_at(PAGE + 5) == [app.entries[PAGE + 5], str(PAGE + 5)]
        await pilot.press("ctrl+end")
        assert table.row_count == len(app.entries) and table.cursor_row == len(app.entries) - 1
        assert table.unlisted == 0 and table.get_row(str(3 * PAGE + 6))[0] == app.entries[-1]


async def test_scrolling_to_the_bottom_adds_the_next_page_and_show_starts_again() -> None:
    app = Table(2 * PAGE)
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(PagedTable)
        table.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert table.row_count == 2 * PAGE and table.cursor_row == 0
        table.show(app.entries[:3], lambda entry: (entry, ""))
        await pilot.pause()
        assert table.row_count == 3 and table.cursor_row == 0
