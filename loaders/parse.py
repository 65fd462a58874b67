"""Text → notices: web chrome dropped, a collection split at its title lines, each notice outlined."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from .ids import notice_id
from .meta import PageMeta, collection_defaults, extract_meta, is_title_line
from .model import Notice, Paragraph
from .outline import build_outline
from .places import parse_committee
from .text import fold

#: Lines of web-page chrome that never belong to a notice.
_CHROME = re.compile(
    r"(设为主页|设为首页|加入收藏|字号\s*[:\[【]|【?打印本页】?|【?关闭窗口】?|^【?(打印|关闭)】?$|分享到|"
    r"打开微信|扫一扫|Produced By|版权所有|ICP备|^(首页|当前位置|您现在的位置)\s*[:>›»]|"
    r"^(上一篇|下一篇)\s*[:]|^(编辑|责任编辑|作者)\s*[:]|浏览次数|阅读次数|点击数)"
)
#: Breadcrumbs: ``首页 > 纪律审查 > 正文``.
_BREADCRUMB = re.compile(r"^[^。,]{1,20}(\s*[>›»]\s*[^。,]{1,20}){1,6}$")
#: Sentences that mark text as an inspection notice at all.
_NOTICE_WORDS = re.compile(r"巡视|巡察")
_REFLOW = re.compile(
    r"(?<=[。;:!?])\s*(?=(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|\d{1,3}[.、](?!\d)"
    r"|\(\d{1,3}\)|问题\d{1,3}[:.]|欢迎广大))"
)
_LONG_LINE = 3000


@dataclass(slots=True)
class ParseReport:
    """Notes on a parse that did not stop it: shown to the user as warnings."""

    warnings: list[str] = field(default_factory=list)


def _is_chrome(line: str) -> bool:
    folded = fold(line)
    if len(folded) > 120:
        return False
    return bool(_CHROME.search(folded) or _BREADCRUMB.match(folded))


def _reflow(line: str) -> list[str]:
    """Split a run-together paragraph (a notice saved as one line) before each numbered heading."""
    folded = fold(line)
    cuts = [m.start() for m in _REFLOW.finditer(folded)]
    pieces: list[str] = []
    last = 0
    for cut in cuts:
        if cut > last:
            pieces.append(line[last:cut].strip())
            last = cut
    pieces.append(line[last:].strip())
    return [p for p in pieces if p]


def split_lines(text: str, report: ParseReport) -> list[str]:
    """Non-empty, indent-stripped lines; overly long lines re-split at their numbering."""
    lines: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip(" \t\u3000\u00a0")
        if not line:
            continue
        if len(line) > _LONG_LINE:
            pieces = _reflow(line)
            if len(pieces) > 1:
                report.warnings.append(
                    f"a {len(line):,}-character line was re-split at its {len(pieces) - 1} headings"
                )
            lines.extend(pieces)
        else:
            lines.append(line)
    return lines


@dataclass(slots=True)
class _Segment:
    title: str | None
    lines: list[str] = field(default_factory=list)
    page: PageMeta = field(default_factory=PageMeta)


def _segments(lines: list[str]) -> tuple[list[_Segment], list[str]]:
    """Cut a file's lines into notices at title lines; chrome dropped, page metadata kept.

    Returns the segments and the header lines of a collection (text before its first title).
    """
    file_page = PageMeta()
    header: list[str] = []
    titles = [i for i, line in enumerate(lines) if is_title_line(line)]
    segments: list[_Segment] = []
    if not titles:
        segment = _Segment(None)
        for line in lines:
            if segment.page.absorb(line) or _is_chrome(line):
                continue
            segment.lines.append(line)
        segments.append(segment)
        return segments, header
    for line in lines[: titles[0]]:
        # before the first title: chrome, page metadata, a collection's header paragraphs
        if not (file_page.absorb(line) or _is_chrome(line)):
            header.append(line)
    bounds = [*titles, len(lines)]
    for start, stop in pairwise(bounds):
        segment = _Segment(lines[start])
        for line in lines[start + 1 : stop]:
            if (len(segment.lines) < 3 and segment.page.absorb(line)) or _is_chrome(line):
                continue
            segment.lines.append(line)
        segments.append(segment)
    if len(segments) == 1:
        segments[0].page.publication_date = segments[0].page.publication_date or file_page.publication_date
        segments[0].page.source = segments[0].page.source or file_page.source
    return segments, header if len(segments) > 1 else []


def parse_text(text: str, file: str = "<text>", encoding: str = "utf-8") -> tuple[list[Notice], ParseReport]:
    """Parse clean text (see ``text.clean``) into the notices it holds, in file order."""
    report = ParseReport()
    segments, header = _segments(split_lines(text, report))
    defaults = collection_defaults(header)
    notices: list[Notice] = []
    prior: Counter[str] = Counter()
    for segment in segments:
        if segment.title:
            hint = parse_committee(segment.title)
            if hint.province_code:
                prior[hint.province_code] += 1
    for segment in segments:
        if not segment.lines or not _NOTICE_WORDS.search("".join(segment.lines[:40])):
            continue
        notices.append(_build(segment, file, len(notices), encoding, prior, defaults))
    for notice in notices:
        if notice.meta.place.adcode:
            prior[notice.meta.place.adcode[:2]] += 1
    return notices, report


def _build(
    segment: _Segment,
    file: str,
    index: int,
    encoding: str,
    prior: Counter[str],
    defaults: dict[str, str],
) -> Notice:
    body = "\n".join(segment.lines)
    paragraphs: list[Paragraph] = []
    offset = 0
    for line in segment.lines:
        paragraphs.append(Paragraph(line, offset))
        offset += len(line) + 1
    sections = build_outline(paragraphs)
    preamble = next((s for s in sections if s.kind == "preamble"), None)
    closing = next((s for s in sections if s.kind == "closing"), None)
    meta = extract_meta(
        title=segment.title,
        preamble=preamble.text if preamble else "",
        headings=[s.title for s in sections if s.kind not in ("preamble", "closing")],
        body=body,
        closing=[p.text for p in closing.paragraphs] if closing else [],
        page=segment.page,
        prior_provinces=prior,
    )
    # a collection's header names the round for all its notices (十三届省委第四轮巡视…全部公开)
    meta.round = meta.round or defaults.get("round")
    meta.level = meta.level or defaults.get("level")
    return Notice(
        id=notice_id(meta, body),
        meta=meta,
        body=body,
        sections=sections,
        file=file,
        index_in_file=index,
        encoding=encoding,
    )
