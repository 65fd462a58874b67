"""Aligning the outlines of two or more notices, section by section.

Top-level sections are matched by what they are about (organisation and responsibility, the regular
inspection's problems, a special inspection's, next steps, contact), then their sub-sections by title
similarity with the numbering ignored.  Sections that match nothing stay visible as unmatched rows —
never forced onto a look-alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .model import Notice, Section
from .text import fold

#: Top-level kinds, in the order a notice usually presents them.
TOP_KINDS = ("preamble", "organisation", "regular", "special", "next_steps", "closing", "other")
KIND_LABELS = {
    "preamble": "导语",
    "organisation": "组织领导与主体责任",
    "regular": "常规巡视(巡察)反馈问题整改",
    "special": "专项巡视(巡察)反馈问题整改",
    "next_steps": "下一步工作打算",
    "closing": "结语与联系方式",
    "other": "其他",
}
_KIND_RULES = (
    ("next_steps", re.compile(r"下一步|后续|打算|持续深化|继续深化|今后|巩固")),
    ("closing", re.compile(r"联系方式|联系电话|监督电话")),
    ("special", re.compile(r"专项|营商环境")),
    ("organisation", re.compile(r"组织|主体责任|领导|政治站位|政治责任|履行|部署|思想认识")),
    ("regular", re.compile(r"反馈|问题|整改(落实|进展)?(情况|成效)|成效|进展")),
)
MATCH_THRESHOLD = 0.28


def top_kind(section: Section) -> str:
    """What a top-level section is about (see ``TOP_KINDS``)."""
    if section.kind in ("preamble", "closing"):
        return section.kind
    title = fold(section.title)
    for kind, pattern in _KIND_RULES:
        if pattern.search(title):
            return kind
    return "other"


_NUMBERING = re.compile(
    r"^\s*(?:\(?[一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十\d]{1,3}[、.]|[①-⑳])"
)


_FILLERS = frozenset(
    [
        "的",
        "和",
        "及",
        "与",
        "关于",
        "方面",
        "问题",
        "情况",
        "整改",
        "落实",
        "在",
        "对",
        "等",
        "进一步",
        "全面",
        "持续",
    ]
)


@lru_cache(maxsize=65536)
def _words(title: str) -> frozenset[str]:
    """The title's segmented words, numbering and filler words removed."""
    from .segment import words

    text = _NUMBERING.sub("", fold(title))
    return frozenset(w for w in words(text) if w not in _FILLERS and not w.isdigit())


def similarity(a: str, b: str) -> float:
    """Title similarity in [0, 1]: Dice coefficient of segmented words, numbering and fillers ignored."""
    x, y = _words(a), _words(b)
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


@dataclass(slots=True)
class AlignedRow:
    """One row of the alignment: a section (or nothing) per notice."""

    kind: str
    """The top-level kind this row belongs to."""
    depth: int
    """0 for a top-level row, 1 for a sub-section row."""
    cells: list[Section | None] = field(default_factory=list)
    score: float = 1.0
    """The weakest similarity that joined this row (1.0 when alone or matched by kind)."""

    @property
    def title(self) -> str:
        """The first present cell's title."""
        section = next((c for c in self.cells if c is not None), None)
        return section.title if section is not None else ""

    @property
    def matched(self) -> bool:
        """True when more than one notice has a section in this row."""
        return sum(c is not None for c in self.cells) > 1


@dataclass(slots=True)
class Alignment:
    """Aligned rows for ``notices``, in reading order of the first notice."""

    notices: list[Notice]
    rows: list[AlignedRow]


def _match(rows: list[AlignedRow], sections: list[Section], column: int, width: int) -> list[AlignedRow]:
    """Put ``sections`` into existing rows by best similarity; the rest become rows of their own."""
    pairs = []
    for r, row in enumerate(rows):
        for s, section in enumerate(sections):
            best = max((similarity(c.title, section.title) for c in row.cells if c is not None), default=0.0)
            if best >= MATCH_THRESHOLD:
                pairs.append((best, r, s))
    used_rows: set[int] = set()
    used_sections: set[int] = set()
    for score, r, s in sorted(pairs, reverse=True):
        if r in used_rows or s in used_sections:
            continue
        used_rows.add(r)
        used_sections.add(s)
        rows[r].cells[column] = sections[s]
        rows[r].score = min(rows[r].score, score)
    result = list(rows)
    for s, section in enumerate(sections):
        if s not in used_sections:
            cells: list[Section | None] = [None] * width
            cells[column] = section
            result.append(AlignedRow(rows[0].kind if rows else "other", 1, cells))
    return result


def align(notices: list[Notice]) -> Alignment:
    """Align the outlines of ``notices`` (2 or more)."""
    width = len(notices)
    rows: list[AlignedRow] = []
    for kind in TOP_KINDS:
        tops: list[list[Section]] = [[s for s in n.sections if top_kind(s) == kind] for n in notices]
        if not any(tops):
            continue
        depth = max(len(t) for t in tops)
        for index in range(depth):
            cells = [t[index] if index < len(t) else None for t in tops]
            top = AlignedRow(kind, 0, cells)
            rows.append(top)
            children: list[AlignedRow] = []
            for column, section in enumerate(cells):
                if section is None or not section.children:
                    continue
                if not children:
                    for child in section.children:
                        row_cells: list[Section | None] = [None] * width
                        row_cells[column] = child
                        children.append(AlignedRow(kind, 1, row_cells))
                else:
                    children = _match(children, section.children, column, width)
                    for row in children:
                        row.kind = kind
            rows.extend(children)
    return Alignment(notices, rows)
