"""Pilot tests: bookmarks, notes (add, quote a selection, edit, delete), lists, export, persistence."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import TextArea

from zhenggai.store.db import Store
from zhenggai.tui.app import make_app
from zhenggai.tui.screens.annotations import AnnotationList
from zhenggai.tui.screens.note_editor import NoteEditor
from zhenggai.tui.widgets.detail import DetailPane
from zhenggai.tui.widgets.section_tree import BOOKMARK_MARK, NOTE_MARK, SectionTree

from .test_tui_reader import body_text
from .tui_helpers import record_notifications, saved, wait_loaded


async def open_section(pilot, section_id: str, district: str = "安定区"):  # type: ignore[no-untyped-def]
    screen = await wait_loaded(pilot)
    notice = next(n for n in screen.corpus.notices if n.district == district)
    screen.open_notice(notice, section_id)
    await pilot.pause()
    return screen


async def test_bookmark_toggles_and_marks_the_tree(zhenggai_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_section(pilot, "二/问题3")
        await pilot.press("b")
        await saved(pilot)
        [bookmark] = Store.open().bookmarks()
        assert bookmark["anchor"]["section_id"] == "二/问题3"
        tree = screen.query_one(SectionTree)
        assert BOOKMARK_MARK in (tree.label_of("二/问题3") or "")
        assert screen.query_one(DetailPane).current_view.bookmarked  # the breadcrumb shows ★
        await pilot.press("b")
        await saved(pilot)
        assert Store.open().bookmarks() == []


async def test_add_note_shows_it_under_the_section_then_edit_and_delete(zhenggai_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_section(pilot, "二/问题1")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        app.screen.query_one(TextArea).insert("项目谋划 #项目")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await saved(pilot)
        [note] = Store.open().notes()
        assert note["text"] == "项目谋划 #项目" and note["tags"] == ["项目"]
        assert "✎ 项目谋划 #项目" in body_text(screen.query_one(DetailPane))
        tree = screen.query_one(SectionTree)
        assert NOTE_MARK in (tree.label_of("二/问题1") or "")
        await pilot.press("N")
        await pilot.pause()
        assert isinstance(app.screen, AnnotationList)
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        editor.query_one(TextArea).text = "改过的笔记"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await saved(pilot)
        assert Store.open().notes()[0]["text"] == "改过的笔记"
        await pilot.press("N")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await saved(pilot)
        assert Store.open().notes() == []


async def test_cancelled_or_empty_note_saves_nothing(zhenggai_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_section(pilot, "二")
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("ctrl+s")  # empty
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("escape")
        await pilot.pause()
        await saved(pilot)
        assert Store.open().notes() == []


async def test_bookmark_list_jumps(zhenggai_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_section(pilot, "一/(二)", "鼓楼区")
        await pilot.press("b")
        screen.open_notice(screen.corpus.notices[0])
        await pilot.press("B")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.notice.district == "鼓楼区" and screen.section.id == "一/(二)"


async def test_export_asks_where_remembers_it_and_refuses_to_write_nothing(
    zhenggai_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Input

    from zhenggai.tui.screens.note_editor import Prompt

    monkeypatch.chdir(tmp_path)
    chosen = tmp_path / "exports"
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_section(pilot, "二")
        shown = record_notifications(app, monkeypatch)
        await pilot.press("e")  # nothing written yet: no file, one warning, no question
        assert not isinstance(app.screen, Prompt) and list(tmp_path.rglob("*.md")) == []
        assert shown[-1][0] == "warning"
        screen.annotations.add_note(screen.notice, screen.section, "导出这条")
        await pilot.press("e")
        assert isinstance(app.screen, Prompt)
        field = app.screen.query_one(Input)
        assert field.value == str(tmp_path)  # first time: the current folder
        field.value = str(chosen)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        [exported] = chosen.glob("zhenggai-notes-*.md")
        assert "导出这条" in exported.read_text(encoding="utf-8")
        await pilot.press("e")
        assert app.screen.query_one(Input).value == str(chosen)  # the last choice, offered again
        await pilot.press("escape")
        assert len(list(chosen.glob("*.md"))) == 1
    assert Store.open().get("export_dir") == str(chosen)  # remembered across runs


async def test_theme_and_position_persist_across_runs(zhenggai_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_section(pilot, "二/问题5")
        await pilot.press("ctrl+t")
        assert app.theme == "zhenggai-paper"
        await pilot.press("q")
    again = make_app()
    assert again.theme == "zhenggai-paper"
    async with again.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        assert screen.notice.district == "安定区" and screen.section.id == "二/问题5"


async def test_corrupt_store_opens_read_only_and_says_so(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = zhenggai_home / "data" / "store.json"
    path.parent.mkdir(parents=True)
    path.write_text("{oops", encoding="utf-8")
    app = make_app()
    shown = record_notifications(app, monkeypatch)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_section(pilot, "二")
        assert any("is not a valid store" in message for _, message in shown)
        await pilot.press("b")
        assert any("left untouched" in message for severity, message in shown if severity == "error")
    assert path.read_text(encoding="utf-8") == "{oops"


async def test_a_damaged_settings_file_is_said_once_and_notes_are_still_saved(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = zhenggai_home / "data" / "settings.json"
    path.parent.mkdir(parents=True)
    path.write_text("{oops", encoding="utf-8")
    app = make_app()
    shown = record_notifications(app, monkeypatch)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_section(pilot, "二")
        problems = [(severity, message) for severity, message in shown if "settings.json" in message]
        assert len(problems) == 1 and problems[0][0] == "warning"
        assert "the settings are read-only" in problems[0][1]
        await pilot.press("b", "ctrl+t")
        await saved(pilot)
        assert app.theme == "zhenggai-paper"  # kept for the session
        assert not any(severity == "error" for severity, _ in shown)
    assert len(Store.open().bookmarks()) == 1
    assert path.read_text(encoding="utf-8") == "{oops"


async def test_the_note_list_filters_by_tag_and_text_and_a_delete_can_be_undone(zhenggai_home: Path) -> None:
    from textual.widgets import Input, OptionList

    from zhenggai.tui.screens.annotations import ListFilter

    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_section(pilot, "二")
        assert screen.annotations is not None and screen.notice is not None
        for section_id, text in (
            ("二", "资金 #营商环境"),
            ("二/问题1", "项目 #项目"),
            ("二/问题2", "营商环境 不是标签"),
        ):
            section = screen.notice.section(section_id)
            assert section is not None
            screen.annotations.add_note(screen.notice, section, text)
        await pilot.press("N")
        listing = app.screen
        assert isinstance(listing, AnnotationList)
        options = listing.query_one(OptionList)
        assert options.option_count == 3
        await pilot.press("f", *"#营商环境")
        assert isinstance(app.focused, ListFilter) and options.option_count == 1
        await pilot.press("escape")  # leaves the box, keeps the filter, stays open
        assert app.screen is listing and app.focused is options
        assert listing.query_one(Input).value == "#营商环境"
        await pilot.press("f", "ctrl+u", *"营商环境")  # as text: the tag and the plain words
        assert options.option_count == 2
        await pilot.press("down", "enter")
        await pilot.pause()
        assert screen.section is not None and screen.section.id in ("二", "二/问题2")
        # delete the highlighted note from the list, then u puts it back (same id, text and anchor)
        await pilot.press("N")
        listing = app.screen
        assert isinstance(listing, AnnotationList)
        gone = listing.shown[0]
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await saved(pilot)
        assert gone.record_id not in [n["id"] for n in Store.open().notes()]
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await saved(pilot)
        back = next(n for n in Store.open().notes() if n["id"] == gone.record_id)
        await saved(pilot)
        assert back["text"] == gone.text and len(Store.open().notes()) == 3
