"""``zhenggai ledger`` and ``zhenggai compare show/open``: figures and comparisons from the command line."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.text import Text

from . import reader
from .common import (
    CityOpt,
    DataDirOpt,
    DistrictOpt,
    InspectionKindOpt,
    KindAliasOpt,
    LevelOpt,
    NoticeFilter,
    PathOpt,
    PathsArg,
    ProvinceOpt,
    YearOpt,
    console,
    fail,
    load_or_exit,
    print_json,
    print_rows,
    resolve_one,
    stdout_is_terminal,
)

if TYPE_CHECKING:
    from ..loaders import Notice

NoticesArg = Annotated[
    list[str],
    typer.Argument(help="Two or more notices: ids, id prefixes or districts.", metavar="NOTICE"),
]

CSV_COLUMNS = ("notice_id", "province", "city", "district", "name", "value", "unit", "label", "computed",
               "section", "sentence")  # fmt: skip


def ledger(
    paths: PathsArg = None,
    province: ProvinceOpt = None,
    city: CityOpt = None,
    district: DistrictOpt = None,
    level: LevelOpt = None,
    year: YearOpt = None,
    inspection_kind: InspectionKindOpt = None,
    kind: KindAliasOpt = None,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV (UTF-8 with BOM, for Excel/R/pandas).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON: one object per notice.")] = False,
    long: Annotated[
        bool,
        typer.Option("--long", help="Panel data: one CSV row per notice × figure with place, round, dates."),
    ] = False,
    rounds: Annotated[
        bool, typer.Option("--rounds", help="Per round: notices stating each figure, median.")
    ] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Every notice × figure, with the sentence each figure came from.

    Piped or redirected, the rows are plain text with whole sentences.

    Example: zhenggai ledger --province 辽宁 --csv > ledger.csv

    Example: zhenggai ledger --long --csv > panel.csv   (columns: docs/panel.md)
    """
    if as_csv and as_json:
        fail("choose one of --csv and --json")
    where = NoticeFilter.from_options(
        province=province, city=city, district=district, level=level, year=year,
        inspection_kind=inspection_kind, kind=kind,
    )  # fmt: skip
    from ..loaders.comparison import FIGURE_LABELS, format_value
    from ..loaders.ledger import extract_ledger

    corpus = load_or_exit(paths, data_dir=data_dir)
    if long or rounds:
        from .research import ledger_panel

        ledger_panel(where.apply(corpus.notices), rounds=rounds, as_csv=as_csv, as_json=as_json)
        return
    ledgers = [(n, extract_ledger(n)) for n in where.apply(corpus.notices)]
    if as_json:
        print_json(
            [
                {
                    "id": n.id,
                    "province": n.province,
                    "city": n.city,
                    "district": n.district,
                    "figures": [f.to_dict() for f in lg.figures],
                    "checks": lg.checks,
                }
                for n, lg in ledgers
            ]
        )
        return
    if as_csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for notice, lg in ledgers:
            for figure in lg.figures:
                data = figure.to_dict()
                writer.writerow(
                    [notice.id, notice.province, notice.city, notice.district, figure.name, data["value"],
                     figure.unit, figure.label, figure.computed, figure.section, figure.sentence]
                )  # fmt: skip
        sys.stdout.buffer.write(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
        sys.stdout.flush()
        return
    columns = ("district", "city", "figure", "value", "sentence")
    rows = [
        (
            notice.district or "—",
            notice.city or "—",
            FIGURE_LABELS.get(figure.name, figure.name) + (f"〔{figure.label}〕" if figure.label else ""),
            format_value(figure),
            figure.sentence,
        )
        for notice, lg in ledgers
        for figure in lg.figures
    ]
    if not stdout_is_terminal():
        print_rows("台账 ledger", columns, rows)
        return
    from rich.table import Table

    table = Table(title="台账 ledger", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for column in columns:
        table.add_column(column, no_wrap=column != "sentence", overflow="fold")
    for *cells, sentence in rows:
        sentence = sentence[:80] + ("…" if len(sentence) > 80 else "")
        table.add_row(*(Text(c) for c in cells), Text(sentence, style="dim"))
    console.print(table)


def _notices(queries: list[str], path: list[Path] | None, data_dir: Path | None) -> list[Notice]:
    if len(queries) < 2:
        fail("compare needs two or more notices (ids, id prefixes or district names)")
    corpus = load_or_exit(path, data_dir=data_dir)
    notices = [resolve_one(corpus, q) for q in queries]
    ids = [n.id for n in notices]
    twice = next((i for i in ids if ids.count(i) > 1), None)
    if twice is not None:
        fail(f"the same notice is named twice: {twice}")
    return notices


def compare_show(
    notices: NoticesArg,
    path: PathOpt = None,
    markdown: Annotated[bool, typer.Option("--markdown", help="Write the comparison as Markdown.")] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """The ledger table and the aligned section titles of two or more notices.

    Example: zhenggai compare show 和平区 沈河区 --markdown
    """
    from ..loaders.comparison import compare, format_value, notice_heading, to_markdown

    comparison = compare(_notices(notices, path, data_dir))
    if markdown:
        sys.stdout.write(to_markdown(comparison))
        return
    heads = [notice_heading(n) for n in comparison.notices]
    from rich.table import Table

    table = Table(title="台账对照 ledger", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("")
    for head in heads:
        table.add_column(head, justify="right")
    for key, label in (("inspection_end", "巡视结束"), ("feedback_date", "反馈日期")):
        table.add_row(label, *(Text(getattr(n.meta, key) or "—") for n in comparison.notices))
    for row in comparison.rows:
        style = "bold" if row.differs else ""
        table.add_row(Text(row.title), *(Text(format_value(c), style=style) for c in row.cells))
    console.print(table)
    outline = Table(title="提纲对照 aligned sections", title_justify="left", box=box.SIMPLE_HEAD)
    for head in heads:
        outline.add_column(head, overflow="fold")
    for aligned in comparison.alignment.rows:
        top = aligned.depth == 0
        outline.add_row(
            *(
                Text(("" if top else "  ") + f"{c.number}{c.title}", style="bold" if top else "")
                if c is not None
                else Text("—", style="dim")
                for c in aligned.cells
            )
        )
    console.print(outline)


def compare_open(
    notices: Annotated[
        list[str],
        typer.Argument(help="Two or more notices, or the name of a saved comparison.", metavar="NOTICE"),
    ],
    path: PathOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Open the comparison screen on two or more notices, or on a saved comparison by name.

    Example: zhenggai compare open 和平区 沈河区
    """
    from ..store.db import Store

    reader.quick_escape()
    from ..tui.app import make_app

    if len(notices) == 1:
        saved = Store.open(data_dir=data_dir).comparison(notices[0])
        if saved is None:
            fail(f"no saved comparison named {notices[0]!r} (see `zhenggai compare list`)")
        notices = list(saved["notice_ids"])
    chosen = _notices(notices, path, data_dir)
    reader.run_reader(make_app(path or None, data_dir=data_dir, compare_ids=[n.id for n in chosen]))


def register(app: typer.Typer, compare_app: typer.Typer) -> None:
    """Add ``ledger`` to the app and ``show``/``open`` to the ``compare`` group."""
    app.command("ledger")(ledger)
    compare_app.command("show")(compare_show)
    compare_app.command("open")(compare_open)
