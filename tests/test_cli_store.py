"""The store's commands: bookmark, note, compare save/list/rm, export — with one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tui.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_bookmarks(zhenggai_home: Path) -> None:
    code, out, _ = run("bookmark", "add", "安定区", "--section", "二/问题3")
    assert code == 0 and out.startswith("bookmark ")
    bookmark_id = out.split()[1]
    code, out, _ = run("bookmark", "list", "--json")
    [record] = json.loads(out)
    assert record["anchor"]["section_id"] == "二/问题3" and record["id"] == bookmark_id
    assert run("bookmark", "rm", bookmark_id)[0] == 0
    assert json.loads(run("bookmark", "list", "--json")[1]) == []
    code, _, err = run("bookmark", "rm", bookmark_id)
    assert code == 1 and err.strip() == f"zhenggai: no bookmark with id {bookmark_id}"


def test_notes_with_quote_tags_edit_and_filters(zhenggai_home: Path) -> None:
    code, out, _ = run("note", "add", "安定区", "完成率高 #完成率", "-s", "二", "--quote", "已完成整改14个")
    assert code == 0 and "(tags: 完成率)" in out
    note_id = out.split()[1]
    run("note", "add", "鼓楼区", "另一条")
    notes = json.loads(run("note", "list", "--json")[1])
    assert len(notes) == 2
    assert notes[0]["attachment"] == {"status": "attached", "section_id": "二"}
    tagged = json.loads(run("note", "list", "--tag", "#完成率", "--json")[1])
    assert [n["id"] for n in tagged] == [note_id]
    assert len(json.loads(run("note", "list", "--notice", "鼓楼区", "--json")[1])) == 1
    assert run("note", "edit", note_id, "改写 #新标签")[0] == 0
    assert json.loads(run("note", "list", "--tag", "新标签", "--json")[1])[0]["text"] == "改写 #新标签"
    assert run("note", "rm", note_id)[0] == 0
    code, _, err = run("note", "add", "安定区", "x", "--quote", "通报里没有这句话")
    assert code == 1 and "the quote is not in section" in err


def test_note_add_with_editor(zhenggai_home: Path, tmp_path: Path, monkeypatch: object) -> None:
    script = tmp_path / "fake-editor.sh"
    script.write_text('#!/bin/sh\nprintf "在编辑器里写的 #编辑器" > "$1"\n', encoding="utf-8")
    script.chmod(0o755)
    result = runner.invoke(app, ["note", "add", "安定区", "--edit"], env={"EDITOR": str(script)})
    assert result.exit_code == 0, result.output
    [note] = json.loads(run("note", "list", "--json")[1])
    assert note["text"] == "在编辑器里写的 #编辑器" and note["tags"] == ["编辑器"]


def test_comparisons_and_export(zhenggai_home: Path, tmp_path: Path) -> None:
    assert run("compare", "save", "两地", "安定区", "鼓楼区", "--note", "看完成率")[0] == 0
    saved = json.loads(run("compare", "list", "--json")[1])
    assert [c["name"] for c in saved] == ["两地"] and len(saved[0]["notice_ids"]) == 2
    run("note", "add", "安定区", "笔记一 #甲")
    run("note", "add", "鼓楼区", "笔记二 #乙")
    out_file = tmp_path / "notes.md"
    code, _, err = run("export", "-o", str(out_file), "--tag", "甲")
    assert code == 0 and "exported 1 notes" in err
    text = out_file.read_text(encoding="utf-8")
    assert "笔记一" in text and "笔记二" not in text
    full = run("export")[1]
    assert "### 两地" in full and "| 反馈问题总数 |" in full
    assert run("compare", "rm", "两地")[0] == 0
    code, _, err = run("compare", "rm", "两地")
    assert code == 1 and "no saved comparison named '两地'" in err


def test_corrupt_store_refuses_writes_with_one_line(zhenggai_home: Path) -> None:
    run("note", "add", "安定区", "先有一条")
    store = zhenggai_home / "data" / "store.json"
    store.write_text("{broken", encoding="utf-8")
    code, _, err = run("note", "add", "安定区", "再加一条")
    assert code == 1
    assert "is not a valid store" in err and "left untouched" in err
    assert store.read_text(encoding="utf-8") == "{broken"
    code, out, _ = run("note", "list", "--json")
    assert code == 0 and json.loads(out) == []  # the backup predates the first note


def test_data_dir_option(tmp_path: Path) -> None:
    assert run("note", "add", "安定区", "在别处", "--data-dir", str(tmp_path / "elsewhere"))[0] == 0
    assert (tmp_path / "elsewhere" / "store.json").exists()
