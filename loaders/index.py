"""The persistent search index: SQLite FTS5 (stdlib) over pre-segmented section text.

One row per section.  Rows are grouped by source file under a key made of the file's notices and
section fingerprints plus the loader and segmenter versions, so a second start segments nothing for
unchanged files, and a changed, added or removed file is re-indexed alone.

The index holds tokens, postings and where each section's text is — not the text: snippets and exact
phrases read it from the corpus store beside the index (``index_rows.StoreTexts``), so the index is
about half the size of the text it searches.

The index is a disposable cache, so nothing in it can stop the reader or a search:

* a file that is not a database, is damaged (``PRAGMA quick_check``, run when the file changed since it
  was last checked) or has another version or shape is discarded and rebuilt; a query that meets damage
  later rebuilds it from the notices last synced; a removed file whose text can no longer be read (to
  give FTS5 its tokens back) also has the index rebuilt;
* several processes may sync one index at once: a file lock around opening and syncing makes the others
  wait and then find the work done, and every file's rows go in one ``BEGIN IMMEDIATE`` transaction that
  first checks the file is not indexed already (so even without the lock nothing is inserted twice);
* where the cache folder cannot be written (or the disk is full), the index lives in memory.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout

from .index_files import (
    FileGroup,
    corpus_groups,
    file_key,
    ids_key,
    notice_groups,
    stamp_synced,
    synced_files,
)
from .index_rows import (
    KeywordCounts,
    NoticeRows,
    StoreTexts,
    TextRef,
    index_texts,
    notice_rows,
    pack_counts,
    read_texts,
    unpack_counts,
)
from .index_schema import COLUMNS as _COLUMNS
from .index_schema import INDEX_VERSION as INDEX_VERSION
from .index_schema import SCHEMA as _SCHEMA
from .index_schema import read_shape
from .model import Notice
from .sqlite_tx import is_busy, transaction

if TYPE_CHECKING:
    from .corpus import Corpus

#: How long to wait for another process's sync (then sync anyway: the transactions keep it correct).
SYNC_LOCK_TIMEOUT = 120.0
#: How long SQLite waits for another connection's write transaction.
BUSY_TIMEOUT = 60.0
#: New files are indexed in transactions of about this many sections: FTS5 writes a segment at every
#: commit and merges segments later, so one commit per file made most of an index's build time.
BATCH_SECTIONS = 20_000
IndexProgress = Callable[[int, int], None]
_Batch = list[tuple[str, str, list[NoticeRows]]]


class IndexDamaged(Exception):
    """The index file is not a usable index (the message says why)."""


class _Unforgettable(Exception):
    """A removed file's rows cannot be given back to FTS5: their text can no longer be read."""


def _unwritable(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return any(w in text for w in ("disk is full", "readonly", "read-only", "unable to open", "disk i/o"))


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What ``SearchIndex.sync`` did."""

    added_files: int
    removed_files: int
    kept_files: int
    sections_indexed: int


class SearchIndex(KeywordCounts):
    """The index file; ``sync`` it with a corpus, then query it (``loaders.query``)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.problem: str | None = None
        """Why the index file was discarded and rebuilt, or why it lives in memory (one line)."""
        self._groups: Callable[[], list[FileGroup]] = list
        self._notices: Callable[[], Sequence[Notice]] = list
        self._file_keys: dict[str, str] = {}
        self.texts = StoreTexts(path)
        """Where section texts are read from (the corpus store beside the index)."""
        self._lock: FileLock | None = None
        if path is not None:
            with suppress(OSError):
                path.parent.mkdir(parents=True, exist_ok=True)
            self._lock = FileLock(str(path.with_name(path.name + ".lock")), timeout=SYNC_LOCK_TIMEOUT)
        with self._locked():
            self.db = self._open()

    # -- opening, checking, discarding ---------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the index's file lock (if it can be had; the transactions keep things right anyway)."""
        held = False
        if self._lock is not None:
            try:
                self._lock.acquire()
                held = True
            except (Timeout, OSError):
                held = False
        try:
            yield
        finally:
            if held and self._lock is not None:
                self._lock.release()

    def _open(self) -> sqlite3.Connection:
        """A connection to a healthy index file: damaged ones are discarded (three tries, as another
        process may be replacing it too), an unusable folder gives an index in memory."""
        if self.path is None:
            return self._memory(None)
        for _ in range(3):
            try:
                inode = self._inode()
                db = sqlite3.connect(
                    str(self.path), timeout=BUSY_TIMEOUT, check_same_thread=False, isolation_level=None
                )
            except (sqlite3.Error, OSError) as exc:
                return self._memory(f"cannot open {self.path}: {exc}")
            try:
                self._prepare(db)
                return db
            except (IndexDamaged, sqlite3.DatabaseError) as exc:
                db.close()
                if isinstance(exc, sqlite3.Error) and (is_busy(exc) or _unwritable(exc)):
                    return self._memory(f"cannot use {self.path}: {exc}")
                self.problem = f"the search index {self.path} was rebuilt: {exc}"
                if self._inode() == inode:  # not already replaced by another process
                    self._discard()
        return self._memory(f"cannot rebuild {self.path}")

    def _inode(self) -> int | None:
        try:
            return self.path.stat().st_ino if self.path is not None else None
        except OSError:
            return None

    def _memory(self, problem: str | None) -> sqlite3.Connection:
        if problem is not None:
            self.problem = problem + " (searching an index in memory)"
        db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        for statement in _SCHEMA:
            db.execute(statement)
        return db

    def _prepare(self, db: sqlite3.Connection) -> None:
        """Create the schema in an empty file; otherwise check version, shape and (once per change of
        the file) integrity.

        Raises:
            IndexDamaged: another version or shape, or damaged.
            sqlite3.DatabaseError: not a database, or unreadable.
        """
        version, tables = read_shape(db)
        if not tables:  # another connection may be creating it too: look again holding the write lock
            with transaction(db):
                version, tables = read_shape(db)
                if not tables:
                    for statement in _SCHEMA:
                        db.execute(statement)
            if not tables:
                self._stamp()
                return
        if version != INDEX_VERSION:
            raise IndexDamaged(f"an index of another version ({version}, not {INDEX_VERSION})")
        for table, columns in _COLUMNS.items():
            found = tuple(row[1] for row in db.execute(f"PRAGMA table_info({table})"))
            if found != columns:
                raise IndexDamaged(f"its table {table} has another shape")
        if not self._verified():
            result = [row[0] for row in db.execute("PRAGMA quick_check(3)")]
            if result != ["ok"]:
                raise IndexDamaged(f"it is damaged ({'; '.join(str(r) for r in result)[:120]})")
            self._stamp()

    def _stamp_path(self) -> Path | None:
        return self.path.with_name(self.path.name + ".checked") if self.path is not None else None

    def _signature(self) -> str:
        try:
            info = self.path.stat() if self.path is not None else None
        except OSError:
            return ""
        return f"{info.st_ino} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns}" if info else ""

    def _verified(self) -> bool:
        """True when the file is exactly as it was after its last check or our last sync."""
        stamp = self._stamp_path()
        try:
            return stamp is not None and stamp.read_text(encoding="ascii") == self._signature() != ""
        except (OSError, ValueError):
            return False

    def _stamp(self) -> None:
        stamp = self._stamp_path()
        if stamp is not None:
            with suppress(OSError):
                stamp.write_text(self._signature(), encoding="ascii")

    def _discard(self) -> None:
        """Delete the index file and what SQLite keeps beside it."""
        if self.path is None:
            return
        for suffix in ("", "-journal", "-wal", "-shm", ".checked", ".synced"):
            with suppress(OSError):
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)

    def _reset(self, reason: str) -> None:
        """Throw the index away and start an empty one (on disk if possible)."""
        with suppress(sqlite3.Error):
            self.db.close()
        self.problem = f"the search index {self.path} was rebuilt: {reason}"
        self._discard()
        self.db = self._open()

    def recover(self, reason: str) -> bool:
        """A query met an error: if the index is damaged, rebuild it from the notices last synced.

        Returns True when the query is worth trying again.
        """
        with self._locked():
            try:
                if self.path is not None and self.db.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok":
                    return True  # healthy: busy, or a query the index cannot answer
            except sqlite3.Error:
                pass
            try:
                self._reset(reason)
                self._sync(self._groups(), None)
            except sqlite3.Error as exc:
                with suppress(sqlite3.Error):
                    self.db.close()
                self.db = self._memory(f"cannot rebuild {self.path}: {exc}")
                try:
                    self._sync(self._groups(), None)
                except sqlite3.Error:
                    return False
        return True

    def close(self) -> None:
        """Close the database."""
        self.db.close()
        self.texts.close()

    # -- syncing -------------------------------------------------------------------------------

    def sync(
        self,
        notices: list[Notice],
        progress: IndexProgress | None = None,
        file_keys: Mapping[str, str] | None = None,
    ) -> SyncReport:
        """Make the index hold exactly these notices, re-indexing only files that changed.

        ``file_keys`` (``Corpus.file_keys``) lets unchanged files be recognised by their content key.

        Never fails on the index's account: a damaged index is rebuilt, an unwritable one replaced by
        an index in memory.
        """
        groups = notice_groups(notices)
        return self._sync_groups(lambda: groups, lambda: notices, progress, file_keys)

    def sync_corpus(self, corpus: Corpus, progress: IndexProgress | None = None) -> SyncReport:
        """``sync`` with a corpus's notices, building only those of files not indexed yet; a corpus
        opened from the store's snapshot the index was last synced with is not even compared
        (``index_files.synced_files``)."""
        digest = corpus.snapshot_digest
        if digest is not None and self.path is not None:
            with self._locked():
                files = synced_files(self.path, digest)
            if files is not None:
                self._groups = lambda: corpus_groups(corpus)
                self._notices = lambda: corpus.notices
                self._file_keys = corpus.file_keys
                return SyncReport(0, 0, files, 0)
        return self._sync_groups(
            lambda: corpus_groups(corpus), lambda: corpus.notices, progress, corpus.file_keys, digest
        )

    def _sync_groups(
        self,
        groups: Callable[[], list[FileGroup]],
        notices: Callable[[], Sequence[Notice]],
        progress: IndexProgress | None,
        file_keys: Mapping[str, str] | None,
        digest: str | None = None,
    ) -> SyncReport:
        """Sync with these files; ``digest``: the snapshot the corpus was opened from, recorded with
        the index's status after a sync that did not fail (``index_files.stamp_synced``)."""
        self._groups = groups
        self._notices = notices
        self._file_keys = dict(file_keys or {})
        with self._locked():
            try:
                report = self._sync(groups(), progress)
                if self.path is not None and self.problem is None:
                    stamp_synced(self.path, digest, report.kept_files + report.added_files)
                return report
            except sqlite3.Error as exc:
                damage = not (is_busy(exc) or _unwritable(exc))
                reason = f"damaged while syncing ({exc})" if damage else None
            if reason is not None:
                try:
                    self._reset(reason)
                    return self._sync(groups(), progress)
                except sqlite3.Error:
                    pass
            with suppress(sqlite3.Error):
                self.db.close()
            self.db = self._memory(f"cannot write the search index {self.path}")
            return self._sync(groups(), progress)

    def _sync(self, groups: list[FileGroup], progress: IndexProgress | None) -> SyncReport:
        keys = self._file_keys
        wanted: dict[str, tuple[str, Callable[[], list[Notice]]]] = {}
        for path, ids, notices in groups:
            content = keys.get(path)
            key = ids_key(ids, content) if content is not None else file_key(notices(), None)
            wanted[key] = (path, notices)
        have = {row[0] for row in self.db.execute("SELECT key FROM files")}
        stale = have - wanted.keys()
        new = [key for key in wanted if key not in have]
        if stale:
            try:
                with transaction(self.db):
                    df: Counter[str] = Counter()
                    for key in stale:
                        self._delete_file(key, df)
                        if progress is not None:
                            progress(0, len(new))  # may raise to stop: nothing is removed
                    self._update_df(df)
            except _Unforgettable as exc:
                self._reset(str(exc))
                have, stale = set(), set()
                new = list(wanted)
        indexed = 0
        batch: _Batch = []
        size = 0
        for done, key in enumerate(new, start=1):
            path, notices = wanted[key]
            group = notices()
            content = keys.get(path)
            in_store = content is not None and self.texts.holds(content, group)
            unread = [notice for notice in group if not notice.loaded]
            rows = [notice_rows(notice, in_store) for notice in group]
            if in_store:  # memory follows what is shown: texts read only to be indexed are dropped again
                for notice in unread:
                    notice.release()
            batch.append((key, path, rows))
            size += sum(len(r.sections) for r in rows)
            if size >= BATCH_SECTIONS or done == len(new):
                indexed += self._insert_batch(batch)
                batch, size = [], 0
            if progress is not None:
                progress(done, len(new))  # may raise to stop: the open batch is simply not written
        if stale or new:
            self._stamp()
        return SyncReport(len(new), len(stale), len(wanted) - len(new), indexed)

    def _delete_file(self, key: str, df: Counter[str]) -> None:
        """Remove a file's rows; the contentless FTS table forgets a row when given its tokens again.

        Raises:
            _Unforgettable: a section's text cannot be read any more.
        """
        notices = self.db.execute(
            "SELECT nid, store_key, store_idx, counts FROM notices WHERE file_key = ?", (key,)
        ).fetchall()
        for nid, store_key, store_idx, raw in notices:
            sections = self.db.execute(
                "SELECT rowid, title, start, size, text FROM sections WHERE notice = ? ORDER BY rowid", (nid,)
            ).fetchall()
            texts = self._texts(
                [(store_key, store_idx, start, size, text) for _, _, start, size, text in sections]
            )
            if any(text is None for text in texts):
                raise _Unforgettable(f"the text of a removed file ({key}) is no longer in the corpus store")
            titles = [title for _, title, _, _, _ in sections]
            for (rowid, *_), tokens in zip(sections, index_texts(titles, texts), strict=True):  # type: ignore[arg-type]
                self.db.execute(
                    "INSERT INTO tokens(tokens, rowid, body) VALUES ('delete', ?, ?)", (rowid, tokens)
                )
            df.subtract((unpack_counts(raw) or Counter()).keys())
        self.db.execute(
            "DELETE FROM sections WHERE notice IN (SELECT nid FROM notices WHERE file_key = ?)", (key,)
        )
        self.db.execute("DELETE FROM notices WHERE file_key = ?", (key,))
        self.db.execute("DELETE FROM files WHERE key = ?", (key,))

    def _insert_batch(self, batch: _Batch) -> int:
        """Index several files in one transaction (each only if no other process indexed it meanwhile)."""
        indexed = 0
        df: Counter[str] = Counter()
        with transaction(self.db):
            for key, path, rows in batch:
                if self.db.execute("SELECT 1 FROM files WHERE key = ?", (key,)).fetchone() is not None:
                    continue
                content = self._file_keys.get(path)
                for notice_rows_ in rows:
                    indexed += self._insert(key, content, notice_rows_)
                    df.update(notice_rows_.words)
                self.db.execute("INSERT OR IGNORE INTO files(key, path) VALUES (?, ?)", (key, path))
            self._update_df(df)
        return indexed

    def _insert(self, key: str, content: str | None, rows: NoticeRows) -> int:
        notice = rows.notice
        place = notice.meta.place
        in_store = all(section.text is None for section in rows.sections)
        cursor = self.db.execute(
            "INSERT INTO notices(file_key, notice_id, store_key, store_idx, province, city, district, level,"
            " year, counts) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                key, notice.id, content if in_store else None, notice.index_in_file, place.province,
                place.city, place.district, notice.meta.level, notice.meta.year,
                pack_counts(rows.words, rows.counts),
            ),
        )  # fmt: skip
        nid = cursor.lastrowid
        first = self.db.execute("SELECT COALESCE(MAX(rowid), 0) + 1 FROM sections").fetchone()[0]
        self.db.executemany(
            "INSERT INTO sections(rowid, notice, section_id, number, title, kind, start, size, text)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (first + i, nid, s.section_id, s.number, s.title, s.kind, s.start, s.size, s.text)
                for i, s in enumerate(rows.sections)
            ],
        )
        self.db.executemany(
            "INSERT INTO tokens(rowid, body) VALUES (?, ?)",
            [(first + i, tokens) for i, tokens in enumerate(rows.tokens)],
        )
        return len(rows.sections)

    def _texts(self, refs: list[TextRef]) -> list[str | None]:
        return read_texts(self.texts, refs, self._notices, self._file_keys)

    def section_texts(self, refs: list[TextRef]) -> list[str]:
        """The texts of sections found by a query, from ``(store_key, store_idx, start, size, text)``
        ("" for one that can no longer be read)."""
        return [text or "" for text in self._texts(refs)]

    def _update_df(self, df: Counter[str]) -> None:
        """Add to (or take from) the number of notices each keyword candidate occurs in."""
        changes = [(word, change) for word, change in df.items() if change]
        self.db.executemany(
            "INSERT INTO word_df(word, df) VALUES (?, ?)"
            " ON CONFLICT(word) DO UPDATE SET df = df + excluded.df",
            changes,
        )
        if any(change < 0 for _, change in changes):
            self.db.execute("DELETE FROM word_df WHERE df <= 0")

    def has_token(self, term: str) -> bool:
        """True when ``term`` is one token of the index."""
        try:
            row = self.db.execute("SELECT 1 FROM tokens_vocab WHERE term = ? LIMIT 1", (term,)).fetchone()
        except sqlite3.Error:
            return False
        return row is not None

    def size_bytes(self) -> int:
        """The index file's size on disk (0 in memory)."""
        return self.path.stat().st_size if self.path is not None and self.path.exists() else 0
