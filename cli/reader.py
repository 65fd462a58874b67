"""Running the reader from the console script, and leaving the process once it has quit."""

from __future__ import annotations

import os
import sys
from typing import Any

#: Set when the reader ran in this process: the console script then exits with it (``leave``).
READER_EXIT_CODE: int | None = None

#: How long a lone ``Esc`` waits to be told from the first byte of a key's escape sequence (an arrow,
#: ``alt+…``), in milliseconds, unless the user's ``ESCDELAY`` says otherwise: Textual's 100 ms made
#: every step back (closing help, a list, a table) take 120-130 ms where other keys take 15-20; 25 ms is
#: what Vim and Kakoune wait.  Terminals speaking the kitty keyboard protocol send ``Esc`` unambiguously.
ESCAPE_DELAY_MS = 25


def quick_escape() -> None:
    """Make ``Esc`` act after ``ESCAPE_DELAY_MS`` unless ``ESCDELAY`` is set (before Textual is imported:
    it reads the variable once)."""
    os.environ.setdefault("ESCDELAY", str(ESCAPE_DELAY_MS))


def run_reader(reader: Any) -> None:
    """Run the Textual reader, then leave the process at once.

    The reader's data is saved before it exits (atomic writes); what is left is interpreter teardown —
    joining a search-index worker that may be mid-build and collecting a heap of parsed notices, which
    at thousands of notices took longer than the whole session's quit.  ``os._exit`` skips both, after
    flushing what was written to stdout and stderr.  Only the console script does this (``leave``), so
    tests and embedders keep their interpreter.
    """
    reader.leave_at_once = True  # a quit that saved everything ends the process at once (tui.leave)
    reader.run()
    global READER_EXIT_CODE
    READER_EXIT_CODE = int(reader.return_code or 0)


def leave() -> None:
    """If the reader ran: flush stdout and stderr and end the process with its exit code, skipping the
    interpreter's teardown (``run_reader``).  Otherwise nothing."""
    if READER_EXIT_CODE is not None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(READER_EXIT_CODE)
