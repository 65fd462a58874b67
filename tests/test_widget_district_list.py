"""The district list widget alone, in a small host app: filtering, counts, keys arriving early."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from zhenggai.loaders import Corpus, load_corpus
from zhenggai.loaders.entries import NoticeEntry
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


def _entries(provinces: int = 2, cities: int = 10, each: int = 10) -> list[NoticeEntry]:
    """A list too long to show whole (more than 60 notices): its cities start collapsed."""
    return [
        NoticeEntry(
            f"p{p}-c{c}-d{d}", f"第{p}省第{c}市第{d}县通报", f"第{p}省", f"第{p}省第{c}市", f"第{d}县",
            "巡察", None, 2020 + d % 3,
        )
        for p in range(provinces) for c in range(cities) for d in range(each)
    ]  # fmt: skip


def _leaves(districts: DistrictList) -> list[str]:
    return [leaf.data for province in districts.place_tree.root.children for city in province.children
            for leaf in city.children if leaf.data]  # fmt: skip


async def test_a_long_list_adds_a_city_s_leaves_only_when_it_is_opened() -> None:
    entries = _entries()
    app = Host()
    async with app.run_test(size=(60, 40)) as pilot:
        districts = app.query_one(DistrictList)
        districts.set_notices(entries)
        assert (districts.shown, districts.total) == (200, 200)
        assert _leaves(districts) == []  # twenty collapsed cities
        districts.select_notice("p1-c7-d4")
        await pilot.pause()
        assert _leaves(districts) == [f"p1-c7-d{d}" for d in range(10)]
        tree = districts.place_tree
        assert tree.cursor_node is not None and tree.cursor_node.data == "p1-c7-d4"
        assert str(tree.cursor_node.label) == "第4县  2021 巡察"
        city = tree.root.children[0].children[2]
        city.expand()  # opened by the user: its leaves are added then
        await pilot.pause()
        assert sorted(_leaves(districts)) == sorted(
            [f"p0-c2-d{d}" for d in range(10)] + [f"p1-c7-d{d}" for d in range(10)]
        )
        districts.select_notice("no-such-notice")  # nothing moves
        assert tree.cursor_node is not None and tree.cursor_node.data == "p1-c7-d4"


async def test_a_long_list_keeps_the_notice_chosen_through_a_filter() -> None:
    entries = _entries()
    app = Host()
    async with app.run_test(size=(60, 40)) as pilot:
        districts = app.query_one(DistrictList)
        districts.set_notices(entries)
        districts.select_notice("p0-c3-d9")
        districts.set_marked({"p0-c3-d9", "p1-c0-d0"})
        app.query_one("#district-filter").focus()
        await pilot.press(*"第3市")
        assert districts.shown == 20  # both provinces' third city: shown whole
        assert sorted(_leaves(districts)) == sorted(e.id for e in entries if "第3市" in e.title)
        await pilot.press("ctrl+u")  # cleared: the long list again, the chosen notice's city open
        await pilot.pause()
        assert districts.shown == 200
        assert _leaves(districts) == [f"p0-c3-d{d}" for d in range(10)]
        tree = districts.place_tree
        assert tree.cursor_node is not None and tree.cursor_node.data == "p0-c3-d9"
        assert str(tree.cursor_node.label).startswith("◆ 第9县")
