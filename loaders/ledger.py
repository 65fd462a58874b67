"""The ledger: the figures users set side by side, each with the sentence it came from.

Precision over recall: a wrong figure is worse than a missing one.  Figures are read only from
sentences that speak of the inspection itself (巡视/巡察 feedback, hand-overs, rectification), only in
the preamble, the closing and the top two levels of the outline (a town's or one problem's count deep
in the outline is not the notice's total), never from sentences about an earlier round (上轮).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from .dates import cn_to_int
from .model import Notice, Section
from .text import fold

#: The fixed vocabulary of figure names (documented in the README).
FIGURE_NAMES = (
    "problems_categories",
    "problems_aspects",
    "problems_total",
    "problems_items",
    "problems_rectified",
    "problems_basically_rectified",
    "problems_in_progress",
    "problems_long_term",
    "problems_not_rectified",
    "completion_rate",
    "immediate_items",
    "immediate_rectified",
    "measures",
    "petitions_received",
    "petitions_closed",
    "leads_received",
    "leads_closed",
    "cases_filed",
    "people_disciplined",
    "people_held_accountable",
    "people_organisational",
    "money_recovered",
    "rules_made",
)

_N = r"(?<![\d.])(\d+(?:\.\d+)?|[一二三四五六七八九十百两]+)"
_SENTENCE = re.compile(r"[^。;!?]+[。;!?]?")
_INSPECTION = re.compile(r"巡视|巡察")
_EARLIER = re.compile(r"上轮|上一轮|上次|前轮|历次")


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern.replace("{N}", _N))


# (name, pattern, unit, needs an inspection word in the sentence)
_RULES: list[tuple[str, re.Pattern[str], str, bool]] = [
    ("problems_categories", _rx(r"{N}大类"), "类", True),
    ("problems_aspects", _rx(r"{N}个方面"), "个", True),
    ("problems_total", _rx(r"(?:细化|分解|细化分解|分解细化|梳理)为{N}[个项条](?:具体)?问题"), "个", True),
    ("problems_total", _rx(r"反馈(?:的|了)?(?:问题)?(?:共)?{N}个(?:具体)?问题"), "个", True),
    ("problems_total", _rx(r"反馈问题{N}个"), "个", True),
    ("problems_items", _rx(r"反馈问题以{N}条"), "条", True),
    ("problems_items", _rx(r"{N}(?:个|条|项)具体表现"), "条", True),
    ("problems_total", _rx(r"(?<!方面)(?<!项){N}个具体问题"), "个", True),
    (
        "problems_rectified",
        _rx(r"(?<!基本)(?<!未)(?:已)?(?:完成整改|整改完成|整改到位|已整改)(?:到位)?{N}个"),
        "个",
        True,
    ),
    ("problems_basically_rectified", _rx(r"基本完成(?:整改)?{N}个"), "个", True),
    ("problems_long_term", _rx(r"长期(?:整改|坚持|推进)(?:的)?{N}个"), "个", True),
    ("problems_not_rectified", _rx(r"未完成(?:整改)?{N}个"), "个", True),
    ("problems_in_progress", _rx(r"(?:剩余|其余)(?:的)?{N}个"), "个", True),
    ("problems_in_progress", _rx(r"正在(?:整改|推进)(?:中)?(?:的)?{N}个"), "个", True),
    ("measures", _rx(r"{N}(?:条|项)(?:具体|切实可行的?|针对性|有效)?(?:的)?整改措施"), "条", False),
    ("measures", _rx(r"整改措施(?:共)?{N}(?:条|项)"), "条", False),
    ("petitions_received", _rx(r"{N}件信访(?:件|举报|问题)?"), "件", True),
    ("petitions_closed", _rx(r"办结{N}件"), "件", True),
    ("leads_received", _rx(r"问题线索{N}(?:件|条)"), "件", True),
    ("cases_filed", _rx(r"立案(?:审查调查|查处)?{N}件"), "件", True),
    ("people_disciplined", _rx(r"(?:党纪政务处分|党纪处分|政务处分){N}人"), "人", True),
    ("people_held_accountable", _rx(r"问责{N}人"), "人", True),
    ("people_organisational", _rx(r"组织处理{N}人"), "人", True),
    ("rules_made", _rx(r"(?:建立|完善|制定|修订|出台|健全)[^,;。]{0,8}?制度{N}(?:项|个|件)"), "项", True),
]
_MONEY = re.compile(
    r"(追缴|挽回|清退|收缴|追回|退还|返还|收回)[^,;。]{0,12}?(?<![\d.])(\d+(?:\.\d+)?)\s*(亿元|万元|元)"
)
#: One pass that tells whether a clause can hold any figure at all (most cannot).
_ANY_FIGURE = re.compile(r"[\d一二三四五六七八九十两百]\s*(?:个|条|项|件|人|大类|万元|亿元|元)")

_PARTS = (
    "problems_rectified",
    "problems_basically_rectified",
    "problems_in_progress",
    "problems_long_term",
    "problems_not_rectified",
)


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of a notice with its provenance."""

    name: str
    value: float
    unit: str
    label: str
    """Which inspection the figure belongs to when the notice gives one per kind (常规, 营商环境专项)."""
    sentence: str
    """The sentence it came from, as the file wrote it (or how it was computed)."""
    section: str
    """The section id the sentence is in."""
    start: int
    """Offset of the sentence in ``Notice.body``."""
    end: int
    computed: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, integral values as ints."""
        data = asdict(self)
        data["value"] = int(self.value) if float(self.value).is_integer() else self.value
        return data


@dataclass(slots=True)
class Ledger:
    """The figures of one notice and the checks that failed on them."""

    notice_id: str
    figures: list[Figure] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    sentence_totals: dict[int, float] = field(default_factory=dict, repr=False)
    """The first total stated in each sentence (by offset), whether or not it became a figure."""

    def get(self, name: str, label: str = "") -> Figure | None:
        """The figure of this name (and label), or None."""
        return next((f for f in self.figures if f.name == name and f.label == label), None)

    def labels(self) -> list[str]:
        """The labels present, unlabelled first."""
        seen: list[str] = []
        for figure in self.figures:
            if figure.label not in seen:
                seen.append(figure.label)
        return sorted(seen, key=lambda x: (x != "", x))


def _sentences(notice: Notice) -> Iterator[tuple[Section, int, str, str]]:
    """(section, offset, sentence as written, sentence width-folded) in the sections figures come from."""
    body = fold(notice.body)  # one pass; folding keeps offsets
    for section in notice.walk():
        if section.level > 2 and section.kind not in ("preamble", "closing"):
            continue
        for paragraph in section.paragraphs:
            folded = body[paragraph.start : paragraph.end]
            for match in _SENTENCE.finditer(folded):
                start = paragraph.start + match.start()
                yield section, start, paragraph.text[match.start() : match.end()], match.group(0)


_DOC_TITLE = re.compile(r"《[^》]*》?")


def _label(clause: str, previous: str) -> str:
    """The inspection kind a clause speaks of, else the label carried from the clause before."""
    if "常规" not in clause and "专项" not in clause:
        return previous
    if "《" in clause:  # a document title names kinds without speaking of them
        clause = _DOC_TITLE.sub("", clause)
    if "常规" in clause and ("营商" in clause or "专项" in clause):
        return ""
    if "常规" in clause:
        return "常规"
    if "营商" in clause and "专项" in clause:
        return "营商环境专项"
    if "专项" in clause and ("巡视" in clause or "巡察" in clause):
        return "专项"
    return previous


def _number(text: str) -> float | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    value = cn_to_int(text)
    # 一个 is an article as often as a count (“一个具体问题、一名区级领导”): never a figure
    return float(value) if value and value > 1 else None


_CLAUSE = re.compile(r"[^,，:]+[,，:]?")
_TOTAL_NAMES = ("problems_total", "problems_items")
_NEEDS_TOTAL = (*_PARTS, "problems_aspects", "problems_categories")


def extract_ledger(notice: Notice) -> Ledger:
    """Every figure the notice states about its rectification, with sentence and section."""
    ledger = Ledger(notice.id)
    taken: set[tuple[str, str]] = set()
    for section, start, sentence, folded in _sentences(notice):
        if _EARLIER.search(folded):
            continue
        about_inspection = bool(_INSPECTION.search(folded)) or "整改" in folded
        immediate = "立行立改" in folded
        found: list[tuple[str, float, str, str]] = []  # name, value, unit, label
        label = ""
        for clause_match in _CLAUSE.finditer(folded):
            clause = clause_match.group(0)
            label = _label(clause, label)
            if not _ANY_FIGURE.search(clause):
                continue
            for name, pattern, unit, needs in _RULES:
                if needs and not about_inspection:
                    continue
                match = pattern.search(clause)
                value = _number(match.group(1)) if match else None
                if value is None:
                    continue
                if immediate and name in ("problems_total", "problems_rectified"):
                    name = "immediate_items" if name == "problems_total" else "immediate_rectified"
                found.append((name, value, unit, label))
            money = _MONEY.search(clause)
            if money and about_inspection and "未" not in clause[: money.start()]:
                amount = float(money.group(2)) * {"亿元": 10000.0, "万元": 1.0, "元": 0.0001}[money.group(3)]
                found.append(("money_recovered", round(amount, 4), "万元", label))
            if immediate:
                items = _rx(r"{N}个立行立改").search(clause)
                value = _number(items.group(1)) if items else None
                if value is not None:
                    found.append(("immediate_items", value, "个", label))
        # a breakdown or a structure count stands only beside the total it breaks down
        has_total = any(name in _TOTAL_NAMES for name, *_ in found) and "反馈" in folded
        if has_total:
            ledger.sentence_totals[start] = next(v for n, v, *_ in found if n in _TOTAL_NAMES)
        for name, value, unit, label in found:
            if name in _NEEDS_TOTAL and not has_total:
                continue
            if (name, label) in taken:
                continue
            taken.add((name, label))
            end = start + len(sentence)
            ledger.figures.append(Figure(name, value, unit, label, sentence, section.id, start, end))
    _check_and_compute(ledger)
    return ledger


def _check_and_compute(ledger: Ledger) -> None:
    """Check that stated parts add up to their total, and compute completion rates from them.

    The total a breakdown refers to is the one in the same sentence when there is one (a notice may
    count 具体问题 in one place and 具体表现 in another), else the label's ``problems_total``.
    """
    for label in ledger.labels():
        rectified = ledger.get("problems_rectified", label)
        if rectified is None:
            continue
        stated = ledger.sentence_totals.get(rectified.start)
        label_total = ledger.get("problems_total", label)
        total_value = stated if stated is not None else (label_total.value if label_total else None)
        if total_value is None:
            continue
        parts = [
            p
            for p in (ledger.get(name, label) for name in _PARTS)
            if p is not None and p.start == rectified.start
        ]
        if len(parts) >= 2:
            summed = sum(p.value for p in parts)
            if summed != total_value:
                ledger.checks.append(
                    f"{label or '合计'}: 各项之和 {summed:g} ≠ 总数 {total_value:g} (parts do not add up)"
                )
        if total_value > 0 and rectified.value <= total_value:
            rate = round(100 * rectified.value / total_value, 1)
            ledger.figures.append(
                Figure(
                    "completion_rate",
                    rate,
                    "%",
                    label,
                    f"计算所得 computed: {rectified.value:g} / {total_value:g}",
                    rectified.section,
                    rectified.start,
                    rectified.end,
                    computed=True,
                )
            )


def extract_all(notices: list[Notice]) -> list[Ledger]:
    """The ledgers of many notices, in order."""
    return [extract_ledger(n) for n in notices]
