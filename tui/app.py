"""The Zhenggai Reader Textual app and the ``make_app`` factory shared by the CLI and the tests."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.driver import Driver
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer

from ..loaders.printable import printable
from ..store.db import Store
from ..store.paths import cache_dir
from ..store.storage import StoreError
from ..themes import APP_CSS, DEFAULT_THEME, THEMES
from .input_first import InputFirst
from .key_order import OrderedKeys
from .leave import can_leave_at_once, leave_terminal
from .screens.confirm import Confirm
from .screens.help import HelpScreen
from .screens.main import MainScreen

if TYPE_CHECKING:
    from ..loaders.early import EarlyOpen

T = TypeVar("T")

#: The longest a quit waits for store writes to finish.
QUIT_SAVE_SECONDS = 2.0

#: Seconds of not moving before the reading position is written to the store.
POSITION_SAVE_DELAY = 1.5


class ZhenggaiApp(InputFirst, OrderedKeys, App[None]):
    """Read, compare and annotate 巡视/巡察整改进展情况通报."""

    TITLE = "Zhenggai Reader"
    CSS_PATH = APP_CSS
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit", tooltip="Quit"),
        Binding("question_mark,f1", "help", "Help", show=False, id="app.help", tooltip="Keys and help"),
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
        early: EarlyOpen | None = None,
    ) -> None:
        super().__init__()
        self.cache_dir = cache_dir
        self.early = early
        """The corpus the console script opened before the reader started (``loaders.early``), if any."""
        self.paths = paths
        self.store = store
        self.compare_ids = compare_ids
        self.leave_at_once = False
        """Set by the console script: on quit, once everything is saved, leave the terminal and end the
        process without Textual's teardown (``tui.leave``)."""
        self.export_dir = export_dir
        self._pending_position: dict[str, str] | None = None
        self._position_timer: Timer | None = None
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = self._setting("theme", DEFAULT_THEME)
        if self.theme not in self.available_themes:
            self.theme = DEFAULT_THEME

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for the platform; on Linux and macOS the one whose ``Esc`` acts as soon as
        ``ESCDELAY`` is up (``tui.quick_escape``)."""
        driver = super().get_driver_class()
        if driver.__name__ == "LinuxDriver" and driver.__module__ == "textual.drivers.linux_driver":
            from .quick_escape import QuickEscapeDriver

            return QuickEscapeDriver
        return driver

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
        store = self.store
        if store is not None:
            self.write_store(lambda: store.set(key, value), failed="设置未保存 setting not saved")

    def setting(self, key: str, default: Any = None) -> Any:
        """A value from the store's settings (``default`` without a store)."""
        return self._setting(key, default)

    def save_setting(self, key: str, value: Any) -> None:
        """Save a setting (off the UI thread)."""
        self._save_setting(key, value)

    def write_store(
        self,
        change: Callable[[], T],
        done: Callable[[T], object] | None = None,
        *,
        failed: str = "未保存 not saved",
    ) -> None:
        """Apply a store change in a thread worker: the UI never waits on the store's lock or disk.

        ``done`` runs on the UI thread with the change's result; a failure is one error toast titled
        ``failed`` (the store's own one-line reason as its text).
        """

        def apply() -> None:
            try:
                result = change()
            except (StoreError, ValueError) as exc:
                self.call_from_thread(self.notify, str(exc), title=failed, severity="error", timeout=8)
                return
            if done is not None:
                self.call_from_thread(done, result)

        self.run_worker(apply, thread=True, group="store", exit_on_error=False, description="saving")

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
        """Quit, asking first when a note being written would be lost (``q`` in the reader, ``ctrl+q``)."""
        if isinstance(self.screen, Confirm):
            return
        unsaved = any(getattr(s, "is_modified", False) is True for s in self.screen_stack)  # an editor
        if not unsaved:
            await self.save_and_exit()
            return

        async def answered(discard: bool | None) -> None:
            if discard:
                await self.save_and_exit()

        self.push_screen(Confirm("有未保存的笔记，仍要退出？ A note is not saved: quit anyway?"), answered)

    async def save_and_exit(self) -> None:
        """Finish the store writes under way and save the reading position, then quit.

        At most ``QUIT_SAVE_SECONDS``: a store locked by another zhenggai must not hold the quit (what
        could not be written then is the reading position, never a note: notes are written when made).
        """
        pending = [worker for worker in self.workers if worker.group == "store"]
        position, self._pending_position = self._pending_position, None
        store = self.store

        async def flush() -> None:
            if pending:
                await self.workers.wait_for_complete(pending)
            if position is not None and store is not None and not store.settings_read_only:
                await asyncio.to_thread(store.set, "last_position", position)

        with contextlib.suppress(TimeoutError, StoreError):
            await asyncio.wait_for(flush(), QUIT_SAVE_SECONDS)
        if self.leave_at_once and not self.is_headless and can_leave_at_once(self._driver):
            leave_terminal(self._driver, 0)  # everything is saved: no teardown to wait for
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
    early: EarlyOpen | None = None,
) -> ZhenggaiApp:
    """Build the app on the user's store (the CLI and the tests use the same factory); ``early``: the
    corpus already being opened (``loaders.early``)."""
    return ZhenggaiApp(
        paths,
        store=Store.open_settings(data_dir=data_dir),  # its notes are read once the first screen is drawn
        compare_ids=compare_ids,
        export_dir=export_dir,
        cache_dir=cache_dir(data_dir),
        early=early,
    )
