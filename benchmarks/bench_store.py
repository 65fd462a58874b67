"""Store latency at 10,000 notes: adding one note and listing one notice's notes.

    python benchmarks/bench_store.py [--notes 10000]

Targets: ≤ 100 ms per save, ≤ 50 ms per listing at 10k notes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    """Build a store of N notes in a temporary ZHENGGAI_HOME and time saves and listings."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["ZHENGGAI_HOME"] = home
        from zhenggai.store.db import Store
        from zhenggai.store.storage import write_document

        store = Store.open()
        notes = {}
        for i in range(args.notes):
            anchor = {
                "notice_id": f"notice-{i % 500}",
                "section_id": "二/(三)/5",
                "section_title": "某问题的整改",
                "exact": "巡视反馈的42个具体问题已完成整改23个" * 2,
                "prefix": "截至目前," * 3,
                "suffix": "基本完成整改14个" * 2,
                "fingerprint": "0123456789ab",
                "whole_section": False,
            }
            notes[str(i + 1)] = {
                "id": f"n{i}",
                "anchor": anchor,
                "text": f"第{i}条笔记 #营商环境 #对比",
                "tags": ["营商环境", "对比"],
                "created": "2026-01-01T00:00:00+08:00",
                "updated": "2026-01-01T00:00:00+08:00",
            }
        write_document(store.path, {"_meta": {"1": {"schema_version": 1}}, "notes": notes})
        size = Path(store.path).stat().st_size
        anchor = notes["1"]["anchor"]
        saves, listings = [], []
        for _ in range(args.samples):
            start = time.perf_counter()
            store.add_note(anchor, "新笔记 #测试")
            saves.append(time.perf_counter() - start)
            start = time.perf_counter()
            found = store.notes("notice-7")
            listings.append(time.perf_counter() - start)
        assert len(found) >= args.notes // 500
    ms = [("save one note", saves, 100), ("list one notice's notes", listings, 50)]
    print(f"store with {args.notes:,} notes ({size / 1e6:.1f} MB on disk), {args.samples} samples each")
    for label, values, target in ms:
        median = statistics.median(values) * 1000
        worst = max(values) * 1000
        verdict = "ok" if median <= target else "over target"
        print(
            f"  {label:<26} median {median:6.1f} ms   worst {worst:6.1f} ms   target ≤ {target} ms  {verdict}"
        )


if __name__ == "__main__":
    main()
