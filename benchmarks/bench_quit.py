"""Quitting while work is under way: during a cold load, and during a cold search-index build.

    python benchmarks/bench_quit.py --corpus DIR [--runs 3] [--zhenggai BIN]

In tmux at 160×48 (as ``bench_terminal.py``), ``zhenggai DIR`` is started and ``ctrl+q`` sent:

- during a cold load: with an empty ZHENGGAI_HOME, 2, 5, 8 … s after the district list first shows
  (files are still being parsed);
- during an index build: with a home holding the corpus store but no search index, 3 s after the list
  is populated (the reader is building the index in the background).

Prints each quit (from the key to the process's exit) in milliseconds. Target (issue 12): ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_terminal as bt


def main() -> None:
    """Run the quits and print them."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--zhenggai", default=shutil.which("zhenggai") or "zhenggai")
    args = parser.parse_args()
    command = [args.zhenggai, str(args.corpus)]
    size = (160, 48)
    with tempfile.TemporaryDirectory(prefix="zg-bench-quit-") as scratch:
        during_load = []
        for run in range(args.runs):
            pane = bt.Pane(command, size, {"ZHENGGAI_HOME": f"{scratch}/cold{run}"})
            pane.wait_for("篇")
            time.sleep(2.0 + 3.0 * run)
            loading = "载入" in pane.screen()
            during_load.append((round(pane.quit() * 1000), loading))
        warm = Path(scratch, "store")
        pane = bt.Pane(command, size, {"ZHENGGAI_HOME": str(warm)})
        pane.wait_for(bt._POPULATED)
        pane.quit()
        (warm / "cache" / "index.sqlite").unlink(missing_ok=True)  # the store stays, the index goes
        with sqlite3.connect(warm / "cache" / "corpus.sqlite") as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        during_build = []
        for run in range(args.runs):
            home = Path(scratch, f"build{run}")
            (home / "cache").mkdir(parents=True)
            shutil.copy(warm / "cache" / "corpus.sqlite", home / "cache" / "corpus.sqlite")
            pane = bt.Pane(command, size, {"ZHENGGAI_HOME": str(home)})
            pane.wait_for(bt._POPULATED)
            time.sleep(3.0)
            during_build.append(round(pane.quit() * 1000))
    shown = ", ".join(f"{ms} ms{'' if loading else ' (load already done)'}" for ms, loading in during_load)
    print(f"quit during a cold load:       {shown}")
    print(f"quit during an index build:    {', '.join(f'{ms} ms' for ms in during_build)}")


if __name__ == "__main__":
    main()
