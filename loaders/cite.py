"""Citations of notices and sections, for the clipboard, notes and exports."""

from __future__ import annotations

from pathlib import Path

from .model import Notice, Section


def section_label(section: Section) -> str:
    """``二、(三)强化…`` style label: numbering as written, then the title."""
    return f"{section.number}{section.title}" if section.number else section.title


def citation(notice: Notice, section: Section | None = None) -> str:
    """A one-line citation: committee, title, section, dates, source, the URL it was published at
    (when the file tells) and the file.

    ``中共沈阳市和平区委：《…的通报》，“二、…”。反馈 2024-01-07；来源：…；网址：https://…；文件：….txt``
    """
    meta = notice.meta
    parts = []
    if meta.committee:
        parts.append(f"{meta.committee}：")
    parts.append(f"《{meta.title}》" + ("（标题据正文推断）" if meta.title_derived else ""))
    if section is not None and section.kind not in ("preamble",):
        parts.append(f"，“{section_label(section)}”")
    parts.append("。")
    details = []
    if meta.publication_date:
        details.append(f"发布 {meta.publication_date}")
    elif meta.signature_date:
        details.append(f"落款 {meta.signature_date}")
    if meta.feedback_date:
        details.append(f"反馈 {meta.feedback_date}")
    if meta.source:
        details.append(f"来源：{meta.source}")
    if meta.source_url:
        details.append(f"网址：{meta.source_url}")
    details.append(
        f"文件：{Path(notice.file).name}"
        + (f" 第{notice.index_in_file + 1}篇" if notice.index_in_file else "")
    )
    details.append(f"id：{notice.id}" + (f" §{section.id}" if section is not None else ""))
    return "".join(parts) + "；".join(details)
