"""Placing every note of a researcher's store, as the notes list (``N``) does: time and memory.

    python benchmarks/bench_placing.py --corpus DIR --home WARM_HOME [--notes 2000 10000]

For each count a store of that many notes is made (``annotated_store.build``: four to a notice, each
tagged with two codes) in a scratch folder; then, in a fresh process, the corpus is opened from
``WARM_HOME``'s corpus store (warm it with ``zhenggai search 整改 DIR``), and every note is placed one
notice at a time (``Annotations.listed``, what the list's worker runs), then listed again with the
spots that placing made (as the list opened again, or after the coding screens placed the passages);
the store is written to a scratch folder, never to the home.  It prints the wall times and the
process's peak memory (``ru_maxrss``: the corpus and the store included).  Run it with ``PYTHONPATH``
naming another build's package to compare (a build without ``listed`` runs ``Annotations.groups``,
one without that places the whole store at once).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def place_all(corpus: Path, home: Path, path: Path) -> None:
    """In this process: open the store at ``path`` and the corpus, then time placing every note."""
    from zhenggai.loaders import load_corpus
    from zhenggai.store.db import Store
    from zhenggai.store.session import Annotations

    store = Store.open(path)
    notices = load_corpus([corpus], cache_dir=home / "cache")
    annotations = Annotations(store, notices)
    listed = getattr(annotations, "listed", None)
    groups = getattr(annotations, "groups", None)  # builds before the list took spots, or placed
    start = time.perf_counter()  # a notice at a time: their way, for comparison
    made: dict[object, object] = {}
    if listed:
        placed = {notice: group for notice, group in listed("notes", store.notes(), {}, made)}
    else:
        placed = dict(groups("notes", store.notes())) if groups else annotations.notes()
    elapsed = time.perf_counter() - start
    total = sum(len(group) for group in placed.values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    where = f"{total:,} notes placed in {len(placed):,} notices"
    print(f"  {where} in {elapsed:.2f} s, peak memory {peak:.0f} MB", flush=True)
    if listed:
        start = time.perf_counter()
        again = sum(len(group) for _, group in listed("notes", store.notes(), made, {}))
        elapsed = time.perf_counter() - start
        print(f"  listed again from their {len(made):,} spots: {again:,} notes in {elapsed:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--home", type=Path, required=True, help="a ZHENGGAI_HOME warmed on the corpus")
    parser.add_argument("--notes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.store:
        place_all(args.corpus, args.home, args.store)
        return
    import annotated_store

    print(f"placing every note of a store on {args.corpus} (one fresh process per store):")
    for count in args.notes:
        store_bytes, settings_bytes = annotated_store.build(args.corpus, count, args.home / "cache")
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / "store.json"
            path.write_bytes(store_bytes)
            path.with_name("settings.json").write_bytes(settings_bytes)
            command = [sys.executable, __file__, "--corpus", str(args.corpus), "--home", str(args.home)]
            subprocess.run([*command, "--store", str(path)], check=True)


if __name__ == "__main__":
    main()
