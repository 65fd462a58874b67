"""Filtering notices by place: Chinese substrings, full pinyin and pinyin initials (``hp`` → 和平区).

Pure (no textual).  Place names of the division table take their pinyin from the shipped table;
pypinyin is imported only for other names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..loaders.entries import Listed


@cache
def _pinyin(name: str) -> tuple[str, str]:
    """``和平区`` → (``hepingqu``, ``hpq``): from the shipped table, pypinyin for other names."""
    from ..loaders.ids import shipped_pinyin  # the table loads with the first name, after the first frame

    shipped = shipped_pinyin(name)
    if shipped is not None:
        return shipped
    from pypinyin import Style, lazy_pinyin

    full = lazy_pinyin(name, errors="ignore")
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")
    return "".join(full).lower(), "".join(initials).lower()


def pinyin_of(name: str) -> str:
    """The toneless pinyin of a place name (``和平区`` → ``hepingqu``), for natural sorting."""
    return _pinyin(name)[0] if name else ""


@dataclass(frozen=True, slots=True)
class PlaceKeys:
    """What a filter query is matched against for one notice."""

    names: tuple[str, ...]
    pinyin: tuple[str, ...]
    initials: tuple[str, ...]
    extra: str
    """Title, level, round and year: matched as plain substrings."""
    notice_id: str


def place_keys(notice: Listed) -> PlaceKeys:
    """The filter keys of a notice (province, city, district names and their pinyin)."""
    names = tuple(n for n in (notice.province, notice.city, notice.district) if n)
    spelled = [_pinyin(n) for n in names]
    extra = " ".join(str(x) for x in (notice.title, notice.level, notice.round, notice.year) if x)
    return PlaceKeys(
        names, tuple(s[0] for s in spelled), tuple(s[1] for s in spelled), extra.lower(), notice.id
    )


def matches(query: str, keys: PlaceKeys) -> bool:
    """True when every word of ``query`` matches a name, its pinyin, its initials or the title.

    ``hp`` → 和平区; ``shenyang`` → every notice of 沈阳; ``沈阳 铁西`` → 沈阳's 铁西区 only;
    ``anshan tx`` → 鞍山's 铁西区.
    """
    words = query.lower().split()
    return all(_word_matches(word, keys) for word in words)


def _word_matches(word: str, keys: PlaceKeys) -> bool:
    if any(word in name for name in keys.names) or word in keys.extra:
        return True
    if len(word) >= 6 and keys.notice_id.startswith(word):
        return True
    if word.isascii():
        return any(p.startswith(word) for p in keys.pinyin) or any(i.startswith(word) for i in keys.initials)
    return False
