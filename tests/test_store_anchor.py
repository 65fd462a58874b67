"""Notes stay attached when the corpus is re-encoded and re-ordered; a vanished passage is detached."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.variants import gb18030_web_variant
from zhenggai.loaders import Corpus, Notice, load_corpus, sample_data_paths
from zhenggai.loaders.meta import is_title_line
from zhenggai.store.anchor import Anchor, make_anchor, reattach


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


def by_district(corpus: Corpus, district: str) -> Notice:
    return next(n for n in corpus.notices if n.district == district)


def test_whole_section_and_span_anchors(corpus: Corpus) -> None:
    notice = by_district(corpus, "安定区")
    whole = make_anchor(notice, "二/问题3")
    assert whole.whole_section and whole.exact.startswith("问题3:金融服务不够有效。")
    assert reattach(whole, notice).section_id == "二/问题3"
    span = make_anchor(notice, "二", "巡察反馈的17个问题已完成整改14个")
    assert not span.whole_section and span.prefix.endswith("截至目前,")
    attached = reattach(span, notice)
    assert attached.status == "attached" and attached.section_id == "二"
    assert notice.body[attached.start : attached.end] == "巡察反馈的17个问题已完成整改14个"
    with pytest.raises(ValueError, match="not in section"):
        make_anchor(notice, "一", "巡察反馈的17个问题已完成整改14个")


def test_repeated_template_sentence_is_decided_by_context(corpus: Corpus) -> None:
    notice = by_district(corpus, "安定区")
    sentence = "一是"
    section = notice.section("二/问题5")
    assert section is not None
    anchor = make_anchor(notice, "二/问题5", section.paragraphs[1].text[:12])
    assert reattach(anchor, notice).section_id == "二/问题5"
    bare = Anchor(notice.id, "二/问题5", "", sentence)  # occurs many times, no context
    assert reattach(bare, notice).status == "detached"


def test_every_note_reattaches_after_reencoding_and_reordering(corpus: Corpus, tmp_path: Path) -> None:
    anchors = []
    for notice in corpus.notices:
        sections = [s for s in notice.walk() if s.kind not in ("preamble",)]
        for section in sections[:: max(1, len(sections) // 4)]:
            anchors.append((make_anchor(notice, section.id), section.id))
            text = section.paragraphs[-1].text
            if len(text) > 30:
                anchors.append((make_anchor(notice, section.id, text[10:30]), section.id))
    assert len(anchors) > 300
    collection = next(p for p in sample_data_paths() if "liaoning" in p.name)
    lines = collection.read_text(encoding="utf-8").split("\n")
    titles = [i for i, line in enumerate(lines) if is_title_line(line)]
    blocks = [lines[a:b] for a, b in zip(titles, [*titles[1:], len(lines)], strict=True)]
    reordered = lines[: titles[0]] + [line for block in reversed(blocks) for line in block]
    (tmp_path / "collection.txt").write_bytes(gb18030_web_variant("\n".join(reordered)))
    for path in sample_data_paths():
        if path != collection:
            (tmp_path / path.name).write_bytes(gb18030_web_variant(path.read_text(encoding="utf-8")))
    reparsed = load_corpus([tmp_path])
    for anchor, section_id in anchors:
        attachment = reattach(anchor, reparsed.get(anchor.notice_id))
        assert attachment.status == "attached", (anchor, attachment)
        assert attachment.section_id == section_id or attachment.section_id.startswith(section_id + "/")


def test_note_whose_passage_is_gone_is_detached(corpus: Corpus, tmp_path: Path) -> None:
    path = next(p for p in sample_data_paths() if "gaoling" in p.name)
    original = load_corpus([path]).notices[0]
    quote = "先后召开书记专题会和区委第5次常委会会议"
    anchor = make_anchor(original, "一/(一)", quote)
    edited = path.read_text(encoding="utf-8").replace(quote, "召开了多次会议")
    (tmp_path / "edited.txt").write_text(edited, encoding="utf-8")
    changed = load_corpus([tmp_path]).notices[0]
    assert changed.id == original.id
    attachment = reattach(anchor, changed)
    assert attachment.status == "detached"
    assert attachment.reason == "the quoted passage is no longer in the notice"
    assert reattach(anchor, None).status == "detached"


def test_the_stored_position_shortcut_decides_as_the_full_rules_do(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``reattach`` takes an unchanged section's stored position without normalising the whole notice;
    every anchor lands where the full rules put it: quotes in a section's own text or its subsections',
    repeated template sentences, stored positions pointing elsewhere, changed fingerprints, a notice
    edited in front of the quote, and strict placing."""
    import random
    from dataclasses import replace

    from zhenggai.store import anchor as module

    rng = random.Random(12)
    anchors: list[Anchor] = []
    for notice in corpus.notices[::3]:
        for section in notice.walk():
            text = section.full_text()
            whole = make_anchor(notice, section.id)
            anchors += [whole, replace(whole, exact=whole.exact + "另")]  # the heading edited: by section
            for _ in range(2):
                if len(text) < 8:
                    break
                at = rng.randrange(len(text) - 6)
                quote = text[at : at + rng.choice((2, 4, 6, 12, 40))].strip()
                if quote and not quote.isspace():
                    made = make_anchor(notice, section.id, quote)
                    anchors += [made, replace(made, offset=rng.randrange(len(text) + 1))]
                    anchors.append(replace(made, fingerprint=made.fingerprint[::-1]))
                    anchors.append(replace(made, exact=made.exact + "另"))  # the passage edited
                    bare = replace(made, prefix="", suffix="")  # no context to confirm a match
                    anchors += [bare, replace(bare, fingerprint=bare.fingerprint[::-1])]
    assert len(anchors) > 5000
    edited = {
        notice.id: Notice(notice.id, notice.meta, "前言。\n" + notice.body, notice.sections)
        for notice in corpus.notices[::3][:6]
    }
    taken: list[tuple[int, int] | None] = []
    shortcut = module._where_it_was

    def counted(anchor: Anchor, notice: Notice, exact: str) -> tuple[int, int] | None:
        taken.append(shortcut(anchor, notice, exact))
        return taken[-1]

    def place_all() -> list[module.Attachment]:
        placed = []
        for anchor in anchors:
            notice = corpus.get(anchor.notice_id)
            placed.append(reattach(anchor, notice))
            placed.append(reattach(anchor, notice, strict=True))
        return placed

    monkeypatch.setattr(module, "_where_it_was", counted)
    quick = place_all()
    monkeypatch.setattr(module, "_where_it_was", lambda *_: None)
    assert place_all() == quick
    assert sum(hit is not None for hit in taken) > len(anchors) // 4  # the shortcut was taken
    assert sum(hit is None for hit in taken) > len(anchors) // 10  # and refused
    assert {p.status for p in quick} == {"attached", "section", "detached"}
    for anchor in anchors[:2000]:  # a notice whose paragraphs moved: the outline no longer fits its text
        notice = edited.get(anchor.notice_id)
        if notice is not None:
            monkeypatch.setattr(module, "_where_it_was", shortcut)
            fast = reattach(anchor, notice)
            monkeypatch.setattr(module, "_where_it_was", lambda *_: None)
            assert reattach(anchor, notice) == fast
