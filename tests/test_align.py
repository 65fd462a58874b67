"""Section alignment: kinds first, then titles; unmatched sections stay visible, never forced."""

from __future__ import annotations

import pytest

from zhenggai.loaders import Corpus, Notice, load_corpus
from zhenggai.loaders.align import align, similarity, top_kind


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


def notice(corpus: Corpus, district: str, city: str | None = None) -> Notice:
    return next(n for n in corpus.notices if n.district == district and (city is None or n.city == city))


def test_top_level_kinds(corpus: Corpus) -> None:
    heping = notice(corpus, "和平区")
    assert [top_kind(s) for s in heping.sections] == [
        "preamble", "organisation", "regular", "special", "next_steps",
    ]  # fmt: skip
    gulou = notice(corpus, "鼓楼区")
    assert [top_kind(s) for s in gulou.sections] == [
        "preamble",
        "organisation",
        "regular",
        "next_steps",
        "closing",
    ]


def test_similarity_ignores_numbering_and_fillers() -> None:
    assert similarity(
        "(二)全力打造“履约践诺”的信用环境方面", "(二)打造履约践诺的信用环境方面"
    ) == pytest.approx(0.9, abs=0.05)
    assert similarity("(一)强化组织领导", "3.加大查案挽损力度") == 0.0


def test_heping_and_zhongshan_special_sections_align_by_title(corpus: Corpus) -> None:
    alignment = align([notice(corpus, "和平区"), notice(corpus, "中山区")])
    special = [r for r in alignment.rows if r.kind == "special" and r.depth == 1 and r.matched]
    pairs = [(a.id, b.id) for a, b in (r.cells for r in special) if a and b]
    assert pairs == [(f"三/({n})", f"三/({n})") for n in "二三四五六七八"]
    top = [r for r in alignment.rows if r.depth == 0]
    assert [r.kind for r in top] == ["preamble", "organisation", "regular", "special", "next_steps"]
    assert all(r.matched for r in top)


def test_every_section_appears_exactly_once_per_column(corpus: Corpus) -> None:
    notices = [notice(corpus, "和平区"), notice(corpus, "中山区"), notice(corpus, "南芬区")]
    alignment = align(notices)
    for column, item in enumerate(notices):
        shown = [r.cells[column].id for r in alignment.rows if r.cells[column] is not None]
        expected = [s.id for s in item.walk() if s.level <= 2]
        assert sorted(shown) == sorted(expected)
        assert len(shown) == len(set(shown))


def test_unmatched_sections_are_not_forced(corpus: Corpus) -> None:
    alignment = align([notice(corpus, "和平区"), notice(corpus, "南芬区")])
    nanfen_only = [r.cells[1] for r in alignment.rows if r.cells[0] is None and r.cells[1] is not None]
    titles = [s.title for s in nanfen_only if s is not None]
    assert "关于打造“公平竞争”的经营环境方面" in titles  # heping has it under 三, nanfen under 二
    for row in alignment.rows:
        if row.matched and row.depth == 1:
            assert row.score >= 0.28
