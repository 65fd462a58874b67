"""What people expect of a command line (issue 9): piped output in full, forgiving section ids, place
and level names as typed, queries starting with ``-``, safe ``compare save``, ``-h``, global options
anywhere, help without Python types, "1 notice", and one-line errors for a missing editor."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
import typer
from rich.cells import cell_len
from typer.main import get_command
from typer.testing import CliRunner

from zhenggai.cli import app, main
from zhenggai.cli.commands import command_line
from zhenggai.cli.common import NoticeFilter, place_matches, plural, print_rows, safe
from zhenggai.loaders import Corpus, load_corpus
from zhenggai.store.comparisons import ComparisonExists
from zhenggai.store.db import Store
from zhenggai.store.storage import StoreError

runner = CliRunner()


@cache
def samples() -> Corpus:
    """The bundled samples, loaded once by the first test that asks (not while the tests are collected)."""
    return load_corpus(None)


def notice_id(district: str) -> str:
    """The bundled sample's id for a district (ids are not spelled out: their format may change)."""
    [notice] = samples().resolve(district)
    return notice.id


def ids(*args: str) -> list[str]:
    """The notice ids ``zhenggai list --json ARGS`` prints."""
    result = runner.invoke(app, ["list", "--json", *args])
    assert result.exit_code == 0, result.output
    return [row["id"] for row in json.loads(result.stdout)]


# --- piped output -------------------------------------------------------------------------------


def test_piped_list_keeps_whole_rows_aligned_by_display_width() -> None:
    result = runner.invoke(app, ["list"])  # CliRunner's stdout is not a terminal
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "53 notices"
    assert lines[1].split() == ["province", "city", "district", "level", "round", "feedback", "published",
                                "§", "id"]  # fmt: skip
    assert "…" not in result.stdout
    [lusong] = [line for line in lines if notice_id("芦淞区") in line]
    assert lusong.endswith("  " + notice_id("芦淞区")) and lusong.split()[:3] == [
        "湖南省",
        "株洲市",
        "芦淞区",
    ]
    rows = lines[1:]
    assert len(rows) == 54
    id_columns = {cell_len(row[: row.rindex("  ") + 2]) for row in rows}
    assert len(id_columns) == 1  # every id starts at the same display column
    assert all(row == row.rstrip() for row in rows)


def test_piped_ledger_keeps_whole_sentences() -> None:
    result = runner.invoke(app, ["ledger", "--district", "安定"])
    assert result.exit_code == 0
    [total] = [line for line in result.stdout.splitlines() if "反馈问题总数" in line]
    sentence = total.split("  ")[-1]
    assert len(sentence) > 80 and "…" not in sentence and "巡察组反馈的17个问题" in sentence


def test_print_rows_pads_by_cell_width_and_right_aligns(capsys: pytest.CaptureFixture[str]) -> None:
    print_rows("2 rows", ("地区", "n", "id"), [("和平区", "7", "a"), ("x", "12", "long-id")], right=(1,))
    assert capsys.readouterr().out.splitlines() == [
        "2 rows",
        "地区     n  id",
        "和平区   7  a",
        "x       12  long-id",
    ]


def test_plain_rows_and_errors_never_carry_terminal_controls(capsys: pytest.CaptureFixture[str]) -> None:
    print_rows(None, ("file",), [("a\x1b]0;pwned\x07b\u202ec",)])
    assert capsys.readouterr().out == "file\na\\x1b]0;pwned\\x07b<U+202E>c\n"
    assert safe("x\x1b[2Jy\u2066z\nline two") == "x\\x1b[2Jy<U+2066>z\nline two"


# --- section ids ------------------------------------------------------------------------------------


def test_section_ids_accept_full_width_brackets_everywhere(zhenggai_home: Path) -> None:
    notice = next(n for n in samples().notices if n.id == notice_id("和平区"))
    half = notice.section("二/(二)/1")
    assert half is not None
    for typed in ("二/（二）/1", "二／（二）／１", " 二 / (二) / 1"):
        assert notice.section(typed) is half, typed
    assert notice.section("二/（九十九）") is None
    shown = runner.invoke(app, ["show", "和平区", "--section", "二/（二）/1", "--json"])
    assert shown.exit_code == 0 and json.loads(shown.stdout)["id"] == "二/(二)/1"
    added = runner.invoke(app, ["bookmark", "add", "和平区", "-s", "二／（二）／１"])
    assert added.exit_code == 0, added.output
    [bookmark] = json.loads(runner.invoke(app, ["bookmark", "list", "--json"]).stdout)
    assert bookmark["anchor"]["section_id"] == "二/(二)/1"  # stored as the notice writes it


# --- note add --quote without --section -----------------------------------------------------------


def test_note_quote_finds_its_section(zhenggai_home: Path) -> None:
    added = runner.invoke(app, ["note", "add", "安定区", "完成率", "--quote", "已完成整改14个"])
    assert added.exit_code == 0, added.output
    [note] = json.loads(runner.invoke(app, ["note", "list", "--json"]).stdout)
    assert note["anchor"]["section_id"] == "二" and note["anchor"]["exact"] == "已完成整改14个"
    assert note["attachment"] == {
        "status": "attached",
        "section_id": "二",
        "notice_id": note["anchor"]["notice_id"],
        "reason": "",
    }


def test_note_quote_in_several_sections_lists_them(zhenggai_home: Path) -> None:
    result = runner.invoke(app, ["note", "add", "和平区", "哪一处?", "--quote", "营商环境"])
    assert result.exit_code == 1
    first, *candidates = result.stderr.splitlines()
    assert first == f"the quote is in 7 sections of {notice_id('和平区')}; choose one with --section:"
    assert [line.split()[0] for line in candidates] == [
        "preamble", "一/(三)", "三", "三/(一)/1", "三/(一)/2", "三/(一)/3", "三/(二)/2",
    ]  # fmt: skip
    assert all(line.startswith("  ") and "营商环境" in line for line in candidates)
    assert not (zhenggai_home / "data" / "store.json").exists()  # nothing saved
    missing = runner.invoke(app, ["note", "add", "和平区", "x", "--quote", "通报里没有这句话"])
    assert (missing.exit_code, missing.stderr) == (
        1,
        f"zhenggai: the quote is not in {notice_id('和平区')}\n",
    )


# --- queries that start with - --------------------------------------------------------------------


def test_query_starting_with_minus_is_a_query(zhenggai_home: Path) -> None:
    result = runner.invoke(app, ["search", "-整改", "巡视", "--json", "-n", "50"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert len(hits) == 50
    assert all("巡视" in h["snippet"] and "整改" not in h["snippet"] for h in hits)
    quoted = runner.invoke(app, ["search", "巡视 -整改", "--json", "-n", "50"])
    assert json.loads(quoted.stdout) == hits


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "the query is empty: give a word to look for (e.g. zhenggai search 营商环境)"),
        ("  ", "the query is empty: give a word to look for (e.g. zhenggai search 营商环境)"),
        ("-", "the query '-' has no word to look for, only '-' (which excludes the word after it)"),
        ("---", "the query '---' has no word to look for, only '-' (which excludes the word after it)"),
        ("-整改", "the query only excludes words (-整改): add a word to look for"),
        ("OR", "the query 'OR' has no word to look for"),
    ],
)
def test_query_that_cannot_find_anything_says_why(query: str, message: str) -> None:
    result = runner.invoke(app, ["search", query])
    assert (result.exit_code, result.stderr) == (1, f"zhenggai: {message}\n")


# --- filters: place short names, level names, inspection kind --------------------------------------


def test_place_names_match_in_full_or_without_suffix() -> None:
    assert place_matches("沈阳", "沈阳市") and place_matches("沈阳市", "沈阳市")
    assert place_matches("辽宁", "辽宁省") and place_matches("和平", "和平区")
    assert place_matches("沈北", "沈北新区") and place_matches("广西", "广西壮族自治区")
    assert not place_matches("沈", "沈阳市") and not place_matches("清河", "清河门区")
    assert not place_matches("沈阳", None)


def test_list_filters_by_short_and_full_names() -> None:
    shenyang = ids("--city", "沈阳")
    assert len(shenyang) == 10 and ids("--city", "沈阳市") == shenyang
    assert len(ids("--province", "辽宁")) == 49 == len(ids("--province", "辽宁省"))
    assert ids("--district", "和平") == [notice_id("和平区")] == ids("--district", "和平区")
    assert ids("--level", "巡察") == [notice_id("安定区")] == ids("--level", "XunCha")
    assert len(ids("--level", "xunshi")) == 52
    kind = ids("--inspection-kind", "营商环境专项")
    assert len(kind) == 48 and ids("--kind", "营商") == kind  # --kind: the hidden alias
    assert ids("--year", "2021", "--city", "株洲") == [notice_id("芦淞区")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--level", "省级"], "--level must be 巡视 (xunshi) or 巡察 (xuncha), not '省级'"),
        (["--city", "沈阳", "--level", "巡察"], "no loaded notice matches all of: city 沈阳, level 巡察"),
        (
            ["--kind", "cn"],
            "no loaded notice has inspection kind 'cn' (known: 常规, 营商环境专项); "
            "for a section's numbering kind use --section-kind",
        ),
        (["--province", " "], "--province needs a name"),
    ],
)
def test_filter_errors_are_one_line(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["list", *args])
    assert (result.exit_code, result.stderr) == (1, f"zhenggai: {message}\n")


def test_list_ledger_and_search_share_the_filters(zhenggai_home: Path) -> None:
    options = ["--province", "--city", "--district", "--level", "--year", "--inspection-kind"]
    for command in ("list", "ledger", "search"):
        help_text = runner.invoke(app, [command, "--help"]).stdout
        assert all(option in help_text for option in options), command
        assert "--kind " not in help_text and "常规" in help_text
    ledger = json.loads(runner.invoke(app, ["ledger", "--json", "--city", "沈阳"]).stdout)
    assert sorted(row["id"] for row in ledger) == sorted(ids("--city", "沈阳"))
    hits = json.loads(
        runner.invoke(app, ["search", "营商环境", "--city", "沈阳", "--json", "-n", "100"]).stdout
    )
    assert hits and {h["city"] for h in hits} == {"沈阳市"}


def test_search_by_inspection_kind_keeps_the_best_hits_of_those_notices(zhenggai_home: Path) -> None:
    allowed = set(ids("--inspection-kind", "营商"))
    every = json.loads(runner.invoke(app, ["search", "巡察", "--json", "-n", "100000"]).stdout)
    assert {h["notice_id"] for h in every} - allowed  # the filter has something to leave out
    result = runner.invoke(app, ["search", "巡察", "--inspection-kind", "营商", "--json", "-n", "40"])
    hits = json.loads(result.stdout)
    assert len(hits) == 40 and {h["notice_id"] for h in hits} <= allowed
    returned = {(h["notice_id"], h["section_id"]) for h in hits}
    left = [
        h["score"]
        for h in every
        if h["notice_id"] in allowed and (h["notice_id"], h["section_id"]) not in returned
    ]
    assert min(h["score"] for h in hits) >= max(left)


def test_notice_filter_unit() -> None:
    assert not NoticeFilter().active
    where = NoticeFilter.from_options(city="沈阳", level="xunshi", kind="营商")
    assert where == NoticeFilter(city="沈阳", level="巡视", inspection_kind="营商")


# --- compare save ---------------------------------------------------------------------------------


def test_compare_save_refuses_overwrite_empty_names_and_twice_the_same(zhenggai_home: Path) -> None:
    assert runner.invoke(app, ["compare", "save", "两地", "安定区", "鼓楼区"]).exit_code == 0
    again = runner.invoke(app, ["compare", "save", "两地", "安定区", "和平区"])
    assert (again.exit_code, again.stderr) == (
        1,
        "zhenggai: a comparison named '两地' already exists (use --force to replace it)\n",
    )
    forced = runner.invoke(app, ["compare", "save", "两地", "安定区", "和平区", "--force"])
    assert forced.exit_code == 0 and forced.stdout == "comparison '两地' saved (2 notices)\n"
    [saved] = json.loads(runner.invoke(app, ["compare", "list", "--json"]).stdout)
    assert saved["notice_ids"] == [notice_id("安定区"), notice_id("和平区")]
    for args, message in (
        (["", "安定区", "和平区"], "a comparison needs a name"),
        (["  ", "安定区", "和平区"], "a comparison needs a name"),
        (["x", "安定区", notice_id("安定区")], f"the same notice is named twice: {notice_id('安定区')}"),
    ):
        result = runner.invoke(app, ["compare", "save", *args])
        assert (result.exit_code, result.stderr) == (1, f"zhenggai: {message}\n"), args


def test_store_validates_comparisons_for_every_caller(zhenggai_home: Path) -> None:
    store = Store.open()
    store.save_comparison(" 甲 ", ["a", "b"])
    assert store.comparison("甲") is not None  # the name is kept without surrounding spaces
    with pytest.raises(ComparisonExists, match=r"^a comparison named '甲' already exists$"):
        store.save_comparison("甲", ["a", "c"], replace=False)
    with pytest.raises(StoreError, match=r"^the same notice is named twice: a$"):
        store.save_comparison("乙", ["a", "b", "a"])
    with pytest.raises(StoreError, match=r"^a comparison needs a name$"):
        store.save_comparison("\t", ["a", "b"])
    assert [c["name"] for c in store.comparisons()] == ["甲"]


# --- help, -h, global options, counts ------------------------------------------------------------


def _leaf_commands(group: typer.Typer) -> list[list[str]]:
    command = get_command(group)
    paths: list[list[str]] = [[]]
    for name, sub in getattr(command, "commands", {}).items():
        paths.append([name])
        paths += [[name, leaf] for leaf in getattr(sub, "commands", {})]
    return paths


def test_every_command_has_h_examples_and_no_python_types() -> None:
    paths = _leaf_commands(app)
    assert ["note", "add"] in paths and ["compare", "save"] in paths and len(paths) > 20
    for path in paths:
        short = runner.invoke(app, [*path, "-h"])
        assert short.exit_code == 0, path
        assert short.stdout == runner.invoke(app, [*path, "--help"]).stdout
        assert "Example: zhenggai" in short.stdout, path
        for python in ("<str>", "<int>", "<path>", "list[", "[default: None]", "{", "PATH"):
            assert python not in short.stdout, (path, python)


def test_global_options_before_or_after_the_command(tmp_path: Path) -> None:
    assert command_line(["--data-dir", "X", "note", "add", "安定区", "甲"]) == [
        "note", "add", "安定区", "甲", "--data-dir", "X",
    ]  # fmt: skip
    assert command_line(["--data-dir=X", "search", "--", "-整改"]) == [
        "search",
        "--data-dir=X",
        "--",
        "-整改",
    ]
    assert command_line(["--data-dir", "X"]) == ["read", "--data-dir", "X"]
    assert command_line(["--data-dir", "X", "folder"]) == ["read", "folder", "--data-dir", "X"]
    assert command_line(["-h"]) == ["-h"] and command_line(["list", "-h"]) == ["list", "-h"]
    before, after = tmp_path / "before", tmp_path / "after"
    added = runner.invoke(app, command_line(["--data-dir", str(before), "note", "add", "安定区", "甲"]))
    assert added.exit_code == 0 and (before / "store.json").exists()
    assert runner.invoke(app, ["note", "add", "安定区", "乙", "--data-dir", str(after)]).exit_code == 0
    assert (after / "store.json").exists()


def test_main_moves_global_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--data-dir", str(tmp_path), "note", "add", "安定区", "甲"])
    assert done.value.code == 0 and capsys.readouterr().out.startswith("note ")
    assert (tmp_path / "store.json").exists()


def test_counts_are_singular_for_one(zhenggai_home: Path, tmp_path: Path) -> None:
    assert plural(1, "notice") == "1 notice" and plural(2, "notice") == "2 notices"
    assert plural(0, "hit") == "0 hits" and plural(1, "city", "cities") == "1 city"
    assert runner.invoke(app, ["list", "--district", "和平"]).stdout.startswith("1 notice\n")
    hit = runner.invoke(app, ["search", '"巡察反馈的17个问题"'])
    assert hit.exit_code == 0 and hit.stdout.splitlines()[0].strip() == "1 hit"
    runner.invoke(app, ["note", "add", "安定区", "一条"])
    exported = runner.invoke(app, ["export", "-o", str(tmp_path / "n.md")])
    assert exported.stderr == f"exported 1 note to {tmp_path / 'n.md'}\n"


# --- editor ---------------------------------------------------------------------------------------


def test_missing_editor_is_a_one_line_error_and_saves_nothing(zhenggai_home: Path) -> None:
    result = runner.invoke(
        app,
        ["note", "add", "和平区", "--edit", "--section", "一"],
        env={"EDITOR": "nonexistent-editor-zhenggai", "VISUAL": None},
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("zhenggai: cannot start the editor 'nonexistent-editor-zhenggai': ")
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output
    assert not (zhenggai_home / "data" / "store.json").exists()
