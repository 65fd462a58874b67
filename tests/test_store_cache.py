"""The store's fast save: the remembered document, one save per change, the linked backup, the table."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from zhenggai.store import known, storage, table
from zhenggai.store.db import SCHEMA_VERSION, Store
from zhenggai.store.encoded import parse_lines
from zhenggai.store.paths import store_path
from zhenggai.store.storage import StoreError, backup_path, read_document, write_document

ROOT = Path(__file__).resolve().parent.parent
ANCHOR = {
    "notice_id": "n1",
    "section_id": "一",
    "section_title": "t",
    "exact": "整改",
    "prefix": "",
    "suffix": "",
}

_ADD = """
import sys
from zhenggai.store.db import Store
anchor = {"notice_id": "n1", "section_id": "一", "section_title": "t", "exact": "整改"}
Store.open().add_note(anchor, sys.argv[1])
"""


def texts(store: Store) -> list[str]:
    return [n["text"] for n in store.notes()]


def _add_from_another_process(home: Path, text: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ZHENGGAI_HOME": str(home)}
    subprocess.run([sys.executable, "-c", _ADD, text], env=env, check=True, timeout=60)


class Counting:
    """Counts calls of a function it wraps."""

    def __init__(self, real: Any) -> None:
        self.real, self.calls = real, 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self.real(*args, **kwargs)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Counting:
    """Counts how often the store file is parsed."""
    counting = Counting(storage.parse_document)
    monkeypatch.setattr(storage, "parse_document", counting)
    return counting


def test_a_save_after_another_processs_save_keeps_both(zhenggai_home: Path, parses: Counting) -> None:
    store = Store.open()
    store.add_note(ANCHOR, "ours 1")
    assert texts(store) == ["ours 1"]  # remembered: no parse after our own save
    before = parses.calls
    _add_from_another_process(zhenggai_home, "theirs")
    store.add_note(ANCHOR, "ours 2")
    assert parses.calls == before + 1  # their file was read once, then our save was remembered
    assert texts(store) == ["ours 1", "theirs", "ours 2"]
    assert [n["text"] for n in read_document(store.path)["notes"].values()] == ["ours 1", "theirs", "ours 2"]
    assert texts(Store.open()) == ["ours 1", "theirs", "ours 2"]


def test_what_this_process_wrote_is_not_read_again(zhenggai_home: Path, parses: Counting) -> None:
    store = Store.open()
    store.add_note(ANCHOR, "one #甲")
    store.set("theme", "zhenggai-dark")
    assert texts(store) == ["one #甲"] and store.get("theme") == "zhenggai-dark"
    store.edit_note(store.notes()[0]["id"], "one #乙")
    assert parses.calls == 0


def test_opening_reading_and_saving_parse_the_file_once(zhenggai_home: Path, parses: Counting) -> None:
    Store.open().add_note(ANCHOR, "one")
    known.forget(store_path())  # as in a new process
    assert parses.calls == 0
    store = Store.open()  # reads, checks and tidies
    assert texts(store) == ["one"]
    store.add_note(ANCHOR, "two")
    assert parses.calls == 1 and texts(Store.open()) == ["one", "two"]


def _same_size_edit_in_place(path: Path, old: str, new: str) -> None:
    """Change ``old`` to ``new`` (as many bytes) in the file itself: same inode, size and mtime."""
    info = path.stat()
    raw = path.read_bytes()
    changed = raw.replace(old.encode(), new.encode())
    assert len(changed) == len(raw) and changed != raw
    with path.open("r+b") as file:
        file.write(changed)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


@pytest.fixture
def still_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Timestamps that do not move (a file system whose clock has not ticked since the save): only
    the inode and size tell files apart, as within the grain of a coarse file system, however long the
    test takes (the times stay ahead of the clock, so the grain never passes)."""
    real = known.signature
    now = time.time_ns() + 3600 * 10**9

    def signature(path: Path) -> Any:
        found = real(path)
        return None if found is None else (found[0], found[1], now, now)

    monkeypatch.setattr(known, "signature", signature)
    monkeypatch.setattr(storage, "signature", signature)


@pytest.mark.parametrize("clock", ["real", "still"])
def test_an_in_place_change_of_the_same_size_right_after_a_save_is_seen(
    zhenggai_home: Path, request: pytest.FixtureRequest, clock: str
) -> None:
    if clock == "still":
        request.getfixturevalue("still_clock")
    store = Store.open()
    store.add_note(ANCHOR, "甲方意见")
    _same_size_edit_in_place(store.path, "甲方意见", "乙方意见")
    assert texts(store) == ["乙方意见"]
    store.add_note(ANCHOR, "丙")  # the save builds on what is on disk, and backs that up
    assert texts(Store.open()) == ["乙方意见", "丙"]
    assert [n["text"] for n in read_document(backup_path(store.path))["notes"].values()] == ["乙方意见"]
    _same_size_edit_in_place(store.path, "丙", "丁")  # right before a save, under its lock
    store.add_note(ANCHOR, "戊")
    assert texts(Store.open()) == ["乙方意见", "丁", "戊"]


def test_once_settled_the_file_is_only_looked_at(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(known, "FINE_GRAIN_NS", 3600 * 10**9)  # however slow this machine is
    monkeypatch.setattr(known, "COARSE_GRAIN_NS", 3600 * 10**9)
    store = Store.open()
    store.add_note(ANCHOR, "one")
    holds = Counting(known.holds)
    monkeypatch.setattr(known, "holds", holds)
    assert texts(store) == ["one"] and holds.calls == 1  # within the timestamps' grain: bytes compared
    assert texts(store) == ["one"] and holds.calls == 2
    monkeypatch.setattr(known, "FINE_GRAIN_NS", -1)  # as if the grain had passed
    monkeypatch.setattr(known, "COARSE_GRAIN_NS", -1)
    assert texts(store) == ["one"] and holds.calls == 3  # compared once more, then settled
    assert texts(store) == ["one"] and store.notes(notice_id="n1") and holds.calls == 3


def test_a_replaced_file_of_the_same_size_and_times_is_seen(zhenggai_home: Path) -> None:
    store = Store.open()
    store.add_note(ANCHOR, "甲方意见")
    info = store.path.stat()
    other = store.path.with_name("other.json")
    other.write_bytes(store.path.read_bytes().replace("甲方意见".encode(), "乙方意见".encode()))
    os.utime(other, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(other, store.path)  # a new inode
    assert texts(store) == ["乙方意见"]


def test_a_note_with_tags_is_one_save(zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open()
    store.set("theme", "x")  # the file exists at the current schema
    writes = Counting(storage.write_pieces)
    monkeypatch.setattr(storage, "write_pieces", writes)
    note = store.add_note(ANCHOR, "营商环境 #营商环境 #对比/铁西")
    assert writes.calls == 1
    document = read_document(store.path)
    assert document is not None
    assert sorted(c["name"] for c in document["codes"].values()) == ["对比", "营商环境", "铁西"]
    assert len(document["segments"]) == 2
    store.edit_note(note["id"], "营商环境 #营商环境 #整改")
    assert writes.calls == 2
    coded = [store.codebook().label(s["code_id"]) for s in store.segments()]
    assert sorted(coded) == ["整改", "营商环境"]  # #对比/铁西 uncoded, #整改 coded, in that one save


def test_a_change_that_fails_midway_saves_nothing(zhenggai_home: Path) -> None:
    store = Store.open()
    store.add_note(ANCHOR, "one")
    before = store.path.read_bytes()
    with pytest.raises(StoreError, match="boom"), store.writing() as db:
        db.table("notes").insert({"id": "x", "anchor": ANCHOR, "text": "half-done"})
        raise StoreError("boom")
    assert store.path.read_bytes() == before
    assert texts(store) == ["one"]  # the remembered document, changed in place, was dropped
    store.add_note(ANCHOR, "two")
    assert texts(Store.open()) == ["one", "two"]


def test_the_backup_is_the_previous_file_itself(zhenggai_home: Path) -> None:
    store = Store.open()
    store.add_note(ANCHOR, "one")
    previous = store.path.stat()
    store.add_note(ANCHOR, "two")
    backup = backup_path(store.path).stat()
    assert (backup.st_ino, backup.st_nlink) == (previous.st_ino, 1)  # linked, then the store renamed over
    assert stat.S_IMODE(backup.st_mode) == 0o600
    assert [n["text"] for n in read_document(backup_path(store.path))["notes"].values()] == ["one"]
    assert sorted(p.name for p in store.path.parent.iterdir()) == [
        "store.json",
        "store.json.bak",
        "store.json.lock",
    ]


def test_where_links_are_refused_the_backup_is_a_private_copy(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open()
    store.add_note(ANCHOR, "one")
    store.path.chmod(0o644)  # written by an older version

    def refuse(*args: object) -> None:
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(storage.os, "link", refuse)
    previous = store.path.stat()
    store.add_note(ANCHOR, "two")
    backup = backup_path(store.path).stat()
    assert backup.st_ino != previous.st_ino and stat.S_IMODE(backup.st_mode) == 0o600
    assert [n["text"] for n in read_document(backup_path(store.path))["notes"].values()] == ["one"]
    assert sorted(p.name for p in store.path.parent.iterdir()) == [
        "store.json",
        "store.json.bak",
        "store.json.lock",
    ]


def test_a_linked_backup_of_a_world_readable_store_is_made_private(zhenggai_home: Path) -> None:
    store = Store.open()
    store.add_note(ANCHOR, "one")
    store.path.chmod(0o644)
    store.add_note(ANCHOR, "two")
    assert stat.S_IMODE(backup_path(store.path).stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_record_ids_spelled_with_zeros_keep_working(zhenggai_home: Path) -> None:
    path = store_path()
    note = {"anchor": ANCHOR, "tags": [], "created": "c", "updated": "u"}
    write_document(
        path,
        {
            "_meta": {"1": {"schema_version": SCHEMA_VERSION}},
            "notes": {"007": {**note, "id": "a", "text": "seven"}, "3": {**note, "id": "b", "text": "three"}},
        },
    )
    store = Store.open()
    store.edit_note("a", "seven, edited")
    store.add_note(ANCHOR, "eight")
    store.remove_note("b")
    document = read_document(path)
    assert document is not None
    assert {k: v["text"] for k, v in document["notes"].items()} == {"007": "seven, edited", "8": "eight"}


def test_what_orjson_refuses_is_still_saved(zhenggai_home: Path) -> None:
    store = Store.open()
    store.set("big", 2**70)  # past 64 bits
    store.add_note(ANCHOR, "lone \udcff surrogate")  # from a file name read with surrogateescape
    reopened = Store.open()
    assert reopened.get("big") == 2**70 and texts(reopened) == ["lone \udcff surrogate"]
    saved = store.settings_file.path.read_text(encoding="utf-8")
    assert json.loads(saved)["settings"]["1"]["value"] == 2**70


def test_the_file_is_compact_utf8_json_with_a_line_for_each_table(zhenggai_home: Path) -> None:
    store = Store.open()
    store.add_note(ANCHOR, "整改\n第二行")  # a line break in a text is written escaped, as ever
    raw = store.path.read_bytes()
    document = json.loads(raw)
    assert raw.replace(b"\n", b"") == json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    assert raw.split(b"\n") == [
        b"{",
        b'"_meta":{',
        orjson.dumps(document["_meta"])[1:-1],
        b"},",
        b'"notes":{',
        orjson.dumps(document["notes"])[1:-1],
        b"}",
        b"}",
    ]
    assert parse_lines(raw) == document  # a line at a time


def _keys(path: Path, name: str) -> list[str]:
    document = read_document(path)
    assert document is not None
    return list(document[name])


def test_the_next_record_number_is_one_past_the_largest_and_counted_once(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open()
    made = [store.add_bookmark(ANCHOR)["id"] for _ in range(5)]
    path = store.path
    counts = Counting(max)
    monkeypatch.setattr(table, "max", counts, raising=False)
    for _ in range(3):
        made.append(store.add_bookmark(ANCHOR)["id"])
    assert _keys(path, "bookmarks") == [str(i) for i in range(1, 9)] and counts.calls == 0
    store.remove_bookmark(made[-1])  # the largest: its number is free again, as TinyDB counts
    store.add_bookmark(ANCHOR)
    store.remove_bookmark(made[1])  # not the largest
    store.add_bookmark(ANCHOR)
    assert _keys(path, "bookmarks") == ["1", "3", "4", "5", "6", "7", "8", "9"] and counts.calls == 1
    other = Store.open()  # another process writes (a file this one did not write: counted again)
    document = read_document(path)
    assert document is not None
    document["bookmarks"]["40"] = {**document["bookmarks"]["1"], "id": "x"}
    write_document(path, document)
    other.add_bookmark(ANCHOR)
    store.add_bookmark(ANCHOR)
    assert _keys(path, "bookmarks")[-3:] == ["40", "41", "42"] and counts.calls == 2
