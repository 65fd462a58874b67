"""Ledger phrasings by category, with sentences written for these tests (and the ones that yield none)."""

from __future__ import annotations

import pytest

from zhenggai.loaders import Notice, parse_text
from zhenggai.loaders.ledger import FIGURE_NAMES, extract_ledger

TITLE = "中共沈阳市和平区委关于十三届省委第四轮巡视整改进展情况的通报"
OPENING = "根据省委统一部署,省委第三巡视组对和平区进行了巡视,并于2024年1月7日反馈了巡视意见。"


def notice_of(body: str) -> Notice:
    [notice] = parse_text(f"{TITLE}\n{OPENING}\n{body}")[0]
    return notice


def figures(body: str) -> dict[str, float]:
    return {f.name: f.value for f in extract_ledger(notice_of(body)).figures if not f.computed}


def section(*paragraphs: str) -> str:
    return "一、整改落实情况\n" + "\n".join(paragraphs)


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        (
            "将巡视反馈的3大部分11个方面28个问题逐项分解。",
            {"problems_categories": 3, "problems_aspects": 11, "problems_total": 28},
        ),
        (
            "对省委巡视反馈的8个方面27个具体问题,逐条制定整改措施98条。",
            {"problems_aspects": 8, "problems_total": 27, "measures": 98},
        ),
        ("对照巡视反馈的五方面17项问题,明确责任领导。", {"problems_aspects": 5, "problems_total": 17}),
        ("将巡视反馈意见梳理为6个方面、23个具体问题。", {"problems_aspects": 6, "problems_total": 23}),
        ("巡视反馈的4个方面12个问题细化分解为42项具体问题。", {"problems_aspects": 4, "problems_total": 42}),
        (  # aspects of the work are not aspects of the feedback
            "从5个方面20项具体措施推动整改,巡视反馈的38个问题已完成整改30个。",
            {"problems_total": 38, "problems_rectified": 30},
        ),
    ],
)
def test_structure_counts(sentence: str, want: dict[str, float]) -> None:
    assert figures(section(sentence)) == want


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        (
            "将巡察反馈意见分解形成36个“问题清单”,细化形成215条“任务清单”。",
            {"problems_total": 36, "measures": 215},
        ),
        (
            '把巡视反馈意见分解为52个"问题清单",整改措施形成304条任务清单。',
            {"problems_total": 52, "measures": 304},
        ),
        ("对照巡视反馈意见,汇总制定整改任务88条。", {"measures": 88}),
        ("对照巡视反馈的问题,细化形成160条整改任务。", {"measures": 160}),
    ],
)
def test_lists_count_problems_and_tasks(sentence: str, want: dict[str, float]) -> None:
    assert figures(section(sentence)) == want


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        (
            "截至目前,31个省委巡视反馈问题已完成整改29个,其余2个正在推进。",
            {"problems_total": 31, "problems_rectified": 29, "problems_in_progress": 2},
        ),
        (
            "巡视反馈的20个问题,已完成16个,基本完成3个,需长期坚持1个。",
            {
                "problems_total": 20,
                "problems_rectified": 16,
                "problems_basically_rectified": 3,
                "problems_long_term": 1,
            },
        ),
        (
            "巡视反馈的18个问题中,已完成整改14个,基本完成取得阶段性成果并持续整改问题4个。",
            {"problems_total": 18, "problems_rectified": 14, "problems_basically_rectified": 4},
        ),
        ("对12个市委巡察反馈问题,已全面完成10个。", {"problems_total": 12, "problems_rectified": 10}),
    ],
)
def test_totals_and_breakdowns(sentence: str, want: dict[str, float]) -> None:
    ledger = extract_ledger(notice_of(section(sentence)))
    assert {f.name: f.value for f in ledger.figures if not f.computed} == want
    assert ledger.checks == []


def test_a_breakdown_without_its_total_is_no_figure() -> None:
    assert figures(section("推动巡视整改,已完成16个,基本完成3个。")) == {}


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("巡视整改期间,健全完善《和平区国有资产管理办法(试行)》等规则制度115项。", 115),
        ("巡视整改中,制定及修改完善制度12项。", 12),
        ("巡视整改中坚持以巡促建,建章立制8项。", 8),
        ("集中整改期间,建立完善制度70个。", 70),
        ("巡视整改以来,建立健全各类制度机制29个。", 29),
    ],
)
def test_rules_made(sentence: str, value: float) -> None:
    assert figures(section(sentence)) == {"rules_made": value}


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("结合巡视整改,追缴违纪资金123.45万元。", 123.45),
        ("巡视整改中挽回经济损失1,234.5万元。", 1234.5),
        ("巡视整改中清退违规发放补贴2.6亿元。", 26000),
        ("督促巡视发现问题的单位退缴资金8600元。", 0.86),
    ],
)
def test_money_in_wan_yuan(sentence: str, value: float) -> None:
    assert figures(section(sentence)) == {"money_recovered": value}


@pytest.mark.parametrize(
    "sentence",
    [
        "巡视整改涉及资金300万元,已纳入预算。",
        "巡视发现的欠缴土地出让金2804.5万元,截至目前未追缴到位。",
        "增强“四个意识”、坚定“四个自信”、做到“两个维护”,贯穿到巡视反馈问题整改的每一个环节。",
        "成立3个工作专班,审议通过3个专项检查整改方案,明确15名区级责任领导、23个牵头单位。",
        "巡视整改期间开展督办检查16次,编发工作简报11期。",
        "其中5个巡视反馈问题需长期推进。",  # a part is not the whole
        "巡视整改中,剩余整改任务5项正在推进。",
        "巡视整改中,已落实整改措施86条。",
    ],
)
def test_no_figure_where_there_is_none(sentence: str) -> None:
    assert figures(section(sentence)) == {}


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        ("对巡视移交的1件问题线索,已办结1件,办结率为100%。", {"leads_received": 1, "leads_closed": 1}),
        ("巡视移交问题线索6条,已办结5件。", {"leads_received": 6, "leads_closed": 5}),
        ("巡视移交的35件信访件,已办结33件。", {"petitions_received": 35, "petitions_closed": 33}),
        ("巡察移交信访举报77件,目前已全部办结。", {"petitions_received": 77}),
        ("巡视移交的12件信访件和3件问题线索,已办结14件。", {"petitions_received": 12, "leads_received": 3}),
    ],
)
def test_leads_are_not_petitions(sentence: str, want: dict[str, float]) -> None:
    assert figures(section(sentence)) == want


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        ("巡视整改中立案查处8起,问责党员领导干部6人。", {"cases_filed": 8, "people_held_accountable": 6}),
        (
            "针对巡视反馈问题,组织处理12人,给予党纪政务处分7人次。",
            {"people_organisational": 12, "people_disciplined": 7},
        ),
        ("巡视整改期间,制定修订制度办法32项。", {"rules_made": 32}),
    ],
)
def test_accountability_and_rules_phrasings(sentence: str, want: dict[str, float]) -> None:
    assert figures(section(sentence)) == want


def test_a_figure_in_a_paragraph_about_the_rectification() -> None:
    body = section("对巡视移交的问题线索,区纪委监委高度重视。立案12件,给予党纪政务处分9人,问责5人。")
    assert figures(body) == {"cases_filed": 12, "people_disciplined": 9, "people_held_accountable": 5}
    unrelated = section("全区纪检监察机关持续发力。立案12件,给予党纪政务处分9人。")
    assert figures(unrelated) == {}
    a_year = section("对巡视移交的问题线索,高度重视。今年以来,全区共立案120件。")
    assert figures(a_year) == {}


@pytest.mark.parametrize(
    "body",
    [
        "一、整改落实情况\n(一)关于上轮巡视整改不到位的问题\n反馈的12个问题已完成整改10个,建立完善制度9项。",
        section("上一轮巡视反馈的9个问题已全部整改。其中已完成整改8个,完善制度3项。"),
        section("对十三届省委第二轮巡视反馈的9个问题,已完成整改8个。"),
        section("对照历次巡视反馈问题,已完成整改8个,建立完善制度3项。"),
    ],
)
def test_figures_of_an_earlier_round_never_count(body: str) -> None:
    assert figures(body) == {}


def test_this_round_after_an_earlier_one_counts_again() -> None:
    body = section("上一轮巡视反馈的9个问题已全部整改。本轮巡视反馈的20个问题已完成整改15个。")
    assert figures(body) == {"problems_total": 20, "problems_rectified": 15}


def test_every_new_name_is_in_the_vocabulary() -> None:
    body = section(
        "对巡视移交的1件问题线索,已办结1件。巡视反馈的5个方面20个问题已完成16个。",
        "巡视整改中追缴资金3.5万元,建章立制4项。",
    )
    assert set(figures(body)) <= set(FIGURE_NAMES)
