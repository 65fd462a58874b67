"""Text → notices: web chrome dropped, a collection split at its title lines, each notice outlined."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from .ids import notice_id
from .meta import PageMeta, collection_defaults, extract_meta, is_bare_title, is_title_line, title_date
from .model import Notice, Paragraph, Section
from .outline import build_outline
from .places import committee_hint
from .text import fold, is_traditional, to_simplified

#: Lines of web-page chrome that never belong to a notice.
_CHROME = re.compile(
    r"(设为主页|设为首页|加入收藏|字号\s*[:\[【]|【?打印本页】?|【?关闭窗口】?|^【?(打印|关闭)】?$|分享到|"
    r"打开微信|扫一扫|Produced By|版权所有|ICP备|^(首页|当前位置|您现在的位置)\s*[:>›»]|"
    r"^(上一篇|下一篇)\s*[:]|^(编辑|责任编辑|作者)\s*[:]|浏览次数|阅读次数|点击数|"
    r"^[•·●▪◆■◇►]\s*(发布|发表|来源|信息来源|作者|时间|日期|浏览|阅读|点击|字号|字体|分享|打印|编辑)|"
    r"字体\s*[:]?\s*[【\[]?\s*大\s*中\s*小|^【?\s*(字体|字号)\s*[:]|^(标题|题目|文章标题)\s*[:]$)"
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
class _Line:
    """A line as the file wrote it and its parse view (simplified characters for a traditional file)."""

    text: str
    view: str
    furniture: bool = False
    """Page furniture cut off a title line (``_某某网``, ``• 发布时间:…``): metadata, never body."""


@dataclass(slots=True)
class _Segment:
    title: _Line | None
    lines: list[_Line] = field(default_factory=list)
    page: PageMeta = field(default_factory=PageMeta)


_COMMITTEE_LINE = re.compile(r"^(中共)?[\u4e00-\u9fff()]{2,40}?(委员会|党工委|党委|党组|委)$")
#: Page furniture glued after a title on the same line: ``…的通报 • 发布时间:…``, ``…的通报_某某网``.
_TITLE_TAIL = re.compile(
    r"(?:\s*[•·●▪|丨_]\s*|\s+[-—]+\s*|\s+(?=(?:发布时间|发布日期|发表时间|信息来源|来源|日期|时间|作者|浏览)\s*[:]))"
    r".{0,80}$"
)
_TITLE_SPAN = 240
_TITLE_LABEL = re.compile(r"^(?:[•·●▪]\s*)?(?:标题|题目|文章标题)\s*[:]\s*")


def _unfurnish(lines: list[_Line]) -> list[_Line]:
    """Title lines freed of page furniture, split titles joined, a repeated title dropped.

    ``标题:中共…的通报``, ``中共…的通报 • 发布时间:2024-01-05`` and ``中共…的通报_某某网`` give the
    title on its own line (the furniture on the next); ``中共上海市黄浦区委员会`` followed by
    ``关于…的通报`` is one title; a title repeated right after itself (page header, then article) is
    dropped.
    """
    out: list[_Line] = []
    last_title, last_at = "", -10
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        view = line.view
        maybe_title = "关于" in view or (len(view) <= 45 and view[-1:] in ("委", "会", "组"))
        if maybe_title and len(view) <= _TITLE_SPAN:
            label = _TITLE_LABEL.match(fold(line.view))
            if label and is_title_line(line.view[label.end() :]):
                out.append(_Line(line.text[: label.end()], line.view[: label.end()], True))
                line = _Line(line.text[label.end() :], line.view[label.end() :])
            if not is_title_line(line.view):
                tail = _TITLE_TAIL.search(fold(line.view))
                if tail and tail.start() > 0 and is_title_line(line.view[: tail.start()]):
                    title = _Line(line.text[: tail.start()].rstrip(), line.view[: tail.start()].rstrip())
                    out.append(title)
                    last_title, last_at = fold(title.view), len(out)
                    line = _Line(line.text[tail.start() :].strip(), line.view[tail.start() :].strip(), True)
            if index < len(lines) and _COMMITTEE_LINE.match(fold(line.view)):
                following = lines[index]
                if following.view.startswith("关于") and is_title_line(line.view + following.view):
                    line = _Line(line.text + following.text, line.view + following.view)
                    index += 1
            if is_title_line(line.view):
                folded = fold(line.view)
                if folded == last_title and len(out) - last_at <= 4:
                    continue  # the page header's title again, above the article
                last_title, last_at = folded, len(out) + 1
        out.append(line)
    return out


def _segments(lines: list[_Line]) -> tuple[list[_Segment], list[str]]:
    """Cut a file's lines into notices at title lines; chrome dropped, page metadata kept.

    Returns the segments and the header lines of a collection (text before its first title, as views).
    """
    file_page = PageMeta()
    header: list[str] = []
    titles = [i for i, line in enumerate(lines) if is_title_line(line.view)]
    segments: list[_Segment] = []
    if not titles:
        # a file that opens with a bare ``关于…巡视整改进展情况的通报`` (its committee nowhere on the line)
        opening = [i for i, line in enumerate(lines[:4]) if not _is_chrome(line.view)][:2]
        bare = next((i for i in opening if is_bare_title(lines[i].view)), None)
        segment = _Segment(lines[bare] if bare is not None else None)
        if bare is not None:
            lines = lines[:bare] + lines[bare + 1 :]
        for line in lines:
            if segment.page.absorb(line.view) or line.furniture or _is_chrome(line.view):
                continue
            segment.lines.append(line)
        segments.append(segment)
        return segments, header
    for line in lines[: titles[0]]:
        # before the first title: chrome, page metadata, a collection's header paragraphs
        if not (file_page.absorb(line.view) or line.furniture or _is_chrome(line.view)):
            header.append(line.view)
    bounds = [*titles, len(lines)]
    for start, stop in pairwise(bounds):
        segment = _Segment(lines[start])
        for line in lines[start + 1 : stop]:
            if (len(segment.lines) < 3 and segment.page.absorb(line.view)) or line.furniture:
                continue
            if _is_chrome(line.view):
                continue
            segment.lines.append(line)
        segments.append(segment)
    if len(segments) == 1:
        segments[0].page.publication_date = segments[0].page.publication_date or file_page.publication_date
        segments[0].page.source = segments[0].page.source or file_page.source
    return segments, header if len(segments) > 1 else []


def parse_text(text: str, file: str = "<text>", encoding: str = "utf-8") -> tuple[list[Notice], ParseReport]:
    """Parse clean text (see ``text.clean``) into the notices it holds, in file order.

    A traditional-character text is parsed on a simplified view of itself (one character for one, so
    every offset holds) while the notices keep and show the file's own characters.
    """
    report = ParseReport()
    raw_lines = split_lines(text, report)
    traditional = is_traditional(text)
    lines = _unfurnish([_Line(line, to_simplified(line) if traditional else line) for line in raw_lines])
    segments, header = _segments(lines)
    defaults = collection_defaults(header)
    notices: list[Notice] = []
    prior: Counter[str] = Counter()
    for segment in segments:
        if segment.title:
            code = committee_hint(segment.title.view)
            if code:
                prior[code] += 1
    for segment in segments:
        if not segment.lines or not _NOTICE_WORDS.search("".join(x.view for x in segment.lines[:40])):
            continue
        notices.append(_build(segment, file, len(notices), encoding, prior, defaults))
    return notices, report


def _build(
    segment: _Segment,
    file: str,
    index: int,
    encoding: str,
    prior: Counter[str],
    defaults: dict[str, str],
) -> Notice:
    body = "\n".join(line.text for line in segment.lines)
    view = "\n".join(line.view for line in segment.lines)
    paragraphs: list[Paragraph] = []
    offset = 0
    for line in segment.lines:
        paragraphs.append(Paragraph(line.view, offset))
        offset += len(line.text) + 1
    sections = build_outline(paragraphs)
    if view != body:
        _show_original(sections, body)
    preamble = next((s for s in sections if s.kind == "preamble"), None)
    closing = next((s for s in sections if s.kind == "closing"), None)
    after = [p for p in paragraphs if preamble is None or p.start >= preamble.paragraphs[-1].end][:4]
    page = segment.page
    title = segment.title
    if title is not None and page.publication_date is None:
        page.publication_date = title_date(title.view)
    meta = extract_meta(
        title=title.view if title else None,
        preamble="\n".join(view[p.start : p.end] for p in preamble.paragraphs) if preamble else "",
        headings=[_view_title(s, view) for s in sections if s.kind not in ("preamble", "closing")],
        body=view,
        closing=[view[p.start : p.end] for p in closing.paragraphs] if closing else [],
        page=page,
        first_paragraphs="\n".join(view[p.start : p.end] for p in after),
        prior_provinces=prior,
    )
    if view != body or (title is not None and title.view != title.text):
        # show what the file wrote: title, committee, team and round in its own characters
        whole_view = (title.view if title else "") + "\n" + view
        whole = (title.text if title else "") + "\n" + body
        meta.title = title.text if title else meta.title
        meta.committee = _as_written(meta.committee, whole_view, whole)
        meta.team = _as_written(meta.team, whole_view, whole)
        meta.round = _as_written(meta.round, whole_view, whole)
    # a collection's header names the round for all its notices (十三届省委第四轮巡视…全部公开)
    meta.round = meta.round or defaults.get("round")
    meta.level = meta.level or defaults.get("level")
    return Notice(
        id=notice_id(meta, view),
        meta=meta,
        body=body,
        sections=sections,
        file=file,
        index_in_file=index,
        encoding=encoding,
    )


def _as_written(value: str | None, view: str, original: str) -> str | None:
    """``value`` as the original text writes it where the view has it (traditional characters)."""
    if not value:
        return value
    at = view.find(value)
    return original[at : at + len(value)] if at >= 0 else value


def _view_title(section: Section, view: str) -> str:
    """A section's title as the parse view reads it (its heading paragraph's view)."""
    if not section.paragraphs:
        return section.title
    heading = section.paragraphs[0]
    at = heading.text.find(section.title.rstrip("…"))
    if at < 0:
        return section.title
    start = heading.start + at
    return view[start : start + len(section.title.rstrip("…"))]


def _show_original(sections: list[Section], body: str) -> None:
    """Put the file's own characters back into an outline built on the parse view."""
    for root in sections:
        for section in root.walk():
            paragraphs = [Paragraph(body[p.start : p.end], p.start, p.is_heading) for p in section.paragraphs]
            if paragraphs and paragraphs[0].is_heading:
                view_heading = section.paragraphs[0].text
                original = paragraphs[0].text
                section.number = original[: len(section.number)]
                title = section.title.rstrip("…")
                at = view_heading.find(title, len(section.number))
                if at >= 0:
                    section.title = original[at : at + len(title)] + section.title[len(title) :]
            section.paragraphs = paragraphs
