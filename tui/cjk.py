"""Chinese line breaking by display cells (kinsoku): no ``，。、；：？！）》」”`` at a line start.

Rich wraps at spaces and folds long words anywhere, so a Chinese paragraph can put a comma at the start
of a line.  ``break_lines`` fills lines greedily by cell width, keeps runs of Latin letters and digits
(``2023``, ``163.com``) whole when they fit, and moves a character down when the next line would start
with closing punctuation or the current one would end with an opening bracket.  Pure: imports only rich.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

#: Characters that must not start a line.
NO_START = frozenset("，。、；：？！）》」』”’】〕〉…—·,.;:?!)]}%‰℃％")
#: Characters that must not end a line.
NO_END = frozenset("（《「『“‘【〔〈([{")
_ATOM = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-_/@%:+]*|.", re.DOTALL)


def _atoms(text: str) -> list[str]:
    return _ATOM.findall(text)


#: Cell widths of single characters seen so far (a paragraph is mostly single-character atoms).
_WIDTHS: dict[str, int] = {}


def _cells(atom: str) -> int:
    width = _WIDTHS.get(atom)
    if width is None:
        width = cell_len(atom)
        if len(atom) == 1:
            _WIDTHS[atom] = width
    return width


@lru_cache(maxsize=8192)
def wrapped(text: str, width: int) -> tuple[tuple[int, int], ...]:
    """``break_lines``, remembered for the last 8,192 paragraphs and widths: a section shows the text
    of every section under it, so moving into them wraps nothing again (paragraphs are kept strings,
    whose hash Python keeps too)."""
    return tuple(break_lines(text, width))


def break_lines(text: str, width: int) -> list[tuple[int, int]]:
    """Offsets ``(start, end)`` of each line of ``text`` wrapped to ``width`` cells.

    Each line takes as many whole atoms (a character, or a run of Latin letters and digits) as fit,
    found by bisecting the running cell count; then kinsoku moves atoms down to the next line.
    """
    if width <= 0 or not text:
        return [(0, len(text))]
    atoms = _atoms(text)
    if any(len(atom) > width for atom in atoms):  # a run longer than a line is cut into characters
        atoms = [piece for atom in atoms for piece in (atom if len(atom) > width else (atom,))]
    reach = list(accumulate(map(_cells, atoms), initial=0))  # cells before atom i: reach[i]
    starts = list(accumulate(map(len, atoms), initial=0))
    count = len(atoms)
    lines: list[tuple[int, int]] = []
    index = 0
    while index < count:
        line_start = index
        index = max(line_start + 1, bisect_right(reach, reach[line_start] + width, line_start) - 1)
        if index < count:
            # kinsoku: pull one atom down while the next line would open with forbidden punctuation,
            # or this one would end with an opening bracket; never empty the line.
            for _ in range(8):
                next_bad = atoms[index][0] in NO_START
                if not (next_bad or atoms[index - 1][-1] in NO_END):
                    break
                if index - 1 > line_start:
                    index -= 1
                elif len(atoms[line_start]) > 1 and next_bad:
                    # a lone long Latin run (an e-mail address): let its last character go down too
                    head, tail = atoms[line_start][:-1], atoms[line_start][-1]
                    atoms[line_start : line_start + 1] = [head, tail]
                    reach.insert(line_start + 1, reach[line_start] + _cells(head))
                    starts.insert(line_start + 1, starts[line_start] + len(head))
                    count += 1
                    index = line_start + 1
                    break
                else:
                    break
        lines.append((starts[line_start], starts[index] if index < count else len(text)))
    return lines


def wrap_text(text: Text, width: int) -> list[Text]:
    """Split a styled ``Text`` into lines of at most ``width`` cells, keeping its styles."""
    plain = text.plain
    if not plain:
        return [text.copy()]
    offsets = break_lines(plain, width)
    cuts = [end for _, end in offsets[:-1]]
    return list(text.divide(cuts)) if cuts else [text.copy()]


class CJKText:
    """A Rich renderable: a paragraph wrapped by ``break_lines`` at whatever width it is given."""

    def __init__(self, text: Text, indent: int = 0) -> None:
        self.text = text
        self.indent = indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width - self.indent)
        pad = " " * self.indent
        for line in wrap_text(self.text, width):
            line.rstrip()
            if pad:
                line = Text(pad) + line
            line.no_wrap = True
            line.overflow = "crop"
            yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(
            min(4, options.max_width), min(self.text.cell_len + self.indent, options.max_width)
        )


def lines_of(paragraphs: Iterable[str], width: int) -> list[str]:
    """Wrap plain paragraphs and return the lines (for tests and plain-text output)."""
    out: list[str] = []
    for paragraph in paragraphs:
        out.extend(paragraph[a:b] for a, b in break_lines(paragraph, width))
    return out
