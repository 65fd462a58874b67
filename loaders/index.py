"""The persistent search index: SQLite FTS5 (stdlib) over pre-segmented section text.

One row per section.  Rows are grouped by source file under a key made of the file's notices and
section fingerprints plus the loader and segmenter versions, so a second start segments nothing for
unchanged files, and a changed, added or removed file is re-indexed alone.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .keywords import candidate_counts
from .model import LOADER_VERSION, Notice
from .segment import SEGMENTER_VERSION, index_words

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (key TEXT PRIMARY KEY, path TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sections (
    rowid INTEGER PRIMARY KEY,
    file_key TEXT NOT NULL,
    notice_id TEXT NOT NULL,
    section_id TEXT NOT NULL,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    province TEXT, city TEXT, district TEXT, level TEXT, year INTEGER,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sections_file ON sections(file_key);
CREATE TABLE IF NOT EXISTS notice_words (
    notice_id TEXT PRIMARY KEY, file_key TEXT NOT NULL, counts TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS tokens USING fts5(body, tokenize = 'unicode61 remove_diacritics 0');
"""

IndexProgress = Callable[[int, int], None]


def file_key(notices: list[Notice]) -> str:
    """What a file's rows depend on: its notices' ids and section fingerprints, and the versions."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"loader={LOADER_VERSION};segmenter={SEGMENTER_VERSION}".encode())
    for notice in notices:
        digest.update(notice.id.encode())
        for section in notice.walk():
            digest.update(f"|{section.id}:{section.fingerprint}".encode())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What ``SearchIndex.sync`` did."""

    added_files: int
    removed_files: int
    kept_files: int
    sections_indexed: int


class SearchIndex:
    """The index file; ``sync`` it with a corpus, then query it (``loaders.query``)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path) if path is not None else ":memory:", check_same_thread=False)
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def sync(self, notices: list[Notice], progress: IndexProgress | None = None) -> SyncReport:
        """Make the index hold exactly these notices, re-indexing only files that changed."""
        by_file: dict[str, list[Notice]] = {}
        for notice in notices:
            by_file.setdefault(notice.file, []).append(notice)
        wanted = {file_key(group): (path, group) for path, group in by_file.items()}
        have = {row[0] for row in self.db.execute("SELECT key FROM files")}
        stale = have - wanted.keys()
        new = [key for key in wanted if key not in have]
        with self.db:
            for key in stale:
                rowids = [
                    r[0] for r in self.db.execute("SELECT rowid FROM sections WHERE file_key = ?", (key,))
                ]
                self.db.executemany("DELETE FROM tokens WHERE rowid = ?", [(r,) for r in rowids])
                self.db.execute("DELETE FROM sections WHERE file_key = ?", (key,))
                self.db.execute("DELETE FROM notice_words WHERE file_key = ?", (key,))
                self.db.execute("DELETE FROM files WHERE key = ?", (key,))
        indexed = 0
        for done, key in enumerate(new, start=1):
            path, group = wanted[key]
            with self.db:
                for notice in group:
                    indexed += self._add_notice(key, notice)
                self.db.execute("INSERT INTO files(key, path) VALUES (?, ?)", (key, path))
            if progress is not None:
                progress(done, len(new))
        return SyncReport(len(new), len(stale), len(wanted) - len(new), indexed)

    def _add_notice(self, key: str, notice: Notice) -> int:
        place = notice.meta.place
        count = 0
        for section in notice.walk():
            text = section.text
            cursor = self.db.execute(
                "INSERT INTO sections(file_key, notice_id, section_id, number, title, kind, province, city,"
                " district, level, year, text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (key, notice.id, section.id, section.number, section.title, section.kind, place.province,
                 place.city, place.district, notice.meta.level, notice.meta.year, text),
            )  # fmt: skip
            self.db.execute(
                "INSERT INTO tokens(rowid, body) VALUES (?, ?)",
                (cursor.lastrowid, " ".join(index_words(section.title + " " + text))),
            )
            count += 1
        self.db.execute(
            "INSERT OR REPLACE INTO notice_words(notice_id, file_key, counts) VALUES (?, ?, ?)",
            (notice.id, key, json.dumps(candidate_counts(notice), ensure_ascii=False)),
        )
        return count

    def word_counts(self) -> dict[str, Counter[str]]:
        """Each indexed notice's keyword candidates with their counts (kept since indexing)."""
        rows = self.db.execute("SELECT notice_id, counts FROM notice_words")
        return {notice_id: Counter(json.loads(counts)) for notice_id, counts in rows}

    def size_bytes(self) -> int:
        """The index file's size on disk (0 in memory)."""
        return self.path.stat().st_size if self.path is not None and self.path.exists() else 0
