"""Every form a notice is saved in gives the same notice: a PDF, a .docx (typed and Word-numbered
headings) and a single-file web archive built at test time from each sample file have the metadata,
outline and ledger of the .txt — and each file's provenance (URL, SHA-256, its own dates)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from tests.format_builders import build_docx, build_mhtml, build_pdf, notice_lines, notice_page
from zhenggai.loaders import Notice, fold, parse_bytes, sample_data_paths
from zhenggai.loaders.ledger import extract_ledger

PROVENANCE = ("file", "encoding", "source_url", "file_sha256", "file_created", "file_modified")
URL = "https://www.example.gov.cn/xsxc/2024/0327/c1234.html"
SAMPLES = ["anding", "lusong", "gulou", "liaoning", "gaoling"]
#: pdfminer reads ~25,000 characters a second: the 49-notice Liaoning file (2.3 MB) would take 30 s as
#: a PDF, so its PDF, its typed .docx and its archive hold its first notices (the collection header and
#: four notices); the Word-numbered .docx holds all 49 (each restarting its list at 一).
LIAONING_LINES = 330


def signature(notice: Notice) -> dict[str, object]:
    """What a notice says, whatever file it was read from: metadata, outline, ledger."""
    data = notice.to_dict()
    for key in PROVENANCE:
        data.pop(key)
    ledger = extract_ledger(notice)
    return {
        "meta": data,
        "outline": [(s.id, s.kind, fold(s.title)) for s in notice.walk()],
        "ledger": ([f.to_dict() for f in ledger.figures], ledger.checks),
    }


def sample(name: str, lines: int | None = None) -> tuple[list[str], list[Notice]]:
    """A sample's lines (the first ``lines`` of them) and the notices of its .txt."""
    path = next(p for p in sample_data_paths() if name in p.name)
    text = path.read_text(encoding="utf-8")
    if lines is not None:
        text = "\n".join(text.splitlines()[:lines]) + "\n"
    notices, warnings = parse_bytes(text.encode("utf-8"), str(path))
    assert warnings == [] and notices
    return notice_lines(text), notices


def assert_same_notices(raw: bytes, name: str, original: list[Notice]) -> list[Notice]:
    notices, warnings = parse_bytes(raw, name)
    assert warnings == []
    assert [signature(n) for n in notices] == [signature(n) for n in original]
    digest = hashlib.sha256(raw).hexdigest()
    assert {n.meta.file_sha256 for n in notices} == {digest}
    return notices


@pytest.mark.parametrize("name", SAMPLES)
def test_pdf_equals_the_text_original(name: str) -> None:
    lines, original = sample(name, LIAONING_LINES if name == "liaoning" else None)
    info = {"CreationDate": "D:20240327103000+08'00'", "ModDate": "D:20240328090000Z", "URL": URL}
    raw = build_pdf(lines, info=info)
    notices = assert_same_notices(raw, "notice.pdf", original)
    assert len(notices) == (4 if name == "liaoning" else 1)
    meta = notices[-1].meta
    assert (meta.source_url, meta.file_created, meta.file_modified) == (
        URL,
        "2024-03-27T10:30:00+08:00",
        "2024-03-28T09:00:00+00:00",
    )
    assert notices[0].encoding == "pdf"


@pytest.mark.parametrize("numbered", [False, True], ids=["typed", "word-numbered"])
@pytest.mark.parametrize("name", SAMPLES)
def test_docx_equals_the_text_original(name: str, numbered: bool) -> None:
    lines, original = sample(name, LIAONING_LINES if name == "liaoning" and not numbered else None)
    raw = build_docx(
        lines,
        auto_numbering=numbered,
        created=datetime(2024, 3, 27, 10, 30),
        modified=datetime(2024, 3, 28, 9, 0),
        hyperlink_base=URL,
    )
    body = zipfile.ZipFile(io.BytesIO(raw)).read("word/document.xml").decode("utf-8")
    headings = sum(1 for n in original for s in n.walk() if s.kind in ("cn", "paren_cn"))
    # Word numbers (nearly) every 一、 and (一) heading: the text has none of them typed
    assert body.count("<w:numPr>") >= (headings * 9 // 10 if numbered else 0) and headings > 0
    notices = assert_same_notices(raw, "notice.docx", original)
    meta = notices[0].meta
    assert (meta.source_url, meta.file_created, meta.file_modified) == (
        URL,
        "2024-03-27T10:30:00+00:00",
        "2024-03-28T09:00:00+00:00",
    )


@pytest.mark.parametrize(
    ("charset", "transfer"), [("gbk", "quoted-printable"), ("utf-8", "base64")], ids=["gbk-qp", "utf8-base64"]
)
@pytest.mark.parametrize("name", SAMPLES)
def test_web_archive_equals_the_text_original(name: str, charset: str, transfer: str) -> None:
    lines, original = sample(name, LIAONING_LINES if name == "liaoning" else None)
    html = notice_page(lines, date=original[0].meta.publication_date, source=original[0].meta.source)
    assert "charset" not in html  # the charset is only in the archive's part headers
    raw = build_mhtml(html, charset=charset, transfer=transfer, snapshot=URL, location=URL + "?print=1")
    notices = assert_same_notices(raw, "notice.mht", original)
    meta = notices[0].meta
    assert (meta.source_url, meta.file_created, meta.file_modified) == (
        URL,
        "2024-03-27T10:30:00+08:00",
        None,
    )
    assert notices[0].encoding == "mhtml"


def test_a_page_s_own_canonical_address_comes_before_the_archive_s() -> None:
    lines, original = sample("gulou")
    canonical = "https://www.example.gov.cn/canonical/1.html"
    head = f'<link href="{canonical}" rel="canonical"><meta property="og:url" content="{URL}">'
    html = notice_page(lines, date="2024-03-27", source="清风扬帆网", head=head)
    [notice] = assert_same_notices(build_mhtml(html, location=URL), "page.mhtml", original)
    assert notice.meta.source_url == canonical
    [page] = assert_same_notices(html.encode("utf-8"), "page.html", original)
    assert page.meta.source_url == canonical
    saved = f"<!-- saved from url=(0050){URL} -->\n" + notice_page(
        lines, date="2024-03-27", source="清风扬帆网"
    )
    [page] = assert_same_notices(saved.encode("utf-8"), "page.html", original)
    assert (page.meta.source_url, page.encoding) == (URL, "html")


def test_plain_text_keeps_its_sha256_and_no_url(sample_dir: Path) -> None:
    path = sample_dir / "jiangsu-xuzhou-gulou-2024.txt"
    [notice], _ = parse_bytes(path.read_bytes(), str(path))
    assert notice.meta.file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (notice.meta.source_url, notice.meta.file_created, notice.meta.file_modified) == (None, None, None)
    assert notice.to_dict()["file_sha256"] == notice.meta.file_sha256
