"""The persistent search index: SQLite FTS5 (stdlib) over pre-segmented section text.

One row per section.  Rows are grouped by source file under a key made of the file's notices and
section fingerprints plus the loader and segmenter versions, so a second start segments nothing for
unchanged files, and a changed, added or removed file is re-indexed alone.

The index is a disposable cache, so nothing in it can stop the reader or a search:

* a file that is not a database, is damaged (``PRAGMA quick_check``, run when the file changed since it
  was last checked) or has another version or shape is discarded and rebuilt; a query that meets damage
  later rebuilds it from the notices last synced;
* several processes may sync one index at once: a file lock around opening and syncing makes the others
  wait and then find the work done, and every file's rows go in one ``BEGIN IMMEDIATE`` transaction that
  first checks the file is not indexed already (so even without the lock nothing is inserted twice);
* where the cache folder cannot be written (or the disk is full), the index lives in memory.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from .keywords import candidate_counts
from .model import LOADER_VERSION, Notice
from .segment import SEGMENTER_VERSION, index_text
from .sqlite_tx import is_busy, transaction

#: Stored as ``PRAGMA user_version``; an index of another version is rebuilt.
INDEX_VERSION = 5
#: How long to wait for another process's sync (then sync anyway: the transactions keep it correct).
SYNC_LOCK_TIMEOUT = 120.0
#: How long SQLite waits for another connection's write transaction.
BUSY_TIMEOUT = 60.0
#: New files are indexed in transactions of about this many sections: FTS5 writes a segment at every
#: commit and merges segments later, so one commit per file made most of an index's build time.
BATCH_SECTIONS = 20_000

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS files (key TEXT PRIMARY KEY, path TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS sections (
    rowid INTEGER PRIMARY KEY,
    file_key TEXT NOT NULL,
    notice_id TEXT NOT NULL,
    section_id TEXT NOT NULL,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    province TEXT, city TEXT, district TEXT, level TEXT, year INTEGER,
    text TEXT NOT NULL
)""",
    "CREATE INDEX IF NOT EXISTS sections_file ON sections(file_key)",
    "CREATE TABLE IF NOT EXISTS notice_words"
    " (notice_id TEXT PRIMARY KEY, file_key TEXT NOT NULL, counts TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS word_df (word TEXT PRIMARY KEY, df INTEGER NOT NULL)",
    # contentless: the index keeps no copy of the segmented text (rows are deleted by giving their tokens)
    "CREATE VIRTUAL TABLE IF NOT EXISTS tokens"
    " USING fts5(body, content = '', tokenize = 'unicode61 remove_diacritics 0')",
    # the index's vocabulary, to take a query word as it is when the index holds it whole
    "CREATE VIRTUAL TABLE IF NOT EXISTS tokens_vocab USING fts5vocab(tokens, 'row')",
    f"PRAGMA user_version = {INDEX_VERSION}",
)
_COLUMNS = {
    "files": ("key", "path"),
    "sections": (
        "rowid", "file_key", "notice_id", "section_id", "number", "title", "kind", "province", "city",
        "district", "level", "year", "text",
    ),
    "notice_words": ("notice_id", "file_key", "counts"),
    "word_df": ("word", "df"),
    "tokens": ("body",),
}  # fmt: skip

IndexProgress = Callable[[int, int], None]
_Row = tuple[tuple[object, ...], str]


class IndexDamaged(Exception):
    """The index file is not a usable index (the message says why)."""


def file_key(notices: list[Notice], content: str | None = None) -> str:
    """What a file's rows depend on: its notices' ids and the versions, and either the file's content
    key (``cache.content_key``: it already covers the loader version) or, without one, every section's
    fingerprint — which builds every outline, seconds of one core at thousands of notices."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"loader={LOADER_VERSION};segmenter={SEGMENTER_VERSION}".encode())
    for notice in notices:
        digest.update(notice.id.encode())
    if content is not None:
        digest.update(f"|content={content}".encode())
        return digest.hexdigest()
    for notice in notices:
        for section in notice.walk():
            digest.update(f"|{notice.id}|{section.id}:{section.fingerprint}".encode())
    return digest.hexdigest()


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


class SearchIndex:
    """The index file; ``sync`` it with a corpus, then query it (``loaders.query``)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.problem: str | None = None
        """Why the index file was discarded and rebuilt, or why it lives in memory (one line)."""
        self._notices: list[Notice] = []
        self._file_keys: dict[str, str] = {}
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
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            with transaction(db):
                for statement in _SCHEMA:
                    db.execute(statement)
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
        for suffix in ("", "-journal", "-wal", "-shm", ".checked"):
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
                self._sync(self._notices, None)
            except sqlite3.Error as exc:
                with suppress(sqlite3.Error):
                    self.db.close()
                self.db = self._memory(f"cannot rebuild {self.path}: {exc}")
                try:
                    self._sync(self._notices, None)
                except sqlite3.Error:
                    return False
        return True

    def close(self) -> None:
        """Close the database."""
        self.db.close()

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
        self._notices = notices
        self._file_keys = dict(file_keys or {})
        with self._locked():
            try:
                return self._sync(notices, progress)
            except sqlite3.Error as exc:
                damage = not (is_busy(exc) or _unwritable(exc))
                reason = f"damaged while syncing ({exc})" if damage else None
            if reason is not None:
                try:
                    self._reset(reason)
                    return self._sync(notices, progress)
                except sqlite3.Error:
                    pass
            with suppress(sqlite3.Error):
                self.db.close()
            self.db = self._memory(f"cannot write the search index {self.path}")
            return self._sync(notices, progress)

    def _sync(self, notices: list[Notice], progress: IndexProgress | None) -> SyncReport:
        by_file: dict[str, list[Notice]] = {}
        for notice in notices:
            by_file.setdefault(notice.file, []).append(notice)
        keys = self._file_keys
        wanted = {file_key(group, keys.get(path)): (path, group) for path, group in by_file.items()}
        have = {row[0] for row in self.db.execute("SELECT key FROM files")}
        stale = have - wanted.keys()
        new = [key for key in wanted if key not in have]
        df: Counter[str] = Counter()
        if stale:
            with transaction(self.db):
                for key in stale:
                    self._delete_file(key, df)
                self._update_df(df)
        indexed = 0
        batch: list[tuple[str, str, list[tuple[Notice, list[_Row], Counter[str]]]]] = []
        size = 0
        for done, key in enumerate(new, start=1):
            path, group = wanted[key]
            rows = [(notice, _rows(notice), candidate_counts(notice)) for notice in group]
            batch.append((key, path, rows))
            size += sum(len(sections) for _, sections, _ in rows)
            if size >= BATCH_SECTIONS or done == len(new):
                indexed += self._insert_batch(batch)
                batch, size = [], 0
            if progress is not None:
                progress(done, len(new))  # may raise to stop: the open batch is simply not written
        if stale or new:
            self._stamp()
        return SyncReport(len(new), len(stale), len(wanted) - len(new), indexed)

    def _delete_file(self, key: str, df: Counter[str]) -> None:
        """Remove a file's rows; the contentless FTS table forgets a row when given its tokens again."""
        rows = self.db.execute(
            "SELECT rowid, title, text FROM sections WHERE file_key = ?", (key,)
        ).fetchall()
        for rowid, title, text in rows:
            self.db.execute(
                "INSERT INTO tokens(tokens, rowid, body) VALUES ('delete', ?, ?)",
                (rowid, index_text(title + " " + text)),
            )
        for (raw,) in self.db.execute("SELECT counts FROM notice_words WHERE file_key = ?", (key,)):
            with suppress(ValueError, TypeError, AttributeError):
                df.subtract(json.loads(raw).keys())
        self.db.execute("DELETE FROM sections WHERE file_key = ?", (key,))
        self.db.execute("DELETE FROM notice_words WHERE file_key = ?", (key,))
        self.db.execute("DELETE FROM files WHERE key = ?", (key,))

    def _insert_batch(
        self, batch: list[tuple[str, str, list[tuple[Notice, list[_Row], Counter[str]]]]]
    ) -> int:
        """Index several files in one transaction (each only if no other process indexed it meanwhile)."""
        indexed = 0
        df: Counter[str] = Counter()
        with transaction(self.db):
            for key, path, rows in batch:
                if self.db.execute("SELECT 1 FROM files WHERE key = ?", (key,)).fetchone() is not None:
                    continue
                for notice, sections, counts in rows:
                    indexed += self._insert(key, notice, sections, counts)
                    df.update(counts.keys())
                self.db.execute("INSERT OR IGNORE INTO files(key, path) VALUES (?, ?)", (key, path))
            self._update_df(df)
        return indexed

    def _insert(self, key: str, notice: Notice, sections: list[_Row], counts: Counter[str]) -> int:
        for values, words in sections:
            cursor = self.db.execute(
                "INSERT INTO sections(file_key, notice_id, section_id, number, title, kind, province, city,"
                " district, level, year, text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (key, *values),
            )
            self.db.execute("INSERT INTO tokens(rowid, body) VALUES (?, ?)", (cursor.lastrowid, words))
        self.db.execute(
            "INSERT OR REPLACE INTO notice_words(notice_id, file_key, counts) VALUES (?, ?, ?)",
            (notice.id, key, json.dumps(counts, ensure_ascii=False, separators=(",", ":"))),
        )
        return len(sections)

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
            row = self.db.execute("SELECT 1 FROM tokens_vocab WHERE term = ?", (term,)).fetchone()
        except sqlite3.Error:
            return False
        return row is not None

    def notice_count(self) -> int:
        """How many notices have keyword counts in the index."""
        try:
            return int(self.db.execute("SELECT COUNT(*) FROM notice_words").fetchone()[0])
        except sqlite3.Error:
            return 0

    def counts_of(self, notice_id: str) -> Counter[str]:
        """One notice's keyword candidates with their counts (empty when unknown or unreadable)."""
        try:
            row = self.db.execute(
                "SELECT counts FROM notice_words WHERE notice_id = ?", (notice_id,)
            ).fetchone()
            return Counter(json.loads(row[0])) if row else Counter()
        except (sqlite3.Error, ValueError, TypeError):
            return Counter()

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
                rows = self.db.execute("SELECT notice_id, counts FROM notice_words").fetchall()
                break
            except sqlite3.Error as exc:
                if attempt or not self.recover(str(exc)):
                    return {}
        counts: dict[str, Counter[str]] = {}
        for notice_id, raw in rows:
            try:
                value = json.loads(raw)
            except (TypeError, ValueError):
                continue
            if isinstance(value, dict) and all(isinstance(v, int) for v in value.values()):
                counts[str(notice_id)] = Counter({str(k): v for k, v in value.items()})
        return counts

    def size_bytes(self) -> int:
        """The index file's size on disk (0 in memory)."""
        return self.path.stat().st_size if self.path is not None and self.path.exists() else 0


def _rows(notice: Notice) -> list[_Row]:
    """A notice's section rows (without the file key) and their segmented words."""
    place = notice.meta.place
    rows: list[_Row] = []
    for section in notice.walk():
        text = section.text
        values = (
            notice.id, section.id, section.number, section.title, section.kind, place.province, place.city,
            place.district, notice.meta.level, notice.meta.year, text,
        )  # fmt: skip
        rows.append((values, index_text(section.title + " " + text)))
    return rows
