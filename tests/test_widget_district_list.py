"""The district list widget alone, in a small host app: filtering, counts, keys arriving early."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from zhenggai.loaders import Corpus, load_corpus
from zhenggai.tui.district_filter import PlaceKeys, place_keys
from zhenggai.tui.messages import NoticeChosen
from zhenggai.tui.widgets.district_list import DistrictList


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


@pytest.fixture(scope="module")
def keys(corpus: Corpus) -> dict[str, PlaceKeys]:
    return {n.id: place_keys(n) for n in corpus.notices}


class Host(App[None]):
    """One DistrictList; records the notices chosen."""

    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[str] = []

    def compose(self) -> ComposeResult:
        yield DistrictList(id="districts")

    def on_notice_chosen(self, message: NoticeChosen) -> None:
        self.chosen.append(message.notice_id)


async def test_filter_queries_by_chinese_pinyin_and_initials(
    corpus: Corpus, keys: dict[str, PlaceKeys]
) -> None:
    app = Host()
    async with app.run_test(size=(60, 40)) as pilot:
        districts = app.query_one(DistrictList)
        districts.set_notices(corpus.notices, keys)
        assert (districts.shown, districts.total) == (53, 53)
        for query, expected in [
            ("shenyang", 10),
            ("沈阳", 10),
            ("tx", 2),
            ("anshan tiexi", 1),
            ("鞍山 铁西", 1),
            ("zzz", 0),
        ]:
            app.query_one("#district-filter").focus()
            await pilot.press("ctrl+u", *query)
            assert districts.shown == expected, query


async def test_keys_that_arrive_before_the_notices_are_kept(
    corpus: Corpus, keys: dict[str, PlaceKeys]
) -> None:
    """A fast second start: the pinyin keys reach the list before the notices do."""
    app = Host()
    async with app.run_test(size=(60, 40)) as pilot:
        districts = app.query_one(DistrictList)
        districts.set_filter_keys(keys)
        districts.set_notices(corpus.notices)
        app.query_one("#district-filter").focus()
        await pilot.press("h", "p")
        assert districts.shown == 1
        await pilot.press("enter")
        await pilot.pause()
        heping = next(n for n in corpus.notices if n.district == "和平区")
        assert app.chosen == [heping.id]


async def test_chinese_filter_works_before_the_keys_arrive(corpus: Corpus) -> None:
    app = Host()
    async with app.run_test(size=(60, 40)) as pilot:
        districts = app.query_one(DistrictList)
        districts.set_notices(corpus.notices)
        app.query_one("#district-filter").focus()
        await pilot.press(*"铁西")
        assert districts.shown == 2
