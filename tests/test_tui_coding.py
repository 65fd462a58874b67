"""Pilot tests: coding from the reader (section, selection), the codebook screen (rename, merge, jump),
the matrix and the quote table — through real key events."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Tree

from zhenggai.loaders import load_corpus
from zhenggai.store.anchor import make_anchor
from zhenggai.store.db import Store
from zhenggai.tui.app import make_app
from zhenggai.tui.screens.code_picker import CodePicker
from zhenggai.tui.screens.codebook import CodebookScreen
from zhenggai.tui.screens.main import MainScreen
from zhenggai.tui.screens.matrix import MatrixScreen
from zhenggai.tui.screens.quotes import QuoteTableScreen
from zhenggai.tui.widgets.detail import DetailPane

from .test_tui_reader import body_text
from .tui_helpers import saved, wait_loaded


async def open_section(pilot, section_id: str, district: str = "安定区"):  # type: ignore[no-untyped-def]
    screen = await wait_loaded(pilot)
    notice = next(n for n in screen.corpus.notices if n.district == district)
    screen.open_notice(notice, section_id)
    await pilot.pause()
    return screen


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_code_the_section_then_a_selection_with_a_code_found_by_pinyin(zhenggai_home: Path) -> None:
    Store.open().add_code("问题类型/官僚主义")
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_section(pilot, "二")
        await pilot.press("K")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"问题类型/形式主义", "enter")  # a new code, made from its path
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await saved(pilot)
        [segment] = Store.open().segments()
        assert segment["anchor"]["whole_section"] is True and segment["anchor"]["section_id"] == "二"
        assert "▎问题类型 › 形式主义" in body_text(app.screen.query_one(DetailPane))
        screen.get_selected_text = lambda: "已完成整改14个"  # type: ignore[method-assign]
        await pilot.press("K")
        await pilot.pause()
        await pilot.press(*"gl", "enter")  # pinyin initials: 官僚主义
        await settle(pilot)
        await saved(pilot)
        store = Store.open()
        quoted = [s for s in store.segments() if not s["anchor"]["whole_section"]]
        assert [s["anchor"]["exact"] for s in quoted] == ["已完成整改14个"]
        assert store.codebook().label(quoted[0]["code_id"]) == "问题类型 › 官僚主义"
        await pilot.press("K")
        await pilot.pause()
        await pilot.press("escape")  # cancelled: nothing more coded
        await settle(pilot)
        await saved(pilot)
        assert len(Store.open().segments()) == 2


def coded_store() -> None:
    corpus = load_corpus(None)
    anding = next(n for n in corpus.notices if n.district == "安定区")
    heping = next(n for n in corpus.notices if n.district == "和平区")
    store = Store.open()
    store.code_segment("问题类型/文风", make_anchor(anding, "二", "已完成整改14个").to_dict(), "十四个")
    store.code_segment("问题类型/形式主义", make_anchor(heping, "一/(一)").to_dict())


async def test_matrix_quotes_then_rename_and_merge_in_the_codebook(zhenggai_home: Path) -> None:
    coded_store()
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("X")
        await settle(pilot)
        matrix = app.screen
        assert isinstance(matrix, MatrixScreen)
        table = matrix.query_one(DataTable)
        assert (table.row_count, len(table.columns)) == (2, 3)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(2)]
        assert rows == [["甘肃省 定西市 安定区", "0", "1"], ["辽宁省 沈阳市 和平区", "1", "0"]]
        await pilot.press("b")
        await pilot.pause()
        assert matrix.binary is True
        await pilot.press("escape", "Q")
        await settle(pilot)
        quotes = app.screen
        assert isinstance(quotes, QuoteTableScreen) and quotes.query_one(DataTable).row_count == 2
        await pilot.press("slash", *"问题类型/文风", "enter")
        await pilot.pause()
        assert quotes.query_one(DataTable).row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        main = app.screen
        assert isinstance(main, MainScreen) and main.notice is not None and main.section is not None
        assert (main.notice.district, main.section.id) == ("安定区", "二")
        await pilot.press("O")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CodebookScreen) and screen.chosen is not None
        assert screen.chosen.label == "问题类型" and len(screen.shown) == 2  # a code lists its sub-codes' too
        screen.query_one(Tree).focus()
        await pilot.press("down", "down")  # from the root to 问题类型, then its first sub-code
        await pilot.pause()
        chosen = screen.chosen
        assert chosen is not None and chosen.depth == 1
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("ctrl+u", *"作风", "enter")
        await settle(pilot)
        await saved(pilot)
        store = Store.open()
        renamed = store.codebook().get(chosen.id)
        assert renamed is not None and renamed.name == "作风"
        other = next(c for c in store.codebook().walk() if c.depth == 1 and c.id != chosen.id)
        assert screen.chosen is not None and screen.chosen.id == chosen.id
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*other.name, "enter")
        await settle(pilot)
        await saved(pilot)
        store = Store.open()
        assert store.codebook().get(chosen.id) is None
        assert {store.codebook().label(s["code_id"]) for s in store.segments()} == {other.label}
        assert len(store.segments()) == 2
        table = screen.query_one(DataTable)
        assert table.row_count == 2
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        main = app.screen
        assert isinstance(main, MainScreen) and main.notice is not None and main.section is not None
        assert (main.notice.id, main.section.id) == (screen.shown[0].notice_id, screen.shown[0].section_id)
