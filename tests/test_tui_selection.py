"""Real selection in the reading pane: mouse drag and keyboard; ``n`` quotes it, ``y`` copies it."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot
from textual.widgets import TextArea

from zhenggai.store.db import Store
from zhenggai.tui.app import make_app
from zhenggai.tui.screens.main import MainScreen
from zhenggai.tui.screens.note_editor import NoteEditor
from zhenggai.tui.widgets.detail import DetailPane, move_caret
from zhenggai.tui.widgets.reading_text import ReadingText

from .tui_helpers import wait_loaded


async def heping(pilot: Pilot[None], section_id: str = "二") -> tuple[MainScreen, ReadingText]:
    screen = await wait_loaded(pilot)
    assert screen.corpus is not None
    notice = next(n for n in screen.corpus.notices if n.district == "和平区")
    screen.open_notice(notice, section_id)
    await pilot.pause()
    return screen, screen.query_one(ReadingText)


def char_at(text: str, cells: int) -> int:
    """The index of the character that starts ``cells`` cells into ``text``."""
    index = 0
    while cell_len(text[:index]) < cells:
        index += 1
    return index


def wrapped_paragraph(body: ReadingText) -> tuple[int, int, str]:
    """The first drawn line whose paragraph goes on to the next line: (line, block, paragraph text)."""
    lines = body.wrap(body.size.width)
    for y in range(len(lines) - 1):
        if lines[y][0] == lines[y + 1][0] and lines[y][2] > lines[y][1]:
            block = lines[y][0]
            return y, block, body.blocks[block][0].plain
    raise AssertionError("no wrapped paragraph")


async def test_mouse_drag_and_keyboard_selection_give_exact_quotes(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copied: list[str] = []
    monkeypatch.setattr("zhenggai.tui.clipboard.system_copy", copied.append)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen, body = await heping(pilot)
        y, _block, paragraph = wrapped_paragraph(body)
        _, start, end = body.wrap(body.size.width)[y]
        first = char_at(paragraph[start:], 4)  # CJK characters take two cells, digits one
        await pilot.mouse_down(body, offset=(4, y))
        await pilot.hover(body, offset=(30, y))
        await pilot.hover(body, offset=(8, y + 1))
        await pilot.mouse_up(body, offset=(8, y + 1))
        selected = screen.get_selected_text()
        # from the character at cell 4 to the one at cell 8 of the next line (inclusive), no line break
        assert selected == paragraph[start + first : end + char_at(paragraph[end:], 8) + 1]
        assert "\n" not in selected and len(selected) > end - start - first

        screen.query_one(DetailPane).focus()
        await pilot.press("y")
        assert copied == [selected]

        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor) and app.screen.quote == selected
        app.screen.query_one(TextArea).insert("整改")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        [note] = Store.open().notes()
        assert note["anchor"]["exact"] == selected and not note["anchor"]["whole_section"]

        # the keyboard: by character, paragraph and sentence, from the top of the pane
        screen.open_notice(screen.notice, "二")  # type: ignore[arg-type]
        screen.query_one(DetailPane).focus()
        await pilot.pause()
        heading = body.blocks[0][0].plain
        await pilot.press("shift+right", "shift+right")
        assert screen.get_selected_text() == heading[:2]
        await pilot.press("shift+left")
        assert screen.get_selected_text() == heading[:1]
        await pilot.press("right_curly_bracket")
        assert screen.get_selected_text() == heading
        await pilot.press("right_curly_bracket")  # on into the next paragraph, whole
        second = next(text.plain for text, _ in body.blocks[1:] if text.plain)
        assert screen.get_selected_text() == f"{heading}\n\n{second}"
        await pilot.press("escape")
        assert screen.get_selected_text() is None

        await pilot.press("shift+down")  # a sentence: up to and with its 。
        first_sentence = heading if "。" not in heading else heading[: heading.index("。") + 1]
        assert screen.get_selected_text() == first_sentence
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor) and app.screen.quote == first_sentence


def test_move_caret_by_sentence_and_paragraph() -> None:
    from textual.geometry import Offset

    texts = ["一是整改。二是落实！三", "", "新段。"]
    assert move_caret(texts, Offset(0, 0), "sentence", 1) == Offset(5, 0)
    assert move_caret(texts, Offset(5, 0), "sentence", 1) == Offset(10, 0)
    assert move_caret(texts, Offset(10, 0), "sentence", 1) == Offset(11, 0)
    assert move_caret(texts, Offset(11, 0), "sentence", 1) == Offset(3, 2)  # skips the blank block
    assert move_caret(texts, Offset(10, 0), "sentence", -1) == Offset(5, 0)
    assert move_caret(texts, Offset(0, 2), "sentence", -1) == Offset(11, 0)
    assert move_caret(texts, Offset(3, 0), "paragraph", 1) == Offset(11, 0)
    assert move_caret(texts, Offset(11, 0), "paragraph", 1) == Offset(3, 2)
    assert move_caret(texts, Offset(0, 2), "paragraph", -1) == Offset(0, 0)
    assert move_caret(texts, Offset(11, 0), "char", 1) == Offset(1, 2)
    assert move_caret(texts, Offset(0, 2), "char", -1) == Offset(11, 0)
