"""A data table for thousands of rows: it adds a page of them at a time.

``DataTable`` measures every row it holds (each cell's width) on the first refresh after they are added:
20,000 coded segments in the quote table held the UI thread for 1.5 s once placed, and as long again
whenever the filter changed.  ``PagedTable`` keeps the entries in a sequence of its owner's and adds
their rows a page at a time: the next page when the cursor or the scroll comes near the last row added
(``down``, ``page down``, the wheel), all of them for ``ctrl+end``.  Row ``n`` is always entry ``n``
(its key is ``str(n)``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from textual.coordinate import Coordinate
from textual.widgets import DataTable

#: Rows added at a time, and how near the last one the cursor or the scroll brings the next page.
PAGE = 200
NEAR = 30


class PagedTable(DataTable[Any]):
    """A ``DataTable`` showing ``entries``, a page at a time (``make`` gives an entry's cells)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.entries: Sequence[Any] = ()
        self._make: Callable[[Any], Iterable[Any]] = tuple
        self._adding = False
        """True while rows are added or cleared (either moves the cursor, which must not add more)."""

    def show(self, entries: Sequence[Any], make: Callable[[Any], Iterable[Any]]) -> None:
        """Show ``entries`` from the first, the cursor on it (the columns stay)."""
        self._adding = True  # clearing moves the cursor too
        try:
            self.clear()
        finally:
            self._adding = False
        self.entries, self._make = entries, make
        self._add(PAGE)

    @property
    def unlisted(self) -> int:
        """Entries not added as rows yet."""
        return len(self.entries) - self.row_count

    def _add(self, count: int) -> None:
        start = self.row_count
        self._adding = True
        try:
            for index, entry in enumerate(self.entries[start : start + count], start):
                self.add_row(*self._make(entry), key=str(index))
        finally:
            self._adding = False

    def _near_end(self) -> None:
        if self.unlisted > 0 and not self._adding:
            self._add(PAGE)

    def watch_cursor_coordinate(self, old_coordinate: Coordinate, new_coordinate: Coordinate) -> None:
        """The cursor moved: add the next page when it is near the last row."""
        super().watch_cursor_coordinate(old_coordinate, new_coordinate)
        if new_coordinate.row >= self.row_count - NEAR:
            self._near_end()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Scrolled: add the next page when the bottom is near."""
        super().watch_scroll_y(old_value, new_value)
        if self.max_scroll_y > 0 and new_value >= self.max_scroll_y - NEAR:  # not before the layout
            self._near_end()

    def action_scroll_bottom(self) -> None:
        """``ctrl+end``: every entry is added, then the cursor goes to the last."""
        self._add(self.unlisted)
        super().action_scroll_bottom()
