"""The detail pane: breadcrumb, the notice's metadata, and the section's text with its notes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Offset
from textual.message import Message
from textual.widgets import Static

from ...loaders import Notice, Section
from ...themes.contrast import readable_style
from ..cjk import CJKText
from .reading_text import ReadingText, block_lines
from .steady import SteadyScroll

#: Dates and counted figures, subtly highlighted in the text.
FIGURES = re.compile(
    r"(?:(?:19|20)\d{2}\s*年)?\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?|(?:19|20)\d{2}\s*年"
    r"|\d[\d,，.．]*\s*(?:万|亿)?(?:余|多)?\s*(?:个|件|人|条|项|次|家|户|名|元|%|％|批|宗|起|所|台|场|篇|轮|套|处|份|亩|平方米|公里)"
)


@dataclass(frozen=True, slots=True)
class NoteMark:
    """A note to show beside the passage it quotes."""

    text: str
    quote: str = ""
    tags: tuple[str, ...] = ()
    detached: bool = False


@dataclass(frozen=True, slots=True)
class CodeMark:
    """A code on a passage, shown in the margin beside the paragraph that holds it."""

    label: str
    colour: str
    quote: str
    start: int
    """Where the coded passage starts in ``Notice.body``."""
    end: int


@lru_cache(maxsize=8192)
def figure_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where ``FIGURES`` matches in a paragraph, remembered: a section shows every section under it,
    so moving into them finds nothing again."""
    return tuple(match.span() for match in FIGURES.finditer(text) if match.end() > match.start())


@dataclass(slots=True)
class SectionView:
    """Everything the detail pane shows for one section."""

    notice: Notice
    section: Section
    notes: dict[str, list[NoteMark]] = field(default_factory=dict)
    """Notes by section id (the section and its descendants)."""
    bookmarked: bool = False
    terms: tuple[str, ...] = ()
    """Search terms to highlight (and to step through with f3)."""
    keywords: tuple[str, ...] = ()
    """The notice's distinctive words (TF-IDF against the loaded corpus), once computed."""
    codes: dict[str, list[CodeMark]] = field(default_factory=dict)
    """Coded passages by section id."""


class DetailPane(SteadyScroll, can_focus=True):
    """Reading pane for the chosen section and everything under it."""

    COMPONENT_CLASSES = {
        "detail--figure",
        "detail--heading",
        "detail--note",
        "detail--quote",
        "detail--meta-label",
        "detail--crumb",
        "detail--hit",
    }
    """
    | Class | Description |
    | :- | :- |
    | `detail--figure` | Dates and counted figures in the text. |
    | `detail--heading` | A section's heading paragraph. |
    | `detail--note` | A note shown under the passage it quotes. |
    | `detail--quote` | The passage a note quotes. |
    | `detail--meta-label` | Labels of the metadata block. |
    | `detail--crumb` | The breadcrumb line. |
    | `detail--hit` | A search hit. |
    """

    DEFAULT_CSS = """
    DetailPane { padding: 0 2; overflow-y: scroll; }
    DetailPane > Static { width: 1fr; max-width: 90; }
    DetailPane > ReadingText { max-width: 90; }
    DetailPane > #detail-crumb { margin: 1 0 0 0; }
    DetailPane > #detail-meta { margin: 1 0 0 0; }
    DetailPane > #detail-body { margin: 1 0 1 0; }
    DetailPane .detail--figure { color: $accent; }
    DetailPane .detail--heading { text-style: bold; }
    DetailPane .detail--note { color: $text-warning; }
    DetailPane .detail--quote { text-style: underline; }
    DetailPane .detail--meta-label { color: $text-muted; }
    DetailPane .detail--crumb { color: $text-muted; }
    DetailPane .detail--hit { background: $warning 45%; text-style: bold; }
    """

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False, id="detail.down", tooltip="Scroll down"),
        Binding("k", "scroll_up", "Up", show=False, id="detail.up", tooltip="Scroll up"),
        Binding("shift+right", "extend('char', 1)", "Select →", show=False, id="detail.select_char",
                tooltip="Select: extend by a character"),
        Binding("shift+left", "extend('char', -1)", "Select ←", show=False, id="detail.unselect_char",
                tooltip="Select: back by a character"),
        Binding("shift+down", "extend('sentence', 1)", "Select sentence", show=False,
                id="detail.select_sentence", tooltip="Select: extend by a sentence"),
        Binding("shift+up", "extend('sentence', -1)", "Unselect sentence", show=False,
                id="detail.unselect_sentence", tooltip="Select: back by a sentence"),
        Binding("right_curly_bracket", "extend('paragraph', 1)", "Select ¶", show=False,
                id="detail.select_paragraph", tooltip="Select: extend to the paragraph's end"),
        Binding("left_curly_bracket", "extend('paragraph', -1)", "Unselect ¶", show=False,
                id="detail.unselect_paragraph", tooltip="Select: back to the paragraph's start"),
        Binding("escape", "clear_selection", "Unselect", show=False, id="detail.unselect",
                tooltip="Clear the selection"),
    ]  # fmt: skip

    class Moved(Message):
        """The pane scrolled or stepped to a hit (the status line follows)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._current_block_section: Section | None = None
        self.current_view: SectionView | None = None
        self._layout: list[tuple[str, int, bool]] = []
        """(plain text, indent, holds a search hit) of each rendered block, for stepping through hits."""
        self._block_sections: list[Section | None] = []
        """The section each rendered block belongs to (for the pinned section path)."""
        self._anchor: Offset | None = None
        """Where the keyboard selection started (its other end moves)."""
        self.hit_index: int | None = None
        """Which of the pane's hits was stepped to last (None: none yet)."""

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-crumb", markup=False)
        yield Static("", id="detail-meta", markup=False)
        body = ReadingText(id="detail-body")
        body.blocks = [(Text("← 选择一个地区开始阅读 · choose a district to start reading", style="dim"), 0)]
        yield body

    def show(self, view: SectionView) -> None:
        """Render a section (and its descendants) with its notes."""
        self.current_view = view
        notice, section = view.notice, view.section
        crumb = Text(_crumb(notice, section), style=self.get_component_rich_style("detail--crumb"))
        if view.bookmarked:
            crumb.append("  ★", style="bold")
        self.query_one("#detail-crumb", Static).update(crumb)
        meta = self.query_one("#detail-meta", Static)
        first = notice.sections[0].id if notice.sections else None
        meta.display = section.id == first
        if meta.display:
            meta.update(self._meta(notice, view.keywords))
        self.query_one(ReadingText).set_blocks(self._body(view))
        self._anchor = None
        self.scroll_home(animate=False)

    def work_ahead(self, notice: Notice) -> Iterator[None]:
        """Steps (one paragraph each) that wrap every paragraph of ``notice`` at the text's width now and
        find its figures, as showing it will (both remember: a section shown later finds them done)."""
        width = self.query_one(ReadingText).size.width
        if width <= 0:
            return
        for section in notice.walk():
            for paragraph in section.paragraphs:
                figure_spans(paragraph.text)
                block_lines(paragraph.text, width)  # as ``_body`` adds it: no indent
                yield

    def _meta(self, notice: Notice, keywords: tuple[str, ...]) -> RenderableType:
        label_style = self.get_component_rich_style("detail--meta-label")
        m = notice.meta
        table = Table.grid(padding=(0, 2))
        table.add_column(style=label_style, no_wrap=True)
        table.add_column()
        title = Text(m.title, style="bold")
        if m.title_derived:
            title.append("（标题据正文推断）", style=label_style)
        period = " 至 ".join(d for d in (m.inspection_start, m.inspection_end) if d)
        rows = [
            ("巡视组 team", m.team),
            ("轮次 round", m.round),
            ("类型 kinds", "、".join(m.kinds) if m.kinds else None),
            ("巡视期间 period", period or None),
            ("反馈 feedback", m.feedback_date),
            ("发布 published", m.publication_date),
            ("来源 source", m.source),
            ("网址 url", m.source_url),
            (
                "文件日期 file dated",
                " / ".join(d[:10] for d in (m.file_created, m.file_modified) if d) or None,
            ),
            ("落款 signed", m.signature_date),
            ("关键词 keywords", "、".join(keywords) if keywords else None),
        ]
        for label, value in rows:
            if value:
                table.add_row(label, Text(value))
        return Group(CJKText(title), Text(""), table)  # kinsoku: no （ left at a line's end

    def readable_component_style(self, name: str) -> Style:
        """A component's style with its text at WCAG contrast ≥ 4.5 on the pane, whatever the theme."""
        _, background = self.background_colors
        foreground = self.styles.color if self.styles.color.a else background.get_contrast_text()
        return readable_style(self.get_component_rich_style(name), foreground, background)

    def _body(self, view: SectionView) -> list[tuple[Text, int]]:
        figure = self.readable_component_style("detail--figure")
        heading = self.get_component_rich_style("detail--heading")
        note_style = self.readable_component_style("detail--note")
        quote_style = self.readable_component_style("detail--quote")
        hit_style = self.readable_component_style("detail--hit")
        parts: list[tuple[Text, int]] = []
        self._layout = []
        self._block_sections = []
        self.hit_index = None
        terms = [t for t in view.terms if t]
        for section in view.section.walk():
            self._current_block_section = section
            notes = list(view.notes.get(section.id, []))
            for paragraph in section.paragraphs:
                text = Text(paragraph.text)
                for start, end in figure_spans(paragraph.text):
                    text.stylize(figure, start, end)
                if paragraph.is_heading:
                    text.stylize(heading, 0, len(section.number) + len(section.title) + 1)
                here = [n for n in notes if n.quote and n.quote in paragraph.text]
                for note in here:
                    start = paragraph.text.find(note.quote)
                    text.stylize(quote_style, start, start + len(note.quote))
                hit = False
                for term in terms:
                    hit = bool(text.highlight_words([term], hit_style)) or hit
                self._add(parts, text, 0, hit)
                margin = _code_margin(view.codes.get(section.id, ()), paragraph.start, paragraph.end)
                if margin is not None:
                    self._add(parts, margin, 2, False)
                for note in here:
                    self._add(parts, _note_text(note, note_style), 2, False)
                    notes.remove(note)
                self._add(parts, Text(""), 0, False)
            for note in notes:  # whole-section notes and notes whose passage is gone
                self._add(parts, _note_text(note, note_style), 2, False)
                self._add(parts, Text(""), 0, False)
        return parts

    def _add(self, parts: list[tuple[Text, int]], text: Text, indent: int, hit: bool) -> None:
        parts.append((text, indent))
        self._layout.append((text.plain, indent, hit))
        self._block_sections.append(self._current_block_section)

    def block_lines(self) -> list[int]:
        """The scroll offset (line) of every rendered block."""
        body = self.query_one(ReadingText)
        top = body.virtual_region.y
        return [top + body.first_line_of(number) for number in range(len(self._layout))]

    def hit_lines(self) -> list[int]:
        """The scroll offsets (lines) of the paragraphs that hold a search hit."""
        return [y for y, (_, _, hit) in zip(self.block_lines(), self._layout, strict=True) if hit]

    def section_at_top(self) -> Section | None:
        """The (sub)section whose text is at the top of the pane (the path the status line pins)."""
        if self.current_view is None:
            return None
        top = round(self.scroll_y)
        lines = self.block_lines()
        index = max(0, sum(1 for y in lines if y <= top) - 1)
        if index + 1 < len(lines) and not self._layout[index][0]:
            index += 1  # a blank line at the very top belongs to what follows it
        found = self._block_sections[index] if index < len(self._block_sections) else None
        return found or self.current_view.section

    @property
    def scroll_percent(self) -> int:
        """How far down the pane is scrolled, 0–100 (100 when it all fits)."""
        return 100 if self.max_scroll_y <= 0 else round(100 * self.scroll_y / self.max_scroll_y)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if round(old) != round(new):
            self.post_message(self.Moved())

    # -- keyboard selection --------------------------------------------------------------------

    def action_extend(self, unit: str, delta: int) -> None:
        """Extend (or shrink) the selection's moving end by a character, sentence or paragraph.

        With nothing selected, the selection starts at the first paragraph at the top of the pane.
        """
        body = self.query_one(ReadingText)
        texts = [text.plain for text, _ in body.blocks]
        if not any(texts):
            return
        selection = body.text_selection
        if selection is not None and selection.start is not None and selection.end is not None:
            keyboard = self._anchor == selection.end
            anchor, caret = (selection.end, selection.start) if keyboard else (selection.start, selection.end)
        else:
            block = body.block_at_line(round(self.scroll_y) - body.virtual_region.y)
            while block < len(texts) - 1 and not texts[block]:
                block += 1
            anchor = caret = Offset(0, block)
        caret = move_caret(texts, caret, unit, delta)
        self._anchor = anchor
        body.select(anchor, caret)

    def action_clear_selection(self) -> None:
        """Clear the selection (escape)."""
        self._anchor = None
        self.screen.clear_selection()

    def step_hit(self, delta: int) -> bool:
        """Scroll to the next (``delta=1``) or previous search hit; False past the first or last."""
        lines = self.hit_lines()
        if not lines:
            return False
        index = (0 if delta > 0 else len(lines) - 1) if self.hit_index is None else self.hit_index + delta
        if not 0 <= index < len(lines):
            return False
        self.hit_index = index
        self.scroll_to(y=max(0, lines[index] - 1), animate=False)
        self.post_message(self.Moved())
        return True


def _code_margin(codes: Iterable[CodeMark], start: int, end: int) -> Text | None:
    """``▎问题类型 › 形式主义 ▎…`` for the codes of the passages that start in a paragraph."""
    here = [c for c in codes if start <= c.start <= end]
    if not here:
        return None
    margin = Text()
    for code in dict.fromkeys((c.label, c.colour) for c in here):
        margin.append("▎", style=code[1])
        margin.append(code[0] + "  ", style="italic")
    return margin


#: Characters that end a sentence (the selection's sentence step stops after them).
SENTENCE_ENDS = frozenset("。！？；!?;")


def move_caret(texts: list[str], caret: Offset, unit: str, delta: int) -> Offset:
    """Move a ``(character, block)`` caret through ``texts`` by a character, sentence or paragraph."""
    x, block = caret.x, caret.y
    text = texts[block]
    if unit == "char":
        x += delta
        if x > len(text) and block + 1 < len(texts):
            block = _next_text(texts, block, 1)
            x = 1 if texts[block] else 0
        elif x < 0 and block > 0:
            block = _next_text(texts, block, -1)
            x = len(texts[block])
        return Offset(max(0, min(x, len(texts[block]))), block)
    if unit == "sentence":
        if delta > 0:
            if x >= len(text) and block + 1 < len(texts):
                block, x, text = _next_text(texts, block, 1), 0, texts[_next_text(texts, block, 1)]
            ends = [i + 1 for i, ch in enumerate(text) if ch in SENTENCE_ENDS and i + 1 > x]
            return Offset(ends[0] if ends else len(text), block)
        if x == 0 and block > 0:
            block = _next_text(texts, block, -1)
            return Offset(len(texts[block]), block)
        starts = [i + 1 for i, ch in enumerate(text) if ch in SENTENCE_ENDS and i + 1 < x]
        return Offset(starts[-1] if starts else 0, block)
    # paragraph
    if delta > 0:
        if x >= len(text) and block + 1 < len(texts):
            block = _next_text(texts, block, 1)
        return Offset(len(texts[block]), block)
    if x == 0 and block > 0:
        block = _next_text(texts, block, -1)
    return Offset(0, block)


def _next_text(texts: list[str], block: int, step: int) -> int:
    """The next block in direction ``step`` that holds text (or the last one tried)."""
    index = block + step
    while 0 <= index + step < len(texts) and not texts[index]:
        index += step
    return max(0, min(index, len(texts) - 1))


def _crumb(notice: Notice, section: Section) -> str:
    names = [notice.district or notice.title]
    path: list[str] = []
    node_id = ""
    for part in section.id.split("/"):
        node_id = f"{node_id}/{part}" if node_id else part
        node = notice.section(node_id)
        if node is not None:
            path.append(f"{node.number}{node.title}" if node.number else node.title)
    return " › ".join(names + path)


#: A note longer than this shows its opening and how much more there is (the note list and ``e`` open
#: the whole text): wrapping megabytes on every section move would freeze the reader.
NOTE_PREVIEW_CHARS = 2000


def _note_text(note: NoteMark, style: Style) -> Text:
    text = Text("✎ ", style="bold")
    if note.detached:
        text.append("（已脱离原文 detached）", style="bold")
        if note.quote:
            text.append(f"「{_preview(note.quote, 200)}」 ")
    text.append(_preview(note.text, NOTE_PREVIEW_CHARS))  # its #tags are in the text already
    text.stylize(style)
    return text


def _preview(text: str, limit: int) -> str:
    """``text``, or its first ``limit`` characters and a count of the rest."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… (+{len(text) - limit:,} 字 chars: N 笔记列表 note list, e 编辑 edit)"
