"""Build a PDF, a Word .docx and a single-file web archive from a notice's text, at test time.

reportlab (with its built-in ``STSong-Light`` CID font: no font file), python-docx and the standard
library's ``email`` package write them the way real notices come: a PDF set in the 公文 manner (titles
centred, paragraphs indented two characters, a running header and ``- N -`` page numbers), a .docx whose
headings may be numbered by Word itself, an .mht saved by a browser in GBK.  No binary fixture is kept.
"""

from __future__ import annotations

import base64
import io
import quopri
import re
from datetime import datetime
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from html import escape
from typing import Any

from tests.html_page import page
from zhenggai.loaders.meta import is_bare_title, is_title_line

#: Characters STSong-Light's Unicode encoding (UniGB-UCS2-H) cannot draw: set in a Western font
#: instead, as a typesetter would (the bullet is only in Symbol's encoding).
_WESTERN = {"·": "Helvetica", "³": "Helvetica", "•": "Symbol"}
_WESTERN_CHARS = re.compile("([·•³])")
_CN = "一二三四五六七八九十"
#: Chinese numbers 1–30 written out independently of the code under test.
CN_NUMBERS = [*_CN, *(f"十{c}" for c in _CN[:9]), "二十", *(f"二十{c}" for c in _CN[:9]), "三十"]


def notice_lines(text: str) -> list[str]:
    """A notice file's non-empty lines, indent stripped (what a typeset copy shows as paragraphs)."""
    return [line.strip(" \t\u3000\u00a0") for line in text.splitlines() if line.strip(" \t\u3000\u00a0")]


def is_title(line: str) -> bool:
    """True for a notice's title line (typeset centred and larger)."""
    return is_title_line(line) or is_bare_title(line)


def build_pdf(
    lines: list[str],
    *,
    info: dict[str, str] | None = None,
    running_header: str = "巡视整改进展情况",
    footer_url: str | None = None,
    table: list[list[str]] | None = None,
    password: str | None = None,
) -> bytes:
    """A PDF of ``lines``: titles centred, paragraphs indented, header and page numbers on every page."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfdoc, pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle(
        "body", fontName="STSong-Light", fontSize=12, leading=20, firstLineIndent=24, wordWrap="CJK"
    )
    heading = ParagraphStyle(
        "title", parent=body, fontSize=16, leading=26, firstLineIndent=0, alignment=TA_CENTER, spaceAfter=10
    )

    def markup(line: str) -> str:
        return _WESTERN_CHARS.sub(
            lambda m: f'<font name="{_WESTERN[m.group()]}">{m.group()}</font>', escape(line, quote=False)
        )

    story: list[Any] = [Paragraph(markup(line), heading if is_title(line) else body) for line in lines]
    if table:
        cells = [[Paragraph(markup(cell), body) for cell in row] for row in table]
        story.insert(min(3, len(story)), Table(cells))

    def info_dictionary(document: Any) -> bytes:
        entries = {"Producer": "format_builders", **(info or {})}
        fields = {key: pdfdoc.PDFString(value) for key, value in entries.items()}
        formatted: bytes = pdfdoc.PDFDictionary(fields).format(document)
        return formatted

    def furniture(canvas: Any, doc: Any) -> None:
        if info is not None:  # the Info dictionary with the entries given (reportlab writes fixed ones)
            canvas._doc.info.format = info_dictionary
        canvas.saveState()
        canvas.setFont("STSong-Light", 9)
        canvas.drawString(doc.leftMargin, A4[1] - 12 * mm, running_header)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"- {doc.page} -")
        if footer_url:
            canvas.setFont("Helvetica", 8)
            canvas.drawString(doc.leftMargin, 5 * mm, f"{footer_url}    {doc.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    encrypt = None
    if password is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption

        encrypt = StandardEncryption(password, ownerPassword="owner-" + password)
    document = SimpleDocTemplate(buffer, pagesize=A4, encrypt=encrypt)
    document.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A one-page PDF that is only a (tiny, grey) image: what a scanner makes, no text layer."""
    pixels = bytes(range(0, 256, 4)) * 64  # 64 x 64, 8-bit grey
    content = b"q 400 0 0 400 100 300 cm /Im1 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /XObject << /Im1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray"
        b" /BitsPerComponent 8 /Length %d >>\nstream\n%s\nendstream" % (len(pixels), pixels),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


_TYPED = re.compile(
    r"^(?:([一二三四五六七八九十]{1,3})、|\(([一二三四五六七八九十]{1,3})\)|（([一二三四五六七八九十]{1,3})）)"
)


def build_docx(
    lines: list[str],
    *,
    auto_numbering: bool = False,
    table: list[list[str]] | None = None,
    created: datetime | None = None,
    modified: datetime | None = None,
    hyperlink_base: str | None = None,
) -> bytes:
    """A .docx of ``lines``; with ``auto_numbering``, ``一、`` and ``(一)`` headings are numbered by
    Word (a two-level list restarting at each title) instead of typed, wherever Word's count gives
    the very number the text typed."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract_id, num_id = 90, 0  # above the ids python-docx's template uses (0–8, 1–9)
    counters = [0, 0]
    if auto_numbering:
        numbering.insert(
            0,
            parse_xml(
                f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
                '<w:multiLevelType w:val="multilevel"/>'
                '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
                '<w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>'
                '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
                '<w:lvlText w:val="(%2)"/><w:suff w:val="nothing"/></w:lvl>'
                "</w:abstractNum>"
            ),
        )
    for index, line in enumerate(lines):
        if table and index == 3:
            _add_table(document, table)
        typed = _TYPED.match(line) if auto_numbering else None
        if auto_numbering and (is_title(line) or num_id == 0):
            num_id = max(num_id + 1, 100)  # each notice's list starts again at 一
            counters = [0, 0]
            numbering.append(
                parse_xml(
                    f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
                    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
                )
            )
        if typed is not None:
            level = 0 if typed.group(1) else 1
            number = typed.group(1) or typed.group(2)
            expected = counters[level] + 1
            if typed.group(3) is None and expected <= len(CN_NUMBERS) and CN_NUMBERS[expected - 1] == number:
                counters[level] = expected
                if level == 0:
                    counters[1] = 0
                paragraph = document.add_paragraph(line[typed.end() :])
                paragraph._p.get_or_add_pPr().insert(
                    0,
                    parse_xml(
                        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
                        f'<w:numId w:val="{num_id}"/></w:numPr>'
                    ),
                )
                continue
        document.add_paragraph(line)
    if table and len(lines) <= 3:
        _add_table(document, table)
    properties = document.core_properties
    if created is not None:
        properties.created = created
    if modified is not None:
        properties.modified = modified
    buffer = io.BytesIO()
    document.save(buffer)
    raw = buffer.getvalue()
    if hyperlink_base:
        raw = _with_hyperlink_base(raw, hyperlink_base)
    return raw


def _add_table(document: Any, table: list[list[str]]) -> None:
    grid = document.add_table(rows=len(table), cols=len(table[0]))
    for row, values in zip(grid.rows, table, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value


def _with_hyperlink_base(raw: bytes, url: str) -> bytes:
    """The package with ``<HyperlinkBase>`` in ``docProps/app.xml`` (python-docx does not write it)."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/app.xml":
                data = data.replace(
                    b"</Properties>", f"<HyperlinkBase>{url}</HyperlinkBase></Properties>".encode()
                )
            target.writestr(item, data)
    return out.getvalue()


def notice_page(lines: list[str], *, date: str | None, source: str | None, head: str = "") -> str:
    """A realistic saved web page around a notice (its title, if it has one, as the page's heading;
    the 发布日期/信息来源 line only when the notice has them)."""
    title = lines[0] if lines and is_title(lines[0]) else ""
    paragraphs = lines[1:] if title else lines
    html = page(title, paragraphs, date=date or "", source=source or "", charset="")
    if not (date or source):
        html = re.sub(r'<div class="info">[^\n]*</div>\n', "", html, count=1)
    if not title:  # a notice saved without its title line: the page has none either
        html = re.sub(r"<title>[^<]*</title>", "<title></title>", html, count=1).replace("<h1></h1>", "", 1)
    return html.replace("<head>", "<head>" + head, 1)


def build_mhtml(
    html: str,
    *,
    charset: str = "gbk",
    transfer: str = "quoted-printable",
    location: str | None = None,
    snapshot: str | None = None,
    date: str = "Wed, 27 Mar 2024 10:30:00 +0800",
) -> bytes:
    """A single-file web archive of ``html``: the page in ``charset`` (GBK written as GB18030, as
    browsers do) and ``transfer`` encoding, beside a stylesheet and an image, as a browser saves it."""
    archive = MIMEMultipart("related", type="text/html")
    archive["From"] = "<Saved by Blink>"
    archive["Subject"] = "=?utf-8?q?notice?="
    archive["Date"] = date
    if snapshot:
        archive["Snapshot-Content-Location"] = snapshot
    codec = "gb18030" if charset.lower() in ("gbk", "gb2312") else charset
    data = html.encode(codec)
    part = MIMENonMultipart("text", "html", charset=charset)
    if transfer == "base64":
        part.set_payload(base64.encodebytes(data).decode("ascii"))
    else:
        part.set_payload(quopri.encodestring(data).decode("ascii"))
    part["Content-Transfer-Encoding"] = transfer
    if location:
        part["Content-Location"] = location
    archive.attach(part)
    style = MIMENonMultipart("text", "css")
    style.set_payload(".nav { color: red }\n")
    style["Content-Location"] = "https://example.gov.cn/style.css"
    archive.attach(style)
    image = MIMENonMultipart("image", "png")
    image.set_payload(base64.encodebytes(b"\x89PNG\r\n\x1a\n" + bytes(64)).decode("ascii"))
    image["Content-Transfer-Encoding"] = "base64"
    archive.attach(image)
    return archive.as_bytes()


__all__ = ["build_docx", "build_mhtml", "build_pdf", "notice_lines", "notice_page", "scanned_pdf"]
