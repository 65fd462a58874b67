"""What a section move costs the screen: the text asks for one layout; the lists' scrollbars stay; the
reading pane lays out again only when its scrollbar comes or goes.

These count work, they do not time it (the timings are in ``benchmarks/bench_terminal.py``): a move that
lays the screen out twice, or repaints both lists' scrollbars on every layout, doubled a move's time.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.scrollbar import ScrollBar
from textual.widget import Widget
from textual.widgets import Tree

from zhenggai.tui.app import make_app
from zhenggai.tui.compositor import RowCompositor
from zhenggai.tui.screens.main import MainScreen
from zhenggai.tui.widgets.detail import DetailPane
from zhenggai.tui.widgets.district_list import DistrictList, DistrictTree
from zhenggai.tui.widgets.reading_text import ReadingText
from zhenggai.tui.widgets.section_tree import SectionTree
from zhenggai.tui.widgets.steady import SteadyTree

from .tui_helpers import wait_loaded


async def test_a_section_move_lays_the_text_out_once_and_leaves_the_lists_scrollbars_alone(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layouts: list[int] = []  # layouts the reading text asked for
    text_refresh = ReadingText.refresh
    monkeypatch.setattr(
        ReadingText,
        "refresh",
        lambda self, *a, **k: (layouts.append(1) if k.get("layout") else None, text_refresh(self, *a, **k))[
            1
        ],
    )
    repainted: list[ScrollBar] = []
    refresh = ScrollBar.refresh
    monkeypatch.setattr(
        ScrollBar, "refresh", lambda self, *a, **k: (repainted.append(self), refresh(self, *a, **k))[1]
    )
    app = make_app()
    async with app.run_test(size=(100, 16)) as pilot:  # short: both lists and the text overflow
        screen = await wait_loaded(pilot)
        lists = [screen.query_one(DistrictTree), screen.query_one(SectionTree)]
        assert all(tree.show_vertical_scrollbar for tree in lists)
        bars = {tree.vertical_scrollbar for tree in lists}
        body = screen.query_one(ReadingText)
        heights = set()
        for _ in range(6):
            layouts.clear()
            repainted.clear()
            await pilot.press("right_square_bracket")
            await pilot.pause()
            heights.add(body.size.height)
            assert len(layouts) == 1  # for the new text, not again when it took its new height
            assert not bars & set(repainted)  # the lists did not change: their scrollbars stay as drawn
        assert len(heights) > 1  # the moves did change the text's height

        # a list that changes length still gets its scrollbar updated
        tree = lists[0]
        before = tree.virtual_size.height
        city = next(
            city for province in tree.root.children for city in province.children if len(city.children) > 5
        )
        city.collapse()
        await pilot.pause()
        assert tree.size.height < tree.virtual_size.height < before
        assert tree.vertical_scrollbar.window_virtual_size == tree.virtual_size.height
        city.expand()
        await pilot.pause()
        assert tree.vertical_scrollbar.window_virtual_size == tree.virtual_size.height == before


async def test_the_reading_pane_is_not_laid_out_again_and_its_text_keeps_its_width(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []  # layouts the reading pane itself asked for
    pane_refresh = DetailPane.refresh
    monkeypatch.setattr(
        DetailPane,
        "refresh",
        lambda self, *a, **k: (asked.append(1) if k.get("layout") else None, pane_refresh(self, *a, **k))[1],
    )
    app = make_app()
    async with app.run_test(size=(90, 36)) as pilot:  # narrow: some sections fit, others overflow
        screen = await wait_loaded(pilot)
        pane, body = screen.query_one(DetailPane), screen.query_one(ReadingText)
        widths, overflowed = set(), set()
        for _ in range(30):
            asked.clear()
            await pilot.press("right_square_bracket")
            await pilot.pause()
            await pilot.pause()
            assert not asked  # a new section's height is no reason to lay the pane out again
            assert pane.show_vertical_scrollbar  # always there: the text beside it never rewraps
            assert body.size.width == pane.scrollable_content_region.width
            widths.add(body.size.width)
            overflowed.add(pane.virtual_size.height > pane.container_size.height)
        assert overflowed == {True, False}  # short and long sections were both read
        assert len(widths) == 1


async def test_the_lists_are_drawn_once_when_the_notices_arrive(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[tuple[str, int]] = []  # (list, line) of every line the lists draw
    render_line = SteadyTree.render_line
    monkeypatch.setattr(
        SteadyTree,
        "render_line",
        lambda self, y: (drawn.append((type(self).__name__, y)), render_line(self, y))[1],
    )
    loaded = MainScreen.on_corpus_loaded
    monkeypatch.setattr(  # count from when the notices arrive, before the populated frame is drawn
        MainScreen, "on_corpus_loaded", lambda self, message: (drawn.clear(), loaded(self, message))[1]
    )
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await wait_loaded(pilot)
        districts, sections = screen.query_one(DistrictTree), screen.query_one(SectionTree)
        for tree in (districts, sections):  # each line once: no resize, scrollbar or late cursor redrew it
            lines = [y for name, y in drawn if name == type(tree).__name__]
            assert 0 < len(lines) == len(set(lines)) <= tree.size.height
        assert screen.notice is not None and screen.section is not None
        assert districts.cursor_node is not None and districts.cursor_node.data == screen.notice.id
        assert districts.cursor_line == 2 and districts.scroll_y == 0  # its province and city in view
        assert sections.cursor_node is not None and sections.cursor_node.data == screen.section.id
        assert not districts.show_horizontal_scrollbar and districts.show_vertical_scrollbar


async def test_a_list_looks_its_style_up_once_a_drawing_not_once_a_line(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await wait_loaded(pilot)
        tree = screen.query_one(SectionTree)
        looked: list[int] = []
        style = SteadyTree.rich_style
        monkeypatch.setattr(
            SteadyTree, "rich_style", property(lambda self: (looked.append(1), style.fget(self))[1])
        )
        tree._updates += 1  # every line drawn anew
        tree._styles_cache.clear()
        lines = tree.render_lines(Region(0, 0, tree.size.width, tree.size.height))
        assert len(lines) == tree.size.height > 5
        assert len(looked) == 1
        assert lines[0].text.strip()  # still drawn: the first section's label


async def test_filling_a_list_lays_its_lines_out_once_and_it_never_scrolls_sideways(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await wait_loaded(pilot)
        assert screen.corpus is not None and screen.notice is not None
        laid_out: list[str] = []
        invalidate = Tree._invalidate
        monkeypatch.setattr(
            Tree, "_invalidate", lambda self: (laid_out.append(type(self).__name__), invalidate(self))[1]
        )
        districts = screen.query_one(DistrictList)
        districts.set_notices(screen.corpus.notices)  # some seventy nodes
        screen.query_one(SectionTree).show_notice(screen.notice)
        assert laid_out.count("DistrictTree") <= 2  # cleared, then filled (not once a node)
        assert laid_out.count("SectionTree") <= 2
        await pilot.pause()
        for tree in (districts.place_tree, screen.query_one(SectionTree)):
            assert len(tree._tree_lines) > 10
            assert tree.virtual_size.width <= tree.size.width and tree.max_scroll_x == 0


async def test_a_move_in_the_outline_it_does_not_focus_redraws_the_two_lines_that_changed(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[int] = []  # outline lines drawn anew (not taken as drawn before)
    render_line = Tree._render_line
    monkeypatch.setattr(
        Tree,
        "_render_line",
        lambda self, y, *a: (
            drawn.append(y) if isinstance(self, SectionTree) else None,
            render_line(self, y, *a),
        )[1],
    )
    app = make_app()
    async with app.run_test(size=(110, 48)) as pilot:  # tall: the whole outline is on screen
        screen = await wait_loaded(pilot)
        tree = screen.query_one(SectionTree)
        assert not tree.has_focus  # `]` moves with the focus on the district list
        assert tree.max_scroll_y == 0
        region = Region(0, 0, tree.size.width, tree.size.height)
        under_heading = 0  # lines under the headings entered or left (Tree drew all of them again)
        for _ in range(12):
            before = tree.cursor_node
            drawn.clear()
            await pilot.press("right_square_bracket")
            await pilot.pause()
            after = tree.cursor_node
            assert before is not None and after is not None and after is not before
            assert sorted(set(drawn)) == sorted({before._line, after._line})  # as the screen drew them
            shown = [list(strip) for strip in tree.render_lines(region)]
            under_heading += sum(1 for line in tree._tree_lines if {before, after} & set(line.path[:-1]))
            tree._strips = None  # what a fresh draw shows
            tree._line_cache.clear()
            assert [list(strip) for strip in tree.render_lines(region)] == shown
        assert under_heading >= 10  # the moves did enter and leave headings with sections under them


async def test_a_moves_screen_update_draws_only_the_changed_rows_and_writes_what_textual_would(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``RowCompositor`` draws fewer widget lines than Textual's partial update; the bytes sent to the
    terminal are the same."""
    compared: list[tuple[int, int]] = []  # (lines drawn by it, by Textual) for each update
    lean = RowCompositor.render_partial_update

    def both(self: RowCompositor) -> ChopsUpdate | None:
        changed = set(self._dirty_regions)
        drawn: list[int] = []
        render_lines = Widget.render_lines
        with monkeypatch.context() as counting:
            counting.setattr(
                Widget, "render_lines", lambda w, crop: (drawn.append(crop.height), render_lines(w, crop))[1]
            )
            ours = lean(self)
            ours_drawn = sum(drawn)
            drawn.clear()
            self._dirty_regions.update(changed)
            theirs = Compositor.render_partial_update(self)
        if ours is None or theirs is None:
            assert ours is theirs
            return ours
        console = app.console
        assert ours.render_segments(console) == theirs.render_segments(console)
        compared.append((ours_drawn, sum(drawn)))
        return ours

    app = make_app()
    async with app.run_test(size=(110, 30)) as pilot:
        screen = await wait_loaded(pilot)
        assert isinstance(screen._compositor, RowCompositor)
        monkeypatch.setattr(RowCompositor, "render_partial_update", both)
        moves = ["right_square_bracket"] * 8 + ["down", "down", "left_square_bracket"]
        others = ["tab", "tab", "j", "j", "k", "shift+tab", "shift+tab", "slash", "escape", "question_mark"]
        for key in [*moves, *others, "escape"]:  # moves; focus, scrolling, a search, help
            await pilot.press(key)
            await pilot.pause()
    assert len(compared) >= 12
    assert sum(ours for ours, _ in compared) < sum(theirs for _, theirs in compared) / 2


async def test_while_the_reader_rests_the_open_notice_is_wrapped_ahead_so_moves_wrap_nothing(
    zhenggai_home: Path,
) -> None:
    from zhenggai.tui.cjk import wrapped
    from zhenggai.tui.widgets.detail import figure_spans

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_loaded(pilot)
        notice = screen.notice
        assert notice is not None
        paragraphs = {p.text for s in notice.walk() for p in s.paragraphs}
        detail = screen.query_one(DetailPane)

        # without the work ahead, showing a top-level section wraps its paragraphs then
        screen.work_ahead.stop()
        wrapped.cache_clear()
        figure_spans.cache_clear()
        screen.open_section(notice.sections[-1])
        await pilot.pause()
        assert wrapped.cache_info().misses > 0 and figure_spans.cache_info().misses > 0

        # rested: every paragraph is wrapped and searched for figures ahead, a step at a time
        wrapped.cache_clear()
        figure_spans.cache_clear()
        screen.work_ahead.start(detail.work_ahead(notice))
        assert screen.work_ahead.run_slice(budget=0.0)  # one step, then it gives way
        assert wrapped.cache_info().misses == 1
        while screen.work_ahead.run_slice():
            pass
        assert not screen.work_ahead.pending
        assert wrapped.cache_info().misses == figure_spans.cache_info().misses == len(paragraphs)

        # then moving back through every section, top-level ones included, wraps and searches nothing
        seen = {notice.sections[-1].id}
        for _ in range(len(list(notice.walk())) + 1):
            await pilot.press("left_square_bracket")
            assert screen.section is not None
            seen.add(screen.section.id)
        assert {s.id for s in notice.sections} <= seen
        assert wrapped.cache_info().misses == figure_spans.cache_info().misses == len(paragraphs)


async def test_work_ahead_waits_while_keys_come(zhenggai_home: Path) -> None:
    import time

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_loaded(pilot)
        notice = screen.notice
        assert notice is not None
        done: list[int] = []
        screen.work_ahead.start(iter(done.append(i) for i in range(3)))
        app.background_waits_until = time.monotonic() + 60  # a key just came (``input_first``)
        screen.work_ahead._tick()
        assert done == [] and screen.work_ahead.pending
        app.background_waits_until = 0.0
        screen.work_ahead._tick()
        assert done == [0, 1, 2] and not screen.work_ahead.pending
