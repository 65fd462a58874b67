"""Reader start-up and navigation: cold start to first frame and to a populated screen, section moves, memory.

Each start runs in a fresh subprocess (imports included), headless, at 160×48::

    python benchmarks/bench_tui.py                      # the bundled samples
    python benchmarks/bench_tui.py --corpus /tmp/zg-corpus   # a generated corpus (2nd run = warm cache)
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

_CHILD = r"""
import time
T0 = time.perf_counter()
import asyncio, json, resource, sys
from pathlib import Path

async def main():
    from zhenggai.tui.app import make_app
    from zhenggai.tui.screens.main import MainScreen
    paths = [Path(p) for p in sys.argv[1:]] or None
    app = make_app(paths)
    result = {}
    async with app.run_test(size=(160, 48)) as pilot:
        result["first_frame"] = time.perf_counter() - T0
        while True:
            await asyncio.sleep(0.005)
            screen = app.screen
            if isinstance(screen, MainScreen) and screen.corpus is not None and screen.section is not None:
                break
        result["populated_data"] = time.perf_counter() - T0
        await pilot.pause()
        result["populated"] = time.perf_counter() - T0
        result["notices"] = len(screen.corpus.notices)
        # a section move = the step action plus the repaint it causes; pilot.pause() alone is measured
        # too and subtracted, so the harness's own wait is not counted
        moves, idle = [], []
        for _ in range(30):
            start = time.perf_counter()
            await pilot.pause()
            idle.append(time.perf_counter() - start)
            start = time.perf_counter()
            screen.action_step(1)
            await pilot.pause()
            moves.append(time.perf_counter() - start)
        baseline = sorted(idle)[len(idle) // 2]
        result["section_move_median"] = max(0.0, sorted(moves)[len(moves) // 2] - baseline)
        result["section_move_max"] = max(0.0, max(moves) - baseline)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))

asyncio.run(main())
"""


def run_once(paths: list[str], home: str) -> dict[str, float]:
    """One cold start in a fresh interpreter."""
    env = {"ZHENGGAI_HOME": home, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *paths], capture_output=True, text=True, check=True, env=env
    )
    data: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return data


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, help="a folder of notices (default: bundled samples)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    paths = [str(args.corpus)] if args.corpus else []
    with tempfile.TemporaryDirectory() as home:
        runs = [run_once(paths, home) for _ in range(args.runs)]
    name = str(args.corpus) if args.corpus else "sample_data/"
    first, populated = runs[0], runs[1:] or runs
    move_median = statistics.median(r["section_move_median"] for r in runs) * 1000
    later = statistics.median(r["populated_data"] for r in populated)
    idle = statistics.median(r["populated"] for r in populated)
    rows = [
        ("notices", f"{int(first['notices'])}", ""),
        ("first frame (median)", f"{statistics.median(r['first_frame'] for r in runs):.3f} s", "≤ 0.5 s"),
        ("populated, first run", f"{first['populated_data']:.3f} s", ""),
        ("populated, later runs (median)", f"{later:.3f} s",
         "≤ 1 s samples / ≤ 2 s 2,000 warm"),
        ("idle, pinyin filter ready (median)", f"{idle:.3f} s", ""),
        ("section move (median)", f"{move_median:.1f} ms", "≤ 50 ms"),
        ("section move (worst)", f"{max(r['section_move_max'] for r in runs) * 1000:.1f} ms", ""),
        ("peak RSS", f"{max(r['peak_rss_mb'] for r in runs):.0f} MB", "≤ 200 MB samples / ≤ 1 GB 2,000"),
    ]  # fmt: skip
    print(f"reader start-up on {name} ({args.runs} cold starts, 160×48, headless)")
    for label, value, target in rows:
        print(f"  {label:<34} {value:>12}   {target}")


if __name__ == "__main__":
    main()
