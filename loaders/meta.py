"""A notice's metadata from its title line and opening paragraph: level, round, team, kinds, dates."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from .dates import find_dates, iso_date
from .model import NoticeMeta, Place
from .places import parse_committee, resolve_place
from .text import fold

_NUM = "一二三四五六七八九十百零〇0123456789"

_TITLE = re.compile(
    r"^.{2,60}?(委|委员会|党组|党委)(\(.{1,30}?\))?关于.{0,80}?(巡视|巡察|整改).{0,60}?(通报|报告|情况)"
    r"(\((社会)?公开稿?\))?$"
)
_ROUND = re.compile(rf"(?:([{_NUM}]{{1,3}})届)?(省委|市委|州委|区委|县委)?(第[{_NUM}]{{1,3}}轮)")
_TEAM = re.compile(rf"(省委|市委|州委|区委|县委)?(第[{_NUM}]{{1,3}})?(巡视|巡察)组")
_KIND_SPECIAL = re.compile(r"(?:^|[了和与及、,对于的\s])([\u4e00-\u9fff]{2,8}?)专项(巡视|巡察)")
_KIND_ALIASES = {"营商": "营商环境", "优化营商环境": "营商环境", "选人用人工作": "选人用人"}
_RANGE_SEP = re.compile(r"^\s*(至|到|—|–|-|~|－)+\s*$")
_PAGE_DATE = re.compile(
    r"(发布日期|发表时间|发布时间|日期|时间)\s*[:]\s*((19|20)\d{2}[-./年]\d{1,2}[-./月]\d{1,2})"
)
_PAGE_SOURCE = re.compile(r"(信息来源|来源)\s*[:]\s*([^\s:]{2,30})")
_SENTENCE_END = re.compile(r"[。;!?]")


def is_title_line(line: str) -> bool:
    """True for a notice title such as ``中共沈阳市和平区委关于…整改落实情况的通报``."""
    folded = fold(line.strip())
    return len(folded) <= 160 and "。" not in folded and bool(_TITLE.match(folded))


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
    prior_provinces: Counter[str] | None = None,
) -> NoticeMeta:
    """Build a notice's metadata from what its text says; ``None`` for what it does not say.

    Args:
        title: the title line, or ``None`` for a title-less notice.
        preamble: the opening paragraph(s) before the first numbered heading.
        headings: the titles of the top-level sections.
        body: the whole notice body (searched for the city and province).
        closing: the closing paragraphs (signature, contact details).
        page: publication date and source from web chrome.
        prior_provinces: provinces of the file's other notices, to break place ties.
    """
    head = fold((title or "") + "\n" + preamble)
    committee = committee_of(title) if title else None
    signature_date = None
    for line in closing:
        stripped = line.strip()
        if committee is None and re.fullmatch(r"中共.{2,30}(委|委员会|党工委)", stripped):
            committee = stripped
        if re.fullmatch(r"(19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", stripped):
            signature_date = iso_date(stripped)
    hint = parse_committee(committee) if committee else None
    place = resolve_place(hint, body, opening=preamble, prior_provinces=prior_provinces)
    level = _level(title, head)
    start, end, feedback = _dates(fold(preamble))
    meta = NoticeMeta(
        title=title or "",
        committee=committee,
        place=place,
        level=level,
        round=_round(head),
        team=_team(head, level),
        kinds=_kinds([fold(title or ""), fold(preamble), *(fold(h) for h in headings)]),
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


def _level(title: str | None, head: str) -> str | None:
    for text in (title or "", head):
        has_xunshi, has_xuncha = "巡视" in text, "巡察" in text
        if has_xunshi != has_xuncha:
            return "巡视" if has_xunshi else "巡察"
        if has_xunshi:
            team = _TEAM.search(text)
            return team.group(3) if team else "巡视"
    return None


def _round(head: str) -> str | None:
    match = _ROUND.search(head)
    if match is None:
        return None
    term, body, nth = match.groups()
    return f"{term + '届' if term else ''}{body or ''}{nth}"


def _team(head: str, level: str | None) -> str | None:
    for match in _TEAM.finditer(head):
        owner, nth, kind = match.groups()
        if owner is None:
            before = head[max(0, match.start() - 12) : match.start()]
            owner = "省委" if "省委" in before or kind == "巡视" else "市委"
        return f"{owner}{nth or ''}{kind}组"
    return None


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


def _dates(preamble: str) -> tuple[str | None, str | None, str | None]:
    """Inspection start/end and feedback date from the opening paragraph."""
    mentions = find_dates(preamble)
    start = end = feedback = None
    range_ids: set[int] = set()
    for first, second in pairwise(mentions):
        if _RANGE_SEP.match(preamble[first.end : second.start]):
            start, end = first.iso, second.iso
            range_ids = {id(first), id(second)}
            break
    for mention in mentions:
        if id(mention) in range_ids:
            continue
        sentence_end = _SENTENCE_END.search(preamble, mention.end)
        tail = preamble[mention.end : sentence_end.start() if sentence_end else len(preamble)]
        if "反馈" in tail:
            feedback = mention.iso
            break
    return start, end, feedback


def _derived_committee(place: Place) -> str | None:
    if place.district is None:
        return None
    city = place.city if place.city and place.city != place.province else ""
    suffix = "委" if place.district[-1] in "区县市旗" else "党委"
    return f"中共{city}{place.district}{suffix}"


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
