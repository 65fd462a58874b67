"""What a table keeps between changes: its records by notice (``store.notice_index``), kept up to date by
every change, rebuilt when it cannot follow one, always the same answer, in the same order, as looking
at every record; and its JSON (``store.encoded``), so a save that adds records encodes only those, the
file always byte for byte what encoding the whole document gives, line breaks aside."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import orjson
import pytest

from zhenggai.store import encoded, known, notice_index
from zhenggai.store.db import Store
from zhenggai.store.notice_index import NoticeIndex
from zhenggai.store.table import Records, in_notice

NOTICES = ["甲", "乙", "丙", "丁"]
TAGS = ["#营商环境", "#形式主义", "#问题类型/作风", ""]


def anchor(notice: str, n: int) -> dict[str, Any]:
    return {
        "notice_id": notice,
        "section_id": f"二/({n % 3 + 1})",
        "section_title": "整改",
        "exact": f"第{n % 5}处整改",
        "prefix": "",
        "suffix": "",
    }


def by_scan(records: list[dict[str, Any]], notice: str) -> list[str]:
    return [r["id"] for r in records if r["anchor"]["notice_id"] == notice]


def assert_same_as_a_scan(store: Store) -> None:
    notes, bookmarks, segments = store.notes(), store.bookmarks(), store.segments()
    for notice in [*NOTICES, "没有的"]:
        assert [n["id"] for n in store.notes(notice)] == by_scan(notes, notice)
        assert [b["id"] for b in store.bookmarks(notice)] == by_scan(bookmarks, notice)
        assert [s["id"] for s in store.segments(notice_id=notice)] == by_scan(segments, notice)


def _step(store: Store, rng: random.Random, n: int) -> None:
    notes, bookmarks, segments = store.notes(), store.bookmarks(), store.segments()
    actions = ["note", "note", "edit", "move", "remove", "bookmark", "unbookmark", "code", "uncode"]
    action = rng.choice(actions)
    text = f"笔记{n} {rng.choice(TAGS)} {rng.choice(TAGS)}"
    if action == "edit" and notes:
        store.edit_note(rng.choice(notes)["id"], text)
    elif action == "move" and notes:  # re-attached to another notice: its place in the order is kept
        store.edit_note(rng.choice(notes)["id"], text, anchor=anchor(rng.choice(NOTICES), n))
    elif action == "remove" and notes:
        store.remove_note(rng.choice(notes)["id"])
    elif action == "bookmark":
        store.add_bookmark(anchor(rng.choice(NOTICES), n))
    elif action == "unbookmark" and bookmarks:
        store.remove_bookmark(rng.choice(bookmarks)["id"])
    elif action == "code":
        store.code_segment("主题/甲类", anchor(rng.choice(NOTICES), n))
    elif action == "uncode" and segments:
        store.uncode(rng.choice(segments)["id"])
    else:
        store.add_note(anchor(rng.choice(NOTICES), n), text)


def assert_the_file_is_the_whole_document(store: Store) -> None:
    document = known.remembered(store.path)
    assert document is not None
    written = store.path.read_bytes()
    assert written.replace(b"\n", b"") == orjson.dumps(document)  # line breaks aside
    assert json.loads(written) == document
    assert encoded.parse_lines(written) == document  # read a few lines at a time


def test_every_change_leaves_the_same_answer_as_a_scan_and_the_same_file(zhenggai_home: Path) -> None:
    store, rng = Store.open(), random.Random(12)
    for n in range(150):
        _step(store, rng, n)
        assert_same_as_a_scan(store)
        assert_the_file_is_the_whole_document(store)
        if n % 25 == 0:  # and as read again from the file by another process
            known.forget(store.path)
            assert_same_as_a_scan(store)
    assert (len(store.notes()), len(store.bookmarks()), len(store.segments())) == (8, 14, 38)


class Builds:
    """Counts the indexes built."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, records: Any) -> NoticeIndex:
        self.count += 1
        return NoticeIndex(records)


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Builds:
    counting = Builds()
    monkeypatch.setattr("zhenggai.store.table.NoticeIndex", counting)
    return counting


def test_adding_notes_keeps_the_index_instead_of_building_it_again(
    zhenggai_home: Path, builds: Builds
) -> None:
    store = Store.open()
    store.add_note(anchor("甲", 0), "first #营商环境")
    store.notes("甲")
    store.segments(notice_id="甲")
    first = builds.count
    assert first == 2  # one per table looked at: notes, segments
    for n in range(1, 12):
        store.add_note(anchor(NOTICES[n % 4], n), f"笔记{n} #营商环境 #形式主义")
        assert [r["text"] for r in store.notes(NOTICES[n % 4])][-1] == f"笔记{n} #营商环境 #形式主义"
    assert builds.count == first
    assert_same_as_a_scan(store)


def test_a_note_moved_to_another_notice_is_found_there_in_the_tables_order(zhenggai_home: Path) -> None:
    store = Store.open()
    first = store.add_note(anchor("甲", 0), "一")
    store.add_note(anchor("乙", 1), "二")
    store.notes("乙")
    store.edit_note(first["id"], "一", anchor=anchor("乙", 2))
    assert [n["text"] for n in store.notes("乙")] == ["一", "二"]
    assert store.notes("甲") == []


def test_a_table_changed_behind_its_back_is_indexed_again() -> None:
    records = Records({"1": {"anchor": {"notice_id": "甲"}}, "2": {"anchor": {"notice_id": "乙"}}})
    assert [key for key, _ in in_notice(records, "甲")] == ["1"]
    records["3"] = {"anchor": {"notice_id": "甲"}}  # not through the table: the index cannot know
    assert [key for key, _ in in_notice(records, "甲")] == ["1", "3"]


def test_records_without_an_anchor_belong_to_no_notice() -> None:
    records = {"1": {"anchor": "bad"}, "2": {}, "3": {"anchor": {"notice_id": "甲"}}}
    assert notice_index.notice_of(records["1"]) is None
    assert [key for key, _ in in_notice(records, "甲")] == ["3"]
    assert [key for key, _ in in_notice(Records(records), None)] == ["1", "2"]


def test_an_index_out_of_step_is_never_believed() -> None:
    records = Records({"1": {"anchor": {"notice_id": "甲"}}, "2": {"anchor": {"notice_id": "乙"}}})
    in_notice(records, "甲")
    records["1"] = {"anchor": {"notice_id": "乙"}}  # the same size, another notice: only a look tells
    del records["2"]
    records["3"] = {"anchor": {"notice_id": "甲"}}
    assert [key for key, _ in in_notice(records, "乙")] == ["1"]
    assert [key for key, _ in in_notice(records, "甲")] == ["3"]


class Encodings:
    """The sizes of what orjson was asked to encode."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self.real = orjson.dumps

    def __call__(self, value: Any) -> bytes:
        self.sizes.append(len(value) if isinstance(value, dict) else 0)
        return self.real(value)


def test_a_save_that_adds_a_note_encodes_only_the_records_added(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open()
    for n in range(30):
        store.add_note(anchor(NOTICES[n % 4], n), f"笔记{n} #营商环境")
    counting = Encodings()
    monkeypatch.setattr(encoded.orjson, "dumps", counting)
    store.add_note(anchor("甲", 99), "新的 #形式主义 #营商环境")
    assert counting.sizes and max(counting.sizes) <= 11  # records and names; never a table of 30
    assert_the_file_is_the_whole_document(store)
    counting.sizes.clear()
    store.edit_note(store.notes("甲")[0]["id"], "改过")  # a change, not an addition: encoded whole
    assert max(counting.sizes) >= 31
    assert_the_file_is_the_whole_document(store)


def test_a_table_changed_behind_its_back_is_encoded_whole() -> None:
    records = Records({"1": {"a": 1}})
    document = {"t": records}
    assert b"".join(encoded.encode_tables(document)) == b'{\n"t":{\n"1":{"a":1}\n}\n}'
    records["2"] = {"b": "二"}  # not through the table: the kept JSON no longer holds
    assert b"".join(encoded.encode_tables(document)).replace(b"\n", b"") == orjson.dumps(document)


def test_what_orjson_refuses_in_a_record_added_is_saved_all_the_same(zhenggai_home: Path) -> None:
    store = Store.open()
    store.add_note(anchor("甲", 0), "first")
    store.add_note(anchor("甲", 1), "huge", extra=2**70)
    assert [n.get("extra") for n in store.notes()] == [None, 2**70]
    known.forget(store.path)
    assert [n.get("extra") for n in store.notes()] == [None, 2**70]


def test_a_copy_of_a_table_keeps_its_records_and_nothing_it_kept() -> None:
    records = Records({"1": {"anchor": {"notice_id": "甲"}}})
    in_notice(records, "甲")
    encoded.encode_tables({"t": records})
    copied = copy.deepcopy(records)
    assert copied == records and copied["1"] is not records["1"]
    assert copied.encoded is None and copied.take_index() is None


def test_the_file_is_compared_with_what_was_written_piece_by_piece(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_bytes(b'{"a":1,"b":"\xe4\xba\x8c"}')
    whole = memoryview(b'{"a":1,"b":"\xe4\xba\x8c"}x')[:-1]
    assert known.holds(path, (whole,), chunk=4)
    assert known.holds(path, (b'{"a":1', whole[6:12], b"", whole[12:]), chunk=4)
    assert not known.holds(path, (b'{"a":1', b',"b":"\xe4\xba\x8d"}'), chunk=4)  # the last byte differs
    assert not known.holds(path, (whole[:-1],), chunk=4)  # the file is longer
    assert not known.holds(path, (whole, b" "), chunk=4)  # the file is shorter
    raw = bytes(whole)
    for size in (1, 3, 4, 7, 64):  # the pieces cut anywhere, read in chunks of any size
        rng = random.Random(size)
        cuts = sorted(rng.sample(range(len(raw) + 1), 6))
        pieces = tuple(raw[a:b] for a, b in zip([0, *cuts], [*cuts, len(raw)], strict=True))
        assert known.holds(path, pieces, chunk=size)
        assert not known.holds(path, (*pieces[:-1], pieces[-1][:-1] + b"!"), chunk=size)
