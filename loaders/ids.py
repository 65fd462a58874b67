"""Stable notice ids: ``liaoning-shenyang-heping-2024-5c1e9a07b3d2``.

The readable part comes from the place and year — only what the program is sure of: a district the
division table did not resolve (a stated label such as 许昌市东城区, a zone such as 郑州经开区) is left
out.  The 12-hex (48-bit) suffix hashes the notice's opening text with width, punctuation style and
whitespace folded away — so renaming, re-encoding (GBK, full-width punctuation, CRLF, indents) or
re-ordering a collection never changes an id, and thousands of short notices of one place never
collide.  Its first 4 hex digits are those of the shorter ids of earlier versions, so an old id is
still a unique prefix of the new one.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

from .data import data_file
from .divisions import ethnic_alias, short_city
from .model import NoticeMeta
from .text import fold

_STRIP_PROVINCE = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|特别行政区|自治区)$")
_STRIP_DISTRICT = re.compile(r"(新区|区|县|市|旗|自治县)$")
_OPENING_CHARS = 240


#: Conventional spellings where plain pinyin would collide (陕西 and 山西 are both "shanxi") or reads a
#: place name's character wrongly (闵行 is min-hang).
_SPELLINGS = {"陕西": "shaanxi", "闵行": "minhang"}


@cache
def _shipped_pinyin() -> dict[str, tuple[str, str]]:
    """Pinyin and initials of every place name in the division table (``scripts/build_place_pinyin.py``)."""
    text = data_file("place_pinyin.tsv").read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        name, slug, initials = line.split("\t")
        table[name] = (slug, initials)
    return table


def shipped_pinyin(name: str) -> tuple[str, str] | None:
    """``和平区`` → (``hepingqu``, ``hpq``) for a name of the division table (no pypinyin), else None."""
    return _shipped_pinyin().get(name)


@cache
def pinyin_slug(name: str) -> str:
    """``沈阳`` → ``shenyang``; non-Chinese characters are dropped."""
    if name in _SPELLINGS:
        return _SPELLINGS[name]
    shipped = _shipped_pinyin().get(name)
    if shipped is not None:
        return shipped[0]
    from pypinyin import lazy_pinyin

    words = lazy_pinyin(name, errors="ignore")
    return re.sub(r"[^a-z0-9]", "", "".join(words).lower())


def opening_hash(body: str) -> str:
    """12 hex digits (48 bits) of the normalised opening of a notice's body."""
    normal = re.sub(r"[\s\W_]+", "", fold(body[: _OPENING_CHARS * 2]))[:_OPENING_CHARS].encode("utf-8")
    short = hashlib.blake2b(normal, digest_size=2).hexdigest()  # the ids of earlier versions
    return short + hashlib.blake2b(normal, digest_size=4, person=b"zhenggai-id").hexdigest()


def province_slug_name(province: str) -> str:
    """The part of a province's name its id spells: 辽宁省 → 辽宁."""
    return _STRIP_PROVINCE.sub("", province)


def city_slug_name(city: str) -> str:
    """The part of a city's name its id spells: 黔东南苗族侗族自治州 → 黔东南."""
    return short_city(city)


def district_slug_name(district: str) -> str:
    """The part of a district's name its id spells: 长阳土家族自治县 → 长阳县 → 长阳."""
    name = ethnic_alias(district) or district
    return _STRIP_DISTRICT.sub("", name) or name


def notice_id(meta: NoticeMeta, body: str) -> str:
    """The notice's stable id."""
    place = meta.place
    parts: list[str] = []
    if place.province:
        parts.append(pinyin_slug(province_slug_name(place.province)))
    if place.city and place.city != place.province:
        parts.append(pinyin_slug(city_slug_name(place.city)))
    if place.district and place.adcode:
        parts.append(pinyin_slug(district_slug_name(place.district)))
    if meta.year:
        parts.append(str(meta.year))
    parts.append(opening_hash(body))
    return "-".join(p for p in parts if p) or opening_hash(body)
