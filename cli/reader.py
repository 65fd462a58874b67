"""Running the reader from the console script, and leaving the process once it has quit."""

from __future__ import annotations

import os
import sys
from typing import Any

#: Set when the reader ran in this process: the console script then exits with it (``leave``).
READER_EXIT_CODE: int | None = None


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
