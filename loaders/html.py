"""Saved web pages → the article: title, date, source and paragraphs (trafilatura does the extraction).

Navigation, breadcrumbs, related links, scripts and footers are left to trafilatura's boilerplate
removal — no hand-written tag patterns.  trafilatura (and lxml) load only when a page is read.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import Any

from .formats.provenance import page_url
from .meta import PageMeta
from .text import DecodeError, decode_bytes

MIN_ARTICLE_CHARS = 40
#: Declared charsets that are honoured: the text encodings pages in Chinese (and their Latin-1 or
#: Windows templates) use.  Anything else a page declares — codecs that are not text encodings
#: (``zlib``, ``hex``, ``base64``, ``rot13``, ``uu``), ``utf-7`` (a classic injection vector), unknown
#: names — is ignored and the bytes are detected instead.
HONOURED_CHARSETS = frozenset(
    ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "gb2312", "gbk", "gb18030", "hz", "big5", "big5hkscs",
     "cp950", "cp936", "euc_jp", "shift_jis", "euc_kr", "iso2022_jp", "ascii", "latin-1", "cp1252"]
)  # fmt: skip
#: libxml2 reads HTML nested up to 2,048 levels (``huge_tree``; 256 without it) and drops what lies
#: deeper.  A page nested deeper than that (libxml2 says so as it parses), or that yields no text and
#: holds more tags than that, is read again with its container tags (which carry no paragraph
#: structure) removed.  The cut-short tree is not given to trafilatura: on a page nested 3,000 levels
#: deep it spent 3 s finding nothing there.
_CONTAINER_TAGS = re.compile(r"</?(?:div|span|section|article|font|center|main|aside)\b[^>]*>", re.IGNORECASE)
_DEEP_NESTING = 2048
_DATE_FROM_MARKUP = {"extensive_search": False, "original_date": True}
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
    url: str | None = None
    """Where the page was published: its canonical link, ``og:url``, or the URL it was saved from."""


def decode_html(raw: bytes) -> str:
    """Decode a page: its declared charset (GBK read as GB18030) when it fits, else detection.

    Raises:
        DecodeError: the bytes are not text in any encoding a Chinese page uses.
    """
    declared = _META_CHARSET.search(raw[:4096])
    if declared:
        name = declared_encoding(declared.group(1).decode("ascii"))
        if name:
            try:
                return raw.decode(name)
            except UnicodeDecodeError:
                pass  # a wrong declaration is common; fall back to detection
    return decode_bytes(raw).text


def declared_encoding(label: str) -> str | None:
    """The codec to decode a page with for its declared charset, or None to detect instead."""
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name not in HONOURED_CHARSETS and not name.startswith(("iso8859-", "cp125")):
        return None
    return "gb18030" if name in ("gb2312", "gbk") else name  # GB18030 is their superset


def extract_article(raw: bytes | str) -> Article:
    """The article of a saved page (its bytes, or its text already decoded).

    Raises:
        ValueError: ``no article text found`` (or a decoding reason).
    """
    import trafilatura

    html = raw if isinstance(raw, str) else decode_html(raw)
    document = _extract(html)
    text = getattr(document, "text", None)  # (None for None and for ``_TOO_DEEP``)
    if document is _TOO_DEEP or (not text and html.count("<") > _DEEP_NESTING):
        document = _extract(_CONTAINER_TAGS.sub("", html))
        text = getattr(document, "text", None)
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
    return Article(title=title, date=date, source=page.source, paragraphs=paragraphs, url=page_url(html))


#: What ``_extract`` gives for a page nested past libxml2's limit (the tree it read is cut short).
_TOO_DEEP = object()


def _extract(html: str) -> Any:
    """trafilatura's extraction on a tree lxml parsed with its depth limit raised to libxml2's maximum;
    ``_TOO_DEEP`` when the page is nested deeper than that."""
    import trafilatura
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(
        huge_tree=True, collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True
    )
    try:
        tree = lxml_html.fromstring(html, parser=parser)
    except (ValueError, lxml_html.etree.ParserError):  # empty or unparsable: let trafilatura decide
        tree = html
    if any("Excessive depth" in error.message for error in parser.error_log):
        return _TOO_DEEP
    return trafilatura.bare_extraction(
        tree,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
        with_metadata=True,
        # a date from the page's markup only: a search of the text guesses (``2000-01-01`` from a
        # figure, a year from a sentence) on pages that state no publication date
        date_extraction_params=_DATE_FROM_MARKUP,
    )


__all__ = ["Article", "DecodeError", "decode_html", "extract_article"]
