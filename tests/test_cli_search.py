"""``zhenggai search`` and ``zhenggai keywords``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from zhenggai.cli import app

runner = CliRunner()


def test_search_json_best_first(zhenggai_home: Path) -> None:
    result = runner.invoke(app, ["search", "三重一大", "--json", "--limit", "5"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert len(hits) == 5
    assert set(hits[0]) == {
        "notice_id",
        "district",
        "city",
        "section_id",
        "section_title",
        "snippet",
        "score",
    }
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert (zhenggai_home / "cache" / "index.sqlite").exists()


def test_search_filters_and_table(zhenggai_home: Path) -> None:
    result = runner.invoke(app, ["search", "营商环境", "--district", "铁西区", "--json", "-n", "100"])
    hits = json.loads(result.stdout)
    assert hits and {(h["city"], h["district"]) for h in hits} == {("沈阳市", "铁西区"), ("鞍山市", "铁西区")}
    table = runner.invoke(app, ["search", '"巡察反馈的17个问题"'], env={"COLUMNS": "160"})
    assert table.exit_code == 0 and "定西市安定区" in table.stdout
    none = runner.invoke(app, ["search", "量子计算"])
    assert none.exit_code == 0 and "no hits" in none.stderr


def test_keywords(zhenggai_home: Path) -> None:
    result = runner.invoke(app, ["keywords", "芦淞区", "--json", "--top", "5"])
    words = [w for w, _ in json.loads(result.stdout)]
    assert "返租" in words and len(words) == 5
