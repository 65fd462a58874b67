"""Province / city / district from the words a notice uses, checked against the division table.

A district name alone is never enough: 铁西区 is in 沈阳, 鞍山 and 四平, so every candidate is weighed by
what the notice itself says — the city and province it writes, who inspected it (a 省委 never inspects
a district of 广西 or 上海), its date (芜湖县 became 湾沚区 in 2020).  What the text states is never
contradicted: a district that is not in the city the text names keeps that city and stays unresolved.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from .divisions import (
    GENERIC_NAMES,
    MUNICIPALITIES,
    REGIONS,
    Division,
    DivisionTable,
    division_table,
    ethnic_alias,
    short_province,
)
from .model import Place
from .text import fold

_MAX_NAME = 16
#: What a committee's name ends with once its place names are read off.
_COMMITTEE_END = re.compile(r"(党工委|工委|工作委员会|委员会|党委|党组|党总支|党支部|委)$")
#: Functional zones (开发区, 新区…) that are not divisions: their generic part, longest first.
_ZONE_KINDS = (
    "经济技术开发区",
    "高新技术产业开发区",
    "高新技术开发区",
    "经济开发区",
    "经济综合实验区",
    "综合实验区",
    "工业园区",
    "产业园区",
    "综合保税区",
    "旅游度假区",
    "风景名胜区",
    "开发区",
    "高新区",
    "经开区",
    "新区",
    "园区",
    "保税区",
    "自贸区",
    "试验区",
    "实验区",
    "示范区",
    "合作区",
    "度假区",
    "风景区",
    "港区",
)
_COUNTY_LIKE = re.compile(r"^[\u4e00-\u9fff]{1,5}(区|县|旗)$")
_ZONE = re.compile(r"^[\u4e00-\u9fff]{0,12}?(" + "|".join(_ZONE_KINDS) + r")$")


@dataclass(frozen=True, slots=True)
class PlaceWords:
    """What one run of words says about a place.

    ``中共襄阳市襄州区教育局党组`` → city 襄阳市, county 襄州区, unit ``教育局党组``;
    ``中共郑州经开区党工委`` → city 郑州, zone ``郑州经开区``.
    """

    words: str
    province_code: str | None = None
    city_codes: tuple[str, ...] = ()
    county: str | None = None
    """A county-level name as written (today's or a former one)."""
    zone: str | None = None
    """A functional zone that is not a division (郑州经开区, 南沙新区), as the district-level label."""
    unit: str = ""
    """What follows the place names: empty for the division's own committee, else 教育局, 城关镇…"""
    where: str = ""
    """Where the words stand: ``title``, ``signature``, ``opening``, ``source``…"""

    @property
    def names_place(self) -> bool:
        """True when the words name any province, city, county or zone."""
        return bool(self.province_code or self.city_codes or self.county or self.zone)


def read_place_words(words: str, where: str = "") -> PlaceWords:
    """Read province, city and county names off the start of a committee name or a phrase.

    Every reading (province? city? county?) is tried; the one that reads the most characters as
    names wins, then the one with fewer names (庄河市 is one county, not 庄河 + 市).
    """
    table = division_table()
    text = words[2:] if words.startswith("中共") else words
    best: tuple[int, int, str | None, tuple[str, ...], str | None, int, int] = (0, 0, None, (), None, 0, 0)
    for province_code, p_len in [(None, 0), *_province_names_at(table, text, 0)]:
        for city_codes, c_len in [((), 0), *_city_names_at(table, text, p_len)]:
            for county, k_len in [(None, 0), *_county_names_at(table, text, p_len + c_len)]:
                pieces = sum(1 for x in (province_code, city_codes, county) if x)
                key = (p_len + c_len + k_len, -pieces)
                if key > best[:2]:
                    best = (*key, province_code, city_codes, county, p_len, c_len)
    consumed, _, province_code, city_codes, county, p_len, c_len = best
    unit = _COMMITTEE_END.sub("", text[consumed:])
    zone = None
    if county is None and unit and _ZONE.match(unit):
        # 郑州经开区: a generic zone keeps its city in its label; 南沙新区 names itself
        zone = text[p_len : p_len + c_len] + unit if unit in _ZONE_KINDS and c_len else unit
        unit = ""
    elif county is None and consumed and _COUNTY_LIKE.match(unit):
        county, unit = unit, ""  # a district the table does not know (许昌市东城区): kept as written
    elif county is None and unit:
        # 中山大学, 吉林大学, 湖北日报: a short name glued to a unit is the unit's name, not its place
        if c_len and text[p_len : p_len + c_len] not in _full_city_names(city_codes):
            city_codes = ()
        if province_code and not city_codes and text[:p_len] != table.provinces.get(province_code):
            province_code = None
    return PlaceWords(words, province_code, city_codes, county, zone, unit, where)


def _full_city_names(codes: tuple[str, ...]) -> set[str]:
    """The written forms of cities that carry their suffix: 沈阳市, 恩施土家族苗族自治州, 恩施州."""
    table = division_table()
    names = set()
    for code in codes:
        name = table.cities.get(code, "")
        names.add(name)
        alias = ethnic_alias(name)
        if alias:
            names.add(alias)
    return names


def _province_names_at(table: DivisionTable, text: str, pos: int) -> list[tuple[str, int]]:
    found = []
    for length in range(2, min(_MAX_NAME, len(text) - pos) + 1):
        code = table.province_names.get(text[pos : pos + length])
        if code is not None:
            found.append((code, length))
    return found


def _city_names_at(table: DivisionTable, text: str, pos: int) -> list[tuple[tuple[str, ...], int]]:
    found = []
    for length in range(2, min(_MAX_NAME, len(text) - pos) + 1):
        codes = table.city_names.get(text[pos : pos + length])
        if codes:
            found.append((tuple(codes), length))
    return found


def _county_names_at(table: DivisionTable, text: str, pos: int) -> list[tuple[str, int]]:
    found = []
    for length in range(2, min(_MAX_NAME, len(text) - pos) + 1):
        chunk = text[pos : pos + length]
        if table.is_county_name(chunk) and chunk not in GENERIC_NAMES:
            found.append((chunk, length))
    return found


@dataclass(frozen=True, slots=True)
class PlaceContext:
    """What else the notice says that bears on its place."""

    head_cities: tuple[str, ...] = ()
    """4-digit codes of the cities its title and opening name in full (许昌市), outside 《》."""
    head_provinces: tuple[str, ...] = ()
    """2-digit codes of the provinces its title and opening name in full (湖北省)."""
    inspector: str | None = None
    """Who inspected: ``central``, ``province`` (省委), ``region`` (自治区党委), ``municipality``
    (a 市委 巡视), ``city`` (a 市委 巡察) or ``county`` (区委/县委 巡察)."""
    month: str | None = None
    """``YYYY-MM`` of the notice (its feedback, else publication or inspection date)."""
    body: str = ""
    """The whole notice, for the city and province names that break a tie."""
    prior_provinces: Counter[str] | None = None
    """Provinces of the other notices of the same file (a collection's neighbours)."""


def resolve_place(claims: list[PlaceWords], context: PlaceContext) -> Place:
    """The notice's place from the words that name it, first claim first, checked by the context.

    Args:
        claims: the words that say whose notice it is, most authoritative first (the committee of
            the title, the signature, the inspected body in the opening, the source line).
        context: the rest of what the notice says (cities it names, inspector, date, body).
    """
    primary = next((c for c in claims if c.names_place), None)
    if primary is None:
        return Place()
    # for a district or zone, other claims naming the same one (or none) add the city and province
    # they write; a city's or a province's own committee stays at its level
    province_code, city_codes = primary.province_code, primary.city_codes
    for claim in claims:
        if claim is primary or not claim.names_place or not (primary.county or primary.zone):
            continue
        if claim.county and claim.county != primary.county:
            continue
        if province_code is None and claim.province_code:
            province_code = claim.province_code
        if not city_codes and claim.city_codes:
            city_codes = claim.city_codes
    table = division_table()
    evidence = fold(f"{primary.where}: {primary.words}" if primary.where else primary.words)
    if primary.county:
        place = _resolve_county(table, primary.county, province_code, city_codes, context)
    elif primary.zone:
        place = _zone_place(table, primary.zone, province_code, city_codes, context)
    elif city_codes:
        place = _city_only(table, city_codes, province_code, context)
    else:
        place = Place(table.provinces.get(province_code or ""))
    return replace(place, evidence=evidence)


def _stated_city(
    table: DivisionTable, province_code: str | None, city_codes: tuple[str, ...], context: PlaceContext
) -> Place:
    """The province and city the words (else the opening) state, with no district."""
    codes = [c for c in city_codes if province_code is None or c[:2] == province_code]
    head = context.head_cities
    if not city_codes and len(head) == 1 and (province_code is None or head[0][:2] == province_code):
        codes = [head[0]]
    if len(codes) == 1:
        return table.city_place(codes[0])
    province = province_code
    if province is None and codes and len({c[:2] for c in codes}) == 1:
        province = codes[0][:2]
    if province is None and not codes and len(context.head_provinces) == 1:
        province = context.head_provinces[0]
    return Place(table.provinces.get(province or ""))


def _resolve_county(
    table: DivisionTable,
    name: str,
    province_code: str | None,
    city_codes: tuple[str, ...],
    context: PlaceContext,
) -> Place:
    candidates = table.divisions(name)
    # what the words write is never contradicted: no fallback to a same-named district elsewhere
    if city_codes:
        candidates = [d for d in candidates if d.code[:4] in city_codes]
    if province_code:
        candidates = [d for d in candidates if d.code[:2] == province_code]
    # the cities and provinces the opening names: binding when it names one, a hint when several
    if not city_codes and context.head_cities:
        narrowed = [d for d in candidates if d.code[:4] in context.head_cities]
        candidates = narrowed if narrowed or len(context.head_cities) == 1 else candidates
    if not province_code and context.head_provinces:
        narrowed = [d for d in candidates if d.code[:2] in context.head_provinces]
        candidates = narrowed if narrowed or len(context.head_provinces) == 1 else candidates
    candidates = _by_inspector(candidates, context.inspector)
    if context.month and len(candidates) > 1:
        candidates = [d for d in candidates if d.valid_at(context.month)] or candidates
    if len(candidates) > 1:
        current = [d for d in candidates if d.valid_until is None]
        if context.month is None and current:
            candidates = current
    if len(candidates) == 1:
        return table.place(candidates[0])
    if candidates:
        best = _best_by_text(table, candidates, context)
        if best is not None:
            return table.place(best)
        shared = _stated_city(table, None, tuple(sorted({d.code[:4] for d in candidates})), PlaceContext())
        return replace(shared, district=name)
    return replace(_stated_city(table, province_code, city_codes, context), district=name)


def _by_inspector(candidates: list[Division], inspector: str | None) -> list[Division]:
    """Rule out look-alikes the inspector excludes: a 省委 inspects neither 广西 nor 上海."""
    if inspector == "province":
        return [d for d in candidates if d.code[:2] not in MUNICIPALITIES | REGIONS]
    if inspector == "region":
        return [d for d in candidates if d.code[:2] in REGIONS]
    if inspector == "municipality":
        return [d for d in candidates if d.code[:2] in MUNICIPALITIES] or candidates
    if inspector == "city":
        return [d for d in candidates if d.code[:2] not in MUNICIPALITIES] or candidates
    return candidates


def _best_by_text(table: DivisionTable, candidates: list[Division], context: PlaceContext) -> Division | None:
    scored = sorted(((_score(table, d.code, context), d.code, d) for d in candidates), reverse=True)
    if scored[0][0] == 0 or scored[0][0] == scored[1][0]:
        return None
    return scored[0][2]


def _score(table: DivisionTable, code: str, context: PlaceContext) -> int:
    text = context.body
    score = 0
    city = table.cities.get(code[:4])
    if city:
        if city + table.counties.get(code, "") in text:
            score += 8
        elif city in text:
            score += 4
        elif table.short_city(code[:4]) in text:
            score += 2
    province = table.provinces.get(code[:2])
    if province and (province in text or short_province(province) in text):
        score += 2
    if context.prior_provinces and context.prior_provinces.get(code[:2]):
        score += 1
    return score


def _zone_place(
    table: DivisionTable,
    zone: str,
    province_code: str | None,
    city_codes: tuple[str, ...],
    context: PlaceContext,
) -> Place:
    return replace(_stated_city(table, province_code, city_codes, context), district=zone)


def _city_only(
    table: DivisionTable, city_codes: tuple[str, ...], province_code: str | None, context: PlaceContext
) -> Place:
    codes = [c for c in city_codes if province_code is None or c[:2] == province_code]
    if len(codes) > 1 and context.month:
        current = [c for c in codes if c not in table.former_cities or context.month < table.former_cities[c]]
        codes = current or codes
    if len(codes) > 1:
        codes = [c for c in codes if c not in table.former_cities] or codes
    if len(codes) == 1:
        if codes[0][:2] in MUNICIPALITIES:
            return Place(table.provinces.get(codes[0][:2]))
        return table.city_place(codes[0])
    return _stated_city(table, province_code, (), context)


def full_names_in(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(4-digit city codes, 2-digit province codes) of the cities and provinces ``text`` names in full.

    Only full names count (许昌市, 湖北省, 恩施土家族苗族自治州): a short name is too often a word.
    A name inside a document title (《郑州市委巡察整改情况公开办法》) says nothing about the notice, and
    a county-level city (宜城市) is not a prefecture.
    """
    table = division_table()
    text = re.sub(r"《[^》]*》", "", text)
    cities: list[str] = []
    provinces: list[str] = []
    lengths = table.lengths_by_end
    for match in re.finditer("[市州盟省区]", text):
        end = match.end()
        for length in lengths.get(match.group(), ()):
            if length > end or length < 3:
                continue
            chunk = text[end - length : end]
            code = table.province_names.get(chunk)
            if code is not None and table.provinces[code] == chunk:
                if code not in provinces:
                    provinces.append(code)
                if code not in MUNICIPALITIES:
                    break
            codes = table.city_names.get(chunk)
            if codes and len(codes) == 1 and table.cities[codes[0]] == chunk:
                if codes[0] not in cities:
                    cities.append(codes[0])
                break
            if table.is_county_name(chunk):
                break
    return tuple(cities), tuple(provinces)


def committee_hint(name: str) -> str | None:
    """The province code a committee name states, if any (for a collection's tie-breaks)."""
    words = read_place_words(name)
    if words.province_code:
        return words.province_code
    codes = {c[:2] for c in words.city_codes}
    return codes.pop() if len(codes) == 1 else None
