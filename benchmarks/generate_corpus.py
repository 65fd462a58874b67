"""Generate a large corpus of distinct, realistic notices from the bundled samples.

    python benchmarks/generate_corpus.py OUT_DIR [--notices 2000] [--seed 7]

Each generated notice takes a sample notice as its template and moves it to another real district
(drawn from the shipped division table: its province, city and district names replace the template's),
shifts its years, varies its figures and re-orders its sub-sections; then it is written the ways users
really have notices: single UTF-8 files, multi-notice collection files, GB18030 with full-width
punctuation, ``　　`` indents and CRLF, and saved HTML pages.  Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from html import escape
from importlib import resources
from pathlib import Path

from zhenggai.loaders import Notice, load_corpus

_TO_FULL = str.maketrans({",": "，", "(": "（", ")": "）", ":": "：", ";": "；"})


def counties() -> list[tuple[str, str, str]]:
    """(province, city, district) for every county-level division with a real prefecture city."""
    names: dict[str, str] = {}
    rows = []
    with resources.files("zhenggai.loaders.data").joinpath("adcodes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code, name = row["adcode"], row["name"]
            names[code[:6]] = name
            rows.append((code, name))
    found = []
    for code, name in rows:
        if code[6:] == "000000" and code[4:6] != "00" and name not in ("市辖区", "县"):
            province, city = names.get(code[:2] + "0000"), names.get(code[:4] + "00")
            if province and city and city not in ("市辖区", "县", province) and name.endswith(("区", "县")):
                found.append((province, city, name))
    return found


def _short(name: str) -> str:
    return re.sub(r"(省|市|地区|自治州|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", name) or name


def _lines(notice: Notice) -> list[str]:
    return ([] if notice.meta.title_derived else [notice.title]) + [p.text for p in notice.paragraphs()]


def _reorder(notice: Notice, rng: random.Random) -> list[str]:
    """The notice's body with the children of each top-level section shuffled (a plausible variant)."""
    lines = [] if notice.meta.title_derived else [notice.title]
    for top in notice.sections:
        lines += [p.text for p in top.paragraphs]
        children = list(top.children)
        rng.shuffle(children)
        for child in children:
            lines += [p.text for s in child.walk() for p in s.paragraphs]
    return lines


def make_notice(template: Notice, place: tuple[str, str, str], rng: random.Random) -> list[str]:
    """One generated notice's lines."""
    province, city, district = place
    old = template.meta.place
    shift = rng.randint(-4, 1)
    text = "\n".join(_reorder(template, rng))
    replacements = [
        (old.district or "", district),
        (old.city or "", city),
        (_short(old.city or ""), _short(city)),
        (old.province or "", province),
        (_short(old.province or ""), _short(province)),
    ]
    for before, after in replacements:
        if before and len(before) >= 2:
            text = text.replace(before, after)
    text = re.sub(r"(20\d{2})(?=年)", lambda m: str(int(m.group(1)) + shift), text)
    text = re.sub(
        r"(?<![\d.])(\d{1,3})(?=(个|条|件|项|人|次|家)(?![\d]))",
        lambda m: str(max(1, int(int(m.group(1)) * rng.uniform(0.6, 1.6)))),
        text,
    )
    return text.split("\n")


def _html(lines: list[str], charset: str) -> str:
    title, body = lines[0], lines[1:]
    paragraphs = "\n".join(f"<p>\u3000\u3000{escape(line)}</p>" for line in body)
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}">'
        f"<title>{escape(title)}_清风网</title></head><body>"
        '<div class="nav"><a href="/">首页</a> <a href="/a">工作动态</a> '
        '<a href="/b">巡视巡察</a></div>'
        f'<div class="article"><h1>{escape(title)}</h1>'
        '<div class="info">发布日期:2024-05-06 信息来源:清风网</div>'
        f'<div class="content">{paragraphs}</div></div>'
        '<div class="footer">版权所有 某区纪委 ICP备00000000号</div></body></html>'
    )


def generate(out: Path, count: int, seed: int) -> tuple[int, int, int]:
    """Write ``count`` notices under ``out``; returns (files, notices, bytes)."""
    rng = random.Random(seed)
    templates = [n for n in load_corpus().notices if len(n.body) > 5000]
    places = counties()
    rng.shuffle(places)
    out.mkdir(parents=True, exist_ok=True)
    files = written = size = 0
    collection: list[str] = []
    for index in range(count):
        template = templates[index % len(templates)]
        lines = make_notice(template, places[index % len(places)], rng)
        if template.meta.title_derived:
            _, city, district = places[index % len(places)]
            lines = [
                f"中共{city}{district}委关于巡视整改进展情况的通报",
                *lines,
            ]
        form = rng.random()
        if form < 0.15:
            collection += lines
            if len(collection) > 400 or index == count - 1:
                data = ("十三届省委某轮巡视整改进展情况集中公开\n" + "\n".join(collection)).encode("utf-8")
                collection = []
            else:
                written += 1
                continue
            name = f"collection-{index:05d}.txt"
        elif form < 0.30:
            text = "\r\n".join("\u3000\u3000" + line.translate(_TO_FULL) for line in lines)
            data, name = text.encode("gb18030"), f"notice-{index:05d}-gbk.txt"
        elif form < 0.40:
            charset = rng.choice(["utf-8", "gbk"])
            data = _html(lines, charset).encode("gb18030" if charset == "gbk" else "utf-8")
            name = f"notice-{index:05d}.html"
        else:
            data, name = "\n".join(lines).encode("utf-8"), f"notice-{index:05d}.txt"
        (out / name).write_bytes(data)
        files += 1
        written += 1
        size += len(data)
    if collection:  # the last collection file, still open
        data = ("十三届省委某轮巡视整改进展情况集中公开\n" + "\n".join(collection)).encode("utf-8")
        (out / "collection-last.txt").write_bytes(data)
        files += 1
        size += len(data)
    return files, written, size


def main() -> None:
    """Command-line entry."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--notices", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    files, notices, size = generate(args.out, args.notices, args.seed)
    print(f"wrote {notices} notices in {files} files, {size / 1e6:.1f} MB, to {args.out}")


if __name__ == "__main__":
    main()
