"""The ledger: the figures users set side by side, each with the sentence it came from.

Precision over recall: a wrong figure is worse than a missing one.  Figures are read only from
sentences that speak of the inspection itself (巡视/巡察 feedback, hand-overs, rectification), only in
the preamble, the closing and the top two levels of the outline (a town's or one problem's count deep
in the outline is not the notice's total), never from sentences about an earlier round (上轮).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from typing import Any

from .ledger_rules import (
    ANY_FIGURE,
    EARLIER,
    GENERAL_PERIOD,
    IMMEDIATE_ITEMS,
    MONEY,
    MONEY_FACTOR,
    RULES,
    THIS_ROUND,
    THOUSANDS,
    closed_name,
    number_value,
)
from .model import Notice, Section
from .text import parse_view

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

_SENTENCE = re.compile(r"[^。;!?]+[。;!?]?")
_INSPECTION = re.compile(r"巡视|巡察")
_ROUND_MENTION = re.compile(
    r"(?:([一二三四五六七八九十]{1,3})届)?[^,;。]{0,6}?第([一二三四五六七八九十\d]{1,3})轮"
)

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


@dataclass(frozen=True, slots=True)
class _Sentence:
    section: Section
    start: int
    text: str
    """As the file wrote it."""
    view: str
    """Width-folded, simplified, thousands separators masked (same length as ``text``)."""
    paragraph_about_inspection: bool
    earlier: bool
    """True inside a stretch about an earlier round (its figures are not this rectification's)."""


def _sentences(notice: Notice) -> Iterator[_Sentence]:
    """The sentences figures come from: preamble, closing and the top two outline levels."""
    body = THOUSANDS.sub("_", parse_view(notice.body))  # one pass; offsets are kept
    own_round = _round_key(notice.meta.round or "")
    for section in notice.walk():
        if section.level > 2 and section.kind not in ("preamble", "closing"):
            continue
        heading_earlier = bool(EARLIER.search(_heading_view(section, body)))
        for paragraph in section.paragraphs:
            folded = body[paragraph.start : paragraph.end]
            if not ANY_FIGURE.search(folded):  # no count in it: no sentence of it can yield a figure
                continue
            about = bool(_INSPECTION.search(folded))
            earlier = heading_earlier
            for match in _SENTENCE.finditer(folded):
                view = match.group(0)
                if EARLIER.search(view):
                    earlier = True
                elif THIS_ROUND.search(view):
                    earlier = heading_earlier
                other_round = _other_round(view, own_round)
                yield _Sentence(
                    section,
                    paragraph.start + match.start(),
                    paragraph.text[match.start() : match.end()],
                    view,
                    about,
                    earlier or other_round,
                )


def _heading_view(section: Section, body: str) -> str:
    if not section.paragraphs or not section.paragraphs[0].is_heading:
        return ""
    heading = section.paragraphs[0]
    return body[heading.start : heading.start + len(section.number) + len(section.title)]


def _round_key(text: str) -> tuple[str, str] | None:
    match = _ROUND_MENTION.search(text)
    return (match.group(1) or "", match.group(2)) if match else None


def _other_round(sentence: str, own: tuple[str, str] | None) -> bool:
    """True when the sentence speaks of a round that is not the notice's own (十二届省委第三轮…)."""
    if own is None or "巡" not in sentence:
        return False
    for match in _ROUND_MENTION.finditer(sentence):
        term, nth = match.group(1) or "", match.group(2)
        if nth != own[1] or (term and own[0] and term != own[0]):
            return True
    return False


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
    if "选人用人" in clause and "专项" in clause:
        return "选人用人专项"
    if "专项" in clause:
        return "专项"
    return previous


_CLAUSE = re.compile(r"[^,，:]+[,，:]?")
_TOTAL_NAMES = ("problems_total", "problems_items")
_NEEDS_TOTAL = (*_PARTS, "problems_aspects", "problems_categories")


def extract_ledger(notice: Notice) -> Ledger:
    """Every figure the notice states about its rectification, with sentence and section.

    A notice from the corpus store brings the figures found when it was parsed (same rules: the store
    keys on ``LEDGER_VERSION``), so its text need not be read.
    """
    stored = notice.derived("ledger")
    if stored is not None:
        with suppress(TypeError, ValueError):
            return ledger_from_data(notice.id, stored)
    return _extract(notice)


def ledger_to_data(notice: Notice) -> dict[str, Any]:
    """A notice's ledger as plain data, as the corpus store keeps it."""
    ledger = _extract(notice)
    return {
        "figures": [
            [f.name, f.value, f.unit, f.label, f.sentence, f.section, f.start, f.end, f.computed]
            for f in ledger.figures
        ],
        "checks": list(ledger.checks),
        "totals": [[start, value] for start, value in ledger.sentence_totals.items()],
    }


_FIGURE_TYPES: tuple[tuple[type, ...], ...] = (
    (str,), (int, float), (str,), (str,), (str,), (str,), (int,), (int,), (bool,),
)  # fmt: skip


def ledger_from_data(notice_id: str, data: Any) -> Ledger:
    """A ledger written by ``ledger_to_data``.

    Raises:
        ValueError: the data does not have exactly that shape.
    """
    if type(data) is not dict or set(data) != {"figures", "checks", "totals"}:
        raise ValueError("not a stored ledger")
    figures = []
    for row in data["figures"]:
        if type(row) is not list or len(row) != len(_FIGURE_TYPES):
            raise ValueError("a stored figure has the wrong length")
        if not all(type(v) in kinds for v, kinds in zip(row, _FIGURE_TYPES, strict=True)):
            raise ValueError("a stored figure has a value of the wrong type")
        name, value, unit, label, sentence, section, start, end, computed = row
        figures.append(Figure(name, float(value), unit, label, sentence, section, start, end, computed))
    checks, totals = data["checks"], data["totals"]
    if type(checks) is not list or not all(type(c) is str for c in checks):
        raise ValueError("the stored checks are not text")
    if type(totals) is not list or not all(
        type(t) is list and len(t) == 2 and type(t[0]) is int and isinstance(t[1], int | float)
        for t in totals
    ):
        raise ValueError("the stored totals are not offsets and values")
    return Ledger(notice_id, figures, checks, {start: float(value) for start, value in totals})


def _extract(notice: Notice) -> Ledger:
    ledger = Ledger(notice.id)
    taken: set[tuple[str, str]] = set()
    for sentence in _sentences(notice):
        if sentence.earlier:
            continue
        found = _figures_of(sentence)
        # a breakdown or a structure count stands only beside the total it breaks down
        has_total = any(name in _TOTAL_NAMES for name, *_ in found) and "反馈" in sentence.view
        if has_total:
            ledger.sentence_totals[sentence.start] = next(v for n, v, *_ in found if n in _TOTAL_NAMES)
        for name, value, unit, label in found:
            if name in _NEEDS_TOTAL and not has_total:
                continue
            if (name, label) in taken:
                continue
            taken.add((name, label))
            end = sentence.start + len(sentence.text)
            ledger.figures.append(
                Figure(name, value, unit, label, sentence.text, sentence.section.id, sentence.start, end)
            )
    _check_and_compute(ledger)
    return ledger


def _figures_of(sentence: _Sentence) -> list[tuple[str, float, str, str]]:
    """(name, value, unit, label) of every figure a sentence states, clause by clause."""
    folded = sentence.view
    if not ANY_FIGURE.search(folded):  # most sentences state no count at all: nothing to try
        return []
    about_inspection = (
        bool(_INSPECTION.search(folded))
        or "整改" in folded
        or (sentence.paragraph_about_inspection and not GENERAL_PERIOD.search(folded))
    )
    immediate = "立行立改" in folded
    closes = closed_name(folded)
    found: list[tuple[str, float, str, str]] = []
    label = ""
    for clause_match in _CLAUSE.finditer(folded):
        clause = clause_match.group(0)
        label = _label(clause, label)
        clause = _DOC_TITLE.sub("《》", clause)
        if not ANY_FIGURE.search(clause):
            continue
        for rule in RULES:
            if rule.needs_inspection and not about_inspection:
                continue
            match = rule.pattern.search(clause)
            value = number_value(match.group("v")) if match else None
            if value is None:
                continue
            name = rule.name
            if name == "closed":
                if closes is None:
                    continue
                name = closes
            if immediate and name in ("problems_total", "problems_rectified"):
                name = "immediate_items" if name == "problems_total" else "immediate_rectified"
            found.append((name, value, rule.unit, label))
        money = MONEY.search(clause)
        if money and about_inspection and "未" not in clause[: money.start()]:
            amount = float(money.group("v").replace("_", "")) * MONEY_FACTOR[money.group("unit")]
            found.append(("money_recovered", round(amount, 4), "万元", label))
        if immediate:
            items = IMMEDIATE_ITEMS.search(clause)
            value = number_value(items.group("v")) if items else None
            if value is not None:
                found.append(("immediate_items", value, "个", label))
    return found


def _check_and_compute(ledger: Ledger) -> None:
    """Check that stated parts add up to their total and that no more are done than found, and compute
    completion rates from them.

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
        if rectified.value > total_value:
            ledger.checks.append(
                f"{label or '合计'}: 已完成 {rectified.value:g} > 总数 {total_value:g} (more done than found)"
            )
        elif total_value > 0:
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
