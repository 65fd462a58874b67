"""80×24 and narrow panes: the year stays, the essential keys stay reachable, kinsoku everywhere."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console, RenderableType

from zhenggai.loaders.index import SearchIndex
from zhenggai.loaders.query import search
from zhenggai.tui.app import make_app
from zhenggai.tui.cjk import NO_END, NO_START
from zhenggai.tui.screens.compare import CompareScreen
from zhenggai.tui.screens.help import bindings_table, key_label
from zhenggai.tui.screens.search import SearchScreen
from zhenggai.tui.widgets.detail import DetailPane
from zhenggai.tui.widgets.district_list import DistrictTree
from zhenggai.tui.widgets.key_bar import KeyBar
from zhenggai.tui.widgets.reading_text import ReadingText

from .tui_helpers import wait_loaded


def rendered_lines(renderable: RenderableType, width: int) -> list[str]:
    console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    return [
        "".join(segment.text for segment in line).rstrip()
        for line in console.render_lines(renderable, console.options, pad=False)
    ]


async def test_at_80x24_the_year_essential_keys_kinsoku_and_readable_key_names(zhenggai_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_loaded(pilot)
        assert screen.corpus is not None
        tree = screen.query_one(DistrictTree)
        leaves = [tree.render_line(y).text for y in range(tree.size.height)]
        lusong = next(line for line in leaves if "芦淞区" in line)
        assert "2021" in lusong  # the year is not cut (the level may be)
        bar = screen.query_one(KeyBar)
        assert bar.region.y == 23 and bar.region.right <= 80
        visible = set(bar.visible_keys())  # drawn whole within the 80 columns
        assert {"q", "question_mark", "slash", "f", "L", "m", "c"} <= visible
        assert "? Keys" in bar.render_line(0).text
        # highlighted dates and figures insert nothing: the drawn lines put together are the paragraph
        screen.open_notice(next(n for n in screen.corpus.notices if n.district == "芦淞区"))
        await pilot.pause()
        body = screen.query_one(ReadingText)
        drawn: dict[int, str] = {}
        for y, (block, _, _) in enumerate(body.wrap(body.size.width)):
            drawn[block] = drawn.get(block, "") + body.render_line(y).text.rstrip()[body.blocks[block][1] :]
        assert any("部署,2020年11月30日至2021年1月22日" in line for line in drawn.values())
        assert [drawn[b] for b in sorted(drawn)] == [text.plain for text, _ in body.blocks]
        await pilot.press("ctrl+b")
        assert "ctrl+b" in str(screen.query_one("#status").render())  # says how to show the lists again

        # kinsoku in search results and titles, at narrow widths
        index = SearchIndex(zhenggai_home / "cache" / "index.sqlite")
        dialog = SearchScreen(index)
        lines_checked = 0
        for hit in search(index, "整改", limit=60):
            for width in (30, 37, 44):
                for line in rendered_lines(dialog._option(hit).prompt, width):
                    text = line.strip()
                    if text:
                        assert text[0] not in NO_START and text[-1] not in NO_END, (hit.notice_id, line)
                        lines_checked += 1
        pane = screen.query_one(DetailPane)
        for notice in screen.corpus.notices:
            for width in (24, 31, 40):
                for line in rendered_lines(pane._meta(notice, ()), width)[:3]:
                    if line.strip():
                        assert line.strip()[-1] not in NO_END and line.strip()[0] not in NO_START, line
                        lines_checked += 1
        assert lines_checked > 1000

        # the comparison's help: > and <, not greater_than_sign
        screen.open_comparison([n for n in screen.corpus.notices if n.district in ("芦淞区", "安定区")])
        for _ in range(200):
            await pilot.pause(0.02)
            if isinstance(app.screen, CompareScreen):
                break
        shown = "\n".join(rendered_lines(bindings_table(app.screen), 120))
        assert ">" in shown and "<" in shown
        assert "_sign" not in shown and "bracket" not in shown


def test_help_shows_readable_key_names() -> None:
    assert key_label("greater_than_sign") == ">"
    assert key_label("left_curly_bracket,shift+right") == "{ / shift+→"
    assert key_label("ctrl+o,alt+left") == "ctrl+o / alt+←"
