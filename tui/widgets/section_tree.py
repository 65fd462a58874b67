"""The section tree: a notice's outline with its numbering, marks for bookmarks and notes."""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ...loaders import Notice, Section
from ..messages import SectionChosen
from .steady import SteadyTree

BOOKMARK_MARK = "★"
NOTE_MARK = "✎"


class SectionTree(SteadyTree[str]):
    """Outline of the chosen notice; node data is the section id."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="sections.down", tooltip="Move down"),
        Binding("k", "cursor_up", "Up", show=False, id="sections.up", tooltip="Move up"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        self.notice: Notice | None = None
        self._bookmarked: set[str] = set()
        self._noted: set[str] = set()
        self._section_nodes: dict[str, TreeNode[str]] = {}
        super().__init__("提纲", id=id)
        self.show_root = False
        self.guide_depth = 2

    def show_notice(self, notice: Notice, section_id: str | None = None) -> None:
        """Show a notice's outline with the cursor on ``section_id`` (or the first section)."""
        self.notice = notice
        self.clear()
        self._section_nodes = {}
        with self.filling():
            for section in notice.sections:
                self._add(self.root, section)
            self.root.expand_all()
        target = section_id or (notice.sections[0].id if notice.sections else None)
        self.select_section(target)
        self.call_after_refresh(self.select_section, target)  # scrolled to once the tree has its size

    def set_marks(self, bookmarked: set[str], noted: set[str]) -> None:
        """Mark sections that carry a bookmark or a note (the same marks again redraw nothing)."""
        if (bookmarked, noted) == (self._bookmarked, self._noted):
            return
        self._bookmarked, self._noted = bookmarked, noted
        self._invalidate()
        self.refresh()

    def select_section(self, section_id: str | None) -> None:
        """Move the cursor to a section without announcing it."""
        node = self._section_nodes.get(section_id or "")
        if node is not None:
            self.move_cursor_now(node)
            self.scroll_to_node(node, animate=False)

    def _add(self, parent: TreeNode[str], section: Section) -> None:
        label = Text(f"{section.number}{section.title}")
        if section.children:
            node = parent.add(label, data=section.id, expand=True)
            for child in section.children:
                self._add(node, child)
        else:
            node = parent.add_leaf(label, data=section.id)
        self._section_nodes[section.id] = node

    def label_of(self, section_id: str) -> str | None:
        """The text the tree shows for a section (number, title and its ★/✎ marks), if it is shown."""
        node = self._section_nodes.get(section_id)
        return None if node is None else self.render_label(node, self.rich_style, self.rich_style).plain

    def render_label(self, node: TreeNode[str], base_style: Style, style: Style) -> Text:
        """The label cut to the pane width by display cells, with bookmark/note marks."""
        label = node.label.copy() if isinstance(node.label, Text) else Text(str(node.label))
        label.stylize(style)
        marks = ""
        if node.data in self._bookmarked:
            marks += BOOKMARK_MARK
        if node.data in self._noted:
            marks += NOTE_MARK
        depth = 0
        parent = node.parent
        while parent is not None and parent is not self.root:
            depth += 1
            parent = parent.parent
        room = self.scrollable_content_region.width - (depth + 1) * self.guide_depth - 2 - cell_len(marks)
        if room > 4 and label.cell_len > room:
            label.truncate(room, overflow="ellipsis")
        if marks:
            label.append(" " + marks, style="bold")
        return label

    @on(Tree.NodeSelected)
    def _chosen(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        if self.notice is not None and event.node.data:
            self.post_message(SectionChosen(self.notice.id, event.node.data, open=True))

    @on(Tree.NodeHighlighted)
    def _previewed(self, event: Tree.NodeHighlighted[str]) -> None:
        event.stop()
        if self.notice is not None and event.node.data and self.has_focus:
            self.post_message(SectionChosen(self.notice.id, event.node.data, open=False))
