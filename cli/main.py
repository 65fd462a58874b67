"""The ``zhenggai`` command line (typer): list and show notices, and (later) open the reader."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ..loaders import Notice, Section
from .common import DataDirOpt, console, fail, load_or_exit, place_label, print_json, resolve_one

app = typer.Typer(
    name="zhenggai",
    help="Zhenggai Reader: read, compare and annotate 巡视/巡察整改进展情况通报.",
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(help="Notice files or folders (default: the bundled sample notices).", show_default=False),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Exit 1 if any file had to be skipped.")]


@app.command("list")
def list_notices(
    paths: PathsArg = None, as_json: JsonOpt = False, strict: StrictOpt = False, data_dir: DataDirOpt = None
) -> None:
    """One row per notice: place, level, round, dates, number of sections."""
    corpus = load_or_exit(paths, strict=strict, data_dir=data_dir)
    if as_json:
        print_json([n.to_dict() for n in corpus.notices])
        return
    table = Table(
        title=f"{len(corpus.notices)} notices", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False
    )
    widths = {
        "province": 6,
        "city": 8,
        "district": 8,
        "level": 5,
        "round": 16,
        "feedback": 10,
        "published": 10,
    }
    for column, width in widths.items():
        table.add_column(column, no_wrap=True, min_width=width)
    table.add_column("§", justify="right", min_width=3)
    table.add_column("id", overflow="fold")
    for notice in corpus.notices:
        meta = notice.meta
        table.add_row(
            *(
                Text(value or "—")
                for value in (
                    meta.place.province,
                    meta.place.city,
                    meta.place.district,
                    meta.level,
                    meta.round,
                    meta.feedback_date,
                    meta.publication_date,
                    str(notice.section_count()),
                    notice.id,
                )
            )
        )
    console.print(table)


@app.command("show")
def show(
    notice: Annotated[
        list[str], typer.Argument(help="Notice id, id prefix, or district name (和平区, 沈阳 铁西区).")
    ],
    section: Annotated[
        str | None, typer.Option("--section", "-s", help="Show this section's text (e.g. 二/(三)/5).")
    ] = None,
    path: Annotated[
        list[Path] | None, typer.Option("--path", "-p", help="Notice files or folders to load.")
    ] = None,
    as_json: JsonOpt = False,
    data_dir: DataDirOpt = None,
) -> None:
    """A notice's metadata and outline, or one section's text."""
    corpus = load_or_exit(path, data_dir=data_dir)
    found = resolve_one(corpus, " ".join(notice))
    if section is not None:
        target = found.section(section)
        if target is None:
            ids = ", ".join(s.id for s in list(found.walk())[:12])
            fail(f"{found.id} has no section {section!r} (sections: {ids}, …)")
        if as_json:
            print_json({"notice_id": found.id, **target.to_dict()})
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
        print_json(found.to_dict(with_sections=True))
        return
    console.print(_meta_table(found))
    tree = Tree(Text(found.title, style="bold"))
    for top in found.sections:
        _add_branch(tree, top)
    console.print(tree)


def _meta_table(notice: Notice) -> Table:
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
        ("signed", meta.signature_date),
        ("file", f"{notice.file}" + (f" #{notice.index_in_file + 1}" if notice.index_in_file else "")),
    ]
    for label, value in rows:
        table.add_row(label, Text(value or "—"))
    return table


def _add_branch(parent: Tree, section: Section) -> None:
    label = Text(f"{section.number}{section.title}")
    label.append(f"  [{section.id}]", style="dim")
    branch = parent.add(label)
    for child in section.children:
        _add_branch(branch, child)


compare_app = typer.Typer(help="Compare two or more notices: ledger table and aligned sections.")
app.add_typer(compare_app, name="compare")


def _register_extensions() -> None:
    """Add the command groups that live in their own modules."""
    from . import annotations, ledger, search

    search.register(app)
    ledger.register(app, compare_app)
    annotations.register(app, compare_app)


_register_extensions()


@app.command("read")
def read(
    paths: PathsArg = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Open the reader on files/folders (default: the bundled samples). Same as plain `zhenggai`."""
    from ..tui.app import make_app

    for path in paths or []:
        if not path.exists():
            fail(f"no such file or folder: {path}")
    make_app(paths or None, data_dir=data_dir).run()


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: ``zhenggai [PATHS…]`` opens the reader, ``zhenggai CMD …`` runs CMD."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    commands = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    first = next((a for a in args if not a.startswith("-")), None)
    wants_help = any(a in ("--help", "-h") for a in args) and first is None
    if not wants_help and (first is None or first not in commands):
        args = ["read", *args]
    app(args)
