"""The reader's status line: notice i/N, the section path at the top of the text, scroll %, hit i/n."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static


@dataclass(frozen=True, slots=True)
class ReadingStatus:
    """What the status line shows (the screen computes it; the line only draws it)."""

    notice_index: int
    """1-based position of the notice among the loaded ones (0: none open)."""
    notice_count: int
    path: str
    """The section path of the text at the top of the reading pane."""
    percent: int
    hit: tuple[int, int] | None = None
    """(i, n) of the search hits, when a search is being stepped through."""
    back: bool = False
    """History has a step back (ctrl+o)."""
    forward: bool = False
    """History has a step forward (alt+→)."""
    hidden_lists: bool = False
    """The district list and outline are hidden (ctrl+b shows them)."""


class StatusLine(Static):
    """One line under the panes; the section path is cut first when the terminal is narrow."""

    COMPONENT_CLASSES = {"status--dim"}
    """
    | Class | Description |
    | :- | :- |
    | `status--dim` | Counts and hints beside the section path. |
    """

    DEFAULT_CSS = """
    StatusLine { height: 1; width: 1fr; padding: 0 1; background: $panel; color: $foreground; }
    StatusLine .status--dim { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.status: ReadingStatus | None = None

    def show(self, status: ReadingStatus) -> None:
        """Draw ``status`` (nothing is redrawn when it did not change)."""
        if status == self.status:
            return
        self.status = status
        self.update(self.render_status(status), layout=False)  # one line, the screen's width: no layout

    def render_status(self, status: ReadingStatus) -> Text:
        """The line as styled text: fixed counts first, then the path (cut at the right)."""
        dim = self.get_component_rich_style("status--dim", partial=True)
        line = Text(no_wrap=True, overflow="ellipsis")
        if status.notice_count:
            line.append(f"{status.notice_index}/{status.notice_count} 篇", style=dim)
        line.append(f"  {status.percent:>3}%", style=dim)
        if status.hit is not None:
            line.append(f"  命中 hit {status.hit[0]}/{status.hit[1]}", style="bold")
        arrows = ("◀" if status.back else " ") + ("▶" if status.forward else " ")
        if status.back or status.forward:
            line.append(f"  {arrows}", style=dim)
        if status.hidden_lists:
            line.append("  ctrl+b 显示列表 lists", style=dim)
        line.append("  " + status.path)
        return line
