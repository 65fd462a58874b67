"""``zhenggai code|matrix|quotes`` and the research exports: codebook, coded segments, retrieval, REFI-QDA,
the ledger as panel data."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from .annotations import anchor_for, corpus_for, opened
from .common import (
    DataDirOpt,
    PathOpt,
    console,
    err_console,
    fail,
    plural,
    print_json,
    print_rows,
    show_table,
    stdout_is_terminal,
)

if TYPE_CHECKING:  # the store loads when a command uses it
    from ..loaders import Corpus, Notice
    from ..store.codes import Codebook
    from ..store.retrieval import CodedQuote, QuoteFilter

CodeArg = Annotated[
    str, typer.Argument(help="A code: its path (问题类型/形式主义), name or id.", metavar="CODE")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="JSON for scripts.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="CSV (UTF-8 with BOM, for Excel/R/pandas).")]
RoundOpt = Annotated[
    str | None,
    typer.Option("--round", metavar="TEXT", help="Only rounds containing this: 第四轮.", show_default=False),
]
ProvinceFilter = Annotated[
    str | None,
    typer.Option("--province", metavar="NAME", help="Only this province: 辽宁.", show_default=False),
]
LevelFilter = Annotated[
    str | None,
    typer.Option("--level", metavar="LEVEL", help="巡视 (xunshi) or 巡察 (xuncha).", show_default=False),
]
CodeFilter = Annotated[
    str | None,
    typer.Option("--code", metavar="CODE", help="Only this code and the codes below it.", show_default=False),
]

code_app = typer.Typer(
    help="The codebook: codes in a tree (问题类型/形式主义), each with a colour and memo; code sections "
    "and quotes of notices with them. Notes' #tags become codes.\n\n"
    "Example: zhenggai code tag 和平区 问题类型/形式主义 --quote 文山会海",
    no_args_is_help=True,
)


def write_data(text: str) -> None:
    """CSV or JSON on stdout, UTF-8 whatever the locale (a CSV's BOM included)."""
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


@code_app.command("add")
def code_add(
    path: Annotated[str, typer.Argument(help="The new code, as 问题类型/形式主义.", metavar="CODE")],
    colour: Annotated[str | None, typer.Option("--colour", metavar="#RRGGBB", show_default=False)] = None,
    memo: Annotated[str, typer.Option("--memo", metavar="TEXT", help="What the code means.")] = "",
    data_dir: DataDirOpt = None,
) -> None:
    """Create a code (and the levels above it).

    Example: zhenggai code add 问题类型/作风/形式主义 --memo '文山会海、督查检查过多'
    """
    with opened(data_dir, write=True) as store:
        record = store.add_code(path, colour=colour, memo=memo)
    console.print(f"code {'/'.join(record['path'])} added ({record['id']})", markup=False)


@code_app.command("rename")
def code_rename(
    code: CodeArg, name: Annotated[str, typer.Argument(metavar="NAME")], data_dir: DataDirOpt = None
) -> None:
    """Rename a code; what it codes stays coded.

    Example: zhenggai code rename 问题类型/形式主义 形式主义问题
    """
    with opened(data_dir, write=True) as store:
        result = store.rename_code(code, name)
    console.print(f"{result['was']} → {name}", markup=False)


@code_app.command("merge")
def code_merge(
    source: Annotated[str, typer.Argument(help="The code that goes away.", metavar="SOURCE")],
    target: Annotated[str, typer.Argument(help="The code that receives its segments.", metavar="TARGET")],
    data_dir: DataDirOpt = None,
) -> None:
    """Merge one code into another: its segments, sub-codes and memo move; it is removed.

    Example: zhenggai code merge 问题类型/文风 问题类型/形式主义
    """
    with opened(data_dir, write=True) as store:
        result = store.merge_codes(source, target)
    moved = f"{plural(result['segments'], 'segment')}, {plural(result['codes'], 'sub-code')}"
    console.print(f"{result['source']} merged into {result['target']} ({moved})", markup=False)


@code_app.command("move")
def code_move(
    code: CodeArg,
    parent: Annotated[
        str | None, typer.Argument(help="The new parent code (none: the top level).", metavar="PARENT")
    ] = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Move a code (with its sub-codes and segments) under another code, or to the top level.

    Example: zhenggai code move 形式主义 问题类型/作风
    """
    with opened(data_dir, write=True) as store:
        result = store.move_code(code, parent)
    console.print(f"{result['was']} moved under {result['parent'] or '（top level）'}", markup=False)


@code_app.command("edit")
def code_edit(
    code: CodeArg,
    colour: Annotated[str | None, typer.Option("--colour", metavar="#RRGGBB", show_default=False)] = None,
    memo: Annotated[str | None, typer.Option("--memo", metavar="TEXT", show_default=False)] = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Change a code's colour or memo.

    Example: zhenggai code edit 形式主义 --colour '#E6194B' --memo '会多文多'
    """
    if colour is None and memo is None:
        fail("nothing to change: give --colour or --memo")
    with opened(data_dir, write=True) as store:
        store.edit_code(code, colour=colour, memo=memo)
    console.print("code changed", markup=False)


@code_app.command("rm")
def code_rm(code: CodeArg, data_dir: DataDirOpt = None) -> None:
    """Delete a code that codes nothing and has no sub-codes.

    Example: zhenggai code rm 问题类型/空代码
    """
    with opened(data_dir, write=True) as store:
        result = store.remove_code(code)
    console.print(f"code {result['label']} removed", markup=False)


@code_app.command("list")
def code_list(as_json: JsonOpt = False, data_dir: DataDirOpt = None) -> None:
    """The codebook as a tree, with how many segments each code has.

    Example: zhenggai code list
    """
    with opened(data_dir, write=False) as store:
        book, segments = store.codebook(), store.segments()
    counts: dict[str, int] = {}
    for segment in segments:
        counts[segment["code_id"]] = counts.get(segment["code_id"], 0) + 1
    codes = list(book.walk())
    if as_json:
        print_json(
            [
                {
                    "id": c.id,
                    "path": c.slash,
                    "colour": c.colour,
                    "memo": c.memo,
                    "segments": counts.get(c.id, 0),
                }
                for c in codes
            ]
        )
        return
    rows = [("  " * c.depth + c.name, str(counts.get(c.id, 0)), c.colour, c.memo, c.id) for c in codes]
    show_table(plural(len(codes), "code"), ("code", "segments", "colour", "memo", "id"), rows)


@code_app.command("tag")
def code_tag(
    notice: Annotated[str, typer.Argument(help="Notice id, id prefix or district.", metavar="NOTICE")],
    code: Annotated[
        str, typer.Argument(help="The code's path (made if new): 问题类型/形式主义.", metavar="CODE")
    ],
    section: Annotated[
        str | None,
        typer.Option("--section", "-s", metavar="ID", help="Section id: 二/(三).", show_default=False),
    ] = None,
    quote: Annotated[
        str | None,
        typer.Option(
            "--quote",
            "-q",
            metavar="TEXT",
            help="The passage to code (else the section).",
            show_default=False,
        ),
    ] = None,
    memo: Annotated[str, typer.Option("--memo", metavar="TEXT", help="A memo on this segment.")] = "",
    path: PathOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Code a section, or a quoted passage, of a notice.

    Example: zhenggai code tag 和平区 整改措施/制度建设 --section 二/(一) --memo 建章立制
    """
    if section is None and not (quote and quote.strip()):
        fail("say what to code: --section ID, --quote TEXT, or both")
    corpus = corpus_for(path, data_dir)
    anchor = anchor_for(corpus, notice, section, quote)
    found = corpus.get(anchor["notice_id"])
    extra = {"notice_title": found.title, "district": found.district} if found else {}
    with opened(data_dir, write=True) as store:
        record = store.code_segment(code, anchor, memo, **extra)
        label = store.codebook().label(record["code_id"])
    console.print(f"segment {record['id']} coded {label}", markup=False)


@code_app.command("uncode")
def code_uncode(
    segment: Annotated[str, typer.Argument(help="As `zhenggai quotes` shows it.", metavar="SEGMENT")],
    data_dir: DataDirOpt = None,
) -> None:
    """Delete a coded segment.

    Example: zhenggai code uncode 3f2a9c01de
    """
    with opened(data_dir, write=True) as store:
        store.uncode(segment)
    console.print(f"segment {segment} removed", markup=False)


@code_app.command("from-notes")
def code_from_notes(data_dir: DataDirOpt = None) -> None:
    """Code every note's passage with the note's #tags (notes written before codes existed).

    Example: zhenggai code from-notes
    """
    with opened(data_dir, write=True) as store:
        added = store.codes_from_notes()
    console.print(f"{plural(added, 'segment')} added", markup=False)


def _quotes(
    path: list[Path] | None, data_dir: Path | None, where: QuoteFilter
) -> tuple[Corpus, Codebook, list[CodedQuote]]:
    from ..store.last_placing import LastPlacing, placing_key
    from ..store.paths import cache_dir
    from ..store.retrieval import placed_segments

    corpus = corpus_for(path, data_dir)
    with opened(data_dir, write=False) as store:
        book, segments = store.codebook(), store.segments()
    last = LastPlacing(cache_dir(data_dir))  # the reader's last placing, when made from the same
    key = placing_key(corpus, book, segments)  # files, codes and segments; else its spots
    placed = last.get(key)
    if placed is None:
        spots = last.spots(corpus)
        placed, made = placed_segments(corpus, segments, book, release=True, known=spots)
        last.save(key, placed)
        if last.add(corpus, made):
            last.save_spots(corpus)
    try:
        return corpus, book, where.apply(placed, book)
    except ValueError as exc:
        fail(str(exc))


def matrix(
    binary: Annotated[
        bool, typer.Option("--binary", help="1 where a district has the code, else 0.")
    ] = False,
    as_csv: CsvOpt = False,
    as_json: JsonOpt = False,
    province: ProvinceFilter = None,
    round_: RoundOpt = None,
    level: LevelFilter = None,
    code: CodeFilter = None,
    path: PathOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """District × code matrix: how many segments of each code each district's notices have.

    Example: zhenggai matrix --province 辽宁 --code 问题类型 --binary --csv > matrix.csv
    """
    from ..store.retrieval import district_matrix, matrix_csv, matrix_json

    if as_csv and as_json:
        fail("choose one of --csv and --json")
    from ..store.retrieval import QuoteFilter

    _, book, quotes = _quotes(path, data_dir, QuoteFilter(province, round_, level, code))
    table = district_matrix(quotes, book)
    if as_csv or as_json:
        write_data(matrix_csv(table, binary=binary) if as_csv else matrix_json(table, binary=binary))
        return
    values = table.binary() if binary else table.counts
    rows = [[table.row_label(i), *(str(v) for v in cells)] for i, cells in enumerate(values)]
    title = f"{plural(len(table.rows), 'district')} × {plural(len(table.codes), 'code')}"
    if table.detached:
        title += f" ({plural(table.detached, 'detached segment')} left out)"
    print_rows(title, ("district", *table.codes), rows, right=tuple(range(1, len(table.codes) + 1)))


def quotes(
    as_csv: CsvOpt = False,
    as_json: JsonOpt = False,
    province: ProvinceFilter = None,
    round_: RoundOpt = None,
    level: LevelFilter = None,
    code: CodeFilter = None,
    path: PathOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """One row per coded segment: notice, place, level, round, section, code, quote, memo.

    Example: zhenggai quotes --code 问题类型 --csv > quotes.csv
    """
    from ..store.retrieval import quotes_csv, quotes_json

    if as_csv and as_json:
        fail("choose one of --csv and --json")
    from ..store.retrieval import QuoteFilter

    _, _, found = _quotes(path, data_dir, QuoteFilter(province, round_, level, code))
    if as_csv or as_json:
        write_data(quotes_csv(found) if as_csv else quotes_json(found))
        return
    rows = [
        (q.segment_id, f"{q.city}{q.district}", q.section_id, q.code, q.quote[:60], q.memo, q.status)
        for q in found
    ]
    show_table(
        plural(len(found), "quote"), ("id", "district", "section", "code", "quote", "memo", "status"), rows
    )


def export_qdpx_to(target: Path, path: list[Path] | None, data_dir: Path | None) -> None:
    """``zhenggai export --qdpx FILE``: the REFI-QDA project of the corpus, codes, segments and notes."""
    from ..store.qdpx import export_qdpx

    corpus = corpus_for(path, data_dir)
    with opened(data_dir, write=False) as store:
        codes, segments, notes = store.code_records(), store.segments(), store.notes()
    try:
        summary = export_qdpx(corpus, codes, segments, notes, target)
    except OSError as exc:
        fail(f"cannot write {target}: {exc.strerror or exc}")
    lost = f"; {plural(summary.detached, 'detached item')} kept as notes" if summary.detached else ""
    err_console.print(
        f"exported {plural(summary.sources, 'notice')}, {plural(summary.codes, 'code')}, "
        f"{plural(summary.selections, 'selection')} to {target}{lost}",
        markup=False,
    )


def export_grouped(
    group_by: str, output: Path | None, path: list[Path] | None, data_dir: Path | None
) -> None:
    """``zhenggai export --by code|district``: coded quotes as Markdown."""
    from ..store.research_export import export_coded_markdown

    if group_by not in ("code", "district"):
        fail(f"--by must be code or district, not {group_by!r}")
    from ..store.retrieval import QuoteFilter

    corpus, book, found = _quotes(path, data_dir, QuoteFilter())
    with opened(data_dir, write=False) as store:
        notes = store.notes()
    markdown = export_coded_markdown(
        corpus, found, book, notes, group_by="code" if group_by == "code" else "district"
    )
    if output is None:
        typer.echo(markdown, nl=False)
        return
    try:
        output.write_text(markdown, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
    err_console.print(f"exported {plural(len(found), 'quote')} to {output}", markup=False)


def ledger_panel(notices: list[Notice], *, rounds: bool, as_csv: bool, as_json: bool) -> None:
    """``zhenggai ledger --long`` (one row per notice × figure) and ``--rounds`` (per-round summary)."""
    from ..loaders.panel import PANEL_COLUMNS, ROUND_COLUMNS, panel_csv, panel_rows, round_summary, rounds_csv

    rows = list(panel_rows(notices))
    if rounds:
        summary = round_summary(rows)
        if as_json:
            print_json([dict(zip(ROUND_COLUMNS, s.cells(), strict=True)) for s in summary])
        elif as_csv:
            write_data(rounds_csv(summary))
        else:
            cells = [s.cells() for s in summary]
            title = f"各轮次 per round: {plural(len({s.round for s in summary}), 'round')}"
            if stdout_is_terminal():
                show_table(title, ROUND_COLUMNS, [[Text(c) for c in row] for row in cells])
            else:
                print_rows(title, ROUND_COLUMNS, cells, right=(4, 5, 6, 7))
        return
    if as_json:
        print_json([{c: r.values()[c] for c in PANEL_COLUMNS} for r in rows])
        return
    write_data(panel_csv(rows))


def register(app: typer.Typer) -> None:
    """Add ``code``, ``matrix`` and ``quotes`` to the app."""
    app.add_typer(code_app, name="code")
    app.command("matrix")(matrix)
    app.command("quotes")(quotes)
