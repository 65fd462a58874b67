"""``zhenggai ledger`` (table, CSV with BOM, JSON) and ``zhenggai compare show`` (table, Markdown)."""

from __future__ import annotations

import csv
import io
import json

from markdown_it import MarkdownIt
from typer.testing import CliRunner

from zhenggai.cli import app

runner = CliRunner()


def test_ledger_json_vocabulary_and_sources() -> None:
    result = runner.invoke(app, ["ledger", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 53
    lusong = next(r for r in rows if r["district"] == "芦淞区")
    assert {"id", "province", "city", "district", "figures"} <= set(lusong)
    total = next(f for f in lusong["figures"] if f["name"] == "problems_total")
    assert total == {
        "name": "problems_total",
        "value": 42,
        "unit": "个",
        "label": "",
        "sentence": total["sentence"],
        "section": "一/(二)",
        "start": total["start"],
        "end": total["end"],
        "computed": False,
    }
    assert "细化分解为42项具体问题" in total["sentence"]


def test_ledger_csv_has_bom_and_opens_as_utf8() -> None:
    result = runner.invoke(app, ["ledger", "--csv"])
    assert result.exit_code == 0
    raw = result.stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"))))
    anding = [r for r in rows if r["district"] == "安定区"]
    assert [(r["name"], r["value"]) for r in anding] == [
        ("problems_total", "17"),
        ("problems_rectified", "14"),
        ("problems_in_progress", "3"),
        ("completion_rate", "82.4"),
    ]
    assert anding[-1]["computed"] == "True"


def test_compare_show_table_and_markdown() -> None:
    table = runner.invoke(app, ["compare", "show", "芦淞区", "安定区"], env={"COLUMNS": "160"})
    assert table.exit_code == 0, table.output
    assert "反馈问题总数" in table.stdout and "54.8%" in table.stdout
    md = runner.invoke(app, ["compare", "show", "芦淞区", "安定区", "--markdown"])
    assert md.exit_code == 0
    tokens = MarkdownIt("commonmark").enable("table").parse(md.stdout)
    tables = [t for t in tokens if t.type == "table_open"]
    assert len(tables) == 2
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[0].startswith("对比 Comparison: 株洲市芦淞区 2021 / 定西市安定区")
    assert "台账 Ledger" in headings and "提纲对照 Aligned sections" in headings
    rows = [tokens[i + 2].content for i, t in enumerate(tokens) if t.type == "tr_open"]
    assert "反馈问题总数" in rows


def test_compare_needs_two_notices() -> None:
    result = runner.invoke(app, ["compare", "show", "芦淞区"])
    assert result.exit_code == 1
    assert "two or more notices" in result.stderr
