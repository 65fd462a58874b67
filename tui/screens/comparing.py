"""Marks and saved comparisons for the reader screen (a mixin): marks kept in the store's settings,
the marked notices and the saved comparisons listed and opened from inside the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from ...loaders import Corpus, Notice
from ..widgets.district_list import DistrictList

if TYPE_CHECKING:
    from textual.screen import Screen

    _Base = Screen[None]
else:
    _Base = object

#: The settings key of the marked notices.
MARKED_SETTING = "marked"


class ComparingMixin(_Base):
    """``M`` the marked notices, ``C`` the saved comparisons; marks survive a restart."""

    corpus: Corpus | None
    marked: list[str]

    def jump_to(self, notice_id: str, section_id: str) -> None:
        """Open a notice at a section."""
        raise NotImplementedError

    def open_comparison(self, notices: list[Notice], name: str = "") -> None:
        """Show these notices side by side."""
        raise NotImplementedError

    def restore_marks(self) -> None:
        """Mark again the notices marked when the reader was last used (those still loaded)."""
        setting = getattr(self.app, "setting", None)
        saved = setting(MARKED_SETTING, []) if callable(setting) else []
        if self.corpus is None or not isinstance(saved, list) or self.marked:
            return
        self.marked = [i for i in saved if isinstance(i, str) and self.corpus.get(i) is not None]
        if self.marked:
            self.query_one(DistrictList).set_marked(set(self.marked))

    def save_marks(self) -> None:
        """Keep the marks in the store's settings."""
        save = getattr(self.app, "save_setting", None)
        if callable(save):
            save(MARKED_SETTING, list(self.marked))

    def action_marked(self) -> None:
        """The marked notices: enter opens one."""
        from ...loaders.comparison import notice_heading
        from .choose import ChoiceList

        notices = [n for n in (self.corpus.get(i) for i in self.marked) if n] if self.corpus else []
        if not notices:
            self.notify("还没有标记 · nothing marked yet (m marks a notice)", timeout=3, markup=False)
            return
        entries = [(n.id, Text(notice_heading(n))) for n in notices]

        def chosen(notice_id: str | None) -> None:
            notice = self.corpus.get(notice_id) if notice_id and self.corpus else None
            if notice is not None and notice.sections:
                self.jump_to(notice.id, notice.sections[0].id)

        hint = "enter 打开 open · esc 关闭 close · c 在阅读界面对比 compare from the reader"
        self.app.push_screen(ChoiceList(f"已标记 Marked ({len(notices)})", hint, entries), chosen)

    def action_comparisons(self) -> None:
        """The saved comparisons: enter opens one."""
        from .choose import ChoiceList

        store = getattr(self.app, "store", None)
        saved = store.comparisons() if store is not None else []
        if not saved or self.corpus is None:
            self.notify(
                "还没有保存的对比 · no saved comparison yet (s in a comparison)", timeout=3, markup=False
            )
            return
        entries = []
        for record in saved:
            label = Text(str(record["name"]), style="bold")
            label.append(f"  {len(record['notice_ids'])} 篇", style="dim")
            entries.append((str(record["name"]), label))

        def chosen(name: str | None) -> None:
            record = next((r for r in saved if r["name"] == name), None)
            if record is None or self.corpus is None:
                return
            notices = [n for n in (self.corpus.get(i) for i in record["notice_ids"]) if n is not None]
            if len(notices) < 2:
                self.notify(
                    "这组对比的通报未全部载入 · its notices are not loaded", severity="warning", markup=False
                )
                return
            self.open_comparison(notices, str(record["name"]))

        hint = "enter 打开 open · esc 关闭"
        self.app.push_screen(
            ChoiceList(f"保存的对比 Saved comparisons ({len(saved)})", hint, entries), chosen
        )
