"""A research project of the samples for tests: a 3-level codebook, 20 coded segments with memos, notes."""

from __future__ import annotations

from zhenggai.loaders import Corpus, Notice
from zhenggai.store.anchor import make_anchor
from zhenggai.store.db import Store

CODES = (
    "问题类型/作风/形式主义",
    "问题类型/作风/官僚主义",
    "问题类型/廉政/违规吃喝",
    "整改措施/制度/建章立制",
    "整改措施/问责",
)


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph (without its full stop), at most 40 characters."""
    return text.split("。")[0][:40]


def quotable(notice: Notice) -> list[tuple[str, str]]:
    """(section id, quote) pairs: the first sentence of each sub-section's first body paragraph that is
    found once in the notice."""
    found: list[tuple[str, str]] = []
    for section in notice.walk():
        body = [p for p in section.paragraphs if not p.is_heading and len(p.text) > 30]
        if section.level != 2 or not body:
            continue
        quote = first_sentence(body[0].text)
        if len(quote) >= 12 and notice.body.count(quote) == 1:
            found.append((section.id, quote))
    return found


def build_project(store: Store, corpus: Corpus) -> list[dict[str, object]]:
    """Code 20 passages of 10 notices (18 quotes, 2 whole sections); memo on every third; 2 notes."""
    segments: list[dict[str, object]] = []
    notices = sorted((n for n in corpus.notices if len(quotable(n)) >= 2), key=lambda n: n.id)[:10]
    assert len(notices) == 10
    for index, notice in enumerate(notices):
        pairs = quotable(notice)[:2]
        for offset, (section_id, quote) in enumerate(pairs):
            number = 2 * index + offset
            whole = number in (5, 13)
            anchor = make_anchor(notice, section_id, None if whole else quote).to_dict()
            memo = f"备忘 {number}: 见 https://example.org/memo/{number}" if number % 3 == 0 else ""
            segments.append(
                store.code_segment(CODES[number % len(CODES)], anchor, memo, district=notice.district)
            )
    store.edit_code("问题类型/作风", memo="作风问题 memo")
    first = notices[0]
    section_id, quote = quotable(first)[0]
    store.add_note(make_anchor(first, section_id, quote).to_dict(), "见 [原文](https://example.org/a_b)")
    return segments
