"""What the corpus store and the search index both need of SQLite: write transactions, busy errors."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress


def is_busy(exc: sqlite3.Error) -> bool:
    """True when another connection holds the lock (worth waiting for, not damage)."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (the write lock from the start: no upgrade deadlock)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")  # may fail (busy): the transaction is then still open, so it is rolled back
    except BaseException:
        with suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise
