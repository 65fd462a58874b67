"""Variants of sample notices as users' files differ: encodings, punctuation, indents, line ends."""

from __future__ import annotations

import re

_TO_FULL = str.maketrans({",": "，", "(": "（", ")": "）", ":": "：", ";": "；"})


def full_width(text: str) -> str:
    """Half-width punctuation → full-width, and ``1.`` at a line start → ``1．``."""
    text = re.sub(r"(?m)^(\s*\d{1,3})\.", r"\1．", text)
    return text.translate(_TO_FULL)


def web_copy(text: str) -> str:
    """Every line indented with ``　　`` and ended with CRLF, as pages saved from the web are."""
    lines = text.split("\n")
    return "\r\n".join(("\u3000\u3000" + line.strip()) if line.strip() else "" for line in lines)


def gb18030_web_variant(text: str) -> bytes:
    """GB18030 bytes of the full-width, indented, CRLF version of ``text``."""
    return web_copy(full_width(text)).encode("gb18030")
