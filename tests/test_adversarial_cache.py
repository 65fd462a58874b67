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
    rows = db.execute("SELECT notice_id, section_id FROM sections").fetchall()
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
    rows = db.execute("SELECT notice_id, section_id FROM sections").fetchall()
    assert db.execute("PRAGMA user_version").fetchone()[0] == INDEX_VERSION
    db.close()
    assert len(rows) == len(set(rows)) == sum(1 for n in small for _ in n.walk())


# -- parse-cache entries of the wrong shape ------------------------------------------------------------


def _notice(entry: dict[str, Any]) -> dict[str, Any]:
    notice: dict[str, Any] = entry["notices"][0]
    return notice


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], Any]:
    def change(entry: dict[str, Any]) -> Any:
        target: Any = _notice(entry)
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return entry

    return change


def _drop(key: str) -> Callable[[dict[str, Any]], Any]:
    def change(entry: dict[str, Any]) -> Any:
        del _notice(entry)[key]
        return entry

    return change


def _column(index: int, change: Callable[[list[Any]], object]) -> Callable[[dict[str, Any]], Any]:
    def apply(entry: dict[str, Any]) -> Any:
        change(_notice(entry)["outline"][index])
        return entry

    return apply


def _meta_without_title(entry: dict[str, Any]) -> Any:
    del _notice(entry)["meta"]["title"]
    return entry


SHAPES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "entry is a number": lambda entry: 5,
    "notices is text": lambda entry: {**entry, "notices": "x"},
    "a warning is a number": lambda entry: {**entry, "warnings": [1]},
    "no notices": lambda entry: {**entry, "notices": []},
    "meta is text": _set(["meta"], "not a dict"),
    "meta lacks a field": _meta_without_title,
    "meta has an extra field": _set(["meta", "colour"], "red"),
    "title is a number": _set(["meta", "title"], 5),
    "kinds is text": _set(["meta", "kinds"], "常规"),
    "place is short": _set(["place"], ["甲省"]),
    "body is a number": _set(["body"], 5),
    "body missing": _drop("body"),
    "id is empty": _set(["id"], ""),
    "outline is a dict": _set(["outline"], {}),
    "a section id is a number": _column(0, lambda c: c.__setitem__(0, 7)),
    "a paragraph start is text": _column(8, lambda c: c.__setitem__(0, "x")),
    "a paragraph beyond the body": _column(9, lambda c: c.__setitem__(-1, 10**9)),
    "a parent after its child": _column(6, lambda c: c.__setitem__(1, 5)),
    "counts do not add up": _column(7, lambda c: c.__setitem__(0, 99)),
    "a column is short": _column(2, lambda c: c.pop()),
}


def _outline(notices: list[Notice]) -> list[Any]:
    return [(n.to_dict(with_sections=True), n.body) for n in notices]


@pytest.mark.parametrize("shape", list(SHAPES))
def test_wrongly_shaped_parse_cache_entry_is_a_miss_deleted_and_reparsed(tmp_path: Path, shape: str) -> None:
    cache = tmp_path / "parsed"
    fresh = load_corpus([GAOLING], cache_dir=cache)
    [entry] = cache.rglob("*.bin")
    entry.write_bytes(marshal.dumps(SHAPES[shape](marshal.loads(entry.read_bytes()))))
    again = load_corpus([GAOLING], cache_dir=cache)
    assert _outline(again.notices) == _outline(fresh.notices)  # builds every outline: nothing fails later
    probe = ParseCache(cache)
    from zhenggai.loaders.corpus import read_notices

    read_notices(GAOLING, probe)
    assert probe.hits == 1 and probe.discarded == 0  # the bad entry was replaced by a good one


def test_unreadable_parse_cache_entries(tmp_path: Path) -> None:
    cache = tmp_path / "parsed"
    fresh = load_corpus([GAOLING], cache_dir=cache)
    [entry] = cache.rglob("*.bin")
    entry.unlink()
    entry.mkdir()  # a folder where the entry should be: it can be neither read nor replaced
    probe = ParseCache(cache)
    assert probe.get(entry.stem, str(GAOLING)) is None and probe.discarded == 1
    assert _outline(load_corpus([GAOLING], cache_dir=cache).notices) == _outline(fresh.notices)
    entry.rmdir()
    entry.write_bytes(b"\x00not marshal")
    assert _outline(load_corpus([GAOLING], cache_dir=cache).notices) == _outline(fresh.notices)


def test_commands_over_a_wrongly_shaped_cache(zhenggai_home: Path) -> None:
    for entry in (zhenggai_home / "cache" / "parsed").rglob("*.bin"):
        data = marshal.loads(entry.read_bytes())
        _notice(data)["outline"][8][0] = "x"
        entry.write_bytes(marshal.dumps(data))
    code, out, _ = cli("show", "高陵区")
    assert code == 0 and "高陵" in out
    code, out, _ = cli("list", "--json")
    assert code == 0 and len(json.loads(out)) == len(load_corpus().notices)
