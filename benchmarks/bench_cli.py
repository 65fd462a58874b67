"""Warm CLI commands end to end, as a user runs them: ``list``, ``show`` and ``search`` on a corpus.

    python benchmarks/bench_cli.py --corpus DIR [--runs 7] [--zhenggai BIN]

A fresh ZHENGGAI_HOME is warmed once (``zhenggai search`` parses every file into the corpus store and
builds the search index: the cold numbers), then each command runs ``--runs`` times in a fresh process,
output to a pipe, timed from spawn to exit.  A bare interpreter (``python -c pass``) runs interleaved as
the baseline.  Prints medians and worst, in seconds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(command: list[str], env: dict[str, str]) -> float:
    """Seconds from spawn to exit (output discarded, errors fatal)."""
    start = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0,):
        raise SystemExit(f"{command}: exit {done.returncode}: {done.stderr.decode()[-400:]}")
    return elapsed


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--zhenggai", default=shutil.which("zhenggai") or "zhenggai")
    parser.add_argument(
        "--home", type=Path, help="a ZHENGGAI_HOME already warmed on the corpus (no cold runs)"
    )
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="zg-bench-cli-"))
    env = {**os.environ, "ZHENGGAI_HOME": str(home)}
    corpus = str(args.corpus)
    files = sum(1 for _ in args.corpus.rglob("*") if _.is_file())
    size = sum(p.stat().st_size for p in args.corpus.rglob("*") if p.is_file()) / 1e6
    print(f"corpus: {corpus} ({files} files, {size:.1f} MB); zhenggai: {args.zhenggai}")
    if args.home is None:
        cold_list = timed([args.zhenggai, "list", corpus], env)
        cold_search = timed([args.zhenggai, "search", "营商环境", corpus], env)
        print(f"cold: list {cold_list:.2f} s (parses into the corpus store); then search {cold_search:.2f} s"
              " (builds the search index)")  # fmt: skip
    listed = subprocess.run(
        [args.zhenggai, "list", "--json", corpus], env=env, capture_output=True, text=True, check=True
    ).stdout
    import json

    notices = json.loads(listed)
    target = notices[len(notices) // 2]["id"]
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "list": [args.zhenggai, "list", corpus],
        "list --json": [args.zhenggai, "list", "--json", corpus],
        "show ID": [args.zhenggai, "show", target, "--path", corpus],
        "search 营商环境": [args.zhenggai, "search", "营商环境", corpus],
        "search 整改 (very common)": [args.zhenggai, "search", "整改", corpus],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():  # interleaved: every command sees the same load
            times[name].append(timed(command, env))
    print(f"{'command':<28}{'median s':>10}{'worst s':>10}")
    for name, values in times.items():
        print(f"{name:<28}{statistics.median(values):>10.3f}{max(values):>10.3f}")
    if args.home is None:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
