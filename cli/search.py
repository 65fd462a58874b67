"""``zhenggai search`` and ``zhenggai keywords``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

from ..loaders import Corpus
from ..loaders.index import SearchIndex
from ..loaders.keywords import KeywordModel
from ..loaders.query import Filters, Hit, search
from ..store.paths import cache_dir
from .common import DataDirOpt, console, err_console, fail, load_or_exit, print_json, resolve_one

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(help="Notice files or folders (default: the bundled sample notices).", show_default=False),
]


def open_index(corpus: Corpus, data_dir: Path | None = None, *, quiet: bool = False) -> SearchIndex:
    """The persistent index, brought up to date with a progress bar on stderr for new files."""
    index = SearchIndex(cache_dir(data_dir) / "index.sqlite")
    with Progress(
        TextColumn("索引 indexing"), BarColumn(), MofNCompleteColumn(), console=err_console, transient=True,
        disable=quiet,
    ) as progress:  # fmt: skip
        task = progress.add_task("index", total=None)
        index.sync(corpus.notices, lambda done, total: progress.update(task, completed=done, total=total))
    return index


def hit_text(hit: Hit) -> Text:
    """A snippet with its hits highlighted (notice text is never markup)."""
    text = Text(hit.snippet)
    for start, end in hit.spans:
        text.stylize("bold reverse", start, end)
    return text


def search_command(
    query: Annotated[str, typer.Argument(help='Words (AND), "exact phrase", -exclude, OR.')],
    paths: PathsArg = None,
    district: Annotated[str | None, typer.Option("--district", help="Only this district (和平区).")] = None,
    city: Annotated[str | None, typer.Option("--city", help="Only this city (沈阳市).")] = None,
    province: Annotated[str | None, typer.Option("--province", help="Only this province.")] = None,
    level: Annotated[str | None, typer.Option("--level", help="巡视 or 巡察.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Only notices of this year.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Section kind: cn, paren_cn, arabic, …")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many hits.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="JSON: a list of hits, best first.")] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Search every loaded notice; hits ranked by bm25 with the section and a snippet."""
    if limit < 1:
        fail("--limit must be at least 1")
    corpus = load_or_exit(paths, data_dir=data_dir)
    index = open_index(corpus, data_dir, quiet=as_json)
    filters = Filters(province=province, city=city, district=district, level=level, year=year, kind=kind)
    hits = search(index, query, filters, limit=limit)
    if as_json:
        print_json([h.to_dict() for h in hits])
        return
    if not hits:
        err_console.print(f"没有结果 no hits for {query!r}", markup=False)
        return
    table = Table(box=box.SIMPLE_HEAD, title=f"{len(hits)} hits", title_justify="left")
    table.add_column("district", no_wrap=True)
    table.add_column("section", overflow="fold", max_width=30)
    table.add_column("snippet", overflow="fold")
    for hit in hits:
        place = f"{hit.city or ''}{hit.district or ''}"
        table.add_row(Text(place), Text(f"{hit.section_id}\n{hit.section_title[:30]}"), hit_text(hit))
    console.print(table)


def keywords_command(
    notice: Annotated[str, typer.Argument(help="Notice id, id prefix or district.")],
    paths: PathsArg = None,
    top: Annotated[int, typer.Option("--top", help="How many keywords.")] = 15,
    as_json: Annotated[bool, typer.Option("--json", help="JSON: [[word, score], …].")] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """A notice's distinctive words (TF-IDF against the loaded corpus, template words weighed down)."""
    corpus = load_or_exit(paths, data_dir=data_dir)
    found = resolve_one(corpus, notice)
    keywords = KeywordModel(corpus.notices).keywords(found.id, top)
    if as_json:
        print_json([[w, s] for w, s in keywords])
        return
    console.print(Text(f"{found.city or ''}{found.district or ''}: " + "、".join(w for w, _ in keywords)))


def register(app: typer.Typer) -> None:
    """Add ``search`` and ``keywords`` to the app."""
    app.command("search")(search_command)
    app.command("keywords")(keywords_command)
