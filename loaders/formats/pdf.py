"""PDF with a text layer → the notice text, its URL and its own dates (pdfminer.six, MIT).

pdfminer.six interprets each page's content stream; a small device records every glyph it draws
(position, size, text) and ``pdf_layout`` turns the glyphs into paragraphs.  pdfminer's own layout
analysis (text boxes, LTChar objects) is not used: notices are one column, and building its objects
would cost a third of the time.  No OCR: a scanned PDF without a text layer is refused with its reason.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from ..text import DecodeError
from . import Document, Provenance
from .pdf_layout import Glyph, text_of
from .provenance import clean_url, find_url, pdf_date

#: The Info dictionary keys a producer may keep the source address in.
_URL_KEYS = ("URL", "Url", "url", "SourceURL", "Source", "URI", "WebPage")
#: Bytes a complete PDF ends within (its ``%%EOF`` marker, and what a writer may put after it).
_TAIL = 4096


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def extract_pdf(raw: bytes, provenance: Provenance) -> Document:
    """The notice text of a PDF, with the URL and dates its metadata (or its print footer) gives.

    Raises:
        DecodeError: ``encrypted PDF: …``, ``scanned image: no text layer``, ``truncated PDF …`` or
            ``damaged PDF (…)``.
    """
    if b"%%EOF" not in raw[-_TAIL:]:
        raise DecodeError("truncated PDF: the file ends before its end marker (%%EOF)")
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings on sloppy files are not ours
    try:
        pages, images, info, catalog = _read(raw)
    except PDFPasswordIncorrect:
        raise DecodeError("encrypted PDF: it needs a password to open") from None
    except PDFEncryptionError as exc:
        raise DecodeError(f"encrypted PDF: {_one_line(exc)}") from None
    except RecursionError:
        raise DecodeError("damaged PDF (its objects nest without end)") from None
    except Exception as exc:  # any fault of a damaged file is one line, not a crash
        raise DecodeError(f"damaged PDF ({_one_line(exc)})") from None
    if not any(glyph.text.strip() for page in pages for glyph in page):
        if images:
            raise DecodeError("scanned image: no text layer")
        raise DecodeError("PDF without text (no text layer and no images)")
    text, furniture = text_of(pages)
    provenance.created = pdf_date(info.get("CreationDate"))
    provenance.modified = pdf_date(info.get("ModDate"))
    provenance.source_url = _metadata_url(info, catalog) or next(
        (url for url in map(find_url, furniture) if url), None
    )
    return Document(text, "pdf", provenance)


def _metadata_url(info: dict[str, Any], catalog: dict[str, Any]) -> str | None:
    """A source URL from the Info dictionary, or the catalog's ``/URI /Base``."""
    for key in _URL_KEYS:
        url = clean_url(_text(info.get(key)))
        if url:
            return url
    uri = catalog.get("URI")
    return clean_url(_text(uri.get("Base"))) if isinstance(uri, dict) else None


def _text(value: object) -> object:
    """A PDF text string (UTF-16 with its BOM, or PDFDocEncoding) as ``str``."""
    if isinstance(value, bytes):
        if value.startswith((b"\xfe\xff", b"\xff\xfe")):
            return value.decode("utf-16", "replace")
        return value.decode("latin-1")
    return value


def _read(raw: bytes) -> tuple[list[list[Glyph]], int, dict[str, Any], dict[str, Any]]:
    """Every page's glyphs, how many images the pages draw, the Info dictionary and the catalog."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    document = PDFDocument(PDFParser(io.BytesIO(raw)))
    device = _glyph_device_class()(PDFResourceManager(caching=True))
    interpreter = PDFPageInterpreter(device.rsrcmgr, device)
    pages: list[list[Glyph]] = []
    for page in PDFPage.create_pages(document):
        device.glyphs = []
        interpreter.process_page(page)
        pages.append(device.glyphs)
    info: dict[str, Any] = {}
    for entry in document.info:
        info.update({str(k): resolve1(v) for k, v in entry.items()})
    catalog = {str(k): resolve1(v) for k, v in document.catalog.items()}
    if isinstance(catalog.get("URI"), dict):
        catalog["URI"] = {str(k): resolve1(v) for k, v in catalog["URI"].items()}
    return pages, device.images, info, catalog


def _glyph_device_class() -> Any:
    """A pdfminer text device that records each glyph drawn (defined here: pdfminer loads lazily)."""
    from pdfminer.pdfdevice import PDFTextDevice
    from pdfminer.pdffont import PDFUnicodeNotDefined

    class GlyphDevice(PDFTextDevice):
        """Records ``Glyph``s, and counts the images a page draws."""

        def __init__(self, rsrcmgr: Any) -> None:
            super().__init__(rsrcmgr)
            self.glyphs: list[Glyph] = []
            self.images = 0

        def render_image(self, name: str, stream: Any) -> None:
            self.images += 1

        def render_char(
            self,
            matrix: tuple[float, float, float, float, float, float],
            font: Any,
            fontsize: float,
            scaling: float,
            rise: float,
            cid: int,
            ncs: Any,
            graphicstate: Any,
        ) -> float:
            try:
                text = font.to_unichr(cid)
            except PDFUnicodeNotDefined:
                text = ""
            advance = float(font.char_width(cid) * fontsize * scaling)
            a, b, _, d, e, f = matrix
            size = fontsize * (abs(d) or abs(b) or 1.0)
            self.glyphs.append(Glyph(e, e + a * advance, f, size, text))
            return advance

    return GlyphDevice


__all__ = ["extract_pdf"]
