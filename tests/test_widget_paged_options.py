"""PagedOptions: a list of thousands of entries lays out a page of options at a time, and every entry
is reached by the keys, the wheel and ``end``; option ``n`` is always entry ``n``."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets.option_list import Option

from zhenggai.tui.widgets.paged_options import NEAR, PAGE, PagedOptions


class Host(App[None]):
    def __init__(self, entries: list[str]) -> None:
        super().__init__()
        self.entries = entries

    def compose(self) -> ComposeResult:
        yield PagedOptions(id="options")

    def on_mount(self) -> None:
        options = self.query_one(PagedOptions)
        options.show(self.entries, lambda entry: Option(f"第{entry}条", id=entry))
        options.focus()


def _entries(count: int) -> list[str]:
    return [str(n) for n in range(count)]


async def test_a_page_is_laid_out_and_the_highlight_near_its_end_adds_the_next() -> None:
    entries = _entries(3 * PAGE + 7)
    app = Host(entries)
    async with app.run_test(size=(60, 20)) as pilot:
        options = app.query_one(PagedOptions)
        assert options.option_count == PAGE and options.highlighted == 0
        options.highlighted = PAGE // 2
        await pilot.pause()
        assert options.option_count == PAGE  # not near the end yet
        options.highlighted = PAGE - NEAR
        await pilot.pause()
        assert options.option_count == 2 * PAGE
        await pilot.press("down")
        assert options.option_count == 2 * PAGE and options.highlighted == PAGE - NEAR + 1
        assert options.get_option_at_index(PAGE + 5).id == entries[PAGE + 5]
        await pilot.press("end")
        assert options.option_count == len(entries) and options.highlighted == len(entries) - 1
        assert options.unlisted == 0


async def test_scrolling_to_the_bottom_adds_the_next_page() -> None:
    app = Host(_entries(2 * PAGE))
    async with app.run_test(size=(60, 20)) as pilot:
        options = app.query_one(PagedOptions)
        options.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert options.option_count == 2 * PAGE and options.highlighted == 0


async def test_entries_that_arrive_fill_the_first_page_only_and_show_starts_again() -> None:
    entries: list[str] = []
    app = Host(entries)
    async with app.run_test(size=(60, 20)) as pilot:
        options = app.query_one(PagedOptions)
        assert options.option_count == 0 and options.highlighted is None
        entries += _entries(5)
        options.grown()
        assert options.option_count == 5 and options.highlighted == 0
        entries += [str(n) for n in range(5, 3 * PAGE)]
        options.grown()
        assert options.option_count == PAGE and options.unlisted == 2 * PAGE
        fewer = entries[::50]
        options.show(fewer, lambda entry: Option(entry, id=entry))
        await pilot.pause()
        assert options.option_count == len(fewer) and options.highlighted == 0
        assert [options.get_option_at_index(n).id for n in range(len(fewer))] == fewer
