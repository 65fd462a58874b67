"""The glyphs a PDF draws → the notice's paragraphs, one per line.

Pure geometry, no PDF library: glyphs on one baseline make a line (a wide gap between them separates
table cells), lines repeated at the top or bottom of the pages (running headers, footers, a browser's
print footer) and bare page numbers are dropped, and lines join into paragraphs the way a reader sees
them — a paragraph ends where its line stops short of the right margin, where the next line is
indented, changes size, opens a numbered heading after a full stop, or stands apart; lines inside a
Chinese sentence join without a space.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from statistics import median
from typing import NamedTuple

from ..text import fold

#: What separates the cells of a table row in the text.
CELL_SEPARATOR = " | "


class Glyph(NamedTuple):
    """One drawn character: left and right edge, baseline, size and its text."""

    x0: float
    x1: float
    y: float
    size: float
    text: str


@dataclass(slots=True)
class Line:
    """Glyphs on one baseline: the text (table cells separated), its extent and size."""

    y: float
    x0: float
    x1: float
    size: float
    text: str
    cells: int = 1
    lead: float = 0.0
    """Width of the line's first unbreakable piece (a Latin word or number, else one character): a
    line before it that stopped short by less than this stopped because the piece did not fit."""


_PAGE_NUMBER = re.compile(
    r"^[-—–－_\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4})?(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?[-—–－_\s]*$"
    r"|^(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_CLOSING = frozenset("，。、；：？！”’》）)]】〕」』,.;:!?%")
_EDGE_LINES = 2


def _is_word(char: str) -> bool:
    return char.isascii() and char.isalnum()


def page_lines(glyphs: list[Glyph]) -> list[Line]:
    """A page's glyphs grouped into lines, top to bottom (each line's glyphs left to right)."""
    ordered = sorted(glyphs, key=lambda g: (-g.y, g.x0))
    lines: list[Line] = []
    group: list[Glyph] = []
    for glyph in ordered:
        if group and abs(group[0].y - glyph.y) > 0.4 * max(group[0].size, glyph.size, 1.0):
            lines.append(_line(group))
            group = []
        group.append(glyph)
    if group:
        lines.append(_line(group))
    return [line for line in lines if line.text.strip()]


def _line(group: list[Glyph]) -> Line:
    group.sort(key=lambda g: g.x0)
    size = Counter(round(g.size * 2) / 2 for g in group).most_common(1)[0][0]
    pieces: list[str] = []
    cells = 1
    previous: Glyph | None = None
    for glyph in group:
        if previous is not None:
            gap = glyph.x0 - previous.x1
            if glyph.text == previous.text and abs(glyph.x0 - previous.x0) < 0.25 * (
                previous.x1 - previous.x0
            ):
                continue  # drawn twice, slightly offset: a fake bold
            if gap > 1.5 * size and pieces and pieces[-1].strip():
                pieces.append(CELL_SEPARATOR)
                cells += 1
            elif gap > 0.2 * size and _is_word(previous.text[-1:]) and _is_word(glyph.text[:1]):
                pieces.append(" ")
        pieces.append(glyph.text)
        previous = glyph
    text = "".join(pieces).strip()
    return Line(
        group[0].y, group[0].x0, max(g.x1 for g in group), size, text, cells, _lead(group) - group[0].x0
    )


def _is_ideograph(text: str) -> bool:
    return bool(text) and ("\u4e00" <= text[0] <= "\u9fff" or "\u3400" <= text[0] <= "\u4dbf")


def _lead(group: list[Glyph]) -> float:
    """Where the line's first piece that a typesetter may not break ends, at the most: everything up
    to its first Chinese character (quotes, a Latin word or number), else that character — then the
    closing marks no line may start with."""
    at = 0
    while at < len(group) and not _is_ideograph(group[at].text) and group[at].text.strip():
        at += 1
    at = max(at, 1)
    end = group[at - 1].x1
    while at < len(group) and group[at].text in _CLOSING:
        end, at = group[at].x1, at + 1
    return end


def _furniture_key(line: Line) -> str:
    return re.sub(r"\d+", "#", fold(line.text)).strip()


def drop_furniture(pages: list[list[Line]]) -> tuple[list[list[Line]], list[str]]:
    """Pages without their running headers, footers and page numbers; the dropped lines' text.

    A line is furniture when it stands among the first or last two lines of its page and either is a
    bare page number (``- 3 -``, ``第3页 共9页``, ``3/9``) or recurs, digits aside, at the same height
    on at least two pages and a third of them.
    """
    seen: Counter[tuple[str, int]] = Counter()
    for lines in pages:
        edge = {id(line): line for line in (*lines[:_EDGE_LINES], *lines[-_EDGE_LINES:])}
        for key in {(_furniture_key(line), round(line.y / 4)) for line in edge.values()}:
            seen[key] += 1
    needed = max(2, len(pages) / 3)
    kept: list[list[Line]] = []
    dropped: list[str] = []
    for lines in pages:
        edges = {id(line) for line in (*lines[:_EDGE_LINES], *lines[-_EDGE_LINES:])}
        keep = []
        for line in lines:
            if id(line) in edges and (
                _PAGE_NUMBER.match(fold(line.text))
                or max(seen[(_furniture_key(line), round(line.y / 4) + d)] for d in (-1, 0, 1)) >= needed
            ):
                dropped.append(line.text)
            else:
                keep.append(line)
        kept.append(keep)
    return kept, dropped


def _margins(lines: list[Line], size: float) -> tuple[float, float]:
    """The body's left and right margins: the commonest line start, and where full lines end."""
    starts = Counter(round(line.x0) for line in lines if line.cells == 1)
    top = max(starts.values(), default=0)
    left = min((x for x, count in starts.items() if count * 4 >= top), default=0)
    ends = sorted(line.x1 for line in lines if line.cells == 1 and len(line.text) >= 8) or [0.0]
    right = ends[int(len(ends) * 0.9)] if len(ends) > 1 else ends[0]
    return float(left), right


def paragraphs(pages: list[list[Line]]) -> list[str]:
    """The lines of all pages joined into paragraphs, one string each."""
    lines = [line for page in pages for line in page]
    if not lines:
        return []
    size = median(line.size for line in lines)
    left, right = _margins(lines, size)
    steps = [
        a.y - b.y for page in pages for a, b in pairwise(page) if a.y > b.y and abs(a.size - b.size) < 0.5
    ]
    leading = median(steps) if steps else size * 1.5
    out: list[str] = []
    previous: Line | None = None
    first_on_page = {id(page[0]) for page in pages if page}
    for line in lines:
        new_page = id(line) in first_on_page
        if previous is not None and _continues(previous, line, left, right, leading, new_page, size):
            out[-1] += (" " if _is_word(out[-1][-1:]) and _is_word(line.text[:1]) else "") + line.text
        else:
            out.append(line.text)
        previous = line
    return out


def _continues(
    before: Line, line: Line, left: float, right: float, leading: float, new_page: bool, body_size: float
) -> bool:
    """True when ``line`` goes on with the paragraph ``before`` ended in."""
    size = line.size
    if before.cells > 1 or line.cells > 1 or abs(before.size - size) >= 0.5:
        return False
    if not new_page and before.y - line.y > 1.7 * leading:
        return False
    if right - before.x1 > max(2.2 * size, line.lead + 0.5 * size):
        return False  # the line before stopped short, not for want of room: its paragraph ended
    indent = line.x0 - left
    if indent > 0.8 * size:
        # an indented line opens a paragraph, but a centred title's second line (set larger than the
        # body) goes on with its first
        return size > body_size + 0.5 and abs(indent - (right - line.x1)) < size
    return True


def text_of(pages: list[list[Glyph]]) -> tuple[str, list[str]]:
    """The notice text of a document's pages (one paragraph a line) and its dropped furniture lines."""
    lines, dropped = drop_furniture([page_lines(glyphs) for glyphs in pages])
    return "\n".join(paragraphs(lines)), dropped


__all__ = ["CELL_SEPARATOR", "Glyph", "Line", "drop_furniture", "page_lines", "paragraphs", "text_of"]
