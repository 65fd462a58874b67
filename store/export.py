"""Markdown export of notes, bookmarks and saved comparisons (CommonMark; tables in GFM).

Everything the user wrote is escaped so no note can break the document (``#``, ``|``, ``>``, ``*``,
backticks, lines of ``---``), and detached notes are exported too, marked, with their quote.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..loaders import Corpus, Notice, Section
from ..loaders.cite import citation
from .anchor import Anchor, Attachment
from .locate import Placer, moved_to
from .markdown import corpus_front_matter, with_links

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&!{}$])")
_LINE_START = re.compile(r"^(\s*)([-+=])", re.MULTILINE)
_ORDERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def escape(text: str) -> str:
    """Backslash-escape what Markdown would read as syntax (emphasis, code, links, HTML, tables,
    headings) and what opens a block at a line start (lists, rules, setext underlines)."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = _LINE_START.sub(r"\1\\\2", text)
    return _ORDERED.sub(r"\1\\\2", text)


def inline(text: str) -> str:
    """User text as one escaped paragraph: blank lines collapse, line breaks become hard breaks; web
    links stay links."""
    lines = [with_links(line.strip(), escape) for line in text.strip().splitlines() if line.strip()]
    return "\\\n".join(lines) if lines else "\\-"


def blockquote(text: str) -> str:
    """A quoted passage as a blockquote, every line escaped and prefixed."""
    lines = [escape(line.strip()) for line in text.strip().splitlines() if line.strip()]
    return "\n>\n".join(f"> {line}" for line in lines) or "> \\-"


def cell(text: str) -> str:
    """Text for one GFM table cell."""
    return escape(re.sub(r"\s+", " ", text).strip()) or " "


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


@dataclass(slots=True)
class Placed:
    """A note or bookmark with where it landed in the loaded corpus."""

    record: dict[str, Any]
    anchor: Anchor
    notice: Notice | None
    attachment: Attachment

    @property
    def section(self) -> Section | None:
        """The section it is attached to, if any."""
        if self.notice is None or self.attachment.section_id is None:
            return None
        return self.notice.section(self.attachment.section_id)


def place(records: Iterable[dict[str, Any]], corpus: Corpus) -> list[Placed]:
    """Re-attach stored records to the loaded corpus (across a change of notice id, see ``locate``)."""
    placer = Placer(corpus)
    placed = []
    for record in records:
        anchor = Anchor.from_dict(record["anchor"])
        notice, attachment = placer.place(anchor)
        placed.append(Placed(record, anchor, notice, attachment))
    return placed


def _reading_key(item: Placed) -> tuple[str, str, str, int, int]:
    notice = item.notice
    assert notice is not None
    order = {s.id: i for i, s in enumerate(notice.walk())}
    return (
        notice.province or "",
        notice.city or "",
        notice.district or "",
        notice.index_in_file,
        order.get(item.attachment.section_id or "", 0),
    )


def export_markdown(
    corpus: Corpus,
    notes: list[dict[str, Any]],
    bookmarks: list[dict[str, Any]],
    comparisons: list[dict[str, Any]],
    *,
    title: str = "Zhenggai Reader notes",
) -> str:
    """The whole export: front matter, notes by place and section, bookmarks, comparisons, detached."""
    out = [
        "---",
        f"title: {yaml_string(title)}",
        f"exported_at: {yaml_string(datetime.now().astimezone().isoformat(timespec='seconds'))}",
        *corpus_front_matter(corpus),
        "---",
        "",
        f"# {escape(title)}",
        "",
    ]
    placed = place(notes, corpus)
    attached = sorted((p for p in placed if p.attachment.status != "detached"), key=_reading_key)
    detached = [p for p in placed if p.attachment.status == "detached"]
    out += ["## 笔记 Notes", ""] if attached else []
    current: tuple[str, str, str, str] | None = None
    for item in attached:
        notice = item.notice
        assert notice is not None
        key = (
            notice.province or "（省份未知）",
            notice.city or "（城市未知）",
            notice.district or "（地区未知）",
            notice.id,
        )
        if current is None or key[:1] != current[:1]:
            out += [f"### {escape(key[0])}", ""]
        if current is None or key[:2] != current[:2]:
            out += [f"#### {escape(key[1])}", ""]
        if current is None or key != current:
            out += [f"##### {escape(key[2])} — {escape(notice.title)}", ""]
        current = key
        out += _note_block(item)
    if bookmarks:
        out += ["## 书签 Bookmarks", ""]
        for item in place(bookmarks, corpus):
            out.append(f"- {_cite(item)}")
        out.append("")
    if comparisons:
        out += ["## 对比 Comparisons", ""]
        for comparison in comparisons:
            out += _comparison_table(comparison, corpus)
    if detached:
        out += ["## 未能定位的笔记 Detached notes", ""]
        out.append("These notes could not be placed in the loaded notices; their quotes are kept here.")
        out.append("")
        for item in detached:
            out += _note_block(item, detached=True)
    return "\n".join(out).rstrip() + "\n"


def _cite(item: Placed) -> str:
    if item.notice is None:
        return escape(
            f"（通报未载入 notice not loaded）id：{item.anchor.notice_id} §{item.anchor.section_id}"
        )
    return escape(citation(item.notice, item.section))


def _note_block(item: Placed, *, detached: bool = False) -> list[str]:
    record = item.record
    section = item.section
    heading = (
        f"{section.number}{section.title}"
        if section
        else f"§{item.anchor.section_id} {item.anchor.section_title}"
    )
    lines = [f"###### {escape(heading.strip())}" + (" （已脱离 detached）" if detached else ""), ""]
    quote = item.anchor.exact
    if item.notice is not None and item.attachment.status == "attached":
        quote = item.notice.body[item.attachment.start : item.attachment.end]
    lines += [blockquote(quote), "", inline(record.get("text", ""))]
    tags = record.get("tags") or []
    if tags:
        lines += ["", "标签 tags: " + " ".join(f"`{t.replace('`', '')}`" for t in tags)]
    lines += ["", f"— {_cite(item)}", ""]
    if moved_to(item.anchor, item.attachment):
        lines += [escape(f"（通报编号已变 notice id changed: was {item.anchor.notice_id}）"), ""]
    return lines


def _comparison_table(comparison: dict[str, Any], corpus: Corpus) -> list[str]:
    from ..loaders.comparison import compare, ledger_table

    notices = [n for n in (corpus.get(i) for i in comparison["notice_ids"]) if n is not None]
    lines = [f"### {escape(comparison['name'])}", ""]
    if comparison.get("note"):
        lines += [inline(comparison["note"]), ""]
    missing = [i for i in comparison["notice_ids"] if corpus.get(i) is None]
    if missing:
        lines += ["未载入 not loaded: " + ", ".join(f"`{m}`" for m in missing), ""]
    if len(notices) < 2:
        return lines
    lines += [*ledger_table(compare(notices)), ""]
    return lines
