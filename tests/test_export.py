"""Markdown export: structure checked with a real CommonMark parser; user text cannot break it."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from zhenggai.loaders import Corpus, Notice, load_corpus
from zhenggai.store.anchor import Anchor, make_anchor
from zhenggai.store.db import Store
from zhenggai.store.export import export_markdown

HOSTILE = "# 不是标题\n> 不是引用\n---\n| a | b |\n* 不是列表 `code` **粗**\n1. 不是编号\n\n    不是代码"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


def notice(corpus: Corpus, district: str) -> Notice:
    return next(n for n in corpus.notices if n.district == district)


def parse(markdown: str) -> list:  # type: ignore[type-arg]
    """CommonMark + GFM tables + YAML front matter, as Markdown tools read an export."""
    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin).parse(markdown)


def headings(tokens: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(t.tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]


def test_export_structure(corpus: Corpus, zhenggai_home: Path) -> None:
    store = Store.open()
    gulou, anding = notice(corpus, "鼓楼区"), notice(corpus, "安定区")
    store.add_note(make_anchor(gulou, "二/(十七)", "工程建设存在").to_dict(), "工程领域 #工程")
    store.add_note(make_anchor(anding, "二/问题1").to_dict(), "先看这里")
    store.add_note(make_anchor(anding, "一").to_dict(), HOSTILE)
    store.add_bookmark(make_anchor(anding, "二").to_dict())
    store.save_comparison("两地对比", [gulou.id, anding.id], note="比较 | 完成率")
    gone = Anchor(anding.id, "三", "下一步", "这句话不存在于通报中", whole_section=False)
    store.add_note(gone.to_dict(), "脱离的笔记")
    markdown = export_markdown(corpus, store.notes(), store.bookmarks(), store.comparisons(), title="导出")
    assert markdown.startswith('---\ntitle: "导出"\nexported_at: "')
    tokens = parse(markdown)
    assert tokens[0].type == "front_matter"
    assert "notices: 53" in tokens[0].content
    assert headings(tokens) == [
        ("h1", "导出"),
        ("h2", "笔记 Notes"),
        ("h3", "江苏省"),
        ("h4", "徐州市"),
        ("h5", "鼓楼区 — 徐州市鼓楼区委关于巡视整改进展情况的通报"),
        ("h6", "(十七)关于“工程建设存在‘潜规则’”问题的整改"),
        ("h3", "甘肃省"),
        ("h4", "定西市"),
        ("h5", "安定区 — 中共定西市安定区委关于五届市委第一轮巡察整改进展情况的通报"),
        ("h6", "一、提高政治站位,全力抓实巡察整改政治责任"),
        ("h6", "问题1:项目谋划深度不够"),
        ("h2", "书签 Bookmarks"),
        ("h2", "对比 Comparisons"),
        ("h3", "两地对比"),
        ("h2", "未能定位的笔记 Detached notes"),
        ("h6", "§三 下一步 （已脱离 detached）"),
    ]
    quotes = [t for t in tokens if t.type == "blockquote_open"]
    assert len(quotes) == 4  # three attached notes and the detached one, each with its quote
    assert "这句话不存在于通报中" in markdown and "脱离的笔记" in markdown
    tables = [t for t in tokens if t.type == "table_open"]
    assert len(tables) == 1
    rows = [tokens[i + 2].content for i, t in enumerate(tokens) if t.type == "tr_open"]
    assert "反馈问题总数" in rows
    assert "工程" in markdown and "`工程`" in markdown


def test_hostile_note_cannot_break_the_document(corpus: Corpus, zhenggai_home: Path) -> None:
    store = Store.open()
    anding = notice(corpus, "安定区")
    store.add_note(make_anchor(anding, "一").to_dict(), HOSTILE)
    tokens = parse(export_markdown(corpus, store.notes(), [], []))
    kinds = {t.type for t in tokens}
    assert "table_open" not in kinds and "bullet_list_open" not in kinds and "ordered_list_open" not in kinds
    assert "code_block" not in kinds and "fence" not in kinds and "code_inline" not in kinds
    assert "em_open" not in kinds and "strong_open" not in kinds
    assert [t for t in tokens if t.type == "hr"] == []
    assert len([t for t in tokens if t.type == "heading_open"]) == 6  # title, Notes, 省, 市, 区, section
    text = "".join(t.content for t in tokens if t.type == "inline")
    for fragment in (
        "# 不是标题",
        "> 不是引用",
        "---",
        "| a | b |",
        "* 不是列表 `code` **粗**",
        "1. 不是编号",
        "不是代码",
    ):
        assert fragment in text.replace("\\", "") or fragment in text


PLAIN = "普通的一条笔记"
HOSTILE_NOTES = [
    "# 标题",
    "###### 六级",
    "> 引用",
    "---",
    "第一行\n---",
    "第一行\n===",
    "***",
    "___",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "* 列表",
    "- 列表",
    "+ 列表",
    "1. 编号",
    "1) 编号",
    "`code` ``two``",
    "```\nfenced\n```",
    "~~~\nfenced\n~~~",
    "    缩进代码",
    "<div>html</div>",
    "<!-- comment -->",
    "[link](ftp://example.com) ![img](x.png) <mailto:a@b.c>",
    "**粗** _斜_ ~~删~~",
    "&amp; &#35; &copy;",
    "末尾反斜杠\\",
    "[^1]: 脚注",
    "[ref]: /a/relative/path",
]


def note_structure(markdown: str) -> list[str]:
    """Token types from the note's section heading to the end of the Notes part."""
    tokens = parse(markdown)
    start = max(i for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h6")
    types = [t.type for t in tokens[start:]]
    return [*types, *(c.type for t in tokens[start:] for c in (t.children or []) if c.type != "text")]


@pytest.mark.parametrize("text", HOSTILE_NOTES)
def test_each_hostile_note_has_the_shape_of_a_plain_note(corpus: Corpus, text: str) -> None:
    anding = notice(corpus, "安定区")
    anchor = make_anchor(anding, "一").to_dict()

    def export(note_text: str) -> str:
        record = {"id": "x", "anchor": anchor, "text": note_text, "tags": [], "created": "", "updated": ""}
        return export_markdown(corpus, [record], [], [])

    plain = note_structure(export(PLAIN.replace("\n", "")))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    expected = [t for t in plain if t not in ("hardbreak", "softbreak")]
    hostile = note_structure(export(text))
    assert [t for t in hostile if t not in ("hardbreak", "softbreak")] == expected
    assert hostile.count("hardbreak") == len(lines) - 1  # one line break per line, nothing else
    tokens = parse(export(text))
    rendered = "\n".join(
        c.content for t in tokens if t.type == "inline" for c in t.children or [] if c.type == "text"
    )
    for line in lines:
        assert line in rendered  # shown as written, every character


def test_front_matter_values_are_quoted_whatever_the_title(corpus: Corpus) -> None:
    title = '笔记: "引号" #不是注释\n--- 第二行 | {a: b}'
    markdown = export_markdown(corpus, [], [], [], title=title)
    front = parse(markdown)[0]
    assert front.type == "front_matter"
    lines = front.content.splitlines()
    # every value is a double-quoted scalar (JSON strings are YAML), so nothing in it is YAML syntax
    assert [line.split(":", 1)[0] for line in lines[:3]] == ["title", "exported_at", "corpus"]
    assert json.loads(lines[0].split(": ", 1)[1]) == title
    exported_at = json.loads(lines[1].split(": ", 1)[1])
    assert datetime.fromisoformat(exported_at).tzinfo is not None
    assert lines[3:5] == [
        f"  notices: {len(corpus.notices)}",
        f"  files: {len({n.file for n in corpus.notices})}",
    ]
    digest = json.loads(lines[5].removeprefix("  content_sha256: "))
    assert len(digest) == 64 and int(digest, 16) >= 0 and len(lines) == 6  # no paths


def test_web_links_in_notes_survive(corpus: Corpus) -> None:
    anchor = make_anchor(notice(corpus, "安定区"), "一").to_dict()
    text = "见 [通报](https://example.org/a_b?x=1&y=2) 和 <https://example.org/c*d>，另见 https://example.org/e_f。"
    record = {"id": "x", "anchor": anchor, "text": text, "tags": [], "created": "", "updated": ""}
    tokens = parse(export_markdown(corpus, [record], [], []))
    links = [
        c.attrs["href"]
        for t in tokens
        if t.type == "inline"
        for c in t.children or []
        if c.type == "link_open"
    ]
    assert links == ["https://example.org/a_b?x=1&y=2", "https://example.org/c*d", "https://example.org/e_f"]


def test_comparison_note_and_name_cannot_break_the_table(corpus: Corpus, zhenggai_home: Path) -> None:
    store = Store.open()
    gulou, anding = notice(corpus, "鼓楼区"), notice(corpus, "安定区")
    store.save_comparison("# 不是 | 标题", [gulou.id, anding.id], note="| 列 | 列 |\n|---|---|")
    tokens = parse(export_markdown(corpus, [], [], store.comparisons()))
    assert len([t for t in tokens if t.type == "table_open"]) == 1
    shown = [
        (t.tag, "".join(c.content for c in tokens[i + 1].children or []))
        for i, t in enumerate(tokens)
        if t.type == "heading_open"
    ]
    assert shown[-1] == ("h3", "# 不是 | 标题")  # rendered as the user wrote it, one heading
    header_cells = [t for t in tokens if t.type == "th_open"]
    assert len(header_cells) == 3  # the figure and one column per notice
