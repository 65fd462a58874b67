"""The benchmark corpus generator makes distinct, loadable notices, the same for the same seed."""

from __future__ import annotations

import sys
from pathlib import Path

from zhenggai.loaders import load_corpus

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate_corpus import generate


def test_generated_notices_load_cleanly(tmp_path: Path) -> None:
    _, notices, size = generate(tmp_path / "a", 40, seed=3)
    assert notices == 40 and size > 1_000_000
    corpus = load_corpus([tmp_path / "a"])
    assert corpus.skipped == [] and corpus.warnings == []
    assert len(corpus.notices) == 40
    assert len({n.id for n in corpus.notices}) == 40
    assert all(n.province and n.city and n.district for n in corpus.notices)
    assert {n.encoding for n in corpus.notices} >= {"utf-8", "gb18030"}
    generate(tmp_path / "b", 40, seed=3)
    for path in (tmp_path / "a").iterdir():
        assert (tmp_path / "b" / path.name).read_bytes() == path.read_bytes()
