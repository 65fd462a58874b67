"""Search: index build (wall and CPU), size against the corpus, warm start, query latency.

    python benchmarks/bench_search.py --corpus /tmp/zg-corpus

The corpus is loaded twice into a corpus store in a temporary folder (the second time warm, as the
reader and the CLI open it), then the index is built beside the store from those notices: the build
includes reading each notice's text and outline from the store, as in the reader.

Targets (issue 12): index ≤ 1.5× the corpus text; build ≤ 20 s of one core per 100 MB of text;
search median ≤ 10 ms and worst ≤ 50 ms for the top 50 results, the very common words included.
CPU time (``time.process_time``) is the figure to compare on a shared machine; wall time is printed
beside it.
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

QUERIES = {
    "rare": ["配餐 招标", "返租 市场", "河湖长 凤翔", "胜诉 退费"],
    "common": ["营商环境 信用", "三重一大 制度", "信访 积案", "招商引资 项目", "形式主义", "营商环境"],
    "very common": ["整改", "问题", "巡视", "整改 落实", "巡视 反馈", "问题 整改", "工作 推进"],
    "phrase, exclusion": ['"整改落实"', "营商环境 -信用", '"形式主义" 官僚主义'],
}
REPEAT = 7


def timed(function, repeat: int = REPEAT) -> tuple[list[float], list[float], object]:  # type: ignore[no-untyped-def]
    """Wall and CPU seconds of ``repeat`` runs, and the last result."""
    times, cpu, result = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function()
        cpu.append(time.process_time() - start_cpu)
        times.append(time.perf_counter() - start)
    return times, cpu, result


def main() -> None:
    """Build, reopen, query; print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, help="a generated corpus folder (default: the samples)")
    args = parser.parse_args()
    paths = [args.corpus] if args.corpus else None
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder) / "cache"
        load_corpus(paths, cache_dir=cache)  # parse once into the store
        corpus = load_corpus(paths, cache_dir=cache)  # opened warm: texts are read when first used
        path = cache / "index.sqlite"
        wall, cpu = time.perf_counter(), time.process_time()
        report = SearchIndex(path).sync(corpus.notices, None, corpus.file_keys)
        build_cpu, build_wall = time.process_time() - cpu, time.perf_counter() - wall
        text_bytes = sum(len(n.body.encode()) for n in corpus.notices)
        start = time.perf_counter()
        index = SearchIndex(path)
        warm_report = index.sync(corpus.notices, None, corpus.file_keys)
        warm = time.perf_counter() - start
        size = path.stat().st_size
        per_100 = build_cpu / (text_bytes / 1e8)
        counted = f"{len(corpus.notices)} notices, {report.sections_indexed} sections"
        print(f"{counted}, {text_bytes / 1e6:.1f} MB of text")
        print(f"  index build            {build_cpu:8.2f} s CPU ({build_wall:.2f} s wall)")
        print(f"  build per 100 MB       {per_100:8.2f} s CPU    target ≤ 20")
        ratio = size / text_bytes
        print(f"  index size             {size / 1e6:8.1f} MB     {ratio:.2f}× the text, target ≤ 1.5×")
        print(f"  warm start (sync)      {warm:8.2f} s      re-indexed files: {warm_report.added_files}")
        print(f"  {'query':<22}{'kind':<19}{'hits':>5}{'median ms':>11}{'worst ms':>10}")
        everything: list[float] = []
        everything_cpu: list[float] = []
        by_kind: dict[str, list[float]] = {}
        by_kind_cpu: dict[str, list[float]] = {}
        for kind, queries in QUERIES.items():
            for query in queries:
                times, cpu, hits = timed(lambda q=query: search(index, q, limit=50))
                everything += times
                everything_cpu += cpu
                by_kind.setdefault(kind, []).extend(times)
                by_kind_cpu.setdefault(kind, []).extend(cpu)
                median, worst = statistics.median(times) * 1000, max(times) * 1000
                width = 22 - sum(1 for c in query if ord(c) > 0x2E80)  # CJK is two columns wide
                print(f"  {query:<{width}}{kind:<19}{len(hits):>5}{median:>11.1f}{worst:>10.1f}")  # type: ignore[arg-type]
        for kind, times in by_kind.items():
            median, worst = statistics.median(times) * 1000, max(times) * 1000
            cpu_median = statistics.median(by_kind_cpu[kind]) * 1000
            print(
                f"  {kind:<24} median {median:6.1f} ms, worst {worst:6.1f} ms (CPU median {cpu_median:.1f})"
            )
        median, worst = statistics.median(everything) * 1000, max(everything) * 1000
        cpu_median, cpu_worst = statistics.median(everything_cpu) * 1000, max(everything_cpu) * 1000
        print(f"  all queries: median {median:.1f} ms (target ≤ 10), worst {worst:.1f} ms (target ≤ 50)")
        print(f"  all queries, CPU: median {cpu_median:.1f} ms, worst {cpu_worst:.1f} ms")
        index.close()
        if corpus.store is not None:
            corpus.store.close()


if __name__ == "__main__":
    main()
