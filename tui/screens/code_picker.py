"""The code picker: choose a code to apply (filter by 汉字 or pinyin), or type a new path to make one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...store.codes import Codebook, split_path
from ..code_filter import code_matches
from ..frames import PromptFrames

NEW_PREFIX = "new:"


class CodePicker(PromptFrames, ModalScreen[str | None]):
    """Dismisses with the chosen code's id, ``new:<path>`` for a code to create, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="codes.cancel", tooltip="Close without coding"),
        Binding("down", "move(1)", "Down", show=False, id="codes.down", tooltip="Next code"),
        Binding("up", "move(-1)", "Up", show=False, id="codes.up", tooltip="Previous code"),
    ]

    DEFAULT_CSS = """
    CodePicker { align: center middle; }
    CodePicker > Vertical {
        width: 70; max-width: 95%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 1 2;
    }
    CodePicker .where { color: $text-muted; }
    CodePicker .quote { background: $boost; padding: 0 1; margin: 1 0 0 0; max-height: 4; }
    CodePicker OptionList { height: auto; max-height: 16; margin-top: 1; }
    CodePicker .hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, book: Codebook, where: str, quote: str = "", *, title: str = "编码 Code") -> None:
        super().__init__()
        self.book = book
        self.where = where
        self.quote = quote
        self.title_text = title
        self.codes = list(book.walk())

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"{self.title_text} · {self.where}"), classes="where", markup=False)
            if self.quote:
                short = self.quote[:160] + ("…" if len(self.quote) > 160 else "")
                yield Static(Text(f"“{short}”"), classes="quote", markup=False)
            yield Input(placeholder="筛选或新建 filter or new: 问题类型/形式主义 · xszy", id="code-filter")
            yield OptionList(id="code-options")
            yield Label("enter 选择 choose · esc 取消 cancel", classes="hint")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        shown: list[Option] = []
        for code in self.codes:
            if not query.strip() or code_matches(query, code):
                label = Text("  " * code.depth)
                label.append("● ", style=code.colour)
                label.append(code.name)
                if code.depth:
                    label.append(f"  {code.label}", style="dim")
                shown.append(Option(label, id=code.id))
        try:
            path = split_path(query) if query.strip() else None
        except ValueError:
            path = None
        if path is not None and self.book.find(path) is None:
            shown.append(
                Option(Text(f"＋ 新建 new: {'/'.join(path)}", style="bold"), id=NEW_PREFIX + "/".join(path))
            )
        options.add_options(shown)
        if shown:
            options.highlighted = 0

    @on(Input.Changed, "#code-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#code-filter")
    def _submit(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#code-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, delta: int) -> None:
        """Move the highlight while typing in the filter."""
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -delta
            options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def action_cancel(self) -> None:
        """Dismiss without a code."""
        self.dismiss(None)
