"""Help generated from the bindings actually in force, so it never drifts from the keys."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import format_key
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..frames import PromptFrames

_ARROWS = {"left": "←", "right": "→", "up": "↑", "down": "↓"}


def key_label(key: str) -> str:
    """Readable key names: ``greater_than_sign`` → ``>``, ``shift+right`` → ``shift+→``, ``ctrl+t`` stays."""
    labels = []
    for one in key.split(","):
        *modifiers, name = one.split("+")
        shown = _ARROWS.get(name) or format_key(name)
        labels.append("+".join([*modifiers, shown]))
    return " / ".join(labels)


def bindings_table(screen: Screen[object]) -> Table:
    """A table of every binding with an id on the screen, its widgets and the app."""
    table = Table(box=None, show_header=True, header_style="bold", padding=(0, 2))
    table.add_column("key", no_wrap=True)
    table.add_column("action")
    table.add_column("where", style="dim")
    seen: set[str] = set()
    sources: list[tuple[str, list[Binding]]] = [("app", list(screen.app.BINDINGS))]  # type: ignore[arg-type]
    sources.append(("reader", list(screen.BINDINGS)))  # type: ignore[arg-type]
    for widget in screen.walk_children():
        sources.append((type(widget).__name__, list(widget.BINDINGS)))  # type: ignore[arg-type]
    for where, bindings in sources:
        for binding in bindings:
            if not isinstance(binding, Binding) or binding.id is None or binding.id in seen:
                continue
            seen.add(binding.id)
            table.add_row(
                Text(binding.key_display or key_label(binding.key)),
                Text(binding.tooltip or binding.description),
                where,
            )
    return table


class HelpScreen(PromptFrames, ModalScreen[None]):
    """The key table, built from the bindings of the screen underneath."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close", tooltip="Close help"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90; max-width: 95%; height: 80%;
        border: round $primary; background: $surface; padding: 1 2;
    }
    """

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self._under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("Zhenggai Reader · 按键 keys", style="bold"), markup=False)
            yield Static(Text("tab / shift+tab: 切换窗格 next/previous pane · enter: 打开 open", style="dim"))
            yield Static(bindings_table(self._under))
