"""The console script: ``zhenggai`` and ``zhenggai PATH…`` open the reader without loading the command
line; anything else goes to it (typer, ``cli.commands``).

Loading the command line (typer, click and every command's module) took about 90 ms of a reader's
start, a third of what a one-line Textual app takes to show.  Only arguments that are all existing
files or folders, none of them a command's name or an option, open the reader directly — exactly what
``zhenggai read PATH…`` does; ``zhenggai list`` runs the command even beside a folder named ``list``.
A corpus whose files did not change since the last load is opened first (``loaders.early``).
"""

from __future__ import annotations

import sys
from pathlib import Path

#: The command line's commands and command groups (``tests/test_cli_launch.py`` holds them to typer's).
COMMANDS = frozenset(
    {
        "bookmark", "code", "compare", "export", "keywords", "ledger", "list", "matrix", "note", "quotes",
        "read", "search", "show",
    }
)  # fmt: skip


def reader_paths(args: list[str]) -> list[Path] | None:
    """The files and folders to open the reader on when ``args`` ask for nothing else (``[]``: the
    bundled samples); None when the command line must read them."""
    if any(arg.startswith("-") or arg in COMMANDS or not arg for arg in args):
        return None
    paths = [Path(arg) for arg in args]
    return paths if all(path.exists() for path in paths) else None


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: ``zhenggai [FILE…]`` opens the reader, ``zhenggai CMD …`` runs CMD."""
    args = list(sys.argv[1:] if argv is None else argv)
    paths = reader_paths(args)
    if paths is None:
        from .commands import main as command_line

        command_line(args)
        return
    from . import reader

    reader.quick_escape()
    from ..loaders.early import EARLY_WAIT, EarlyOpen
    from ..store.paths import cache_dir
    from ..tui.app import make_app

    # a warm corpus opens before the reader starts drawing, the interpreter otherwise idle: on a thread
    # beside the reader's first frames, each of its 10,000 file checks waited for the interpreter (up to
    # 5 ms each), which tripled the open; a slower open goes on while the reader starts
    early = EarlyOpen(paths or None, cache_dir()).start()
    early.wait(EARLY_WAIT)
    reader.run_reader(make_app(paths or None, early=early))
    reader.leave()
