"""Pilot tests of the reader's flows: filter, open, step, copy, theme, literal text, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.dom import DOMNode

from zhenggai.loaders import sample_data_paths
from zhenggai.tui.app import make_app
from zhenggai.tui.widgets.detail import DetailPane
from zhenggai.tui.widgets.district_list import DistrictList
from zhenggai.tui.widgets.reading_text import ReadingText
from zhenggai.tui.widgets.section_tree import SectionTree

from .tui_helpers import record_notifications, wait_loaded


def body_text(pane: DetailPane, width: int = 200) -> str:
    """The plain text the detail pane is showing, wrapped at ``width`` cells."""
    return "\n".join(pane.query_one(ReadingText).plain_lines(width)) + "\n"


async def test_first_frame_then_loads_the_samples() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        assert screen.corpus is not None and len(screen.corpus.notices) == 53
        districts = screen.query_one(DistrictList)
        assert (districts.shown, districts.total) == (53, 53)
        assert screen.notice is not None and screen.notice.district == "安定区"
        assert not screen.query_one("#loading").display


async def test_filter_by_pinyin_initials_and_open() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("f", "h", "p")
        districts = screen.query_one(DistrictList)
        assert districts.shown == 1
        await pilot.press("enter")
        await pilot.pause()
        assert screen.notice is not None and screen.notice.district == "和平区"
        assert isinstance(app.focused, SectionTree)
        await pilot.press("escape")


async def test_open_section_and_step_with_brackets() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        tree = screen.query_one(SectionTree)
        tree.focus()
        await pilot.press("j", "enter")
        await pilot.pause()
        assert screen.section is not None and screen.section.id == "一"
        assert isinstance(app.focused, DetailPane)
        text = body_text(screen.query_one(DetailPane))
        assert "一、提高政治站位,全力抓实巡察整改政治责任" in text
        assert "(一)加强组织领导" in text  # the subsections are read along
        await pilot.press("right_square_bracket")
        assert screen.section.id == "一/(一)"
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert screen.section.id == "preamble"
        assert tree.cursor_node is not None and tree.cursor_node.data == "preamble"


async def test_copy_section_text_and_citation(monkeypatch: pytest.MonkeyPatch) -> None:
    copied: list[str] = []
    monkeypatch.setattr("zhenggai.tui.clipboard.system_copy", copied.append)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        screen.query_one(DetailPane).focus()
        await pilot.press("y")
        assert screen.section is not None
        assert copied == [screen.section.full_text()]
        assert app.clipboard == copied[0]  # OSC 52 too
        await pilot.press("Y")
        assert copied[1].startswith(
            "中共定西市安定区委：《中共定西市安定区委关于五届市委第一轮巡察整改进展情况的通报》"
        )
        assert "id：gansu-dingxi-anding-" in copied[1]


async def test_copy_without_system_clipboard_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_clipboard(text: str) -> None:
        raise RuntimeError("no copy/paste mechanism")

    monkeypatch.setattr("zhenggai.tui.clipboard.system_copy", no_clipboard)
    app = make_app()
    shown = record_notifications(app, monkeypatch)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("y")
        assert any("no system clipboard" in message for _, message in shown)


async def test_theme_cycles_with_ctrl_t() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        assert app.theme == "zhenggai-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "zhenggai-paper"
        await pilot.press("ctrl+t")
        assert app.theme == "zhenggai-contrast"


async def test_markup_and_escapes_in_a_notice_show_literally(tmp_path: Path) -> None:
    source = next(p for p in sample_data_paths() if "gaoling" in p.name)
    text = source.read_text(encoding="utf-8").replace(
        "高陵区委始终坚持", "[bold red]高陵区委[/]始终坚持\x1b[2J\x1b]0;pwned\x07", 1
    )
    (tmp_path / "markup.txt").write_text(text, encoding="utf-8")
    app = make_app([tmp_path])
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        screen.query_one(SectionTree).focus()
        await pilot.press("j", "enter")
        shown = body_text(screen.query_one(DetailPane))
        assert "[bold red]高陵区委[/]始终坚持" in shown
        assert "\x1b" not in shown and "pwned" not in shown


async def test_bad_files_are_notified_not_fatal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01" * 100)
    (tmp_path / "good.txt").write_bytes(sample_data_paths()[0].read_bytes())
    app = make_app([tmp_path])
    shown = record_notifications(app, monkeypatch)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        assert screen.corpus is not None and len(screen.corpus.notices) == 1
        messages = sorted(message for _, message in shown)
        assert messages == ["binary.txt: binary data", "empty.txt: empty file"]


async def test_help_is_generated_from_bindings() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("question_mark")
        from zhenggai.tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_narrow_terminal_still_shows_all_three_panes_and_can_hide_lists() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_loaded(pilot)
        assert screen.has_class("-narrow")
        for selector in ("#districts", "#sections", "#detail"):
            assert screen.query_one(selector).region.width > 0
        await pilot.press("ctrl+b")
        assert screen.query_one("#districts").region.width == 0
        assert screen.query_one("#detail").region.width == 80


@pytest.mark.parametrize(("size", "width_class"), [((160, 48), "-normal"), ((80, 24), "-narrow")])
async def test_the_reader_has_its_width_class_from_the_start_so_its_first_resize_restyles_nothing(
    size: tuple[int, int], width_class: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The width's class was added on the first resize, which restyled every widget of the reader a
    second time before its first frame (12 ms of a start)."""
    restyled: list[DOMNode] = []  # the nodes whose whole subtree was restyled
    update_styles = App.update_styles

    def recording(self: App[None], node: DOMNode, animate: bool = True) -> None:
        restyled.append(node)
        update_styles(self, node, animate)

    monkeypatch.setattr(App, "update_styles", recording)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await wait_loaded(pilot)
        assert screen.has_class(width_class)
        assert [node for node in restyled if node is screen] == [screen]  # Textual's, as it resumes
        await pilot.resize_terminal(180 if size[0] < 170 else 100, size[1])  # a real change still counts
        for _ in range(200):  # waits on the UI, not a clock: the resize reaches the screen by a message
            await pilot.pause(0.01)
            if not screen.has_class(width_class):
                break
        assert not screen.has_class(width_class)
        assert [node for node in restyled if node is screen] == [screen, screen]
