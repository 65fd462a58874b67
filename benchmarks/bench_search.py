"""Search: index build, size, warm start, query latency vs a brute-force substring scan.

    python benchmarks/bench_search.py --corpus /tmp/zg-corpus

Targets: build ≤ 30 s on one core for ~100 MB; median ≤ 10 ms and worst ≤ 50 ms for the top 50
ranked results of two-word queries.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from zhenggai.loaders import load_corpus
from zhenggai.loaders.index import SearchIndex
from zhenggai.loaders.query import search
from zhenggai.loaders.segment import cut, jieba_cut

QUERIES = {
    "rare": ["配餐 招标", "返租 市场", "河湖长 凤翔", "胜诉 退费"],
    "common": ["营商环境 信用", "三重一大 制度", "信访 积案", "招商引资 项目"],
    "very common": ["整改 落实", "巡视 反馈", "问题 整改", "工作 推进"],
}


def timed(function, repeat: int = 5) -> tuple[float, float, object]:  # type: ignore[no-untyped-def]
    """(median, worst) seconds over ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times), result


def main() -> None:
    """Build, reopen, query; print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, help="a generated corpus folder (default: the samples)")
    args = parser.parse_args()
    corpus = load_corpus([args.corpus] if args.corpus else None)
    text = "\n".join(n.body for n in corpus.notices[:200])
    start = time.perf_counter()
    cut(text)
    fast = len(text.encode()) / (time.perf_counter() - start) / 1e6
    start = time.perf_counter()
    jieba_cut(text[:300_000])
    slow = len(text[:300_000].encode()) / (time.perf_counter() - start) / 1e6
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "index.sqlite"
        start = time.perf_counter()
        report = SearchIndex(path).sync(corpus.notices)
        build = time.perf_counter() - start
        start = time.perf_counter()
        index = SearchIndex(path)
        warm_report = index.sync(corpus.notices)
        warm = time.perf_counter() - start
        size = path.stat().st_size
        print(f"{len(corpus.notices)} notices, {report.sections_indexed} sections")
        print(f"  segmentation: rjieba {fast:.1f} MB/s, jieba {slow:.1f} MB/s (HMM off, user dictionary)")
        print(f"  index build            {build:8.2f} s    target ≤ 30 s")
        print(f"  index size             {size / 1e6:8.1f} MB")
        print(f"  warm start (sync)      {warm:8.2f} s    re-indexed files: {warm_report.added_files}")
        texts = [(n.id, s.id, s.text) for n in corpus.notices for s in n.walk()]
        print(f"  {'query':<20}{'kind':<13}{'hits':>6}{'median ms':>11}{'worst ms':>10}{'scan ms':>10}")
        medians, worsts = [], []
        for kind, queries in QUERIES.items():
            for query in queries:
                median, worst, hits = timed(lambda q=query: search(index, q, limit=50))
                terms = query.split()
                scan, _, _ = timed(lambda t=terms: [x for x in texts if all(w in x[2] for w in t)], repeat=3)
                count = len(hits)  # type: ignore[arg-type]
                medians.append(median)
                worsts.append(worst)
                ms = f"{median * 1000:>11.1f}{worst * 1000:>10.1f}{scan * 1000:>10.1f}"
                print(f"  {query:<18}{kind:<13}{count:>6}{ms}")
        overall = statistics.median(medians) * 1000
        worst_ms = max(worsts) * 1000
        print(f"  all queries: median {overall:.1f} ms (target ≤ 10), worst {worst_ms:.1f} ms (target ≤ 50)")


if __name__ == "__main__":
    main()
