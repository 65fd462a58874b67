"""Teams, rounds, dates, page furniture, traditional characters and ids, with variants written here."""

from __future__ import annotations

import hashlib
import re

import opencc
import pytest

from zhenggai.loaders import Notice, fold, parse_bytes, parse_text
from zhenggai.loaders.ids import opening_hash
from zhenggai.loaders.ledger import extract_ledger
from zhenggai.loaders.text import decode_bytes, is_traditional

BODY = "一、整改工作开展情况\n区委高度重视,逐项推进。"


def one(text: str) -> Notice:
    [notice] = parse_text(text)[0]
    return notice


def with_team(team_sentence: str, title: str = "中共沈阳市和平区委关于巡视整改进展情况的通报") -> Notice:
    return one(f"{title}\n{team_sentence}\n{BODY}")


@pytest.mark.parametrize(
    ("sentence", "team", "round_", "level"),
    [
        (
            "根据中央统一部署,2021年5月6日至7月8日,中央第二巡视组对辽宁省进行了巡视。",
            "中央第二巡视组",
            None,
            "巡视",
        ),
        (
            "根据十九届中央第六轮巡视工作安排,中央第二巡视组对辽宁省进行了巡视。",
            "中央第二巡视组",
            "十九届中央第六轮",
            "巡视",
        ),
        ("2023年4月1日至6月1日,省委巡视七组对和平区开展了巡视。", "省委巡视七组", None, "巡视"),
        ("2023年4月1日至6月1日,市委巡视六组对黄浦区开展了巡视。", "市委巡视六组", None, "巡视"),
        (
            "按照区委部署,区委营商环境专项巡察组对区商务局开展了专项巡察。",
            "区委营商环境专项巡察组",
            None,
            "巡察",
        ),
        (
            "十三届省委第四轮巡视期间,省委第3巡视组对和平区进行了巡视。",
            "省委第3巡视组",
            "十三届省委第四轮",
            "巡视",
        ),
        (
            "第三巡视组对和平区进行了巡视。",
            "第三巡视组",
            None,
            "巡视",
        ),  # whose team it is, the text does not say
        ("巡视组对和平区进行了巡视,巡视组组长出席。", None, None, "巡视"),
        ("开展第三轮督查,推动巡视整改。", None, None, "巡视"),  # a bare 第三轮 far from 巡视 is no round
    ],
)
def test_teams_and_rounds_are_read_as_written(
    sentence: str, team: str | None, round_: str | None, level: str
) -> None:
    meta = with_team(sentence, f"中共沈阳市和平区委关于{level}整改进展情况的通报").meta
    assert (meta.team, meta.round, meta.level) == (team, round_, level)


@pytest.mark.parametrize(
    "sentence",
    [
        "根据中央统一部署,中央第三巡视组对湖北省进行了巡视“回头看”。",
        "中央巡视组于2016年6月30日进驻。",
        "按照十八届中央第十轮巡视安排开展巡视。",
        "省委第十六巡视组、省委第十七巡视组分别进行了巡视。",
        "市委第１巡察组对和平区开展了巡察。",
    ],
)
def test_a_team_or_round_is_never_output_unless_the_text_has_it(sentence: str) -> None:
    title = "中共湖北省委关于巡视整改进展情况的通报"
    meta = with_team(sentence, title).meta
    text = fold(title + sentence)
    for value in (meta.team, meta.round):
        assert value is None or value in text, value
    assert meta.team is None or not meta.team.startswith("省委") or "省委" in sentence


@pytest.mark.parametrize(
    ("text", "dates", "published"),
    [
        (  # a publication date in brackets on the title line is not the feedback date
            "中共和平区委关于省委巡视整改进展情况的通报(2024年3月5日)\n"
            "根据省委统一部署,2023年9月21日至11月30日,省委第三巡视组对和平区委进行了巡视。2024年1月7日反馈了巡视意见。",
            ("2023-09-21", "2023-11-30", "2024-01-07"),
            "2024-03-05",
        ),
        (
            "中共和平区委关于省委巡视整改进展情况的通报（2024年3月5日）\n"
            "省委第三巡视组于2023年9月21日至11月30日对和平区进行了巡视,并于12月20日反馈了巡视意见。",
            ("2023-09-21", "2023-11-30", "2023-12-20"),
            "2024-03-05",
        ),
        (  # the inspection sentence inside the first section
            "中共和平区委关于省委巡视整改进展情况的通报\n现将有关情况通报如下:\n一、巡视整改总体情况\n"
            "2023年9月21日至11月30日,省委第三巡视组对和平区开展了常规巡视,2024年1月7日向区委反馈了巡视意见。",
            ("2023-09-21", "2023-11-30", "2024-01-07"),
            None,
        ),
        (  # the date after the word: 反馈会议于…召开
            "中共和平区委关于省委巡视整改进展情况的通报\n"
            "2023年9月21日至11月30日,省委第三巡视组对和平区进行了巡视,巡视反馈会议于2024年1月9日召开。",
            ("2023-09-21", "2023-11-30", "2024-01-09"),
            None,
        ),
        (  # the date of another event in the sentence that says 反馈 is not the feedback's
            "中共和平区委关于省委巡视整改进展情况的通报(2024年3月)\n"
            "2023年9月21日至11月30日,省委第三巡视组对和平区进行了巡视。"
            "2023年9月20日召开巡视工作动员会议,巡视结束后向区委反馈了意见。",
            ("2023-09-21", "2023-11-30", None),
            None,
        ),
        (  # a range across a year; the feedback takes the year carried on
            "根据省委统一部署,2020年11月10日至2021年1月13日,省委第九巡视组对新昌县进行了巡视。3月4日,省委巡视组向新昌县委反馈了巡视意见。",
            ("2020-11-10", "2021-01-13", "2021-03-04"),
            None,
        ),
    ],
)
def test_dates(text: str, dates: tuple[str, str, str], published: str | None) -> None:
    meta = one(text + "\n二、整改落实情况\n区委高度重视。").meta
    assert (meta.inspection_start, meta.inspection_end, meta.feedback_date) == dates
    assert meta.publication_date == published


OPENING = (
    "根据省委统一部署,2023年9月21日至11月30日,省委第三巡视组对和平区进行了巡视,2024年1月7日反馈了巡视意见。"
)
TITLE = "中共沈阳市和平区委关于省委巡视整改进展情况的通报"


@pytest.mark.parametrize(
    "head",
    [
        f"{TITLE}\n• 发布时间:2024-03-27\n• 来源:和平区纪委监委\n• 作者:区委巡察办\n• 浏览次数:128",
        f"• 发布时间:2024-03-27 • 来源:和平区纪委监委\n{TITLE}\n【字体:大 中 小】 打印",
        f"{TITLE} • 发布时间:2024-03-27 • 来源:和平区纪委监委",
        f"标题:{TITLE}\n发布时间:2024-03-27 来源:和平区纪委监委",
        f"{TITLE}_和平区纪委监委\n发布时间:2024-03-27 来源:和平区纪委监委",
        f"{TITLE} - 和平区纪委监委\n发布时间:2024-03-27 来源:和平区纪委监委",
        f"当前位置:首页 > 巡视巡察 > 整改公开\n{TITLE}\n\n中共沈阳市和平区委\n"
        "关于省委巡视整改进展情况的通报\n发布日期:2024-03-27 信息来源:和平区纪委监委",
    ],
)
def test_page_furniture_never_reaches_the_title_or_the_body(head: str) -> None:
    notice = one(f"{head}\n{OPENING}\n{BODY}")
    assert notice.title == TITLE
    assert not notice.meta.title_derived
    assert notice.meta.publication_date == "2024-03-27"
    assert notice.meta.source == "和平区纪委监委"
    assert notice.body.startswith("根据省委统一部署")
    assert (notice.district, notice.meta.feedback_date) == ("和平区", "2024-01-07")


@pytest.mark.parametrize(
    ("line", "committee"),
    [
        ("宜城市关于十二届省委第三轮巡视集中整改进展情况的通报", "宜城市"),
        ("中共宜城市委关于省委巡视整改进展情况的公告", "中共宜城市委"),
        ("中共宜城市委关于省委巡视整改进展情况的通报（2023年12月）", "中共宜城市委"),
    ],
)
def test_title_forms(line: str, committee: str) -> None:
    notice = one(f"{line}\n根据省委统一部署,省委第十巡视组对宜城市进行了巡视。\n{BODY}")
    assert (notice.title, notice.meta.committee, notice.meta.title_derived) == (line, committee, False)
    assert notice.district == "宜城市"


def test_lines_that_are_not_titles() -> None:
    for line in (
        "全区关于巡视整改工作的情况",
        "某某集团关于巡视整改情况的通报",
        "区委召开常委会关于巡视整改情况",
    ):
        assert one(f"{line}\n根据省委统一部署,省委第十巡视组对宜城市进行了巡视。\n{BODY}").meta.title_derived


TRADITIONAL = (
    "中共宜城市委關於省委巡視整改進展情況的通報\n"
    "根據省委統一部署,2023年3月1日至5月10日,省委第十巡視組對宜城市進行了巡視,並於2023年6月20日反饋了巡視意見。\n"
    "一、整改工作開展情況\n"
    "市委高度重視。巡視反饋的20個問題已完成整改15個,基本完成5個。制定整改措施105條。\n"
    "（一）強化組織領導。成立巡視整改工作領導小組。"
)


@pytest.mark.parametrize("encoding", ["utf-8", "big5", "cp950"])
def test_traditional_notices_are_read_as_notices_and_shown_as_written(encoding: str) -> None:
    raw = TRADITIONAL.encode(encoding)
    assert decode_bytes(raw).text == TRADITIONAL
    [notice], warnings = parse_bytes(raw, "t.txt")
    assert warnings == []
    meta = notice.meta
    assert meta.title == "中共宜城市委關於省委巡視整改進展情況的通報"  # the file's own characters
    assert (notice.province, notice.city, notice.district) == ("湖北省", "襄阳市", "宜城市")
    assert (meta.team, meta.level, meta.feedback_date) == ("省委第十巡視組", "巡视", "2023-06-20")
    assert notice.body == TRADITIONAL.split("\n", 1)[1]
    assert [(s.id, s.title) for s in notice.walk()] == [
        ("preamble", "导语"),
        ("一", "整改工作開展情況"),
        ("一/(一)", "強化組織領導"),
    ]
    figures = {f.name: f.value for f in extract_ledger(notice).figures}
    assert figures["problems_total"] == 20 and figures["problems_basically_rectified"] == 5
    assert figures["measures"] == 105
    rectified = extract_ledger(notice).get("problems_rectified")
    assert rectified is not None and rectified.sentence == "巡視反饋的20個問題已完成整改15個,基本完成5個。"


def test_traditional_is_detected_and_simplified_text_is_not() -> None:
    assert is_traditional(TRADITIONAL)
    assert not is_traditional(opencc.OpenCC("t2s").convert(TRADITIONAL))
    assert not is_traditional("巡视整改进展情况:区委高度重视,对照问题清单逐项销号。")


def test_gbk_bytes_are_not_mistaken_for_big5() -> None:
    simplified = opencc.OpenCC("t2s").convert(TRADITIONAL)
    for length in (40, 120, len(simplified)):
        decoded = decode_bytes(simplified[:length].encode("gbk"))
        assert decoded.encoding == "gb18030" and decoded.text == simplified[:length]


def test_three_thousand_short_notices_never_share_an_id() -> None:
    ids = set()
    for n in range(3000):
        text = f"{TITLE}\n根据省委部署,省委第三巡视组对和平区进行了巡视,第{n}号意见已整改。\n一、整改\n区委。"
        ids.add(one(text).id)
    assert len(ids) == 3000
    assert all(re.fullmatch(r"liaoning-shenyang-heping-[0-9a-f]{12}", i) for i in ids)


def test_the_id_hash_is_48_bits_and_keeps_the_old_16_as_prefix() -> None:
    hashed = opening_hash("根据省委统一部署,省委第三巡视组")
    assert re.fullmatch(r"[0-9a-f]{12}", hashed)
    old = hashlib.blake2b("根据省委统一部署省委第三巡视组".encode(), digest_size=2).hexdigest()
    assert hashed.startswith(old)  # an id of an earlier version is a unique prefix of today's
    notice = one(f"{TITLE}\n{OPENING}\n{BODY}")
    width_variant = one(f"{TITLE}\n{OPENING.replace(',', '，')}\n{BODY}")
    assert notice.id == width_variant.id
