"""Markdown a researcher can paste: coded quotes grouped by code or by district.

Each quote is shown inside its sentence (the coded words in bold), with its memo, the notes written on
the same passage (their links kept), and a citation naming the issuing committee, the title, the date,
the section and the source URL where known.  The front matter gives the corpus by count and content
hash (``store.markdown``), never a folder.  Everything from a notice or the user is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

from ..loaders import Corpus, Notice
from .anchor import Anchor
from .codes import Codebook
from .export import blockquote, escape, inline, yaml_string
from .locate import Placer
from .markdown import corpus_front_matter
from .retrieval import CodedQuote

GroupBy = Literal["code", "district"]


def quote_citation(notice: Notice | None, quote: CodedQuote) -> str:
    """``中共…区委：《…》，“二、…”，2024-03-27。https://…`` (what is known of it)."""
    if notice is None:
        return f"（通报未载入 notice not loaded）{quote.notice_id} §{quote.section_id}"
    meta = notice.meta
    date = meta.publication_date or meta.signature_date or meta.feedback_date
    parts = [f"{meta.committee}：" if meta.committee else "", f"《{meta.title}》"]
    if quote.section and quote.section_id != "preamble":
        parts.append(f"，“{quote.section}”")
    if date:
        parts.append(f"，{date}")
    parts.append("。")
    return "".join(parts)


def _sentence_block(quote: CodedQuote) -> str:
    """The sentence around the quote as a blockquote, the quote itself in bold."""
    sentence = quote.sentence or quote.quote
    at = sentence.find(quote.quote) if quote.quote else -1
    if at < 0 or quote.quote == sentence or "\n" in quote.quote:
        return blockquote(sentence if at >= 0 else quote.quote)
    before, after = sentence[:at], sentence[at + len(quote.quote) :]
    return f"> {escape(before)}**{escape(quote.quote)}**{escape(after)}"


def _notes_by_passage(
    corpus: Corpus, notes: Iterable[dict[str, Any]]
) -> dict[tuple[str, int, int], list[str]]:
    placer = Placer(corpus)
    found: dict[tuple[str, int, int], list[str]] = {}
    for note in notes:
        notice, attachment = placer.place(Anchor.from_dict(note["anchor"]))
        if notice is not None and attachment.start >= 0:
            key = (notice.id, attachment.start, attachment.end)
            found.setdefault(key, []).append(str(note.get("text", "")))
    return found


def export_coded_markdown(
    corpus: Corpus,
    quotes: list[CodedQuote],
    book: Codebook,
    notes: Iterable[dict[str, Any]] = (),
    *,
    group_by: GroupBy = "code",
    title: str = "Zhenggai Reader coded quotes",
) -> str:
    """The quotes as Markdown, grouped by code (codebook order, each code's memo under its heading) or
    by district; detached quotes at the end, marked, with their stored text."""
    by_passage = _notes_by_passage(corpus, notes)
    out = [
        "---",
        f"title: {yaml_string(title)}",
        f"exported_at: {yaml_string(datetime.now().astimezone().isoformat(timespec='seconds'))}",
        f"grouped_by: {group_by}",
        f"quotes: {len(quotes)}",
        *corpus_front_matter(corpus),
        "---",
        "",
        f"# {escape(title)}",
        "",
    ]
    placed = [q for q in quotes if q.status != "detached"]
    groups: dict[str, list[CodedQuote]] = {}
    if group_by == "code":
        order = {c.id: i for i, c in enumerate(book.walk())}
        for quote in sorted(placed, key=lambda q: order.get(q.code_id, len(order))):
            groups.setdefault(quote.code_id, []).append(quote)
    else:
        for quote in placed:
            groups.setdefault(
                " ".join(p for p in (quote.province, quote.city, quote.district) if p), []
            ).append(quote)
    for key, members in groups.items():
        if group_by == "code":
            code = book.get(key)
            out += [f"## {escape(book.label(key))}（{len(members)}）", ""]
            if code is not None and code.memo:
                out += [inline(code.memo), ""]
        else:
            out += [f"## {escape(key or '（地区未知）')}（{len(members)}）", ""]
        for quote in members:
            out += _quote_block(corpus, quote, group_by, by_passage)
    detached = [q for q in quotes if q.status == "detached"]
    if detached:
        out += ["## 未能定位的编码 Detached codings", ""]
        for quote in detached:
            out += [f"### {escape(quote.code)}", "", blockquote(quote.quote), ""]
            out += [inline(quote.memo), ""] if quote.memo else []
            out += [f"— {escape(quote_citation(None, quote))}", ""]
    return "\n".join(out).rstrip() + "\n"


def _quote_block(
    corpus: Corpus, quote: CodedQuote, group_by: GroupBy, by_passage: dict[tuple[str, int, int], list[str]]
) -> list[str]:
    notice = corpus.get(quote.notice_id)
    heading = (
        f"{quote.city}{quote.district} · {quote.section}"
        if group_by == "code"
        else f"{quote.code} · {quote.section}"
    )
    lines = [f"### {escape(heading)}", "", _sentence_block(quote), ""]
    if quote.memo:
        lines += ["备忘 memo: " + inline(quote.memo), ""]
    for text in by_passage.get((quote.notice_id, quote.start, quote.end), []):
        lines += ["笔记 note: " + inline(text), ""]
    lines.append(f"— {escape(quote_citation(notice, quote))}")
    url = notice.meta.source_url if notice is not None else None
    if url:
        lines[-1] += (
            f" <{url}>" if " " not in url and "<" not in url and ">" not in url else f" {escape(url)}"
        )
    return [*lines, ""]
