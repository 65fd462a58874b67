"""Chinese line breaking by display cells: no closing punctuation at a line start, nothing lost."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from zhenggai.loaders import load_corpus
from zhenggai.tui.cjk import NO_END, NO_START, CJKText, break_lines, lines_of


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    return [p.text for n in load_corpus().notices for p in n.paragraphs()]


@pytest.mark.parametrize("width", [20, 37, 60, 88])
def test_every_sample_paragraph_wraps_cleanly(paragraphs: list[str], width: int) -> None:
    lines = lines_of(paragraphs, width)
    assert "".join(lines) == "".join(paragraphs)  # nothing lost, nothing added
    assert [line for line in lines if cell_len(line) > width] == []
    assert [line for line in lines if line[:1] in NO_START] == []
    assert [line for line in lines[:-1] if line[-1:] in NO_END and len(line) > 1] == []


def test_comma_is_pulled_down_with_the_character_before_it() -> None:
    text = "一二三四五,六七"
    assert lines_of([text], 10) == ["一二三四", "五,六七"]
    assert lines_of(["一二三四“五六”七"], 10) == ["一二三四", "“五六”七"]


def test_latin_runs_and_numbers_stay_whole() -> None:
    text = "电子邮箱:xzglxcb@163.com。联系电话0516-87636289"
    lines = lines_of([text], 24)
    assert "xzglxcb@163.com。" in "".join(lines)
    assert any(line.startswith("xzglxcb@163.com") for line in lines)
    assert not any(line.startswith("。") for line in lines)


def test_offsets_cover_the_text() -> None:
    text = "根据省委统一部署,2023年9月21日至11月30日,省委第三巡视组对和平区委进行了常规巡视。"
    offsets = break_lines(text, 12)
    assert offsets[0][0] == 0 and offsets[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in pairwise(offsets))


def test_renderable_keeps_styles_and_width() -> None:
    text = Text("整改率达到100%,完成整改14个。")
    text.stylize("bold", 5, 9)
    console = Console(width=8, record=True, color_system=None, legacy_windows=False)
    with console.capture():
        console.print(CJKText(text))
    lines = console.export_text().splitlines()
    assert all(cell_len(line) <= 8 for line in lines)
    assert not any(line[:1] in NO_START for line in lines)


#: An atom: a run of Latin letters and digits, or any one character.
_ATOM = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-_/@%:+]*|.", re.DOTALL)


def reference_break_lines(text: str, width: int) -> list[tuple[int, int]]:
    """The first ``break_lines``: an atom at a time (the reader's now bisects the characters' running
    widths)."""
    if width <= 0 or not text:
        return [(0, len(text))]
    lines: list[tuple[int, int]] = []
    atoms = [piece for atom in _ATOM.findall(text) for piece in (atom if len(atom) > width else (atom,))]
    widths = [cell_len(a) for a in atoms]
    starts: list[int] = []
    position = 0
    for atom in atoms:
        starts.append(position)
        position += len(atom)
    index = 0
    while index < len(atoms):
        line_start = index
        used = 0
        while index < len(atoms) and (used + widths[index] <= width or index == line_start):
            used += widths[index]
            index += 1
        if index < len(atoms):
            for _ in range(8):
                next_bad = atoms[index][0] in NO_START
                end_bad = atoms[index - 1][-1] in NO_END
                if not (next_bad or end_bad):
                    break
                if index - 1 > line_start:
                    index -= 1
                elif len(atoms[line_start]) > 1 and next_bad:
                    head, tail = atoms[line_start][:-1], atoms[line_start][-1]
                    atoms[line_start : line_start + 1] = [head, tail]
                    widths[line_start : line_start + 1] = [cell_len(head), cell_len(tail)]
                    starts.insert(line_start + 1, starts[line_start] + len(head))
                    break
                else:
                    break
        end = starts[index] if index < len(atoms) else len(text)
        lines.append((starts[line_start], end))
    return lines


def test_the_fast_line_breaking_equals_the_reference(paragraphs: list[str]) -> None:
    import random

    pieces = [
        "整",
        "改",
        "，",
        "。",
        "（",
        "）",
        "“",
        "”",
        "《",
        "》",
        "、",
        "2023",
        "年",
        "a",
        "xzglxcb@163.com",
    ]
    pieces += [" ", "e\u0301", "…", "——", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "％", "：", "【", "】"]
    pieces += [
        "50%",
        "a:b",
        "v1.2",
        "e.g.",
        ".",
        "%",
        "(",
        ")",
        "\U0001f600",
        "\u200b",
    ]  # runs, marks, widths
    generator = random.Random(12)
    made = ["".join(generator.choice(pieces) for _ in range(generator.randint(1, 80))) for _ in range(400)]
    made += ["xzglxcb@163.com，", "（xzglxcb@163.com）。", "2023年，", "ABCDEFGHIJKLMNOP。"]  # a lone run
    for text in made + paragraphs[:300]:
        for width in (1, 2, 3, 4, 5, 8, 13, 15, 16, 24, 40, 88):
            assert break_lines(text, width) == reference_break_lines(text, width), (text, width)
