"""The search index's tables (``loaders.index``): what a file of index version ``INDEX_VERSION`` holds."""

from __future__ import annotations

import sqlite3

#: Stored as ``PRAGMA user_version``; an index of another version is rebuilt.
INDEX_VERSION = 8

#: FTS5 keeps this many bytes of new postings in memory before writing a segment: more than a batch
#: holds, so each batch is written once (at its commit) instead of in many small segments merged later.
FTS_HASH_BYTES = 32 * 1024 * 1024

#: FTS5 merges its segments (one a batch) once this many are alike: at FTS5's 4, a build of 2,000
#: notices (7 batches) spent 1.3 s CPU merging what it had just written; at 8 it spends 0.5, and a
#: query over 7 segments ranks as fast as over 4.
FTS_AUTOMERGE = 8

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS files (key TEXT PRIMARY KEY, path TEXT NOT NULL)",
    # store_key: the corpus store entry holding the notice's text (NULL: sections.text holds it)
    """CREATE TABLE IF NOT EXISTS notices (
    nid INTEGER PRIMARY KEY,
    file_key TEXT NOT NULL,
    notice_id TEXT NOT NULL,
    store_key TEXT,
    store_idx INTEGER NOT NULL,
    province TEXT, city TEXT, district TEXT, level TEXT, year INTEGER,
    counts BLOB NOT NULL
)""",
    "CREATE INDEX IF NOT EXISTS notices_file ON notices(file_key)",
    "CREATE INDEX IF NOT EXISTS notices_id ON notices(notice_id)",
    # start, size: the text's bytes in the notice's body in the store
    """CREATE TABLE IF NOT EXISTS sections (
    rowid INTEGER PRIMARY KEY,
    notice INTEGER NOT NULL,
    section_id TEXT NOT NULL,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    start INTEGER NOT NULL,
    size INTEGER NOT NULL,
    text TEXT
)""",
    "CREATE INDEX IF NOT EXISTS sections_notice ON sections(notice)",
    "CREATE TABLE IF NOT EXISTS word_df (word TEXT PRIMARY KEY, df INTEGER NOT NULL)",
    # contentless: the index keeps no copy of the segmented text (rows are deleted by giving their tokens);
    # its texts and queries come as unicode61 tokens joined by spaces (``segment.fts_forms``): the
    # 'ascii' tokenizer splits them at the spaces only, and leaves every other character as it is
    "CREATE VIRTUAL TABLE IF NOT EXISTS tokens USING fts5(body, content = '', tokenize = 'ascii')",
    f"INSERT INTO tokens(tokens, rank) VALUES ('hashsize', {FTS_HASH_BYTES})",
    f"INSERT INTO tokens(tokens, rank) VALUES ('automerge', {FTS_AUTOMERGE})",
    # the index's vocabulary, to take a query word as it is when the index holds it whole: one row per
    # occurrence, read lazily (the 'row' kind counted every occurrence of a word: 3 ms for 整改)
    "CREATE VIRTUAL TABLE IF NOT EXISTS tokens_vocab USING fts5vocab(tokens, 'instance')",
    f"PRAGMA user_version = {INDEX_VERSION}",
)
COLUMNS = {
    "files": ("key", "path"),
    "notices": (
        "nid", "file_key", "notice_id", "store_key", "store_idx", "province", "city", "district", "level",
        "year", "counts",
    ),
    "sections": ("rowid", "notice", "section_id", "number", "title", "kind", "start", "size", "text"),
    "word_df": ("word", "df"),
    "tokens": ("body",),
}  # fmt: skip


def read_shape(db: sqlite3.Connection) -> tuple[int, set[str]]:
    """The file's version and tables, read in one transaction (the caller's, or one of its own): read
    one by one, another connection's schema could commit between them, and a new index would look
    like one of version 0."""
    own = not db.in_transaction
    if own:
        db.execute("BEGIN")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        if own:
            db.execute("COMMIT")
    return version, tables
