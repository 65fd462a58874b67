"""WCAG contrast: measure it, and nudge a colour until text in it is readable on a background."""

from __future__ import annotations

from rich.style import Style
from textual.color import Color

#: WCAG AA for normal text.
MINIMUM_CONTRAST = 4.5

_BLACK = Color(0, 0, 0)
_WHITE = Color(255, 255, 255)


def _luminance(color: Color) -> float:
    """WCAG relative luminance of an opaque colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast_ratio(foreground: Color, background: Color) -> float:
    """The WCAG contrast ratio of two colours (1 to 21); a translucent foreground is blended first."""
    if foreground.a < 1:
        foreground = background + foreground
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable(color: Color, background: Color, minimum: float = MINIMUM_CONTRAST) -> Color:
    """``color``, or its least change toward black or white that reaches ``minimum`` on ``background``."""
    if contrast_ratio(color, background) >= minimum:
        return color
    toward = _BLACK if contrast_ratio(_BLACK, background) >= contrast_ratio(_WHITE, background) else _WHITE
    for step in range(1, 41):
        nudged = color.blend(toward, step / 40)
        if contrast_ratio(nudged, background) >= minimum:
            return nudged
    return toward


def readable_style(style: Style, foreground: Color, background: Color) -> Style:
    """``style`` with its text colour (or the inherited ``foreground``) readable on its own background
    (or the inherited ``background``)."""
    behind = Color.from_rich_color(style.bgcolor) if style.bgcolor is not None else background
    if behind.a < 1:
        behind = background + behind
    text = Color.from_rich_color(style.color) if style.color is not None else foreground
    fixed = readable(text, behind)
    return style if fixed == text and style.color is not None else style + Style(color=fixed.rich_color)
