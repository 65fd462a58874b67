"""Copying text: the system clipboard (pyperclip) and the terminal's OSC 52, so it works over SSH too."""

from __future__ import annotations

from collections.abc import Callable

SystemCopy = Callable[[str], None]


def system_copy(text: str) -> None:
    """Copy with pyperclip; raises ``RuntimeError`` when no system clipboard is reachable."""
    import pyperclip

    try:
        pyperclip.copy(text)
    except pyperclip.PyperclipException as exc:
        raise RuntimeError(str(exc).splitlines()[0] if str(exc) else "no clipboard") from None


def copy_text(text: str, osc52: Callable[[str], None], system: SystemCopy | None = None) -> str:
    """Copy ``text`` both ways and return the one-line message to show the user."""
    osc52(text)  # the terminal's clipboard (OSC 52): works locally and over SSH where allowed
    try:
        (system or system_copy)(text)
    except RuntimeError:
        return (
            f"已发送 {len(text):,} 字到终端剪贴板 (OSC 52)；未找到系统剪贴板 — "
            "no system clipboard; sent via the terminal (works if your terminal allows OSC 52)"
        )
    return f"已复制 {len(text):,} 字 · copied {len(text):,} characters"
