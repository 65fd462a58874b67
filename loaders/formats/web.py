"""A saved web page (or the page inside a web archive) → the notice text (see ``loaders.html``)."""

from __future__ import annotations

from ..text import DecodeError
from . import Document, Provenance


def page_document(page: bytes | str, provenance: Provenance, encoding: str = "html") -> Document:
    """The article of a saved page as notice text: title, 发布日期/信息来源 lines, then its paragraphs.

    Raises:
        DecodeError: ``no article text found`` (or why the page could not be decoded).
    """
    from ..html import extract_article  # trafilatura loads only for web pages

    try:
        article = extract_article(page)
    except ValueError as exc:
        raise DecodeError(str(exc)) from None
    lines = [article.title or ""]
    if article.date:
        lines.append(f"发布日期:{article.date}")
    if article.source:
        lines.append(f"信息来源:{article.source}")
    provenance.source_url = article.url or provenance.source_url
    return Document("\n".join([*lines, *article.paragraphs]), encoding, provenance)
