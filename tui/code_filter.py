"""Filtering codes in the picker: Chinese substrings, full pinyin and pinyin initials of any level of
a code's path (``xs`` → 形式主义, ``wenti`` → 问题类型 and everything under it).

Pure (no textual); pypinyin is imported on first use.
"""

from __future__ import annotations

from functools import cache

from ..store.codes import Code


@cache
def _spelled(name: str) -> tuple[str, str]:
    """``形式主义`` → (``xingshizhuyi``, ``xszy``)."""
    from pypinyin import Style, lazy_pinyin

    full = lazy_pinyin(name, errors="default")
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return "".join(full).lower(), "".join(initials).lower()


def code_matches(query: str, code: Code) -> bool:
    """True when every word of ``query`` is in the code's path, or starts the pinyin (or its
    initials) of one of its levels."""
    words = query.lower().split()
    names = [name.lower() for name in code.path]
    return all(_word_matches(word, names) for word in words)


def _word_matches(word: str, names: list[str]) -> bool:
    if any(word in name for name in names):
        return True
    if not word.isascii():
        return False
    return any(_spelled(name)[0].startswith(word) or _spelled(name)[1].startswith(word) for name in names)
