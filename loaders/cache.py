"""The corpus store: every parsed file kept in one SQLite database, keyed by its content hash.

A file is parsed once.  Its notices — metadata, text, outline and ledger figures — go into
``corpus.sqlite`` under the hash of the file's bytes (and the loader and ledger versions), and every
later start *opens* them instead: a file whose size, times and inode are as last seen is not even read
(``known_key``), only its notices' metadata rows are read, and a notice's text and outline are fetched
when it is first used (``Notice.body``), then may be dropped again (``Notice.release``).  A renamed or
copied file hits too, as its bytes hash the same.

The store is derived data only, never the user's notes, and disposable:

* a file that is not a database, is damaged, or has another version or shape is discarded and rebuilt;
* a row that does not have exactly the shape written here (every field of ``NoticeMeta`` and ``Place``
  with its type, the outline's columns with matching lengths and offsets inside the text) is a miss:
  deleted, and the file parsed again.  Rows are checked when read, so a lazily built outline cannot
  fail later;
* where the folder cannot be written, or the disk is full, loading goes on without the store.

Several processes may use one store at once (WAL mode, a busy timeout, one transaction per file that
replaces the file's rows as a whole).
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import shutil
import sqlite3
import stat
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

from .model import LEDGER_VERSION, LOADER_VERSION, Notice, NoticeMeta, Section
from .rows import CacheEntryError, StoredOutline, check_outline, flatten_outline, meta_from_json, meta_to_json
from .sqlite_tx import is_busy, transaction

#: A file's status: (path, size, mtime_ns, ctime_ns, inode, mode), as ``os.stat`` gives them.
FileStatus = tuple[str, int, int, int, int, int]

_FORMAT = 4
#: Stored as ``PRAGMA user_version``; a store of another version is rebuilt.
STORE_VERSION = 1
STORE_NAME = "corpus.sqlite"
BUSY_TIMEOUT = 30.0
#: A file modified this recently may change again within the file system's time resolution, so its
#: key is not remembered (git's "racily clean" rule).
RACY_SECONDS = 2.0
#: Snapshots of this many most recent loads (of different paths) are kept (``loaders.snapshot``).
KEPT_SNAPSHOTS = 8
_SNAPSHOTS = (
    "CREATE TABLE IF NOT EXISTS snapshots (name TEXT PRIMARY KEY, blob BLOB NOT NULL, digest TEXT NOT NULL)"
)
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS entries"
    " (key TEXT PRIMARY KEY, warnings TEXT NOT NULL, count INTEGER NOT NULL)",
    """CREATE TABLE IF NOT EXISTS notices (
    key TEXT NOT NULL, idx INTEGER NOT NULL, id TEXT NOT NULL, encoding TEXT NOT NULL,
    meta TEXT NOT NULL, sections INTEGER NOT NULL, body TEXT NOT NULL, outline BLOB NOT NULL, ledger TEXT,
    PRIMARY KEY (key, idx))""",
    """CREATE TABLE IF NOT EXISTS files (
    path BLOB PRIMARY KEY, size INTEGER NOT NULL, mtime INTEGER NOT NULL, ctime INTEGER NOT NULL,
    inode INTEGER NOT NULL, key TEXT NOT NULL)""",
    _SNAPSHOTS,
    f"PRAGMA user_version = {STORE_VERSION}",
)
_COLUMNS = {
    "entries": ("key", "warnings", "count"),
    "notices": ("key", "idx", "id", "encoding", "meta", "sections", "body", "outline", "ledger"),
    "files": ("path", "size", "mtime", "ctime", "inode", "key"),
    "snapshots": ("name", "blob", "digest"),
}


class NoticeUnavailable(LookupError):
    """A notice's text could be read neither from the corpus store nor from its file."""


def content_key(raw: bytes) -> str:
    """The store key of a file's bytes (and of the loader and ledger versions that read them)."""
    digest = hashlib.blake2b(raw, digest_size=16)
    digest.update(f"|loader={LOADER_VERSION}|ledger={LEDGER_VERSION}|format={_FORMAT}".encode())
    return digest.hexdigest()


# -- the store ---------------------------------------------------------------------------------------


class ParseCache:
    """The corpus store in ``folder`` (``corpus.sqlite``), opened on first use.

    Thread-safe: one connection, used under a lock (reads are short: a file's metadata rows, one
    notice's text).
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0
        self.discarded = 0
        """Rows that were there but unusable (deleted; their files are parsed again)."""
        self.problem: str | None = None
        """Why the store was rebuilt, or cannot be used (one line)."""
        self._db: sqlite3.Connection | None = None
        self._opened = False
        # what ``prefetch`` read for the files about to be loaded (each taken once)
        self._seen: dict[bytes, tuple[Any, ...]] = {}
        self._entries: dict[str, Any] = {}
        self._notice_rows: dict[str, list[Any]] = {}
        self._lock = threading.RLock()

    @property
    def path(self) -> Path | None:
        """The database file."""
        return self.folder / STORE_NAME if self.folder is not None else None

    # -- opening -------------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection | None:
        if not self._opened:
            self._opened = True
            self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection | None:
        path = self.path
        if path is None or self.folder is None:
            return None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.problem = f"cannot create {self.folder}: {exc.strerror or exc}"
            return None
        _remove_old_cache(self.folder)
        for _ in range(2):
            try:
                db = sqlite3.connect(
                    str(path), timeout=BUSY_TIMEOUT, check_same_thread=False, isolation_level=None
                )
            except (sqlite3.Error, OSError) as exc:
                self.problem = f"cannot open {path}: {exc}"
                return None
            try:
                self._prepare(db)
                return db
            except sqlite3.DatabaseError as exc:
                db.close()
                if is_busy(exc):
                    self.problem = f"cannot use {path}: {exc}"
                    return None
                self.problem = f"the corpus store {path} was rebuilt: {exc}"
                for suffix in ("", "-wal", "-shm", "-journal"):
                    with suppress(OSError):
                        path.with_name(path.name + suffix).unlink(missing_ok=True)
        return None

    def _prepare(self, db: sqlite3.Connection) -> None:
        """Create the schema in an empty file, else check its version and shape.

        Raises:
            sqlite3.DatabaseError: not a database, damaged, or another version or shape.
        """
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            with transaction(db):
                for statement in _SCHEMA:
                    db.execute(statement)
            return
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version != STORE_VERSION:
            raise sqlite3.DatabaseError(f"a store of another version ({version}, not {STORE_VERSION})")
        if "snapshots" not in tables:  # a store written before snapshots (loaders.snapshot)
            with transaction(db):
                db.execute(_SNAPSHOTS)
        for table, columns in _COLUMNS.items():
            found = tuple(row[1] for row in db.execute(f"PRAGMA table_info({table})"))
            if found != columns:
                raise sqlite3.DatabaseError(f"its table {table} has another shape")

    def _read(self, sql: str, args: tuple[Any, ...]) -> list[Any] | None:
        """Rows of a query, or None when the store is unusable (then it is left alone from now on)."""
        with self._lock:
            db = self._connection()
            if db is None:
                return None
            try:
                return db.execute(sql, args).fetchall()
            except sqlite3.DatabaseError as exc:
                if not is_busy(exc):
                    self.problem = f"the corpus store {self.path} is unreadable: {exc}"
                    self._close()
                return None

    def _close(self) -> None:
        if self._db is not None:
            with suppress(sqlite3.Error):
                self._db.close()
        self._db = None

    def close(self) -> None:
        """Close the database (it opens again on the next use)."""
        with self._lock:
            self._close()
            self._opened = False

    # -- files seen before -----------------------------------------------------------------------

    def prefetch(self, paths: list[Path]) -> None:
        """Read, in a few queries, what ``known_key`` and ``get`` will ask about these files (one query
        per file was most of the time of opening ten thousand notices)."""
        wanted = {_path_key(path) for path in paths}
        seen: dict[bytes, tuple[Any, ...]] = {}
        for row in self._read("SELECT path, size, mtime, ctime, inode, key FROM files", ()) or []:
            if row[0] in wanted:
                seen[row[0]] = tuple(row[1:])
        self._seen = seen
        keys = sorted({str(row[-1]) for row in seen.values()})
        entries: dict[str, Any] = {}
        notices: dict[str, list[Any]] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, *entry in (
                self._read(f"SELECT key, warnings, count FROM entries WHERE key IN ({marks})", tuple(chunk))
                or []
            ):
                entries[key] = [tuple(entry)]
            rows = self._read(
                f"SELECT key, idx, id, encoding, meta, sections FROM notices WHERE key IN ({marks})"
                " ORDER BY key, idx",
                tuple(chunk),
            )
            for key, *row in rows or []:
                notices.setdefault(key, []).append(tuple(row))
        self._entries = entries
        self._notice_rows = notices

    def known_key(self, path: Path | str, info: FileStatus) -> str | None:
        """The content key of a file that is exactly as when it was last read (size, times, inode)."""
        found = self._seen.pop(_path_key(path), None)
        if found is None:
            rows = self._read(
                "SELECT size, mtime, ctime, inode, key FROM files WHERE path = ?", (_path_key(path),)
            )
            if not rows:
                return None
            found = tuple(rows[0])
        size, mtime, ctime, inode, key = found
        if (size, mtime, ctime, inode) != info[1:5]:
            return None
        return str(key)

    def remember(self, path: Path | str, info: FileStatus, key: str) -> None:
        """Note the key of a file just read, unless it changed too recently to be trusted."""
        _, size, mtime, ctime, inode, mode = info
        if time.time() - mtime / 1e9 < RACY_SECONDS or not stat.S_ISREG(mode):
            return
        self._write(
            lambda db: db.execute(
                "INSERT OR REPLACE INTO files(path, size, mtime, ctime, inode, key) VALUES (?,?,?,?,?,?)",
                (_path_key(path), size, mtime, ctime, inode, key),
            )
        )

    # -- entries ---------------------------------------------------------------------------------

    def get(
        self, key: str, file: str, reread: Callable[[int], Notice] | None = None
    ) -> tuple[list[Notice], list[str]] | None:
        """The stored notices (metadata only; text on first use) and warnings for this content, or
        None.  A row that is not as written here is deleted and None returned (a miss).

        ``reread(index)`` gives a notice parsed again from its file: used if the store loses a
        notice's text before it is read.
        """
        entry = self._entries.pop(key, None)
        if entry is None:
            entry = self._read("SELECT warnings, count FROM entries WHERE key = ?", (key,))
        if not entry:
            self.misses += 1
            return None
        rows = self._notice_rows.pop(key, None)
        if rows is None:
            rows = self._read(
                "SELECT idx, id, encoding, meta, sections FROM notices WHERE key = ? ORDER BY idx", (key,)
            )
        try:
            raw_warnings, count = entry[0]
            warnings = json.loads(raw_warnings) if type(raw_warnings) is str else None
            if type(warnings) is not list or not all(type(w) is str for w in warnings):
                raise CacheEntryError("the warnings are not a list of text")
            if rows is None or type(count) is not int or len(rows) != count or count < 1:
                raise CacheEntryError("the entry does not hold its notices")
            notices = []
            for position, (index, notice_id, encoding, meta, sections) in enumerate(rows):
                if (
                    index != position
                    or type(notice_id) is not str
                    or not notice_id
                    or type(encoding) is not str
                ):
                    raise CacheEntryError("a notice's id, position or encoding has the wrong type")
                if type(sections) is not int or sections < 0:
                    raise CacheEntryError("a notice's section count is not a count")
                notices.append(
                    self.stored_notice(
                        key, index, notice_id, meta_from_json(meta), file, encoding, sections, reread
                    )
                )
        except (CacheEntryError, ValueError):  # ValueError: warnings that are not JSON
            self.discard(key)
            return None
        self.hits += 1
        return notices, warnings

    def stored_notice(
        self,
        key: str,
        index: int,
        notice_id: str,
        meta: NoticeMeta,
        file: str,
        encoding: str,
        sections: int,
        reread: Callable[[int], Notice] | None,
    ) -> Notice:
        """A notice of this store: its metadata now, its text and outline when first used."""
        return Notice(
            notice_id,
            meta,
            None,
            file=file,
            index_in_file=index,
            encoding=encoding,
            load=self._loader(key, index, notice_id, reread),
            derived=self._deriver(key, index, sections),
        )

    # -- snapshots (loaders.snapshot) --------------------------------------------------------------

    def read_snapshot(self, name: str) -> tuple[bytes, str] | None:
        """A snapshot's blob and digest, or None."""
        rows = self._read("SELECT blob, digest FROM snapshots WHERE name = ?", (name,))
        if not rows or type(rows[0][0]) is not bytes or type(rows[0][1]) is not str:
            return None
        return rows[0][0], rows[0][1]

    def write_snapshot(self, name: str, blob: bytes, digest: str) -> bool:
        """Keep a snapshot (replacing the one of that name); False when the store cannot be written."""
        if self._connection() is None:
            return False
        problem = self.problem

        def write(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT OR REPLACE INTO snapshots(name, blob, digest) VALUES (?, ?, ?)", (name, blob, digest)
            )
            # a replaced row gets a new rowid: keep the snapshots of the most recent loads only
            db.execute(
                "DELETE FROM snapshots WHERE rowid NOT IN"
                " (SELECT rowid FROM snapshots ORDER BY rowid DESC LIMIT ?)",
                (KEPT_SNAPSHOTS,),
            )

        self._write(write)
        return self.problem == problem and self._db is not None

    def _loader(
        self, key: str, index: int, notice_id: str, reread: Callable[[int], Notice] | None
    ) -> Callable[[], tuple[str, Callable[[], list[Section]]]]:
        def load() -> tuple[str, Callable[[], list[Section]]]:
            rows = self._read("SELECT body, outline FROM notices WHERE key = ? AND idx = ?", (key, index))
            try:
                if not rows:
                    raise CacheEntryError("the notice is no longer in the store")
                body, outline = rows[0]
                if type(body) is not str or type(outline) is not bytes:
                    raise CacheEntryError("the text or outline has the wrong type")
                columns = check_outline(marshal.loads(outline), len(body))
            except (CacheEntryError, ValueError, EOFError, TypeError) as exc:
                if rows:
                    self.discard(key)
                if reread is None:
                    raise NoticeUnavailable(f"the notice's text is unavailable: {exc}") from None
                fresh = reread(index)
                if fresh.id != notice_id:
                    raise NoticeUnavailable("its file changed since it was loaded: load it again") from None
                sections = fresh.sections
                return fresh.body, lambda: sections
            return body, StoredOutline(columns, body)

        return load

    def _deriver(self, key: str, index: int, sections: int) -> Callable[[str], Any]:
        def derived(name: str) -> Any:
            if name == "section_count":
                return sections
            if name != "ledger":
                return None
            rows = self._read("SELECT ledger FROM notices WHERE key = ? AND idx = ?", (key, index))
            if not rows or type(rows[0][0]) is not str:
                return None
            try:
                return json.loads(rows[0][0])
            except ValueError:
                return None

        return derived

    def discard(self, key: str) -> None:
        """Delete an entry that is not as written here (its file is parsed again)."""
        self.discarded += 1
        self._entries.pop(key, None)
        self._notice_rows.pop(key, None)
        self._write(lambda db: _delete_entry(db, key))

    def put(self, key: str, notices: list[Notice], warnings: list[str]) -> None:
        """Store a file's parsed notices (with their ledger figures) in one transaction; a store that
        cannot be written is simply skipped."""
        from .ledger import ledger_to_data  # the ledger rules load only when something is parsed

        rows = []
        for index, notice in enumerate(notices):
            ledger = json.dumps(ledger_to_data(notice), ensure_ascii=False, separators=(",", ":"))
            outline = marshal.dumps(flatten_outline(notice.sections))
            rows.append(
                (
                    key,
                    index,
                    notice.id,
                    notice.encoding,
                    meta_to_json(notice.meta),
                    notice.section_count(),
                    notice.body,
                    outline,
                    ledger,
                )
            )

        def write(db: sqlite3.Connection) -> None:
            _delete_entry(db, key)
            db.execute(
                "INSERT INTO entries(key, warnings, count) VALUES (?, ?, ?)",
                (key, json.dumps(list(warnings), ensure_ascii=False), len(rows)),
            )
            db.executemany("INSERT INTO notices VALUES (?,?,?,?,?,?,?,?,?)", rows)

        self._write(write)

    def _write(self, change: Callable[[sqlite3.Connection], Any]) -> None:
        with self._lock:
            db = self._connection()
            if db is None:
                return
            try:
                with transaction(db):
                    change(db)
            except (sqlite3.ProgrammingError, sqlite3.InterfaceError):
                raise  # a mistake in this module, not a fault of the disk: never hidden
            except sqlite3.Error as exc:
                if not is_busy(exc):  # full disk, read-only folder, damage: go on without the store
                    self.problem = f"cannot write the corpus store {self.path}: {exc}"
                    self._close()

    def size_bytes(self) -> int:
        """The store's size on disk (with its write-ahead log)."""
        total = 0
        for suffix in ("", "-wal"):
            with suppress(OSError, TypeError):
                total += self.path.with_name(self.path.name + suffix).stat().st_size  # type: ignore[union-attr]
        return total


def _delete_entry(db: sqlite3.Connection, key: str) -> None:
    db.execute("DELETE FROM notices WHERE key = ?", (key,))
    db.execute("DELETE FROM entries WHERE key = ?", (key,))


def _path_key(path: Path | str) -> bytes:
    return os.fsencode(os.path.abspath(path))


def _remove_old_cache(folder: Path) -> None:
    """The parse cache of earlier versions (one marshal file per entry) is superseded: remove it."""
    old = folder / "parsed"
    if old.is_dir() and not old.is_symlink():
        shutil.rmtree(old, ignore_errors=True)
