"""``zhenggai bookmark|note|compare save/list/rm|export``: the store from the command line."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.cells import cell_len

from ..loaders import Corpus, Notice, Section, fold
from .common import (
    DataDirOpt,
    PathOpt,
    console,
    err_console,
    fail,
    load_or_exit,
    plural,
    print_json,
    resolve_one,
    safe,
    show_table,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
SectionOpt = Annotated[
    str | None,
    typer.Option("--section", "-s", metavar="ID", help="Section id, e.g. 二/(三)/5.", show_default=False),
]
NoticeArg = Annotated[str, typer.Argument(help="Notice id, id prefix or district.", metavar="NOTICE")]

if TYPE_CHECKING:  # the store loads when a command uses it: `list`, `show`, `search` never do
    from ..store.db import Store
    from ..store.locate import Placer

bookmark_app = typer.Typer(
    help="Bookmarks on notices and sections.\n\nExample: zhenggai bookmark add 和平区 -s 二/(二)",
    no_args_is_help=True,
)
note_app = typer.Typer(
    help="Notes on notices, sections and quoted passages.\n\n"
    "Example: zhenggai note add 和平区 '要跟进 #营商环境' --quote 政务服务",
    no_args_is_help=True,
)


@contextmanager
def opened(data_dir: Path | None, *, write: bool) -> Iterator[Store]:
    """Open the store, turning store problems into one-line errors."""
    from ..store.db import Store
    from ..store.storage import StoreError

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
    """Resolve NOTICE/--section/--quote into a stored anchor, or exit with a reason.

    Without ``--section``, a quote is looked for in the whole notice: the section that holds it is the
    anchor's; a quote found in several sections lists them (id and context) and exits 1.
    """
    from ..store.anchor import make_anchor

    found = resolve_one(corpus, notice)
    if section is not None:
        target = found.section(section)
        if target is None:
            fail(f"{found.id} has no section {section!r}")
        section_id = target.id
    elif quote is not None and quote.strip():
        section_id = section_quoting(found, quote)
    else:
        section_id = found.sections[0].id if found.sections else ""
    try:
        return make_anchor(found, section_id, quote).to_dict()
    except ValueError as exc:
        fail(str(exc))


_QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "‘": "'", "’": "'", "『": "'", "』": "'"})


def _squash(text: str) -> str:
    """Text compared for quotes: width-folded, quotation marks straightened, whitespace removed."""
    return "".join(fold(text).translate(_QUOTES).split())


def section_quoting(notice: Notice, quote: str) -> str:
    """The id of the one section whose text holds ``quote``; exit 1 if none or several do."""
    wanted = _squash(quote)
    own = [s for s in notice.walk() if wanted in _squash(s.text)]
    if not own:  # across a heading and the text below it: the innermost sections that hold it whole
        whole = {s.id for s in notice.walk() if wanted in _squash(s.full_text())}
        own = [s for s in notice.walk() if s.id in whole and not any(c.id in whole for c in s.children)]
    if not own:
        fail(f"the quote is not in {notice.id}")
    if len(own) > 1:
        lines = [f"the quote is in {plural(len(own), 'section')} of {notice.id}; choose one with --section:"]
        width = max(cell_len(s.id) for s in own[:20])
        lines += [f"  {s.id}{' ' * (width - cell_len(s.id))}  {_context(notice, s, quote)}" for s in own[:20]]
        lines += [f"  … and {len(own) - 20} more"] if len(own) > 20 else []
        err_console.print(safe("\n".join(lines)), markup=False)
        raise SystemExit(1)
    return own[0].id


def _context(notice: Notice, section: Section, quote: str) -> str:
    """``…before quote after…`` on one line."""
    from ..store.anchor import make_anchor

    try:
        anchor = make_anchor(notice, section.id, quote)
    except ValueError:
        return f"{section.number}{section.title}"
    text = f"…{anchor.prefix[-12:]}{anchor.exact}{anchor.suffix[:12]}…"
    return " ".join(text.split())


def _where(record: dict[str, Any], corpus: Corpus | None, placer: Placer | None = None) -> tuple[str, str]:
    from ..store.anchor import Anchor
    from ..store.locate import Placer

    anchor = Anchor.from_dict(record["anchor"])
    if corpus is None:
        return anchor.notice_id, anchor.section_id
    notice, attachment = (placer or Placer(corpus)).place(anchor)
    if attachment.status == "detached":
        return anchor.notice_id, f"（已脱离 detached）§{anchor.section_id}"
    place = f"{notice.city or ''}{notice.district or ''}" if notice else anchor.notice_id
    return place, attachment.section_id or anchor.section_id


@bookmark_app.command("add")
def bookmark_add(
    notice: NoticeArg,
    section: SectionOpt = None,
    path: PathOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Bookmark a notice (or one of its sections).

    Example: zhenggai bookmark add 沈阳 和平区 --section 二/(二)
    """
    corpus = corpus_for(path, data_dir)
    anchor = anchor_for(corpus, notice, section, None)
    with opened(data_dir, write=True) as store:
        record = store.add_bookmark(anchor)
    console.print(f"bookmark {record['id']} added", markup=False)


@bookmark_app.command("list")
def bookmark_list(as_json: JsonOpt = False, path: PathOpt = None, data_dir: DataDirOpt = None) -> None:
    """All bookmarks, with where they attach in the loaded notices.

    Example: zhenggai bookmark list --json
    """
    with opened(data_dir, write=False) as store:
        records = store.bookmarks()
    if as_json:
        print_json(records)
        return
    from ..store.locate import Placer

    corpus = corpus_for(path, data_dir)
    placer = Placer(corpus)
    rows = []
    for record in records:
        place, section = _where(record, corpus, placer)
        rows.append((record["id"], place, section, record["anchor"].get("section_title", "")))
    show_table(plural(len(records), "bookmark"), ("id", "notice", "section", "title"), rows)


@bookmark_app.command("rm")
def bookmark_rm(
    bookmark_id: Annotated[str, typer.Argument(help="As `zhenggai bookmark list` shows it.", metavar="ID")],
    data_dir: DataDirOpt = None,
) -> None:
    """Delete a bookmark.

    Example: zhenggai bookmark rm 3f2a9c01de
    """
    with opened(data_dir, write=True) as store:
        store.remove_bookmark(bookmark_id)
    console.print(f"bookmark {bookmark_id} removed", markup=False)


def edit_in_editor(initial: str) -> str:
    """Let the user write in ``$VISUAL`` or ``$EDITOR`` (``vi`` by default); returns the text.

    An editor that cannot be started, or exits with an error, is a one-line error (exit 1).
    """
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        command = shlex.split(editor)
    except ValueError as exc:
        fail(f"cannot start the editor {editor!r}: {exc}")
    if not command:
        fail(f"cannot start the editor {editor!r}: the command is empty")
    with tempfile.NamedTemporaryFile("w+", suffix=".md", encoding="utf-8", delete=False) as handle:
        handle.write(initial)
        name = handle.name
    try:
        try:
            done = subprocess.run([*command, name], check=False)
        except OSError as exc:
            fail(f"cannot start the editor {editor!r}: {exc.strerror or exc}; nothing saved")
        if done.returncode != 0:
            fail(f"the editor exited with status {done.returncode}; nothing saved")
        return Path(name).read_text(encoding="utf-8").strip()
    finally:
        Path(name).unlink(missing_ok=True)


@note_app.command("add")
def note_add(
    notice: NoticeArg,
    text: Annotated[
        str | None, typer.Argument(help="The note; #tags are collected.", metavar="TEXT", show_default=False)
    ] = None,
    section: SectionOpt = None,
    quote: Annotated[
        str | None,
        typer.Option(
            "--quote",
            "-q",
            metavar="TEXT",
            help="The passage the note is about; without --section, the section that holds it.",
            show_default=False,
        ),
    ] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Write the note in $EDITOR.")] = False,
    path: PathOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Add a note on a notice, a section, or a quoted passage.

    Example: zhenggai note add 安定区 '完成率 #台账' --quote 已完成整改14个
    """
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
    notice: Annotated[
        str | None,
        typer.Option("--notice", metavar="NOTICE", help="Only notes on this notice.", show_default=False),
    ] = None,
    tag: Annotated[
        str | None,
        typer.Option("--tag", metavar="TAG", help="Only notes with this #tag.", show_default=False),
    ] = None,
    as_json: JsonOpt = False,
    path: PathOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Notes, with where they attach in the loaded notices.

    Example: zhenggai note list --tag 营商环境
    """
    corpus = corpus_for(path, data_dir)
    notice_id = resolve_one(corpus, notice).id if notice else None
    with opened(data_dir, write=False) as store:
        records = store.notes(notice_id, tag.lstrip("#") if tag else None)
    from ..store.anchor import Anchor
    from ..store.locate import Placer

    placer = Placer(corpus)  # follows a note across an id change (an edited opening)
    if as_json:
        for record in records:
            _, attachment = placer.place(Anchor.from_dict(record["anchor"]))
            record["attachment"] = {
                "status": attachment.status,
                "section_id": attachment.section_id,
                "notice_id": attachment.notice_id or None,
                "reason": attachment.reason,
            }
        print_json(records)
        return
    rows = []
    for record in records:
        place, section_id = _where(record, corpus, placer)
        tags = " ".join("#" + t for t in record["tags"])
        rows.append((record["id"], place, section_id, record["text"], tags))
    show_table(plural(len(records), "note"), ("id", "notice", "section", "note", "tags"), rows)


@note_app.command("edit")
def note_edit(
    note_id: Annotated[str, typer.Argument(help="As `zhenggai note list` shows it.", metavar="ID")],
    text: Annotated[
        str | None,
        typer.Argument(help="New text (default: open $EDITOR).", metavar="TEXT", show_default=False),
    ] = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Change a note's text (in $EDITOR unless given).

    Example: zhenggai note edit 3f2a9c01de '改写 #新标签'
    """
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
def note_rm(
    note_id: Annotated[str, typer.Argument(help="As `zhenggai note list` shows it.", metavar="ID")],
    data_dir: DataDirOpt = None,
) -> None:
    """Delete a note.

    Example: zhenggai note rm 3f2a9c01de
    """
    with opened(data_dir, write=True) as store:
        store.remove_note(note_id)
    console.print(f"note {note_id} removed", markup=False)


def compare_save(
    name: Annotated[str, typer.Argument(help="A name for the comparison.", metavar="NAME")],
    notices: Annotated[
        list[str],
        typer.Argument(help="Two or more notices: ids, id prefixes or districts.", metavar="NOTICE"),
    ],
    section: SectionOpt = None,
    note: Annotated[
        str, typer.Option("--note", metavar="TEXT", help="A note on the comparison.", show_default=False)
    ] = "",
    force: Annotated[
        bool, typer.Option("--force", "-f", help="Replace a saved comparison of the same name.")
    ] = False,
    path: PathOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Save a named comparison of two or more notices.

    Example: zhenggai compare save 沈阳两区 和平区 沈河区 --note 先看台账
    """
    corpus = corpus_for(path, data_dir)
    found = [resolve_one(corpus, q) for q in notices]
    if section is not None:  # the id as the notices write it (二/(三), not 二/（三）)
        section = next((s.id for n in found if (s := n.section(section)) is not None), section)
    ids = [n.id for n in found]
    from ..store.comparisons import ComparisonExists

    with opened(data_dir, write=True) as store:
        try:
            record = store.save_comparison(name, ids, section_id=section, note=note, replace=force)
        except ComparisonExists as exc:
            fail(f"{exc} (use --force to replace it)")
    console.print(f"comparison {record['name']!r} saved ({plural(len(ids), 'notice')})", markup=False)


def compare_list(as_json: JsonOpt = False, data_dir: DataDirOpt = None) -> None:
    """Saved comparisons.

    Example: zhenggai compare list
    """
    with opened(data_dir, write=False) as store:
        records = store.comparisons()
    if as_json:
        print_json(records)
        return
    rows = [(r["name"], " ".join(r["notice_ids"]), r.get("note", "")) for r in records]
    show_table(plural(len(records), "comparison"), ("name", "notices", "note"), rows)


def compare_rm(
    name: Annotated[str, typer.Argument(help="As `zhenggai compare list` shows it.", metavar="NAME")],
    data_dir: DataDirOpt = None,
) -> None:
    """Delete a saved comparison.

    Example: zhenggai compare rm 沈阳两区
    """
    with opened(data_dir, write=True) as store:
        store.remove_comparison(name)
    console.print(f"comparison {name!r} removed", markup=False)


def export(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write to this file (default: stdout).", show_default=False
        ),
    ] = None,
    notice: Annotated[
        list[str] | None,
        typer.Option(
            "--notice", metavar="NOTICE", help="Only notes on this notice (repeatable).", show_default=False
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option(
            "--tag", metavar="TAG", help="Only notes with this tag (repeatable).", show_default=False
        ),
    ] = None,
    qdpx: Annotated[
        Path | None,
        typer.Option(
            "--qdpx",
            metavar="FILE",
            help="Write a REFI-QDA project (NVivo, MAXQDA, ATLAS.ti).",
            show_default=False,
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by", metavar="code|district", help="Coded quotes as Markdown, grouped.", show_default=False
        ),
    ] = None,
    path: PathOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Export notes, bookmarks and saved comparisons as Markdown; coded quotes (--by); REFI-QDA (--qdpx).

    Example: zhenggai export --tag 营商环境 -o notes.md

    Example: zhenggai export --qdpx project.qdpx   ·   zhenggai export --by code -o quotes.md
    """
    if qdpx is not None or by is not None:
        from .research import export_grouped, export_qdpx_to

        if qdpx is not None:
            export_qdpx_to(qdpx, path, data_dir)
        if by is not None:
            export_grouped(by, output, path, data_dir)
        return
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
    from ..store.export import export_markdown

    markdown = export_markdown(corpus, notes, bookmarks, comparisons)
    if output is None:
        typer.echo(markdown, nl=False)
        return
    try:
        output.write_text(markdown, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
    err_console.print(f"exported {plural(len(notes), 'note')} to {output}", markup=False)


def register(app: typer.Typer, compare_app: typer.Typer) -> None:
    """Add the store's commands to the main app and the ``compare`` group."""
    app.add_typer(bookmark_app, name="bookmark")
    app.add_typer(note_app, name="note")
    compare_app.command("save")(compare_save)
    compare_app.command("list")(compare_list)
    compare_app.command("rm")(compare_rm)
    app.command("export")(export)
