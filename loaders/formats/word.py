"""Word ``.docx`` → the notice text: paragraphs in order, the numbers Word generates, tables as rows.

python-docx opens the package and gives the numbering, styles and core properties; the body is walked
in document order (paragraphs, tables, content controls).  Page headers and footers — letterheads and
page numbers — are not part of the notice and are not read.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from ..text import DecodeError
from . import Document, Provenance
from .numbering import Numbering, W
from .provenance import clean_url, iso_date

#: What separates the cells of a table row in the text.
CELL_SEPARATOR = " | "
_MAIN_PART = re.compile(r"^word/document\d*\.xml$")
_HYPERLINK_BASE = re.compile(rb"<(?:\w+:)?HyperlinkBase>([^<]{1,2048})</(?:\w+:)?HyperlinkBase>")
#: Elements whose text is not the paragraph's: deleted revisions, drawings and text boxes, field codes.
_SKIPPED_TAGS = ("del", "moveFrom", "drawing", "pict", "object", "instrText", "delText", "rPr", "pPr")
_SKIP = frozenset(
    [W + tag for tag in _SKIPPED_TAGS]
    + ["{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"]
)
_TEXT, _TAB, _BREAKS = W + "t", W + "tab", (W + "br", W + "cr")


def extract_docx(raw: bytes, provenance: Provenance) -> Document:
    """The notice text of a ``.docx``, with its hyperlink base and its own created/modified dates.

    Raises:
        DecodeError: ``not a Word document (…)``, or ``damaged Word document (…)``.
    """
    try:
        names = zipfile.ZipFile(io.BytesIO(raw)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DecodeError(f"damaged Word document ({_one_line(exc)})") from None
    if not any(_MAIN_PART.match(name) for name in names):
        raise DecodeError("not a Word document (a zip without word/document.xml)")
    import docx

    try:
        document = docx.Document(io.BytesIO(raw))
        lines = list(_body_lines(document))
        properties = document.core_properties
        provenance.created = iso_date(properties.created)
        provenance.modified = iso_date(properties.modified)
        provenance.source_url = _hyperlink_base(raw) or clean_url(properties.identifier)
    except Exception as exc:  # any fault of a damaged package is one line, not a crash
        raise DecodeError(f"damaged Word document ({type(exc).__name__}: {_one_line(exc)})") from None
    return Document("\n".join(lines), "docx", provenance)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def _hyperlink_base(raw: bytes) -> str | None:
    """``docProps/app.xml``'s hyperlink base (File › Properties › Summary › Hyperlink base)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            app = package.read("docProps/app.xml")[:1_000_000]
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return None
    found = _HYPERLINK_BASE.search(app)
    return clean_url(found.group(1).decode("utf-8", "replace")) if found else None


class _Reader:
    """Walks a document body, numbering paragraphs as Word does."""

    def __init__(self, document: Any) -> None:
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            root = None
        self.numbering = Numbering(root)
        self.style_numbers: dict[str, tuple[str, int] | None] = {}
        self.styles: dict[str, Any] = {}
        styles_root = document.styles.element
        for style in styles_root.iter(W + "style"):
            self.styles[str(style.get(W + "styleId"))] = style

    def lines(self, container: Any) -> Iterator[str]:
        """The text lines of a body, cell or content control, in order."""
        for child in container:
            tag = child.tag
            if tag == W + "p":
                text = self.paragraph(child)
                yield from (line for line in text.split("\n") if line.strip())
            elif tag == W + "tbl":
                yield from self.table(child)
            elif tag in (W + "sdt", W + "customXml", W + "sdtContent", W + "ins", W + "moveTo"):
                yield from self.lines(child)

    def paragraph(self, p: Any) -> str:
        """A paragraph's text, preceded by its list number when Word numbers it."""
        text = "".join(_runs_text(p))
        numbered = self.numbers_of(p)
        if numbered is None or not text.strip():
            return text
        label, suffix = self.numbering.label(*numbered)
        if not label:
            return text
        last = label[-1]
        spaced = suffix != "nothing" and ((last.isascii() and last.isalnum()) or "\u4e00" <= last <= "\u9fff")
        return label + (" " if spaced else "") + text.lstrip()

    def numbers_of(self, p: Any) -> tuple[str, int] | None:
        """``(numId, ilvl)`` of a paragraph: its own ``w:numPr``, else its style's (through ``basedOn``)."""
        ppr = p.find(W + "pPr")
        if ppr is not None:
            own = _num_pr(ppr.find(W + "numPr"))
            if own is not None:
                return None if own[0] == "0" else own
            style = ppr.find(W + "pStyle")
            if style is not None:
                return self.style_number(str(style.get(W + "val")), 0)
        return None

    def style_number(self, style_id: str, depth: int) -> tuple[str, int] | None:
        """The numbering a paragraph style (or a style it is based on) gives its paragraphs."""
        if style_id in self.style_numbers:
            return self.style_numbers[style_id]
        style = self.styles.get(style_id)
        found: tuple[str, int] | None = None
        if style is not None and depth < 10:
            ppr = style.find(W + "pPr")
            own = _num_pr(ppr.find(W + "numPr")) if ppr is not None else None
            if own is not None:
                found = None if own[0] == "0" else own
            else:
                based = style.find(W + "basedOn")
                if based is not None:
                    found = self.style_number(str(based.get(W + "val")), depth + 1)
        self.style_numbers[style_id] = found
        return found

    def table(self, table: Any) -> Iterator[str]:
        """Each row of a table as one line, its cells' text separated by ``CELL_SEPARATOR``."""
        for row in table.iter(W + "tr"):
            if row.getparent() is not table:
                continue  # a nested table's rows are read in their cell
            cells = []
            for cell in row.findall(W + "tc"):
                text = "".join(self.lines(cell)).strip()
                if text:
                    cells.append(text)
            if cells:
                yield CELL_SEPARATOR.join(cells)


def _num_pr(num_pr: Any) -> tuple[str, int] | None:
    if num_pr is None:
        return None
    num_id = num_pr.find(W + "numId")
    if num_id is None:
        return None
    ilvl = num_pr.find(W + "ilvl")
    try:
        level = int(ilvl.get(W + "val")) if ilvl is not None else 0
    except (TypeError, ValueError):
        level = 0
    return str(num_id.get(W + "val")), level


def _runs_text(element: Any) -> Iterator[str]:
    """The text of a paragraph's runs, hyperlinks and insertions (tabs as tabs, breaks as newlines)."""
    for child in element:
        tag = child.tag
        if tag == _TEXT:
            yield child.text or ""
        elif tag == _TAB:
            yield "\t"
        elif tag in _BREAKS:
            yield "\n"
        elif tag not in _SKIP and isinstance(tag, str):
            yield from _runs_text(child)


def _body_lines(document: Any) -> Iterator[str]:
    reader = _Reader(document)
    yield from reader.lines(document.element.body)
