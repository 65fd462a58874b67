"""The phrasings the ledger reads, one rule per way of writing a figure.

Rules match one clause (text between commas) of the parse view, with document titles collapsed to
``《》`` (a title's numbers and words are not the notice's).  ``{V}`` is the figure's value, ``{N}`` any
other number; numbers are Arabic (with decimals and thousands separators) or Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import cn_to_int

_NUMBER = r"(?:\d{1,3}(?:_\d{3})+|\d+)(?:\.\d+)?|[一二三四五六七八九十百两]+"
_QUOTE = "[“\"‘'「『]?"
#: A thousands separator between digits (1,234.5万元), masked before clauses are cut at commas.
THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
#: Document titles: their words (整改方案, 制度) and numbers are not figures of the notice.
DOC_TITLE = re.compile(r"《[^《》]*》?")


#: Before a count: words that make it a part (其中2个, 剩余3个), never the whole.
_WHOLE = "(?<!其中)(?<!剩余)(?<!其余)(?<!余下)(?<!涉及)(?<!尚有)(?<!还有)(?<!完成)(?<!落实)"


def _rx(pattern: str) -> re.Pattern[str]:
    # a number in quotes is a slogan (“两个维护”), not a count
    pattern = pattern.replace("{V}", rf"(?<![\d._“\"‘'「『])(?P<v>{_NUMBER})").replace(
        "{N}", rf"(?:{_NUMBER})"
    )
    return re.compile(pattern.replace("{Q}", _QUOTE).replace("{W}", _WHOLE))


@dataclass(frozen=True, slots=True)
class Rule:
    """One phrasing of one figure."""

    name: str
    pattern: re.Pattern[str]
    unit: str
    needs_inspection: bool = True
    """The clause must stand in a sentence (or paragraph) about the inspection and its rectification."""


_UNIT = "(?:个|项|条)"
_OWNER = "(?:中央|省委|自治区党委|市委|州委|区委|县委)"
_PROBLEM = "(?:具体|突出)?问题"

#: In order: within a clause, the first rule of a name that matches gives its value.
RULES: list[Rule] = [
    # structure: 3大部分11个方面28个问题, 8大类19个方面, 五方面17项问题, 对8个方面27个具体问题
    Rule("problems_categories", _rx(r"{V}(?:个)?(?:大类|大部分|大方面|大板块)"), "类"),
    Rule(
        "problems_aspects",
        _rx(r"{V}个?方面(?=、?\s*(?:共)?(?:{N}(?:个|项|条)、?){0,2}(?:的)?(?:具体|主要|突出|共性)?问题)"),
        "个",
    ),
    # totals: 细化分解为80个具体问题 (the decomposition is the count the notice works with)
    Rule(
        "problems_total",
        _rx(
            rf"(?:细化|分解|细化分解|分解细化|梳理|梳理形成|分解形成|细化形成)(?:为|出|成)?{{V}}{_UNIT}{_PROBLEM}(?!表现)"
        ),
        "个",
    ),
    Rule("problems_total", _rx(rf"{{W}}{{V}}{_UNIT}{{Q}}问题清单"), "个"),
    Rule("problems_total", _rx(rf"方面、?\s*(?:共)?{{V}}{_UNIT}{_PROBLEM}(?!表现)"), "个"),
    Rule("problems_total", _rx(rf"反馈(?:的|了)?(?:问题)?(?:共)?{{V}}个{_PROBLEM}"), "个"),
    Rule("problems_total", _rx(r"反馈问题(?:共)?{V}个"), "个"),
    Rule(
        "problems_total", _rx(rf"{{W}}{{V}}{_UNIT}{_OWNER}?(?:巡视|巡察)(?:组)?反馈(?:的)?{_PROBLEM}"), "个"
    ),
    Rule("problems_items", _rx(r"反馈问题以{V}条"), "条"),
    Rule("problems_items", _rx(r"{V}(?:个|条|项)(?:具体问题)?(?:具体)?表现"), "条"),
    Rule("problems_items", _rx(r"{W}{V}条(?:巡视|巡察)?(?:组)?反馈意见"), "条"),
    Rule("problems_total", _rx(r"(?<!方面)(?<!项){W}{V}个具体问题"), "个"),
    # the breakdown: 已完成整改23个, 已完成4个, 基本完成取得阶段性成果并持续整改问题4个
    Rule(
        "problems_rectified",
        _rx(
            rf"(?<!基本)(?<!未)(?:已)?(?:完成整改|整改完成|整改到位|已整改)(?:到位|并销号)?(?:的)?(?:问题)?{{V}}{_UNIT}"
        ),
        "个",
    ),
    Rule("problems_rectified", _rx(rf"(?<!基本)(?<!未)已(?:全面)?完成(?:的)?(?:问题)?{{V}}{_UNIT}"), "个"),
    Rule("problems_basically_rectified", _rx(rf"基本完成(?:整改)?[^,;。\d]{{0,16}}?{{V}}{_UNIT}"), "个"),
    Rule(
        "problems_long_term", _rx(rf"(?:长期(?:整改|坚持|推进)|需长期坚持)(?:的)?(?:问题)?{{V}}{_UNIT}"), "个"
    ),
    Rule("problems_not_rectified", _rx(rf"未完成(?:整改)?(?:的)?(?:问题)?{{V}}{_UNIT}"), "个"),
    Rule("problems_in_progress", _rx(r"(?:剩余|其余)(?:的)?{V}个"), "个"),
    Rule(
        "problems_in_progress",
        _rx(rf"(?:正在|正按计划|正在加紧)(?:整改|推进)(?:中)?(?:的)?(?:问题)?{{V}}{_UNIT}"),
        "个",
    ),
    # measures: 197条整改措施, 整改措施形成427条“任务清单”, 细化形成160条整改任务
    Rule("measures", _rx(r"{W}{V}(?:条|项)(?:具体|切实可行的?|针对性|有效)?(?:的)?整改措施"), "条", False),
    Rule("measures", _rx(r"{W}整改措施(?:共)?{V}(?:条|项)"), "条", False),
    Rule("measures", _rx(r"{W}{V}(?:条|项){Q}(?:任务清单|整改任务)"), "条"),
    Rule("measures", _rx(r"{W}整改任务(?:共)?{V}(?:条|项)"), "条"),
    # petitions and leads (what 办结 closes is decided by the sentence: see ``closed_name``)
    Rule("petitions_received", _rx(r"{V}件信访(?:件|举报|问题)?"), "件"),
    Rule("petitions_received", _rx(r"(?:移交|转交|转办)(?:的)?信访(?:件|举报|问题)?(?:共)?{V}件"), "件"),
    Rule("leads_received", _rx(r"问题线索(?:共)?{V}(?:件|条)"), "件"),
    Rule("leads_received", _rx(r"{W}{V}(?:件|条)(?:问题)?线索"), "件"),
    Rule("closed", _rx(r"办结{V}(?:件|条)"), "件"),
    # accountability
    Rule("cases_filed", _rx(r"立案(?:审查调查|查处|审查)?(?:共)?{V}(?:件|起)"), "件"),
    Rule("people_disciplined", _rx(r"(?:党纪政务处分|党纪处分|政务处分){V}人"), "人"),
    Rule("people_held_accountable", _rx(r"问责(?:党员|领导|干部|责任人|相关|人员){0,4}?{V}人"), "人"),
    Rule("people_organisational", _rx(r"组织处理{V}人"), "人"),
    # rules: 建立完善各类制度29项, 健全完善《…》等规则制度115项, 制定及修改完善制度12项, 建章立制8项
    Rule(
        "rules_made",
        _rx(
            r"(?:建立|完善|制定|修订|出台|健全|修改|新建|制修订)[^,;。\d]{0,10}?"
            r"(?:规章制度|规则制度|制度机制|制度|规章)(?:机制|办法|文件|规定)?(?:共)?{V}(?:项|个|件|条)"
        ),
        "项",
    ),
    Rule("rules_made", _rx(r"建章立制(?:共)?{V}(?:项|个|件|条)"), "项"),
]

MONEY = re.compile(
    r"(追缴|挽回|清退|收缴|追回|退还|返还|收回|退缴|追退|清收|退回)[^,;。]{0,12}?"
    r"(?<![\d._])(?P<v>(?:\d{1,3}(?:_\d{3})+|\d+)(?:\.\d+)?)\s*(?P<unit>亿元|万元|元)"
)
MONEY_FACTOR = {"亿元": 10000.0, "万元": 1.0, "元": 0.0001}
IMMEDIATE_ITEMS = _rx(r"{V}个立行立改")
#: One pass that tells whether a clause can hold any figure at all (most cannot).
ANY_FIGURE = re.compile(r"[\d一二三四五六七八九十两百]\s*(?:个|条|项|件|起|人|大类|大部分|方面|万元|亿元|元)")
#: A sentence about a period's general work (今年以来, 全年): only its own words can tie it to the inspection.
GENERAL_PERIOD = re.compile(r"今年以来|全年|年以来|年度|近年来|近[三五]年")
#: Words of an earlier round: its figures are not this rectification's.
EARLIER = re.compile(r"上轮|上一轮|上次|前轮|前一轮|历次|上届")
#: Words that bring a paragraph back to this round after an earlier one.
THIS_ROUND = re.compile(r"本轮|此次|这次|本次")


def number_value(text: str) -> float | None:
    """``1_234.5`` → 1234.5, ``二十三`` → 23; ``一`` is never a count (一个具体问题 is a slogan)."""
    if re.fullmatch(r"[\d_]+(?:\.\d+)?", text):
        return float(text.replace("_", ""))
    value = cn_to_int(text)
    return float(value) if value and value > 1 else None


def closed_name(sentence: str) -> str | None:
    """What a sentence's 办结 closes: petitions (信访) or leads (线索); nothing if both or neither."""
    petitions, leads = "信访" in sentence, "线索" in sentence
    if petitions == leads:
        return None
    return "petitions_closed" if petitions else "leads_closed"
