"""The section tree of a notice, by its numbering grammar.

``一、`` → ``(一)`` → ``问题1:`` → ``1.`` → ``(1)`` → ``①``; any level may be skipped.  Headings are
recognised on width-folded text, so ``（一）`` and ``(一)``, ``1．`` and ``1.`` are the same heading.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .dates import cn_to_int
from .model import Paragraph, Section
from .text import fold

_CN = "一二三四五六七八九十"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

#: Numbering kinds from outermost to innermost; the rank decides nesting.
RANK = {"cn": 1, "paren_cn": 2, "problem": 3, "arabic": 4, "paren_arabic": 5, "circled": 6}

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("cn", re.compile(rf"(?P<n>[{_CN}]{{1,3}})\s*[、.]\s*")),
    ("paren_cn", re.compile(rf"\(\s*(?P<n>[{_CN}]{{1,3}})\s*\)\s*[、.]?\s*")),
    ("problem", re.compile(rf"问题\s*(?P<n>\d{{1,3}}|[{_CN}]{{1,3}})\s*[:.、]\s*")),
    ("arabic", re.compile(r"(?P<n>\d{1,3})\s*(?:[、]|\.(?!\d))\s*")),
    ("arabic_digit", re.compile(r"(?P<n>\d{1,2})\.(?=\d)")),
    ("paren_arabic", re.compile(r"\(\s*(?P<n>\d{1,3}(?:-\d{1,3})?)\s*\)\s*[、.]?\s*")),
    ("circled", re.compile(rf"(?P<n>[{_CIRCLED}])\s*")),
]

#: Lines that open the closing part: public feedback invitation and contact details.
_CLOSING = re.compile(
    r"(欢迎(广大|社会各界|各位)|如有意见建议|联系方式|联系电话|联系人|邮政信箱|通信地址|通讯地址|电子邮箱|举报电话|来信地址)"
)
_SIGNATURE = re.compile(r"(中共.{2,30}(委|委员会|党工委))|((19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")
_TITLE_MAX = 40


@dataclass(frozen=True, slots=True)
class Heading:
    """A numbering marker at the start of a line."""

    kind: str
    number: str
    """The numbering as written in the file (original characters)."""
    key: str
    """The numbering normalised for ids: ``二``, ``(三)``, ``5``, ``(1)``, ``①``, ``问题1``."""
    value: int
    marker_len: int


def match_heading(line: str, previous: dict[str, int] | None = None) -> Heading | None:
    """The heading that opens ``line``, or ``None`` for a plain paragraph.

    ``previous`` maps kind → the last number seen; ``13.2019年…`` counts as heading 13 only when it
    continues that sequence (otherwise it is a number in running text).
    """
    folded = fold(line)
    for kind, pattern in _PATTERNS:
        match = pattern.match(folded)
        if match is None:
            continue
        raw = match.group("n")
        if kind == "arabic_digit":
            value = int(raw)
            if previous is None or previous.get("arabic") != value - 1:
                continue
            kind = "arabic"
        elif kind == "circled":
            value = _CIRCLED.index(raw) + 1
        elif kind == "paren_arabic":
            value = int(raw.split("-")[0])
        else:
            value = cn_to_int(raw) or 0
        if len(folded) <= match.end() and kind != "cn":
            return None  # a bare number on its own line is not a heading
        number = line[: match.end()].strip()
        key = {
            "cn": raw,
            "paren_cn": f"({raw})",
            "problem": f"问题{raw}",
            "paren_arabic": f"({raw})",
        }.get(kind, raw)
        return Heading(kind, number, key, value, match.end())
    return None


def heading_title(line: str, marker_len: int) -> str:
    """The heading's title: text after the numbering, cut at a run-on heading's first ``。``."""
    rest = line[marker_len:].strip()
    cut = rest.find("。")
    title = rest[:cut] if cut >= 0 else rest
    if len(title) > _TITLE_MAX:
        folded = fold(title)
        for stop in (":", ";", ","):
            at = folded.find(stop)
            if 4 <= at <= _TITLE_MAX:
                return title[:at]
        return title[: _TITLE_MAX - 1] + "…"
    return title.rstrip(":：")


def fingerprint(text: str) -> str:
    """A short hash of text with width, punctuation style and whitespace folded away."""
    normal = re.sub(r"\s+", "", fold(text))
    return hashlib.blake2b(normal.encode("utf-8"), digest_size=6).hexdigest()


def build_outline(paragraphs: list[Paragraph]) -> list[Section]:
    """Arrange a notice's paragraphs into its section tree; every paragraph lands in one section."""
    roots: list[Section] = []
    stack: list[Section] = []
    previous: dict[str, int] = {}
    preamble: Section | None = None
    closing: Section | None = None
    seen_heading = False
    closing_start = _closing_start(paragraphs)
    for index, paragraph in enumerate(paragraphs):
        if closing is not None:
            closing.paragraphs.append(paragraph)
            continue
        if closing_start is not None and index == closing_start and seen_heading:
            closing = Section("closing", "", "结语与联系方式", 1, "closing", [paragraph])
            roots.append(closing)
            continue
        heading = match_heading(paragraph.text, previous)
        if heading is None:
            if stack:
                stack[-1].paragraphs.append(paragraph)
            else:
                if preamble is None:
                    preamble = Section("preamble", "", "导语", 1, "preamble")
                    roots.append(preamble)
                preamble.paragraphs.append(paragraph)
            continue
        seen_heading = True
        previous[heading.kind] = heading.value
        for deeper, rank in RANK.items():
            if rank > RANK[heading.kind]:
                previous.pop(deeper, None)
        while stack and RANK[stack[-1].kind] >= RANK[heading.kind]:
            stack.pop()
        parent_id = stack[-1].id if stack else ""
        section = Section(
            id=f"{parent_id}/{heading.key}" if parent_id else heading.key,
            number=heading.number,
            title=heading_title(paragraph.text, heading.marker_len),
            level=len(stack) + 1,
            kind=heading.kind,
            paragraphs=[Paragraph(paragraph.text, paragraph.start, True)],
        )
        (stack[-1].children if stack else roots).append(section)
        stack.append(section)
    _dedupe_ids(roots)
    for root in roots:
        for section in root.walk():
            section.fingerprint = fingerprint(section.text)
    return roots


def _closing_start(paragraphs: list[Paragraph]) -> int | None:
    """Index of the first paragraph of the closing part, or ``None``.

    The closing is the public-feedback invitation and contact block, or a bare signature
    (committee + date) at the very end; a numbered heading never counts as closing.
    """
    if not paragraphs:
        return None
    tail_from = max(0, len(paragraphs) - 8)
    for index in range(tail_from, len(paragraphs)):
        text = paragraphs[index].text
        if _CLOSING.match(fold(text)) and match_heading(text) is None:
            return index
    signature = None
    for index in range(len(paragraphs) - 1, max(-1, len(paragraphs) - 3), -1):
        text = paragraphs[index].text
        if len(text) <= 40 and _SIGNATURE.fullmatch(text.strip()):
            signature = index
        else:
            break
    return signature


def _dedupe_ids(sections: list[Section]) -> None:
    """Make sibling ids unique (a repeated numbering gets ``~2``, ``~3``…) and fix descendants."""
    seen: dict[str, int] = {}
    for section in sections:
        count = seen.get(section.id, 0) + 1
        seen[section.id] = count
        if count > 1:
            _rename(section, section.id, f"{section.id}~{count}")
        _dedupe_ids(section.children)


def _rename(section: Section, old: str, new: str) -> None:
    for node in section.walk():
        if node.id == old or node.id.startswith(old + "/"):
            node.id = new + node.id[len(old) :]
