"""Word segmentation, owned by this one module.

The fast path is rjieba (the jieba-rs binding: the same dictionary and algorithm as jieba with HMM
off, ~30 MB/s and a ~0.1 s start); jieba itself is kept as the reference the tests compare against
and as the fallback where rjieba cannot be installed.  Both load the shipped user dictionary of fixed
political and inspection terms (``loaders/data/userdict.txt``) so 三重一大, 两个维护, 营商环境 … stay
whole.  Nothing is loaded until the first call.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from typing import Any

from .data import data_file

#: Bumped when tokens change (the search index keys on it).
SEGMENTER_VERSION = "3"
_KEEP = re.compile(r"[\w\u4e00-\u9fff]")


@cache
def user_words() -> tuple[tuple[str, int], ...]:
    """The shipped user dictionary: (word, frequency)."""
    text = data_file("userdict.txt").read_text(encoding="utf-8")
    words = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            words.append((parts[0], int(parts[1])))
    return tuple(words)


@cache
def _rjieba() -> Any:
    import rjieba

    engine = rjieba.Jieba()
    for word, freq in user_words():
        engine.add_word(word, freq, None)
    return engine


@cache
def _jieba() -> Any:
    import logging

    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for word, freq in user_words():
        tokenizer.add_word(word, freq)
    return tokenizer


def _engine_cut(text: str) -> list[str]:
    try:
        return list(_rjieba().cut(text, False))
    except ImportError:  # pragma: no cover - rjieba is a declared dependency
        return jieba_cut(text)


def jieba_cut(text: str) -> list[str]:
    """jieba's own segmentation (HMM off, same user dictionary): the reference."""
    return list(_jieba().cut(text, HMM=False))


def cut(text: str) -> list[str]:
    """All tokens of ``text`` (punctuation and spaces included), as jieba would give them."""
    return _engine_cut(text)


def words(text: str) -> list[str]:
    """Searchable tokens: no punctuation or whitespace, Latin letters lower-cased."""
    return [token.lower() for token in _engine_cut(text) if _KEEP.search(token)]


def index_words(text: str) -> list[str]:
    """Tokens to index: search-engine mode (long words and the words inside them, 整改措施 → 整改,
    措施, 整改措施), so a query for a part of a compound still finds it."""
    try:
        tokens = list(_rjieba().cut_for_search(text, False))
    except ImportError:  # pragma: no cover - rjieba is a declared dependency
        tokens = jieba_cut_for_search(text)
    return [token.lower() for token in tokens if _KEEP.search(token)]


def index_text(text: str) -> str:
    """``index_words`` as the index takes them: the search-engine mode's tokens joined by spaces.

    Punctuation and spaces are left in, and Latin letters in their case: the index's own tokenizer
    (FTS5 ``unicode61``) drops the one and folds the other in C, as it does for queries — filtering
    tens of millions of tokens in Python was most of the time of building an index.
    """
    try:
        return " ".join(_rjieba().cut_for_search(text, False))
    except ImportError:  # pragma: no cover - rjieba is a declared dependency
        return " ".join(jieba_cut_for_search(text))


def counted_words(text: str) -> Counter[str]:
    """``Counter(words(text))``, counting in C and filtering each distinct word once."""
    raw = Counter(_engine_cut(text))
    counts: Counter[str] = Counter()
    for token, count in raw.items():
        if _KEEP.search(token):
            counts[token.lower()] += count
    return counts


def jieba_cut_for_search(text: str) -> list[str]:
    """jieba's search-engine mode (HMM off, same user dictionary): the reference."""
    return list(_jieba().cut_for_search(text, HMM=False))
