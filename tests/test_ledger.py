"""The ledger: exact figures with their sentences on the sample notices, and sentences that yield none."""

from __future__ import annotations

import pytest

from zhenggai.loaders import Corpus, Notice, load_corpus, parse_text
from zhenggai.loaders.ledger import FIGURE_NAMES, Ledger, extract_ledger


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


def ledger_of(corpus: Corpus, district: str) -> Ledger:
    notice = next(n for n in corpus.notices if n.district == district)
    return extract_ledger(notice)


def values(ledger: Ledger) -> dict[tuple[str, str], float]:
    return {(f.name, f.label): f.value for f in ledger.figures}


def test_anding_17_problems_14_rectified(corpus: Corpus) -> None:
    ledger = ledger_of(corpus, "安定区")
    assert values(ledger) == {
        ("problems_total", ""): 17,
        ("problems_rectified", ""): 14,
        ("problems_in_progress", ""): 3,
        ("completion_rate", ""): 82.4,
    }
    rectified = ledger.get("problems_rectified")
    assert rectified is not None
    assert rectified.sentence == "截至目前,巡察反馈的17个问题已完成整改14个,剩余的3个正按照整改计划有序推进。"
    assert rectified.section == "二"
    rate = ledger.get("completion_rate")
    assert rate is not None and rate.computed and rate.unit == "%"
    assert ledger.checks == []


def test_lusong_full_breakdown_adds_up(corpus: Corpus) -> None:
    ledger = ledger_of(corpus, "芦淞区")
    assert values(ledger) == {
        ("problems_aspects", ""): 4,
        ("problems_total", ""): 42,
        ("problems_rectified", ""): 23,
        ("problems_basically_rectified", ""): 14,
        ("problems_long_term", ""): 4,
        ("problems_not_rectified", ""): 1,
        ("immediate_items", ""): 6,
        ("immediate_rectified", ""): 6,
        ("petitions_received", ""): 251,
        ("petitions_closed", ""): 248,
        ("completion_rate", ""): 54.8,
    }
    assert ledger.checks == []
    petitions = ledger.get("petitions_received")
    assert petitions is not None and petitions.sentence == "巡视移交的251件信访件,已办结248件,正在办理3件。"


def test_gulou_structure_measures_and_rules(corpus: Corpus) -> None:
    assert values(ledger_of(corpus, "鼓楼区")) == {
        ("problems_categories", ""): 8,
        ("problems_aspects", ""): 19,
        ("problems_total", ""): 80,
        ("measures", ""): 197,
        ("rules_made", ""): 29,
    }


def test_two_totals_one_per_inspection_kind(corpus: Corpus) -> None:
    got = values(ledger_of(corpus, "清河区"))
    assert got[("problems_items", "常规")] == 53
    assert got[("problems_items", "营商环境专项")] == 47
    assert got[("problems_total", "营商环境专项")] == 30
    assert got[("measures", "常规")] == 193 and got[("measures", "营商环境专项")] == 97
    assert got[("completion_rate", "常规")] == 79.2  # 42 / 53, as the text itself says
    assert got[("completion_rate", "营商环境专项")] == 89.4


@pytest.mark.parametrize(
    ("district", "measures"),
    [
        ("老边区", 374),
        ("凌河区", 201),
        ("宏伟区", 367),
        ("旅顺口区", 312),
        ("高陵区", 117),
        ("普兰店区", 358),
    ],
)
def test_measures(corpus: Corpus, district: str, measures: int) -> None:
    ledger = ledger_of(corpus, district)
    figure = ledger.get("measures")
    assert figure is not None and figure.value == measures
    assert str(measures) in figure.sentence


def test_heping_states_no_figures(corpus: Corpus) -> None:
    # “一个具体问题、一名区级领导” is a slogan, not a count
    assert ledger_of(corpus, "和平区").figures == []


def notice_of(sentence: str) -> Notice:
    text = (
        "中共测试市测试区委关于巡视整改进展情况的通报\n根据省委统一部署,省委第一巡视组对测试区进行了巡视。\n一、整改情况\n"
        + sentence
    )
    [notice] = parse_text(text)[0]
    return notice


@pytest.mark.parametrize(
    "sentence",
    [
        "上轮巡视反馈的4个方面16个问题,已完成整改12个。",  # an earlier round
        "2020年以来审计指出的14个未完成整改问题,7个问题已完成整改,其余7个问题按照计划正在加紧整改。",
        "确保做到整改到位一个、销号一个。",
        "司须自出让合同签订后30日内一次性缴清土地出让金2804.5万元,截止巡察时还未追缴到位。",
        "接收信访举报77件,其中受理检举控告类信访举报37件,党纪政务立案20件,党纪政务处分13人。",
        "坚持“一个具体问题、一名区级领导、一个牵头单位、一套整改措施”。",
    ],
)
def test_sentences_that_must_not_yield_a_total(sentence: str) -> None:
    assert extract_ledger(notice_of(sentence)).figures == []


def test_deep_subitem_counts_are_not_totals() -> None:
    text = "一、整改情况\n(一)关于招商问题\n1.某镇整改\n(1)该镇巡视反馈的5个问题已完成整改3个。"
    notice = notice_of(text)
    assert extract_ledger(notice).figures == []


def test_accountability_money_and_chinese_numerals() -> None:
    notice = notice_of(
        "针对巡视移交的问题线索,立案12件,给予党纪政务处分9人,问责5人,组织处理3人,追缴挽回经济损失1.2亿元。"
        "巡视反馈的二十三个问题已完成整改二十个,未完成整改三个。"
    )
    ledger = extract_ledger(notice)
    assert values(ledger) == {
        ("cases_filed", ""): 12,
        ("people_disciplined", ""): 9,
        ("people_held_accountable", ""): 5,
        ("people_organisational", ""): 3,
        ("money_recovered", ""): 12000,
        ("problems_total", ""): 23,
        ("problems_rectified", ""): 20,
        ("problems_not_rectified", ""): 3,
        ("completion_rate", ""): 87.0,
    }


def test_parts_that_do_not_add_up_are_flagged() -> None:
    ledger = extract_ledger(notice_of("巡视反馈的20个问题已完成整改15个,未完成整改2个。"))
    assert ledger.checks == ["合计: 各项之和 17 ≠ 总数 20 (parts do not add up)"]


def test_every_name_is_in_the_vocabulary(corpus: Corpus) -> None:
    names = {f.name for n in corpus.notices for f in extract_ledger(n).figures}
    assert names <= set(FIGURE_NAMES)


def test_more_rectified_than_found_is_a_check_against_the_total_it_counts() -> None:
    [over] = parse_text(
        "中共某县委关于巡察整改进展情况的通报\n截至目前,巡察反馈的17个问题已完成整改18个。", "x.txt"
    )[0]
    assert extract_ledger(over).checks == ["合计: 已完成 18 > 总数 17 (more done than found)"]
    assert extract_ledger(over).get("completion_rate") is None
    # 42 done of 47 具体表现, not of the 30 具体问题 counted elsewhere: no warning (清河区's sample)
    qinghe = next(n for n in load_corpus().notices if n.district == "清河区")
    assert not any("more done" in c for c in extract_ledger(qinghe).checks)
