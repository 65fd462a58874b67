"""The bookmark and note lists (``B`` / ``N``): jump on ``enter``, delete, edit.

A list opens at once: the first notice's items are placed before it is shown, the rest on a worker that
sends them in batches (placing 10,000 notes reads and re-attaches thousands of notices: seconds).  The
title counts them in while they arrive; the filter applies to what arrives.  The options are laid out a
page at a time (``PagedOptions``): typing in the filter of 10,000 notes does not lay out 10,000 options.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import Worker, get_current_worker

from ..frames import PromptFrames
from ..widgets.paged_options import PagedOptions
from .worker_errors import WorkerErrors, failure_line

#: What a list with nothing in it says.
EMPTY = "还没有 · nothing here yet (n 写笔记 write a note · b 加书签 bookmark a section)"
#: Items sent to the list at a time, and the longest wait before what is placed is shown.
BATCH = 500
SEND_EVERY = 0.25


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


def item_matches(item: AnnotationItem, query: str) -> bool:
    """Every word of ``query`` is in the item: ``#tag`` as a tag of its text, others anywhere in it."""
    haystack = f"{item.place} {item.section_label} {item.text}".lower()
    for word in query.lower().split():
        if word.startswith("#") and len(word) > 1:
            if not re.search(rf"(?<![\w#]){re.escape(word)}(?![\w\u4e00-\u9fff])", item.text.lower()):
                return False
        elif word not in haystack:
            return False
    return True


class ListFilter(Input):
    """The list's filter box: ``escape`` or ``down`` goes back to the list (the filter stays)."""

    BINDINGS = [
        Binding("escape,down", "to_list", "List", show=False, id="list.to_list", tooltip="Back to the list")
    ]

    def action_to_list(self) -> None:
        """Leave the box for the list."""
        self.screen.query_one(OptionList).focus()


class AnnotationList(WorkerErrors, PromptFrames, ModalScreen[AnnotationAction | None]):
    """A list of bookmarks or notes, filtered by text and ``#tag``."""

    AUTO_FOCUS = "#annotations"
    """The list, not the filter box: ``N d`` typed at once deletes, it does not type a ``d``."""

    BINDINGS = [
        Binding("f,slash", "filter", "Filter", id="list.filter", tooltip="Filter by text or #tag"),
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
    AnnotationList .hint { color: $text-muted; padding: 0 1; width: 1fr; }
    AnnotationList OptionList { height: 1fr; }
    AnnotationList #annotations-empty { display: none; color: $text-muted; padding: 1 1; width: 1fr; }
    AnnotationList.-empty #annotations-empty { display: block; }
    AnnotationList.-empty OptionList { display: none; }
    """

    def __init__(
        self,
        title: str,
        batches: Iterable[list[AnnotationItem]],
        *,
        editable: bool,
        total: int | None = None,
    ) -> None:
        """``batches``: the items, a notice's at a time (placed as they are taken); ``total``: how many
        there will be, for the title while they arrive."""
        super().__init__()
        self.title_text = title
        self._batches = iter(batches)
        self.total = total
        self.items: list[AnnotationItem] = []
        self.shown: list[AnnotationItem] = []
        """The items that pass the filter, in the list's order."""
        self.editable = editable
        self.placing = True
        """True while items are still arriving."""
        self._query = ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title", markup=False)
            hint = (
                "enter 跳转 jump · d 删除 delete (u 撤销 undo)"
                + (" · e 编辑 edit" if self.editable else "")
                + " · f 筛选 filter (#标签 tag) · esc 关闭"
            )
            yield Label(hint, classes="hint", markup=False)
            yield ListFilter(placeholder="筛选 filter: 文字 text / #标签 tag", id="annotation-filter")
            yield PagedOptions(id="annotations")
            yield Label(EMPTY, id="annotations-empty", markup=False)

    def on_mount(self) -> None:
        options = self.query_one(PagedOptions)
        options.show(self.shown, self._option)
        options.focus()
        # the first notice's items at once: ``N`` then ``d`` typed together deletes its first note
        first = next(self._batches, None)
        if first is None:
            self._arrived([], done=True)
            return
        self._arrived(first)
        self._place_rest()

    @work(thread=True, exclusive=True, exit_on_error=False, group="list", description="placing the list")
    def _place_rest(self) -> None:
        """Take the rest of the items off the UI thread, sending them in batches."""
        worker = get_current_worker()
        batch: list[AnnotationItem] = []
        sent = time.monotonic()
        for items in self._batches:
            if worker.is_cancelled:
                return
            batch += items
            if len(batch) >= BATCH or time.monotonic() - sent >= SEND_EVERY:
                self.app.call_from_thread(self._arrived, batch)
                batch, sent = [], time.monotonic()
        if not worker.is_cancelled:
            self.app.call_from_thread(self._arrived, batch, done=True)

    def _arrived(self, items: list[AnnotationItem], *, done: bool = False) -> None:
        self.items += items
        fresh = [item for item in items if item_matches(item, self._query)]
        self.shown += fresh  # the list's own entries: it adds their options as they are needed
        self.query_one(PagedOptions).grown()
        self.placing = not done
        self.set_class(done and not self.items, "-empty")
        self._title()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Placing failed: the title says the list is incomplete (and the toast says why)."""
        super().on_worker_state_changed(event)
        if failure_line(event.worker) is not None:
            self.placing = False
            self.title_text += " · 未列全 incomplete"
            self._title()

    def _title(self) -> None:
        """``笔记 Notes (12)``; filtered ``(3/12)``; while arriving ``(500/10000 · 载入中 placing…)``."""
        arrived = f"{len(self.items)}/{self.total}" if self.total is not None else f"{len(self.items)}"
        if self._query.strip():
            count = f"{len(self.shown)}/{len(self.items)}"
            count += f" · 载入中 placing… {arrived}" if self.placing else ""
        else:
            count = f"{arrived} · 载入中 placing…" if self.placing else f"{len(self.items)}"
        self.query_one(".title", Label).update(f"{self.title_text} ({count})")

    def action_filter(self) -> None:
        """Focus the filter box."""
        self.query_one(ListFilter).focus()

    @on(Input.Changed, "#annotation-filter")
    def _filtered(self, event: Input.Changed) -> None:
        self._query = event.value
        self.shown = [item for item in self.items if item_matches(item, event.value)]
        self.query_one(PagedOptions).show(self.shown, self._option)
        self._title()

    @on(Input.Submitted, "#annotation-filter")
    def _filter_done(self) -> None:
        self.query_one(OptionList).focus()

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
        return self.shown[index] if index is not None and 0 <= index < len(self.shown) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        item = self.shown[event.option_index]
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
