"""The reader against hostile names, headings and notes: it starts, shows them literally, stays usable."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import TextArea

from zhenggai.loaders import sample_data_paths
from zhenggai.tui.app import make_app
from zhenggai.tui.screens.note_editor import NoteEditor
from zhenggai.tui.widgets.detail import NOTE_PREVIEW_CHARS, DetailPane

from .test_tui_reader import body_text
from .tui_helpers import record_notifications, wait_loaded


def _gaoling(folder: Path, name: str = "good.txt", heading: str | None = None) -> Path:
    source = next(p for p in sample_data_paths() if "gaoling" in p.name)
    text = source.read_text(encoding="utf-8")
    if heading is not None:  # the first top-level heading, renamed
        first = next(line for line in text.splitlines() if line.strip().startswith("一、"))
        text = text.replace(first, first.replace("一、", f"一、{heading}", 1), 1)
    target = folder / name
    target.write_text(text, encoding="utf-8")
    return target


async def test_markup_and_escapes_in_file_names_are_shown_literally(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _gaoling(tmp_path, "good[v=2:1][bold].txt")
    (tmp_path / "empty[bold][link=x].txt").write_bytes(b"")
    (tmp_path / "t\x1b]0;pwned\x07\u202e.txt").write_bytes(b"")
    app = make_app([tmp_path])
    shown = record_notifications(app, monkeypatch)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        assert screen.corpus is not None and len(screen.corpus.notices) == 1
    messages = sorted(message for _, message in shown)
    assert messages == ["empty[bold][link=x].txt: empty file", "t\\x1b]0;pwned\\x07<U+202E>.txt: empty file"]


async def test_a_heading_with_markup_can_be_bookmarked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _gaoling(tmp_path, heading="[/]【重要】[bold]")
    app = make_app([tmp_path])
    shown = record_notifications(app, monkeypatch)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        assert screen.notice is not None
        section = next(s for s in screen.notice.sections if s.title.startswith("[/]"))
        screen.open_notice(screen.notice, section.id)
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert any("[/]【重要】[bold]" in message for _, message in shown)
        assert "[/]【重要】[bold]" in body_text(screen.query_one(DetailPane))


async def test_a_huge_note_is_shown_as_its_opening(tmp_path: Path) -> None:
    _gaoling(tmp_path)
    huge = "很长的笔记" * 20_000  # 100,000 characters: fifty times what the pane shows
    app = make_app([tmp_path])
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        app.screen.query_one(TextArea).load_text(huge)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = body_text(screen.query_one(DetailPane))
        assert f"(+{len(huge) - NOTE_PREVIEW_CHARS:,} 字 chars" in shown
        assert len(shown) < 20_000


async def test_a_failing_background_worker_is_reported_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from zhenggai.loaders.index import SearchIndex

    def broken(self: SearchIndex, *args: object, **kwargs: object) -> None:
        raise sqlite3.DatabaseError("file is not a database")

    monkeypatch.setattr(SearchIndex, "sync_corpus", broken)
    app = make_app()
    shown = record_notifications(app, monkeypatch)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        assert screen.notice is not None  # the reader still reads
        await pilot.press("slash")
    assert ("error", "build the search index failed: DatabaseError: file is not a database") in shown
    unavailable = "搜索不可用 search is unavailable: the index could not be built"
    assert ("error", f"{unavailable} (DatabaseError: file is not a database)") in shown


async def test_the_reader_never_waits_on_a_store_locked_by_another_process(zhenggai_home: Path) -> None:
    import subprocess
    import sys

    from zhenggai.store.db import Store
    from zhenggai.tui.widgets.section_tree import SectionTree

    store_file = zhenggai_home / "data" / "store.json"
    store_file.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(  # another zhenggai holding the store's lock for a while
        [sys.executable, "-c",
         "import sys, time\nfrom filelock import FileLock\nlock = FileLock(sys.argv[1])\nlock.acquire()\n"
         "print('held', flush=True)\nsys.stdin.read()\n",
         str(store_file) + ".lock"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        app = make_app()
        async with app.run_test(size=(160, 48)) as pilot:
            screen = await wait_loaded(pilot)
            screen.query_one(SectionTree).focus()
            first = screen.section
            await pilot.press(
                "b", "right_square_bracket"
            )  # the bookmark waits for the lock; reading does not
            assert screen.section is not first
            assert Store.open().bookmarks() == []
            assert holder.stdin is not None
            holder.stdin.close()  # the other process lets go
            holder.wait(timeout=30)
            await app.workers.wait_for_complete()
            [bookmark] = Store.open().bookmarks()
            assert bookmark["anchor"]["section_id"] == first.id
    finally:
        holder.kill()
