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
