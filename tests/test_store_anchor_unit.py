"""Anchoring on hand-built notices: quote first, then section, never a look-alike in another place."""

from __future__ import annotations

from zhenggai.loaders import Notice
from zhenggai.loaders.model import NoticeMeta, Paragraph, Place, Section
from zhenggai.loaders.outline import fingerprint
from zhenggai.store.anchor import Anchor, make_anchor, reattach

TEMPLATE = "强化组织领导,压实主体责任。"


def build(notice_id: str, sections: list[tuple[str, str, list[str]]]) -> Notice:
    """A notice of flat sections ``(id, title, paragraphs)``; offsets as the loader makes them."""
    body_lines: list[str] = []
    built: list[Section] = []
    offset = 0
    for section_id, title, lines in sections:
        paragraphs = []
        for i, line in enumerate(lines):
            paragraphs.append(Paragraph(line, offset, i == 0))
            body_lines.append(line)
            offset += len(line) + 1
        section = Section(section_id, section_id + "、", title, 1, "cn", paragraphs)
        section.fingerprint = fingerprint(section.text)
        built.append(section)
    meta = NoticeMeta(title="中共某市某区委关于巡察整改进展情况的通报", place=Place("甲省", "乙市", "丙区"))
    return Notice(notice_id, meta, "\n".join(body_lines), built)


ORIGINAL = [
    ("一", "组织领导", ["一、组织领导", "区委召开常委会会议12次,研究部署整改工作。", TEMPLATE]),
    ("二", "问题整改", ["二、问题整改", "巡察反馈的17个问题已完成整改14个。", TEMPLATE]),
    ("三", "下一步", ["三、下一步", "持续巩固整改成果。"]),
]


def test_span_anchor_keeps_exact_prefix_and_suffix() -> None:
    notice = build("n", ORIGINAL)
    anchor = make_anchor(notice, "二", "已完成整改14个")
    assert (anchor.exact, anchor.section_id, anchor.section_title) == ("已完成整改14个", "二", "问题整改")
    assert anchor.prefix.endswith("巡察反馈的17个问题") and len(anchor.prefix) <= 32
    end = notice.body.index("已完成整改14个") + len("已完成整改14个")
    assert anchor.suffix == notice.body[end : end + 32] and anchor.suffix.startswith("。\n强化组织领导")
    attached = reattach(anchor, notice)
    assert (attached.status, attached.section_id) == ("attached", "二")
    assert notice.body[attached.start : attached.end] == "已完成整改14个"


def test_reparsed_with_full_width_punctuation_and_new_line_breaks() -> None:
    notice = build("n", ORIGINAL)
    anchor = make_anchor(notice, "一", "区委召开常委会会议12次,研究部署整改工作")
    reparsed = build(
        "n",
        [
            (
                "一",
                "组织领导",
                ["一、组织领导", "区委召开常委会会议１２次，", "研究部署整改工作。", TEMPLATE],
            ),
            *ORIGINAL[1:],
        ],
    )
    attached = reattach(anchor, reparsed)
    assert (attached.status, attached.section_id) == ("attached", "一")
    assert reparsed.body[attached.start : attached.end] == "区委召开常委会会议１２次，\n研究部署整改工作"


def test_curly_and_straight_quotes_match() -> None:
    notice = build("n", [("一", "t", ["一、t", "整治“四风”问题。"])])
    anchor = make_anchor(notice, "一", "整治“四风”问题")
    assert reattach(anchor, build("n", [("一", "t", ["一、t", '整治"四风"问题。'])])).status == "attached"


def test_template_sentence_told_apart_by_context_even_after_reordering() -> None:
    notice = build("n", ORIGINAL)
    second = notice.body.rindex(TEMPLATE)
    anchor = make_anchor(notice, "二", TEMPLATE)
    assert notice.body.index(TEMPLATE) != second and anchor.prefix.endswith("已完成整改14个。\n")
    swapped = build("n", [ORIGINAL[1], ORIGINAL[0], ORIGINAL[2]])
    attached = reattach(anchor, swapped)
    assert (attached.status, attached.section_id) == ("attached", "二")
    assert attached.start == swapped.body.index(TEMPLATE)  # now the first occurrence


def test_ambiguous_quote_is_detached_not_guessed() -> None:
    notice = build("n", ORIGINAL)
    bare = Anchor("n", "九", "", TEMPLATE)  # no context, no section to confirm it
    attachment = reattach(bare, notice)
    assert attachment.status == "detached" and "several times" in attachment.reason


def test_ambiguous_quote_confirmed_by_its_unchanged_section() -> None:
    notice = build("n", ORIGINAL)
    section = notice.section("一")
    assert section is not None
    anchor = Anchor("n", "一", "组织领导", TEMPLATE, fingerprint=section.fingerprint)
    assert (reattach(anchor, notice).status, reattach(anchor, notice).section_id) == ("attached", "一")
    stale = Anchor("n", "一", "组织领导", TEMPLATE, fingerprint="0000")
    assert reattach(stale, notice).status == "detached"


def test_same_sentence_in_another_notice_is_never_used() -> None:
    notice = build("n", ORIGINAL)
    anchor = make_anchor(notice, "二", "巡察反馈的17个问题已完成整改14个")
    other = build("m", ORIGINAL)  # another district, same template text
    gone = build("n", [ORIGINAL[0], ("二", "问题整改", ["二、问题整改", "整改工作有序推进。"]), ORIGINAL[2]])
    attachment = reattach(anchor, gone)
    assert (
        attachment.status == "detached"
        and attachment.reason == "the quoted passage is no longer in the notice"
    )
    assert other.id != anchor.notice_id  # reattach only ever receives the anchor's own notice
    assert reattach(anchor, None).status == "detached"


def test_whole_section_anchor_falls_back_to_section_id() -> None:
    notice = build("n", ORIGINAL)
    anchor = make_anchor(notice, "三")
    assert anchor.whole_section and anchor.exact == "三、下一步"
    renamed_heading = build(
        "n", [*ORIGINAL[:2], ("三", "下一步", ["三、今后工作安排", "持续巩固整改成果。"])]
    )
    assert reattach(anchor, renamed_heading).status == "section"  # heading reworded; same id and title
    retitled = build("n", [*ORIGINAL[:2], ("三", "其他", ["三、其他", "另起一段。"])])
    assert reattach(anchor, retitled).status == "detached"


def test_anchor_round_trips_through_a_dict() -> None:
    anchor = make_anchor(build("n", ORIGINAL), "二", "已完成整改14个")
    assert Anchor.from_dict({**anchor.to_dict(), "unknown": 1}) == anchor


def test_normalised_offsets_match_a_character_by_character_count() -> None:
    """``_normal`` keeps a run table, not an offset per character: it answers as the per-character list
    would, both ways, on texts of every kind of whitespace, full-width and quotation marks."""
    import random
    import re
    from bisect import bisect_left

    from zhenggai.loaders.text import fold
    from zhenggai.store.anchor import _normalise, _plain_quotes

    def reference(text: str) -> tuple[str, list[int]]:
        folded = _plain_quotes(fold(text))
        kept = [(at, char) for at, char in enumerate(folded) if not re.fullmatch(r"\s", char)]
        return "".join(char for _, char in kept), [at for at, _ in kept]

    rng = random.Random(3)
    alphabet = "整改问题 \n\t\r，“”「」。ab1　\u2028\x1c\u00a0\u200b"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        normal, offsets = _normalise(text)
        expected, at = reference(text)
        assert normal == expected, text
        assert [offsets.original(i) for i in range(len(normal))] == at, text
        assert [offsets.normal(x) for x in range(len(text) + 2)] == [
            bisect_left(at, x) for x in range(len(text) + 2)
        ], text
