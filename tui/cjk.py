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
#: A run of Latin letters and digits: one atom, kept whole on a line when it fits.
_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-_/@%:+]+")
#: Cell widths of the characters seen so far.
_WIDTHS: dict[str, int] = {}


@lru_cache(maxsize=8192)
def wrapped(text: str, width: int) -> tuple[tuple[int, int], ...]:
    """``break_lines``, remembered for the last 8,192 paragraphs and widths: a section shows the text
    of every section under it, so moving into them wraps nothing again (paragraphs are kept strings,
    whose hash Python keeps too)."""
    return tuple(break_lines(text, width))


def break_lines(text: str, width: int) -> list[tuple[int, int]]:
    """Offsets ``(start, end)`` of each line of ``text`` wrapped to ``width`` cells.

    Each line takes as many whole atoms (a character, or a run of Latin letters and digits no longer
    than a line) as fit, found by bisecting the running cell count of the characters; then kinsoku
    moves atoms down to the next line.  The running count is made in C (``accumulate`` over the
    characters' cached widths); only the few Latin runs are looked at one by one.
    """
    if width <= 0 or not text:
        return [(0, len(text))]
    try:
        reach = list(accumulate(map(_WIDTHS.__getitem__, text), initial=0))  # cells before character i
    except KeyError:  # a character not seen before
        for char in set(text).difference(_WIDTHS):
            _WIDTHS[char] = cell_len(char)
        reach = list(accumulate(map(_WIDTHS.__getitem__, text), initial=0))
    inside: dict[int, int] = {}  # character strictly inside a run kept whole → the run's start
    run_end: dict[int, int] = {}  # a run kept whole: start → end
    for run in _RUN.finditer(text):
        start, end = run.span()
        if 1 < end - start <= width:  # a run longer than a line is cut into characters
            run_end[start] = end
            inside.update(dict.fromkeys(range(start + 1, end), start))
    count = len(text)
    lines: list[tuple[int, int]] = []
    line_start = 0
    while line_start < count:
        at = bisect_right(reach, reach[line_start] + width, line_start) - 1
        at = max(inside.get(at, at), run_end.get(line_start, line_start + 1))
        if at < count:
            # kinsoku: pull one atom down while the next line would open with forbidden punctuation,
            # or this one would end with an opening bracket; never empty the line.
            for _ in range(8):
                next_bad = text[at] in NO_START
                if not (next_bad or text[at - 1] in NO_END):
                    break
                before = inside.get(at - 1, at - 1)  # where the atom ending here starts
                if before > line_start:
                    at = before
                elif line_start in run_end and next_bad:
                    # a lone long Latin run (an e-mail address): let its last character go down too
                    at = run_end.pop(line_start) - 1
                    break
                else:
                    break
        lines.append((line_start, min(at, count)))
        line_start = at
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
