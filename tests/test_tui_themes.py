"""Every registered theme keeps figures, notes and search hits readable (WCAG ≥ 4.5:1); ctrl+t repaints."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.color import Color

from zhenggai.loaders import load_corpus
from zhenggai.store.db import Store
from zhenggai.themes import APP_CSS, THEMES
from zhenggai.themes.contrast import MINIMUM_CONTRAST, contrast_ratio, readable
from zhenggai.tui.app import make_app
from zhenggai.tui.widgets.detail import FIGURES, DetailPane, NoteMark, SectionView
from zhenggai.tui.widgets.reading_text import ReadingText

from .tui_helpers import saved, wait_loaded


def test_contrast_ratio_matches_wcag() -> None:
    assert round(contrast_ratio(Color(0, 0, 0), Color(255, 255, 255)), 1) == 21.0
    assert round(contrast_ratio(Color(119, 119, 119), Color(255, 255, 255)), 2) == 4.48
    assert contrast_ratio(Color(10, 10, 10), Color(10, 10, 10)) == 1.0
    fixed = readable(Color(255, 200, 0), Color(255, 255, 255))
    assert contrast_ratio(fixed, Color(255, 255, 255)) >= MINIMUM_CONTRAST


def styled_spans(text: Text) -> list[tuple[str, Color | None, Color | None]]:
    """(covered text, colour, background) of every span that sets a colour or a background."""
    spans = []
    for span in text.spans:
        style = span.style if not isinstance(span.style, str) else None
        if style is None or (style.color is None and style.bgcolor is None):
            continue
        color = Color.from_rich_color(style.color) if style.color else None
        background = Color.from_rich_color(style.bgcolor) if style.bgcolor else None
        spans.append((text.plain[span.start : span.end], color, background))
    return spans


class PaneApp(App[None]):
    """The reading pane alone, with the reader's stylesheet and themes (a theme switch restyles little)."""

    CSS_PATH = APP_CSS

    def __init__(self, view: SectionView) -> None:
        super().__init__()
        self.view = view
        for theme in THEMES:
            self.register_theme(theme)

    def compose(self) -> ComposeResult:
        yield DetailPane(id="detail")

    def on_mount(self) -> None:
        self.query_one(DetailPane).show(self.view)


async def test_every_registered_theme_keeps_figures_notes_and_hits_readable(sample_dir: Path) -> None:
    corpus = load_corpus([sample_dir / "hunan-zhuzhou-lusong-2021.txt"])
    [notice] = corpus.notices
    section = notice.sections[0]
    notes = {section.id: [NoteMark("一条笔记 #标签", section.paragraphs[0].text[:6])]}
    app = PaneApp(SectionView(notice, section, notes, terms=("巡视",)))
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(DetailPane)
        checked = []
        for theme in sorted(app.available_themes):
            app.theme = theme
            await pilot.pause()
            pane.show(app.view)  # what the reader does on a theme change
            _, background = pane.background_colors
            foreground = pane.styles.color
            figures = hits = notes_seen = 0
            for text, _ in pane.query_one(ReadingText).blocks:
                for covered, color, behind in styled_spans(text):
                    behind = background + behind if behind is not None else background
                    ratio = contrast_ratio(color or foreground, behind)
                    assert ratio >= MINIMUM_CONTRAST, f"{theme}: {covered!r} at {ratio:.2f}:1"
                    figures += bool(FIGURES.fullmatch(covered))
                    hits += covered == "巡视"
                    notes_seen += "一条笔记" in covered
            assert figures and hits and notes_seen, theme
            checked.append(theme)
        assert len(checked) == len(app.available_themes) >= 20 and "textual-light" in checked


async def test_ctrl_t_repaints_the_text_in_the_new_theme_at_once(zhenggai_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await wait_loaded(pilot)
        assert screen.corpus is not None
        screen.open_notice(next(n for n in screen.corpus.notices if n.district == "芦淞区"))
        body = screen.query_one(ReadingText)

        def figure_colours() -> set[Color | None]:
            return {
                c
                for text, _ in body.blocks
                for covered, c, _ in styled_spans(text)
                if FIGURES.fullmatch(covered)
            }

        before = figure_colours()
        assert before
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme == "zhenggai-paper"
        after = figure_colours()
        assert after and after != before
        await saved(pilot)  # the setting is written by a worker
        assert Store.open().get("theme") == "zhenggai-paper"
