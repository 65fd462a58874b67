"""Issue 12, the settings file: settings.json beside store.json, the schema 4 migration that moves
them there (and a crash half-way through it), each file damaged on its own, two processes, and a
reading-position save that never touches the notes' file."""

from __future__ import annotations

import copy
import errno
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from zhenggai.store import storage, validate
from zhenggai.store.db import SCHEMA_VERSION, Store
from zhenggai.store.paths import settings_path, store_path
from zhenggai.store.storage import StoreWriteError, backup_path, read_document, write_document

ANCHOR = {"notice_id": "n1", "section_id": "一", "section_title": "t", "exact": "整改"}
POSITION = {"notice_id": "n1", "section_id": "二/(三)/5"}
STAMP = {"created": "2026-01-01T00:00:00+08:00", "updated": "2026-01-02T00:00:00+08:00"}


def _setting(key: str, value: Any) -> dict[str, Any]:
    return {"key": key, "value": value, **STAMP}


def _schema_3() -> dict[str, Any]:
    """A store as zhenggai wrote it before the settings had their own file."""
    note = {"id": "a", "anchor": {**ANCHOR, "offset": 3, "place": ""}, "text": "笔记", "tags": [], **STAMP}
    return {
        "_meta": {"1": {"schema_version": 3}},
        "notes": {"1": note},
        "codes": {},
        "segments": {},
        "settings": {
            "1": _setting("theme", "zhenggai-paper"),
            "2": _setting("last_position", POSITION),
            "4": _setting("compare_marks", ["n1", "n2"]),
        },
    }


def _write_schema_3() -> tuple[Path, dict[str, Any], bytes]:
    path = store_path()
    old = _schema_3()
    return path, old, write_document(path, old)


def _without_settings(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k not in ("settings", "_meta")}


SETTINGS = {"theme": "zhenggai-paper", "last_position": POSITION, "compare_marks": ["n1", "n2"]}


def test_paths() -> None:
    assert settings_path(Path("/d/store.json")) == Path("/d/settings.json")
    assert settings_path(Path("/d/mine.json")) == Path("/d/mine.settings.json")


def test_schema_3_store_moves_its_settings_into_settings_json(zhenggai_home: Path) -> None:
    path, old, raw = _write_schema_3()
    viewer = Store.open(read_only=True)  # read from the store file, nothing written
    assert viewer.settings() == SETTINGS and viewer.get("theme") == "zhenggai-paper"
    assert path.read_bytes() == raw and not settings_path(path).exists()
    store = Store.open()  # migrated at open, under the lock
    document = read_document(path)
    settings = read_document(settings_path(path))
    assert document is not None and settings is not None
    assert document["_meta"]["1"]["schema_version"] == settings["_meta"]["1"]["schema_version"] == 4
    assert "settings" not in document and _without_settings(document) == _without_settings(old)
    assert settings == {"_meta": {"1": {"schema_version": SCHEMA_VERSION}}, "settings": old["settings"]}
    assert validate.problem(document) is None and validate.problem(settings) is None
    assert read_document(path.with_name("store.json.schema3.bak")) == old  # the old file, kept
    assert read_document(backup_path(path)) == old  # and as the store's backup
    assert store.settings() == SETTINGS and Store.open().settings() == SETTINGS
    assert store.settings_problem is None and not store.settings_read_only


def test_a_crash_between_the_two_writes_loses_nothing_and_the_next_open_finishes(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, old, raw = _write_schema_3()
    real = os.replace

    def killed(source: Any, destination: Any) -> Any:
        if Path(destination).name == "store.json":  # settings.json is written first, then this
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real(source, destination)

    with monkeypatch.context() as patch:
        patch.setattr(storage.os, "replace", killed)
        Store.open()
    assert path.read_bytes() == raw  # the old store, settings and all
    settings = read_document(settings_path(path))
    assert settings is not None and settings["settings"] == old["settings"]
    assert Store.open(read_only=True).settings() == SETTINGS
    # the user changed the theme in a session where the store could not be saved: settings.json wins
    changed = copy.deepcopy(settings)
    changed["settings"]["1"]["value"] = "zhenggai-dark"
    write_document(settings_path(path), changed)
    store = Store.open()  # finishes the migration
    document = read_document(path)
    assert document is not None and "settings" not in document
    assert document["_meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert _without_settings(document) == _without_settings(old)
    assert store.settings() == {**SETTINGS, "theme": "zhenggai-dark"}
    assert read_document(path.with_name("store.json.schema3.bak")) == old


def test_a_setting_saved_before_the_store_is_migrated_starts_the_settings_file_from_the_old_ones(
    zhenggai_home: Path,
) -> None:
    path, _, raw = _write_schema_3()
    with FileLock(str(path) + ".lock"):  # another zhenggai is saving: not migrated at open
        store = Store.open()
    assert path.read_bytes() == raw and store.get("last_position") == POSITION
    store.set("last_position", {"notice_id": "n2", "section_id": "一"})
    assert path.read_bytes() == raw  # the store file is migrated by its next save, not by this one
    expected = {**SETTINGS, "last_position": {"notice_id": "n2", "section_id": "一"}}
    assert Store.open(read_only=True).settings() == expected
    settings = settings_path(path).read_bytes()
    store.add_note(ANCHOR, "two")
    document = read_document(path)
    assert document is not None and "settings" not in document and len(document["notes"]) == 2
    assert settings_path(path).read_bytes() == settings and Store.open().settings() == expected


DAMAGE = {"garbage": b"\x00{not json", "theme is a number": b'{"settings":{"1":{"key":"theme","value":5}}}'}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_settings_file_keeps_the_notes_writable_and_is_never_overwritten(
    zhenggai_home: Path, damage: str
) -> None:
    store = Store.open()
    store.add_note(ANCHOR, "one")
    store.set("theme", "zhenggai-paper")
    store.set("theme", "zhenggai-dark")
    settings = settings_path(store.path)
    settings.write_bytes(DAMAGE[damage])
    backup = backup_path(settings).read_bytes()
    reopened = Store.open()
    assert not reopened.read_only and reopened.problem is None
    problem = reopened.settings_problem
    assert reopened.settings_read_only and problem is not None and "\n" not in problem
    assert problem.startswith(f"{settings} ") and str(backup_path(settings)) in problem
    assert "the settings are read-only" in problem
    assert reopened.get("theme") == "zhenggai-paper"  # the backup, shown
    reopened.add_note(ANCHOR, "two")  # the notes are saved as ever
    reopened.set("theme", "zhenggai-light")  # kept for the session
    assert reopened.get("theme") == "zhenggai-light"
    reopened.set("last_position", POSITION)
    assert [n["text"] for n in Store.open().notes()] == ["one", "two"]
    assert settings.read_bytes() == DAMAGE[damage] and backup_path(settings).read_bytes() == backup


def test_a_schema_3_store_beside_a_damaged_settings_file_keeps_its_settings(zhenggai_home: Path) -> None:
    path, old, _ = _write_schema_3()
    settings = settings_path(path)
    settings.write_bytes(b"")
    store = Store.open()
    assert not store.read_only and store.settings_read_only
    assert store.settings() == SETTINGS  # from the store file: no settings backup to show
    store.add_note(ANCHOR, "two")  # the store is saved at schema 4, its settings still in it
    document = read_document(path)
    assert document is not None and document["_meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert document["settings"] == old["settings"] and settings.read_bytes() == b""
    settings.unlink()  # the user removed the damaged file: the next open moves the settings
    reopened = Store.open()
    moved = read_document(path)
    assert moved is not None and "settings" not in moved and reopened.settings() == SETTINGS
    assert [n["text"] for n in reopened.notes()] == ["笔记", "two"]


def test_a_damaged_store_keeps_the_settings_writable(zhenggai_home: Path) -> None:
    store = Store.open()
    store.add_note(ANCHOR, "one")
    store.set("theme", "zhenggai-paper")
    store.path.write_bytes(b"[]")
    reopened = Store.open()
    assert reopened.read_only and "is not a valid store" in (reopened.problem or "")
    assert not reopened.settings_read_only and reopened.settings_problem is None
    reopened.set("theme", "zhenggai-dark")
    reopened.set("last_position", POSITION)
    assert Store.open().settings() == {"theme": "zhenggai-dark", "last_position": POSITION}
    assert store.path.read_bytes() == b"[]"
    assert reopened.unset("theme") and Store.open().settings() == {"last_position": POSITION}


_OTHER = """
import sys
from zhenggai.store.db import Store
store = Store.open()
anchor = {"notice_id": "n", "section_id": "一", "section_title": "", "exact": "x"}
print("ready", flush=True)
sys.stdin.readline()  # both processes start saving together
for i in range(int(sys.argv[1])):
    store.set("theirs " + str(i), i)
    store.add_note(anchor, "theirs " + str(i))
"""


def test_two_processes_keep_each_others_settings_and_notes(zhenggai_home: Path) -> None:
    count = 25
    env = {**os.environ, "ZHENGGAI_HOME": str(zhenggai_home)}
    other = subprocess.Popen(
        [sys.executable, "-c", _OTHER, str(count)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert other.stdout is not None and other.stdin is not None
    assert other.stdout.readline() == "ready\n"
    ours, mine = Store.open(), Store.open()  # two objects here too, each reading the files afresh
    other.stdin.write("go\n")
    other.stdin.close()
    for i in range(count):
        ours.set(f"ours {i}", i)
        mine.add_note(ANCHOR, f"ours {i}")
        mine.set("last_position", {"notice_id": "n1", "section_id": str(i)})
    assert other.wait(timeout=120) == 0
    store = Store.open()
    settings = store.settings()
    for side in ("ours", "theirs"):
        assert [settings[f"{side} {i}"] for i in range(count)] == list(range(count))
        assert [n["text"] for n in store.notes() if n["text"].startswith(side)] == [
            f"{side} {i}" for i in range(count)
        ]
    assert settings["last_position"] == {"notice_id": "n1", "section_id": str(count - 1)}


def _no_space(fd: int) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _counting(real: Callable[[Path, dict[str, Any]], bytes], seen: list[str]) -> Callable[..., bytes]:
    def write(path: Path, data: dict[str, Any]) -> bytes:
        seen.append(path.name)
        return real(path, data)

    return write


def test_saving_the_position_writes_only_the_settings_file(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = {"anchor": ANCHOR, "tags": [], **STAMP}
    notes = {str(i + 1): {**note, "id": f"n{i}", "text": f"第{i}条"} for i in range(2000)}
    path = store_path()
    write_document(path, {"_meta": {"1": {"schema_version": SCHEMA_VERSION}}, "notes": notes})
    store = Store.open()
    store.set("last_position", POSITION)  # settings.json made
    before = path.stat()
    raw = path.read_bytes()
    writes: list[str] = []
    monkeypatch.setattr(storage, "write_pieces", _counting(storage.write_pieces, writes))
    for i in range(5):
        store.set("last_position", {"notice_id": f"n{i}", "section_id": "一"})
    after = path.stat()
    assert writes == ["settings.json"] * 5
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        before.st_ino,
        before.st_mtime_ns,
        before.st_size,
    )
    assert path.read_bytes() == raw and not backup_path(path).exists()
    assert settings_path(path).stat().st_size < 400  # a few hundred bytes, whatever the notes
    assert Store.open().get("last_position") == {"notice_id": "n4", "section_id": "一"}
    assert len(store.notes()) == 2000


def test_a_full_disk_keeps_the_settings_as_they_were(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open()
    store.set("theme", "zhenggai-paper")
    with monkeypatch.context() as patch:
        patch.setattr(storage.os, "fsync", _no_space)
        with pytest.raises(StoreWriteError, match=f"cannot save to {settings_path(store.path)}: No space"):
            store.set("theme", "zhenggai-dark")
    assert Store.open().get("theme") == "zhenggai-paper" and not store.settings_read_only
