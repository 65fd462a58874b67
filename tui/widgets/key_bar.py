"""The key bar: the keys of the focused place on one line, drawn rather than built of widgets.

Textual's ``Footer`` composes a widget per key and composes them all again whenever the bindings may
have changed (a focus move, a screen on top): 50–80 ms each time on this screen, twice as the reader
first fills and again on moves that shift focus. This bar draws one line of text from the screen's
active bindings when they change, so a change costs a repaint. Keys are clickable (the same as pressing
them), a disabled key is dimmed and rings the bell, and hovering one shows its tooltip.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class KeySpan:
    """Where one key sits on the bar (cells ``start`` to ``end``) and what it does."""

    start: int
    end: int
    key: str
    action: str
    enabled: bool
    tooltip: str


class KeyBar(Widget):
    """One line of ``key description`` pairs for the focused widget and its screen."""

    ALLOW_SELECT = False

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--hover"}

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-bar--hover {
            background: $block-hover-background;
        }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.spans: list[KeySpan] = []
        self._hover: KeySpan | None = None
        self._palette_at: int | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh()

    def shown_bindings(self) -> list[tuple[Binding, bool, str]]:
        """The bindings to show, in order, one per action (the first key bound to it)."""
        seen: set[str] = set()
        shown: list[tuple[Binding, bool, str]] = []
        palette = self.app.COMMAND_PALETTE_BINDING if self.app.ENABLE_COMMAND_PALETTE else None
        for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items():
            if not binding.show or binding.action in seen or key == palette:
                continue
            seen.add(binding.action)
            shown.append((binding, enabled, tooltip or binding.tooltip or binding.description))
        return shown

    def visible_keys(self) -> list[str]:
        """The keys drawn whole on the bar at its current width (as last rendered)."""
        return [span.key for span in self.spans]

    def render(self) -> Text:
        width = self.size.width or self.app.size.width
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        description_style = self.get_component_rich_style("key-bar--description", partial=True)
        hover_style = self.get_component_rich_style("key-bar--hover", partial=True)
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[KeySpan] = []
        palette = self._palette_label()
        room = width - (cell_len(palette.plain) if palette is not None else 0)
        for binding, enabled, tooltip in self.shown_bindings():
            key_text = f" {self.app.get_key_display(binding)} "
            description = f"{binding.description} " if binding.description else ""
            wide = cell_len(key_text) + cell_len(description)
            start = line.cell_len
            if start + wide > room:
                break  # a key is drawn whole or not at all; ? lists every key
            hovered = self._hover is not None and self._hover.action == binding.action
            extra = hover_style if hovered else None
            dim = "dim" if not enabled else None
            line.append(key_text, style=key_style + extra if extra else key_style)
            if dim:
                line.stylize(dim, len(line) - len(key_text))
            line.append(description, style=description_style + extra if extra else description_style)
            if dim:
                line.stylize(dim, len(line) - len(description))
            spans.append(KeySpan(start, start + wide, binding.key, binding.action, enabled, tooltip))
        self._palette_at = None
        if palette is not None and room > 0:
            line.append(" " * max(0, room - line.cell_len))
            self._palette_at = line.cell_len
            line.append_text(palette)
        self.spans = spans
        return line

    def _palette_label(self) -> Text | None:
        if not self.app.ENABLE_COMMAND_PALETTE:
            return None
        found = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if found is None:
            return None
        _, binding, _, _ = found
        label = Text("│", style="dim")
        label.append(f" {self.app.get_key_display(binding)} ", self.get_component_rich_style("key-bar--key"))
        label.append(f"{binding.description} ", self.get_component_rich_style("key-bar--description"))
        return label

    def span_at(self, x: int) -> KeySpan | None:
        """The key drawn at cell ``x``, if any."""
        return next((span for span in self.spans if span.start <= x < span.end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        span = self.span_at(event.x)
        if span != self._hover:
            self._hover = span
            self.tooltip = span.tooltip if span is not None else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        span = self.span_at(event.x)
        if span is None and self._palette_at is not None and event.x > self._palette_at:
            event.stop()
            self.app.action_command_palette()
            return
        if span is None:
            return
        event.stop()
        if span.enabled:
            self.app.simulate_key(span.key)
        else:
            self.app.bell()
