"""``zhenggai search`` and ``zhenggai keywords``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.text import Text

from ..loaders import Corpus
from .common import (
    SECTION_KINDS,
    CityOpt,
    DataDirOpt,
    DistrictOpt,
    InspectionKindOpt,
    KindAliasOpt,
    LevelOpt,
    NoticeFilter,
    PathsArg,
    ProvinceOpt,
    YearOpt,
    console,
    err_console,
    fail,
    filter_values,
    load_or_exit,
    plural,
    print_json,
    print_rows,
    resolve_one,
    stdout_is_terminal,
)

if TYPE_CHECKING:  # the index and its queries load when a search runs
    from ..loaders.index import SearchIndex
    from ..loaders.query import Filters, Hit

#: A word after the query that names a file: it exists, has a folder part or a file extension.
_FILE_LIKE = re.compile(r"[/\\]|\.[A-Za-z][A-Za-z0-9]{0,5}$")


def open_index(corpus: Corpus, data_dir: Path | None = None, *, quiet: bool = False) -> SearchIndex:
    """The persistent index, brought up to date with a progress bar on stderr for new files."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from ..loaders.index import SearchIndex
    from ..store.paths import cache_dir

    index = SearchIndex(cache_dir(data_dir) / "index.sqlite")
    with Progress(
        TextColumn("索引 indexing"), BarColumn(), MofNCompleteColumn(), console=err_console, transient=True,
        disable=quiet,
    ) as progress:  # fmt: skip
        task = progress.add_task("index", total=None)
        index.sync_corpus(corpus, lambda done, total: progress.update(task, completed=done, total=total))
    return index


def hit_text(hit: Hit) -> Text:
    """A snippet with its hits highlighted (notice text is never markup)."""
    text = Text(hit.snippet)
    for start, end in hit.spans:
        text.stylize("bold reverse", start, end)
    return text


def split_query(query: str, rest: list[Path] | None) -> tuple[str, list[Path]]:
    """The whole query and the files: words after the query that are not files join it
    (``zhenggai search -整改 巡视`` looks for 巡视 without 整改)."""
    words, paths = [query], []
    for arg in rest or []:
        if arg.exists() or _FILE_LIKE.search(str(arg)):
            paths.append(arg)
        else:
            words.append(str(arg))
    return " ".join(words), paths


def _index_filters(
    corpus: Corpus, allowed: list[int], where: NoticeFilter, section_kind: str | None
) -> Filters:
    """What the index can filter on itself: a place given by name when it names one place, level, year."""
    from ..loaders.query import Filters

    def one(name: str) -> str | None:
        if getattr(where, name) is None:
            return None
        column = corpus.column(name)
        values: set[str | None] = {column[at] for at in allowed}
        return values.pop() if len(values) == 1 else None

    return Filters(
        province=one("province"), city=one("city"), district=one("district"), level=where.level,
        year=where.year, kind=section_kind,
    )  # fmt: skip


def _index_matches(corpus: Corpus, filters: Filters) -> set[int]:
    """The positions of the notices the index's own filters let through."""
    kept: set[int] = set(range(len(corpus)))
    checks = (
        ("province", filters.province), ("city", filters.city), ("district", filters.district),
        ("level", filters.level), ("year", filters.year),
    )  # fmt: skip
    for name, wanted in checks:
        if wanted is not None:
            values = filter_values(corpus, name)
            kept = {at for at in kept if values[at] == wanted}
    return kept


def filtered_search(
    index: SearchIndex, query: str, filters: Filters, allowed: set[str] | None, limit: int
) -> list[Hit]:
    """The best ``limit`` hits in the ``allowed`` notices (all when ``None``): the index filters what
    it can, the rest is checked here, asking for more hits until enough pass."""
    from ..loaders.query import search

    fetch = limit
    while True:
        hits = search(index, query, filters, limit=fetch)
        kept = [h for h in hits if allowed is None or h.notice_id in allowed]
        if len(kept) >= limit or len(hits) < fetch:
            return kept[:limit]
        fetch *= 4


def search_command(
    query: Annotated[
        str,
        typer.Argument(
            help='Words (AND), "exact phrase", -exclude, OR. A query may start with -; words after it '
            "that are not files join it.",
            metavar="QUERY",
        ),
    ],
    paths: PathsArg = None,
    province: ProvinceOpt = None,
    city: CityOpt = None,
    district: DistrictOpt = None,
    level: LevelOpt = None,
    year: YearOpt = None,
    inspection_kind: InspectionKindOpt = None,
    section_kind: Annotated[
        str | None,
        typer.Option(
            "--section-kind",
            metavar="KIND",
            help="Only sections numbered this way: " + ", ".join(SECTION_KINDS[:6]) + ".",
            show_default=False,
        ),
    ] = None,
    kind: KindAliasOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", metavar="N", help="At most this many hits.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="JSON: a list of hits, best first.")] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Search every loaded notice; hits ranked by bm25 with the section and a snippet.

    Example: zhenggai search 营商环境 -整改 --city 沈阳
    """
    from ..loaders.query import query_problem

    query, files = split_query(query, paths)
    problem = query_problem(query)
    if problem:
        fail(problem)
    if limit < 1:
        fail("--limit must be at least 1")
    where = NoticeFilter.from_options(
        province=province, city=city, district=district, level=level, year=year,
        inspection_kind=inspection_kind, kind=kind,
    )  # fmt: skip
    corpus = load_or_exit(files, data_dir=data_dir)
    allowed = where.select(corpus)
    index = open_index(corpus, data_dir, quiet=as_json)
    filters = _index_filters(corpus, allowed, where, section_kind)
    exact = not where.active or _index_matches(corpus, filters) == set(allowed)
    ids = corpus.column("id")
    hits = filtered_search(index, query, filters, None if exact else {ids[at] for at in allowed}, limit)
    if as_json:
        print_json([h.to_dict() for h in hits])
        return
    if not hits:
        err_console.print(f"没有结果 no hits for {query!r}", markup=False)
        return
    if not stdout_is_terminal():
        rows = [
            (f"{h.city or ''}{h.district or ''}", h.section_id, h.section_title, hit_text(h).plain)
            for h in hits
        ]
        print_rows(plural(len(hits), "hit"), ("district", "section", "title", "snippet"), rows)
        return
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, title=plural(len(hits), "hit"), title_justify="left")
    table.add_column("district", no_wrap=True)
    table.add_column("section", overflow="fold", max_width=30)
    table.add_column("snippet", overflow="fold")
    for hit in hits:
        place = f"{hit.city or ''}{hit.district or ''}"
        table.add_row(Text(place), Text(f"{hit.section_id}\n{hit.section_title[:30]}"), hit_text(hit))
    console.print(table)


def keywords_command(
    notice: Annotated[str, typer.Argument(help="Notice id, id prefix or district.", metavar="NOTICE")],
    paths: PathsArg = None,
    top: Annotated[int, typer.Option("--top", metavar="N", help="How many keywords.")] = 15,
    as_json: Annotated[bool, typer.Option("--json", help="JSON: [[word, score], …].")] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """A notice's distinctive words (TF-IDF against the loaded corpus, template words weighed down).

    Example: zhenggai keywords 芦淞区 --top 10
    """
    corpus = load_or_exit(paths, data_dir=data_dir)
    found = resolve_one(corpus, notice)
    index = open_index(corpus, data_dir, quiet=as_json)  # keeps every notice's counts since indexing
    from ..loaders.entries import notice_entries
    from ..loaders.keywords import KeywordModel

    # the places from the metadata columns: at 50,000 notices, building every notice took seconds
    keywords = KeywordModel.from_source(notice_entries(corpus), index).keywords(found.id, top)
    if as_json:
        print_json([[w, s] for w, s in keywords])
        return
    console.print(Text(f"{found.city or ''}{found.district or ''}: " + "、".join(w for w, _ in keywords)))


def register(app: typer.Typer) -> None:
    """Add ``search`` and ``keywords`` to the app."""
    app.command("search", context_settings={"ignore_unknown_options": True})(search_command)
    app.command("keywords")(keywords_command)
