"""Regenerate ``loaders/data/place_pinyin.tsv``: the pinyin slug and initials of every name in
``adcodes.csv`` and ``division_changes.csv``, and of every part of one that a notice id spells
(``loaders.ids``: 辽宁, 黔东南, 长阳), so that neither making ids nor filtering districts loads pypinyin
for a place of the table (``tests/test_district_filter.py`` checks it).

Shipping them keeps pypinyin (0.1–0.8 s to load its dictionaries, holding the interpreter) off the
path of loading notices and of the reader's first moves (the district filter's keys).
Run after updating ``adcodes.csv``:  ``python scripts/build_place_pinyin.py``.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from zhenggai.loaders.ids import city_slug_name, district_slug_name, province_slug_name

DATA = Path(__file__).resolve().parent.parent / "loaders" / "data"


def main() -> None:
    """Write one ``name<TAB>slug<TAB>initials`` line per distinct name, full and short."""
    full: set[str] = set()
    with (DATA / "adcodes.csv").open(encoding="utf-8") as handle:
        full.update(row["name"].strip() for row in csv.DictReader(handle))
    with (DATA / "division_changes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            full.update((row["old_name"].strip(), row["new_name"].strip()))
    names: set[str] = set()
    for name in filter(None, full):
        names.add(name)
        for pattern in (
            r"(省|市|壮族自治区|回族自治区|维吾尔自治区|特别行政区|自治区)$",
            r"(市|地区|盟|自治州)$",
            r"(新区|区|县|市|旗|自治县)$",
        ):
            short = re.sub(pattern, "", name)
            if short:
                names.add(short)
        # what a notice id spells of it, whatever its level (ids.notice_id)
        names.update(filter(None, (province_slug_name(name), city_slug_name(name), district_slug_name(name))))
    lines = []
    for name in sorted(names):
        slug = re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(name, errors="ignore")).lower())
        initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()
        lines.append(f"{name}\t{slug}\t{initials}\n")
    (DATA / "place_pinyin.tsv").write_text("".join(lines), encoding="utf-8")
    print(f"{len(lines)} names written")


if __name__ == "__main__":
    main()
