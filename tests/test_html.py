"""Saved web pages: the article is extracted, chrome never reaches the text, metadata and outline equal
the plain-text original's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.html_page import page
from zhenggai.loaders import Notice, fold, load_corpus, parse_bytes, sample_data_paths
from zhenggai.loaders.formats import looks_like_html
from zhenggai.loaders.html import decode_html, extract_article

NOISE = (
    "首页",
    "工作动态",
    "相关链接",
    "版权所有",
    "ICP备",
    "打印本页",
    "关闭窗口",
    "统计代码",
    "设为主页",
    "字号",
    "当前位置",
)


def notice_parts(name: str) -> tuple[Notice, str, list[str]]:
    path = next(p for p in sample_data_paths() if name in p.name)
    [notice], _ = parse_bytes(path.read_bytes(), str(path))
    return notice, notice.title, [p.text for p in notice.paragraphs()]


def signature(notice: Notice) -> dict[str, object]:
    data = notice.to_dict()
    for key in ("file", "encoding", "file_sha256", "source_url", "file_created", "file_modified"):
        data.pop(key)  # where the notice was read from, not what it says
    return {"meta": data, "outline": [(s.id, fold(s.title), s.fingerprint) for s in notice.walk()]}


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
@pytest.mark.parametrize(
    ("name", "date", "source"),
    [("gulou", "2024-03-27", "清风扬帆网"), ("lusong", "2021-09-17", "三湘风纪网")],
)
def test_page_variant_equals_the_text_original(name: str, date: str, source: str, charset: str) -> None:
    notice, title, paragraphs = notice_parts(name)
    html = page(title, paragraphs, date=date, source=source, charset=charset)
    raw = html.encode("gb18030" if charset == "gbk" else "utf-8")
    assert looks_like_html(raw)
    article = extract_article(raw)
    assert (article.title, article.date, article.source) == (title, date, source)
    assert article.paragraphs == paragraphs
    joined = "\n".join(article.paragraphs)
    assert not [word for word in NOISE if word in joined]
    [variant], warnings = parse_bytes(raw, "page.html")
    assert warnings == [] and variant.encoding == "html"
    assert signature(variant) == signature(notice)


def test_wrong_declared_charset_falls_back_to_detection() -> None:
    _, title, paragraphs = notice_parts("gulou")
    raw = page(title, paragraphs, date="2024-03-27", source="清风扬帆网", charset="utf-8").encode("gb18030")
    assert "巡视整改" in decode_html(raw)
    assert extract_article(raw).paragraphs == paragraphs


def test_page_without_an_article(tmp_path: Path) -> None:
    empty = b"<!DOCTYPE html><html><head><title>404</title></head><body><div><a>home</a></div></body></html>"
    with pytest.raises(ValueError, match="no article text found"):
        extract_article(empty)
    (tmp_path / "404.html").write_bytes(empty)
    corpus = load_corpus([tmp_path])
    assert [s.reason for s in corpus.skipped] == ["no article text found"]


def test_folder_of_pages_loads(tmp_path: Path) -> None:
    _, title, paragraphs = notice_parts("gulou")
    (tmp_path / "gulou.htm").write_bytes(
        page(title, paragraphs, date="2024-03-27", source="清风扬帆网", charset="gbk").encode("gbk")
    )
    corpus = load_corpus([tmp_path])
    assert [(n.city, n.district, n.meta.publication_date, n.meta.source) for n in corpus.notices] == [
        ("徐州市", "鼓楼区", "2024-03-27", "清风扬帆网")
    ]


def test_text_files_are_not_html() -> None:
    assert not any(looks_like_html(p.read_bytes()) for p in sample_data_paths())


def test_importing_loaders_does_not_load_trafilatura() -> None:
    code = (
        "import sys, zhenggai.loaders, zhenggai.loaders.html; zhenggai.loaders.load_corpus();"
        "assert 'trafilatura' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
