"""Layout and repaint work Textual repeats on every section move, avoided where it is redundant.

The three classes override ``_size_updated``, which the screen calls for every widget after a layout (Textual
is pinned to one version in ``pyproject.toml``; ``tests/test_tui_move_work.py`` counts the work).

- ``ScrollView._size_updated`` compares the virtual size the layout arranged with the one the widget
  keeps; for a ``Tree`` the two never match, so every layout anywhere on the screen repainted both
  lists' scrollbars (16 ms of a 48 ms move at 10,000 notices).  ``SteadyTree`` compares against the
  virtual size the scrollbar was last set for.
- ``Widget._size_updated`` stores a changed virtual size through a reactive that asks for another
  layout, so each new section (a new height of the reading text) was laid out twice.  ``LaidOutOnce``
  stores it without, for a leaf widget that nothing scrolls inside and whose height depends only on
  its own content and width: the layout that calls it has just placed it.  (Not for containers, nor
  for text whose wrapping a scrollbar appearing beside it can change: their second layout is real.)
- The same reactive asks a scroll container for a second layout whenever what it holds changes height,
  though its own size is set by its parent.  ``SteadyScroll`` stores it without: a scrollbar shown or
  hidden by the new height (which narrows the text inside) asks for that layout itself, through
  ``show_vertical_scrollbar``; otherwise the second layout only repainted the pane, two or three times
  after each move to a section longer than the screen.  (The reading pane keeps its scrollbar shown,
  ``overflow-y: scroll``, so its text never rewraps, nor is laid out again, when one section is longer
  than the screen and the next is not.)

A cursor move in a ``Tree`` repaints and redraws every line under the two nodes, because each line's
cached drawing is keyed by the update count of every node on its path and selecting a node bumps it.
``SteadyTree`` keys a drawn line by what it shows and, in a tree without focus (the outline while
``]`` moves with the focus on the district list), repaints only the two nodes' own lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from rich.style import Style
from textual import events
from textual.containers import VerticalScroll
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

NodeData = TypeVar("NodeData")
#: Drawn tree lines kept (every line of a long notice's outline, a few screenfuls of the lists).
_STRIPS_KEPT = 2_000


class SteadyTree(Tree[NodeData]):
    """A ``Tree`` redrawn only for what changed: no scrollbar update when neither its size nor its line
    count changed, no redraw on a resize that keeps its width, its cursor placed without waiting a frame.

    Its scrollbar is always shown: a tree that grows past the screen (the lists, filled once the notices
    are read) would otherwise get narrower by a scrollbar, be laid out again, resized and redrawn whole
    (0.12 s at 10,000 notices, just after the first populated frame, when the first keys come).
    """

    DEFAULT_CSS = """
    SteadyTree { overflow-x: hidden; overflow-y: scroll; }
    """

    _scrollbar_virtual_size: Size | None = None
    _drawn_width: int | None = None
    """The width the lines were last drawn at (labels are cut to it; ``Tree`` keys its line cache by it)."""

    _filling: bool = False
    """True while nodes are added in one go (``filling``): the lines are laid out once, after."""

    @contextmanager
    def filling(self) -> Iterator[None]:
        """Add many nodes: ``Tree`` lays its lines out again and asks for a layout after every one
        (560 nodes for the district list at 10,000 notices); here once, when the block ends.  Nothing in
        the block may read the tree's lines (a cursor or a scroll by node)."""
        self._filling = True
        try:
            yield
        finally:
            self._filling = False
            self._invalidate()

    def _invalidate(self) -> None:
        if not self._filling:
            super()._invalidate()

    def get_label_width(self, node: TreeNode[NodeData]) -> int:
        """No measuring: the labels are cut at the list's edge and it never scrolls sideways
        (``overflow-x: hidden``), so its lines are as wide as it is.  ``Tree`` drew every label once
        more to measure it each time the lines were laid out (40 ms for the lists at 10,000 notices)."""
        return 0

    def move_cursor_now(self, node: TreeNode[NodeData] | None) -> None:
        """Put the cursor on ``node`` at once, even in a tree just filled: its lines are laid out now
        rather than at the next frame (which would draw the tree once without the cursor, then again).

        A tree not laid out yet (no height) is not scrolled: ``Tree.move_cursor`` would scroll the node
        to the top of a viewport of no lines, hiding the lines above it (the first notice's province
        and city) once the tree has its size.  Scroll it to the node after the layout if need be."""
        if node is None:
            self.move_cursor(None)
            return
        self._tree_lines  # noqa: B018  (lays the lines out: a node knows its line only then)
        if self.size.height:
            self.move_cursor(node)
        else:
            self.cursor_line = node._line

    _pass_style: Style | None = None
    """The widget's Rich style while its lines are drawn (``Tree`` looked it up again for every line:
    a walk up every ancestor's styles, a third of the time a line took)."""

    def render_lines(self, crop: Region) -> list[Strip]:
        self._drawn_width = self.size.width
        self._pass_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._pass_style = None

    def render_line(self, y: int) -> Strip:
        style = self._pass_style
        if style is None:
            return super().render_line(y)
        scroll_x, scroll_y = self.scroll_offset
        return self._render_line(y + scroll_y, scroll_x, scroll_x + self.size.width, style)

    # -- a cursor move redraws the lines that changed --------------------------------------------

    _cursor_moving: bool = False
    _strips: dict[tuple[object, ...], Strip] | None = None
    """Drawn lines by what they show (``_render_line``)."""

    def watch_cursor_line(self, previous_line: int, line: int) -> None:
        self._cursor_moving = True
        try:
            super().watch_cursor_line(previous_line, line)
        finally:
            self._cursor_moving = False

    def _refresh_node(self, node: TreeNode[NodeData]) -> None:
        """A cursor moving in a tree without focus changes the two nodes' own lines only: ``Tree``
        repaints every line under them too, for guides that take the selected colour in a focused
        tree alone (every line of the section tree on a move to or from 二, one level down)."""
        if self._cursor_moving and not self.has_focus:
            if node._line >= 0:
                self._refresh_line(node._line)
            return
        super()._refresh_node(node)

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        """``Tree``'s line, drawn again only when something it shows changed.

        ``Tree`` keys its drawn lines by the update count of every node on the line's path, and
        selecting a node counts as an update: every line under a heading the cursor enters or
        leaves was drawn anew, 8–12 ms for a screenful.  Here a line is keyed by what it shows:
        its own node, the hover and (in a focused tree) selection state of the nodes above it, which
        colour its guides, and the tree's own update count, which any change of the lines bumps.
        """
        lines = self._tree_lines
        if y >= len(lines):
            return super()._render_line(y, x1, x2, base_style)
        line = lines[y]
        path = line.path
        key = (
            y,
            x1,
            x2,
            self.size.width,
            self.scrollable_content_region.width,  # the labels are cut to it
            self.virtual_size.width,  # the lines are padded to it
            self._updates,
            self._pseudo_class_state,
            base_style,
            line.node._updates,
            self.cursor_line == y,
            self.hover_line == y,
            self.hover_line >= 0,
            tuple([node._hover for node in path]),
            tuple([node._selected for node in path]) if self.has_focus else None,
        )
        strips = self._strips
        if strips is None or len(strips) > _STRIPS_KEPT:
            strips = self._strips = {}
        strip = strips.get(key)
        if strip is None:
            strip = strips[key] = super()._render_line(y, x1, x2, base_style)
        return strip

    def _on_resize(self, event: events.Resize) -> None:
        """A size whose width the lines were drawn at keeps them as drawn: only the line cache grows.
        (``Tree`` lays out and redraws every line again: at 10,000 notices a second whole redraw of
        both lists right after the first populated frame, which drew them at this size already.)  A
        new width cuts the labels anew, as ``Tree`` does it."""
        if event.size.width == self._drawn_width:
            self._line_cache.grow(event.size.height)
            event.prevent_default()  # not ``Tree._on_resize``

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        unchanged = self.virtual_size == self._scrollbar_virtual_size
        resized = super()._size_updated(
            size, self.virtual_size if unchanged else virtual_size, container_size, layout
        )
        self._scrollbar_virtual_size = self.virtual_size
        return resized


class LaidOutOnce(Widget):
    """A widget whose new virtual size, set by a layout, does not ask for a second layout."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)


class SteadyScroll(VerticalScroll):
    """A ``VerticalScroll`` whose size its parent sets: a new virtual size asks for no layout of its own
    (a scrollbar shown or hidden by it asks for one, through ``show_vertical_scrollbar``)."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)
