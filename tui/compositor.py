"""A screen update that draws only the rows each widget has changed.

Textual's partial update (``Compositor.render_partial_update``) draws every widget that overlaps the
bounding box of all changed regions, each in full.  A section move changes two lines of the outline
on the left, the reading text and breadcrumb on the right and the status line along the bottom: the
box is the whole screen, so both lists (every line, and their scrollbars) were drawn and cut into
pieces again only for those pieces to be thrown away (1–3 ms of a move at 10,000 notices, headless).

``RowCompositor`` draws a widget only if it overlaps a changed region, and then only the rows where it
does (across its full width, so the pieces are cut at the same places as before).  What reaches the
terminal is unchanged: Textual writes only the spans of the changed regions, and every cell of those
belongs to a widget drawn here.  (Textual is pinned to one version in ``pyproject.toml``;
``tests/test_tui_move_work.py`` checks that moves, scrolling and a search write the same bytes to the
terminal as Textual's own partial update.)
"""

from __future__ import annotations

from collections.abc import Iterable

from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip


class RowCompositor(Compositor):
    """A ``Compositor`` whose partial updates draw the changed rows of the changed widgets only."""

    _changed: list[Region] | None = None
    """The regions of the partial update being drawn (``None`` outside one: a full redraw)."""

    def render_partial_update(self) -> ChopsUpdate | None:
        self._changed = list(self._dirty_regions)
        try:
            return super().render_partial_update()
        finally:
            self._changed = None

    def _get_renders(self, crop: Region | None = None) -> Iterable[tuple[Region, Region, list[Strip]]]:
        changed = self._changed
        if changed is None:
            yield from super()._get_renders(crop)
            return
        for widget, (region, clip) in self.visible_widgets.items():
            shown = region.intersection(clip)
            top = bottom = -1
            for area in changed:
                overlap = shown.intersection(area)
                if overlap.area:
                    top = overlap.y if top < 0 else min(top, overlap.y)
                    bottom = max(bottom, overlap.bottom)
            if top < 0:
                continue  # nothing of it changed, and nothing of it is written
            rows = Region(shown.x, top, shown.width, bottom - top)
            yield rows, rows, widget.render_lines(rows.translate(-region.offset))
