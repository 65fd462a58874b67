"""What the search index stores of a notice, and where it reads section texts back from.

The index keeps no copy of the text.  A section's text is a byte range of its notice's body in the
corpus store beside the index (``cache/corpus.sqlite``, which holds every notice's text under the
content key of its file), read back with SQLite's incremental blob I/O: only the bytes of the
sections shown.  A notice the store does not hold (a corpus loaded without the store, an index in
memory) keeps its sections' texts in the index instead.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .cache import STORE_NAME
from .keywords import candidate_counts
from .model import Notice
from .segment import learned_keyword_counts, notice_tokens

#: Where a section's text is: ``(store_key, store_idx, start, size, text)`` (``sections``, ``notices``).
TextRef = tuple[str | None, int, int, int, str | None]


class SectionRow(NamedTuple):
    """One section as the index keeps it (a named tuple: made in two thirds of a frozen dataclass's
    time, 0.14 s for 138,635 of them)."""

    section_id: str
    number: str
    title: str
    kind: str
    start: int
    """Where the text starts in the notice's body in the store (UTF-8 bytes)."""
    size: int
    """The text's length in UTF-8 bytes."""
    text: str | None
    """The text itself, only when the store does not hold the notice."""


@dataclass(frozen=True, slots=True)
class NoticeRows:
    """A notice's rows: its sections, their index texts and its keyword counts."""

    notice: Notice
    sections: list[SectionRow]
    tokens: list[str]
    """Each section's index text (``segment.notice_tokens``)."""
    words: list[str]
    """The notice's keyword candidates (``keywords.keyword_word``), each once."""
    counts: list[int]
    """How often each of ``words`` occurs."""


def notice_rows(notice: Notice, in_store: bool) -> NoticeRows:
    """Segment a notice once: index texts, keyword counts and where each section's text is."""
    walked = notice.section_texts()
    texts = [text for *_, text in walked]
    tokens, cut = notice_tokens([title for _, _, title, _, _ in walked], texts)
    body = notice.body
    whole = "\n".join(texts) == body  # the sections tile the body (always, for the loaders here)
    if whole:
        words, counts = learned_keyword_counts(cut)
    else:  # counted over the body, as the keyword model does
        counted = candidate_counts(notice)
        words, counts = list(counted), list(counted.values())
    rows = []
    at = 0
    for (section_id, number, title, kind, _), text in zip(walked, texts, strict=True):
        size = len(text.encode())
        start, kept = at, None
        if not in_store:
            kept = text
        elif not whole:
            found = body.find(text)
            if found < 0:
                kept = text
            else:
                start = len(body[:found].encode())
        rows.append(SectionRow(section_id, number, title, kind, start, size, kept))
        at += size + 1
    return NoticeRows(notice, rows, tokens, words, counts)


def index_texts(titles: list[str], texts: list[str]) -> list[str]:
    """The index texts of sections given back (to forget them: the same tokens as when added)."""
    return notice_tokens(titles, texts)[0]


def pack_counts(words: list[str], counts: list[int]) -> bytes:
    """Keyword counts as stored: the words, one a line, in UTF-8, a NUL, then their counts — one byte
    each when all are below 256 (almost every notice), else a 0xFF byte and four bytes each, unsigned
    little-endian (writing them as decimal text took a third of a second at 2,000 notices; a keyword
    candidate never holds a line break or a NUL)."""
    head = "\n".join(words).encode() + b"\x00"
    if not counts or max(counts) < 256:
        return head + bytes(counts)
    numbers = array("I", counts)
    if sys.byteorder == "big":  # pragma: no cover - the machines here are little-endian
        numbers.byteswap()
    return head + b"\xff" + numbers.tobytes()


def unpack_counts(raw: object) -> Counter[str] | None:
    """Stored keyword counts, or None when they are not as ``pack_counts`` wrote them."""
    if not isinstance(raw, bytes) or b"\x00" not in raw:
        return None
    text, numbers = raw.split(b"\x00", 1)
    try:
        names = text.decode().split("\n") if text else []
    except UnicodeDecodeError:
        return None
    values: list[int] | array[int] = list(numbers)
    if len(numbers) == 4 * len(names) + 1 and numbers[:1] == b"\xff":
        values = array("I")
        values.frombytes(numbers[1:])
        if sys.byteorder == "big":  # pragma: no cover - the machines here are little-endian
            values.byteswap()
    if len(names) != len(values) or len(set(names)) != len(names) or (values and min(values) < 1):
        return None
    return Counter(dict(zip(names, values, strict=True)))


class StoreTexts:
    """Reads section texts from the corpus store (read-only, opened on first use; thread-safe)."""

    def __init__(self, index_path: Path | None) -> None:
        self.path = index_path.with_name(STORE_NAME) if index_path is not None else None
        self._db: sqlite3.Connection | None = None
        self._inode: int | None = None
        self._lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection | None:
        """The connection to the store file there now (reopened when the file was replaced)."""
        try:
            inode = self.path.stat().st_ino if self.path is not None else None
        except OSError:
            inode = None
        if inode != self._inode:
            self._close()
            self._inode = inode
        if self._db is None and self.path is not None and inode is not None:
            with suppress(sqlite3.Error, OSError):
                self._db = sqlite3.connect(
                    self.path.as_uri() + "?mode=ro",
                    uri=True,
                    check_same_thread=False,
                    timeout=5.0,
                    isolation_level=None,
                )
        return self._db

    def _close(self) -> None:
        if self._db is not None:
            with suppress(sqlite3.Error):
                self._db.close()
        self._db = None

    def holds(self, key: str, notices: list[Notice]) -> bool:
        """True when the store holds these notices of the file with content key ``key``."""
        with self._lock:
            db = self._connection()
            if db is None:
                return False
            try:
                rows = db.execute("SELECT idx, id FROM notices WHERE key = ? ORDER BY idx", (key,)).fetchall()
            except sqlite3.Error:
                return False
        ids = dict(rows)
        return all(ids.get(n.index_in_file) == n.id for n in notices)

    def read(self, wanted: list[tuple[str, int, int, int]]) -> list[str | None]:
        """The texts at ``(key, idx, start, size)``: bytes of notice ``idx``'s body in entry ``key``
        (None for one the store no longer holds)."""
        found: list[str | None] = [None] * len(wanted)
        with self._lock:
            db = self._connection()
            if db is None:
                return found
            rowids: dict[tuple[str, int], int | None] = {}
            try:
                db.execute("BEGIN")  # one snapshot: the rowids stay those of the rows read
                for position, (key, idx, start, size) in enumerate(wanted):
                    if (key, idx) not in rowids:
                        row = db.execute(
                            "SELECT rowid FROM notices WHERE key = ? AND idx = ?", (key, idx)
                        ).fetchone()
                        rowids[(key, idx)] = row[0] if row else None
                    rowid = rowids[(key, idx)]
                    if rowid is None:
                        continue
                    with db.blobopen("notices", "body", rowid, readonly=True) as blob:
                        if start + size > len(blob):
                            continue
                        blob.seek(start)
                        data = blob.read(size)
                    with suppress(UnicodeDecodeError):
                        found[position] = data.decode()
            except sqlite3.Error:
                pass
            finally:
                with suppress(sqlite3.Error):
                    db.execute("COMMIT")
        return found

    def close(self) -> None:
        """Close the connection (it opens again when needed)."""
        with self._lock:
            self._close()
            self._inode = None


def read_texts(
    store: StoreTexts,
    refs: list[TextRef],
    notices: Callable[[], Sequence[Notice]],
    file_keys: Mapping[str, str],
) -> list[str | None]:
    """Section texts from ``(store_key, store_idx, start, size, text)``: the text kept in the index,
    else read from the store, else cut from a notice last synced (``notices()``; None: nowhere to be
    read)."""
    found: list[str | None] = [text for *_, text in refs]
    wanted = [i for i, (key, *_, text) in enumerate(refs) if text is None and key is not None]
    if wanted:
        read = store.read([refs[i][:4] for i in wanted])  # type: ignore[misc]
        for i, text in zip(wanted, read, strict=True):
            found[i] = text
    missing = [i for i, text in enumerate(found) if text is None]
    if missing:
        by_place = {(n.index_in_file, file_keys.get(n.file)): n for n in notices()}
        for i in missing:
            key, idx, start, size, _ = refs[i]
            notice = by_place.get((idx, key))
            if notice is not None:
                with suppress(UnicodeDecodeError):
                    found[i] = notice.body.encode()[start : start + size].decode()
    return found


class KeywordCounts:
    """The index's keyword counts, as a ``keywords.WordSource`` (a part of ``SearchIndex``)."""

    db: sqlite3.Connection

    def recover(self, reason: str) -> bool:
        """A query met an error: rebuild a damaged index (``SearchIndex.recover``)."""
        raise NotImplementedError

    def notice_count(self) -> int:
        """How many notices have keyword counts in the index."""
        try:
            return int(self.db.execute("SELECT COUNT(*) FROM notices").fetchone()[0])
        except sqlite3.Error:
            return 0

    def counts_of(self, notice_id: str) -> Counter[str]:
        """One notice's keyword candidates with their counts (empty when unknown or unreadable)."""
        try:
            row = self.db.execute("SELECT counts FROM notices WHERE notice_id = ?", (notice_id,)).fetchone()
        except sqlite3.Error:
            return Counter()
        return (unpack_counts(row[0]) if row else None) or Counter()

    def df_of(self, words: Iterable[str]) -> dict[str, int]:
        """In how many indexed notices each of ``words`` occurs."""
        wanted = list(words)
        found: dict[str, int] = {}
        try:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                found.update(self.db.execute(f"SELECT word, df FROM word_df WHERE word IN ({marks})", chunk))
        except sqlite3.Error:
            return {}
        return found

    def word_counts(self) -> dict[str, Counter[str]]:
        """Each indexed notice's keyword candidates with their counts (kept since indexing); rows that
        cannot be read are left out."""
        for attempt in range(2):
            try:
                rows = self.db.execute("SELECT notice_id, counts FROM notices").fetchall()
                break
            except sqlite3.Error as exc:
                if attempt or not self.recover(str(exc)):
                    return {}
        counts: dict[str, Counter[str]] = {}
        for notice_id, raw in rows:
            value = unpack_counts(raw)
            if value is not None:
                counts[str(notice_id)] = value
        return counts
