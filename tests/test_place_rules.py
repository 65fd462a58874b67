"""Which place a notice is about, by category of issuer, with variants written for these tests."""

from __future__ import annotations

import csv
import re

import pytest

from zhenggai.loaders import Notice, parse_text
from zhenggai.loaders.data import data_file
from zhenggai.loaders.divisions import division_table
from zhenggai.loaders.places import read_place_words

OPENING = (
    "根据{owner}统一部署,{year}年3月1日至5月10日,{team}对{target}进行了{level}。"
    "{year}年6月20日反馈了{level}意见。"
)
BODY = "一、整改工作开展情况\n高度重视整改工作,逐项推进。"


def notice(
    title: str | None,
    *,
    target: str,
    team: str = "省委第二巡视组",
    owner: str = "省委",
    level: str = "巡视",
    year: int = 2023,
    source: str | None = None,
) -> Notice:
    lines = [title] if title else []
    if source:
        lines.append(f"发布时间:{year}-09-01 来源:{source}")
    lines.append(OPENING.format(owner=owner, team=team, target=target, level=level, year=year))
    lines.append(BODY)
    [parsed] = parse_text("\n".join(lines))[0]
    return parsed


def place(n: Notice) -> tuple[str | None, str | None, str | None, str | None]:
    p = n.meta.place
    return (p.province, p.city, p.district, p.adcode)


@pytest.mark.parametrize(
    ("committee", "target", "want"),
    [
        ("中共广元市委", "广元市", ("四川省", "广元市", None, None)),
        ("中共吉林市委", "吉林市", ("吉林省", "吉林市", None, None)),  # 吉林 is a province's short name too
        ("中共延边州委", "延边州", ("吉林省", "延边朝鲜族自治州", None, None)),
        ("中共大理白族自治州委员会", "大理州", ("云南省", "大理白族自治州", None, None)),
        ("中共黔东南州委", "黔东南州", ("贵州省", "黔东南苗族侗族自治州", None, None)),
    ],
)
def test_prefecture_committee_after_a_provincial_inspection(
    committee: str, target: str, want: tuple[str | None, ...]
) -> None:
    n = notice(f"{committee}关于省委巡视整改进展情况的通报", target=target)
    assert place(n) == want
    assert n.meta.place.evidence == f"title: {committee}"


@pytest.mark.parametrize(
    ("title", "target", "owner", "want"),
    [
        ("中共湖北省委关于中央巡视整改进展情况的通报", "湖北省", "党中央", "湖北省"),
        (
            "中共广西壮族自治区委员会关于中央巡视整改进展情况的通报",
            "广西壮族自治区",
            "党中央",
            "广西壮族自治区",
        ),
        ("中共北京市委关于中央巡视整改进展情况的通报", "北京市", "党中央", "北京市"),
        (None, "湖北省", "中央", "湖北省"),
        (None, "中共甘肃省委", "中央", "甘肃省"),
    ],
)
def test_province_committee_after_a_central_inspection(
    title: str | None, target: str, owner: str, want: str
) -> None:
    n = notice(title, target=target, owner=owner, team="中央第三巡视组")
    assert place(n) == (want, None, None, None)
    assert n.meta.team == "中央第三巡视组"
    assert (
        n.id.split("-")[0]
        == {"湖北省": "hubei", "广西壮族自治区": "guangxi", "北京市": "beijing", "甘肃省": "gansu"}[want]
    )


@pytest.mark.parametrize(
    ("title", "target", "want"),
    [
        ("宜城市委关于省委巡视整改进展情况的通报", "宜城市", ("湖北省", "襄阳市", "宜城市", "420684")),
        ("中共庄河市委关于省委巡视整改进展情况的通报", "庄河市", ("辽宁省", "大连市", "庄河市", "210283")),
        (None, "海城市", ("辽宁省", "鞍山市", "海城市", "210381")),
    ],
)
def test_county_level_city(title: str | None, target: str, want: tuple[str | None, ...]) -> None:
    assert place(notice(title, target=target)) == want


@pytest.mark.parametrize(
    ("committee", "want"),
    [
        ("中共郑州经开区党工委", ("河南省", "郑州市", "郑州经开区", None)),
        ("中共郑州经济技术开发区工作委员会", ("河南省", "郑州市", "郑州经济技术开发区", None)),
        ("中共成都高新区工委", ("四川省", "成都市", "成都高新区", None)),
        ("中共广州南沙新区工委", ("广东省", "广州市", "南沙新区", None)),
        ("中共湖州市南太湖新区工作委员会", ("浙江省", "湖州市", "南太湖新区", None)),
        ("中共苏州工业园区工作委员会", ("江苏省", "苏州市", "苏州工业园区", "320576")),  # in the table
        ("中共重庆两江新区工作委员会", ("重庆市", "重庆市", "两江新区", "500157")),  # a zone the table lists
    ],
)
def test_development_zones_keep_their_label_under_the_host_city(
    committee: str, want: tuple[str | None, ...]
) -> None:
    n = notice(
        f"{committee}关于市委巡察整改进展情况的通报",
        target="党工委",
        team="市委第三巡察组",
        owner="市委",
        level="巡察",
    )
    assert place(n) == want


@pytest.mark.parametrize(
    ("committee", "team", "want"),
    [
        ("中共襄阳市襄州区教育局党组", "区委第一巡察组", ("湖北省", "襄阳市", "襄州区", "420607")),
        ("中共宜城市郑集镇委员会", "市委第二巡察组", ("湖北省", "襄阳市", "宜城市", "420684")),
        ("中共沈阳市和平区南湖街道工作委员会", "区委第三巡察组", ("辽宁省", "沈阳市", "和平区", "210102")),
        ("中共襄阳市教育局党组", "市委第四巡察组", ("湖北省", "襄阳市", None, None)),
        ("中共湖北省教育厅党组", "省委第五巡视组", ("湖北省", None, None, None)),
        ("中共襄阳城投集团有限公司委员会", "市委第四巡察组", (None, None, None, None)),  # a name, not a place
        ("中共吉林大学委员会", "省委第五巡视组", (None, None, None, None)),
        ("中共区行政审批局党组", "区委第一巡察组", (None, None, None, None)),
    ],
)
def test_bureaus_townships_schools_and_enterprises_take_the_inspecting_place(
    committee: str, team: str, want: tuple[str | None, ...]
) -> None:
    level = "巡视" if "巡视" in team else "巡察"
    n = notice(
        f"{committee}关于{level}整改进展情况的通报", target="我单位", team=team, owner=team[:2], level=level
    )
    assert place(n) == want


def test_a_notice_that_never_names_its_place_keeps_its_source_line_else_nothing() -> None:
    nameless = notice(None, target="我县", team="县委第一巡察组", owner="县委", level="巡察")
    assert place(nameless) == (None, None, None, None)
    assert nameless.meta.place.evidence is None
    assert re.fullmatch(r"2023-[0-9a-f]{12}", nameless.id)
    sourced = notice(
        None, target="我县", team="县委第一巡察组", owner="县委", level="巡察", source="新昌县纪委监委"
    )
    assert place(sourced) == ("浙江省", "绍兴市", "新昌县", "330624")
    assert sourced.meta.place.evidence == "source: 新昌县纪委监委"
    titled = parse_text(
        "关于县委巡察整改进展情况的通报\n"
        + OPENING.format(owner="县委", team="县委第一巡察组", target="我县", level="巡察", year=2023)
        + "\n"
        + BODY
    )[0][0]
    assert titled.title == "关于县委巡察整改进展情况的通报" and not titled.meta.title_derived
    assert place(titled) == (None, None, None, None)


def test_a_province_committee_stays_a_province_when_its_opening_names_cities() -> None:
    text = "中共湖北省委关于中央巡视整改进展情况的通报\n" + OPENING.format(
        owner="党中央", team="中央第三巡视组", target="湖北省", level="巡视", year=2023
    )
    text += "\n一、整改情况\n武汉市委、襄阳市委和宜城市委认真落实整改要求。"
    [n] = parse_text(text)[0]
    assert place(n) == ("湖北省", None, None, None)


def test_body_mentions_of_other_places_are_not_the_notice_place() -> None:
    text = OPENING.format(
        owner="县委", team="县委第一巡察组", target="县农业农村局党组", level="巡察", year=2023
    )
    text += "\n一、整改情况\n学习借鉴沈阳市和平区、大连市中山区的经验,推动整改。"
    text += "\n《郑州市委巡察整改情况公开办法》"
    [n] = parse_text(text)[0]
    assert place(n) == (None, None, None, None)


@pytest.mark.parametrize(
    ("title", "target", "team", "owner"),
    [
        ("中共许昌市东城区委关于市委巡察整改进展情况的通报", "东城区", "市委第二巡察组", "市委"),
        (None, "许昌市东城区", "市委第二巡察组", "市委"),
        ("中共东城区委关于市委巡察整改进展情况的通报", "许昌市东城区", "市委第二巡察组", "市委"),
        ("中共东城区委关于市委巡察整改进展情况的通报", "东城区", "许昌市委第二巡察组", "许昌市委"),
    ],
)
def test_a_stated_city_is_never_contradicted(title: str | None, target: str, team: str, owner: str) -> None:
    n = notice(title, target=target, team=team, owner=owner, level="巡察")
    assert place(n) == ("河南省", "许昌市", "东城区", None)  # never 北京市东城区
    assert n.id.startswith("henan-xuchang-2023-")  # the unresolved district is not in the id


@pytest.mark.parametrize(
    ("district", "owner", "team", "want"),
    [
        ("城中区", "省委", "省委第三巡视组", ("青海省", "西宁市", "城中区", "630103")),
        ("城中区", "自治区党委", "自治区党委第三巡视组", ("广西壮族自治区", "柳州市", "城中区", "450202")),
        ("朝阳区", "市委", "市委第五巡视组", ("北京市", "北京市", "朝阳区", "110105")),
        ("朝阳区", "省委", "省委第五巡视组", ("吉林省", "长春市", "朝阳区", "220104")),
        (
            "鼓楼区",
            "省委",
            "省委第五巡视组",
            (None, None, "鼓楼区", None),
        ),  # 南京, 徐州, 福州, 开封: unresolved
    ],
)
def test_the_inspector_rules_out_look_alikes(
    district: str, owner: str, team: str, want: tuple[str | None, ...]
) -> None:
    n = notice(f"中共{district}委关于巡视整改进展情况的通报", target=district, team=team, owner=owner)
    assert place(n) == want


def test_look_alikes_are_also_told_apart_by_the_city_the_text_names() -> None:
    n = notice("中共鼓楼区委关于省委巡视整改进展情况的通报", target="徐州市鼓楼区")
    assert place(n) == ("江苏省", "徐州市", "鼓楼区", "320302")


@pytest.mark.parametrize(
    ("title", "year", "want"),
    [
        ("中共芜湖县委", 2019, ("安徽省", "芜湖市", "芜湖县", "340221")),
        ("中共芜湖市湾沚区委", 2021, ("安徽省", "芜湖市", "湾沚区", "340210")),
        ("中共南通市崇川区委", 2019, ("江苏省", "南通市", "崇川区", "320602")),
        ("中共南通市崇川区委", 2022, ("江苏省", "南通市", "崇川区", "320613")),
        ("中共公主岭市委", 2019, ("吉林省", "四平市", "公主岭市", "220381")),
        ("中共公主岭市委", 2022, ("吉林省", "长春市", "公主岭市", "220184")),
        ("中共莱芜市莱城区委", 2018, ("山东省", "莱芜市", "莱城区", "371202")),
        ("中共济南市莱芜区委", 2021, ("山东省", "济南市", "莱芜区", "370116")),
        ("中共户县委", 2016, ("陕西省", "西安市", "户县", "610125")),
    ],
)
def test_renamed_and_moved_divisions_resolve_by_the_notice_date(
    title: str, year: int, want: tuple[str | None, ...]
) -> None:
    n = notice(f"{title}关于省委巡视整改进展情况的通报", target="我区", year=year)
    assert place(n) == want


def test_the_change_history_is_consistent_with_the_table() -> None:
    table = division_table()
    with data_file("division_changes.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and set(rows[0]) == {"old_code", "old_name", "new_code", "new_name", "date", "kind"}
    for row in rows:
        assert re.fullmatch(r"\d{6}", row["old_code"]) and re.fullmatch(
            r"20(1[6-9]|2[0-4])-\d{2}", row["date"]
        )
        if row["new_code"].endswith("00"):
            assert table.cities[row["new_code"][:4]] == row["new_name"], row
        else:
            assert table.counties[row["new_code"]] == row["new_name"], row


def test_place_words_read_the_longest_names() -> None:
    words = read_place_words("中共襄阳市襄州区教育局党组")
    assert (words.city_codes, words.county, words.unit) == (("4206",), "襄州区", "教育局")
    assert read_place_words("中共中山区委").county == "中山区"  # not the city 中山 + 区委
    assert read_place_words("中共长阳县委").county == "长阳县"  # 长阳土家族自治县
    assert division_table().place(division_table().divisions("长阳县")[0]).district == "长阳土家族自治县"


def test_show_json_says_why_a_place_was_chosen() -> None:
    n = notice("中共沈阳市和平区委关于省委巡视整改进展情况的通报", target="和平区")
    data = n.to_dict()
    assert data["place_evidence"] == "title: 中共沈阳市和平区委"
    assert (data["province"], data["city"], data["district"], data["adcode"]) == (
        "辽宁省",
        "沈阳市",
        "和平区",
        "210102",
    )
