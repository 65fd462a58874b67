"""The store: CRUD for each table, safe writes, two processes, corrupt files, schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from zhenggai.store import base
from zhenggai.store.db import SCHEMA_VERSION, Store, parse_tags
from zhenggai.store.paths import cache_dir, data_dir, store_path
from zhenggai.store.storage import StoreCorrupt, StoreError, StoreReadOnly, backup_path

ANCHOR = {
    "notice_id": "n1",
    "section_id": "一",
    "section_title": "t",
    "exact": "整改",
    "prefix": "",
    "suffix": "",
}


def test_paths_follow_zhenggai_home(zhenggai_home: Path) -> None:
    assert data_dir() == zhenggai_home / "data"
    assert cache_dir() == zhenggai_home / "cache"
    assert store_path() == zhenggai_home / "data" / "store.json"
    assert store_path(Path("/x")) == Path("/x/store.json")
    assert not (zhenggai_home / "data").exists()  # nothing created by asking


def test_notes_add_edit_remove_and_tags(zhenggai_home: Path) -> None:
    store = Store.open()
    note = store.add_note(ANCHOR, "营商环境问题 #营商环境 #对比")
    raw = store_path().read_text(encoding="utf-8")
    assert "营商环境问题 #营商环境 #对比" in raw and "\\u" not in raw  # real characters, not escapes
    assert note["tags"] == ["营商环境", "对比"]
    assert note["created"] == note["updated"] and "T" in note["created"]
    assert [n["id"] for n in store.notes("n1")] == [note["id"]]
    assert store.notes("n2") == [] and store.notes(tag="对比")[0]["id"] == note["id"]
    edited = store.edit_note(note["id"], "改了 #新")
    assert edited["tags"] == ["新"] and store.note(note["id"])["text"] == "改了 #新"  # type: ignore[index]
    store.remove_note(note["id"])
    assert store.notes() == []
    with pytest.raises(StoreError, match="no note with id"):
        store.remove_note(note["id"])
    raw = store_path().read_text(encoding="utf-8")
    assert json.loads(raw)["_meta"]["1"]["schema_version"] == SCHEMA_VERSION


def test_bookmarks_and_comparisons_and_settings(zhenggai_home: Path) -> None:
    store = Store.open()
    bookmark = store.add_bookmark(ANCHOR, notice_title="标题")
    assert store.bookmarks("n1")[0]["notice_title"] == "标题" and store.bookmarks("n2") == []
    store.edit_bookmark(bookmark["id"], "先读这里")
    assert store.bookmark(bookmark["id"])["label"] == "先读这里"  # type: ignore[index]
    store.remove_bookmark(bookmark["id"])
    assert store.bookmarks() == [] and store.bookmark(bookmark["id"]) is None
    with pytest.raises(StoreError, match="no bookmark with id"):
        store.edit_bookmark(bookmark["id"], "x")
    saved = store.save_comparison("沈阳两区", ["a", "b"], note="先看台账")
    again = store.save_comparison("沈阳两区", ["a", "b", "c"])
    assert again["id"] == saved["id"] and store.comparison("沈阳两区")["notice_ids"] == ["a", "b", "c"]  # type: ignore[index]
    with pytest.raises(StoreError, match="two or more"):
        store.save_comparison("x", ["a"])
    store.remove_comparison("沈阳两区")
    assert store.comparisons() == []
    store.set("theme", "zhenggai-paper")
    store.set("theme", "zhenggai-dark")
    assert Store.open().get("theme") == "zhenggai-dark"
    assert store.get("missing", 3) == 3
    store.set("last_position", {"notice_id": "n1", "section_id": "二/(三)/5"})
    assert store.settings() == {
        "theme": "zhenggai-dark",
        "last_position": {"notice_id": "n1", "section_id": "二/(三)/5"},
    }
    assert store.unset("theme") and not store.unset("theme")
    assert Store.open().get("theme") is None


def test_parse_tags() -> None:
    assert parse_tags("a #x #营商环境, #x and#no #y-2") == ["x", "营商环境", "y-2"]


def test_writes_keep_a_backup_of_the_previous_file(zhenggai_home: Path) -> None:
    store = Store.open()
    store.add_note(ANCHOR, "one")
    store.add_note(ANCHOR, "two")
    backup = json.loads(backup_path(store.path).read_text(encoding="utf-8"))
    assert [n["text"] for n in backup["notes"].values()] == ["one"]


def test_corrupt_store_is_reported_left_untouched_and_opens_read_only(zhenggai_home: Path) -> None:
    store = Store.open()
    store.add_note(ANCHOR, "kept in the backup")
    store.add_note(ANCHOR, "second")
    path = store.path
    path.write_bytes(b'{"notes": {"1": ')  # truncated by some other program
    before = path.read_bytes()
    reopened = Store.open()
    assert reopened.read_only
    assert reopened.problem is not None and "\n" not in reopened.problem
    assert str(path) in reopened.problem and str(backup_path(path)) in reopened.problem
    assert [n["text"] for n in reopened.notes()] == ["kept in the backup"]  # the backup, read-only
    with pytest.raises(StoreReadOnly):
        reopened.add_note(ANCHOR, "nope")
    reopened.set("theme", "x")
    assert path.read_bytes() == before


def test_newer_schema_opens_read_only(zhenggai_home: Path) -> None:
    path = store_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"_meta": {"1": {"schema_version": 99}}}), encoding="utf-8")
    store = Store.open()
    assert store.read_only and "newer zhenggai" in (store.problem or "")


_WRITER = """
import sys
from zhenggai.store.db import Store
store = Store.open()
anchor = {"notice_id": "n", "section_id": "一", "section_title": "", "exact": "x", "prefix": "", "suffix": ""}
for i in range(int(sys.argv[1])):
    store.add_note(anchor, sys.argv[2] + " " + str(i) + " " + "很长的笔记内容" * int(sys.argv[3]))
print("done", flush=True)
"""


def test_two_processes_adding_100_notes_each_end_with_200(zhenggai_home: Path) -> None:
    env = {**os.environ, "ZHENGGAI_HOME": str(zhenggai_home)}
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, "100", name, "1"], env=env, stdout=subprocess.PIPE)
        for name in ("A", "B")
    ]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    notes = Store.open().notes()
    assert len(notes) == 200
    for name in ("A", "B"):  # each process's notes all there, in its own order
        assert [n["text"].split()[1] for n in notes if n["text"].startswith(name)] == [
            str(i) for i in range(100)
        ]
    assert len({n["id"] for n in notes}) == 200


def test_comparison_update_keeps_created_and_changes_updated(zhenggai_home: Path) -> None:
    store = Store.open()
    first = store.save_comparison("铁西两区", ["a", "b"], section_id="二")
    assert first["created"] == first["updated"]
    again = store.save_comparison("铁西两区", ["a", "b"], note="比较台账")
    stored = store.comparison("铁西两区")
    assert stored is not None and stored["created"] == first["created"] and stored["note"] == "比较台账"
    assert again["section_id"] is None  # a re-save replaces the whole comparison
    with pytest.raises(StoreError, match="needs a name"):
        store.save_comparison(" ", ["a", "b"])


def test_explicit_read_only_never_writes(zhenggai_home: Path) -> None:
    store = Store.open(read_only=True)
    assert store.read_only and store.problem is None
    with pytest.raises(StoreReadOnly):
        store.add_bookmark(ANCHOR)
    store.set("theme", "zhenggai-dark")  # kept for the session only
    assert store.get("theme") == "zhenggai-dark" and store.notes() == []
    assert not (zhenggai_home / "data").exists()


def test_corrupted_while_open_stops_writing_and_reload_recovers(zhenggai_home: Path) -> None:
    store = Store.open()
    store.add_note(ANCHOR, "one")
    store.add_note(ANCHOR, "two")
    good = store.path.read_bytes()
    store.path.write_bytes(b"\x00\x00garbage")  # another program damaged it while we were open
    with pytest.raises(StoreCorrupt, match="left untouched"):
        store.add_note(ANCHOR, "three")
    assert store.path.read_bytes() == b"\x00\x00garbage"
    assert store.read_only and store.problem is not None and str(store.path) in store.problem
    assert [n["text"] for n in store.notes()] == ["one"]  # the backup, for reading
    store.path.write_bytes(good)  # the user restored it
    store.reload()
    assert not store.read_only and store.problem is None
    store.add_note(ANCHOR, "three")
    assert [n["text"] for n in store.notes()] == ["one", "two", "three"]


def test_unreadable_store_opens_read_only(zhenggai_home: Path) -> None:
    path = store_path()
    path.mkdir(parents=True)  # a folder where the file should be: cannot be read
    store = Store.open()
    assert store.read_only and store.problem is not None and str(path) in store.problem
    assert "\n" not in store.problem and store.notes() == []


def test_migration_from_the_first_schema(zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = store_path()
    path.parent.mkdir(parents=True)
    first = {
        "_meta": {"1": {"schema_version": 1}},
        "notes": {"1": {"id": "a", "anchor": ANCHOR, "text": "x"}},
    }
    path.write_text(json.dumps(first), encoding="utf-8")

    def to_2(document: dict[str, Any]) -> dict[str, Any]:
        for note in document.get("notes", {}).values():
            note.setdefault("tags", [])
        return document

    monkeypatch.setattr(base, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(base.MIGRATIONS, 1, to_2)
    store = Store.open()  # migrated on open, under the lock
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["_meta"]["1"]["schema_version"] == 2 and document["notes"]["1"]["tags"] == []
    assert json.loads(backup_path(path).read_text(encoding="utf-8")) == first  # the old version kept
    assert store.note("a") is not None
    path.write_text(json.dumps(first), encoding="utf-8")
    viewer = Store.open(read_only=True)  # read-only: migrated in memory, the file untouched
    assert viewer.note("a")["tags"] == []  # type: ignore[index]
    assert json.loads(path.read_text(encoding="utf-8")) == first


def test_a_held_lock_times_out_with_one_line(zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "LOCK_TIMEOUT", 0.2)
    store = Store.open()
    store.add_note(ANCHOR, "one")
    with FileLock(str(store.path) + ".lock"), pytest.raises(StoreError, match="holds the lock"):
        store.add_note(ANCHOR, "two")
    assert [n["text"] for n in store.notes()] == ["one"]


def test_stale_temporary_files_are_cleared_by_the_next_save(zhenggai_home: Path) -> None:
    store = Store.open()
    store.add_note(ANCHOR, "one")
    stale = store.path.with_name(".store.json.abc123.tmp")
    stale.write_text("half a file", encoding="utf-8")
    store.add_note(ANCHOR, "two")
    assert not stale.exists()
