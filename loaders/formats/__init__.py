"""Every form a notice is saved in → its text, one paragraph per line, and where the file came from.

Plain text and saved web pages (``.html``), single-file web archives (``.mht``/``.mhtml``), PDFs with a
text layer and Word ``.docx`` files.  The form is told by the file's first bytes, then by its name: a
``.pdf`` that is really a saved web page is read as the page.  Each form's library (pdfminer.six,
python-docx, trafilatura) loads only when a file of that form is read.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from ..model import Notice
from ..text import DecodeError, decode_bytes

#: The file endings of each form besides plain text.
PDF_SUFFIXES = (".pdf",)
WORD_SUFFIXES = (".docx",)
OLD_WORD_SUFFIXES = (".doc", ".wps")
ARCHIVE_SUFFIXES = (".mht", ".mhtml")

_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<meta|<body|<div|<!--)", re.IGNORECASE)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MIME_HEADER = re.compile(rb"^(?:[A-Za-z-]+:[^\n]*\r?\n(?:[ \t][^\n]*\r?\n)*)+", re.MULTILINE)
_CONVERT = "convert it to .docx with LibreOffice (soffice --headless --convert-to docx)"


@dataclass(slots=True)
class Provenance:
    """Where a file came from, as the file itself tells."""

    sha256: str
    source_url: str | None = None
    created: str | None = None
    """The document's own creation date (ISO 8601), when its form records one."""
    modified: str | None = None

    def stamp(self, notices: list[Notice]) -> None:
        """Write the provenance into the metadata of every notice read from the file."""
        for notice in notices:
            meta = notice.meta
            meta.file_sha256 = self.sha256
            meta.source_url = self.source_url
            meta.file_created = self.created
            meta.file_modified = self.modified


@dataclass(slots=True)
class Document:
    """A file's notice text (one paragraph per line), the form it was read in, and notes on it."""

    text: str
    encoding: str
    """The text encoding of a plain-text file, or the form: ``html``, ``mhtml``, ``pdf``, ``docx``."""
    provenance: Provenance
    warnings: list[str] = field(default_factory=list)


def looks_like_html(raw: bytes) -> bool:
    """True when the bytes are a saved web page rather than plain text."""
    head = raw[:2048].lstrip(b"\xef\xbb\xbf")
    return bool(_HTML_START.match(head))


def looks_like_archive(raw: bytes) -> bool:
    """True when the bytes are a MIME single-file web archive (headers, then ``multipart/related``)."""
    head = raw[:4096].lstrip(b"\xef\xbb\xbf")
    found = _MIME_HEADER.match(head)
    return found is not None and b"multipart/related" in found.group().lower()


def document_form(raw: bytes, name: str) -> str:
    """The form to read a file's bytes in: ``pdf``, ``docx``, ``zip``, ``old-word``, ``rtf``, ``mhtml``,
    ``html`` or ``text`` — the bytes decide first, the file's ending second."""
    suffix = PurePath(name).suffix.lower()
    head = raw[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if raw.startswith(b"PK\x03\x04"):
        return "docx" if suffix in WORD_SUFFIXES or b"word/document.xml" in raw else "zip"
    if raw.startswith(_OLE_MAGIC):
        return "old-word"
    if raw.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if suffix in ARCHIVE_SUFFIXES or looks_like_archive(raw):
        return "mhtml"
    if looks_like_html(raw):
        return "html"
    if suffix in PDF_SUFFIXES:
        return "not-pdf"
    if suffix in WORD_SUFFIXES:
        return "zip"
    return "text"


def extract_document(raw: bytes, name: str) -> Document:
    """The notice text of a file in any form it is saved in, with its provenance and warnings.

    Raises:
        DecodeError: with the one-line reason the file yields no text.
    """
    provenance = Provenance(hashlib.sha256(raw).hexdigest())
    form = document_form(raw, name)
    suffix = PurePath(name).suffix.lower()
    if form == "pdf":
        from .pdf import extract_pdf

        return extract_pdf(raw, provenance)
    if form == "docx":
        from .word import extract_docx

        return extract_docx(raw, provenance)
    if form == "mhtml":
        from .mhtml import extract_mhtml

        return extract_mhtml(raw, provenance)
    if form == "html":
        from .web import page_document

        return page_document(raw, provenance)
    if form == "zip":
        raise DecodeError("not a Word document (a zip without word/document.xml)")
    if form == "old-word":
        if suffix == ".wps":
            raise DecodeError(f".wps is WPS Office's binary format: save it as .docx in WPS, or {_CONVERT}")
        raise DecodeError(f".doc is the old binary Word format: {_CONVERT}")
    if form == "rtf":
        raise DecodeError(f"an RTF document: {_CONVERT}")
    if form == "not-pdf":
        raise DecodeError("not a PDF (no %PDF- header; a download that failed?)")
    decoded = decode_bytes(raw)
    document = Document(decoded.text, decoded.encoding, provenance)
    if decoded.truncated:
        document.warnings.append("ends in the middle of a character (truncated?); loaded what it holds")
    return document


__all__ = [
    "ARCHIVE_SUFFIXES",
    "OLD_WORD_SUFFIXES",
    "PDF_SUFFIXES",
    "WORD_SUFFIXES",
    "DecodeError",
    "Document",
    "Provenance",
    "document_form",
    "extract_document",
    "looks_like_archive",
    "looks_like_html",
]
