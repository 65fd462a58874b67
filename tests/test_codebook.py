"""The codebook in the store: codes as a tree, coded segments, rename/move/merge without losing
segments, note #tags → codes, schema 3 migration, validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zhenggai.loaders import Corpus, load_corpus
from zhenggai.store.anchor import make_anchor
from zhenggai.store.base import migrate
from zhenggai.store.codes import Codebook, split_path
from zhenggai.store.db import SCHEMA_VERSION, Store
from zhenggai.store.paths import store_path
from zhenggai.store.storage import StoreError
from zhenggai.store.tags import parse_tags

ANCHOR = {"notice_id": "n-1", "section_id": "一", "exact": "已完成整改14个"}
OTHER = {"notice_id": "n-1", "section_id": "二", "exact": "制定整改措施"}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(None)


def labels(store: Store) -> list[str]:
    return [c.label for c in store.codebook().walk()]


def test_tags_nest_with_a_slash() -> None:
    assert parse_tags("#问题类型/形式主义 与 #营商环境、#问题类型/形式主义 x#no") == [
        "问题类型/形式主义",
        "营商环境",
    ]
    # the first and last Han characters of the basic block, extension A, a full-width digit: all word
    # characters, and 31 of them at most a level, 8 levels at most (the rest is cut off, as ever)
    text = "#\u4e00\u9fff/\u3400甲 #１２-三 #-x #" + "字" * 40 + " #" + "/".join("abcdefghij")
    assert parse_tags(text) == [
        "\u4e00\u9fff/\u3400甲",
        "１２-三",
        "字" * 31,
        "a/b/c/d/e/f/g/h",
    ]
    assert split_path(" 问题类型 › 形式主义 ") == ("问题类型", "形式主义")
    with pytest.raises(ValueError):
        split_path("问题类型//形式主义")


def test_create_rename_move_merge_keep_every_segment(zhenggai_home: Path) -> None:
    store = Store.open()
    store.add_code("问题类型/作风/形式主义", memo="会多文多")
    one = store.code_segment("问题类型/作风/形式主义", ANCHOR, "第一")
    two = store.code_segment("问题类型/作风/官僚主义", OTHER, "第二")
    both = store.code_segment("问题类型/作风/官僚主义", ANCHOR, "第三")
    assert store.code_segment("问题类型/作风/官僚主义", ANCHOR)["id"] == both["id"]  # no duplicate
    assert labels(store) == [
        "问题类型",
        "问题类型 › 作风",
        "问题类型 › 作风 › 官僚主义",
        "问题类型 › 作风 › 形式主义",
    ]
    with pytest.raises(StoreError, match="already exists"):
        store.rename_code("官僚主义", "形式主义")
    store.rename_code("问题类型/作风/形式主义", "形式主义问题")
    store.move_code("形式主义问题", "问题类型")
    with pytest.raises(StoreError, match="under itself"):
        store.move_code("问题类型", "问题类型/作风")
    assert labels(store) == [
        "问题类型",
        "问题类型 › 作风",
        "问题类型 › 作风 › 官僚主义",
        "问题类型 › 形式主义问题",
    ]
    assert store.segment(one["id"])["code_id"] == store.codebook().find("问题类型/形式主义问题").id  # type: ignore[index,union-attr]
    result = store.merge_codes("问题类型/作风/官僚主义", "问题类型/形式主义问题")
    assert result["segments"] == 2 and result["codes"] == 0
    target = store.codebook().find("问题类型/形式主义问题")
    assert target is not None and target.memo == "会多文多"
    segments = store.segments()
    assert len(segments) == 2  # the passage both coded is kept once, with both memos
    assert {s["id"] for s in segments} == {one["id"], two["id"]}
    assert store.segment(one["id"])["memo"] == "第一\n\n第三"  # type: ignore[index]
    assert {s["code_id"] for s in segments} == {target.id}
    with pytest.raises(StoreError, match="codes 2 segments"):
        store.remove_code("问题类型/形式主义问题")
    store.remove_code("问题类型/作风")
    assert labels(store) == ["问题类型", "问题类型 › 形式主义问题"]


def test_merge_moves_sub_codes_and_merges_same_names(zhenggai_home: Path) -> None:
    store = Store.open()
    store.code_segment("甲/子/孙", ANCHOR)
    store.code_segment("乙/子", OTHER)
    store.code_segment("甲/另", OTHER)
    result = store.merge_codes("甲", "乙")
    assert result == {"source": "甲", "target": "乙", "segments": 0, "codes": 3}  # 子 merged, 孙 and 另 moved
    assert labels(store) == ["乙", "乙 › 另", "乙 › 子", "乙 › 子 › 孙"]
    assert len(store.segments()) == 3


def test_note_tags_become_codes_and_follow_edits(zhenggai_home: Path) -> None:
    store = Store.open()
    note = store.add_note(ANCHOR, "看这里 #问题类型/形式主义 #跟进")
    book = store.codebook()
    assert [c.label for c in book.walk()] == ["跟进", "问题类型", "问题类型 › 形式主义"]
    assert sorted(book.label(s["code_id"]) for s in store.segments()) == ["跟进", "问题类型 › 形式主义"]
    assert all(s["note_id"] == note["id"] and s["anchor"] == ANCHOR for s in store.segments())
    store.edit_note(note["id"], "只留 #跟进 和 #新标签")
    assert sorted(store.codebook().label(s["code_id"]) for s in store.segments()) == ["新标签", "跟进"]


def test_codebook_of_a_hand_edited_loop_keeps_every_code() -> None:
    book = Codebook(
        [
            {"id": "a", "name": "甲", "parent": "b"},
            {"id": "b", "name": "乙", "parent": "a"},
            {"id": "c", "name": "丙", "parent": "gone"},
        ]
    )
    # the loop is broken at the first code read (甲 goes to the top); 丙's parent is gone: the top
    assert [c.slash for c in book.walk()] == ["丙", "甲", "甲/乙"]
    assert book.label("zzz").startswith("（代码已删除")


def test_schema_2_store_migrates_tags_into_codes(zhenggai_home: Path) -> None:
    path = store_path()
    path.parent.mkdir(parents=True)
    old = {
        "_meta": {"1": {"schema_version": 2}},
        "notes": {
            "1": {
                "id": "a",
                "anchor": ANCHOR,
                "text": "x #问题类型/形式主义 #营商环境",
                "tags": ["问题类型"],
            },
            "2": {"id": "b", "anchor": OTHER, "text": "no tags", "tags": []},
        },
    }
    path.write_text(json.dumps(old), encoding="utf-8")
    store = Store.open()
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["_meta"]["1"]["schema_version"] == SCHEMA_VERSION == 4
    assert document["notes"]["1"]["tags"] == ["问题类型/形式主义", "营商环境"]
    assert json.loads(path.with_name("store.json.schema2.bak").read_text(encoding="utf-8")) == old
    assert labels(store) == ["营商环境", "问题类型", "问题类型 › 形式主义"]
    assert [(s["note_id"], store.codebook().label(s["code_id"])) for s in store.segments()] == [
        ("a", "问题类型 › 形式主义"),
        ("a", "营商环境"),
    ]
    assert migrate(json.loads(json.dumps(old)))["codes"].keys() == {"1", "2", "3"}


def test_invalid_segment_record_opens_read_only(zhenggai_home: Path) -> None:
    path = store_path()
    path.parent.mkdir(parents=True)
    bad = {"_meta": {"1": {"schema_version": 3}}, "segments": {"1": {"id": "s", "anchor": ANCHOR}}}
    path.write_text(json.dumps(bad), encoding="utf-8")
    store = Store.open()
    assert (
        store.read_only and store.problem is not None and "segments record 1 has no code_id" in store.problem
    )
    with pytest.raises(StoreError):
        store.code_segment("甲", ANCHOR)
    assert json.loads(path.read_text(encoding="utf-8")) == bad


def test_bad_names_and_colours_are_refused(zhenggai_home: Path) -> None:
    store = Store.open()
    for call in (
        lambda: store.add_code("甲//乙"),
        lambda: store.add_code("甲", colour="red"),
        lambda: store.rename_code("甲", "a/b"),
    ):
        with pytest.raises(StoreError):
            call()
    assert store.codebook().codes == {}


def test_coding_real_passages(zhenggai_home: Path, corpus: Corpus) -> None:
    store = Store.open()
    anding = next(n for n in corpus.notices if n.district == "安定区")
    anchor = make_anchor(anding, "二", "已完成整改14个").to_dict()
    segment = store.code_segment("台账/完成", anchor, "14 of 17")
    assert segment["anchor"]["exact"] == "已完成整改14个" and segment["memo"] == "14 of 17"
