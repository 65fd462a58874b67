"""A notice's metadata from its title line and opening paragraph: level, round, team, kinds, dates."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from .dates import find_dates, iso_date
from .issuer import inspector_of, place_claims
from .model import NoticeMeta, Place
from .places import PlaceContext, full_names_in, read_place_words, resolve_place
from .text import fold

_NUM = "一二三四五六七八九十百零〇0123456789"

_TITLE = re.compile(
    r"^(?P<who>.{2,60}?(委|委员会|党组|党委|区|县|市|旗|州|盟))(\(.{1,30}?\))?关于.{0,80}?(巡视|巡察|整改)"
    r".{0,60}?(通报|报告|情况|公告|公示)(\((社会)?公开稿?\))?(?P<date>\(\s*(19|20)\d{2}\s*年[^()]{0,12}\))?$"
)
_OWNERS = "中央|省委|自治区党委|区党委|市委|州委|盟委|地委|区委|县委|旗委|党工委|工委"
_ROUND = re.compile(rf"(?:([{_NUM}]{{1,3}})届)?({_OWNERS})?(第[{_NUM}]{{1,3}}轮)")
_TEAM = re.compile(
    rf"(?:(?P<owner>{_OWNERS})(?P<special>[\u4e00-\u9fff]{{2,10}}?专项)?)?"
    rf"(?P<nth>第[{_NUM}]{{1,3}})?(?P<kind>巡视|巡察)(?P<nth2>[{_NUM}]{{1,3}})?组(?!织|长|员)"
)
_KIND_SPECIAL = re.compile(r"(?:^|[了和与及、,对于的\s])([\u4e00-\u9fff]{2,8}?)专项(巡视|巡察)")
_KIND_ALIASES = {"营商": "营商环境", "优化营商环境": "营商环境", "选人用人工作": "选人用人"}
_RANGE_SEP = re.compile(r"^\s*(至|到|—|–|-|~|－)+\s*$")
_PAGE_DATE = re.compile(
    r"(发布日期|发表时间|发布时间|日期|时间)\s*[:]\s*((19|20)\d{2}[-./年]\d{1,2}[-./月]\d{1,2})"
)
_PAGE_SOURCE = re.compile(r"(信息来源|来源)\s*[:]\s*([^\s:•·|丨]{2,30})")
_SENTENCE_END = re.compile(r"[。;!?\n]")
#: Between a date and 反馈: the date is another event's (the mobilisation meeting, the team's arrival).
_NOT_FEEDBACK = re.compile(r"动员|进驻|启动|召开.{0,6}会议")


def is_title_line(line: str) -> bool:
    """True for a notice title such as ``中共沈阳市和平区委关于…整改落实情况的通报``."""
    if len(line) > 200 or "关于" not in line:
        return False
    folded = fold(line.strip())
    if len(folded) > 160 or "。" in folded:
        return False
    match = _TITLE.match(folded)
    if match is None:
        return False
    who = match.group("who")
    if who[-1] in "委会组":
        return True
    # 宜城市关于…的通报: a division's own name stands for its committee, nothing else does
    words = read_place_words(who)
    return words.names_place and not words.unit and words.zone is None


_BARE_TITLE = re.compile(r"^关于.{0,80}?(巡视|巡察).{0,60}?(通报|报告|公告|公示)(\((社会)?公开稿?\))?$")


def is_bare_title(line: str) -> bool:
    """True for a title without its committee: ``关于十四届省委第二轮巡视整改进展情况的通报``."""
    folded = fold(line.strip())
    return len(folded) <= 100 and "。" not in folded and bool(_BARE_TITLE.match(folded))


@dataclass(slots=True)
class PageMeta:
    """Publication date and source read off web-page chrome lines."""

    publication_date: str | None = None
    source: str | None = None

    def absorb(self, line: str) -> bool:
        """Take the date/source from a chrome line; True when the line carried any."""
        folded = fold(line)
        found = False
        date = _PAGE_DATE.search(folded)
        if date:
            found = True
            self.publication_date = self.publication_date or iso_date(_ymd(date.group(2)))
        source = _PAGE_SOURCE.search(folded)
        if source:
            found = True
            self.source = self.source or source.group(2).strip()
        return found


def _ymd(text: str) -> str:
    parts = re.split(r"[-./年月]", text)
    return f"{parts[0]}年{int(parts[1])}月{int(parts[2])}日"


def committee_of(title: str) -> str | None:
    """``中共沈阳市和平区委关于…`` → ``中共沈阳市和平区委``."""
    at = title.find("关于")
    return title[:at].strip() if at > 0 else None


def extract_meta(
    *,
    title: str | None,
    preamble: str,
    headings: list[str],
    body: str,
    closing: list[str],
    page: PageMeta,
    first_paragraphs: str = "",
    prior_provinces: Counter[str] | None = None,
) -> NoticeMeta:
    """Build a notice's metadata from what its text says; ``None`` for what it does not say.

    All text arguments are the parse view (width-folded, simplified characters).

    Args:
        title: the title line, or ``None`` for a title-less notice.
        preamble: the opening paragraph(s) before the first numbered heading.
        headings: the titles of the top-level sections.
        body: the whole notice body (searched for the city and province).
        closing: the closing paragraphs (signature, contact details).
        page: publication date and source from web chrome.
        first_paragraphs: the paragraphs after the preamble (an opening sentence may stand there).
        prior_provinces: provinces of the file's other notices, to break place ties.
    """
    committee = committee_of(title) if title else None
    committee_where = "title"
    signature_date = None
    for line in closing:
        stripped = line.strip()
        if committee is None and re.fullmatch(r"中共.{2,30}(委|委员会|党工委|党组)", stripped):
            committee, committee_where = stripped, "signature"
        if re.fullmatch(r"(19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", stripped):
            signature_date = iso_date(stripped)
    # the inspection sentence may stand in the first section rather than before it
    opening = preamble
    start, end, feedback = _dates(fold(preamble))
    if not (start or feedback) and first_paragraphs:
        later = _dates(fold(first_paragraphs))
        if later[0] or later[2]:
            start, end, feedback = later
            opening = preamble + "\n" + first_paragraphs
    head = fold((title or "") + "\n" + opening)
    level = _level(title, head)
    cities, provinces = full_names_in(head)
    when = feedback or page.publication_date or signature_date or end or start
    context = PlaceContext(
        head_cities=cities,
        head_provinces=provinces,
        inspector=inspector_of(head),
        month=when[:7] if when else None,
        body=body,
        prior_provinces=prior_provinces,
    )
    claims = place_claims(
        committee=committee,
        committee_where=committee_where,
        opening=opening,
        first_paragraphs=first_paragraphs,
        source=page.source,
    )
    place = resolve_place(claims, context)
    meta = NoticeMeta(
        title=title or "",
        committee=committee,
        place=place,
        level=level,
        round=_round(head),
        team=_team(head),
        kinds=_kinds([fold(title or ""), fold(opening), *(fold(h) for h in headings)]),
        inspection_start=start,
        inspection_end=end,
        feedback_date=feedback,
        publication_date=page.publication_date,
        source=page.source,
        signature_date=signature_date,
    )
    if title is None:
        meta.committee = meta.committee or _derived_committee(place)
        meta.title = derived_title(meta)
        meta.title_derived = True
    return meta


def title_date(title: str) -> str | None:
    """The date a title line ends with in brackets (a publication date, never the feedback's)."""
    match = _TITLE.match(fold(title.strip()))
    return iso_date(match.group("date")) if match and match.group("date") else None


def _level(title: str | None, head: str) -> str | None:
    for text in (title or "", head):
        has_xunshi, has_xuncha = "巡视" in text, "巡察" in text
        if has_xunshi != has_xuncha:
            return "巡视" if has_xunshi else "巡察"
        if has_xunshi:
            team = _TEAM.search(text)
            return team.group("kind") if team else "巡视"
    return None


def _round(head: str) -> str | None:
    """The round as the text writes it (``十九届中央第六轮``, ``十三届省委第四轮``, ``第四轮``).

    A bare ``第四轮`` counts only right before 巡视/巡察 (``开展第三轮督查`` is no round).
    """
    for match in _ROUND.finditer(head):
        term, owner, _ = match.groups()
        if term or owner or re.match(r".{0,4}?(巡视|巡察)", head[match.end() : match.end() + 8]):
            return match.group(0)
    return None


def _team(head: str) -> str | None:
    """The inspection team as the text writes it, the most specific mention first.

    ``中央第二巡视组``, ``省委巡视七组``, ``区委营商环境专项巡察组``; a team the text does not name is never
    made up (a bare ``第三巡视组`` stays so when no mention says whose it is).
    """
    best: tuple[int, int, str] | None = None
    for match in _TEAM.finditer(head):
        has_owner = match.group("owner") is not None
        has_number = bool(match.group("nth") or match.group("nth2"))
        if not (has_owner or has_number):
            continue
        key = (int(has_owner) + int(has_number), -match.start(), match.group(0))
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


def _kinds(texts: list[str]) -> list[str]:
    kinds: list[str] = []
    for text in texts:
        if re.search(r"常规(巡视|巡察)", text) and "常规" not in kinds:
            kinds.append("常规")
        for match in _KIND_SPECIAL.finditer(text):
            name = re.split(r"[和与及、]", match.group(1))[-1]
            name = re.sub(r"^(省委|市委|区委|县委|进行|开展)", "", name)
            kind = _KIND_ALIASES.get(name, name) + "专项"
            if len(name) >= 2 and kind not in kinds:
                kinds.append(kind)
    return kinds


def _dates(opening: str) -> tuple[str | None, str | None, str | None]:
    """Inspection start/end and feedback date from the opening sentence(s).

    The feedback date is the date of the clause that says 反馈 (``并于10月11日进行了反馈``,
    ``12月26日,省委第二巡视组向…反馈``), never a bracketed date such as a title's publication date.
    """
    mentions = [m for m in find_dates(opening) if not _bracketed(opening, m.start, m.end)]
    start = end = feedback = None
    range_ids: set[int] = set()
    for first, second in pairwise(mentions):
        if _RANGE_SEP.match(opening[first.end : second.start]):
            start, end = first.iso, second.iso
            range_ids = {id(first), id(second)}
            break
    for index, mention in enumerate(mentions):
        if id(mention) in range_ids:
            continue
        sentence_end = _SENTENCE_END.search(opening, mention.end)
        stop = sentence_end.start() if sentence_end else len(opening)
        if index + 1 < len(mentions):
            stop = min(stop, mentions[index + 1].start)
        tail = opening[mention.end : stop]
        at = tail.find("反馈")
        if at >= 0 and not _NOT_FEEDBACK.search(tail[:at]):
            feedback = mention.iso
            break
    if feedback is None:
        # 反馈会议于2023年5月6日召开: the date follows the word
        for mention in mentions:
            before = opening[max(0, mention.start - 14) : mention.start]
            if id(mention) not in range_ids and "反馈" in before and not _SENTENCE_END.search(before):
                feedback = mention.iso
                break
    return start, end, feedback


def _bracketed(text: str, start: int, end: int) -> bool:
    """True for a date standing alone in brackets: ``(2023年5月6日)``, ``【2023-05-06】``."""
    before = text[max(0, start - 2) : start].strip()
    after = text[end : end + 2].strip()
    return bool(before) and before[-1] in "([【〔" and bool(after) and after[0] in ")]】〕"


def _derived_committee(place: Place) -> str | None:
    """中共定西市安定区委 from a resolved place (a city's or province's committee when that is all)."""
    if place.district is not None:
        if place.adcode is None:
            return None  # a stated label (a zone) is not enough to name a committee
        city = place.city if place.city and place.city != place.province else ""
        suffix = "委" if place.district[-1] in "区县市旗" else "党委"
        return f"中共{city}{place.district}{suffix}"
    name = place.city if place.city and place.city != place.province else place.province
    if name is None:
        return None
    return f"中共{name}{'党委' if name.endswith('自治区') else '委'}"


def derived_title(meta: NoticeMeta) -> str:
    """A title for a notice that has none, composed from what its body says."""
    who = meta.committee or "（未署名）"
    what = f"{meta.round or ''}{meta.level or '巡视巡察'}"
    return f"{who}关于{what}整改进展情况的通报"


def collection_defaults(header: list[str]) -> dict[str, str]:
    """Round and level a collection's header paragraphs state for all its notices."""
    text = fold("\n".join(header))
    defaults: dict[str, str] = {}
    found_round = _round(text)
    if found_round:
        defaults["round"] = found_round
    level = _level(None, text)
    if level:
        defaults["level"] = level
    return defaults
