"""The Zhenggai Reader Textual app and the ``make_app`` factory shared by the CLI and the tests."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer

from ..loaders.printable import printable
from ..store.db import Store
from ..store.paths import cache_dir
from ..store.storage import StoreError
from ..themes import APP_CSS, DEFAULT_THEME, THEMES
from .screens.help import HelpScreen
from .screens.main import MainScreen

#: Seconds of not moving before the reading position is written to the store.
POSITION_SAVE_DELAY = 1.5


class ZhenggaiApp(App[None]):
    """Read, compare and annotate 巡视/巡察整改进展情况通报."""

    TITLE = "Zhenggai Reader"
    CSS_PATH = APP_CSS
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit Zhenggai Reader"),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="app.help", tooltip="Keys and help"),
        Binding("ctrl+t", "cycle_theme", "Theme", id="app.theme", tooltip="Next theme (saved)"),
        Binding(
            "ctrl+p", "command_palette", "Commands", show=False, id="app.palette", tooltip="All commands"
        ),
    ]

    def __init__(
        self,
        paths: list[Path] | None = None,
        *,
        store: Store | None = None,
        compare_ids: list[str] | None = None,
        export_dir: Path | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.cache_dir = cache_dir
        self.paths = paths
        self.store = store
        self.compare_ids = compare_ids
        self.export_dir = export_dir
        self._pending_position: dict[str, str] | None = None
        self._position_timer: Timer | None = None
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = self._setting("theme", DEFAULT_THEME)
        if self.theme not in self.available_themes:
            self.theme = DEFAULT_THEME

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, lambda theme: self._save_setting("theme", theme.name))
        self.push_screen(MainScreen(self.paths, self.compare_ids))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast shows its text literally: file names, headings and user input in it are data.

        Markup is never parsed (whatever a caller asks) and controls, escapes and bidi characters are
        shown as visible codes, so a file named ``x[/]`` or ``ESC]52;…`` can neither crash the reader
        nor write to the terminal.
        """
        lines = [printable(line) for line in message.splitlines()] or [""]
        super().notify(
            "\n".join(lines), title=printable(title), severity=severity, timeout=timeout, markup=False
        )

    # -- settings (the store's settings table) ----------------------------------------------------

    def _setting(self, key: str, default: Any = None) -> Any:
        return self.store.get(key, default) if self.store is not None else default

    def _save_setting(self, key: str, value: Any) -> None:
        if self.store is None:
            return
        try:
            self.store.set(key, value)
        except StoreError as exc:
            self.notify(f"设置未保存 setting not saved: {exc}", severity="warning", markup=False)

    def last_position(self) -> tuple[str | None, str | None]:
        """The notice and section last read."""
        position = self._setting("last_position") or {}
        return position.get("notice_id"), position.get("section_id")

    def remember_position(self, notice_id: str, section_id: str) -> None:
        """Remember where the user is reading (saved after a pause in moving, and on exit)."""
        self._pending_position = {"notice_id": notice_id, "section_id": section_id}
        if self._position_timer is not None:
            self._position_timer.stop()
        self._position_timer = self.set_timer(POSITION_SAVE_DELAY, self.save_position)

    def save_position(self) -> None:
        """Write the pending reading position to the store."""
        if self._pending_position is not None:
            position, self._pending_position = self._pending_position, None
            self._save_setting("last_position", position)

    async def action_quit(self) -> None:
        """Save the reading position, then quit."""
        self.save_position()
        self.exit()

    # -- actions ---------------------------------------------------------------------------------

    def action_help(self) -> None:
        """Show the key table."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_cycle_theme(self) -> None:
        """Switch to the next of our themes and Textual's dark and light."""
        order = [t.name for t in THEMES] + ["textual-dark", "textual-light"]
        index = order.index(self.theme) + 1 if self.theme in order else 0
        self.theme = order[index % len(order)]
        self.notify(f"主题 theme: {self.theme}", timeout=2, markup=False)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every action of the reader in the command palette (ctrl+p)."""
        yield from super().get_system_commands(screen)
        for binding in list(screen.BINDINGS):
            if isinstance(binding, Binding) and binding.id:
                action = binding.action
                yield SystemCommand(
                    binding.tooltip or binding.description,
                    f"{binding.description} ({binding.key_display or binding.key})",
                    lambda action=action: self.run_action(action, screen),
                )
        yield SystemCommand("Next theme", "Cycle the reader's themes (ctrl+t)", self.action_cycle_theme)


def make_app(
    paths: list[Path] | None = None,
    *,
    data_dir: Path | None = None,
    compare_ids: list[str] | None = None,
    export_dir: Path | None = None,
) -> ZhenggaiApp:
    """Build the app on the user's store (the CLI and the tests use the same factory)."""
    return ZhenggaiApp(
        paths,
        store=Store.open(data_dir=data_dir),
        compare_ids=compare_ids,
        export_dir=export_dir,
        cache_dir=cache_dir(data_dir) / "parsed",
    )
