"""Who issues a notice, who inspected it, and the words that say which place it is about.

The place of a notice is its issuer's: the committee in the title or the signature, else the body the
opening says was inspected (``省委第二巡视组对达州市通川区开展了常规巡视``, ``向新昌县委反馈``), else a
committee the opening names at work (``宜城市委坚决…``), else the page's source line.  A bureau's,
school's or township's notice after a 巡察 is about the district, county or city that made the 巡察:
its committee's name starts with that place (``中共襄阳市襄州区教育局党组``) or names none (then the
notice keeps what its source line gives, else nothing).
"""

from __future__ import annotations

import re

from .divisions import division_table
from .places import PlaceWords, read_place_words

_N = "一二三四五六七八九十百零〇0123456789"
#: The inspected body in the opening: 对…进行/开展了…巡视, 向…反馈, 巡察安定区情况…
_TARGETS = (
    re.compile(r"对([^,;。:、()《》]{2,30}?)(?:进行|开展|实施)了?[^。;]{0,24}?(?:巡视|巡察)"),
    re.compile(r"向([^,;。:、()《》]{2,30}?)(?:进行了|作了|)?反馈"),
    re.compile(r"进驻([^,;。:、()《》]{2,30}?)(?:开展|进行)"),
    re.compile(r"(?:巡视|巡察)了?([^,;。:、()《》组]{2,16}?)(?:有关|情况|期间|工作|的|,|。)"),
)
#: A committee the text names at work: 宜城市委, 通川区委, 中共达州市通川区委员会.
_COMMITTEE_MENTION = re.compile(r"([\u4e00-\u9fff]{2,20}?(?:区|县|市|旗|州|盟))(?:委员会|党工委|党委|委)")
_DOC_TITLE = re.compile(r"《[^》]*》")
_CENTRAL = re.compile(rf"中央(?:第[{_N}]{{1,3}})?巡视组|中央巡视")
_REGION = re.compile(rf"自治区党委|(?<![省市县])区党委(?:第[{_N}]{{1,3}})?巡视")
_PROVINCE = re.compile(rf"省委(?:第[{_N}]{{1,3}})?巡视|省委巡视|省委(?:统一)?部署")
#: A team: 市委第六巡视组, 市委巡视六组, 区委营商环境专项巡察组, 市委巡察 (not the issuer's 区委关于…巡视).
_TEAM_OWNER = re.compile(
    rf"(市委|州委|盟委|地委|区委|县委|旗委)(?:[\u4e00-\u9fff]{{2,8}}专项)?"
    rf"(?:第[{_N}]{{1,3}})?(巡视|巡察)"
)


def inspector_of(head: str) -> str | None:
    """Who inspected, from the title and opening.

    Returns ``central`` (中央), ``region`` (自治区党委), ``province`` (省委), ``municipality`` (a 市委
    巡视: 北京, 天津, 上海, 重庆), ``city`` (a 市委/州委 巡察), ``county`` (区委/县委 巡察) or None.
    """
    if _CENTRAL.search(head):
        return "central"
    if _REGION.search(head):
        return "region"
    if _PROVINCE.search(head):
        return "province"
    match = _TEAM_OWNER.search(head)
    if match is None:
        return None
    owner, level = match.groups()
    if owner == "市委":
        return "municipality" if level == "巡视" else "city"
    if owner in ("州委", "盟委", "地委"):
        return "city"
    return "county"


def _division_suffix(span: str, where: str) -> PlaceWords | None:
    """The longest tail of ``span`` that reads wholly as place names (…要求宜城市 → 宜城市)."""
    table = division_table()
    for start in range(0, max(0, len(span) - 1)):
        if span[start : start + 2] not in table.name_starts:
            continue
        words = read_place_words(span[start:], where)
        if words.unit or words.zone or not words.names_place:
            continue
        if words.county is None or table.is_county_name(words.county):
            return words
    return None


def committee_mentions(text: str, where: str) -> list[PlaceWords]:
    """The committees of divisions that ``text`` names (宜城市委, 中共达州市通川区委员会), in order."""
    found: list[PlaceWords] = []
    text = _DOC_TITLE.sub(lambda m: " " * len(m.group()), text)
    for match in _COMMITTEE_MENTION.finditer(text):
        words = _division_suffix(match.group(1), where)
        if words is not None:
            found.append(words)
    return found


def opening_targets(opening: str) -> list[PlaceWords]:
    """The inspected bodies the opening names (达州市通川区, 新昌县委, 湖北省, 区行政审批局党组)."""
    found: list[PlaceWords] = []
    opening = _DOC_TITLE.sub(lambda m: " " * len(m.group()), opening)
    for index, pattern in enumerate(_TARGETS):
        for match in pattern.finditer(opening):
            span = match.group(1).strip()
            if index == len(_TARGETS) - 1:  # a bare 巡察安定区: only a whole place name counts
                words = _division_suffix(span, "opening")
                if words is not None and span.endswith(words.words):
                    found.append(words)
                continue
            words = read_place_words(span, "opening")
            found.append(words)
    return found


def place_claims(
    *,
    committee: str | None,
    committee_where: str,
    opening: str,
    first_paragraphs: str,
    source: str | None,
) -> list[PlaceWords]:
    """The words that say whose notice it is, most authoritative first.

    Args:
        committee: the issuing committee (from the title or the signature), if any.
        committee_where: ``title`` or ``signature``.
        opening: the opening paragraph(s) with the inspection sentence.
        first_paragraphs: the first paragraphs after the opening (where 宜城市委… is at work).
        source: the page's source line (信息来源:襄阳市纪委监委), if any.
    """
    claims: list[PlaceWords] = []
    if committee:
        claims.append(read_place_words(committee, committee_where))
    claims.extend(opening_targets(opening))
    claims.extend(committee_mentions(opening + "\n" + first_paragraphs, "opening"))
    if source:
        claims.append(read_place_words(source, "source"))
    return claims
