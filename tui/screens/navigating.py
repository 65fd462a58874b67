"""Back/forward history and the status line for the reader screen (a mixin: the screen owns both)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...loaders import Corpus, Notice, Section
from ...loaders.cite import section_label
from ..history import History, Location
from ..widgets.detail import DetailPane
from ..widgets.status_line import ReadingStatus, StatusLine

if TYPE_CHECKING:
    from textual.screen import Screen

    _Base = Screen[None]
else:
    _Base = object


class NavigatingMixin(_Base):
    """``ctrl+o``/``ctrl+i`` (and ``alt+←/→``) through every place read; the status line."""

    corpus: Corpus | None
    notice: Notice | None
    section: Section | None

    history: History[Location]
    search_locations: list[Location]
    """The sections a search found, in reading order (``f3`` continues through them)."""

    def open_notice(self, notice: Notice, section_id: str | None = None) -> None:
        """Show a notice at a section."""
        raise NotImplementedError

    def reveal_notice(self, notice_id: str) -> None:
        """Point the district list at a notice."""
        raise NotImplementedError

    def record_visit(self, jump: bool) -> None:
        """Remember the current section: a new step for a jump, else in place of the current step."""
        if self.notice is None or self.section is None or getattr(self, "_travelling", False):
            return
        location = Location(self.notice.id, self.section.id)
        current = self.history.current
        if jump or current is None or current.notice_id != location.notice_id:
            self.history.add(location)
        else:
            self.history.replace(location)

    def _travel(self, location: Location | None) -> None:
        if location is None:
            self.notify("历史已到尽头 · no further history", timeout=2, markup=False)
            return
        notice = self.corpus.get(location.notice_id) if self.corpus else None
        if notice is None:
            return
        self._travelling = True
        try:
            self.open_notice(notice, location.section_id)
            self.reveal_notice(notice.id)
        finally:
            self._travelling = False
        self.update_status()

    def action_history_back(self) -> None:
        """Back to the place read before."""
        self._travel(self.history.back())

    def action_history_forward(self) -> None:
        """Forward again after going back."""
        self._travel(self.history.forward())

    def search_position(self) -> tuple[int, int] | None:
        """(i, n) of the current section among the search's sections, when it is one of them."""
        if not self.search_locations or self.notice is None or self.section is None:
            return None
        here = Location(self.notice.id, self.section.id)
        if here not in self.search_locations:
            return None
        return self.search_locations.index(here) + 1, len(self.search_locations)

    def update_status(self) -> None:
        """Redraw the status line from the reading pane's position."""
        if not self.is_mounted:
            return
        detail = self.query_one(DetailPane)
        index = self._notice_number()
        top = detail.section_at_top()
        path = ""
        if self.notice is not None:
            place = f"{self.notice.city or ''}{self.notice.district or ''}" or self.notice.title
            path = place + (" › " + _path(self.notice, top) if top is not None else "")
        self.query_one(StatusLine).show(
            ReadingStatus(
                index,
                len(self.corpus) if self.corpus else 0,
                path,
                detail.scroll_percent,
                self.search_position(),
                self.history.can_go_back,
                self.history.can_go_forward,
                self.has_class("-hide-lists"),
            )
        )

    def _notice_number(self) -> int:
        """1-based position of the open notice (0: none); the positions are counted once per corpus."""
        if self.notice is None or self.corpus is None:
            return 0
        cached = getattr(self, "_notice_numbers", None)
        if cached is None or cached[0] is not self.corpus:
            cached = (self.corpus, {notice_id: i for i, notice_id in enumerate(self.corpus.column("id"), 1)})
            self._notice_numbers = cached
        return cached[1].get(self.notice.id, 0)

    def on_detail_pane_moved(self, _: DetailPane.Moved) -> None:
        """The text scrolled: the status line follows (by name: ``@on`` is not seen on a mixin)."""
        self.update_status()


def _path(notice: Notice, section: Section) -> str:
    """``三 › (二)`` for section ``三/(二)``: every level's label."""
    labels: list[str] = []
    node_id = ""
    for part in section.id.split("/"):
        node_id = f"{node_id}/{part}" if node_id else part
        node = notice.section(node_id)
        if node is not None:
            labels.append(section_label(node))
    return " › ".join(labels)
