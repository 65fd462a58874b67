"""Word's automatic list numbering: the number a paragraph shows, computed as Word computes it.

A numbered paragraph names a list (``w:numId``) and a level (``w:ilvl``), directly or through its
style.  The list points at an abstract numbering whose level says how to count (``w:numFmt``:
``chineseCounting`` 一二三, ``decimal``, ``decimalEnclosedCircle`` ①…) and how to show it
(``w:lvlText``: ``%1、``, ``（%2）``, ``%3.``).  Lists sharing an abstract numbering count on together
unless one restarts with ``w:startOverride``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LEVELS = 9
_DIGITS = "〇一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN_VALUES = (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1)
_ROMAN_SIGNS = ("M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I")


def chinese_numeral(n: int, digits: str = _DIGITS, units: str = "十百千") -> str:
    """``n`` (1–9,999) in Chinese counting: 1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五."""
    if n <= 0 or n >= 10000:
        return str(n)
    parts: list[str] = []
    zero = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit = n // power % 10
        if digit == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append("零")
            zero = False
        spoken_ten = power == 10 and n < 20 and not parts and digits is _DIGITS  # 十一, not 一十一
        parts.append(("" if spoken_ten else digits[digit]) + unit)
    return "".join(parts)


def _letters(n: int, base: str) -> str:
    return base[(n - 1) % 26] * ((n - 1) // 26 + 1) if n > 0 else str(n)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, sign in zip(_ROMAN_VALUES, _ROMAN_SIGNS, strict=True):
        count, n = divmod(n, value)
        out.append(sign * count)
    return "".join(out)


def _enclosed(first: str, last: int) -> Callable[[int], str]:
    return lambda n: chr(ord(first) + n - 1) if 1 <= n <= last else str(n)


def _cycle(signs: str) -> Callable[[int], str]:
    return lambda n: signs[(n - 1) % len(signs)] if n > 0 else str(n)


_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: "".join(chr(ord(c) + 0xFEE0) for c in str(n)),
    "decimalFullWidth2": lambda n: "".join(chr(ord(c) + 0xFEE0) for c in str(n)),
    "decimalHalfWidth": str,
    "chineseCounting": chinese_numeral,
    "chineseCountingThousand": chinese_numeral,
    "taiwaneseCounting": chinese_numeral,
    "taiwaneseCountingThousand": chinese_numeral,
    "japaneseCounting": chinese_numeral,
    "ideographDigital": lambda n: "".join(_DIGITS[int(c)] for c in str(n)),
    "taiwaneseDigital": lambda n: "".join(_DIGITS[int(c)] for c in str(n)),
    "chineseLegalSimplified": lambda n: chinese_numeral(n, _LEGAL, "拾佰仟"),
    "ideographLegalTraditional": lambda n: chinese_numeral(n, _LEGAL, "拾佰仟"),
    "ideographTraditional": _cycle(_STEMS),
    "ideographZodiac": _cycle(_BRANCHES),
    "decimalEnclosedCircle": _enclosed("①", 20),
    "decimalEnclosedCircleChinese": _enclosed("①", 20),
    "ideographEnclosedCircle": _enclosed("㈠", 10),
    "decimalEnclosedFullstop": _enclosed("⒈", 20),
    "decimalEnclosedParen": _enclosed("⑴", 20),
    "upperLetter": lambda n: _letters(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    "lowerLetter": lambda n: _letters(n, "abcdefghijklmnopqrstuvwxyz"),
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "none": lambda n: "",
}


def format_number(n: int, num_fmt: str) -> str:
    """One level's counter in a ``w:numFmt`` (unknown formats count in decimal)."""
    return _FORMATS.get(num_fmt, str)(n)


@dataclass(slots=True)
class Level:
    """One level of an abstract numbering."""

    num_fmt: str = "decimal"
    text: str = ""
    start: int = 1
    legal: bool = False
    """``w:isLgl``: every level's number shows in decimal."""
    suffix: str = "tab"


@dataclass(slots=True)
class _List:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)
    """``w:startOverride`` per level."""


def _val(element: Any, tag: str) -> str | None:
    child = element.find(W + tag)
    value = child.get(W + "val") if child is not None else None
    return value if isinstance(value, str) else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class Numbering:
    """The numbering part of a document, counting its numbered paragraphs in reading order."""

    def __init__(self, root: Any | None) -> None:
        self._levels: dict[str, dict[int, Level]] = {}
        self._lists: dict[str, _List] = {}
        self._counters: dict[str, list[int | None]] = {}
        if root is None:
            return
        for abstract in root.iter(W + "abstractNum"):
            levels: dict[int, Level] = {}
            for lvl in abstract.iter(W + "lvl"):
                level = Level(
                    num_fmt=_val(lvl, "numFmt") or "decimal",
                    text=_val(lvl, "lvlText") or "",
                    start=_int(_val(lvl, "start"), 1),
                    legal=lvl.find(W + "isLgl") is not None,
                    suffix=_val(lvl, "suff") or "tab",
                )
                levels[_int(lvl.get(W + "ilvl"), 0)] = level
            self._levels[str(abstract.get(W + "abstractNumId"))] = levels
        for num in root.iter(W + "num"):
            entry = _List(_val(num, "abstractNumId") or "")
            for override in num.iter(W + "lvlOverride"):
                start = _val(override, "startOverride")
                if start is not None:
                    entry.starts[_int(override.get(W + "ilvl"), 0)] = _int(start, 1)
            self._lists[str(num.get(W + "numId"))] = entry

    def label(self, num_id: str, ilvl: int) -> tuple[str, str]:
        """The number the next paragraph of list ``num_id`` at level ``ilvl`` shows, and its suffix
        (``tab``, ``space`` or ``nothing``); ``("", "nothing")`` for no list."""
        entry = self._lists.get(num_id)
        levels = self._levels.get(entry.abstract) if entry is not None else None
        if entry is None or not levels or not 0 <= ilvl < _LEVELS:
            return "", "nothing"
        key = num_id if entry.starts else entry.abstract
        counters = self._counters.setdefault(key, [None] * _LEVELS)
        level = levels.get(ilvl, Level())
        current = counters[ilvl]
        counters[ilvl] = entry.starts.get(ilvl, level.start) if current is None else current + 1
        for deeper in range(ilvl + 1, _LEVELS):
            counters[deeper] = None
        text = level.text
        for index in range(ilvl, -1, -1):  # %10 never occurs: nine levels
            placeholder = f"%{index + 1}"
            if placeholder in text:
                value = counters[index]
                if value is None:
                    value = levels.get(index, Level()).start
                fmt = "decimal" if level.legal else levels.get(index, Level()).num_fmt
                text = text.replace(placeholder, format_number(value, fmt))
        return text, level.suffix


__all__ = ["Level", "Numbering", "chinese_numeral", "format_number"]
