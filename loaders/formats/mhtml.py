"""Single-file web archives (``.mht``/``.mhtml``, "Save page as… single file") → the saved page's article.

The archive is a MIME message (the standard library's ``email`` parser reads it): the page is its
``text/html`` part — the ``start`` part of a ``multipart/related`` when it names one — in
quoted-printable or base64, in the charset its part headers declare (GBK read as GB18030).  The page
then goes through the same article extraction as a saved ``.html``.
"""

from __future__ import annotations

import email
import email.policy
from email.message import Message
from email.utils import parsedate_to_datetime

from ..text import DecodeError
from . import Document, Provenance, looks_like_html
from .provenance import clean_url, iso_date
from .web import page_document


def extract_mhtml(raw: bytes, provenance: Provenance) -> Document:
    """The notice text of a web archive, with the archive's URL and save date.

    Raises:
        DecodeError: ``web archive without a web page`` (or the page's own reason).
    """
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    if not message.is_multipart() and message.get_content_type() != "text/html":
        if looks_like_html(raw):  # a page saved with an archive's ending
            return page_document(raw, provenance)
        raise DecodeError("not a web archive (no MIME parts and no web page)")
    page = _page_part(message)
    if page is None:
        raise DecodeError("web archive without a web page (no text/html part)")
    provenance.source_url = clean_url(message.get("Snapshot-Content-Location")) or clean_url(
        page.get("Content-Location")
    )
    provenance.created = _date(message.get("Date"))
    return page_document(_page_text(page), provenance, "mhtml")


def _page_part(message: Message) -> Message | None:
    """The archive's page: the ``start`` part of a ``multipart/related``, else its first HTML part."""
    parts = [part for part in message.walk() if not part.is_multipart()]
    start = message.get_param("start")
    if isinstance(start, str) and start.strip("<>"):
        wanted = start.strip("<>")
        for part in parts:
            if str(part.get("Content-ID", "")).strip().strip("<>") == wanted:
                return part
    return next((part for part in parts if part.get_content_type() == "text/html"), None)


def _page_text(part: Message) -> bytes | str:
    """The page's text in the charset its part headers declare, or its bytes when none fits."""
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    charset = part.get_content_charset()
    if charset:
        from ..html import declared_encoding

        codec = declared_encoding(charset)
        if codec:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                pass  # a wrong declaration: the page's own <meta> or detection decide
    return data


def _date(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return iso_date(parsedate_to_datetime(value))
    except (TypeError, ValueError, IndexError):
        return None
