"""Store latency at 10,000 and 50,000 notes: adding one note, saving the reading position, listing one
notice's notes.

    python benchmarks/bench_store.py [--notes 10000 50000] [--samples 30] [--pause 0.2]

Each store is built first (notes with tags, migrated to the current schema so the codes and coded
segments exist, as in a real store), then every save is timed end to end: the lock, the checks, the
whole file written, fsynced, the backup kept and the rename.  Adding a note writes ``store.json`` (every
note, code and segment: the size printed); every note added quotes a new passage, so its tags code it
(a note and its segments in one save).  Saving the reading position writes only ``settings.json`` (a
few hundred bytes, whatever the number of notes), as the reader does 1.5 s after a move.  Wall time
includes waiting for the disk; CPU time (``time.process_time``) is what a shared machine's noise does
not change.  Operations are ``--pause`` seconds apart, as a person makes them; the first look at a file
after this process saved it also compares the file's bytes with what was written before trusting the
cached document, which costs a read of the file (``store.known.remembered``).

Targets: ≤ 100 ms per save, ≤ 50 ms per listing at 10k notes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

TARGETS = {
    "add a note (with 2 tags)": 100.0,
    "save the reading position": 100.0,
    "list one notice's notes": 50.0,
}


def _anchor(i: int, notice: int) -> dict[str, Any]:
    return {
        "notice_id": f"notice-{notice}",
        "section_id": "二/(三)/5",
        "section_title": "某问题的整改",
        "exact": f"巡视反馈的{i}个具体问题已完成整改23个" * 2,
        "prefix": "截至目前," * 3,
        "suffix": "基本完成整改14个" * 2,
        "fingerprint": "0123456789ab",
        "whole_section": False,
    }


def _build(path: Path, count: int) -> None:
    """A first-schema store of ``count`` tagged notes, on 500 notices (migrated when opened)."""
    from zhenggai.store.storage import write_document

    notes = {
        str(i + 1): {
            "id": f"n{i}",
            "anchor": _anchor(i, i % 500),
            "text": f"第{i}条笔记 #营商环境 #对比/{i % 20}",
            "tags": [],
            "created": "2026-01-01T00:00:00+08:00",
            "updated": "2026-01-01T00:00:00+08:00",
        }
        for i in range(count)
    }
    write_document(path, {"_meta": {"1": {"schema_version": 1}}, "notes": notes})


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(count: int, samples: int, pause: float) -> None:
    """Build a store of ``count`` notes in a temporary ZHENGGAI_HOME; time saves and listings."""
    with tempfile.TemporaryDirectory() as home:
        os.environ["ZHENGGAI_HOME"] = home
        from zhenggai.store.db import Store
        from zhenggai.store.paths import store_path

        _build(store_path(), count)
        store = Store.open()  # migrates: codes and segments from the tags
        assert not store.read_only, store.problem
        size = store.path.stat().st_size
        store.set("last_position", {"notice_id": "notice-0", "section_id": "一"})  # settings.json made
        times: dict[str, list[tuple[float, float]]] = {label: [] for label in TARGETS}
        for i in range(samples):
            anchor, position = _anchor(count + i, 7), {"notice_id": f"notice-{i}", "section_id": "二"}
            steps: dict[str, Callable[[], object]] = {
                "add a note (with 2 tags)": partial(store.add_note, anchor, "新笔记 #测试 #对比"),
                "save the reading position": partial(store.set, "last_position", position),
                "list one notice's notes": partial(store.notes, "notice-7"),
            }
            for label, step in steps.items():
                time.sleep(pause)
                times[label].append(_timed(step))
        assert len(store.notes("notice-7")) == count // 500 + samples
        settings = store.settings_file.path.stat().st_size
    print(
        f"store with {count:,} notes ({size / 1e6:.1f} MB on disk; settings {settings:,} bytes), "
        f"{samples} samples each, {pause:g} s apart"
    )
    for label, values in times.items():
        wall = [w * 1000 for w, _ in values]
        cpu = statistics.median(c * 1000 for _, c in values)
        median, target = statistics.median(wall), TARGETS[label]
        verdict = (
            "ok"
            if max(wall) <= target
            else "median ok, worst over target"
            if median <= target
            else "over target"
        )
        print(
            f"  {label:<26} median {median:6.1f} ms   worst {max(wall):6.1f} ms   "
            f"cpu median {cpu:6.1f} ms   target ≤ {target:g} ms  {verdict}"
        )


def main() -> None:
    """Measure each store size asked for."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--notes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--pause", type=float, default=0.2, help="seconds between operations")
    args = parser.parse_args()
    for count in args.notes:
        measure(count, args.samples, args.pause)


if __name__ == "__main__":
    main()
