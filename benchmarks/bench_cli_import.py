"""How long the CLI takes before it does anything: importing it, and `zhenggai --help` end to end.

    python benchmarks/bench_cli_import.py [--runs 15] [--python PATH]

Each measurement is a fresh interpreter (median of --runs), interleaved with the baselines in the same
run: a bare interpreter, and importing textual's App (what a CLI that imported the TUI would pay).
Run it with the interpreter of an installed zhenggai (a wheel in a venv).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASES = {
    "bare interpreter": ["-c", "pass"],
    "import textual.app (reference)": ["-c", "import textual.app"],
    "import zhenggai.cli": ["-c", "import zhenggai.cli"],
    "python -m zhenggai --help": ["-m", "zhenggai", "--help"],
}


def main() -> None:
    """Time each case in fresh interpreters, interleaved, and print medians and ratios."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in CASES}
    with tempfile.TemporaryDirectory() as folder:  # outside any checkout, as a user runs it
        for _ in range(args.runs):
            for name, argv in CASES.items():
                start = time.perf_counter()
                subprocess.run([args.python, *argv], cwd=folder, check=True, capture_output=True)
                times[name].append(time.perf_counter() - start)
    bare = statistics.median(times["bare interpreter"])
    print(f"{'case':34} {'median':>9} {'min':>9}   minus bare")
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"{name:34} {median * 1000:7.0f}ms {min(values) * 1000:7.0f}ms   {(median - bare) * 1000:6.0f}ms"
        )
    textual_cost = statistics.median(times["import textual.app (reference)"]) - bare
    cli_cost = statistics.median(times["import zhenggai.cli"]) - bare
    print(f"importing the CLI costs {cli_cost / textual_cost:.2f}× importing textual.app alone")
    if shutil.which("zhenggai"):
        print(f"(zhenggai on PATH: {Path(shutil.which('zhenggai') or '').resolve()})")


if __name__ == "__main__":
    main()
