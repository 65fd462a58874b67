"""The district filter: Chinese substrings, full pinyin, initials; two 铁西区 never confused."""

from __future__ import annotations

import pytest

from zhenggai.loaders import Corpus, load_corpus
from zhenggai.tui.district_filter import matches, place_keys


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


def shown(corpus: Corpus, query: str) -> list[str]:
    return [f"{n.city}{n.district}" for n in corpus.notices if matches(query, place_keys(n))]


def test_initials_full_pinyin_and_chinese(corpus: Corpus) -> None:
    assert shown(corpus, "hp") == ["沈阳市和平区"]
    assert shown(corpus, "heping") == ["沈阳市和平区"]
    assert shown(corpus, "和平") == ["沈阳市和平区"]
    assert len(shown(corpus, "shenyang")) == 10
    assert shown(corpus, "shenyang") == shown(corpus, "沈阳")
    assert shown(corpus, "gs") == ["定西市安定区"]  # 甘肃 initials


def test_two_tiexi(corpus: Corpus) -> None:
    assert shown(corpus, "铁西") == ["沈阳市铁西区", "鞍山市铁西区"]
    assert shown(corpus, "anshan tx") == ["鞍山市铁西区"]
    assert shown(corpus, "沈阳 铁西") == ["沈阳市铁西区"]


def test_level_and_year_and_nonsense(corpus: Corpus) -> None:
    assert shown(corpus, "巡察") == ["定西市安定区"]
    assert shown(corpus, "2021") == ["株洲市芦淞区", "西安市高陵区"]
    assert shown(corpus, "qqqq") == []


def test_place_pinyin_comes_from_the_shipped_table_as_pypinyin_spells_it() -> None:
    import subprocess
    import sys

    from pypinyin import Style, lazy_pinyin

    from zhenggai.loaders.ids import shipped_pinyin

    for name in ("和平区", "沈阳市", "芦淞区", "高陵区", "安定区", "鼓楼区", "辽宁省"):
        full = "".join(lazy_pinyin(name, errors="ignore")).lower()
        initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()
        assert shipped_pinyin(name) == (full, initials)
    assert shipped_pinyin("不是地名") is None
    # the reader's filter keys for the samples need no pypinyin (its dictionaries hold the interpreter)
    code = (
        "import sys\n"
        "from zhenggai.loaders import load_corpus\n"
        "from zhenggai.tui.district_filter import place_keys\n"
        "keys = [place_keys(n) for n in load_corpus().notices]\n"
        "assert any(k.initials == ('lns', 'sys', 'hpq') for k in keys), keys[:3]\n"
        "print('pypinyin' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"


def test_every_name_an_id_spells_of_a_table_place_is_shipped_as_pypinyin_spells_it() -> None:
    """Making ids never loads pypinyin (its dictionaries: 60 MB and up to 0.8 s holding the interpreter)
    for a place of the division table, and the shipped slugs are those pypinyin gave: no id changes."""
    import csv
    import re

    from pypinyin import lazy_pinyin

    from zhenggai.loaders.data import data_file
    from zhenggai.loaders.ids import city_slug_name, district_slug_name, province_slug_name, shipped_pinyin

    names: set[str] = set()
    with data_file("adcodes.csv").open(encoding="utf-8") as handle:
        names.update(row["name"].strip() for row in csv.DictReader(handle))
    with data_file("division_changes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names.update((row["old_name"].strip(), row["new_name"].strip()))
    parts = {
        spell(name)
        for name in names
        if name
        for spell in (province_slug_name, city_slug_name, district_slug_name)
    }
    assert {"辽宁", "黔东南", "凉山", "长阳", "恩施", "延边"} <= parts
    missing = sorted(part for part in parts if part and shipped_pinyin(part) is None)
    assert missing == []
    for part in filter(None, parts):
        spelled = re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(part, errors="ignore")).lower())
        assert shipped_pinyin(part)[0] == spelled, part  # type: ignore[index]


def test_ids_of_autonomous_prefectures_and_counties_load_no_pypinyin() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from zhenggai.loaders import parse_text\n"
        "opening = '根据省委统一部署,2023年3月1日至5月10日,省委第二巡视组对{}进行了巡视。'\n"
        "for target in ('中共凉山彝族自治州西昌市委', '中共黔东南苗族侗族自治州凯里市委',\n"
        "               '中共长阳土家族自治县委', '中共延边朝鲜族自治州延吉市委'):\n"
        "    [notice] = parse_text(opening.format(target) + '\\n一、整改工作开展情况\\n逐项推进。')[0]\n"
        "    print(notice.id.rsplit('-', 1)[0])\n"
        "print('pypinyin' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == [
        "sichuan-liangshan-xichang-2023",
        "guizhou-qiandongnan-kaili-2023",
        "hubei-yichang-zhangyang-2023",  # pypinyin reads 长 so since the first version: ids stay
        "jilin-yanbian-yanji-2023",
        "False",
    ]
