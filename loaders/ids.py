"""Stable notice ids: ``liaoning-shenyang-heping-2024-5c1e``.

The readable part comes from the resolved place and year; the 4-hex suffix hashes the notice's
opening text with width, punctuation style and whitespace folded away — so renaming, re-encoding
(GBK, full-width punctuation, CRLF, indents) or re-ordering a collection never changes an id.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

from .data import data_file
from .model import NoticeMeta
from .text import fold

_STRIP_PROVINCE = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|特别行政区|自治区)$")
_STRIP_CITY = re.compile(r"(市|地区|盟|自治州)$")
_STRIP_DISTRICT = re.compile(r"(新区|区|县|市|旗|自治县)$")
_OPENING_CHARS = 240


#: Conventional spellings where plain pinyin would collide (陕西 and 山西 are both "shanxi").
_SPELLINGS = {"陕西": "shaanxi"}


@cache
def _shipped_slugs() -> dict[str, str]:
    """Pinyin of every place name in the division table (``scripts/build_place_pinyin.py``)."""
    text = data_file("place_pinyin.tsv").read_text(encoding="utf-8")
    return dict(line.split("\t", 1) for line in text.splitlines() if "\t" in line)


@cache
def pinyin_slug(name: str) -> str:
    """``沈阳`` → ``shenyang``; non-Chinese characters are dropped."""
    if name in _SPELLINGS:
        return _SPELLINGS[name]
    shipped = _shipped_slugs().get(name)
    if shipped is not None:
        return shipped
    from pypinyin import lazy_pinyin

    words = lazy_pinyin(name, errors="ignore")
    return re.sub(r"[^a-z0-9]", "", "".join(words).lower())


def opening_hash(body: str) -> str:
    """4 hex digits of the normalised opening of a notice's body."""
    normal = re.sub(r"[\s\W_]+", "", fold(body[: _OPENING_CHARS * 2]))[:_OPENING_CHARS]
    return hashlib.blake2b(normal.encode("utf-8"), digest_size=2).hexdigest()


def notice_id(meta: NoticeMeta, body: str) -> str:
    """The notice's stable id."""
    place = meta.place
    parts: list[str] = []
    if place.province:
        parts.append(pinyin_slug(_STRIP_PROVINCE.sub("", place.province)))
    if place.city and place.city != place.province:
        parts.append(pinyin_slug(_STRIP_CITY.sub("", place.city)))
    if place.district:
        parts.append(pinyin_slug(_STRIP_DISTRICT.sub("", place.district) or place.district))
    if meta.year:
        parts.append(str(meta.year))
    parts.append(opening_hash(body))
    return "-".join(p for p in parts if p) or opening_hash(body)
