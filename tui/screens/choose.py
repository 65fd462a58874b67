"""A short list to choose one entry from (saved comparisons, marked notices); ``enter`` chooses."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from ..frames import PromptFrames


class ChoiceList(PromptFrames, ModalScreen[str | None]):
    """Dismisses with the chosen entry's key, or None."""

    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Close", id="choice.close", tooltip="Close the list"),
        Binding("j", "cursor(1)", "Down", show=False, id="choice.down", tooltip="Move down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="choice.up", tooltip="Move up"),
    ]

    DEFAULT_CSS = """
    ChoiceList { align: center middle; }
    ChoiceList > Vertical {
        width: 90; max-width: 95%; height: auto; max-height: 80%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    ChoiceList .title { text-style: bold; padding: 0 1; }
    ChoiceList .hint { color: $text-muted; padding: 0 1; }
    ChoiceList OptionList { height: auto; max-height: 30; }
    """

    def __init__(self, title: str, hint: str, entries: list[tuple[str, Text]]) -> None:
        super().__init__()
        self.title_text = title
        self.hint = hint
        self.entries = entries

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title", markup=False)
            yield Label(self.hint, classes="hint", markup=False)
            yield OptionList(*(Option(label, id=key) for key, label in self.entries), id="choices")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cursor(self, delta: int) -> None:
        """Move the highlight."""
        options = self.query_one(OptionList)
        if delta > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()
