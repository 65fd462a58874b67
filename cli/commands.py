"""The ``zhenggai`` command line (typer): list and show notices, and open the reader."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from ..loaders import Notice, Section
from . import reader
from .common import (
    RICH_TABLE_ROWS,
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
    place_label,
    plural,
    print_columns,
    print_json,
    print_json_list,
    resolve_one,
    safe,
    stdout_is_terminal,
)
from .help import use_plain_help

if TYPE_CHECKING:
    from rich.table import Table
    from rich.tree import Tree

HELP_OPTIONS = ["-h", "--help"]

#: The app's settings (``one_command_app`` makes another app with them).
_SETTINGS: dict[str, Any] = {
    "name": "zhenggai",
    "help": "Zhenggai Reader: read, compare and annotate 巡视/巡察整改进展情况通报.\n\n"
    "Without a command, opens the reader (on FILE… or the bundled samples). "
    "--data-dir FOLDER may come before or after the command.\n\n"
    "Example: zhenggai list --province 辽宁",
    "no_args_is_help": False,
    "add_completion": False,
    "rich_markup_mode": None,
    "pretty_exceptions_enable": False,
    "context_settings": {"help_option_names": HELP_OPTIONS},
}
app = typer.Typer(**_SETTINGS)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Exit 1 if any file had to be skipped.")]

LIST_COLUMNS = ("province", "city", "district", "level", "round", "feedback", "published", "§", "id")
#: ``list --json`` builds the dicts of this many notices at a time (``print_json_list``).
JSON_PART = 4096
#: What each of the ``LIST_COLUMNS`` shows (``Corpus.column``).
LIST_FIELDS = (
    "province", "city", "district", "level", "round", "feedback_date", "publication_date", "section_count",
    "id",
)  # fmt: skip


@app.command("list")
def list_notices(
    paths: PathsArg = None,
    province: ProvinceOpt = None,
    city: CityOpt = None,
    district: DistrictOpt = None,
    level: LevelOpt = None,
    year: YearOpt = None,
    inspection_kind: InspectionKindOpt = None,
    kind: KindAliasOpt = None,
    as_json: JsonOpt = False,
    strict: StrictOpt = False,
    data_dir: DataDirOpt = None,
) -> None:
    """One row per notice: place, level, round, dates, number of sections, id.

    Piped or redirected, the rows are plain text with every column in full.

    Example: zhenggai list --city 沈阳 --level xunshi
    """
    where = NoticeFilter.from_options(
        province=province, city=city, district=district, level=level, year=year,
        inspection_kind=inspection_kind, kind=kind,
    )  # fmt: skip
    corpus = load_or_exit(paths, strict=strict, data_dir=data_dir)
    positions = where.select(corpus)
    if as_json:
        from ..loaders.corpus import summaries_of

        summary = corpus.summary_columns(positions)
        parts = range(0, len(positions), JSON_PART)
        print_json_list(summaries_of([c[at : at + JSON_PART] for c in summary]) for at in parts)
        return
    columns = []
    for name in LIST_FIELDS:  # read column by column: no notice is built
        values = corpus.column(name)
        if len(positions) != len(values):
            values = [values[at] for at in positions]
        if name == "section_count":
            values = list(map(str, values))
        columns.append([value or "—" for value in values])
    title = plural(len(positions), "notice")
    if not stdout_is_terminal() or len(positions) > RICH_TABLE_ROWS:  # Rich measures for seconds
        print_columns(title, LIST_COLUMNS, columns, right=(7,))
        return
    rows = zip(*columns, strict=True)
    from rich import box
    from rich.table import Table  # tables load when a terminal shows one

    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    widths = (6, 8, 8, 5, 16, 10, 10)
    for column, width in zip(LIST_COLUMNS, widths, strict=False):
        table.add_column(column, no_wrap=True, min_width=width)
    table.add_column("§", justify="right", min_width=3)
    table.add_column("id", overflow="fold")
    for row in rows:
        table.add_row(*(Text(value) for value in row))
    console.print(table)


@app.command("show")
def show(
    notice: Annotated[
        list[str],
        typer.Argument(
            help="Notice id, id prefix, or district name (和平区, 沈阳 铁西区).", metavar="NOTICE"
        ),
    ],
    section: Annotated[
        str | None,
        typer.Option(
            "--section", "-s", metavar="ID", help="Show this section's text (e.g. 二/(三)/5 or 二/（三）/5)."
        ),
    ] = None,
    path: PathOpt = None,
    as_json: JsonOpt = False,
    data_dir: DataDirOpt = None,
) -> None:
    """A notice's metadata and outline, or one section's text.

    Example: zhenggai show 沈阳 和平区 --section 二/(二)/1
    """
    corpus = load_or_exit(path, data_dir=data_dir)
    found = resolve_one(corpus, " ".join(notice))
    if section is not None:
        target = found.section(section)
        if target is None:
            ids = ", ".join(s.id for s in list(found.walk())[:12])
            fail(f"{found.id} has no section {section!r} (sections: {ids}, …)")
        if as_json:
            print_json({"notice_id": found.id, **target.to_dict()}, floats=False)
            return
        console.print(Text(f"{place_label(found)} › {target.number}{target.title}", style="bold"))
        for node in target.walk():
            for paragraph in node.paragraphs:
                console.print(
                    Text(paragraph.text, style="bold" if paragraph.is_heading else ""), soft_wrap=True
                )
                console.print()
        return
    if as_json:
        print_json(found.to_dict(with_sections=True), floats=False)
        return
    console.print(_meta_table(found))
    from rich.tree import Tree

    tree = Tree(Text(found.title, style="bold"))
    for top in found.sections:
        _add_branch(tree, top)
    console.print(tree)


def _meta_table(notice: Notice) -> Table:
    from rich.table import Table

    meta = notice.meta
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim")
    table.add_column()
    period = " – ".join(d for d in (meta.inspection_start, meta.inspection_end) if d)
    rows = [
        ("id", notice.id),
        ("title", meta.title + ("（推断）" if meta.title_derived else "")),
        ("place", place_label(notice)),
        ("committee", meta.committee),
        ("level", meta.level),
        ("round", meta.round),
        ("team", meta.team),
        ("kinds", "、".join(meta.kinds) or None),
        ("inspection", period or None),
        ("feedback", meta.feedback_date),
        ("published", meta.publication_date),
        ("source", meta.source),
        ("url", meta.source_url),
        ("signed", meta.signature_date),
        ("file", f"{notice.file}" + (f" #{notice.index_in_file + 1}" if notice.index_in_file else "")),
    ]
    if meta.file_created or meta.file_modified:
        rows.append(
            ("file dates", f"created {meta.file_created or '—'}, modified {meta.file_modified or '—'}")
        )
    for label, value in rows:
        table.add_row(label, Text(safe(value) if value else "—"))
    return table


def _add_branch(parent: Tree, section: Section) -> None:
    label = Text(f"{section.number}{section.title}")
    label.append(f"  [{section.id}]", style="dim")
    branch = parent.add(label)
    for child in section.children:
        _add_branch(branch, child)


compare_app = typer.Typer(
    help="Compare two or more notices: ledger table and aligned sections; save comparisons by name.\n\n"
    "Example: zhenggai compare show 和平区 沈河区"
)
app.add_typer(compare_app, name="compare")


def _register_extensions() -> None:
    """Add the command groups that live in their own modules."""
    from . import annotations, ledger, research, search

    search.register(app)
    ledger.register(app, compare_app)
    annotations.register(app, compare_app)
    research.register(app)


_register_extensions()


@app.command("read")
def read(
    paths: PathsArg = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Open the reader on files/folders (default: the bundled samples). Same as plain `zhenggai`.

    Example: zhenggai read ~/Downloads/通报/
    """
    reader.quick_escape()
    from ..tui.app import make_app

    for path in paths or []:
        if not path.exists():
            fail(f"no such file or folder: {path}")
    reader.run_reader(make_app(paths or None, data_dir=data_dir))


use_plain_help(app)

#: Options every command takes, so they may come before the command too (``zhenggai --data-dir X list``).
GLOBAL_OPTIONS = ("--data-dir",)


def command_line(argv: list[str]) -> list[str]:
    """The arguments for typer: ``read`` when no command is named, and global options given before the
    command moved after it (``--data-dir X list`` → ``list --data-dir X``)."""
    args = list(argv)
    moved: list[str] = []
    while args and args[0] != "--" and args[0].startswith("-"):
        if args[0] in GLOBAL_OPTIONS and len(args) > 1:
            moved += args[:2]
            del args[:2]
        elif args[0].startswith(tuple(o + "=" for o in GLOBAL_OPTIONS)):
            moved.append(args.pop(0))
        else:
            break
    groups = {g.name: g for g in app.registered_groups}
    commands = {c.name for c in app.registered_commands} | set(groups)
    first = next((a for a in args if not a.startswith("-")), None)
    if first is None and any(a in HELP_OPTIONS for a in args):
        return args  # zhenggai -h
    if first is None or first not in commands:
        args = ["read", *args]
    elif first in groups and not any(a in commands_of(groups[first].typer_instance) for a in args):
        return args  # a group without its sub-command: its help or error, global options do not apply
    cut = args.index("--") if "--" in args else len(args)
    return [*args[:cut], *moved, *args[cut:]]


def commands_of(group: typer.Typer | None) -> set[str | None]:
    """The command names of a sub-group."""
    return {c.name for c in group.registered_commands} if group is not None else set()


def one_command_app(args: list[str]) -> typer.Typer:
    """An app of just the command ``args`` start with (and ``read``, so that it stays a group), when
    that is a plain command (``command_line`` puts it first); else the whole app.

    Typer builds every registered command's options from its signature each time the app runs (31
    commands: about 70 ms of every ``zhenggai list``); this builds one or two.  The command, its help
    and its errors are the same objects as in the whole app.
    """
    name = args[0] if args else None
    if name is None or name not in {info.name for info in app.registered_commands}:
        return app
    other = "read" if name != "read" else "list"
    one = typer.Typer(**_SETTINGS)
    one.registered_commands = [info for info in app.registered_commands if info.name in (name, other)]
    return one


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: ``zhenggai [FILE…]`` opens the reader, ``zhenggai CMD …`` runs CMD."""
    import sys

    args = command_line(list(sys.argv[1:] if argv is None else argv))
    try:
        one_command_app(args)(args)
    except SystemExit:
        if reader.READER_EXIT_CODE is None:
            raise
    reader.leave()  # the reader ran: quit without interpreter teardown (``run_reader``)
