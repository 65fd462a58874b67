"""An option list for thousands of entries: it lays out a page of them at a time.

``OptionList`` lays out every option it holds (wrapping each prompt to measure its height: about 0.1 ms
an option), so a list of 10,000 notes took 0.8 s each time its filter changed.  ``PagedOptions`` keeps
the entries in a list of its owner's and adds their options a page at a time: the next page when the
highlight or the scroll comes near the last option added (``j``, ``page down``, ``end``, the wheel).
Option ``n`` is always entry ``n``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.widgets import OptionList
from textual.widgets.option_list import Option

#: Options added at a time, and how near the last one the highlight or the scroll brings the next page.
PAGE = 200
NEAR = 30


class PagedOptions(OptionList):
    """An ``OptionList`` showing ``entries`` (a sequence its owner may append to), a page at a time."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: Sequence[Any] = ()
        self._make: Callable[[Any], Option] = Option

    def show(self, entries: Sequence[Any], make: Callable[[Any], Option]) -> None:
        """Show ``entries`` from the first (``make`` makes an entry's option), the highlight on it."""
        self.entries, self._make = entries, make
        self.clear_options()
        self.grown()  # the first page, the highlight on its first option

    def grown(self) -> None:
        """``entries`` grew at its end: fill the first page if it is not full yet."""
        had = self.option_count
        if had < PAGE:
            self._add(PAGE - had)
            if had == 0 and self.option_count:
                self.highlighted = 0

    @property
    def unlisted(self) -> int:
        """Entries not added as options yet."""
        return len(self.entries) - self.option_count

    def _add(self, count: int) -> None:
        start = self.option_count
        more = self.entries[start : start + count]
        if more:
            self.add_options(self._make(entry) for entry in more)

    def _near_end(self) -> None:
        if self.unlisted > 0:
            self._add(PAGE)

    def watch_highlighted(self, highlighted: int | None) -> None:
        """The highlight moved: add the next page when it is near the last option."""
        super().watch_highlighted(highlighted)
        if highlighted is not None and highlighted >= self.option_count - NEAR:
            self._near_end()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Scrolled: add the next page when the bottom is near."""
        super().watch_scroll_y(old_value, new_value)
        if new_value >= self.max_scroll_y - NEAR:
            self._near_end()

    def action_last(self) -> None:
        """``end``: every entry is added, then the highlight goes to the last."""
        self._add(self.unlisted)
        super().action_last()
