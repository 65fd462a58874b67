"""Leaving the terminal at once when the reader quits (the console script only).

Textual's own exit blurs the focused widget, restyles and re-lays the screen, unmounts every widget,
then joins the driver's input thread, which waits out its 0.1 s ``select`` twice: 0.1–0.3 s after the
user's data is already saved.  The console script exits the process straight after anyway
(``cli.common.run_reader``), so ``leave_terminal`` restores the terminal exactly as the Linux driver's
``stop_application_mode`` does, without waiting for its input thread, and ends the process.  Textual is
pinned (``textual==8.2.8`` in pyproject.toml): the driver's methods used here are that version's.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any


def can_leave_at_once(driver: Any) -> bool:
    """True for a driver of a real terminal this module knows how to restore (Textual's Linux one)."""
    needed = ("exit_event", "attrs_before", "fileno", "write", "flush", "close", "_disable_mouse_support")
    linux = any(kind.__name__ == "LinuxDriver" for kind in type(driver).__mro__)  # or ours (quick_escape)
    return linux and all(hasattr(driver, name) for name in needed)


def leave_terminal(driver: Any, code: int) -> None:
    """Restore the terminal (mouse, paste, wrap, keyboard protocol, screen, cursor, modes) and exit."""
    import termios

    driver.exit_event.set()  # the input thread stops reading; it ends with the process
    driver._disable_mouse_support()
    driver._disable_bracketed_paste()
    driver._enable_line_wrap()
    driver._disable_in_band_window_resize()
    if driver.attrs_before is not None:
        with contextlib.suppress(termios.error):
            termios.tcsetattr(driver.fileno, termios.TCSANOW, driver.attrs_before)
    driver.write("\x1b[<u")  # the Kitty keyboard protocol off, before leaving the alternate screen
    driver.write("\x1b[?1049l\x1b[?25h\x1b[?1004l")  # main screen, cursor shown, focus events off
    driver.flush()
    driver.close()  # the writer thread drains what is queued, then stops
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
