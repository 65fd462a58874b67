"""The store's commands: bookmark, note, compare save/list/rm, export — with one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from zhenggai.cli import app
from zhenggai.cli.annotations import register
from zhenggai.loaders import load_corpus, sample_data_paths

runner = CliRunner()


def anding_id() -> str:
    """The id of the 安定区 sample notice."""
    [notice] = load_corpus(None).resolve("安定区")
    return notice.id


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
    assert notes[0]["attachment"] == {
        "status": "attached",
        "section_id": "二",
        "notice_id": notes[0]["anchor"]["notice_id"],
        "reason": "",
    }
    tagged = json.loads(run("note", "list", "--tag", "#完成率", "--json")[1])
    assert [n["id"] for n in tagged] == [note_id]
    assert len(json.loads(run("note", "list", "--notice", "鼓楼区", "--json")[1])) == 1
    assert run("note", "edit", note_id, "改写 #新标签")[0] == 0
    assert json.loads(run("note", "list", "--tag", "新标签", "--json")[1])[0]["text"] == "改写 #新标签"
    assert run("note", "rm", note_id)[0] == 0
    code, _, err = run("note", "add", "安定区", "x", "--quote", "通报里没有这句话")
    assert code == 1 and err.strip() == f"zhenggai: the quote is not in {anding_id()}"


def test_note_add_with_editor(zhenggai_home: Path, tmp_path: Path, monkeypatch: object) -> None:
    script = tmp_path / "fake-editor.sh"
    script.write_text('#!/bin/sh\nprintf "在编辑器里写的 #编辑器" > "$1"\n', encoding="utf-8")
    script.chmod(0o755)
    result = runner.invoke(
        app, ["note", "add", "安定区", "--edit"], env={"EDITOR": str(script), "VISUAL": None}
    )
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
    assert code == 0 and "exported 1 note to" in err
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


def small_app() -> typer.Typer:
    """A bare typer app with only the store's commands, as ``register`` adds them."""
    main = typer.Typer()
    compare = typer.Typer()
    main.add_typer(compare, name="compare")
    register(main, compare)
    return main


def test_register_adds_the_store_commands() -> None:
    main = small_app()
    groups = {g.name for g in main.registered_groups}
    assert {"bookmark", "note", "compare"} <= groups
    assert [c.name for c in main.registered_commands] == ["export"]
    result = runner.invoke(main, ["compare", "--help"])
    assert result.exit_code == 0 and all(word in result.stdout for word in ("save", "list", "rm"))


def test_ambiguous_notice_lists_candidates_and_exits_1(zhenggai_home: Path) -> None:
    result = runner.invoke(small_app(), ["note", "add", "铁西区", "哪个铁西区?"])
    assert result.exit_code == 1
    assert "'铁西区' is ambiguous; 2 notices match:" in result.stderr
    assert "liaoning-shenyang-tiexi" in result.stderr and "liaoning-anshan-tiexi" in result.stderr
    assert "Traceback" not in result.output
    assert not (zhenggai_home / "data" / "store.json").exists()  # nothing written


def test_errors_are_one_line_without_traceback(zhenggai_home: Path) -> None:
    app_ = small_app()
    for args, message in (
        (["note", "edit", "nosuchid", "x"], "zhenggai: no note with id nosuchid"),
        (["note", "rm", "nosuchid"], "zhenggai: no note with id nosuchid"),
        (
            ["note", "add", "没有这个区", "x"],
            "zhenggai: no notice matches '没有这个区' (try `zhenggai list`)",
        ),
        (
            ["note", "add", "安定区", "x", "-s", "九/(九)"],
            f"zhenggai: {anding_id()} has no section '九/(九)'",
        ),
        (["note", "add", "安定区", "   "], "zhenggai: the note is empty; nothing saved"),
        (["compare", "save", "一个", "安定区"], "zhenggai: a comparison needs two or more notices"),
    ):
        result = runner.invoke(app_, args)
        assert (result.exit_code, result.stderr.strip()) == (1, message), args
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_people_output_is_a_table_and_text_is_not_markup(zhenggai_home: Path) -> None:
    app_ = small_app()
    assert runner.invoke(app_, ["note", "add", "安定区", "[bold]不是标记[/bold] #营商环境"]).exit_code == 0
    assert runner.invoke(app_, ["bookmark", "add", "鼓楼区", "-s", "二"]).exit_code == 0
    assert runner.invoke(app_, ["compare", "save", "两地", "安定区", "鼓楼区"]).exit_code == 0
    notes = runner.invoke(app_, ["note", "list"], env={"COLUMNS": "200"})
    assert notes.exit_code == 0 and notes.stdout.splitlines()[0].strip() == "1 note"
    assert "[bold]不是标记[/bold]" in notes.stdout and "定西市安定区" in notes.stdout
    bookmarks = runner.invoke(app_, ["bookmark", "list"], env={"COLUMNS": "200"})
    assert bookmarks.stdout.splitlines()[0].strip() == "1 bookmark" and "徐州市鼓楼区" in bookmarks.stdout
    comparisons = runner.invoke(app_, ["compare", "list"], env={"COLUMNS": "200"})
    assert comparisons.stdout.splitlines()[0].strip() == "1 comparison" and "两地" in comparisons.stdout


def test_json_keeps_chinese_characters(zhenggai_home: Path) -> None:
    app_ = small_app()
    runner.invoke(app_, ["note", "add", "安定区", "营商环境 #营商环境"])
    out = runner.invoke(app_, ["note", "list", "--json"]).stdout
    assert "营商环境" in out and "\\u" not in out


def test_export_by_notice_to_stdout(zhenggai_home: Path) -> None:
    app_ = small_app()
    runner.invoke(app_, ["note", "add", "安定区", "甲地笔记"])
    runner.invoke(app_, ["note", "add", "鼓楼区", "乙地笔记"])
    runner.invoke(app_, ["bookmark", "add", "鼓楼区"])
    result = runner.invoke(app_, ["export", "--notice", "鼓楼区"])
    assert result.exit_code == 0 and result.stdout.startswith("---\ntitle: ")
    assert "乙地笔记" in result.stdout and "甲地笔记" not in result.stdout
    assert "## 书签 Bookmarks" in result.stdout


def test_detached_note_is_listed_and_exported(zhenggai_home: Path, tmp_path: Path) -> None:
    source = next(p for p in (Path(__file__).parent.parent / "sample_data").glob("shaanxi-*.txt"))
    copy = tmp_path / "gaoling.txt"
    quote = "先后召开书记专题会和区委第5次常委会会议"
    copy.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    app_ = small_app()
    added = runner.invoke(
        app_, ["note", "add", "高陵区", "会议次数", "-s", "一/(一)", "-q", quote, "-p", str(copy)]
    )
    assert added.exit_code == 0, added.output
    copy.write_text(source.read_text(encoding="utf-8").replace(quote, "召开了多次会议"), encoding="utf-8")
    [note] = json.loads(runner.invoke(app_, ["note", "list", "--json", "-p", str(copy)]).stdout)
    assert note["attachment"] == {
        "status": "detached", "section_id": None, "notice_id": None,
        "reason": "the quoted passage is no longer in the notice",
    }  # fmt: skip
    exported = runner.invoke(app_, ["export", "-p", str(copy)]).stdout
    assert (
        "## 未能定位的笔记 Detached notes" in exported and f"> {quote}" in exported and "会议次数" in exported
    )


def test_note_list_follows_a_note_across_an_edited_opening(tmp_path: Path) -> None:
    source = next(p for p in sample_data_paths() if "gaoling" in p.name)
    copy = tmp_path / "gaoling.txt"
    text = source.read_text(encoding="utf-8")
    copy.write_text(text, encoding="utf-8")
    quote = "先后召开书记专题会和区委第5次常委会会议"
    added = runner.invoke(app, ["note", "add", "高陵区", "会议次数", "-q", quote, "-p", str(copy)])
    assert added.exit_code == 0, added.output
    first_line = text.splitlines()[0]
    copy.write_text(
        text.replace(first_line, first_line + "（修订稿）", 1), encoding="utf-8"
    )  # the id changes
    [note] = json.loads(runner.invoke(app, ["note", "list", "--json", "-p", str(copy)]).stdout)
    [notice] = load_corpus([copy]).notices
    assert notice.id != note["anchor"]["notice_id"]
    assert note["attachment"]["status"] == "attached"
    assert note["attachment"]["notice_id"] == notice.id
