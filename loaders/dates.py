"""Chinese numerals and dates as the notices write them (``2023年9月21日至11月30日``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}

CN_NUMERAL = "零〇一二两三四五六七八九十百千"


def cn_to_int(text: str) -> int | None:
    """``十三`` → 13, ``二十三`` → 23, ``一百零五`` → 105, ``16`` → 16; ``None`` if not a numeral."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total = 0
    current = 0
    for char in text:
        if char in _DIGITS:
            current = _DIGITS[char]
        elif char in _UNITS:
            total += (current or 1) * _UNITS[char]
            current = 0
        else:
            return None
    return total + current


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date found in text, with its span and whether the year was written or carried over."""

    iso: str
    start: int
    end: int
    year_written: bool


# 2023年9月21日 / 9月21日 / 2024-03-27 / 2024.3.27 / 2024/3/27
_DATE = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?(?P<m>1[0-2]|0?[1-9])\s*月\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*[日号]"
    r"|(?P<y2>(?:19|20)\d{2})[-./](?P<m2>1[0-2]|0?[1-9])[-./](?P<d2>3[01]|[12]\d|0?[1-9])(?!\d)"
)


def find_dates(text: str, default_year: int | None = None) -> list[DateMention]:
    """Every date in ``text`` in order; a date without a year takes the previous date's year.

    A yearless date earlier in the calendar than the date before it rolls into the next year
    (``2023年11月30日至1月7日`` → 2024-01-07).
    """
    found: list[DateMention] = []
    year = default_year
    last: tuple[int, int] | None = None
    for match in _DATE.finditer(text):
        if match.group("y2"):
            y, m, d = int(match.group("y2")), int(match.group("m2")), int(match.group("d2"))
            written = True
        else:
            m, d = int(match.group("m")), int(match.group("d"))
            written = match.group("y") is not None
            if written:
                y = int(match.group("y"))
            elif year is None:
                continue
            else:
                y = year
                if last is not None and (m, d) < last:
                    y += 1
        year = y
        last = (m, d)
        found.append(DateMention(f"{y:04d}-{m:02d}-{d:02d}", match.start(), match.end(), written))
    return found


def iso_date(text: str) -> str | None:
    """The first full date in ``text`` as ISO ``YYYY-MM-DD``, or ``None``."""
    for mention in find_dates(text):
        if mention.year_written:
            return mention.iso
    return None
