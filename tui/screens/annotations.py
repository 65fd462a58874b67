"""The bookmark and note lists (``B`` / ``N``): jump on ``enter``, delete, edit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


@dataclass(frozen=True, slots=True)
class AnnotationItem:
    """One row of the list, prepared by the screen that owns the store."""

    record_id: str
    notice_id: str
    section_id: str | None
    """Where it attaches now (None when detached)."""
    place: str
    section_label: str
    text: str
    detached: bool = False


@dataclass(frozen=True, slots=True)
class AnnotationAction:
    """What the user chose to do with an item."""

    action: Literal["jump", "delete", "edit"]
    item: AnnotationItem


class AnnotationList(ModalScreen[AnnotationAction | None]):
    """A list of bookmarks or notes."""

    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Close", id="list.close", tooltip="Close the list"),
        Binding(
            "d,delete", "choose('delete')", "Delete", id="list.delete", tooltip="Delete the highlighted item"
        ),
        Binding("e", "choose('edit')", "Edit", id="list.edit", tooltip="Edit the highlighted note"),
        Binding("j", "cursor(1)", "Down", show=False, id="list.down", tooltip="Move down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="list.up", tooltip="Move up"),
    ]

    DEFAULT_CSS = """
    AnnotationList { align: center middle; }
    AnnotationList > Vertical {
        width: 100; max-width: 95%; height: 80%; border: round $primary; background: $surface; padding: 0 1;
    }
    AnnotationList .title { text-style: bold; padding: 0 1; }
    AnnotationList .hint { color: $text-muted; padding: 0 1; }
    AnnotationList OptionList { height: 1fr; }
    """

    def __init__(self, title: str, items: list[AnnotationItem], *, editable: bool) -> None:
        super().__init__()
        self.title_text = title
        self.items = items
        self.editable = editable

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"{self.title_text} ({len(self.items)})", classes="title", markup=False)
            hint = (
                "enter 跳转 jump · d 删除 delete"
                + (" · e 编辑 edit" if self.editable else "")
                + " · esc 关闭"
            )
            yield Label(hint, classes="hint", markup=False)
            yield OptionList(*(self._option(i) for i in self.items), id="annotations")

    def _option(self, item: AnnotationItem) -> Option:
        label = Text(item.place, style="bold")
        label.append("  " + item.section_label, style="dim")
        if item.detached:
            label.append("  （已脱离 detached）", style="bold red")
        if item.text:
            label.append("\n  " + item.text[:400].replace("\n", " ")[:160])
        return Option(label, id=item.record_id)

    def _highlighted(self) -> AnnotationItem | None:
        options = self.query_one(OptionList)
        index = options.highlighted
        return self.items[index] if index is not None and 0 <= index < len(self.items) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        item = self.items[event.option_index]
        if item.section_id is None:
            self.notify(
                "这条已脱离原文，无法跳转 · detached: nowhere to jump", severity="warning", markup=False
            )
            return
        self.dismiss(AnnotationAction("jump", item))

    def action_choose(self, action: Literal["delete", "edit"]) -> None:
        """Delete or edit the highlighted item."""
        item = self._highlighted()
        if item is None or (action == "edit" and not self.editable):
            return
        self.dismiss(AnnotationAction(action, item))

    def action_cursor(self, delta: int) -> None:
        """Move the highlight."""
        options = self.query_one(OptionList)
        if delta > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()
