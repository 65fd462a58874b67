"""Parse throughput, warm-cache load, ledger extraction and peak memory.

    python benchmarks/bench_parse.py                         # sample_data/ only
    python benchmarks/bench_parse.py --corpus /tmp/zg-corpus  # plus a generated corpus
    python benchmarks/bench_parse.py --generate /tmp/zg-corpus  # generate 2,000 notices first

Targets: all of sample_data/ parsed in ≤ 100 ms; 100 MB in ≤ 10 s on one core; ledger for 2,000
notices ≤ 1 s; a 3-district comparison ≤ 300 ms.  Everything runs in one process on one core.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
from zhenggai.loaders import load_corpus
paths = [Path(p) for p in sys.argv[2:]] or None
cache = Path(sys.argv[1]) if sys.argv[1] != "-" else None
corpus = load_corpus(paths, cache_dir=cache)
print(json.dumps({"seconds": time.perf_counter() - start, "notices": len(corpus.notices),
                  "skipped": len(corpus.skipped),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def child(paths: list[str], cache: str = "-") -> dict[str, float]:
    """Load in a fresh interpreter (imports included); returns its timings and peak RSS."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, cache, *paths], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def size_of(paths: list[Path]) -> int:
    """Total bytes of the files under ``paths``."""
    return sum(f.stat().st_size for p in paths for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file())


def row(label: str, value: str, target: str = "") -> None:
    """One line of the table."""
    print(f"  {label:<40} {value:>14}   {target}")


def bench_samples() -> None:
    """sample_data/: cold (fresh process) and warm (in-process) parse."""
    from zhenggai.loaders import load_corpus, sample_data_paths

    cold = child([])
    load_corpus()
    warm = []
    for _ in range(10):
        start = time.perf_counter()
        corpus = load_corpus()
        warm.append(time.perf_counter() - start)
    megabytes = size_of(sample_data_paths()) / 1e6
    print(f"sample_data/: {len(corpus.notices)} notices, {megabytes:.1f} MB")
    row("cold load incl. imports (fresh process)", f"{cold['seconds'] * 1000:.0f} ms")
    row("parse, median of 10", f"{statistics.median(warm) * 1000:.0f} ms", "≤ 100 ms")
    row("peak RSS (fresh process)", f"{cold['rss_mb']:.0f} MB")


def bench_corpus(folder: Path) -> None:
    """A generated corpus: parse, warm-cache load, memory, ledger and comparison."""
    from zhenggai.loaders import load_corpus
    from zhenggai.loaders.comparison import compare
    from zhenggai.loaders.ledger import extract_ledger

    megabytes = size_of([folder]) / 1e6
    cold = child([str(folder)])
    with tempfile.TemporaryDirectory() as cache:
        child([str(folder)], cache)  # fills the cache
        warm = child([str(folder)], cache)
    corpus = load_corpus([folder])
    start = time.perf_counter()
    ledgers = [extract_ledger(n) for n in corpus.notices]
    ledger_seconds = time.perf_counter() - start
    with_figures = sum(1 for lg in ledgers if lg.figures)
    timings = []
    for offset in range(5):
        trio = corpus.notices[offset * 3 : offset * 3 + 3]
        start = time.perf_counter()
        compare(trio)
        timings.append(time.perf_counter() - start)
    print(
        f"{folder}: {int(cold['notices'])} notices, {megabytes:.1f} MB, {int(cold['skipped'])} files skipped"
    )
    row("parse, fresh process, one core", f"{cold['seconds']:.2f} s", "≤ 10 s for 100 MB")
    row("throughput", f"{megabytes / cold['seconds']:.1f} MB/s")
    row("load from warm parse cache", f"{warm['seconds']:.2f} s")
    row("peak RSS, parsing", f"{cold['rss_mb']:.0f} MB")
    row("peak RSS, from cache", f"{warm['rss_mb']:.0f} MB")
    row("ledger extraction, all notices", f"{ledger_seconds:.2f} s", "≤ 1 s for 2,000")
    row("notices with ledger figures", f"{with_figures}")
    row("3-notice comparison (median of 5)", f"{statistics.median(timings) * 1000:.0f} ms", "≤ 300 ms")


def main() -> None:
    """Command-line entry."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, help="a generated corpus folder")
    parser.add_argument("--generate", type=Path, help="generate 2,000 notices into this folder first")
    args = parser.parse_args()
    bench_samples()
    folder = args.corpus
    if args.generate:
        sys.path.insert(0, str(Path(__file__).parent))
        from generate_corpus import generate

        generate(args.generate, 2000, 7)
        folder = args.generate
    if folder:
        bench_corpus(folder)


if __name__ == "__main__":
    main()
