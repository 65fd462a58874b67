"""Bookmarks, notes and export for the reader screen (a mixin: the screen owns the store)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ...loaders import Notice, Section
from ...loaders.cite import section_label
from ...store.session import Annotations
from ...store.spots import Spot, Spots, stored_anchor_key
from ..widgets.detail import NoteMark

T = TypeVar("T")

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from ...store.last_placing import LastPlacing
    from .annotations import AnnotationAction, AnnotationItem

    _Base = Screen[None]
else:
    _Base = object


class AnnotatingMixin(_Base):
    """Actions ``b``, ``n``, ``B``, ``N``, ``e`` and the notes shown in the text."""

    notice: Notice | None
    section: Section | None
    annotations: Annotations | None
    notes_problem: str | None = None
    """Why the store's file could not be read (then nothing can be noted this session)."""
    deleted: tuple[str, dict[str, Any]] | None = None
    """The note or bookmark deleted last (``u`` puts it back)."""

    def refresh_annotations(self) -> None:
        """Re-render marks and notes after a change."""
        raise NotImplementedError

    def jump_to(self, notice_id: str, section_id: str) -> None:
        """Open a notice at a section."""
        raise NotImplementedError

    if TYPE_CHECKING:  # provided by the coding mixin

        def _last(self) -> LastPlacing: ...

    def note_marks(self, notice: Notice) -> dict[str, list[NoteMark]]:
        """The notes of a notice, by section, as the detail pane shows them."""
        if self.annotations is None:
            return {}
        placed = self.annotations.notes_by_section(notice)
        return {
            section_id: [
                NoteMark(p.record["text"], p.quote, tuple(p.record["tags"]), p.detached) for p in items
            ]
            for section_id, items in placed.items()
        }

    def _store_ready(self) -> Annotations | None:
        if self.annotations is None:
            if self.notes_problem:  # the store's file could not be read at all
                title = "笔记不可读 notes unreadable"
                self.notify(self.notes_problem, title=title, severity="error", markup=False)
            else:
                self.notify("还在载入 · still loading", severity="warning", markup=False)
            return None
        if self.annotations.store.read_only:
            problem = self.annotations.store.problem or "the store is read-only"
            self.notify(problem, title="只读 read-only", severity="error", timeout=8, markup=False)
            return None
        return self.annotations

    def _save(self, change: Callable[[], T], message: Callable[[T], str]) -> None:
        """Apply a store change off the UI thread; then re-render the marks and say what was done."""

        def done(result: T) -> None:
            self.refresh_annotations()
            self.notify(message(result), timeout=2, markup=False)

        write = getattr(self.app, "write_store", None)
        if callable(write):
            write(change, done)

    def action_bookmark(self) -> None:
        """Bookmark the current section (again: remove the bookmark)."""
        annotations = self._store_ready()
        if annotations is None or self.notice is None or self.section is None:
            return
        notice, section = self.notice, self.section
        self._save(
            lambda: annotations.toggle_bookmark(notice, section),
            lambda added: (
                ("已加书签 bookmarked" if added else "已删书签 bookmark removed")
                + f": {section_label(section)}"
            ),
        )

    def action_note(self) -> None:
        """Write a note on the current section, or on the selected text."""
        from ...store.anchor import make_anchor
        from .note_editor import NoteEditor

        annotations = self._store_ready()
        if annotations is None or self.notice is None or self.section is None:
            return
        notice, section = self.notice, self.section
        selected = (self.get_selected_text() or "").strip() or None
        try:  # a selection inside this section becomes the quoted passage; otherwise the whole section
            quote = make_anchor(notice, section.id, selected).exact if selected else None
        except ValueError:
            quote = None
        where = f"{notice.district or notice.title} › {section_label(section)}"

        def written(text: str | None) -> None:
            if text is not None:
                self._save(
                    lambda: annotations.add_note(notice, section, text, quote),
                    lambda _: "笔记已保存 note saved",
                )

        # pushed now, not from a worker: keys typed right after ``n`` belong to the editor
        self.app.push_screen(NoteEditor(where, quote or ""), written)

    def _listed(self, kind: str) -> tuple[int, Iterator[list[AnnotationItem]]]:
        """How many notes (``kind="notes"``) or bookmarks there are, and their list items a notice at a
        time, placed as they are taken (``AnnotationList`` takes the first at once, the rest on a
        worker).  Passages placed before (``LastPlacing``'s spots: by the coding screens or an earlier
        list, in this run or the last) are not placed again; the spots made are kept for next time."""
        annotations = self.annotations
        assert annotations is not None
        records = annotations.records(kind)
        last, corpus = self._last(), annotations.corpus

        def batches() -> Iterator[list[AnnotationItem]]:
            # the spots in memory at once; those on disk after the first notice's items, on the worker
            known: Spots = dict(last.spots(corpus, read=False))
            made: Spots = {}
            for number, (notice_id, group) in enumerate(annotations.listed(kind, records, known, made)):
                yield [_item(notice_id, record, spot) for record, spot in group]
                if number == 0:
                    known.update(last.spots(corpus))
            if last.add(corpus, made):
                last.save_spots(corpus)

        return len(records), batches()

    async def _writes_done(self) -> None:
        """Let the store writes under way finish (briefly) so a list shows what was just saved."""
        pending = [worker for worker in self.app.workers if worker.group == "store"]
        if pending:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.app.workers.wait_for_complete(pending), 2.0)

    async def action_bookmarks(self) -> None:
        """The list of bookmarks."""
        from .annotations import AnnotationList

        await self._writes_done()
        if self.annotations is not None:
            total, batches = self._listed("bookmarks")
            self.app.push_screen(
                AnnotationList("书签 Bookmarks", batches, editable=False, total=total),
                lambda choice: self._handle(choice, "bookmarks"),
            )

    async def action_notes(self) -> None:
        """The list of notes."""
        from .annotations import AnnotationList

        await self._writes_done()
        if self.annotations is not None:
            self.annotations.refresh()  # another zhenggai may have added some
            total, batches = self._listed("notes")
            self.app.push_screen(
                AnnotationList("笔记 Notes", batches, editable=True, total=total),
                lambda choice: self._handle(choice, "notes"),
            )

    def _handle(self, choice: AnnotationAction | None, kind: str) -> None:
        if choice is None or self.annotations is None:
            return
        item = choice.item
        annotations = self.annotations
        if choice.action == "jump" and item.section_id:
            self.jump_to(item.notice_id, item.section_id)
        elif choice.action == "delete" and self._store_ready():
            self._delete(annotations, kind, item.record_id)
        elif choice.action == "edit" and self._store_ready():
            self._edit_note(item)

    def _edit_note(self, item: AnnotationItem) -> None:
        from .note_editor import NoteEditor

        annotations = self.annotations
        if annotations is None:
            return

        def edited(text: str | None) -> None:
            if text is not None:
                self._save(
                    lambda: annotations.edit_note(item.record_id, text), lambda _: "笔记已修改 note changed"
                )

        self.app.push_screen(NoteEditor(f"{item.place} › {item.section_label}", "", item.text), edited)

    def _delete(self, annotations: Annotations, kind: str, record_id: str) -> None:
        """Delete a note or bookmark, keeping it so ``u`` can put it back."""

        def remove() -> dict[str, Any]:
            store = annotations.store
            record = store.remove_note(record_id) if kind == "notes" else store.remove_bookmark(record_id)
            annotations.refresh()
            return record

        def removed(record: dict[str, Any]) -> str:
            self.deleted = (kind, record)
            return "已删除 deleted · u 撤销 undo"

        self._save(remove, removed)

    def action_undo_delete(self) -> None:
        """Put back the note or bookmark deleted last (same id, text and place)."""
        annotations = self._store_ready()
        deleted = self.deleted
        if annotations is None:
            return
        if deleted is None:
            self.notify("没有可撤销的删除 · nothing deleted to undo", timeout=2, markup=False)
            return
        kind, record = deleted
        self.deleted = None
        extra = {k: v for k, v in record.items() if k not in ("anchor", "text", "tags", "created", "updated")}

        def restore() -> None:
            store = annotations.store
            if kind == "notes":
                store.add_note(record["anchor"], record["text"], **extra)
            else:
                store.add_bookmark(record["anchor"], **extra)
            annotations.refresh()

        self._save(restore, lambda _: "已恢复 restored")

    def action_export(self) -> None:
        """Export every note, bookmark and saved comparison to a Markdown file, in a folder the user
        chooses (the last choice is offered again); nothing is written when there is nothing to export."""
        annotations = self.annotations
        if annotations is None:
            return
        store = annotations.store
        if not (store.notes() or store.bookmarks() or store.comparisons()):
            self.notify(
                "没有笔记、书签或对比可导出 · nothing to export yet", severity="warning", markup=False
            )
            return

        def write(folder: Path) -> None:
            path = folder / f"zhenggai-notes-{datetime.now().strftime('%Y%m%d-%H%M%S')}.md"
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(annotations.export(), encoding="utf-8")
            except OSError as exc:
                self.notify(f"导出失败 export failed: {exc.strerror or exc}", severity="error", markup=False)
                return
            self.notify(f"已导出 exported to {path}", title="导出 export", timeout=8, markup=False)

        ask_export_folder(self.app, write)


def ask_export_folder(app: App[Any], then: Callable[[Path], object]) -> None:
    """Ask where to export (offering the last folder chosen, remembered), then call ``then``."""
    from .note_editor import Prompt

    setting = getattr(app, "setting", None)
    last = setting("export_dir") if callable(setting) else None
    default = str(last or getattr(app, "export_dir", None) or Path.cwd())

    def chosen(answer: str | None) -> None:
        if not answer:
            return
        folder = Path(answer).expanduser()
        save = getattr(app, "save_setting", None)
        if callable(save):
            save("export_dir", str(folder))
        then(folder)

    app.push_screen(Prompt("导出到哪个文件夹 export to which folder", default), chosen)


def _item(notice_id: str, record: dict[str, Any], spot: Spot) -> AnnotationItem:
    """A placed note or bookmark as the list shows it."""
    from .annotations import AnnotationItem

    detached = spot.status == "detached"
    text, label = record.get("text"), spot.section
    if text is None or detached:  # a bookmark (its passage, if any), or the anchor's own section id
        _, section_id, _, exact, *_, whole_section, _, _ = stored_anchor_key(record["anchor"])
        text = record.get("text", "" if whole_section else exact)
        label = f"§{section_id}" if detached else label
    return AnnotationItem(
        record["id"],
        notice_id,
        None if detached else spot.section_id,
        f"{spot.city}{spot.district}" if spot.found else notice_id,
        label,
        text,
        detached,
    )
