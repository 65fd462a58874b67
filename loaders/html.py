"""Saved web pages → the article: title, date, source and paragraphs (trafilatura does the extraction).

Navigation, breadcrumbs, related links, scripts and footers are left to trafilatura's boilerplate
removal — no hand-written tag patterns.  trafilatura (and lxml) load only when a page is read.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from .meta import PageMeta
from .text import DecodeError, decode_bytes

MIN_ARTICLE_CHARS = 40
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Article:
    """What a saved page holds of a notice."""

    title: str | None
    date: str | None
    """ISO publication date, when the page states one."""
    source: str | None
    """``来源``/``信息来源`` when the page states one."""
    paragraphs: list[str] = field(default_factory=list)


def decode_html(raw: bytes) -> str:
    """Decode a page: its declared charset (GBK read as GB18030) when it fits, else detection.

    Raises:
        DecodeError: the bytes are not text in any encoding a Chinese page uses.
    """
    declared = _META_CHARSET.search(raw[:4096])
    if declared:
        try:
            name = codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            name = ""
        if name in ("gb2312", "gbk", "gb18030"):
            name = "gb18030"
        if name:
            try:
                return raw.decode(name)
            except UnicodeDecodeError:
                pass  # a wrong declaration is common; fall back to detection
    return decode_bytes(raw).text


def extract_article(raw: bytes) -> Article:
    """The article of a saved page.

    Raises:
        ValueError: ``no article text found`` (or a decoding reason).
    """
    import trafilatura

    html = decode_html(raw)
    document = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=True, favor_recall=True, with_metadata=True
    )
    text = getattr(document, "text", None) if document is not None else None
    if not text or len(text.strip()) < MIN_ARTICLE_CHARS:
        raise ValueError("no article text found")
    paragraphs = [line.strip(" \t\u3000\u00a0") for line in text.split("\n")]
    paragraphs = [p for p in paragraphs if p]
    page = PageMeta()
    page.absorb((trafilatura.html2txt(html) or "")[:4000])  # the 发布日期/来源 line above the article
    title = getattr(document, "title", None)
    date = getattr(document, "date", None) or page.publication_date
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    return Article(title=title, date=date, source=page.source, paragraphs=paragraphs)


__all__ = ["Article", "DecodeError", "decode_html", "extract_article"]
