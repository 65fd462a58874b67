"""Foreign strings (file names, notice text, user input) made safe to show on one terminal line.

A file name can hold bytes that are not UTF-8, terminal escapes (``ESC]52;…`` writes the clipboard,
``ESC]0;…`` the window title), newlines that forge extra output lines, and bidi controls that reorder
what the reader sees.  ``path_text`` turns a path into valid Unicode that names it unambiguously;
``printable`` shows every control, escape and bidi character as a visible code instead of obeying it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

#: C0 and C1 controls (newline and tab too: these are for one-line display), DEL, and the Unicode
#: bidi embedding, override, isolate and mark characters.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: Undecodable bytes as ``os.fsdecode`` carries them (lone surrogates).
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"<U+{code:04X}>"


def needs_escape(text: str) -> bool:
    """True when ``printable`` would change ``text`` (a control, escape, bidi mark or undecodable byte)."""
    if not text.isprintable():
        return True
    return _UNSAFE.search(text) is not None or _ESCAPED_BYTE.search(text) is not None


def printable(text: str) -> str:
    """``text`` with controls, escapes and bidi characters shown as ``\\x1b`` / ``<U+202E>``.

    Undecodable bytes carried as surrogates (``os.fsdecode``) show as ``\\xff``.
    """
    if not text.isprintable() or _ESCAPED_BYTE.search(text):
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        text = _UNSAFE.sub(_visible, text)
    elif _UNSAFE.search(text):  # bidi marks count as printable
        text = _UNSAFE.sub(_visible, text)
    return text


def path_text(path: Path | str) -> str:
    """A path as valid Unicode: bytes that are not UTF-8 become ``\\xNN`` (the path itself is kept
    for opening; this is what notices, JSON, the index and exports record)."""
    name = os.fspath(path)
    if _ESCAPED_BYTE.search(name):
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name
