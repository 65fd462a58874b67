"""Corpus-specific keywords of a notice: TF-IDF with the IDF taken from the loaded corpus.

Template words (those in most notices: 整改, 巡视, 落实 …), single characters, numbers and stopwords
weigh nothing, so what remains is what sets a notice apart from the others.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import Protocol

from .entries import Listed
from .model import Notice
from .segment import cut, keyword_counts, searchable

_NUMBERISH = re.compile(r"^[\d.%万亿个年月日第]+$")
_STOP = frozenset(
    [
        "进一步",
        "工作",
        "开展",
        "加强",
        "推进",
        "相关",
        "情况",
        "全面",
        "持续",
        "问题",
        "方面",
        "有关",
        "通过",
        "坚持",
        "进行",
        "做好",
        "确保",
        "严格",
        "目前",
    ]
)
#: A word in more than this share of notices is template language.
TEMPLATE_SHARE = 0.5


def _candidate(word: str) -> bool:
    return len(word) >= 2 and word not in _STOP and not _NUMBERISH.match(word)


def keyword_word(token: str) -> str:
    """The keyword candidate a token of ``segment.cut`` counts as: itself, Latin letters lower-cased,
    or nothing ("": punctuation, single characters, numbers, stopwords)."""
    word = token.lower() if searchable(token) else ""
    return word if word and _candidate(word) else ""


def candidate_counts_of(tokens: Counter[str]) -> Counter[str]:
    """The keyword candidates among a text's tokens (``segment.cut``, counted), with their counts."""
    words, values = keyword_counts(tokens)
    return Counter(dict(zip(words, values, strict=True)))


def candidate_counts(notice: Notice) -> Counter[str]:
    """The notice's words that could be keywords, with their counts (the index keeps these)."""
    return candidate_counts_of(Counter(cut(notice.body)))


class WordSource(Protocol):
    """Where a model reads counts it does not hold (the search index keeps them since indexing)."""

    def notice_count(self) -> int:
        """How many notices the frequencies are over."""
        ...

    def counts_of(self, notice_id: str) -> Counter[str]:
        """One notice's keyword candidates with their counts."""
        ...

    def df_of(self, words: Iterable[str]) -> dict[str, int]:
        """In how many notices each word occurs."""
        ...


class KeywordModel:
    """Document frequencies over a corpus; ``keywords`` scores one notice against them."""

    source: WordSource | None = None

    @classmethod
    def from_source(cls, notices: Iterable[Listed], source: WordSource) -> KeywordModel:
        """A model that reads one notice's counts and their frequencies when asked (nothing at start:
        decoding every notice's counts took seconds of the reader's start at thousands of notices);
        ``notices``: ``Notice`` objects or ``NoticeEntry`` rows (only their places are read)."""
        model = cls([])
        model.source = source
        model.count = source.notice_count()
        for notice in notices:
            model.places[notice.id] = tuple(n for n in (notice.province, notice.city, notice.district) if n)
        return model

    def __init__(self, notices: list[Notice]) -> None:
        """Count the words of every notice (``from_source`` reads them from the index instead)."""
        self.count = len(notices)
        self.counts: dict[str, Counter[str]] = {}
        self.df: Counter[str] = Counter()
        self.places: dict[str, tuple[str, ...]] = {}
        self._memo: dict[tuple[str, int], list[tuple[str, float]]] = {}
        for notice in notices:
            place = notice.meta.place
            self.places[notice.id] = tuple(n for n in (place.province, place.city, place.district) if n)
            counts = candidate_counts(notice)
            self.counts[notice.id] = counts
            self.df.update(counts.keys())

    def keywords(self, notice_id: str, top: int = 12) -> list[tuple[str, float]]:
        """The notice's ``top`` words by TF-IDF, best first (remembered: a reader asks at every move)."""
        memo = self._memo
        found = memo.get((notice_id, top))
        if found is None:
            if len(memo) >= 256:
                memo.clear()
            found = memo[(notice_id, top)] = self._score(notice_id, top)
        return list(found)

    def _score(self, notice_id: str, top: int) -> list[tuple[str, float]]:
        counts = self.counts.get(notice_id)
        df = self.df
        if counts is None and self.source is not None:
            counts = self.source.counts_of(notice_id)
            df = Counter(self.source.df_of(counts))
        if not counts:
            return []
        total = sum(counts.values())
        own_place = self.places.get(notice_id, ())
        scored = []
        for word, count in counts.items():
            if any(word in name for name in own_place):  # its own name says nothing about it
                continue
            frequency = df[word]
            if self.count > 3 and frequency / self.count > TEMPLATE_SHARE:
                continue
            idf = math.log((1 + self.count) / (1 + frequency)) + 1
            scored.append((word, count / total * idf))
        scored.sort(key=lambda item: (-item[1], item[0]))
        return [(w, round(s, 5)) for w, s in scored[:top]]
