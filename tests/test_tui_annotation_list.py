"""The notes and bookmarks lists open at once and fill from a worker: the first notice's items are there
when the list is shown, the rest arrive in batches (a filter typed meanwhile applies to them), closing
the list stops the placing, and a failure says the list is incomplete."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Label, OptionList
from textual.worker import WorkerFailed

from zhenggai.store.anchor import make_anchor
from zhenggai.store.db import Store
from zhenggai.store.storage import StoreError
from zhenggai.tui.app import make_app
from zhenggai.tui.screens.annotations import AnnotationItem, AnnotationList

from .tui_helpers import record_notifications, wait_loaded


def _item(n: int, text: str) -> AnnotationItem:
    return AnnotationItem(f"note-{n}", f"notice-{n}", "一", f"某区{n}", "一、总体情况", text)


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield Label("host")


class Gate:
    """Batches that wait for the test between the first and the rest (as a slow placement would)."""

    def __init__(self, first: list[AnnotationItem], rest: list[list[AnnotationItem]]) -> None:
        self.first, self.rest = first, rest
        self.open = threading.Event()
        self.taken = 0
        """How many of ``rest`` the worker took."""

    def __iter__(self) -> Iterator[list[AnnotationItem]]:
        yield self.first
        for batch in self.rest:
            assert self.open.wait(10), "the test never opened the gate"
            self.taken += 1
            yield batch


def _title(listing: AnnotationList) -> str:
    return str(listing.query_one(".title", Label).render())


async def test_the_list_shows_the_first_notice_at_once_and_the_rest_as_they_are_placed() -> None:
    gate = Gate([_item(1, "资金 #跟进")], [[_item(2, "项目")], [_item(3, "整改 #跟进")]])
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        listing = AnnotationList("笔记 Notes", gate, editable=True, total=3)
        await app.push_screen(listing)
        await pilot.pause()
        options = listing.query_one(OptionList)
        assert options.option_count == 1 and options.highlighted == 0  # `N d` acts on the first note
        assert listing.placing and _title(listing) == "笔记 Notes (1/3 · 载入中 placing…)"
        await pilot.press("f", *"#跟进")
        assert _title(listing) == "笔记 Notes (1/1 · 载入中 placing… 1/3)"
        gate.open.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not listing.placing
        assert [item.record_id for item in listing.items] == ["note-1", "note-2", "note-3"]
        assert [item.record_id for item in listing.shown] == ["note-1", "note-3"]  # the filter held
        assert options.option_count == 2 and _title(listing) == "笔记 Notes (2/3)"


async def test_closing_the_list_stops_placing() -> None:
    gate = Gate([_item(1, "一")], [[_item(n, str(n))] for n in range(2, 50)])
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        listing = AnnotationList("笔记 Notes", gate, editable=True, total=49)
        await app.push_screen(listing)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not listing
        gate.open.set()
        await app.workers.wait_for_complete()
        assert gate.taken <= 1  # the worker saw it was cancelled at the next notice
        assert len(listing.items) == 1


async def test_a_failed_placing_says_the_list_is_incomplete(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing() -> Iterator[list[AnnotationItem]]:
        yield [_item(1, "一")]
        raise StoreError("the store was damaged since it was opened")

    app = Host()
    shown = record_notifications(app, monkeypatch)
    async with app.run_test(size=(100, 30)) as pilot:
        listing = AnnotationList("笔记 Notes", failing(), editable=True, total=5)
        await app.push_screen(listing)
        with contextlib.suppress(WorkerFailed):
            await app.workers.wait_for_complete()
        await pilot.pause()
        assert not listing.placing and _title(listing) == "笔记 Notes · 未列全 incomplete (1)"
        failure = "placing the list failed: StoreError: the store was damaged since it was opened"
        assert ("error", failure) in shown


async def test_notes_of_many_notices_all_reach_the_reader_s_list(zhenggai_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        assert screen.corpus is not None
        store = Store.open()
        expected = []
        for at in range(0, 50, 5):  # a note on each of ten notices
            notice = screen.corpus.notice(at)
            section = next(s for s in notice.walk() if s.paragraphs)
            quote = section.paragraphs[0].text[:10]
            anchor = make_anchor(notice, section.id, quote).to_dict()
            expected.append(store.add_note(anchor, f"第{at}条")["id"])
        await pilot.press("N")
        listing = app.screen
        assert isinstance(listing, AnnotationList)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [item.record_id for item in listing.items] == expected
        assert not any(item.detached for item in listing.items)
        assert _title(listing) == "笔记 Notes (10)"


async def test_the_keys_line_wraps_in_a_narrow_terminal() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        listing = AnnotationList("笔记 Notes", [[_item(1, "一")]], editable=True, total=1)
        await app.push_screen(listing)
        await pilot.pause()
        hint = listing.query_one(".hint", Label)
        assert hint.size.height == 2  # every key named, none cut off at the frame
        assert hint.size.width < 80


async def test_an_empty_list_says_there_is_nothing_yet() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        listing = AnnotationList("书签 Bookmarks", [], editable=False, total=0)
        await app.push_screen(listing)
        await pilot.pause()
        empty = listing.query_one("#annotations-empty", Label)
        assert empty.display and not listing.query_one(OptionList).display
        assert "nothing here yet" in str(empty.render()) and _title(listing) == "书签 Bookmarks (0)"
        full = AnnotationList("书签 Bookmarks", [[_item(1, "一")]], editable=False, total=1)
        await app.push_screen(full)
        await pilot.pause()
        assert not full.query_one("#annotations-empty", Label).display
