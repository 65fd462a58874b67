"""A store as a researcher's: notes, each tagged with two codes, on real passages of a corpus.

    python benchmarks/annotated_store.py HOME [--corpus DIR] [--notes 2000]

writes ``HOME/data/store.json`` and ``settings.json`` (and prints the store's size), opening the corpus
with HOME's corpus store; ``bench_terminal.py --notes N`` starts every run with such a store in place.
The notes are spread over the corpus, four to a notice, each anchored on the opening words of a
section's first paragraph (``store.anchor.make_anchor``), and brought to the current schema by the
store itself, so the file is what the reader would have written.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

PER_NOTICE = 4


def build(corpus: Path | None, count: int, cache: Path | None = None) -> tuple[bytes, bytes]:
    """The bytes of a current-schema store of ``count`` notes on passages of ``corpus`` (None: the
    samples) and of its settings file, opened with the corpus store in ``cache`` (a warm one saves
    parsing it; None: a scratch one).  Both are written in a scratch folder: nothing else is touched."""
    from zhenggai.loaders import load_corpus
    from zhenggai.store.anchor import make_anchor
    from zhenggai.store.db import Store
    from zhenggai.store.storage import write_document
    from zhenggai.themes import DEFAULT_THEME

    with tempfile.TemporaryDirectory() as scratch:
        notices = load_corpus([corpus] if corpus else None, cache_dir=cache or Path(scratch) / "cache")
        step = max(1, len(notices) * PER_NOTICE // count)
        notes: dict[str, dict[str, object]] = {}
        for position in range(0, len(notices), step):
            notice = notices.notice(position)
            for section in [s for s in notice.walk() if s.paragraphs][:PER_NOTICE]:
                opening = section.paragraphs[0].text[:12]
                number = len(notes)
                notes[str(number + 1)] = {
                    "id": f"n{number:06d}",
                    "anchor": make_anchor(notice, section.id, opening or None).to_dict(),
                    "text": f"第{number}条笔记 #营商环境 #对比/{number % 20}",
                    "tags": [],
                    "created": "2026-01-01T00:00:00+08:00",
                    "updated": "2026-01-01T00:00:00+08:00",
                }
                if len(notes) == count:
                    break
            notice.release()
            if len(notes) == count:
                break
        path = Path(scratch) / "store.json"
        write_document(path, {"_meta": {"1": {"schema_version": 1}}, "notes": notes})
        store = Store.open(path)  # brings it to the current schema: codes and coded segments from the tags
        assert not store.read_only, store.problem
        # a returning user's settings file (the reader writes one in every session): the default theme
        store.set("theme", DEFAULT_THEME)
        return path.read_bytes(), store.settings_file.path.read_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("home", type=Path)
    parser.add_argument("--corpus", type=Path, help="a folder of notices (default: the bundled samples)")
    parser.add_argument("--notes", type=int, default=2000)
    args = parser.parse_args()
    data, settings = build(args.corpus, args.notes, args.home / "cache")
    target = args.home / "data" / "store.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    target.with_name("settings.json").write_bytes(settings)
    print(f"{target}: {args.notes:,} notes, {len(data) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
