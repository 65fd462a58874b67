"""A folder mixing every form loads in one call; a bad file of each form is one line; page furniture,
tables, Word's style-linked numbering and provenance are read as a reader sees them."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.format_builders import build_docx, build_mhtml, build_pdf, notice_lines, notice_page, scanned_pdf
from zhenggai.cli import app
from zhenggai.loaders import load_corpus, parse_bytes, sample_data_paths
from zhenggai.loaders.cite import citation
from zhenggai.loaders.formats import DecodeError, document_form, extract_document
from zhenggai.loaders.formats.numbering import Numbering, chinese_numeral, format_number
from zhenggai.loaders.formats.provenance import clean_url, page_urls, pdf_date

URL = "https://www.example.gov.cn/xsxc/2024/0327/c1234.html"
CONVERT = "convert it to .docx with LibreOffice (soffice --headless --convert-to docx)"


def lines_of(name: str, count: int | None = None) -> list[str]:
    path = next(p for p in sample_data_paths() if name in p.name)
    return notice_lines("\n".join(path.read_text(encoding="utf-8").splitlines()[:count]))


def test_a_folder_of_every_form_loads_in_one_call_and_each_bad_file_is_one_line(tmp_path: Path) -> None:
    gulou = next(p for p in sample_data_paths() if "gulou" in p.name)
    (tmp_path / "gulou.txt").write_bytes(gulou.read_bytes())
    small = lines_of("lusong")
    (tmp_path / "lusong.pdf").write_bytes(build_pdf(small, info={"URL": URL}))
    (tmp_path / "gaoling.docx").write_bytes(build_docx(lines_of("gaoling"), auto_numbering=True))
    (tmp_path / "anding.mht").write_bytes(
        build_mhtml(notice_page(lines_of("anding"), date=None, source=None), snapshot=URL)
    )
    saved_from = f"<!-- saved from url=(0052){URL}#top -->\n"
    page = saved_from + notice_page(lines_of("liaoning", 120), date=None, source=None)
    (tmp_path / "liaoning.htm").write_text(page, encoding="utf-8")
    whole = build_pdf(small[:12])
    bad = {
        "truncated.pdf": (
            whole[: len(whole) // 2],
            "truncated PDF: the file ends before its end marker (%%EOF)",
        ),
        "encrypted.pdf": (
            build_pdf(small[:12], password="secret"),
            "encrypted PDF: it needs a password to open",
        ),
        "scanned.pdf": (scanned_pdf(), "scanned image: no text layer"),
        "renamed.docx": (
            _zip({"notes.txt": b"not a notice"}),
            "not a Word document (a zip without word/document.xml)",
        ),
        "old.doc": (_ole(), f".doc is the old binary Word format: {CONVERT}"),
        "old.wps": (_ole(), f".wps is WPS Office's binary format: save it as .docx in WPS, or {CONVERT}"),
        "images.mhtml": (_images_only_archive(), "web archive without a web page (no text/html part)"),
    }
    for name, (raw, _) in bad.items():
        (tmp_path / name).write_bytes(raw)
    corpus = load_corpus([tmp_path])
    assert sorted((Path(s.path).name, s.reason) for s in corpus.skipped) == sorted(
        (name, reason) for name, (_, reason) in bad.items()
    )
    assert corpus.warnings == []
    by_file = {}
    for notice in corpus.notices:
        by_file.setdefault(Path(notice.file).name, []).append(notice)
    assert {name: len(found) for name, found in by_file.items()} == {
        "gulou.txt": 1, "lusong.pdf": 1, "gaoling.docx": 1, "anding.mht": 1, "liaoning.htm": 2,
    }  # fmt: skip
    assert {name: found[0].meta.source_url for name, found in by_file.items()} == {
        "gulou.txt": None, "lusong.pdf": URL, "gaoling.docx": None, "anding.mht": URL,
        "liaoning.htm": URL + "#top",
    }  # fmt: skip
    assert {n.encoding for n in corpus.notices} == {"utf-8", "pdf", "docx", "mhtml", "html"}


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, data in files.items():
            package.writestr(name, data)
    return out.getvalue()


def _ole() -> bytes:
    """The first sector of an OLE2 compound file (the old .doc/.wps container)."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def _images_only_archive() -> bytes:
    return (
        b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b--\r\n"
    )


def test_damaged_pdf_and_docx_are_one_line_each() -> None:
    with pytest.raises(DecodeError, match=r"^damaged PDF \(") as caught:
        extract_document(
            b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer <<>>\n%%EOF\n", "x.pdf"
        )
    assert "\n" not in str(caught.value)
    with pytest.raises(DecodeError, match=r"^damaged Word document \("):
        extract_document(b"PK\x03\x04" + b"word/document.xml" + bytes(40), "x.docx")
    with pytest.raises(DecodeError, match=r"^an RTF document: convert"):
        extract_document(b"{\\rtf1\\ansi ...}", "saved.doc")
    with pytest.raises(DecodeError, match=r"^not a PDF"):
        extract_document("巡视整改进展情况".encode(), "download.pdf")


def test_the_bytes_decide_the_form_before_the_name() -> None:
    page = b"<!DOCTYPE html><html><body><p>x</p></body></html>"
    assert document_form(page, "attachment.pdf") == "html"  # a failed download saved as .pdf
    assert document_form(b"%PDF-1.7\n...", "notice.txt") == "pdf"
    assert document_form(_zip({"word/document.xml": b"<w/>"}), "notice.zip") == "docx"
    assert document_form(_zip({"a.txt": b""}), "a.zip") == "zip"
    assert (
        document_form(b"MIME-Version: 1.0\nContent-Type: multipart/related; boundary=x\n\n", "a.txt")
        == "mhtml"
    )
    assert document_form("根据省委统一部署".encode(), "a.txt") == "text"


def test_pdf_furniture_tables_and_a_print_footer_url() -> None:
    lines = lines_of("gulou")
    table = [["问题", "整改措施", "完成情况"], ["19个方面问题", "197条", "已完成"]]
    raw = build_pdf(lines, running_header="XZGL-2024-03 巡视整改专报", footer_url=URL, table=table)
    document = extract_document(raw, "gulou.pdf")
    text = document.text.split("\n")
    assert "问题 | 整改措施 | 完成情况" in text and "19个方面问题 | 197条 | 已完成" in text
    assert not [line for line in text if "巡视整改专报" in line or line.startswith("- ") or URL in line]
    assert document.provenance.source_url == URL  # read off the browser's print footer before dropping it
    assert [line for line in text if "|" not in line] == lines  # Chinese lines joined without a space


def test_docx_tables_and_numbering_linked_to_a_heading_style() -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    raw = build_docx(["根据省委统一部署,开展了巡视。"], table=[["问题", "措施"], ["17个", "197条"]])
    document = docx.Document(io.BytesIO(raw))
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="77"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>'
        "</w:abstractNum>"
    ))  # fmt: skip
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))
    heading = document.styles["Heading 1"].element.get_or_add_pPr()
    heading.insert(0, parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="77"/></w:numPr>'))
    for title in ("组织领导情况", "整改落实情况"):
        document.add_paragraph(title, style="Heading 1")
        item = document.add_paragraph("压实责任。", style="List Number")
        item._p.get_or_add_pPr().insert(
            0, parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="1"/><w:numId w:val="77"/></w:numPr>')
        )
    out = io.BytesIO()
    document.save(out)
    text = extract_document(out.getvalue(), "x.docx").text.split("\n")
    assert text == [
        "根据省委统一部署,开展了巡视。", "问题 | 措施", "17个 | 197条",
        "一、组织领导情况", "1.压实责任。", "二、整改落实情况", "1.压实责任。",
    ]  # fmt: skip


def test_word_number_formats() -> None:
    assert [chinese_numeral(n) for n in (1, 10, 11, 20, 21, 100, 105, 110)] == [
        "一", "十", "十一", "二十", "二十一", "一百", "一百零五", "一百一十",
    ]  # fmt: skip
    formats = ("decimalEnclosedCircle", "chineseLegalSimplified", "upperRoman")
    assert [format_number(3, f) for f in formats] == ["③", "叁", "III"]
    assert Numbering(None).label("1", 0) == ("", "nothing")


def test_provenance_keeps_only_plain_web_addresses() -> None:
    page = (
        "<!-- saved from url=(0014)about:internet -->\n<html><head>"
        "<link rel='canonical' href='javascript:alert(1)'><meta content=\"https://a.gov.cn/x?a=1&amp;b=2\" "
        'property="og:url"></head></html>'
    )
    assert page_urls(page) == {"og:url": "https://a.gov.cn/x?a=1&b=2"}
    assert clean_url("https://a.gov.cn/\x1b[31mred") is None and clean_url("http://a b") is None
    assert pdf_date("D:20240327103000+08'00'") == "2024-03-27T10:30:00+08:00"
    assert pdf_date("D:2024") == "2024-01-01T00:00:00"
    assert pdf_date("D:20241399") is None and pdf_date(None) is None


def test_citation_show_and_json_carry_the_source_url(tmp_path: Path) -> None:
    (tmp_path / "lusong.pdf").write_bytes(build_pdf(lines_of("lusong"), info={"URL": URL}))
    [notice], _ = parse_bytes((tmp_path / "lusong.pdf").read_bytes(), str(tmp_path / "lusong.pdf"))
    assert f"；网址：{URL}；文件：lusong.pdf；" in citation(notice)
    runner = CliRunner()
    shown = runner.invoke(app, ["show", "芦淞", "--path", str(tmp_path)], env={"COLUMNS": "200"})
    assert shown.exit_code == 0 and f"url         {URL}" in shown.output.replace("\u2009", " ")
    as_json = runner.invoke(app, ["show", "芦淞", "--path", str(tmp_path), "--json"])
    data = json.loads(as_json.output)
    assert (data["source_url"], data["encoding"], len(data["file_sha256"])) == (URL, "pdf", 64)


def test_formats_import_no_heavy_library_until_a_file_needs_it(tmp_path: Path) -> None:
    probe = (
        "import sys, zhenggai.loaders.formats, zhenggai.loaders.formats.provenance, zhenggai.loaders.corpus\n"
        "heavy = {'pdfminer', 'docx', 'trafilatura', 'textual', 'lxml'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
