"""The matrix, the quote table and the codebook open at once and place the coded segments on a worker:
they say so meanwhile, fill when it is done (a filter chosen meanwhile applies then), stop placing when
closed, and say so when placing fails."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from zhenggai.loaders import load_corpus
from zhenggai.store import session
from zhenggai.store.anchor import make_anchor
from zhenggai.store.db import Store
from zhenggai.store.retrieval import placed_segments
from zhenggai.tui.app import make_app
from zhenggai.tui.screens import placing
from zhenggai.tui.screens.annotations import AnnotationItem, AnnotationList
from zhenggai.tui.screens.codebook import CodebookScreen
from zhenggai.tui.screens.main import MainScreen
from zhenggai.tui.screens.matrix import MatrixScreen
from zhenggai.tui.screens.quotes import QuoteTableScreen

from .tui_helpers import record_notifications, wait_loaded


def _code_three_districts() -> None:
    corpus = load_corpus(None)
    store = Store.open()
    coded = (("安定区", "问题类型/文风"), ("和平区", "问题类型/形式主义"), ("高陵区", "整改措施"))
    for district, code in coded:
        notice = next(n for n in corpus.notices if n.district == district)
        store.code_segment(code, make_anchor(notice, notice.sections[1].id).to_dict())


class Gate:
    """``placed_segments`` held until the test opens the gate (as a big store's placing would be)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.open = threading.Event()
        self.calls = 0
        """How many placings finished."""
        self.anchors = 0
        """How many anchors were placed (read in their notice: not taken from a spot kept before)."""

        def gated(*args: Any, **kwargs: Any) -> Any:
            assert self.open.wait(10), "the test never opened the gate"
            quotes, spots = placed_segments(*args, **kwargs)
            self.calls += 1
            self.anchors += len(spots.keys() - kwargs["known"].keys())
            return quotes, spots

        monkeypatch.setattr(placing, "placed_segments", gated)


def _title(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_matrix_and_quotes_open_at_once_and_fill_once_placed(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _code_three_districts()
    gate = Gate(monkeypatch)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("Q")
        await pilot.pause()
        quotes = app.screen
        assert isinstance(quotes, QuoteTableScreen) and quotes.placing
        assert _title(quotes, "#quotes-title") == "载入中 placing 0/3 段编码 coded segments…"
        await pilot.press("slash", *"问题类型", "enter")  # a filter chosen while placing
        await pilot.pause()
        assert _title(quotes, "#quotes-title").startswith("载入中 placing 0/3")
        assert quotes.query_one(DataTable).row_count == 0
        gate.open.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert quotes.query_one(DataTable).row_count == 2  # the filter applied to what was placed
        assert {q.code for q in quotes.shown} == {"问题类型/文风", "问题类型/形式主义"}
        assert _title(quotes, "#quotes-title").startswith("2 条引文 coded quotes")

        gate.open.clear()  # placing again would wait for the gate: the matrix uses what Q placed
        await pilot.press("escape", "X")
        await app.workers.wait_for_complete()
        await pilot.pause()
        matrix = app.screen
        assert isinstance(matrix, MatrixScreen) and not matrix.placing and gate.calls == 1
        assert matrix.query_one(DataTable).row_count == 3
        assert _title(matrix, "#matrix-title").startswith("地区 × 编码 district × code · 3 × 3 ·")


async def test_segments_are_placed_again_only_when_something_changed(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last placing is given again while the corpus, the codes and the segments are the same; a
    segment coded meanwhile (here by another zhenggai) or a code renamed means making the quotes anew,
    placing only the anchor that was not placed before."""
    _code_three_districts()
    gate = Gate(monkeypatch)
    gate.open.set()
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)

        async def rows(key: str) -> list[str]:
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, (MatrixScreen, QuoteTableScreen)) and not screen.placing
            shown = [q.code for q in screen.quotes] if isinstance(screen, QuoteTableScreen) else []
            await pilot.press("escape")
            await pilot.pause()
            return shown

        first = await rows("Q")
        assert len(first) == 3 and gate.calls == 1 and gate.anchors == 3
        assert await rows("X") == [] and await rows("Q") == first and gate.calls == 1
        corpus, other = load_corpus(None), Store.open()  # another zhenggai codes a fourth passage
        notice = next(n for n in corpus.notices if n.district == "平山区")
        other.code_segment("整改措施", make_anchor(notice, notice.sections[1].id).to_dict())
        assert len(await rows("Q")) == 4 and gate.calls == 2
        assert gate.anchors == 4  # the passage coded meanwhile is placed, not the three placed before
        assert len(await rows("Q")) == 4 and gate.calls == 2
        code = next(c for c in other.codebook().walk() if c.slash == "整改措施")
        other.rename_code(code.id, "整改举措")
        renamed = await rows("Q")
        assert gate.calls == 3 and renamed.count("整改举措") == 2 and "整改措施" not in renamed
        assert gate.anchors == 4  # a code renamed: the quotes made again, no anchor placed again


async def test_the_next_run_of_the_reader_fills_them_from_the_placing_it_saved(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The spots are saved in the cache folder: the reader started again on the same folder fills its
    coding screens without placing anything; a passage coded in between is the only one placed."""
    _code_three_districts()
    gate = Gate(monkeypatch)
    gate.open.set()

    async def run(key: str) -> int:
        app = make_app()
        async with app.run_test(size=(160, 48)) as pilot:
            await wait_loaded(pilot)
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, (MatrixScreen, QuoteTableScreen)) and not screen.placing
            if isinstance(screen, MatrixScreen):
                assert screen.matrix is not None
                return sum(map(sum, screen.matrix.counts))
            return len(screen.quotes)

    assert await run("Q") == 3 and gate.anchors == 3
    assert (zhenggai_home / "cache" / "placing.bin").is_file()
    assert await run("X") == 3 and await run("Q") == 3 and gate.anchors == 3  # placed by the first run
    corpus, store = load_corpus(None), Store.open()
    notice = next(n for n in corpus.notices if n.district == "平山区")
    store.code_segment("整改措施", make_anchor(notice, notice.sections[1].id).to_dict())
    assert await run("Q") == 4 and gate.anchors == 4  # the passage coded in between, alone
    assert await run("Q") == 4 and gate.anchors == 4


async def test_closing_while_placing_stops_it_and_keeps_the_reader(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _code_three_districts()
    gate = Gate(monkeypatch)
    placed: list[Any] = []
    monkeypatch.setattr(MatrixScreen, "segments_placed", lambda self, *args: placed.append(args))
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("X")
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        gate.open.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert placed == [] and gate.calls == 0  # stopped at its first notice: nothing shown
        await pilot.press("bracketright")  # the reader goes on
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.screen.section is not None


async def test_placing_that_fails_says_so(zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _code_three_districts()

    def broken(*_: Any, **__: Any) -> Any:
        raise OSError("the corpus store went away")

    monkeypatch.setattr(placing, "placed_segments", broken)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        notes = record_notifications(app, monkeypatch)
        await wait_loaded(pilot)
        await pilot.press("O")
        await app.workers.wait_for_complete()
        await pilot.pause()
        book = app.screen
        assert isinstance(book, CodebookScreen) and not book.placing
        assert _title(book, "#codebook-title").startswith("整改措施 · 未能定位编码")  # the tree is there
        assert ("error", "placing segments failed: OSError: the corpus store went away") in notes


async def test_the_matrix_adds_its_districts_a_page_at_a_time(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thousands of districts are not measured at once: a page of rows, the rest near the end; switching
    to 0/1 starts again from the first page with the new values, nothing left of the counts."""
    from zhenggai.tui.widgets import paged_table

    monkeypatch.setattr(paged_table, "PAGE", 2)
    monkeypatch.setattr(paged_table, "NEAR", 0)
    _code_three_districts()
    store = Store.open()
    notice = next(n for n in load_corpus(None).notices if n.district == "和平区")
    anchor = make_anchor(notice, notice.sections[2].id).to_dict()
    store.code_segment("问题类型/形式主义", anchor)  # twice in that district: a count of 2
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("X")
        await app.workers.wait_for_complete()
        await pilot.pause()
        matrix = app.screen
        assert isinstance(matrix, MatrixScreen) and matrix.matrix is not None
        table = matrix.query_one(DataTable)

        def rows() -> list[list[str]]:
            return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]

        assert len(matrix.matrix.rows) == 3 and table.row_count == 2
        await pilot.press("ctrl+end")
        await pilot.pause()
        counts = rows()
        assert len(counts) == 3 and any("2" in row[1:] for row in counts)
        await pilot.press("b")
        await pilot.pause()
        assert table.row_count == 2 and matrix.binary
        await pilot.press("ctrl+end")
        await pilot.pause()
        binary = rows()
        assert [row[0] for row in binary] == [row[0] for row in counts]
        assert all(set(row[1:]) <= {"0", "1"} for row in binary) and "2" not in str(binary)
        assert len(table.columns) == 1 + len(matrix.matrix.codes)


def test_a_quote_without_a_place_is_named_by_its_notice_title() -> None:
    from zhenggai.store.retrieval import CodedQuote
    from zhenggai.tui.screens.quotes import _cells

    def quote(**given: str) -> CodedQuote:
        fields: dict[str, Any] = {**dict.fromkeys(CodedQuote.__dataclass_fields__, ""), "start": 0, "end": 1}
        return CodedQuote(**{**fields, **given})

    shown = [
        quote(notice_id="2023-3eae3c94571d"),
        quote(notice_id="2023-3eae3c94571d", notice_title="中共城区委"),
        quote(notice_id="x", notice_title="中共城区委", city="沈阳市", district="和平区"),
        quote(notice_id="x", notice_title="中共城区委关于省委巡视整改落实进展情况的通报"),
    ]
    assert [str(_cells(q)[0]) for q in shown] == [
        "2023-3eae3c94571d", "中共城区委", "沈阳市和平区", "中共城区委关于省委巡视…"
    ]  # fmt: skip


async def test_the_notes_list_takes_the_passages_the_coding_screens_placed(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A note's passage placed by the matrix (or an earlier list, or the run before) is not placed
    again by the notes list: it reads no notice's text."""
    corpus, store = load_corpus(None), Store.open()
    for district in ("安定区", "和平区"):
        notice = next(n for n in corpus.notices if n.district == district)
        section = notice.sections[1]
        store.add_note(make_anchor(notice, section.id, section.paragraphs[0].text[:6]).to_dict(), "看 #跟进")
    assert len(store.segments()) == 2  # each note's tag codes its passage
    placed: list[str] = []
    make = session.make_spot
    monkeypatch.setattr(session, "make_spot", lambda a, p: placed.append(a.notice_id) or make(a, p))

    async def listed(*keys: str) -> list[AnnotationItem]:
        app = make_app()
        async with app.run_test(size=(160, 48)) as pilot:
            await wait_loaded(pilot)
            for key in keys:
                await pilot.press(key)
                await app.workers.wait_for_complete()
                await pilot.pause()
            listing = app.screen
            assert isinstance(listing, AnnotationList) and not listing.placing
            return list(listing.items)

    first = await listed("X", "escape", "N")
    assert len(first) == 2 and placed == []  # the matrix placed both passages
    assert await listed("N") == first and placed == [first[0].notice_id]  # the next run: the first
    placed.clear()  # notice's shown at once (the file is read on the worker), the other from the file
    (zhenggai_home / "cache" / "spots.bin").unlink()
    assert await listed("N") == first and len(placed) == 2  # none kept: placed by the list
    assert await listed("N") == first and len(placed) == 3  # and kept by it for the next run
