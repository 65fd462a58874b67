"""``zhenggai bookmark|note|compare save/list/rm|export``: the store from the command line."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from ..loaders import Corpus
from ..store.anchor import Anchor, make_anchor, reattach
from ..store.db import Store
from ..store.export import export_markdown
from ..store.storage import StoreError
from .common import DataDirOpt, console, err_console, fail, load_or_exit, print_json, resolve_one

PathOpt = Annotated[list[Path] | None, typer.Option("--path", "-p", help="Notice files or folders to load.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
SectionOpt = Annotated[str | None, typer.Option("--section", "-s", help="Section id, e.g. 二/(三)/5.")]

bookmark_app = typer.Typer(help="Bookmarks on notices and sections.", no_args_is_help=True)
note_app = typer.Typer(help="Notes on notices, sections and quoted passages.", no_args_is_help=True)


@contextmanager
def opened(data_dir: Path | None, *, write: bool) -> Iterator[Store]:
    """Open the store, turning store problems into one-line errors."""
    store = Store.open(data_dir=data_dir)
    if store.problem:
        err_console.print(f"zhenggai: {store.problem}", markup=False, soft_wrap=True)
        if write:
            raise SystemExit(1)
    try:
        yield store
    except StoreError as exc:
        fail(str(exc))


def corpus_for(path: list[Path] | None, data_dir: Path | None) -> Corpus:
    """The notices named on the command line (bundled samples by default), parse cache on."""
    return load_or_exit(path, data_dir=data_dir)


def anchor_for(corpus: Corpus, notice: str, section: str | None, quote: str | None) -> dict[str, Any]:
    """Resolve NOTICE/--section/--quote into a stored anchor, or exit with a reason."""
    found = resolve_one(corpus, notice)
    section_id = section or (found.sections[0].id if found.sections else "")
    try:
        return make_anchor(found, section_id, quote).to_dict()
    except ValueError as exc:
        fail(str(exc))


def _where(record: dict[str, Any], corpus: Corpus | None) -> tuple[str, str]:
    anchor = Anchor.from_dict(record["anchor"])
    if corpus is None:
        return anchor.notice_id, anchor.section_id
    notice = corpus.get(anchor.notice_id)
    attachment = reattach(anchor, notice)
    if attachment.status == "detached":
        return anchor.notice_id, f"（已脱离 detached）§{anchor.section_id}"
    place = f"{notice.city or ''}{notice.district or ''}" if notice else anchor.notice_id
    return place, attachment.section_id or anchor.section_id


@bookmark_app.command("add")
def bookmark_add(
    notice: Annotated[str, typer.Argument(help="Notice id, id prefix or district.")],
    section: SectionOpt = None,
    path: PathOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Bookmark a notice (or one of its sections)."""
    corpus = corpus_for(path, data_dir)
    anchor = anchor_for(corpus, notice, section, None)
    with opened(data_dir, write=True) as store:
        record = store.add_bookmark(anchor)
    console.print(f"bookmark {record['id']} added", markup=False)


@bookmark_app.command("list")
def bookmark_list(as_json: JsonOpt = False, path: PathOpt = None, data_dir: DataDirOpt = None) -> None:
    """All bookmarks, with where they attach in the loaded notices."""
    with opened(data_dir, write=False) as store:
        records = store.bookmarks()
    if as_json:
        print_json(records)
        return
    corpus = corpus_for(path, data_dir)
    table = Table(box=box.SIMPLE_HEAD, title=f"{len(records)} bookmarks", title_justify="left")
    for column in ("id", "notice", "section", "title"):
        table.add_column(column)
    for record in records:
        place, section = _where(record, corpus)
        table.add_row(
            record["id"], Text(place), Text(section), Text(record["anchor"].get("section_title", ""))
        )
    console.print(table)


@bookmark_app.command("rm")
def bookmark_rm(bookmark_id: str, data_dir: DataDirOpt = None) -> None:
    """Delete a bookmark."""
    with opened(data_dir, write=True) as store:
        store.remove_bookmark(bookmark_id)
    console.print(f"bookmark {bookmark_id} removed", markup=False)


def edit_in_editor(initial: str) -> str:
    """Let the user write in ``$EDITOR`` (``vi`` by default); returns the text."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.NamedTemporaryFile("w+", suffix=".md", encoding="utf-8", delete=False) as handle:
        handle.write(initial)
        name = handle.name
    try:
        done = subprocess.run([*shlex.split(editor), name], check=False)
        if done.returncode != 0:
            fail(f"the editor exited with status {done.returncode}; nothing saved")
        return Path(name).read_text(encoding="utf-8").strip()
    finally:
        Path(name).unlink(missing_ok=True)


@note_app.command("add")
def note_add(
    notice: Annotated[str, typer.Argument(help="Notice id, id prefix or district.")],
    text: Annotated[str | None, typer.Argument(help="The note; #tags are collected.")] = None,
    section: SectionOpt = None,
    quote: Annotated[str | None, typer.Option("--quote", "-q", help="The passage the note is about.")] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Write the note in $EDITOR.")] = False,
    path: PathOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Add a note on a notice, a section, or a quoted passage."""
    corpus = corpus_for(path, data_dir)
    anchor = anchor_for(corpus, notice, section, quote)
    body = edit_in_editor(text or "") if edit else (text or "")
    if not body.strip():
        fail("the note is empty; nothing saved")
    with opened(data_dir, write=True) as store:
        record = store.add_note(anchor, body)
    tags = f" (tags: {', '.join(record['tags'])})" if record["tags"] else ""
    console.print(f"note {record['id']} added{tags}", markup=False)


@note_app.command("list")
def note_list(
    notice: Annotated[str | None, typer.Option("--notice", help="Only notes on this notice.")] = None,
    tag: Annotated[str | None, typer.Option("--tag", help="Only notes with this #tag (without #).")] = None,
    as_json: JsonOpt = False,
    path: PathOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Notes, with where they attach in the loaded notices."""
    corpus = corpus_for(path, data_dir)
    notice_id = resolve_one(corpus, notice).id if notice else None
    with opened(data_dir, write=False) as store:
        records = store.notes(notice_id, tag.lstrip("#") if tag else None)
    if as_json:
        for record in records:
            attachment = reattach(
                Anchor.from_dict(record["anchor"]), corpus.get(record["anchor"]["notice_id"])
            )
            record["attachment"] = {"status": attachment.status, "section_id": attachment.section_id}
        print_json(records)
        return
    table = Table(box=box.SIMPLE_HEAD, title=f"{len(records)} notes", title_justify="left")
    for column in ("id", "notice", "section", "note", "tags"):
        table.add_column(column, overflow="fold")
    for record in records:
        place, section_id = _where(record, corpus)
        tags = " ".join("#" + t for t in record["tags"])
        table.add_row(record["id"], Text(place), Text(section_id), Text(record["text"]), Text(tags))
    console.print(table)


@note_app.command("edit")
def note_edit(
    note_id: str,
    text: Annotated[str | None, typer.Argument(help="New text (default: open $EDITOR).")] = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Change a note's text (in $EDITOR unless given)."""
    with opened(data_dir, write=True) as store:
        record = store.note(note_id)
        if record is None:
            fail(f"no note with id {note_id}")
        body = text if text is not None else edit_in_editor(record["text"])
        if not body.strip():
            fail("the note is empty; nothing changed (use `zhenggai note rm` to delete it)")
        store.edit_note(note_id, body)
    console.print(f"note {note_id} changed", markup=False)


@note_app.command("rm")
def note_rm(note_id: str, data_dir: DataDirOpt = None) -> None:
    """Delete a note."""
    with opened(data_dir, write=True) as store:
        store.remove_note(note_id)
    console.print(f"note {note_id} removed", markup=False)


def compare_save(
    name: Annotated[str, typer.Argument(help="A name for the comparison.")],
    notices: Annotated[list[str], typer.Argument(help="Two or more notices.")],
    section: SectionOpt = None,
    note: Annotated[str, typer.Option("--note", help="A note on the comparison.")] = "",
    path: PathOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Save a named comparison of two or more notices."""
    corpus = corpus_for(path, data_dir)
    ids = [resolve_one(corpus, q).id for q in notices]
    with opened(data_dir, write=True) as store:
        store.save_comparison(name, ids, section_id=section, note=note)
    console.print(f"comparison {name!r} saved ({len(ids)} notices)", markup=False)


def compare_list(as_json: JsonOpt = False, data_dir: DataDirOpt = None) -> None:
    """Saved comparisons."""
    with opened(data_dir, write=False) as store:
        records = store.comparisons()
    if as_json:
        print_json(records)
        return
    table = Table(box=box.SIMPLE_HEAD, title=f"{len(records)} comparisons", title_justify="left")
    for column in ("name", "notices", "note"):
        table.add_column(column, overflow="fold")
    for record in records:
        table.add_row(
            Text(record["name"]), Text(" ".join(record["notice_ids"])), Text(record.get("note", ""))
        )
    console.print(table)


def compare_rm(name: str, data_dir: DataDirOpt = None) -> None:
    """Delete a saved comparison."""
    with opened(data_dir, write=True) as store:
        store.remove_comparison(name)
    console.print(f"comparison {name!r} removed", markup=False)


def export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (default: stdout).")
    ] = None,
    notice: Annotated[list[str] | None, typer.Option("--notice", help="Only notes on these notices.")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Only notes with these tags.")] = None,
    path: PathOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Export notes, bookmarks and saved comparisons as Markdown."""
    corpus = corpus_for(path, data_dir)
    ids = {resolve_one(corpus, q).id for q in notice or []}
    tags = {t.lstrip("#") for t in tag or []}
    with opened(data_dir, write=False) as store:
        notes = [
            n
            for n in store.notes()
            if (not ids or n["anchor"]["notice_id"] in ids) and (not tags or tags & set(n["tags"]))
        ]
        bookmarks = [b for b in store.bookmarks() if not ids or b["anchor"]["notice_id"] in ids]
        comparisons = [] if ids or tags else store.comparisons()
    markdown = export_markdown(corpus, notes, bookmarks, comparisons)
    if output is None:
        typer.echo(markdown, nl=False)
        return
    try:
        output.write_text(markdown, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
    err_console.print(f"exported {len(notes)} notes to {output}", markup=False)


def register(app: typer.Typer, compare_app: typer.Typer) -> None:
    """Add the store's commands to the main app and the ``compare`` group."""
    app.add_typer(bookmark_app, name="bookmark")
    app.add_typer(note_app, name="note")
    compare_app.command("save")(compare_save)
    compare_app.command("list")(compare_list)
    compare_app.command("rm")(compare_rm)
    app.command("export")(export)
