"""``store.spots``: a stored anchor's key is the key of the anchor ``Anchor.from_dict`` makes of it,
whatever the record holds; a spot says where the anchor landed as the placing itself does."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from zhenggai.loaders import load_corpus
from zhenggai.store.anchor import Anchor, make_anchor
from zhenggai.store.locate import Placer
from zhenggai.store.spots import anchor_key, make_spot, stored_anchor_key

_VALUES: list[Any] = ["", "甲", "abc", 0, 1, -1, -2, 7, True, False, None, 1.5, [], {}, b"x"]
_NAMES = [
    "notice_id", "section_id", "section_title", "exact", "prefix", "suffix", "fingerprint", "whole_section",
    "offset", "place",
]  # fmt: skip


class _Text(str):
    """A string of another type: not what the store writes."""


def test_a_stored_anchors_key_is_that_of_the_anchor_read_from_it() -> None:
    rng = random.Random(12)
    good = Anchor(
        "n-1", "s2", "二、标题", "甲乙", "前", "后", "f" * 8, False, 3, "辽宁省/沈阳市//2024"
    ).to_dict()
    assert stored_anchor_key(good) == anchor_key(Anchor.from_dict(good))
    assert stored_anchor_key(good) == (
        "n-1",
        "s2",
        "二、标题",
        "甲乙",
        "前",
        "后",
        "f" * 8,
        False,
        3,
        "辽宁省/沈阳市//2024",
    )
    checked = 0
    for _ in range(5000):
        data = dict(good)
        for name in rng.sample(_NAMES, rng.randint(0, 3)):
            choice = rng.random()
            if choice < 0.3:
                del data[name]
            elif choice < 0.4:
                data[name] = _Text("甲")
            else:
                data[name] = rng.choice(_VALUES)
        if rng.random() < 0.1:
            data["extra"] = "kept elsewhere"
        key = stored_anchor_key(data)
        assert key == anchor_key(Anchor.from_dict(data)), data
        assert [type(value) for value in key] == [type(value) for value in anchor_key(Anchor.from_dict(data))]
        checked += 1
    assert checked == 5000


def test_a_spot_is_where_the_placer_puts_the_anchor(zhenggai_home: Path) -> None:
    corpus = load_corpus(None)
    placer = Placer(corpus)
    notice = next(n for n in corpus.notices if n.district == "和平区")
    section = notice.sections[2]
    quoted = make_anchor(notice, section.id, section.paragraphs[0].text[2:8])
    spot = make_spot(quoted, placer)
    assert spot.found and spot.status == "attached" and spot.notice_id == notice.id
    assert spot.quote == section.paragraphs[0].text[2:8] == notice.body[spot.start : spot.end]
    assert spot.quote in spot.sentence and spot.section_id == section.id
    assert (spot.province, spot.city, spot.district) == (notice.province, notice.city, "和平区")

    whole = make_spot(make_anchor(notice, section.id), placer)  # a whole section: its span
    texts = [p for s in notice.section(section.id).walk() for p in s.paragraphs]  # type: ignore[union-attr]
    assert (whole.start, whole.end) == (texts[0].start, texts[-1].end)

    gone = make_spot(Anchor("nowhere-0000", "s1", "一、没有", "甲乙丙", place="某省/某市/某区/2020"), placer)
    assert not gone.found and gone.status == "detached" and (gone.start, gone.end) == (-1, -1)
    assert (gone.notice_id, gone.section, gone.quote, gone.sentence) == (
        "nowhere-0000",
        "一、没有",
        "甲乙丙",
        "",
    )
