"""Warm CLI commands end to end, as a user runs them: ``list``, ``show`` and ``search`` on a corpus.

    python benchmarks/bench_cli.py --corpus DIR [--runs 7] [--zhenggai BIN]

A fresh ZHENGGAI_HOME is warmed once (``zhenggai search`` parses every file into the corpus store and
builds the search index: the cold numbers), then each command runs ``--runs`` times in a fresh process,
output to a pipe, timed from spawn to exit.  A bare interpreter (``python -c pass``) runs interleaved as
the baseline.  Prints medians and worst of the wall time, and the median CPU time (user + system, from
the process's own resource usage: steadier than wall time on a shared machine), in seconds.
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


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds from spawn to exit, and the CPU seconds (user + system) the process used (output
    discarded, errors fatal)."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"{command}: exit {child.returncode}: {errors.read().decode()[-400:]}")
    return elapsed, usage.ru_utime + usage.ru_stime


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--zhenggai", default=shutil.which("zhenggai") or "zhenggai")
    parser.add_argument(
        "--home", type=Path, help="a ZHENGGAI_HOME already warmed on the corpus (no cold runs)"
    )
    parser.add_argument("--only", help="run only the commands whose name contains this (e.g. list)")
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="zg-bench-cli-"))
    env = {**os.environ, "ZHENGGAI_HOME": str(home)}
    corpus = str(args.corpus)
    files = sum(1 for _ in args.corpus.rglob("*") if _.is_file())
    size = sum(p.stat().st_size for p in args.corpus.rglob("*") if p.is_file()) / 1e6
    print(f"corpus: {corpus} ({files} files, {size:.1f} MB); zhenggai: {args.zhenggai}")
    if args.home is None:
        cold_list, _ = timed([args.zhenggai, "list", corpus], env)
        cold_search, _ = timed([args.zhenggai, "search", "营商环境", corpus], env)
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
    if args.only:
        commands = {n: c for n, c in commands.items() if args.only in n or n == "python -c pass"}
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():  # interleaved: every command sees the same load
            wall, used = timed(command, env)
            times[name].append(wall)
            cpu[name].append(used)
    print(f"{'command':<28}{'median s':>10}{'worst s':>10}{'CPU s':>10}")
    for name, values in times.items():
        print(
            f"{name:<28}{statistics.median(values):>10.3f}{max(values):>10.3f}"
            f"{statistics.median(cpu[name]):>10.3f}"
        )
    if args.home is None:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
