"""Keys go where the screen shows focus: hidden panes, Esc in inputs, empty folders, rapid key bursts.

A burst posts every key to the app at once, without waiting in between, the way a fast typist's keys
arrive from the terminal (``pilot.press`` waits for the app to go idle after each key).
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from zhenggai.tui.app import ZhenggaiApp, make_app
from zhenggai.tui.screens.confirm import Confirm
from zhenggai.tui.screens.ledger import LedgerScreen
from zhenggai.tui.screens.note_editor import NoteEditor
from zhenggai.tui.screens.search import SearchScreen
from zhenggai.tui.widgets.detail import DetailPane
from zhenggai.tui.widgets.district_list import DistrictList, DistrictTree

from .tui_helpers import wait_loaded

_CHARACTERS = {"enter": "\r", "escape": "\x1b", "slash": "/", "question_mark": "?"}


async def burst(pilot: Pilot[None], *keys: str) -> None:
    """Post ``keys`` to the app all at once, then wait until every one of them has been handled."""
    app = pilot.app
    assert isinstance(app, ZhenggaiApp)
    for key in keys:
        app.post_message(events.Key(key, _CHARACTERS.get(key, key if len(key) == 1 else None)))
    await pilot.pause()
    while app.keys_pending:
        await pilot.pause()
    await pilot.pause()


def typed(key: str) -> tuple[str, ...]:
    """The key names of typing ``key`` (letters and Chinese characters name themselves)."""
    return tuple(key)


async def test_keys_go_where_the_screen_shows_focus_even_in_bursts(zhenggai_home: Path) -> None:
    from zhenggai.store.db import Store

    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        assert isinstance(app.focused, DistrictTree)
        # ctrl+b hides the lists: focus leaves them, j scrolls the text, nothing types into the filter
        await burst(pilot, "ctrl+b", "j", "j")
        assert isinstance(app.focused, DetailPane)
        assert screen.query_one("#district-filter", Input).value == ""
        assert screen.query_one(DistrictList).shown == 53
        await burst(pilot, "ctrl+b", "f", "h", "p", "escape")  # Esc leaves the filter, keeps its text
        assert screen.query_one("#district-filter", Input).value == "hp"
        assert isinstance(app.focused, DistrictTree)
        await burst(pilot, "f", "ctrl+u", "escape")
        # filter, enter, filter again, typed at once: every key lands where the one before sent focus
        await burst(pilot, "f", "和", "平", "enter", "f", *typed("anshan"))
        assert app.screen is screen and screen.notice is not None and screen.notice.district == "和平区"
        assert screen.query_one("#district-filter", Input).value == "anshan"
        assert isinstance(app.focused, Input) and screen.marked == []  # "a", "n" never reached the reader
        await burst(pilot, "escape", "slash", *typed("quit"))  # keys right after a dialog opens go into it
        assert isinstance(app.screen, SearchScreen) and app.return_code is None
        assert app.screen.query_one("#search-input", Input).value == "quit"
        await burst(pilot, "escape", "n", *typed("abq"))
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "abq"
        await burst(pilot, "ctrl+s", "N", "d")  # saved, the list opened and its first note deleted
        await app.workers.wait_for_complete()
        assert app.screen is screen and Store.open().notes() == []
        await burst(pilot, "L", "3")  # the ledger takes the keys, not its filter box
        ledger = app.screen
        assert isinstance(ledger, LedgerScreen) and ledger.sorted_by == ("district", False)
        assert ledger.query_one("#ledger-filter", Input).value == ""


async def test_q_closes_screens_only_the_reader_quits_and_an_unsaved_note_asks_first() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        for opener in ("L", "question_mark"):  # the lists already closed with q
            await pilot.press(opener)
            assert app.screen is not screen, opener
            await pilot.press("q")
            assert app.screen is screen and app.return_code is None, opener
        await burst(pilot, "L", "escape", "question_mark", "escape", "n", "escape")
        assert app.screen is screen  # a blank note closes without asking
        await burst(pilot, "n", *typed("要点"))
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, Confirm) and app.return_code is None
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "要点"
        await pilot.press("escape")  # an edited note: asks before discarding it too
        assert isinstance(app.screen, Confirm)
        await pilot.press("escape")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("ctrl+q", "y")
        assert app.return_code == 0


async def test_an_empty_folder_starts_out_of_the_filter_so_q_quits(tmp_path: Path) -> None:
    app = make_app([tmp_path])
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(10):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert not isinstance(app.focused, Input)
        await burst(pilot, "q")
        assert app.return_code == 0


async def test_back_and_forward_through_notices_sections_and_search_hits() -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        assert screen.notice is not None and screen.section is not None
        start = (screen.notice.district, screen.section.id)
        await burst(pilot, "f", "h", "p", "enter")  # the only match opens: 和平区
        assert screen.notice.district == "和平区"
        await burst(pilot, "right_square_bracket")  # the next section
        heping = (screen.notice.district, screen.section.id)
        await burst(pilot, "slash", *typed("信访"))
        for _ in range(50):
            await pilot.pause(0.02)
            if isinstance(app.screen, SearchScreen) and app.screen.hits:
                break
        await burst(pilot, "enter")
        assert app.screen is screen
        hit = (screen.notice.district, screen.section.id)
        assert hit != heping
        await burst(pilot, "ctrl+o")
        assert (screen.notice.district, screen.section.id) == heping
        await burst(pilot, "ctrl+o", "ctrl+o")
        assert (screen.notice.district, screen.section.id) == start
        await burst(pilot, "alt+right", "alt+right", "alt+right")
        assert (screen.notice.district, screen.section.id) == hit
        status = str(screen.query_one("#status").render())
        assert "◀" in status and f"/{len(screen.corpus.notices)} 篇" in status  # type: ignore[union-attr]
