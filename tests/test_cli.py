"""``zhenggai list`` and ``zhenggai show``: people's tables, scripts' JSON, one-line errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from zhenggai.cli import app
from zhenggai.loaders import sample_data_paths

runner = CliRunner()

LIST_KEYS = {
    "id", "title", "province", "city", "district", "level", "round", "team", "kinds",
    "inspection_start", "inspection_end", "feedback_date", "publication_date", "source", "file", "sections",
}  # fmt: skip


def test_list_json_has_every_sample_notice() -> None:
    result = runner.invoke(app, ["list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 53
    assert set(rows[0]) >= LIST_KEYS
    heping = next(r for r in rows if r["district"] == "和平区")
    assert heping["city"] == "沈阳市" and heping["round"] == "十三届省委第四轮"
    assert heping["sections"] == 82
    assert "巡视" in result.stdout  # real characters, not \\u escapes


def test_list_table_for_people() -> None:
    result = runner.invoke(app, ["list"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "53 notices" in result.stdout
    assert "鞍山市" in result.stdout and "和平区" in result.stdout


def test_list_reports_skipped_files_and_exit_codes(tmp_path: Path) -> None:
    shutil.copy(sample_data_paths()[0], tmp_path / "good.txt")
    (tmp_path / "bad.txt").write_bytes(b"")
    result = runner.invoke(app, ["list", str(tmp_path), "--json"])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 1
    assert f"zhenggai: skipped {tmp_path / 'bad.txt'}: empty file" in result.stderr
    strict = runner.invoke(app, ["list", str(tmp_path), "--strict"])
    assert strict.exit_code == 1
    assert "1 file skipped (--strict)" in strict.stderr


def test_nothing_loaded_is_exit_1_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = runner.invoke(app, ["list", str(tmp_path), str(tmp_path / "missing")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.strip().splitlines() == [
        f"zhenggai: skipped {tmp_path / 'x.txt'}: binary data",
        f"zhenggai: skipped {tmp_path / 'missing'}: no such file or folder",
        "zhenggai: no notice loaded (2 files skipped)",
    ]


def test_show_ambiguous_district_lists_candidates() -> None:
    result = runner.invoke(app, ["show", "铁西区"])
    assert result.exit_code == 1
    assert "'铁西区' is ambiguous; 2 notices match:" in result.stderr
    assert "liaoning-shenyang-tiexi-2024" in result.stderr and "liaoning-anshan-tiexi-2024" in result.stderr


def test_show_by_city_and_district_json() -> None:
    result = runner.invoke(app, ["show", "鞍山", "铁西区", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["city"], data["district"]) == ("鞍山市", "铁西区")
    first = data["sections"][0]
    assert {"id", "number", "title", "level", "paragraphs", "children"} <= set(first)
    assert [s["id"] for s in data["sections"]][:2] == ["preamble", "一"]


def test_show_outline_and_section_text() -> None:
    outline = runner.invoke(app, ["show", "鼓楼区"], env={"COLUMNS": "160"})
    assert outline.exit_code == 0
    assert "二/(十七)" in outline.stdout and "清风扬帆网" in outline.stdout
    section = runner.invoke(app, ["show", "鼓楼区", "--section", "二/(十七)/1"])
    assert section.exit_code == 0
    assert "1.坚持以制度抓防范" in section.stdout
    missing = runner.invoke(app, ["show", "鼓楼区", "--section", "九/(九)"])
    assert missing.exit_code == 1 and "has no section '九/(九)'" in missing.stderr


def test_show_by_id_prefix_and_unknown_notice() -> None:
    ok = runner.invoke(app, ["show", "shaanxi-xian-gaoling", "--json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout)["district"] == "高陵区"
    unknown = runner.invoke(app, ["show", "不存在区"])
    assert unknown.exit_code == 1 and "no notice matches '不存在区'" in unknown.stderr


def test_notice_text_is_never_read_as_markup(tmp_path: Path) -> None:
    text = sample_data_paths()[-1].read_text(encoding="utf-8")
    text = text.replace("高陵区委始终坚持", "[bold red]高陵区委[/]始终坚持\x1b[2J", 1)
    (tmp_path / "markup.txt").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["show", "高陵区", "-p", str(tmp_path), "--section", "一"])
    assert result.exit_code == 0
    assert "[bold red]高陵区委[/]始终坚持" in result.stdout
    assert "\x1b[2J" not in result.stdout
