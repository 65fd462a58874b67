"""A comparison of two or more notices: the ledger table and the aligned outline, and its Markdown.

Pure; the CLI (``zhenggai compare show --markdown``) and the TUI's export write the same document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from .align import KIND_LABELS, Alignment, align
from .ledger import FIGURE_NAMES, Figure, Ledger, extract_ledger
from .model import Notice

#: How each ledger row is labelled for people.
FIGURE_LABELS = {
    "problems_categories": "反馈问题大类",
    "problems_aspects": "反馈问题方面",
    "problems_total": "反馈问题总数",
    "problems_items": "具体表现(条)",
    "problems_rectified": "已完成整改",
    "problems_basically_rectified": "基本完成整改",
    "problems_in_progress": "正在整改",
    "problems_long_term": "长期整改",
    "problems_not_rectified": "未完成整改",
    "completion_rate": "完成率(计算)",
    "immediate_items": "立行立改事项",
    "immediate_rectified": "立行立改已完成",
    "measures": "整改措施(条)",
    "petitions_received": "移交信访件",
    "petitions_closed": "信访件办结",
    "leads_received": "移交问题线索",
    "leads_closed": "问题线索办结",
    "cases_filed": "立案(件)",
    "people_disciplined": "党纪政务处分(人)",
    "people_held_accountable": "问责(人)",
    "people_organisational": "组织处理(人)",
    "money_recovered": "追缴挽回(万元)",
    "rules_made": "建立完善制度(项)",
}
_DATE_ROWS = (
    ("inspection_start", "巡视开始"),
    ("inspection_end", "巡视结束"),
    ("feedback_date", "反馈日期"),
    ("publication_date", "发布日期"),
)


@dataclass(slots=True)
class LedgerRow:
    """One row of the comparison table: a figure (with its label) across the notices."""

    name: str
    label: str
    cells: list[Figure | None]

    @property
    def title(self) -> str:
        """The row heading for people."""
        base = FIGURE_LABELS.get(self.name, self.name)
        return f"{base}〔{self.label}〕" if self.label else base

    @property
    def differs(self) -> bool:
        """True when the present values are not all equal."""
        present = {c.value for c in self.cells if c is not None}
        return len(present) > 1


@dataclass(slots=True)
class Comparison:
    """Notices side by side: ledgers, table rows and the aligned outline."""

    notices: list[Notice]
    ledgers: list[Ledger]
    rows: list[LedgerRow]
    alignment: Alignment


def compare(notices: list[Notice]) -> Comparison:
    """Build the comparison of two or more notices."""
    ledgers = [extract_ledger(n) for n in notices]
    keys: list[tuple[str, str]] = []
    for ledger in ledgers:
        for figure in ledger.figures:
            if (figure.name, figure.label) not in keys:
                keys.append((figure.name, figure.label))
    order = {name: i for i, name in enumerate(FIGURE_NAMES)}
    keys.sort(key=lambda k: (k[1] != "", k[1], order.get(k[0], 99)))
    rows = [LedgerRow(name, label, [ledger.get(name, label) for ledger in ledgers]) for name, label in keys]
    return Comparison(notices, ledgers, rows, align(notices))


def format_value(figure: Figure | None) -> str:
    """``17``, ``82.4%``, ``1.2万元`` or an em dash for a missing figure."""
    if figure is None:
        return "—"
    value = int(figure.value) if float(figure.value).is_integer() else figure.value
    if figure.unit == "%":
        return f"{value}%"
    if figure.unit == "万元":
        return f"{value}万元"
    return str(value)


def _cell(text: str) -> str:
    """Text made safe for one GFM table cell."""
    text = re.sub(r"\s+", " ", text).strip()
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`").replace("*", "\\*")


def notice_heading(notice: Notice) -> str:
    """``沈阳市和平区 2024`` style column heading."""
    place = notice.meta.place
    name = f"{place.city or ''}{place.district or ''}" or notice.title[:12]
    return f"{name} {notice.meta.year or ''}".strip()


def ledger_table(comparison: Comparison) -> list[str]:
    """The ledger as GFM table lines: dates, then every figure row, one column per notice."""
    heads = [notice_heading(n) for n in comparison.notices]
    lines = ["| 项目 | " + " | ".join(_cell(h) for h in heads) + " |", "|---|" + "---|" * len(heads)]
    for key, label in _DATE_ROWS:
        values = [getattr(n.meta, key) or "—" for n in comparison.notices]
        lines.append(f"| {label} | " + " | ".join(values) + " |")
    for row in comparison.rows:
        lines.append(f"| {_cell(row.title)} | " + " | ".join(format_value(c) for c in row.cells) + " |")
    return lines


def to_markdown(comparison: Comparison, *, title: str | None = None, note: str | None = None) -> str:
    """The comparison as CommonMark/GFM: a ledger table with sources, then the aligned outline."""
    heads = [notice_heading(n) for n in comparison.notices]
    lines = [f"# {_cell(title or '对比 Comparison: ' + ' / '.join(heads))}", ""]
    lines.append(f"_导出时间 exported {datetime.now().astimezone().isoformat(timespec='seconds')}_")
    lines.append("")
    if note:
        lines += [_cell(note), ""]
    lines += ["## 台账 Ledger", "", *ledger_table(comparison), "", "### 出处 Sources", ""]
    for notice, ledger in zip(comparison.notices, comparison.ledgers, strict=True):
        lines.append(f"**{_cell(notice_heading(notice))}** — {_cell(notice.title)} (`{notice.id}`)")
        lines.append("")
        if not ledger.figures:
            lines += ["- 未载明台账数字 (no figures stated)", ""]
            continue
        for figure in ledger.figures:
            lines.append(
                f"- {_cell(FIGURE_LABELS.get(figure.name, figure.name))} {format_value(figure)}: "
                f"“{_cell(figure.sentence)}” (§{_cell(figure.section)})"
            )
        for check in ledger.checks:
            lines.append(f"- ⚠ {_cell(check)}")
        lines.append("")
    lines += ["## 提纲对照 Aligned sections", "", "| 类别 | " + " | ".join(_cell(h) for h in heads) + " |"]
    lines.append("|---|" + "---|" * len(heads))
    for aligned in comparison.alignment.rows:
        kind = KIND_LABELS[aligned.kind] if aligned.depth == 0 else "↳"
        cells = [_cell(f"{c.number}{c.title}") if c is not None else "—" for c in aligned.cells]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
