"""The reading pane's drawn lines: ``drawn_line`` makes in one strip exactly what Textual's strip
operations made in five (offsets for selection, indent, padding, crop, the pane's style)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from zhenggai.loaders import load_corpus
from zhenggai.tui.cjk import break_lines
from zhenggai.tui.widgets.reading_text import drawn_line

CONSOLE = Console(width=200, color_system="truecolor", legacy_windows=False)
BASE = Style(color="#e0e0e0", bgcolor="#101418")
STYLES = [Style(bold=True), Style(color="#f0a030"), Style(italic=True, bgcolor="#203040"), Style()]


def reference(piece: Text, start: int, block: int, indent: int, width: int, base: Style) -> Strip:
    """The strip as the reading pane drew it before: one Textual strip operation after another."""
    strip = Strip(list(piece.render(CONSOLE, end=""))).apply_offsets(start, block)
    if indent:
        strip = Strip.join([Strip([Segment(" " * indent, Style())]), strip])
    return strip.extend_cell_length(width).crop(0, width).apply_style(base)


def styled(text: str, rng: random.Random) -> Text:
    """``text`` with a few random spans styled (figures, headings, hits)."""
    result = Text(text)
    for _ in range(rng.randint(0, 4)):
        a = rng.randrange(len(text))
        result.stylize(rng.choice(STYLES), a, min(len(text), a + rng.randint(1, 12)))
    return result


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    samples = Path(__file__).parent.parent / "sample_data"
    notices = load_corpus(
        [samples / "jiangsu-xuzhou-gulou-2024.txt", samples / "gansu-dingxi-anding-2022-xuncha.txt"]
    )
    return [p.text for n in notices.notices for p in n.paragraphs() if p.text]


@pytest.mark.parametrize("width", [11, 37, 90])
def test_every_line_of_the_samples_is_drawn_as_the_strip_operations_drew_it(
    paragraphs: list[str], width: int
) -> None:
    rng = random.Random(width)
    checked = 0
    for block, paragraph in enumerate(paragraphs):
        text, indent = styled(paragraph, rng), rng.choice([0, 0, 2, 4])
        for start, end in break_lines(paragraph, max(1, width - indent)):
            piece = text[start:end]
            piece.rstrip()
            expected = reference(piece, start, block, indent, width, BASE)
            got = drawn_line(piece.render(CONSOLE, end=""), start, block, indent, width, BASE)
            assert got.cell_length == expected.cell_length == width
            assert list(got) == list(expected)  # text, style and the selection offsets alike
            checked += 1
    assert checked > 200


def test_a_line_longer_than_the_width_is_cropped_as_before() -> None:
    piece = Text("整改率达到100%,完成整改14个。")
    piece.stylize("bold", 5, 9)
    for width in (1, 4, 7, 12):
        expected = reference(piece.copy(), 3, 0, 2, width, BASE)
        got = drawn_line(piece.render(CONSOLE, end=""), 3, 0, 2, width, BASE)
        assert list(got) == list(expected) and got.cell_length == width
