"""Issue 11, the store: no file, folder or fault crashes, hangs, leaks or loses a note.

Every fault is built here at test time: a 0-byte or wrongly typed store, a data folder that cannot be
written or a full disk, a save killed half-way, world-readable backups, look-alike quotes whose own
passage was deleted, and a notice whose opening was edited (so its id changed).
"""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import filelock
import pytest
from filelock import FileLock
from typer.testing import CliRunner

from zhenggai.cli import app
from zhenggai.loaders import Corpus, Notice, load_corpus, parse_bytes, sample_data_paths
from zhenggai.loaders.model import NoticeMeta, Paragraph, Place, Section
from zhenggai.loaders.outline import fingerprint
from zhenggai.store import storage
from zhenggai.store.anchor import Anchor, make_anchor, reattach
from zhenggai.store.base import StoreLock
from zhenggai.store.db import SCHEMA_VERSION, Store
from zhenggai.store.export import export_markdown
from zhenggai.store.locate import Placer, place_key
from zhenggai.store.paths import store_path
from zhenggai.store.session import Annotations
from zhenggai.store.storage import StoreError, StoreReadOnly, StoreWriteError, backup_path

ROOT = Path(__file__).resolve().parent.parent
ANCHOR = {"notice_id": "n1", "section_id": "一", "section_title": "t", "exact": "整改"}
runner = CliRunner()
as_root = pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes to read-only folders"
)


def cli(*args: str) -> tuple[int, str, str]:
    """Run the CLI in-process; an exception escaping it (a traceback for the user) fails the test."""
    result = runner.invoke(app, list(args))
    escaped = result.exception if not isinstance(result.exception, SystemExit) else None
    assert escaped is None, f"{args}: {type(escaped).__name__}: {escaped}"
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def saved_store(texts: list[str]) -> Store:
    store = Store.open()
    for text in texts:
        store.add_note(ANCHOR, text)
    return store


def texts(store: Store) -> list[str]:
    return [n["text"] for n in store.notes()]


def one_line_naming(problem: str | None, path: Path) -> None:
    assert problem is not None and "\n" not in problem
    assert str(path) in problem and str(backup_path(path)) in problem


# -- an empty, unreadable or wrongly typed store -----------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\t "])
def test_empty_store_is_read_only_shows_the_backup_and_is_never_overwritten(
    zhenggai_home: Path, content: bytes
) -> None:
    store = saved_store(["one", "two"])
    backup = backup_path(store.path).read_bytes()
    store.path.write_bytes(content)
    reopened = Store.open()
    assert reopened.read_only and "is empty" in (reopened.problem or "")
    one_line_naming(reopened.problem, store.path)
    assert texts(reopened) == ["one"]  # the backup, shown read-only
    with pytest.raises(StoreReadOnly):
        reopened.add_note(ANCHOR, "three")
    reopened.set("theme", "x")  # kept for the session only
    assert store.path.read_bytes() == content and backup_path(store.path).read_bytes() == backup
    code, _, err = cli("note", "add", "安定区", "三")
    assert code == 1 and "is empty" in err and len(err.strip().splitlines()) == 1
    assert backup_path(store.path).read_bytes() == backup


@as_root
def test_unreadable_store_is_read_only(zhenggai_home: Path) -> None:
    store = saved_store(["one", "two"])
    store.path.chmod(0)
    try:
        reopened = Store.open()
        assert reopened.read_only and "cannot be read" in (reopened.problem or "")
        one_line_naming(reopened.problem, store.path)
        assert texts(reopened) == ["one"]
    finally:
        store.path.chmod(0o600)


def _meta(version: Any = SCHEMA_VERSION) -> dict[str, Any]:
    return {"1": {"schema_version": version}}


def _note(**changes: Any) -> dict[str, Any]:
    note = {"id": "a", "anchor": dict(ANCHOR), "text": "t", "tags": []}
    note.update(changes)
    return {key: value for key, value in note.items() if value is not ...}


WRONG = {
    "notes is text": {"notes": "oops"},
    "notes is a list": {"notes": [1, 2]},
    "schema_version is text": {"_meta": _meta("x")},
    "schema_version is negative": {"_meta": _meta(-1)},
    "schema_version is true": {"_meta": _meta(True)},
    "schema_version is a fraction": {"_meta": _meta(1.5)},
    "_meta is a list": {"_meta": [1]},
    "anchor missing": {"notes": {"1": _note(anchor=...)}},
    "anchor is text": {"notes": {"1": _note(anchor="一")}},
    "anchor notice_id is a number": {"notes": {"1": _note(anchor={**ANCHOR, "notice_id": 7})}},
    "anchor offset is text": {"notes": {"1": _note(anchor={**ANCHOR, "offset": "3"})}},
    "note text missing": {"notes": {"1": _note(text=...)}},
    "tags is text": {"notes": {"1": _note(tags="#x")}},
    "record is a number": {"notes": {"1": 5}},
    "record is null": {"bookmarks": {"1": None}},
    "record is a list": {"settings": {"1": ["theme", "dark"]}},
    "record id is not a number": {"notes": {"x": _note()}},
    "setting without key": {"settings": {"1": {"value": 1}}},
    "theme is a number": {"settings": {"1": {"key": "theme", "value": 5}}},
    "last_position is text": {"settings": {"1": {"key": "last_position", "value": "二"}}},
    "comparison notice_ids is text": {"comparisons": {"1": {"id": "c", "name": "n", "notice_ids": "ab"}}},
    "unknown table is text": {"stuff": "x"},
}


@pytest.mark.parametrize("name", list(WRONG))
def test_wrongly_typed_store_is_reported_in_one_line_and_opens_read_only(
    zhenggai_home: Path, name: str
) -> None:
    store = saved_store(["kept"])
    good = store.path.read_bytes()
    store.add_note(ANCHOR, "newer")
    bad = json.dumps({"_meta": _meta(), **WRONG[name]}, ensure_ascii=False).encode()
    store.path.write_bytes(bad)
    reopened = Store.open()
    assert reopened.read_only and "is not a valid store" in (reopened.problem or "")
    one_line_naming(reopened.problem, store.path)
    # every read works, on the backup
    assert texts(reopened) == ["kept"] and reopened.bookmarks() == [] and reopened.comparisons() == []
    assert reopened.get("theme") is None and reopened.settings() == {}
    with pytest.raises(StoreReadOnly):
        reopened.add_bookmark(ANCHOR)
    assert store.path.read_bytes() == bad and backup_path(store.path).read_bytes() == good
    code, _, err = cli("note", "list")
    assert code == 0 and "is not a valid store" in err and err.count("\n") == 1


@pytest.mark.parametrize("name", ["notes is text", "anchor missing", "record is a number"])
def test_every_store_command_on_a_wrongly_typed_store_is_one_line(zhenggai_home: Path, name: str) -> None:
    saved_store(["kept"])
    bad = json.dumps({"_meta": _meta(), **WRONG[name]}, ensure_ascii=False).encode()
    store_path().write_bytes(bad)
    for args in (("bookmark", "list"), ("compare", "list"), ("export",), ("note", "list", "--json")):
        code, _, err = cli(*args)
        assert code == 0 and "is not a valid store" in err, args
    for args in (
        ("bookmark", "add", "安定区"),
        ("note", "add", "安定区", "x"),
        ("compare", "save", "c", "安定区", "鼓楼区"),
    ):
        code, _, err = cli(*args)
        assert code == 1 and err.count("\n") == 1, args
    assert store_path().read_bytes() == bad


def test_store_damaged_by_another_program_while_open_turns_read_only(zhenggai_home: Path) -> None:
    store = saved_store(["one", "two"])
    store.path.write_text(json.dumps({"notes": {"1": 5}}), encoding="utf-8")
    assert texts(store) == ["one"] and store.read_only  # a read, not a traceback
    with pytest.raises(StoreReadOnly):
        store.add_note(ANCHOR, "three")


def test_a_record_that_would_make_the_store_invalid_is_refused(zhenggai_home: Path) -> None:
    store = saved_store(["one"])
    with pytest.raises(StoreError, match="not saved: the note its anchor has no notice_id"):
        store.add_note({"section_id": "一", "exact": "x"}, "bad")
    assert texts(Store.open()) == ["one"] and not Store.open().read_only


# -- a folder that cannot be written, a full disk ------------------------------------------------------


def _no_space(*args: object, **kwargs: object) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _failing_replace(target: str, real: Callable[..., Any]) -> Callable[..., Any]:
    """``os.replace`` that fails with ENOSPC when renaming onto a file named ``target`` (or onto the
    settings file's counterpart of it)."""

    def replace(source: Any, destination: Any) -> Any:
        if Path(destination).name in (target, target.replace("store", "settings")):
            _no_space()
        return real(source, destination)

    return replace


@pytest.mark.parametrize("fault", ["write", "fsync", "replace-backup", "replace-store", "mkstemp"])
def test_full_disk_raises_one_line_and_loses_nothing(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    store = saved_store(["one", "two"])
    store.set("theme", "zhenggai-dark")
    store.set("theme", "zhenggai-paper")  # the settings file and its backup exist
    before = {p.name: p.read_bytes() for p in store.path.parent.iterdir() if p.is_file()}
    with monkeypatch.context() as patch:
        if fault in ("write", "fsync"):
            patch.setattr(storage.os, fault, _no_space)
        elif fault == "mkstemp":
            patch.setattr(storage.tempfile, "mkstemp", _no_space)
        else:
            target = "store.json.bak" if fault == "replace-backup" else "store.json"
            patch.setattr(storage.os, "replace", _failing_replace(target, os.replace))
        with pytest.raises(StoreWriteError) as raised:
            store.add_note(ANCHOR, "three")
        with pytest.raises(StoreError, match="No space left on device"):
            store.set("last_position", {"notice_id": "n1", "section_id": "一"})  # the reader's first move
    assert str(raised.value) == f"cannot save to {store.path}: No space left on device"
    after = {p.name: p.read_bytes() for p in store.path.parent.iterdir() if p.is_file()}
    if fault == "replace-store":  # the backups were refreshed (copies of the same good files)
        for path in (store.path, store.settings_file.path):
            assert after[backup_path(path).name] == before[path.name]
            after[backup_path(path).name] = before[backup_path(path).name]
    assert after == before  # nothing saved before was touched, no temporary file left
    assert not store.read_only and texts(Store.open()) == ["one", "two"]
    store.add_note(ANCHOR, "three")  # space again: saving works
    assert texts(Store.open()) == ["one", "two", "three"]


def test_full_disk_in_the_cli_is_one_line(zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved_store(["one"])
    monkeypatch.setattr(storage.os, "replace", _no_space)
    code, _, err = cli("note", "add", "安定区", "二")
    assert code == 1 and err.strip() == f"zhenggai: cannot save to {store_path()}: No space left on device"


def test_savers_taking_a_new_store_lock_at_once_share_one_file_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock is made when first taken: two savers doing that at once must not make two (each would
    release the other's)."""
    made: list[FileLock] = []

    class SlowToMake(FileLock):  # long enough for every saver to look before one has made it
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            time.sleep(0.05)
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(filelock, "FileLock", SlowToMake)
    lock = StoreLock(tmp_path / "store.json.lock")
    start, inside, most = threading.Barrier(4), [0], [0]

    def save() -> None:
        start.wait()
        for _ in range(5):
            lock.acquire()
            try:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
                time.sleep(0.002)
                inside[0] -= 1
            finally:
                lock.release()

    savers = [threading.Thread(target=save) for _ in range(4)]
    for saver in savers:
        saver.start()
    for saver in savers:
        saver.join(30)
    assert len(made) == 1 and most[0] == 1  # one lock, one saver at a time


def test_lock_file_that_cannot_be_made_is_a_store_error(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = saved_store(["one"])

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(store._lock, "acquire", refuse)
    with pytest.raises(StoreWriteError, match=r"cannot save to .*: Permission denied"):
        store.add_note(ANCHOR, "two")
    assert texts(store) == ["one"]


@as_root
def test_read_only_data_folder(zhenggai_home: Path) -> None:
    store = saved_store(["one", "two"])
    folder = store.path.parent
    folder.chmod(0o500)
    try:
        reopened = Store.open()
        assert texts(reopened) == ["one", "two"] and not reopened.read_only
        with pytest.raises(StoreWriteError, match="Permission denied"):
            reopened.add_note(ANCHOR, "three")
        with pytest.raises(StoreError):
            reopened.set("theme", "x")
        code, _, err = cli("note", "add", "安定区", "三")
        assert code == 1 and "cannot save to" in err and err.count("\n") == 1
    finally:
        folder.chmod(0o700)
    assert texts(Store.open()) == ["one", "two"]


# -- permissions and what a killed save leaves ---------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_backup_is_as_private_as_the_store(zhenggai_home: Path) -> None:
    store = saved_store(["one", "two"])
    assert _mode(store.path) == 0o600 and _mode(backup_path(store.path)) == 0o600
    assert _mode(store.path.parent) == 0o700
    backup_path(store.path).chmod(0o644)  # left by an earlier version
    Store.open()
    assert _mode(backup_path(store.path)) == 0o600


_KILLED = """
import os, signal, sys
from zhenggai.store import storage
from zhenggai.store.db import Store
store = Store.open()
storage.os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)  # temp files written, then killed
store.add_note({"notice_id": "n", "section_id": "一", "section_title": "", "exact": "x"}, "lost")
"""


def test_temporary_files_of_a_killed_save_are_cleared_at_the_next_open(zhenggai_home: Path) -> None:
    store = saved_store(["one"])
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ZHENGGAI_HOME": str(zhenggai_home)}
    proc = subprocess.run([sys.executable, "-c", _KILLED], env=env, capture_output=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL
    folder = store.path.parent
    left = sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))
    assert len(left) == 2 and all(n.startswith(".store.json.") for n in left)  # the store's and the backup's
    others = [
        folder / "notes.tmp",
        folder / ".store.json.not ours.tmp",
        zhenggai_home / ".store.json.ab12.tmp",
    ]
    for other in others:
        other.write_text("not ours", encoding="utf-8")
    with FileLock(str(store.path) + ".lock"):  # another zhenggai is saving: its files are left alone
        Store.open()
        assert all((folder / name).exists() for name in left)
    reopened = Store.open()  # opening (not saving) clears them
    assert not any((folder / name).exists() for name in left)
    assert all(other.exists() for other in others)
    assert texts(reopened) == ["one"] and not reopened.read_only


# -- schema migration of old anchors -----------------------------------------------------------------


def test_first_schema_store_migrates_and_keeps_a_copy(zhenggai_home: Path) -> None:
    path = store_path()
    path.parent.mkdir(parents=True)
    first = {"_meta": _meta(1), "notes": {"1": {"id": "a", "anchor": ANCHOR, "text": "x"}}}
    path.write_text(json.dumps(first), encoding="utf-8")
    viewer = Store.open(read_only=True)
    assert viewer.note("a")["anchor"]["offset"] == -1 and json.loads(path.read_text()) == first  # type: ignore[index]
    store = Store.open()
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["_meta"]["1"]["schema_version"] == SCHEMA_VERSION == 4
    assert document["notes"]["1"]["anchor"] == {**ANCHOR, "offset": -1, "place": ""}
    assert json.loads(path.with_name("store.json.schema1.bak").read_text(encoding="utf-8")) == first
    assert store.note("a")["tags"] == []  # type: ignore[index]


# -- notes never jump ---------------------------------------------------------------------------------


def build(notice_id: str, sections: list[tuple[str, str, list[str]]]) -> Notice:
    """A notice of flat sections ``(id, title, paragraphs)``, offsets as the loader makes them."""
    lines: list[str] = []
    built = []
    offset = 0
    for section_id, title, paragraphs in sections:
        made = []
        for i, line in enumerate(paragraphs):
            made.append(Paragraph(line, offset, i == 0))
            lines.append(line)
            offset += len(line) + 1
        section = Section(section_id, section_id + "、", title, 1, "cn", made)
        section.fingerprint = fingerprint(section.text)
        built.append(section)
    meta = NoticeMeta(title="中共某区委关于巡察整改进展情况的通报", place=Place("甲省", "乙市", "丙区"))
    return Notice(notice_id, meta, "\n".join(lines), built)


LOOK_ALIKE = [
    ("一", "组织领导", ["一、组织领导", "全区开展专项整治行动3次,整改情况每月通报一次。", "压实各级责任。"]),
    (
        "二",
        "问题整改",
        ["二、问题整改", "针对违规吃喝问题开展专项整治,查处案件5起。", "各单位报送整改情况,建立台账。"],
    ),
    ("三", "下一步", ["三、下一步", "持续巩固整改成果。"]),
]


@pytest.mark.parametrize(("quote", "paragraph"), [("专项整治", 1), ("整改情况", 2)])
def test_short_common_quote_whose_passage_is_deleted_is_detached_not_moved(
    quote: str, paragraph: int
) -> None:
    notice = build("n", LOOK_ALIKE)
    anchor = make_anchor(notice, "二", quote)
    assert reattach(anchor, notice).section_id == "二"
    own = LOOK_ALIKE[1][2]
    deleted = build(
        "n",
        [LOOK_ALIKE[0], ("二", "问题整改", [p for i, p in enumerate(own) if i != paragraph]), LOOK_ALIKE[2]],
    )
    assert deleted.body.count(quote) == 1  # only the look-alike in section 一 is left
    attachment = reattach(anchor, deleted)
    assert attachment.status == "detached", attachment
    # an edit elsewhere keeps it where it was
    edited = build("n", [("一", "组织领导", ["一、组织领导", "改写了这一段。"]), *LOOK_ALIKE[1:]])
    kept = reattach(anchor, edited)
    assert kept.status == "attached" and kept.section_id == "二"
    assert edited.body[kept.start : kept.end] == quote and kept.start > edited.body.index("二、")
    # an anchor saved before position selectors (no offset, no place) behaves the same
    old = Anchor.from_dict({k: v for k, v in anchor.to_dict().items() if k not in ("offset", "place")})
    assert reattach(old, deleted).status == "detached" and reattach(old, edited).section_id == "二"


SINGLE = [p for p in sample_data_paths() if "liaoning" not in p.name]


def _cases() -> list[tuple[Path, Notice, Section, Paragraph, str]]:
    found = []
    for path in SINGLE:
        text = path.read_text(encoding="utf-8")
        [notice] = load_corpus([path]).notices
        for quote in ("专项整治", "整改情况"):
            places = [(s, p) for s in notice.walk() for p in s.paragraphs if quote in p.text]
            if len({s.id for s, _ in places}) < 2:
                continue
            for section, paragraph in places:
                first = notice.body.find(quote, notice.body.find(section.full_text()))
                if (
                    not paragraph.is_heading
                    and paragraph.start > 600  # the opening (and so the id) stays as it is
                    and text.count(paragraph.text) == 1
                    and paragraph.start <= first < paragraph.end
                ):
                    found.append((path, notice, section, paragraph, quote))
    return found


def test_notes_on_common_quotes_in_the_samples_never_jump() -> None:
    cases = _cases()
    assert len(cases) >= 30
    for path, notice, section, paragraph, quote in cases:
        text = path.read_text(encoding="utf-8")
        anchor = make_anchor(notice, section.id, quote)
        [gone] = parse_bytes(text.replace(paragraph.text, "此段已删除。").encode(), notice.file)[0]
        assert gone.id == notice.id
        attachment = reattach(anchor, gone)
        assert attachment.status == "detached", (notice.id, section.id, quote, attachment)
        neighbour = next(
            p for s in notice.walk() if s.id != section.id for p in s.paragraphs
            if p.start > 600 and quote not in p.text and len(p.text) > 10 and text.count(p.text) == 1
        )  # fmt: skip
        [other] = parse_bytes(text.replace(neighbour.text, "另一段改写了。").encode(), notice.file)[0]
        kept, before = reattach(anchor, other), reattach(anchor, notice)
        assert kept.status == "attached" and other.body[kept.start : kept.end] == quote
        # the same passage (its section may have been renumbered by the edit)
        assert other.body[kept.start - 6 : kept.end + 6] == notice.body[before.start - 6 : before.end + 6]


# -- an edited opening changes the id ------------------------------------------------------------------


def _edited_copy(folder: Path, path: Path, mark: str) -> Path:
    text = path.read_text(encoding="utf-8")
    [notice] = load_corpus([path]).notices
    first = notice.body.split("\n")[0]
    copy = folder / f"{mark}-{path.name}"
    copy.write_text(text.replace(first, first[:8] + mark + first[8:], 1), encoding="utf-8")
    return copy


def test_notes_follow_a_notice_whose_opening_was_edited(zhenggai_home: Path, tmp_path: Path) -> None:
    path = next(p for p in SINGLE if "gaoling" in p.name)
    [notice] = load_corpus([path]).notices
    store = Store.open()
    sections = [s for s in notice.walk() if s.paragraphs and len(s.paragraphs[-1].text) > 30][1::6]
    for section in sections:
        store.add_note(
            make_anchor(notice, section.id, section.paragraphs[-1].text[4:20]).to_dict(), section.id
        )
    store.add_bookmark(make_anchor(notice, sections[0].id).to_dict())
    folder = tmp_path / "edited"
    folder.mkdir()
    _edited_copy(folder, path, "（修订稿）")
    corpus = load_corpus([folder])
    [edited] = corpus.notices
    assert edited.id != notice.id and place_key(edited.id) == place_key(notice.id)
    annotations = Annotations(store, corpus)
    placed = annotations.notes()
    assert list(placed) == [edited.id] and len(placed[edited.id]) == len(sections) >= 5
    for item in placed[edited.id]:
        assert item.attachment.status == "attached" and item.moved_to == edited.id
        assert item.attachment.section_id is not None and item.attachment.section_id.startswith(
            item.record["text"]
        )
        assert f"was {notice.id}" in item.attachment.reason
    assert annotations.bookmarks()[edited.id][0].moved_to == edited.id
    assert "Detached" not in export_markdown(corpus, store.notes(), store.bookmarks(), [])
    # saving a note records the new id, and the old one, never silently
    first = placed[edited.id][0]
    assert store.note(first.record["id"])["anchor"]["notice_id"] == notice.id  # type: ignore[index]
    annotations.edit_note(first.record["id"], "改过 #跟进")
    saved = store.note(first.record["id"])
    assert saved is not None and saved["anchor"]["notice_id"] == edited.id
    assert saved["previous_notice_id"] == notice.id and saved["tags"] == ["跟进"]
    assert Annotations(store, corpus).notes()[edited.id][0].moved_to is None  # now simply attached


def test_an_id_change_is_not_guessed_between_two_look_alike_notices(tmp_path: Path) -> None:
    path = next(p for p in SINGLE if "gaoling" in p.name)
    [notice] = load_corpus([path]).notices
    section = [s for s in notice.walk() if s.paragraphs and len(s.paragraphs[-1].text) > 30][5]
    anchor = make_anchor(notice, section.id, section.paragraphs[-1].text[4:20])
    for mark in ("（修订稿）", "（再修订）"):
        _edited_copy(tmp_path, path, mark)
    corpus = load_corpus([tmp_path])
    assert len(corpus.notices) == 2
    found, attachment = Placer(corpus).place(anchor)
    assert found is None and attachment.status == "detached" and "2 loaded notices" in attachment.reason
    other = Corpus()
    other.add(next(n for n in load_corpus().notices if n.district == "安定区"))
    assert Placer(other).place(anchor)[1].status == "detached"  # another place is never searched


def test_old_short_ids_and_anchors_without_positions_still_attach() -> None:
    corpus = load_corpus([next(p for p in SINGLE if "gulou" in p.name)])
    [notice] = corpus.notices
    section = next(s for s in notice.walk() if s.paragraphs and len(s.paragraphs[-1].text) > 30)
    anchor = make_anchor(notice, section.id, section.paragraphs[-1].text[3:15]).to_dict()
    old = {k: v for k, v in anchor.items() if k not in ("offset", "place")}
    old["notice_id"] = notice.id[:-8]  # the 4-hex ids of earlier versions
    found, attachment = Placer(corpus).place(Anchor.from_dict(old))
    assert found is notice and attachment.status == "attached" and attachment.section_id == section.id
    assert "ids are longer now" in attachment.reason


# -- the reader over a damaged store and a full disk ---------------------------------------------------


async def test_reader_over_a_wrongly_typed_store_and_a_full_disk(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zhenggai.tui.app import make_app

    from .tui_helpers import record_notifications, saved, wait_loaded

    saved_store(["kept"])
    store_path().write_text(json.dumps({"notes": "oops"}), encoding="utf-8")
    app = make_app([next(p for p in SINGLE if "gaoling" in p.name)])
    shown = record_notifications(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.pause()
        assert any("is not a valid store" in message for _, message in shown)
        store_path().write_text(json.dumps({"_meta": _meta(), "notes": {}}), encoding="utf-8")
        assert app.store is not None
        app.store.reload()  # repaired by the user: writable again
        assert not app.store.read_only
        monkeypatch.setattr(storage.os, "replace", _no_space)  # then the disk fills up
        await pilot.press("down", "down")
        app.remember_position("n", "一")
        app.save_position()  # the reader's first move is saved…
        await saved(pilot)  # (in a store worker: wait for it, not for luck)
        assert app.is_running  # …and it does not crash
        assert any("No space left on device" in message for _, message in shown)
