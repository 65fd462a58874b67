"""A warm corpus opened on a thread while the reader's modules are imported.

Importing Textual and the reader takes a third of a second or more; opening a corpus whose files did
not change since the last load (``open_corpus``: the snapshot, nothing parsed) takes
0.1–0.4 s at 10,000 notices.  The console script starts the one before the other (``cli.launch``) and
the reader's screen takes the result instead of loading (``tui.screens.loading``).  Anything else — a
first load, a changed file, an error — gives nothing, and the screen loads as always, with its
progress and its messages.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterable
from pathlib import Path

from .cache import ParseCache
from .corpus import Corpus, _open_snapshot, iter_file_names, sample_data_paths


def open_corpus(paths: Iterable[Path] | None = None, *, cache_dir: Path) -> Corpus | None:
    """``load_corpus(paths, cache_dir=cache_dir)`` when it would open the snapshot of the last load (no
    file changed since: nothing is parsed), else None without loading anything."""
    targets = [os.fspath(p) for p in (sample_data_paths() if paths is None else paths)]
    walk = list(iter_file_names(targets))
    collecting = gc.isenabled()
    gc.disable()  # as load_corpus does: long-lived objects, no cycles to free
    try:
        return _open_snapshot(walk, targets, ParseCache(cache_dir), None, None)
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
