"""Ten real, publicly published notice openings (tests/real_notices/, hand-checked truth.json).

They are examples of the categories the loaders must handle, not the target: every rule they exercise
also has a test with its own variants (tests/test_place_rules.py, test_meta_rules.py,
test_ledger_rules.py).  Here each notice must match its truth exactly, and its ledger must hold every
required figure, and nothing that truth does not allow.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from zhenggai.loaders import Corpus, Notice, load_corpus
from zhenggai.loaders.ledger import extract_ledger

FOLDER = Path(__file__).resolve().parent / "real_notices"
TRUTH: list[dict[str, Any]] = json.loads((FOLDER / "truth.json").read_text(encoding="utf-8"))

#: The exact figures read from each notice (computed ones aside); truth allows each of them.
FIGURES: dict[str, dict[str, float]] = {
    "02-shanghai-xuhui.txt": {
        "problems_aspects": 5,
        "problems_total": 17,
        "problems_items": 56,
        "measures": 160,
    },
    "03-shanghai-minhang.txt": {"problems_total": 79, "measures": 427},
    "04-shanghai-huangpu.txt": {},
    "06-shanghai-jingan.txt": {},
    "08-sichuan-dazhou-tongchuan.txt": {},
    "10-henan-zhengzhou-xingzhengshenpiju.txt": {},
    "13-zhejiang-shaoxing-xinchang.txt": {
        "problems_items": 29,
        "measures": 153,
        "petitions_received": 35,
        "leads_received": 1,
        "leads_closed": 1,
        "cases_filed": 40,
        "people_disciplined": 37,
    },
    "16-jiangsu-suzhou-wuzhong.txt": {"measures": 105},
    "17-hubei-xiangyang-yicheng.txt": {"measures": 205, "rules_made": 70},
    "20-hubei-shengwei-huitoukan-2016.txt": {},
}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus([FOLDER])


def notice_of(corpus: Corpus, name: str) -> Notice:
    [notice] = [n for n in corpus.notices if Path(n.file).name == name]
    return notice


def accepts(want: Any, have: Any) -> bool:
    options = want if isinstance(want, list) else [want]
    return have in options


def test_every_real_notice_loads_once(corpus: Corpus) -> None:
    assert corpus.skipped == []
    assert sorted(Path(n.file).name for n in corpus.notices) == sorted(t["file"] for t in TRUTH)


@pytest.mark.parametrize("truth", TRUTH, ids=lambda t: t["file"])
def test_place_team_round_and_dates(corpus: Corpus, truth: dict[str, Any]) -> None:
    meta = notice_of(corpus, truth["file"]).meta
    place = meta.place
    for field, have in (("province", place.province), ("city", place.city), ("district", place.district)):
        assert accepts(truth[field], have), (field, have)
    assert meta.level == truth["level"]
    assert meta.round == truth["round"]
    assert meta.team == truth["team"]
    assert (meta.inspection_start, meta.inspection_end, meta.feedback_date) == (
        truth["inspection_start"],
        truth["inspection_end"],
        truth["feedback_date"],
    )


@pytest.mark.parametrize("truth", TRUTH, ids=lambda t: t["file"])
def test_ledger_is_exact_and_allowed_by_truth(corpus: Corpus, truth: dict[str, Any]) -> None:
    figures = [f for f in extract_ledger(notice_of(corpus, truth["file"])).figures if not f.computed]
    got = {f.name: f.value for f in figures}
    assert len(got) == len(figures)  # one value per name
    assert got == FIGURES[truth["file"]]
    required, optional = truth["figures"], truth["optional_figures"]
    for name, value in required.items():
        assert got.get(name) == value, name
    for name, value in got.items():
        assert name in required or accepts(optional.get(name, []), value), name


def test_expected_places_in_detail(corpus: Corpus) -> None:
    places = {
        Path(n.file).name: (n.province, n.city, n.district, n.meta.place.adcode, n.meta.place.evidence)
        for n in corpus.notices
    }
    assert places["17-hubei-xiangyang-yicheng.txt"] == (
        "湖北省",
        "襄阳市",
        "宜城市",
        "420684",
        "title: 宜城市委",
    )
    assert places["20-hubei-shengwei-huitoukan-2016.txt"] == ("湖北省", None, None, None, "opening: 湖北省")
    assert places["10-henan-zhengzhou-xingzhengshenpiju.txt"] == (None, None, None, None, None)
    assert places["08-sichuan-dazhou-tongchuan.txt"][4] == "opening: 达州市通川区"
    assert places["04-shanghai-huangpu.txt"][:3] == ("上海市", "上海市", "黄浦区")


def test_split_and_repeated_titles_are_one_title(corpus: Corpus) -> None:
    for name in ("02-shanghai-xuhui.txt", "04-shanghai-huangpu.txt"):
        notice = notice_of(corpus, name)
        assert not notice.meta.title_derived
        assert notice.title.startswith("中共上海市") and notice.title.endswith("集中整改进展情况的通报")
        assert notice.meta.committee in ("中共上海市徐汇区委员会", "中共上海市黄浦区委员会")
        assert not notice.body.startswith("中共上海市")  # the repeated title is not body text
