"""What every ``zhenggai`` command shares: loading the corpus, output for people and for pipes, errors,
the notice filters (place, level, year, inspection kind) and the help format."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.cells import cell_len
from rich.console import Console, ConsoleDimensions
from rich.text import Text

from ..loaders import Corpus, Notice, fold, load_corpus
from ..loaders.printable import needs_escape, printable
from .json_out import print_json as print_json
from .json_out import print_json_list as print_json_list

#: How wide stdout is when it is not a terminal: wide enough that no row is ever cut or folded.
PIPE_WIDTH = 100_000


def is_terminal(file: Any) -> bool:
    """True when ``file`` is a terminal (not a pipe, a file or a test's buffer)."""
    try:
        return bool(file.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class OutputConsole(Console):
    """A Rich console that is as wide as the terminal, and unlimited when its output is not a terminal:
    ``zhenggai list > f`` keeps whole rows instead of cutting them to 80 columns."""

    @property
    def size(self) -> ConsoleDimensions:
        """The terminal's size; ``PIPE_WIDTH`` wide when writing to a pipe or a file."""
        if self._width is None and not is_terminal(self.file):
            return ConsoleDimensions(PIPE_WIDTH, self._height or 25)
        return super().size

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        self._width, self._height = new_size


#: Bidirectional-text controls: a file name with U+202E shows ``cod\u202etxt.exe`` as ``codexe.txt``.
def safe(text: str) -> str:
    """Foreign text (file names, user input) made harmless for a terminal, line by line: escapes,
    controls and bidi characters shown as visible codes (``loaders.printable``), never obeyed."""
    return "\n".join(printable(line) for line in text.split("\n"))


#: People-facing output; notice text is always passed as ``rich.text.Text``, never as markup.
console = OutputConsole(highlight=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)  # messages are never wrapped


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a one-line error to stderr and exit."""
    err_console.print(f"zhenggai: {safe(message)}", markup=False, soft_wrap=True)
    raise SystemExit(code)


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 notice``, ``2 notices`` (``many`` for an irregular plural)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def stdout_is_terminal() -> bool:
    """True when people read stdout on a terminal (tables); False for pipes and files (plain rows)."""
    return is_terminal(console.file)


#: Tables longer than this are printed as aligned plain rows on a terminal too.
RICH_TABLE_ROWS = 200


def show_table(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[str | Text]], *, fold: bool = True
) -> None:
    """A table for people on a terminal, plain full rows for pipes and files (``print_rows``).

    Above ``RICH_TABLE_ROWS`` rows a terminal gets the aligned plain rows too: Rich measures every
    cell several times (5 s for 2,000 notices), the plain rows take milliseconds.
    """
    if not stdout_is_terminal() or len(rows) > RICH_TABLE_ROWS:
        print_rows(title, headers, [[c.plain if isinstance(c, Text) else c for c in row] for row in rows])
        return
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left")
    for header in headers:
        table.add_column(header, overflow="fold" if fold else "ellipsis")
    for row in rows:
        table.add_row(*(c if isinstance(c, Text) else Text(safe(c)) for c in row))
    console.print(table)


def print_rows(
    title: str | None, headers: Sequence[str], rows: Iterable[Sequence[str]], *, right: Sequence[int] = ()
) -> None:
    """Plain rows for pipes and files: every column in full, aligned by display width, never cut.

    Cheap for thousands of rows (Rich measures every cell of a table several times).  Values are
    data: written as they are, never read as markup.  ``right``: indexes of right-aligned columns.
    """
    table = [tuple(map(str, row)) for row in rows]
    columns = [list(column) for column in zip(*table, strict=True)] if table else [[] for _ in headers]
    print_columns(title, headers, columns, right=right)


def print_columns(
    title: str | None, headers: Sequence[str], columns: Sequence[list[str]], *, right: Sequence[int] = ()
) -> None:
    """``print_rows`` with the values given column by column, written in one piece."""
    padded = []
    last = len(headers) - 1
    for index, (header, values) in enumerate(zip(headers, columns, strict=True)):
        column = [header, *values]
        # columns repeat (provinces, levels, dates): each distinct value is escaped and measured once,
        # and a column with nothing to escape (escapes are single characters) is not looked at twice
        distinct = set(column)
        plain = not needs_escape("".join(distinct))
        if index == last and index not in right:  # the last column needs no padding
            padded.append(column if plain else [one_line(value) for value in column])
            continue
        shown = {value: value if plain else one_line(value) for value in distinct}
        size = {value: len(text) if text.isascii() else cell_len(text) for value, text in shown.items()}
        width = max(size.values())
        if index in right:
            cells = {value: " " * (width - size[value]) + text for value, text in shown.items()}
        else:
            cells = {value: text + " " * (width - size[value]) for value, text in shown.items()}
        padded.append(list(map(cells.__getitem__, column)))
    lines = map(str.rstrip, map("  ".join, zip(*padded, strict=True)))
    sys.stdout.write("\n".join([title, *lines] if title else lines) + "\n")


def one_line(text: str) -> str:
    """``safe`` on one line (a line break shows as a space); plain text is returned as it is."""
    if not needs_escape(text):
        return text
    return " ".join(safe(text).split("\n"))


#: ``FILE…`` arguments: the notices to load.
PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Notice files or folders (default: the bundled sample notices).",
        metavar="FILE",
        show_default=False,
    ),
]
#: ``--path FILE`` options, for commands whose arguments are notices.
PathOpt = Annotated[
    list[Path] | None,
    typer.Option("--path", "-p", metavar="FILE", help="Notice files or folders to load.", show_default=False),
]

#: ``--data-dir`` on every command: the store there, the caches in its ``cache/`` folder.
DataDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        metavar="FOLDER",
        show_default=False,
        help="Keep the store and caches here (default: ZHENGGAI_HOME or user dirs). "
        "May come before or after the command.",
    ),
]


def load_or_exit(
    paths: list[Path] | None, *, strict: bool = False, quiet: bool = False, data_dir: Path | None = None
) -> Corpus:
    """Load notices, report skipped files on stderr, exit 1 when nothing (or, strict, not all) loaded.

    Parsed notices are cached (``store.paths.cache_dir``) so unchanged files are not parsed again.
    """
    from ..store.paths import cache_dir

    corpus = load_corpus(paths or None, cache_dir=cache_dir(data_dir))
    # a command lives as long as its corpus: keep the collector from walking it again and again
    gc.freeze()
    if not quiet:
        for skipped in corpus.skipped:
            err_console.print(f"zhenggai: skipped {safe(f'{skipped.path}: {skipped.reason}')}", markup=False)
        for warning in corpus.warnings:
            err_console.print(f"zhenggai: warning: {safe(f'{warning.path}: {warning.reason}')}", markup=False)
    n_skipped = plural(len(corpus.skipped), "file")
    if not len(corpus):
        fail("no notice loaded" + (f" ({n_skipped} skipped)" if corpus.skipped else ""))
    if strict and corpus.skipped:
        fail(f"{n_skipped} skipped (--strict)")
    return corpus


def resolve_one(corpus: Corpus, query: str) -> Notice:
    """The one notice ``query`` names (id, id prefix, district); exit 1 listing candidates if several."""
    matches = corpus.resolve(query)
    if not matches:
        fail(f"no notice matches {query!r} (try `zhenggai list`)")
    if len(matches) > 1:
        lines = [f"{query!r} is ambiguous; {plural(len(matches), 'notice')} match:"]
        lines += [f"  {n.id}  {place_label(n)}  {n.title}" for n in matches[:20]]
        err_console.print(safe("\n".join(lines)), markup=False)
        raise SystemExit(1)
    return matches[0]


def place_label(notice: Notice) -> str:
    """``辽宁省 › 沈阳市 › 和平区`` (parts the notice does not state are left out)."""
    place = notice.meta.place
    parts = [place.province, place.city if place.city != place.province else None, place.district]
    return " › ".join(p for p in parts if p) or "（地区未知）"


# --- notice filters: the same options, the same matching, for list, ledger and search -----------------

ProvinceOpt = Annotated[
    str | None,
    typer.Option(
        "--province", metavar="NAME", help="Only this province: 辽宁 or 辽宁省.", show_default=False
    ),
]
CityOpt = Annotated[
    str | None,
    typer.Option("--city", metavar="NAME", help="Only this city: 沈阳 or 沈阳市.", show_default=False),
]
DistrictOpt = Annotated[
    str | None,
    typer.Option(
        "--district", metavar="NAME", help="Only this district or county: 和平 or 和平区.", show_default=False
    ),
]
LevelOpt = Annotated[
    str | None,
    typer.Option(
        "--level",
        metavar="LEVEL",
        help="Only 巡视 (xunshi: provincial inspection) or 巡察 (xuncha: city/county inspection).",
        show_default=False,
    ),
]
YearOpt = Annotated[
    int | None,
    typer.Option("--year", metavar="YEAR", help="Only notices of this year (e.g. 2024).", show_default=False),
]
InspectionKindOpt = Annotated[
    str | None,
    typer.Option(
        "--inspection-kind",
        metavar="KIND",
        help="Only inspections of this kind: 常规 (regular), 营商环境专项 (business environment), … "
        "Part of a kind is enough (营商).",
        show_default=False,
    ),
]
#: ``--kind``: the old, shorter name of ``--inspection-kind`` (hidden from the help).
KindAliasOpt = Annotated[str | None, typer.Option("--kind", hidden=True, show_default=False)]

_LEVELS = {"巡视": "巡视", "巡視": "巡视", "xunshi": "巡视", "巡察": "巡察", "xuncha": "巡察"}
_ADMIN_SUFFIXES = ("省", "市", "区", "县", "州", "旗", "盟", "地区", "新区", "矿区", "林区", "特区")
_AUTONOMOUS = ("自治区", "自治州", "自治县", "自治旗")
#: Section numbering kinds: a value for --section-kind, not --inspection-kind.
SECTION_KINDS = ("cn", "paren_cn", "problem", "arabic", "paren_arabic", "circled", "preamble", "closing")


def _clean(value: str) -> str:
    return "".join(fold(value).split())


def place_matches(wanted: str, name: str | None) -> bool:
    """True when ``wanted`` names ``name`` in full (沈阳市) or without its suffix (沈阳; 沈北: 沈北新区)."""
    if not name:
        return False
    wanted = _clean(wanted)
    if name == wanted:
        return True
    rest = name[len(wanted) :] if wanted and name.startswith(wanted) else None
    return rest is not None and (rest in _ADMIN_SUFFIXES or rest.endswith(_AUTONOMOUS))


def normal_level(value: str) -> str:
    """巡视 or 巡察 from what people type (巡视, xunshi, XunShi, 巡察, xuncha); exit 1 otherwise."""
    level = _LEVELS.get(_clean(value).lower())
    if level is None:
        fail(f"--level must be 巡视 (xunshi) or 巡察 (xuncha), not {value!r}")
    return level


@dataclass(frozen=True, slots=True)
class NoticeFilter:
    """The notice filters of ``list``, ``ledger`` and ``search``: places by full or short name, level,
    year and inspection kind.  Every given filter must match."""

    province: str | None = None
    city: str | None = None
    district: str | None = None
    level: str | None = None
    year: int | None = None
    inspection_kind: str | None = None

    @classmethod
    def from_options(
        cls,
        *,
        province: str | None = None,
        city: str | None = None,
        district: str | None = None,
        level: str | None = None,
        year: int | None = None,
        inspection_kind: str | None = None,
        kind: str | None = None,
    ) -> NoticeFilter:
        """The filter the command-line options ask for (``kind``: the hidden ``--kind`` alias)."""
        for option, value in (("--province", province), ("--city", city), ("--district", district),
                              ("--inspection-kind", inspection_kind or kind)):  # fmt: skip
            if value is not None and not _clean(value):
                fail(f"{option} needs a name")
        return cls(
            province=province,
            city=city,
            district=district,
            level=normal_level(level) if level is not None else None,
            year=year,
            inspection_kind=_clean(inspection_kind or kind or "") or None,
        )

    @property
    def active(self) -> bool:
        """True when at least one filter is given."""
        return any(getattr(self, f.name) is not None for f in fields(self))

    def _matches(self, value: Any, name: str) -> bool:
        """Whether a notice's value of a filter (``filter_values``) passes it."""
        wanted = getattr(self, name)
        if wanted is None:
            return True
        if name in ("province", "city", "district"):
            return place_matches(wanted, value)
        if name == "inspection_kind":
            return any(wanted in fold(kind) for kind in value)
        return bool(value == wanted)

    def matches(self, notice: Notice) -> bool:
        """True when the notice passes every given filter."""
        return all(self._matches(_value(notice, f.name), f.name) for f in fields(self))

    def apply(self, notices: Sequence[Notice]) -> list[Notice]:
        """The notices that pass; exit 1 with the reason (and the known values) when none does."""
        if not self.active:
            return list(notices)
        columns = {f.name: [_value(n, f.name) for n in notices] for f in fields(self)}
        return [notices[at] for at in self._select(columns, len(notices))]

    def select(self, corpus: Corpus) -> list[int]:
        """The positions of the corpus's notices that pass (read from its metadata columns, no notice
        built); exit 1 with the reason (and the known values) when none does."""
        if not self.active:
            return list(range(len(corpus)))
        columns = {
            f.name: filter_values(corpus, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }
        return self._select(columns, len(corpus))

    def _select(self, columns: dict[str, list[Any]], count: int) -> list[int]:
        kept = range(count)
        for name, values in columns.items():
            if getattr(self, name) is not None:
                kept = [at for at in kept if self._matches(values[at], name)]  # type: ignore[assignment]
        if not kept:
            fail(self._why_nothing(columns))
        return list(kept)

    def _why_nothing(self, columns: dict[str, list[Any]]) -> str:
        labels = {"inspection_kind": "inspection kind"}
        for f in fields(self):
            wanted = getattr(self, f.name)
            if wanted is None or any(self._matches(value, f.name) for value in columns[f.name]):
                continue
            label = labels.get(f.name, f.name)
            known = sorted({str(v) for value in columns[f.name] for v in _shown(value, f.name)})
            shown = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
            hint = ""
            if f.name == "inspection_kind" and wanted in SECTION_KINDS:
                hint = "; for a section's numbering kind use --section-kind"
            return f"no loaded notice has {label} {wanted!r} (known: {shown or 'none stated'}){hint}"
        given = ", ".join(
            f"{labels.get(f.name, f.name)} {getattr(self, f.name)}"
            for f in fields(self)
            if getattr(self, f.name) is not None
        )
        return f"no loaded notice matches all of: {given}"


#: The dates a notice's year is read from, in order (``NoticeMeta.year``).
_YEAR_DATES = ("feedback_date", "publication_date", "signature_date", "inspection_end", "inspection_start")


def filter_values(corpus: Corpus, name: str) -> list[Any]:
    """Each notice's value of a ``NoticeFilter`` field, from the corpus's metadata columns."""
    if name == "inspection_kind":
        return corpus.column("kinds")
    if name != "year":
        return corpus.column(name)
    years: list[int | None] = []
    for dates in zip(*(corpus.column(date) for date in _YEAR_DATES), strict=True):
        first = next((d for d in dates if d), None)
        years.append(int(first[:4]) if first else None)
    return years


def _value(notice: Notice, name: str) -> Any:
    meta = notice.meta
    if name in ("province", "city", "district"):
        return getattr(meta.place, name)
    if name == "inspection_kind":
        return meta.kinds
    return meta.level if name == "level" else meta.year


def _shown(value: Any, name: str) -> tuple[object, ...]:
    """The known values a notice adds to ``_why_nothing``'s list."""
    if name == "inspection_kind":
        return tuple(value)
    if name in ("province", "city", "district"):
        return (value,) if value else ()
    return (value,) if value is not None else ()
