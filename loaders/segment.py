"""Word segmentation, owned by this one module.

The fast path is rjieba (the jieba-rs binding: the same dictionary and algorithm as jieba with HMM
off, ~30 MB/s and a ~0.1 s start); jieba itself is kept as the reference the tests compare against
and as the fallback where rjieba cannot be installed.  Both load the shipped user dictionary of fixed
political and inspection terms (``loaders/data/userdict.txt``) so 三重一大, 两个维护, 营商环境 … stay
whole.  Nothing is loaded until the first call.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cache
from itertools import filterfalse
from operator import itemgetter
from typing import Any

from .data import data_file

#: Bumped when tokens change (the search index keys on it).
SEGMENTER_VERSION = "4"
#: The tokenizer whose tokens the index holds (``fts_forms``).
UNICODE61 = "unicode61 remove_diacritics 0"
_KEEP = re.compile(r"[\w\u4e00-\u9fff]")
#: Joins a notice's sections into one text to cut: jieba never makes it part of a word (it is neither
#: a Han character nor a letter), so each section is cut exactly as on its own.
_SEPARATOR = "\x00"


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


def load() -> None:
    """Load the segmenter now (importing rjieba and its dictionary: about 0.2 s), so that the first
    search for a word the index does not hold whole does not wait for it."""
    _engine_cut("")


def searchable(token: str) -> bool:
    """True for a token a search can find (not punctuation or whitespace)."""
    return _KEEP.search(token) is not None


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


def _cut_for_search(text: str) -> list[str]:
    try:
        return list(_rjieba().cut_for_search(text, False))
    except ImportError:  # pragma: no cover - rjieba is a declared dependency
        return jieba_cut_for_search(text)


def _has_word(word: str) -> bool:
    try:
        return bool(_rjieba().has_word(word))
    except ImportError:  # pragma: no cover - rjieba is a declared dependency
        return bool(_jieba().FREQ.get(word))


def _parts(word: str) -> str:
    """The words the search-engine mode adds for one word of the default mode (its two- and
    three-character words of the dictionary), joined by spaces; "" for none."""
    if len(word) <= 2:
        return ""
    if cut(word) == [word]:
        return " ".join(_cut_for_search(word)[:-1])
    grams = [word[i : i + 2] for i in range(len(word) - 1)]
    grams += [word[i : i + 3] for i in range(len(word) - 2)] if len(word) > 3 else []
    return " ".join(g for g in grams if _has_word(g))


class _Unicode61:
    """FTS5's ``unicode61`` tokenizer (SQLite's own, in a table in memory), to give the index its
    texts already tokenized: the index's table splits them at spaces only (``ascii``), which took a
    third less time than ``unicode61`` over every character of every text."""

    def __init__(self) -> None:
        self.db: sqlite3.Connection | None = None
        self.lock = threading.Lock()

    def forms(self, texts: list[str]) -> list[str]:
        with self.lock:
            if self.db is None:
                self.db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
                self.db.execute(
                    f"CREATE VIRTUAL TABLE t USING fts5(text, content = '', tokenize = '{UNICODE61}')"
                )
                self.db.execute("CREATE VIRTUAL TABLE t_tokens USING fts5vocab(t, 'instance')")
            db = self.db
            db.execute("BEGIN")
            try:  # read from FTS5's pending postings, never written: the table stays empty
                db.executemany("INSERT INTO t(rowid, text) VALUES (?, ?)", enumerate(texts))
                found = db.execute("SELECT doc, offset, term FROM t_tokens").fetchall()
            finally:
                db.execute("ROLLBACK")
        tokens: list[list[tuple[int, str]]] = [[] for _ in texts]
        for doc, offset, term in found:
            tokens[doc].append((offset, term))
        return [" ".join(term for _, term in sorted(each)) for each in tokens]


_UNICODE61 = _Unicode61()


#: Texts ``unicode61`` takes as they are, but for ASCII letters' case: words of Han characters (those
#: of Unicode 6.1, the tokenizer's tables), ASCII letters and digits, one space between words.
_PLAIN = re.compile(r"[0-9A-Za-z\u4e00-\u9fcc]+(?: [0-9A-Za-z\u4e00-\u9fcc]+)*")


def fts_forms(texts: list[str]) -> list[str]:
    """Each text as FTS5's ``unicode61`` tokenizer takes it: its tokens (case folded), joined by
    spaces ("" for none) — what the index holds and a query matches (the index's own tokenizer only
    splits at the spaces).  Plain texts (``_PLAIN``: almost every word) are folded here; only the
    others go through SQLite's tokenizer."""
    plain = _PLAIN.fullmatch
    forms = [text.lower() if plain(text) else None for text in texts]
    others = [i for i, form in enumerate(forms) if form is None]
    if others:
        for i, form in zip(others, _UNICODE61.forms([texts[i] for i in others]), strict=True):
            forms[i] = form
    return forms  # type: ignore[return-value]


class _IndexForms:
    """Every distinct token seen so far, learned once: how it appears in an index text (as ``fts_forms``
    gives it, punctuation and whitespace as nothing, a long word followed by the words inside it; a
    token that is its own form maps to itself, so a notice's tokens are looked up in one C call:
    ``itemgetter``) and which keyword candidate it counts as (``keywords.keyword_word``) — one table, so
    a notice's distinct tokens are looked up once for both."""

    def __init__(self) -> None:
        self.forms: dict[str, str] = {_SEPARATOR: _SEPARATOR}
        """Every token learned, with its form in an index text."""
        self.keep: dict[str, str] = {}
        """Tokens that are keyword candidates as they are, each mapped to itself as first learned: a
        notice's words are given as these objects, not as the strings its cut made (an index batch
        holds hundreds of notices' words: 35 MB of copies at 20,000 sections)."""
        self.fold: dict[str, str] = {}
        """Tokens that count as another candidate (Latin letters lower-cased)."""
        self.lock = threading.Lock()

    def learn(self, tokens: set[str]) -> None:
        """Learn ``tokens`` (none of them seen before); call holding the lock."""
        from .keywords import keyword_word  # keywords cuts with this module

        fresh = list(tokens)
        parts = [_parts(token) for token in fresh]
        forms = fts_forms(fresh + parts)
        for token, form, inside in zip(fresh, forms[: len(fresh)], forms[len(fresh) :], strict=True):
            self.forms[token] = f"{form} {inside}" if form and inside else form
            word = keyword_word(token)
            if word == token:
                self.keep[token] = token
            elif word:
                self.fold[token] = word

    def learn_new(self, distinct: Iterable[str]) -> None:
        """Learn those of ``distinct`` not seen yet."""
        with self.lock:
            fresh = set(filterfalse(self.forms.__contains__, distinct))
            if fresh:
                self.learn(fresh)

    def text(self, tokens: list[str], distinct: Iterable[str]) -> str:
        """The tokens as an index text (the separator between sections kept); ``distinct``: each of
        them once."""
        self.learn_new(distinct)
        if len(tokens) < 2:  # itemgetter of one key gives the value, not a tuple
            return " ".join(self.forms[token] for token in tokens)
        # one C call looks every token up: a third less time than ``map(forms.get, tokens, tokens)``
        return " ".join(itemgetter(*tokens)(self.forms))

    def keywords(self, counts: Mapping[str, int]) -> tuple[list[str], list[int]]:
        """The keyword candidates among counted tokens, all learned, and their counts."""
        with self.lock:  # one pass over the counts; the few folded tokens are looked for from their side
            keep = self.keep
            found = list(filter(keep.__contains__, counts))
            words = list(itemgetter(*found)(keep)) if len(found) > 1 else [keep[w] for w in found]
            fold = self.fold
            folded = (
                []
                if fold.keys().isdisjoint(counts.keys())
                else [(fold[t], counts[t]) for t in fold.keys() & counts.keys()]
            )
        values = list(map(counts.__getitem__, words))
        if folded:  # rare (Latin words): merged with the same word written in lower case
            merged = dict(zip(words, values, strict=True))
            for word, count in folded:
                merged[word] = merged.get(word, 0) + count
            words, values = list(merged), list(merged.values())
        return words, values


_INDEX_FORMS = _IndexForms()


def _joined(texts: list[str]) -> str:
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != len(texts) - 1:  # a text holds the separator: a space splits as well
        joined = _SEPARATOR.join(t.replace(_SEPARATOR, " ") for t in texts)
    return joined


#: A section's title is written at its text's start when found within this many characters more than the
#: title's own length (room for its number: 一、, (十二), 第十二条 …).
TITLE_AT_START = 16


def title_written(title: str, text: str) -> bool:
    """True when the section's text starts with its heading line, title included (so the title's words
    are indexed with the text, not a second time: 98 % of sections; a preamble's 导语 is not written)."""
    return text.find(title, 0, len(title) + TITLE_AT_START) >= 0


def notice_tokens(titles: list[str], texts: list[str]) -> tuple[list[str], Counter[str]]:
    """One cut of a notice's sections, for both of the index's needs.

    Returns each section's index text — the searchable tokens of ``index_text(title + " " + text)``,
    or of ``index_text(text)`` when the text starts with its title (``title_written``), in another
    order: each long word followed by the words inside it (the index ranks by how often a word occurs,
    never by where) — and the counts of the default mode's tokens of ``"\n".join(texts)`` (for the
    keyword counts).
    """
    if not texts:
        return [], Counter()
    forms = _INDEX_FORMS
    unwritten = [
        i for i, (title, text) in enumerate(zip(titles, texts, strict=True)) if not title_written(title, text)
    ]
    tokens = cut(_joined(texts))
    counts = Counter(tokens)
    rows = forms.text(tokens, counts).split(_SEPARATOR)
    counts.pop(_SEPARATOR, None)
    if unwritten:
        title_tokens = cut(_joined([titles[i] for i in unwritten]))
        for i, title_row in zip(
            unwritten, forms.text(title_tokens, title_tokens).split(_SEPARATOR), strict=True
        ):
            rows[i] = f"{title_row} {rows[i]}"
    return rows, counts


def keyword_counts(counts: Mapping[str, int]) -> tuple[list[str], list[int]]:
    """The keyword candidates among a text's counted tokens (``cut``) and their counts, in no particular
    order: words, counts."""
    _INDEX_FORMS.learn_new(counts)
    return _INDEX_FORMS.keywords(counts)


def learned_keyword_counts(counts: Mapping[str, int]) -> tuple[list[str], list[int]]:
    """``keyword_counts`` of the counts ``notice_tokens`` returned (every token learned already: not
    looked up again)."""
    return _INDEX_FORMS.keywords(counts)


def jieba_cut_for_search(text: str) -> list[str]:
    """jieba's search-engine mode (HMM off, same user dictionary): the reference."""
    return list(_jieba().cut_for_search(text, HMM=False))
