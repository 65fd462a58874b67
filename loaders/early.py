"""A warm corpus opened before the reader starts.

Opening a corpus whose files did not change since the last load (``open_corpus``: the snapshot,
nothing parsed) takes about 70 ms at 10,000 notices when nothing else runs.  On the reader's loading
thread, beside the reader drawing its first frames, it took 200–250 ms: every file it checks (a
``stat``, a directory entry) lets go of the interpreter, and getting it back waits for the drawing
thread's turn to end (up to 5 ms).  So the console script opens it once the reader's modules are
imported and waits for it, up to ``EARLY_WAIT``, before the reader starts (``cli.launch``); the
reader's screen takes the result instead of loading (``tui.screens.loading``), waiting on its own
thread for an open that took longer.  Anything else — a first load, a changed file, an error — gives
nothing, and the screen loads as always, with its progress and its messages.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterable
from pathlib import Path

from .cache import ParseCache
from .corpus import Corpus, _open_snapshot, iter_file_names, sample_data_paths
from .entries import ENTRY_COLUMNS

#: The longest the console script waits for the open before starting the reader (seconds): an open
#: that takes longer (a folder on a slow disk) goes on while the reader starts.
EARLY_WAIT = 0.3


def open_corpus(paths: Iterable[Path] | None = None, *, cache_dir: Path) -> Corpus | None:
    """``load_corpus(paths, cache_dir=cache_dir)`` when it would open the snapshot of the last load (no
    file changed since: nothing is parsed), else None without loading anything."""
    targets = [os.fspath(p) for p in (sample_data_paths() if paths is None else paths)]
    walk = list(iter_file_names(targets))
    collecting = gc.isenabled()
    gc.disable()  # as load_corpus does: long-lived objects, no cycles to free
    try:
        corpus = _open_snapshot(walk, targets, ParseCache(cache_dir), None, None)
        if corpus is not None:
            for name in ENTRY_COLUMNS:  # what the district list shows, decoded here (no notice built)
                corpus.column(name)
            # out of the collector's sight before it runs again, as the reader's load does: its
            # collections while the reader starts walked every notice
            gc.freeze()
        return corpus
    finally:
        if collecting:
            gc.enable()


class EarlyOpen:
    """``open_corpus(paths, cache_dir)`` on a daemon thread, handed over once (``take``)."""

    def __init__(self, paths: list[Path] | None, cache_dir: Path) -> None:
        self.paths = paths
        self.cache_dir = cache_dir
        self._corpus: Corpus | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> EarlyOpen:
        """Start opening (the thread never keeps the process alive)."""
        self._thread = threading.Thread(target=self._open, name="zhenggai-early-open", daemon=True)
        self._thread.start()
        return self

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the open; True once it is done."""
        if self._thread is None:
            return False
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _open(self) -> None:
        try:
            self._corpus = open_corpus(self.paths, cache_dir=self.cache_dir)
        except Exception:  # the screen's own load meets it again and says what it is
            self._corpus = None

    def take(self, paths: list[Path] | None, cache_dir: Path | None) -> Corpus | None:
        """The corpus opened, once, if it is of these ``paths`` and ``cache_dir`` (waits for it)."""
        if self._thread is None or paths != self.paths or cache_dir != self.cache_dir:
            return None
        self._thread.join()
        corpus, self._corpus = self._corpus, None
        return corpus
