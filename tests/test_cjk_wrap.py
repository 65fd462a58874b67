"""Chinese line breaking by display cells: no closing punctuation at a line start, nothing lost."""

from __future__ import annotations

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
