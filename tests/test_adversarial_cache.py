"""Issue 11, the caches: a damaged, raced or wrongly shaped cache is discarded and rebuilt — never a
traceback, never a hang, never a search that waits forever.

The faults are built at test time: garbage bytes, a truncated file, another schema or version, pages
overwritten while the index is open, six processes syncing one empty index, and parse-cache entries
that are valid marshal data of the wrong shape.
"""

from __future__ import annotations

import json
import marshal
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from zhenggai.cli import app
from zhenggai.loaders import Notice, load_corpus, sample_data_paths
from zhenggai.loaders.cache import ParseCache
from zhenggai.loaders.index import INDEX_VERSION, SearchIndex
from zhenggai.loaders.query import search
from zhenggai.loaders.sqlite_tx import transaction
from zhenggai.tui.app import make_app

from .tui_helpers import wait_loaded

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()
GAOLING = next(p for p in sample_data_paths() if "gaoling" in p.name)
LUSONG = next(p for p in sample_data_paths() if "lusong" in p.name)


def cli(*args: str) -> tuple[int, str, str]:
    """Run the CLI in-process; an exception escaping it fails the test."""
    result = runner.invoke(app, list(args))
    escaped = result.exception if not isinstance(result.exception, SystemExit) else None
    assert escaped is None, f"{args}: {type(escaped).__name__}: {escaped}"
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def small() -> list[Notice]:
    return load_corpus([GAOLING, LUSONG]).notices


def hits(index: SearchIndex, query: str = "整改 问题") -> list[tuple[str, str]]:
    return [(h.notice_id, h.section_id) for h in search(index, query, limit=200)]


def healthy(path: Path) -> bool:
    db = sqlite3.connect(path)
    try:
        return bool(db.execute("PRAGMA quick_check").fetchone()[0] == "ok")
    finally:
        db.close()


# -- a damaged search index ---------------------------------------------------------------------------


def _garbage(path: Path) -> None:
    path.write_bytes(os.urandom(5000))


def _truncated(fraction: float) -> Callable[[Path], None]:
    def cut(path: Path) -> None:
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * fraction)])

    return cut


def _pages_overwritten_same_size_and_time(path: Path) -> None:
    info = path.stat()
    data = bytearray(path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 16384] = os.urandom(16384)
    path.write_bytes(bytes(data))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def _other_schema(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("DROP TABLE files")
    db.execute("CREATE TABLE files (x)")
    db.commit()
    db.close()


def _other_version(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()


def _zero_bytes(path: Path) -> None:
    path.write_bytes(b"")


FAULTS: dict[str, Callable[[Path], None]] = {
    "garbage bytes": _garbage,
    "truncated to 90%": _truncated(0.9),
    "truncated to a third": _truncated(0.33),
    "pages overwritten, size and mtime kept": _pages_overwritten_same_size_and_time,
    "another schema": _other_schema,
    "another version": _other_version,
    "zero bytes": _zero_bytes,
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_damaged_index_is_discarded_and_rebuilt(tmp_path: Path, small: list[Notice], fault: str) -> None:
    path = tmp_path / "index.sqlite"
    index = SearchIndex(path)
    index.sync(small)
    expected = hits(index)
    index.close()
    assert expected
    FAULTS[fault](path)
    index = SearchIndex(path)
    index.sync(small)
    assert hits(index) == expected
    assert index.word_counts().keys() == {n.id for n in small}
    index.close()
    assert healthy(path)
    if fault != "zero bytes":  # an empty file is simply a new index
        assert SearchIndex(path).problem is None  # rebuilt once, then trusted


def test_index_damaged_while_open_is_rebuilt_at_the_next_query(tmp_path: Path, small: list[Notice]) -> None:
    path = tmp_path / "index.sqlite"
    index = SearchIndex(path)
    index.sync(small)
    expected = hits(index)
    with path.open("r+b") as handle:  # another program writes over the file under the open index
        handle.write(os.urandom(path.stat().st_size))
    assert hits(index) == expected and index.problem is not None and "rebuilt" in index.problem
    assert healthy(path)


def test_index_where_nothing_can_be_written_lives_in_memory(tmp_path: Path, small: list[Notice]) -> None:
    path = tmp_path / "index.sqlite"
    path.mkdir()  # a folder where the index file should be: it cannot be opened nor removed
    index = SearchIndex(path)
    index.sync(small)
    assert hits(index) and "in memory" in (index.problem or "")
    assert path.is_dir()


def test_search_command_on_a_garbage_index(zhenggai_home: Path) -> None:
    _garbage(zhenggai_home / "cache" / "index.sqlite")
    code, out, _ = cli("search", "整改", str(GAOLING), "--json")
    assert code == 0 and json.loads(out)


async def test_reader_builds_its_index_over_a_garbage_one(zhenggai_home: Path) -> None:
    _garbage(zhenggai_home / "cache" / "index.sqlite")
    app = make_app([GAOLING])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_loaded(pilot)
        for _ in range(200):  # the worker finishes: the search is not "still being built" forever
            if screen.search_index is not None:
                break
            await pilot.pause(0.02)
        assert screen.search_index is not None and hits(screen.search_index, "整改")


# -- several processes on one empty cache --------------------------------------------------------------

_SEARCH = "import sys; from zhenggai.cli import main; main(sys.argv[1:])"


@pytest.mark.cold_cache
def test_six_searches_on_an_empty_cache_all_succeed(zhenggai_home: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ZHENGGAI_HOME": str(zhenggai_home)}
    command = [sys.executable, "-c", _SEARCH, "search", "整改", str(GAOLING), str(LUSONG), "--json"]
    procs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(6)
    ]
    results = [proc.communicate(timeout=120) for proc in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "Traceback" not in err and "UNIQUE" not in err and json.loads(out)
    assert len({out for out, _ in results}) == 1  # every process saw the same index
    db = sqlite3.connect(zhenggai_home / "cache" / "index.sqlite")
    rows = db.execute(
        "SELECT n.notice_id, s.section_id FROM sections s JOIN notices n ON n.nid = s.notice"
    ).fetchall()
    tokens = db.execute("SELECT count(*) FROM tokens").fetchone()[0]
    files = db.execute("SELECT count(*) FROM files").fetchone()[0]
    db.close()
    sections = sum(1 for n in load_corpus([GAOLING, LUSONG]).notices for _ in n.walk())
    assert len(rows) == len(set(rows)) == tokens == sections and files == 2


def test_syncs_racing_without_the_lock_insert_nothing_twice(
    tmp_path: Path, small: list[Notice], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SearchIndex, "_locked", lambda self: nullcontext())  # transactions alone
    path = tmp_path / "index.sqlite"
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def sync() -> None:
        try:
            start.wait()
            index = SearchIndex(path)
            index.sync(small)
            index.close()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=sync) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and not any(t.is_alive() for t in threads)
    db = sqlite3.connect(path)
    rows = db.execute(
        "SELECT n.notice_id, s.section_id FROM sections s JOIN notices n ON n.nid = s.notice"
    ).fetchall()
    assert db.execute("PRAGMA user_version").fetchone()[0] == INDEX_VERSION
    db.close()
    assert len(rows) == len(set(rows)) == sum(1 for n in small for _ in n.walk())


class _SchemaLandsMidway:
    """A connection on which another connection creates the index's tables right after the file's
    version is read (the interleaving that made a racing sync see "version 0" and delete a good index)."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self.db, self.path, self.landed = db, path, False

    @property
    def in_transaction(self) -> bool:
        return self.db.in_transaction

    def execute(self, sql: str, *args: Any) -> Any:
        cursor = self.db.execute(sql, *args)
        if sql.startswith("PRAGMA user_version") and not self.landed:
            self.landed = True
            version = cursor.fetchone()
            cursor.close()  # done with the statement: only a transaction may hold the file now
            other = SearchIndex.__new__(SearchIndex)
            other.path = None
            creator = sqlite3.connect(self.path, timeout=0, isolation_level=None)
            try:  # a reader in a transaction holds it off; one reading statement by statement does not
                other._prepare(creator)
            except sqlite3.OperationalError as exc:
                assert "locked" in str(exc)
            finally:
                creator.close()
            return _Row(version)
        return cursor


class _Row:
    def __init__(self, row: tuple[Any, ...]) -> None:
        self.row = row

    def fetchone(self) -> tuple[Any, ...]:
        return self.row


def test_a_new_index_is_never_taken_for_one_of_another_version(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    index = SearchIndex(None)
    index.path = path
    db = sqlite3.connect(path, isolation_level=None)
    racing = _SchemaLandsMidway(db, path)
    index._prepare(racing)  # type: ignore[arg-type]
    assert racing.landed
    assert db.execute("PRAGMA user_version").fetchone()[0] == INDEX_VERSION
    db.close()


def test_a_commit_that_finds_the_file_busy_leaves_no_transaction_open(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite"
    writer = sqlite3.connect(path, timeout=0, isolation_level=None)
    writer.execute("CREATE TABLE t (x)")
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT * FROM t").fetchall()  # holds the file shared: a commit cannot write it
    with pytest.raises(sqlite3.OperationalError, match="locked"), transaction(writer):
        writer.execute("INSERT INTO t VALUES (1)")
    assert not writer.in_transaction  # rolled back, not left holding the write lock
    reader.execute("COMMIT")
    with transaction(writer):
        writer.execute("INSERT INTO t VALUES (2)")
    assert [row[0] for row in reader.execute("SELECT x FROM t")] == [2]
    writer.close()
    reader.close()


# -- corpus-store rows of the wrong shape ------------------------------------------------------------


def _outline_change(change: Callable[[list[Any]], object]) -> Callable[[sqlite3.Connection], None]:
    def apply(db: sqlite3.Connection) -> None:
        for key, idx, raw in db.execute("SELECT key, idx, outline FROM notices").fetchall():
            columns = marshal.loads(raw)
            change(columns)
            db.execute(
                "UPDATE notices SET outline = ? WHERE key = ? AND idx = ?", (marshal.dumps(columns), key, idx)
            )

    return apply


def _sql(statement: str) -> Callable[[sqlite3.Connection], None]:
    return lambda db: db.execute(statement) and None


SHAPES: dict[str, Callable[[sqlite3.Connection], None]] = {
    "warnings are not JSON": _sql("UPDATE entries SET warnings = 'x'"),
    "a warning is a number": _sql("UPDATE entries SET warnings = '[1]'"),
    "more notices counted than stored": _sql("UPDATE entries SET count = count + 1"),
    "no notices": _sql("DELETE FROM notices"),
    "a notice out of place": _sql("UPDATE notices SET idx = idx + 5"),
    "meta is text": _sql("""UPDATE notices SET meta = '"not a dict"'"""),
    "meta is not JSON": _sql("UPDATE notices SET meta = '{'"),
    "meta lacks a field": _sql("UPDATE notices SET meta = json_remove(meta, '$.title')"),
    "meta has an extra field": _sql("UPDATE notices SET meta = json_set(meta, '$.colour', 'red')"),
    "title is a number": _sql("UPDATE notices SET meta = json_set(meta, '$.title', 5)"),
    "kinds is text": _sql("UPDATE notices SET meta = json_set(meta, '$.kinds', '常规')"),
    "place is short": _sql("""UPDATE notices SET meta = json_set(meta, '$.place', json('["甲省"]'))"""),
    "id is empty": _sql("UPDATE notices SET id = ''"),
    "section count is text": _sql("UPDATE notices SET sections = 'many'"),
    "body cut short": _sql("UPDATE notices SET body = substr(body, 1, 10)"),
    "body is a number": _sql("UPDATE notices SET body = 5"),
    "outline is not marshal": _sql("UPDATE notices SET outline = x'00ff'"),
    "outline is text": _sql("UPDATE notices SET outline = 'x'"),
    "outline is a dict": lambda db: (
        db.execute("UPDATE notices SET outline = ?", (marshal.dumps({}),)) and None
    ),
    "a section id is a number": _outline_change(lambda c: c[0].__setitem__(0, 7)),
    "a paragraph start is text": _outline_change(lambda c: c[8].__setitem__(0, "x")),
    "a paragraph beyond the body": _outline_change(lambda c: c[9].__setitem__(-1, 10**9)),
    "a parent after its child": _outline_change(lambda c: c[6].__setitem__(1, 5)),
    "counts do not add up": _outline_change(lambda c: c[7].__setitem__(0, 99)),
    "a column is short": _outline_change(lambda c: c[2].pop()),
    "the ledger is not JSON": _sql("UPDATE notices SET ledger = '{'"),
    "the ledger has the wrong shape": _sql(
        """UPDATE notices SET ledger = '{"figures": [[1]], "checks": [], "totals": []}'"""
    ),
}


def _outline(notices: list[Notice]) -> list[Any]:
    from zhenggai.loaders.ledger import extract_ledger

    return [(n.to_dict(with_sections=True), n.body, extract_ledger(n)) for n in notices]


def _mutate(store: Path, change: Callable[[sqlite3.Connection], None]) -> None:
    db = sqlite3.connect(store, isolation_level=None)
    change(db)
    db.close()


@pytest.mark.parametrize("shape", list(SHAPES))
def test_wrongly_shaped_store_rows_are_a_miss_deleted_and_reparsed(tmp_path: Path, shape: str) -> None:
    cache = tmp_path / "cache"
    fresh = load_corpus([GAOLING], cache_dir=cache)
    expected = _outline(fresh.notices)
    _mutate(cache / "corpus.sqlite", SHAPES[shape])
    _mutate(cache / "corpus.sqlite", _sql("DELETE FROM snapshots"))  # the rows, not the load's snapshot
    again = load_corpus([GAOLING], cache_dir=cache)
    assert not again.from_snapshot
    assert _outline(again.notices) == expected  # reads every text and outline: nothing fails later
    assert load_corpus([GAOLING], cache_dir=cache).skipped == []
    probe = ParseCache(cache)
    from zhenggai.loaders.corpus import read_notices

    notices, _ = read_notices(GAOLING, probe)
    assert _outline(notices) == expected
    assert probe.hits == 1 and probe.discarded == 0  # the bad rows were replaced by good ones


@pytest.mark.parametrize(
    "fault",
    ["garbage", "truncated", "a folder", "another version", "another shape", "an empty file"],
)
def test_unusable_store_files(tmp_path: Path, fault: str) -> None:
    cache = tmp_path / "cache"
    store = cache / "corpus.sqlite"
    first = load_corpus([GAOLING, LUSONG], cache_dir=cache)
    fresh = _outline(first.notices)
    assert first.store is not None
    first.store.close()  # the last connection closed: everything is in the main file
    assert not store.with_name(store.name + "-wal").exists()
    if fault == "garbage":
        store.write_bytes(b"\x00not a database" * 100)
    elif fault == "truncated":
        store.write_bytes(store.read_bytes()[:3000])
    elif fault == "a folder":
        store.unlink()
        store.mkdir()
    elif fault == "another version":
        _mutate(store, _sql("PRAGMA user_version = 99"))
    elif fault == "another shape":
        _mutate(store, _sql("ALTER TABLE notices ADD COLUMN colour TEXT"))
    else:
        store.write_bytes(b"")
    corpus = load_corpus([GAOLING, LUSONG], cache_dir=cache)
    assert _outline(corpus.notices) == fresh and corpus.skipped == []
    if fault == "a folder":
        assert corpus.store is not None and "cannot open" in (corpus.store.problem or "")
    elif fault != "an empty file":
        assert corpus.store is not None and "rebuilt" in (corpus.store.problem or "")
        second = load_corpus([GAOLING, LUSONG], cache_dir=cache)
        assert second.store is not None and second.store.problem is None and second.store.hits == 2


def test_commands_over_a_wrongly_shaped_store(zhenggai_home: Path) -> None:
    _mutate(zhenggai_home / "cache" / "corpus.sqlite", _outline_change(lambda c: c[8].__setitem__(0, "x")))
    code, out, _ = cli("show", "高陵区")
    assert code == 0 and "高陵" in out
    code, out, _ = cli("list", "--json")
    assert code == 0 and len(json.loads(out)) == len(load_corpus().notices)
