"""What every ``zhenggai`` command shares: loading the corpus, reporting skipped files, errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from ..loaders import Corpus, Notice, load_corpus

#: People-facing output; notice text is always passed as ``rich.text.Text``, never as markup.
console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a one-line error to stderr and exit."""
    err_console.print(f"zhenggai: {message}", markup=False, soft_wrap=True)
    raise SystemExit(code)


#: ``--data-dir`` on every command: the store there, the caches in its ``cache/`` folder.
DataDirOpt = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Keep the store and caches here (default: ZHENGGAI_HOME or user dirs)."),
]


def load_or_exit(
    paths: list[Path] | None, *, strict: bool = False, quiet: bool = False, data_dir: Path | None = None
) -> Corpus:
    """Load notices, report skipped files on stderr, exit 1 when nothing (or, strict, not all) loaded.

    Parsed notices are cached (``store.paths.cache_dir``) so unchanged files are not parsed again.
    """
    from ..store.paths import cache_dir

    corpus = load_corpus(paths or None, cache_dir=cache_dir(data_dir) / "parsed")
    if not quiet:
        for skipped in corpus.skipped:
            err_console.print(
                f"zhenggai: skipped {skipped.path}: {skipped.reason}", markup=False, soft_wrap=True
            )
        for warning in corpus.warnings:
            err_console.print(
                f"zhenggai: warning: {warning.path}: {warning.reason}", markup=False, soft_wrap=True
            )
    if not corpus.notices:
        fail("no notice loaded" + (f" ({len(corpus.skipped)} file(s) skipped)" if corpus.skipped else ""))
    if strict and corpus.skipped:
        fail(f"{len(corpus.skipped)} file(s) skipped (--strict)")
    return corpus


def resolve_one(corpus: Corpus, query: str) -> Notice:
    """The one notice ``query`` names (id, id prefix, district); exit 1 listing candidates if several."""
    matches = corpus.resolve(query)
    if not matches:
        fail(f"no notice matches {query!r} (try `zhenggai list`)")
    if len(matches) > 1:
        lines = [f"{query!r} is ambiguous; {len(matches)} notices match:"]
        lines += [f"  {n.id}  {place_label(n)}  {n.title}" for n in matches[:20]]
        err_console.print("\n".join(lines), markup=False, soft_wrap=True)
        raise SystemExit(1)
    return matches[0]


def place_label(notice: Notice) -> str:
    """``辽宁省 › 沈阳市 › 和平区`` (parts the notice does not state are left out)."""
    place = notice.meta.place
    parts = [place.province, place.city if place.city != place.province else None, place.district]
    return " › ".join(p for p in parts if p) or "（地区未知）"


def print_json(data: Any) -> None:
    """JSON for scripts: real Chinese characters, one document on stdout."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
