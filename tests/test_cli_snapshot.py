"""The CLI on a corpus opened from the store's snapshot: the same bytes as after a full load."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhenggai.cli import app
from zhenggai.cli.commands import one_command_app
from zhenggai.cli.common import print_json
from zhenggai.loaders import sample_data_paths

runner = CliRunner()
HOUR_AGO = time.time() - 3600


def _snapshots(home: Path) -> int:
    db = sqlite3.connect(home / "cache" / "corpus.sqlite")
    try:
        return int(db.execute("SELECT count(*) FROM snapshots").fetchone()[0])
    finally:
        db.close()


def test_every_command_prints_the_same_bytes_from_the_snapshot(tmp_path: Path, zhenggai_home: Path) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    for path in sample_data_paths():
        shutil.copy(path, folder / path.name)
        os.utime(folder / path.name, (HOUR_AGO, HOUR_AGO))  # settled: the load keeps a snapshot
    where = str(folder)
    commands = [
        ["list", where],
        ["list", "--json", where],
        ["list", "--city", "沈阳", "--level", "xunshi", where],
        ["list", "--year", "2024", "--json", where],
        ["show", "沈阳", "和平区", "--path", where],
        ["show", "和平区", "--json", "--path", where],
        ["show", "和平区", "--section", "二/(二)/1", "--path", where],
        ["show", "liaoning", "--path", where],  # ambiguous: the candidates on stderr, exit 1
        ["search", "营商环境", where],
        ["search", "营商环境", "--province", "辽宁", "--json", where],
    ]
    before = _snapshots(zhenggai_home)
    full = [runner.invoke(app, command) for command in commands]  # the first writes the snapshot
    assert _snapshots(zhenggai_home) == before + 1
    opened = [runner.invoke(app, command) for command in commands]
    for command, first, again in zip(commands, full, opened, strict=True):
        assert (again.exit_code, again.stdout, again.stderr) == (first.exit_code, first.stdout, first.stderr)
        assert first.exit_code == (1 if "liaoning" in command else 0), (command, first.output)
    assert len(json.loads(full[1].stdout)) == 53
    assert full[2].stdout.startswith("10 notices\nprovince  city ") and "沈阳市  和平区" in full[2].stdout


def test_json_through_orjson_is_byte_for_byte_jsons(capsys: pytest.CaptureFixture[str]) -> None:
    data = [
        {"text": 'x\x00\x1f\x7f\u2028"\\\b\f\n\r\t 中文 \U0001f600', "none": None, "yes": True, "n": -5},
        {"empty": [], "nested": {"list": [1, {"deep": []}], "dict": {}}},
        [],
    ]
    expected = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    print_json(data, floats=False)
    assert capsys.readouterr().out == expected
    huge = {"count": 2**70}  # beyond orjson: json writes it
    print_json(huge, floats=False)
    assert capsys.readouterr().out == json.dumps(huge, ensure_ascii=False, indent=2) + "\n"


def test_a_command_runs_in_an_app_of_itself_with_the_same_help() -> None:
    names = [info.name for info in one_command_app(["list", "--json"]).registered_commands]
    assert sorted(names) == ["list", "read"]
    assert one_command_app(["show", "a", "--data-dir", "x"]).registered_commands[0].name in ("read", "show")
    assert one_command_app(["--data-dir", "x", "show", "a"]) is app  # not as command_line leaves it
    assert one_command_app(["note", "list"]) is app  # a group: the whole app
    assert one_command_app(["--help"]) is app and one_command_app(["nosuch"]) is app
    for command in (["list", "--help"], ["search", "--help"], ["show"], ["list", "--bogus"]):
        whole = runner.invoke(app, command)
        alone = runner.invoke(one_command_app(command), command)
        assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output), command
        assert whole.exit_code in (0, 2)


def test_columns_are_escaped_and_padded_by_cell_width(capsys: pytest.CaptureFixture[str]) -> None:
    from zhenggai.cli.common import print_columns

    print_columns(
        "2 rows", ("地区", "n", "id"), [["x\x1b[2Jy", "和平区"], ["7", "12"], ["a\u202eb", "c"]], right=(1,)
    )
    assert capsys.readouterr().out.splitlines() == [
        "2 rows",
        "地区        n  id",
        "x\\x1b[2Jy   7  a<U+202E>b",
        "和平区     12  c",
    ]


def test_a_json_list_written_in_parts_is_jsons_bytes(capsys: pytest.CaptureFixture[str]) -> None:
    from zhenggai.cli.common import print_json_list

    for parts in (
        [[{"a": "中文\x00\u2028", "k": []}, {"a": None}], [], [{"b": [1, "x", {"c": True}]}]],
        [[{"a": 1}], [{"n": 2**70}], [{"c": "d"}]],  # the middle part beyond orjson: json writes it
        [[], []],
    ):
        print_json_list(iter(parts))
        whole = [item for part in parts for item in part]
        assert capsys.readouterr().out == json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
