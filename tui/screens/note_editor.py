"""Modal dialogs: the note editor and a one-line prompt."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from ..frames import PromptFrames
from .confirm import Confirm


class NoteEditor(PromptFrames, ModalScreen[str | None]):
    """Write or edit a note; ``ctrl+s`` saves, ``escape`` cancels.  Dismisses with the text or None."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note.save", tooltip="Save the note"),
        Binding("escape", "cancel", "Cancel", id="note.cancel", tooltip="Close without saving"),
    ]

    DEFAULT_CSS = """
    NoteEditor { align: center middle; }
    NoteEditor > Vertical {
        width: 80; max-width: 95%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 1 2;
    }
    NoteEditor .where { color: $text-muted; }
    NoteEditor .quote { color: $text; background: $boost; padding: 0 1; margin: 1 0; max-height: 6; }
    NoteEditor TextArea { height: 10; }
    NoteEditor .hint { color: $text-muted; margin-top: 1; }
    NoteEditor Horizontal { height: auto; align-horizontal: right; }
    """

    def __init__(self, where: str, quote: str = "", text: str = "") -> None:
        super().__init__()
        self.where = where
        self.quote = quote
        self.initial = text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.where), classes="where", markup=False)
            if self.quote:
                yield Static(Text("“" + self.quote[:300] + ("…" if len(self.quote) > 300 else "") + "”"),
                             classes="quote", markup=False)  # fmt: skip
            yield TextArea(self.initial, id="note-text", soft_wrap=True)
            yield Label("#标签 tags are collected · ctrl+s 保存 save · esc 取消 cancel", classes="hint")
            with Horizontal():
                yield Button("取消 Cancel", id="cancel")
                yield Button("保存 Save", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        """Dismiss with the text (an empty note is not saved)."""
        text = self.query_one(TextArea).text.strip()
        if not text:
            self.notify("笔记为空 · the note is empty", severity="warning", markup=False)
            return
        self.dismiss(text)

    @property
    def is_modified(self) -> bool:
        """True when the text differs from what the editor opened with."""
        return self.query_one(TextArea).text.strip() != self.initial.strip()

    def action_cancel(self) -> None:
        """Dismiss without saving (asking first when the text was changed)."""
        if not self.is_modified:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(Confirm("放弃这条笔记的修改？ Discard the changes to this note?"), answered)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()


class Prompt(PromptFrames, ModalScreen[str | None]):
    """Ask for one line (a name); ``enter`` accepts, ``escape`` cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel", tooltip="Cancel")]

    DEFAULT_CSS = """
    Prompt { align: center middle; }
    Prompt > Vertical { width: 60; height: auto; border: round $primary; background: $surface; padding: 1 2; }
    """

    def __init__(self, question: str, value: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, markup=False)
            yield Input(self.value, id="prompt-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        self.dismiss(value or None)

    def action_cancel(self) -> None:
        """Dismiss without an answer."""
        self.dismiss(None)
