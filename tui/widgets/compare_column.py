"""One column of the comparison screen: a notice's section for the current aligned row."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from ...loaders import Notice, Section
from ...themes.contrast import readable_style
from ..cjk import CJKText
from .detail import FIGURES


class CompareColumn(VerticalScroll, can_focus=True):
    """A scrolling column that posts ``Scrolled`` so its neighbours can follow."""

    COMPONENT_CLASSES = {"column--figure", "column--source", "column--missing"}
    """
    | Class | Description |
    | :- | :- |
    | `column--figure` | Dates and figures in the text. |
    | `column--source` | The sentence a ledger figure came from. |
    | `column--missing` | The placeholder of a notice with no matching section. |
    """

    DEFAULT_CSS = """
    CompareColumn { width: 1fr; padding: 0 1; border-right: vkey $panel; }
    CompareColumn:focus { background-tint: $foreground 3%; }
    CompareColumn > .column-head { text-style: bold; color: $primary; }
    CompareColumn > .column-crumb { color: $text-muted; margin-bottom: 1; }
    CompareColumn .column--figure { color: $accent; }
    CompareColumn .column--source { background: $warning 30%; }
    CompareColumn .column--missing { color: $text-muted; text-style: italic; }
    """

    @dataclass
    class Scrolled(Message):
        """The column scrolled (by the user or a key)."""

        column: CompareColumn
        ratio: float
        """Scroll position as a fraction of the scrollable height."""

    def __init__(self, notice: Notice, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.notice = notice
        self.section: Section | None = None
        self.following = False
        """True while the column is being scrolled to follow another one."""

    def compose(self) -> ComposeResult:
        place = self.notice.meta.place
        head = f"{place.city or ''}{place.district or ''} {self.notice.meta.year or ''}"
        yield Static(Text(head.strip()), classes="column-head", markup=False)
        yield Static("", classes="column-crumb", markup=False)
        yield Static("", classes="column-body", markup=False)

    def show(
        self, section: Section | None, *, with_children: bool, source: tuple[int, int] | None = None
    ) -> None:
        """Show a section of this column's notice (None: the notice has nothing here)."""
        self.section = section
        crumb = self.query_one(".column-crumb", Static)
        body = self.query_one(".column-body", Static)
        if section is None:
            crumb.update("")
            missing = self.get_component_rich_style("column--missing")
            body.update(Text("（此通报无对应部分 · nothing matching here）", style=missing))
            return
        crumb.update(Text(f"§ {section.id}"))
        body.update(self._section_renderable(section, with_children, source))
        self.scroll_home(animate=False)

    def _section_renderable(
        self, section: Section, with_children: bool, source: tuple[int, int] | None
    ) -> RenderableType:
        _, background = self.background_colors
        foreground = self.styles.color if self.styles.color.a else background.get_contrast_text()
        figure = readable_style(self.get_component_rich_style("column--figure"), foreground, background)
        mark = readable_style(self.get_component_rich_style("column--source"), foreground, background)
        parts: list[RenderableType] = []
        sections = list(section.walk()) if with_children else [section]
        for node in sections:
            for paragraph in node.paragraphs:
                text = Text(paragraph.text)
                text.highlight_regex(FIGURES, figure)
                if paragraph.is_heading:
                    text.stylize("bold", 0, len(node.number) + len(node.title))
                if source is not None and paragraph.start <= source[0] < paragraph.end:
                    text.stylize(mark, source[0] - paragraph.start, source[1] - paragraph.start)
                parts.append(CJKText(text))
                parts.append(Text(""))
        return Group(*parts)

    def scroll_to_source(self, source: tuple[int, int]) -> None:
        """Scroll so the paragraph holding ``source`` is near the top."""
        if self.section is None:
            return
        before = 0
        for node in self.section.walk():
            for paragraph in node.paragraphs:
                if paragraph.start <= source[0] < paragraph.end:
                    width = max(10, self.scrollable_content_region.width)
                    self.scroll_to(y=max(0, before - 1), animate=False)
                    return
                width = max(10, self.scrollable_content_region.width)
                before += 1 + max(1, (len(paragraph.text) * 2) // width + 1)

    def follow(self, ratio: float) -> None:
        """Scroll to the same relative position as the column being read."""
        self.following = True
        self.scroll_to(y=round(ratio * self.max_scroll_y), animate=False)
        self.call_after_refresh(self._stop_following)

    def _stop_following(self) -> None:
        self.following = False

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if not self.following and self.max_scroll_y > 0 and self.has_focus:
            self.post_message(self.Scrolled(self, new / self.max_scroll_y))
