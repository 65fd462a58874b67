"""The app's own themes (registered beside Textual's) and the path of its stylesheet."""

from __future__ import annotations

from pathlib import Path

from textual.theme import Theme

#: The app stylesheet, used as ``App.CSS_PATH``.
APP_CSS = Path(__file__).with_name("app.tcss")

#: Dark, for long sessions: ink-blue background, warm accent for figures.
ZHENGGAI_DARK = Theme(
    name="zhenggai-dark",
    primary="#5B8DEF",
    secondary="#8FA3BF",
    accent="#E0A458",
    warning="#E0A458",
    error="#E06C75",
    success="#7BC47F",
    foreground="#D8DEE9",
    background="#161B22",
    surface="#1C222B",
    panel="#232B36",
    dark=True,
    variables={"footer-key-foreground": "#E0A458", "block-cursor-text-style": "bold"},
)

#: Light "paper" for long Chinese reading: warm off-white, soft ink, low glare.
ZHENGGAI_PAPER = Theme(
    name="zhenggai-paper",
    primary="#8C3B2A",
    secondary="#5E6B73",
    accent="#A15C1B",
    warning="#A15C1B",
    error="#B3261E",
    success="#3B7D3A",
    foreground="#2B2622",
    background="#F6F1E7",
    surface="#EFE8DA",
    panel="#E6DDCB",
    dark=False,
    variables={"footer-key-foreground": "#8C3B2A"},
)

#: High contrast: pure black and white with saturated accents.
ZHENGGAI_CONTRAST = Theme(
    name="zhenggai-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FF00FF",
    warning="#FFFF00",
    error="#FF5555",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    dark=True,
    variables={"footer-key-foreground": "#FFFF00", "border": "#FFFFFF"},
)

THEMES = (ZHENGGAI_DARK, ZHENGGAI_PAPER, ZHENGGAI_CONTRAST)
DEFAULT_THEME = ZHENGGAI_DARK.name
