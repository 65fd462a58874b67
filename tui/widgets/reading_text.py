"""The reading pane's text: paragraphs wrapped by ``cjk.wrapped`` (kinsoku), selectable with mouse and keys.

Every drawn line carries selection offsets ``(character in its paragraph, paragraph number)``, so a
mouse drag selects exactly the characters under it, soft line breaks never reach the selected text,
and the selection can be set and extended from the keyboard in the same coordinates.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Offset, Size
from textual.selection import Selection
from textual.strip import Strip

from ..cjk import wrapped
from .steady import LaidOutOnce


class ReadingText(LaidOutOnce):
    """Blocks of styled text (paragraphs, notes, blank lines), each wrapped to the widget's width."""

    DEFAULT_CSS = """
    ReadingText { height: auto; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.blocks: list[tuple[Text, int]] = []
        """(text, indent) of every block, top to bottom."""
        self._lines: list[tuple[int, int, int]] = []
        """(block, start, end) of every drawn line at ``_width``."""
        self._width = -1
        self._first_lines: list[int] = []
        self._strips: dict[int, Strip] = {}
        """Drawn lines by number, at ``_width`` and the current style and selection."""
        self._base: Style | None = None
        """The widget's style the lines in ``_strips`` were drawn on (looked up once for all of them)."""

    def set_blocks(self, blocks: list[tuple[Text, int]]) -> None:
        """Show these blocks (a new section): the selection is cleared."""
        self.blocks = blocks
        self._width = -1
        self._forget_drawn()
        if self.is_mounted and self.text_selection is not None:
            self.screen.selections = {w: s for w, s in self.screen.selections.items() if w is not self}
        self.refresh(layout=True)

    # -- layout ----------------------------------------------------------------------------------

    def wrap(self, width: int) -> list[tuple[int, int, int]]:
        """The drawn lines at ``width`` cells: (block, start, end)."""
        width = max(1, width)
        if width != self._width:
            lines: list[tuple[int, int, int]] = []
            firsts: list[int] = []
            for number, (text, indent) in enumerate(self.blocks):
                firsts.append(len(lines))
                plain = text.plain
                if not plain:
                    lines.append((number, 0, 0))
                    continue
                lines.extend((number, a, b) for a, b in block_lines(plain, width, indent))
            self._lines, self._first_lines, self._width = lines, firsts, width
            self._forget_drawn()
        return self._lines

    def _drawn_width(self) -> int:
        return self.size.width or (self._width if self._width > 0 else 80)

    def first_line_of(self, block: int) -> int:
        """The line (within this widget) where block ``block`` starts."""
        self.wrap(self._drawn_width())
        return self._first_lines[block] if 0 <= block < len(self._first_lines) else 0

    def block_at_line(self, line: int) -> int:
        """The block drawn on ``line`` (within this widget)."""
        lines = self.wrap(self._drawn_width())
        if not lines:
            return 0
        return lines[max(0, min(line, len(lines) - 1))][0]

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.wrap(width)))

    def plain_lines(self, width: int) -> list[str]:
        """The text as drawn at ``width`` cells, one string a line (indents included)."""
        return [
            " " * self.blocks[b][1] + self.blocks[b][0].plain[s:e] if e > s else ""
            for b, s, e in self.wrap(width)
        ]

    # -- drawing ---------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        lines = self.wrap(width)
        if y >= len(lines):
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(y)
        if strip is None:
            self._draw_block(lines[y][0], width)
            strip = self._strips[y]
        return strip

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._forget_drawn()

    def _forget_drawn(self) -> None:
        self._strips.clear()
        self._base = None

    def _draw_block(self, block: int, width: int) -> None:
        """Draw every line of ``block`` into the strip cache (its text is cut once, not per line)."""
        first = self._first_lines[block]
        last = self._first_lines[block + 1] if block + 1 < len(self._first_lines) else len(self._lines)
        drawn = self._lines[first:last]
        text, indent = self.blocks[block]
        cuts = [start for _, start, _ in drawn]
        pieces = list(text.divide(cuts[1:] if cuts[0] == 0 else cuts))
        if cuts[0] > 0:
            del pieces[0]
        selected = self._selected_span(block, len(text.plain))
        if self._base is None:  # walks the ancestors' backgrounds: once for all the lines drawn
            self._base = self.rich_style
        base = self._base
        console = self.app.console
        for y, ((_, start, end), piece) in enumerate(zip(drawn, pieces, strict=True), first):
            if len(piece) > end - start:
                piece.right_crop(len(piece) - (end - start))
            piece.rstrip()
            if selected is not None:
                low, high = max(selected[0], start), min(selected[1], end)
                if low < high:
                    style = self.screen.get_component_rich_style("screen--selection")
                    piece.stylize(style, low - start, high - start)
            self._strips[y] = drawn_line(piece.render(console, end=""), start, block, indent, width, base)

    def _selected_span(self, block: int, length: int) -> tuple[int, int] | None:
        selection = self.text_selection
        if selection is None:
            return None
        first = selection.start or Offset(0, 0)
        last = selection.end or Offset(len(self.blocks[-1][0].plain) if self.blocks else 0, len(self.blocks))
        if not first.y <= block <= last.y:
            return None
        low = first.x if block == first.y else 0
        high = last.x if block == last.y else length
        return low, high

    # -- selection -------------------------------------------------------------------------------

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected characters; paragraphs join with a newline, soft line breaks vanish."""
        return selection.extract("\n".join(text.plain for text, _ in self.blocks)), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._forget_drawn()
        self.refresh()

    def select(self, start: Offset, end: Offset) -> None:
        """Select from ``start`` to ``end`` (``(character, block)``; ``end`` exclusive)."""
        if (end.y, end.x) < (start.y, start.x):
            start, end = end, start
        self.screen.selections = {self: Selection(start, end)}


def block_lines(plain: str, width: int, indent: int = 0) -> tuple[tuple[int, int], ...]:
    """Where a block's lines start and end at ``width`` cells with ``indent`` (remembered per paragraph
    and width by ``cjk.wrapped``: wrapping one ahead makes showing it cheap)."""
    return wrapped(plain, max(1, width - indent))


def drawn_line(
    segments: Iterable[Segment], start: int, block: int, indent: int, width: int, base: Style
) -> Strip:
    """One drawn line as a single ``Strip``: ``indent`` spaces, then the text's segments, each with its
    selection offset (``start`` counts characters in the paragraph ``block``), padded to ``width``
    cells, all on ``base``.

    The same strip as ``Strip(segments).apply_offsets(start, block)`` after the indent, extended, cropped
    and styled, without the four intermediate strips (each makes seven caches): a new section draws a
    screenful of lines at once.
    """
    line: list[Segment] = [Segment(" " * indent, base)] if indent else []
    cells, x = indent, start
    for text, style, _ in segments:
        offset = Style.from_meta({"offset": (x, block)})
        line.append(Segment(text, base + (style + offset if style else offset)))
        x += len(text)
        cells += cell_len(text)
    if cells > width:  # never for text wrapped to this width; kept exact all the same
        return Strip(line, cells).crop(0, width)
    if cells < width:
        line.append(Segment(" " * (width - cells), base))
    return Strip(line, width)
