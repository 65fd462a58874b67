"""The bundled sample notices load into exactly the notices, places, metadata and outlines they hold."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from zhenggai.loaders import Corpus, Notice, clean, decode_bytes, load_corpus, sample_data_paths
from zhenggai.loaders.meta import is_title_line

EXPECTED_PLACES = [
    ("gansu-dingxi-anding-33beb8b601d1", "甘肃省", "定西市", "安定区"),
    ("hunan-zhuzhou-lusong-2021-c6f36952a977", "湖南省", "株洲市", "芦淞区"),
    ("jiangsu-xuzhou-gulou-2023-4cbd4e86b2ea", "江苏省", "徐州市", "鼓楼区"),
    ("liaoning-shenyang-heping-2024-2c8342fdd6d2", "辽宁省", "沈阳市", "和平区"),
    ("liaoning-shenyang-shenhe-2024-5ab22e118e2e", "辽宁省", "沈阳市", "沈河区"),
    ("liaoning-shenyang-tiexi-2024-721430087126", "辽宁省", "沈阳市", "铁西区"),
    ("liaoning-shenyang-huanggu-2024-7f94a83428db", "辽宁省", "沈阳市", "皇姑区"),
    ("liaoning-shenyang-dadong-2024-1d8f9b1ee7ca", "辽宁省", "沈阳市", "大东区"),
    ("liaoning-shenyang-hunnan-2024-a4eabcb84798", "辽宁省", "沈阳市", "浑南区"),
    ("liaoning-shenyang-yuhong-2024-3f8b52ab001e", "辽宁省", "沈阳市", "于洪区"),
    ("liaoning-shenyang-shenbei-2024-9f3fa8204be0", "辽宁省", "沈阳市", "沈北新区"),
    ("liaoning-shenyang-sujiatun-2024-52472f505c28", "辽宁省", "沈阳市", "苏家屯区"),
    ("liaoning-shenyang-kangping-2024-ae61224f3965", "辽宁省", "沈阳市", "康平县"),
    ("liaoning-dalian-zhongshan-2024-ef7ae42ad5ca", "辽宁省", "大连市", "中山区"),
    ("liaoning-dalian-xigang-2024-aad597d97951", "辽宁省", "大连市", "西岗区"),
    ("liaoning-dalian-shahekou-2024-269cfe27be89", "辽宁省", "大连市", "沙河口区"),
    ("liaoning-dalian-ganjingzi-2024-0583d0b6839c", "辽宁省", "大连市", "甘井子区"),
    ("liaoning-dalian-lvshunkou-2024-f0b2b7040540", "辽宁省", "大连市", "旅顺口区"),
    ("liaoning-dalian-pulandian-2024-b906ceae4f59", "辽宁省", "大连市", "普兰店区"),
    ("liaoning-dalian-jinzhou-2024-6253c12c8feb", "辽宁省", "大连市", "金州区"),
    ("liaoning-anshan-tiedong-2024-cb7d2715e77e", "辽宁省", "鞍山市", "铁东区"),
    ("liaoning-anshan-tiexi-2024-46834a268af0", "辽宁省", "鞍山市", "铁西区"),
    ("liaoning-anshan-lishan-2024-34ffb8df1dda", "辽宁省", "鞍山市", "立山区"),
    ("liaoning-fushun-xinfu-2024-4b10cf8def3a", "辽宁省", "抚顺市", "新抚区"),
    ("liaoning-fushun-wanghua-2024-5083a7ffb6bd", "辽宁省", "抚顺市", "望花区"),
    ("liaoning-fushun-dongzhou-2024-4d178546769b", "辽宁省", "抚顺市", "东洲区"),
    ("liaoning-fushun-shuncheng-2024-c3dec6a374d8", "辽宁省", "抚顺市", "顺城区"),
    ("liaoning-benxi-pingshan-2024-5845f7f81a3e", "辽宁省", "本溪市", "平山区"),
    ("liaoning-benxi-xihu-2024-b132ffa9f50e", "辽宁省", "本溪市", "溪湖区"),
    ("liaoning-benxi-nanfen-2024-fd62914d84c1", "辽宁省", "本溪市", "南芬区"),
    ("liaoning-dandong-zhenan-2024-e82cd1e2b858", "辽宁省", "丹东市", "振安区"),
    ("liaoning-dandong-zhenxing-2024-66507630012a", "辽宁省", "丹东市", "振兴区"),
    ("liaoning-dandong-yuanbao-2024-bbbc3cda7e19", "辽宁省", "丹东市", "元宝区"),
    ("liaoning-jinzhou-guta-2024-9ad5a67e055d", "辽宁省", "锦州市", "古塔区"),
    ("liaoning-jinzhou-linghe-2024-a0c1fd8b9ecc", "辽宁省", "锦州市", "凌河区"),
    ("liaoning-jinzhou-taihe-2024-8fe9e3050d72", "辽宁省", "锦州市", "太和区"),
    ("liaoning-yingkou-laobian-2024-36d459f5dd8c", "辽宁省", "营口市", "老边区"),
    ("liaoning-yingkou-zhanqian-2024-b3ebd35965bd", "辽宁省", "营口市", "站前区"),
    ("liaoning-yingkou-xishi-2024-653a77dd1707", "辽宁省", "营口市", "西市区"),
    ("liaoning-fuxin-haizhou-2024-65c55de63541", "辽宁省", "阜新市", "海州区"),
    ("liaoning-fuxin-xihe-2024-5b4fdf35c633", "辽宁省", "阜新市", "细河区"),
    ("liaoning-fuxin-taiping-2024-50823cd20013", "辽宁省", "阜新市", "太平区"),
    ("liaoning-fuxin-qinghemen-2024-037025f69ac5", "辽宁省", "阜新市", "清河门区"),
    ("liaoning-liaoyang-baita-2024-4bf00c88c645", "辽宁省", "辽阳市", "白塔区"),
    ("liaoning-liaoyang-wensheng-2024-d30e9369558e", "辽宁省", "辽阳市", "文圣区"),
    ("liaoning-liaoyang-hongwei-2024-a2c3deb8ccea", "辽宁省", "辽阳市", "宏伟区"),
    ("liaoning-liaoyang-taizihe-2024-df7d84250a56", "辽宁省", "辽阳市", "太子河区"),
    ("liaoning-tieling-qinghe-2024-ea2deb765f2a", "辽宁省", "铁岭市", "清河区"),
    ("liaoning-zhaoyang-longcheng-2024-c2a7caefc5fc", "辽宁省", "朝阳市", "龙城区"),
    ("liaoning-huludao-lianshan-2024-0cedf0261e17", "辽宁省", "葫芦岛市", "连山区"),
    ("liaoning-huludao-longgang-2024-35db4f69e336", "辽宁省", "葫芦岛市", "龙港区"),
    ("liaoning-huludao-nanpiao-2024-53d33f70e4b9", "辽宁省", "葫芦岛市", "南票区"),
    ("shaanxi-xian-gaoling-2021-3c686f017966", "陕西省", "西安市", "高陵区"),
]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


def by_district(corpus: Corpus, district: str, city: str | None = None) -> Notice:
    found = [n for n in corpus.notices if n.district == district and (city is None or n.city == city)]
    assert len(found) == 1, [n.id for n in found]
    return found[0]


def test_sample_files_are_found_through_the_package() -> None:
    names = sorted(p.name for p in sample_data_paths())
    assert names == [
        "gansu-dingxi-anding-2022-xuncha.txt",
        "hunan-zhuzhou-lusong-2021.txt",
        "jiangsu-xuzhou-gulou-2024.txt",
        "liaoning-2024-provincial-round4-49-districts.txt",
        "shaanxi-xian-gaoling-2022.txt",
    ]


def test_all_53_notices_load_with_their_places(corpus: Corpus) -> None:
    assert corpus.skipped == []
    assert corpus.warnings == []
    got = [(n.id, n.province, n.city, n.district) for n in corpus.notices]
    assert got == EXPECTED_PLACES
    assert len(corpus.notices) == 53
    per_file = Counter(Path(n.file).name for n in corpus.notices)
    assert per_file["liaoning-2024-provincial-round4-49-districts.txt"] == 49


def test_two_tiexi_districts_are_told_apart(corpus: Corpus) -> None:
    tiexi = sorted((n.city, n.meta.place.adcode) for n in corpus.notices if n.district == "铁西区")
    assert tiexi == [("沈阳市", "210106"), ("鞍山市", "210303")]


def test_title_less_notices_take_their_district_from_the_body(corpus: Corpus) -> None:
    anding = by_district(corpus, "安定区")
    assert anding.meta.title_derived
    assert anding.title == "中共定西市安定区委关于五届市委第一轮巡察整改进展情况的通报"
    assert (anding.province, anding.city, anding.meta.place.adcode) == ("甘肃省", "定西市", "621102")
    gaoling = by_district(corpus, "高陵区")
    assert gaoling.meta.title_derived
    assert gaoling.meta.committee == "中共西安市高陵区委"  # from the signature, not invented
    assert gaoling.title == "中共西安市高陵区委关于巡视整改进展情况的通报"
    titled = [n for n in corpus.notices if not n.meta.title_derived]
    assert len(titled) == 51


def test_every_dated_notice_has_inspection_period_and_feedback_date(corpus: Corpus) -> None:
    undated = [n.district for n in corpus.notices if n.meta.inspection_start is None]
    assert undated == ["安定区"]  # its text gives no dates for the inspection
    for notice in corpus.notices:
        if notice.district == "安定区":
            continue
        meta = notice.meta
        assert meta.inspection_start and meta.inspection_end and meta.feedback_date, notice.id
        assert meta.inspection_start < meta.inspection_end < meta.feedback_date, notice.id


def test_heping_metadata(corpus: Corpus) -> None:
    meta = by_district(corpus, "和平区").meta
    assert meta.title == "中共沈阳市和平区委关于十三届省委第四轮巡视第三巡视组巡视反馈意见整改落实情况的通报"
    assert meta.committee == "中共沈阳市和平区委"
    assert meta.level == "巡视"
    assert meta.round == "十三届省委第四轮"
    assert meta.team == "省委第三巡视组"
    assert meta.kinds == ["常规", "营商环境专项"]
    assert (meta.inspection_start, meta.inspection_end) == ("2023-09-21", "2023-11-30")
    assert meta.feedback_date == "2024-01-07"
    assert meta.publication_date is None and meta.source is None and meta.signature_date is None


def test_collection_header_round_applies_to_notices_that_do_not_name_it(corpus: Corpus) -> None:
    liaoning = [n for n in corpus.notices if n.province == "辽宁省"]
    assert {n.meta.round for n in liaoning} == {"十三届省委第四轮"}
    assert {n.meta.level for n in liaoning} == {"巡视"}
    teams = Counter(n.meta.team for n in liaoning)
    assert teams["省委第十七巡视组"] == 1 and teams["省委第十六巡视组"] == 1
    assert all(t and t.startswith("省委第") for t in teams)


def test_web_chrome_becomes_metadata(corpus: Corpus) -> None:
    gulou = by_district(corpus, "鼓楼区").meta
    assert (gulou.publication_date, gulou.source) == ("2024-03-27", "清风扬帆网")
    assert gulou.signature_date == "2024-03-15"
    assert (gulou.inspection_start, gulou.inspection_end, gulou.feedback_date) == (
        "2023-04-17",
        "2023-06-28",
        "2023-10-11",  # "并于10月11日进行了反馈": the year carried over
    )
    lusong = by_district(corpus, "芦淞区").meta
    assert (lusong.publication_date, lusong.source) == ("2021-09-17", "三湘风纪网")
    assert (lusong.inspection_start, lusong.inspection_end) == ("2020-11-30", "2021-01-22")
    assert lusong.feedback_date == "2021-04-01"
    gaoling = by_district(corpus, "高陵区").meta
    assert gaoling.signature_date == "2022-05-06"
    assert (gaoling.inspection_start, gaoling.inspection_end, gaoling.feedback_date) == (
        "2020-10-21",
        "2020-12-15",
        "2021-02-23",
    )


def test_outline_of_gulou(corpus: Corpus) -> None:
    notice = by_district(corpus, "鼓楼区")
    assert [s.id for s in notice.sections] == ["preamble", "一", "二", "三", "closing"]
    second = notice.section("二")
    assert second is not None
    assert [c.id for c in second.children] == [f"二/({n})" for n in "一二三四五六七八九十"] + [
        f"二/(十{n})" for n in "一二三四五六七八九"
    ]
    section = notice.section("二/(十七)")
    assert section is not None
    assert section.title == "关于“工程建设存在‘潜规则’”问题的整改"
    assert [c.id for c in section.children] == ["二/(十七)/1", "二/(十七)/2", "二/(十七)/3"]
    closing = notice.section("closing")
    assert closing is not None
    assert [p.text for p in closing.paragraphs][-2:] == ["中共徐州市鼓楼区委员会", "2024年3月15日"]


def test_outline_of_lusong_keeps_compound_and_digit_led_numbers(corpus: Corpus) -> None:
    notice = by_district(corpus, "芦淞区")
    ids = [s.id for s in notice.walk()]
    assert "二/(四)/12/(35-1)" in ids and "二/(四)/12/(35-4)" in ids
    assert "二/(四)/13" in ids  # "13.2019年省审计厅…" continues 12. and is a heading
    assert "二/(四)/13/(36-1)" in ids
    thirteen = notice.section("二/(四)/13")
    assert thirteen is not None and thirteen.title.startswith("2019年省审计厅经责审计发现问题44个")


def test_outline_of_anding_has_problem_items(corpus: Corpus) -> None:
    notice = by_district(corpus, "安定区")
    two = notice.section("二")
    assert two is not None
    assert [c.id for c in two.children] == [f"二/问题{i}" for i in range(1, 18)]
    first = notice.section("二/问题1")
    assert first is not None and first.title == "项目谋划深度不够"
    run_on = notice.section("一/(一)")
    assert run_on is not None and run_on.title == "加强组织领导"  # cut at the first 。


def test_paragraphs_equal_body_and_section_ids_are_unique(corpus: Corpus) -> None:
    for notice in corpus.notices:
        paragraphs = list(notice.paragraphs())
        assert "\n".join(p.text for p in paragraphs) == notice.body, notice.id
        for paragraph in paragraphs:
            assert notice.body[paragraph.start : paragraph.end] == paragraph.text
        ids = [s.id for s in notice.walk()]
        assert len(ids) == len(set(ids)), notice.id
        assert all(s.fingerprint and len(s.fingerprint) == 12 for s in notice.walk())


DROPPED_CHROME = {
    "gansu-dingxi-anding-2022-xuncha.txt": [],
    "hunan-zhuzhou-lusong-2021.txt": [
        "设为主页 加入收藏",
        "编辑:不详 发表时间:2021-09-17 11:50 来源:三湘风纪网",
        "分享到微信朋友圈 x",
        "打开微信,点击底部的“发现”,",
        "使用“扫一扫”即可将网页分享至朋友圈",
    ],
    "jiangsu-xuzhou-gulou-2024.txt": [
        "发布日期:2024-03-27 信息来源:清风扬帆网 字号:[ ]",
        "Produced By 大汉网络 大汉版通发布系统",
    ],
    "liaoning-2024-provincial-round4-49-districts.txt": [
        "十三届省委第四轮巡视整改进展情况全部公开",
        "近期,十三届省委第四轮巡视的沈阳市和平区等49个被巡视党组织陆续向社会公开了整改进展情况。"
        "按照工作安排,现向社会集中公布十三届省委第四轮巡视整改进展情况。",
    ],
    "shaanxi-xian-gaoling-2022.txt": [],
}


@pytest.mark.parametrize("path", sample_data_paths(), ids=lambda p: p.name)
def test_no_line_of_a_sample_file_is_lost(corpus: Corpus, path: Path) -> None:
    text = clean(decode_bytes(path.read_bytes()).text)
    lines = [line.strip(" \t\u3000") for line in text.split("\n") if line.strip(" \t\u3000")]
    notices = [n for n in corpus.notices if n.file == str(path)]
    kept = []
    for notice in notices:
        if not notice.meta.title_derived:
            kept.append(notice.title)
        kept.extend(p.text for p in notice.paragraphs())
    dropped = list((Counter(lines) - Counter(kept)).elements())
    assert sorted(dropped) == sorted(DROPPED_CHROME[path.name])
    assert not Counter(kept) - Counter(lines)  # nothing invented


def test_title_lines() -> None:
    assert is_title_line("中共营口市站前区党委关于省委巡视整改落实进展情况的通报")
    assert is_title_line("中共老边区委关于省委巡视整改落实进展情况的通报(社会公开稿)")
    assert is_title_line("中共甘井子区委关于省委巡视整改落实进展情况的通报（社会公开）")
    assert is_title_line("中共葫芦岛市连山区委关于十三届省委第四轮整改进展情况的通报")
    assert not is_title_line("十三届省委第四轮巡视整改进展情况全部公开")
    assert not is_title_line("(一)关于常规巡视整改落实情况")
    assert not is_title_line(
        "沈河区委坚决贯彻落实党中央决策部署和习近平总书记关于巡视工作的重要论述,认真对照巡视反馈意见。"
    )
