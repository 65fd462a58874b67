"""Retrieval (quote table, matrix), REFI-QDA export validated against the schema and read back, the
Markdown by code/district, and the ledger as panel data — on the samples, with exact expectations."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from zhenggai.cli import app
from zhenggai.loaders import Corpus, fold, load_corpus
from zhenggai.loaders.corpus import parse_bytes
from zhenggai.loaders.ledger_rules import number_value
from zhenggai.loaders.panel import PANEL_COLUMNS
from zhenggai.store import retrieval
from zhenggai.store.anchor import Anchor, make_anchor
from zhenggai.store.db import Store
from zhenggai.store.locate import Placer
from zhenggai.store.qdpx import export_qdpx
from zhenggai.store.qdpx_read import read_qdpx
from zhenggai.store.refi import PROJECT_SCHEMA, data_file
from zhenggai.store.research_export import export_coded_markdown
from zhenggai.store.retrieval import (
    QUOTE_COLUMNS,
    QuoteFilter,
    district_matrix,
    matrix_csv,
    place_segments,
    quotes_csv,
)
from zhenggai.store.spots import surrounding_sentence

from .research_project import CODES, build_project

runner = CliRunner()


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(None)


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    with data_file(PROJECT_SCHEMA).open("rb") as handle:
        return xmlschema.XMLSchema(handle)


def test_schema_ships_with_its_licence() -> None:
    text = data_file(PROJECT_SCHEMA).read_text(encoding="utf-8")
    assert "This specification is licensed under the MIT license." in text
    assert "Permission is hereby granted, free of charge" in text


def test_quote_table_and_matrix(zhenggai_home: Path, corpus: Corpus) -> None:
    store = Store.open()
    build_project(store, corpus)
    book = store.codebook()
    quotes = place_segments(corpus, store.segments(), book)
    assert len(quotes) == 20 and all(q.status == "attached" for q in quotes)
    for quote in quotes:
        notice = corpus.get(quote.notice_id)
        assert notice is not None and notice.body[quote.start : quote.end] == quote.quote
        assert quote.quote in quote.sentence
    rows = list(csv.reader(io.StringIO(quotes_csv(quotes).removeprefix("\ufeff"))))
    assert tuple(rows[0]) == QUOTE_COLUMNS and len(rows) == 21
    assert sorted({r[QUOTE_COLUMNS.index("code")] for r in rows[1:]}) == sorted(CODES)
    matrix = district_matrix(quotes, book)
    assert sum(map(sum, matrix.counts)) == 20 and len(matrix.rows) == 10
    assert matrix.codes == [c.slash for c in book.walk() if c.slash in CODES]  # codebook order
    assert sorted(matrix.codes) == sorted(CODES)
    assert all(set(row) <= {0, 1} for row in matrix.binary())
    header = next(csv.reader(io.StringIO(matrix_csv(matrix, binary=True).removeprefix("\ufeff"))))
    assert header == ["province", "city", "district", *matrix.codes]
    subtree = QuoteFilter(code="问题类型/作风").apply(quotes, book)
    assert {q.code for q in subtree} == {"问题类型/作风/形式主义", "问题类型/作风/官僚主义"} and len(
        subtree
    ) == 8
    liaoning = QuoteFilter(province="辽宁", level="xunshi", round="第四轮").apply(quotes, book)
    assert liaoning and all(q.province == "辽宁省" and q.level == "巡视" for q in liaoning)


def test_the_quotes_and_matrix_commands_reuse_the_spots_saved_before(
    zhenggai_home: Path, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open()
    build_project(store, corpus)
    first = runner.invoke(app, ["quotes", "--json"])
    assert first.exit_code == 0 and len(json.loads(first.stdout)) == 20
    placed: list[str] = []  # the anchors placed (read in their notice), by notice
    make = retrieval.make_spot
    monkeypatch.setattr(retrieval, "make_spot", lambda a, p: placed.append(a.notice_id) or make(a, p))
    again = runner.invoke(app, ["quotes", "--json"])
    assert again.stdout == first.stdout and placed == []  # the same files: every anchor has its spot
    matrix = runner.invoke(app, ["matrix", "--csv"])
    assert matrix.exit_code == 0 and placed == []
    notice = corpus.notices[30]
    store.code_segment("整改措施", make_anchor(notice, notice.sections[1].id).to_dict())
    coded = runner.invoke(app, ["quotes", "--json"])
    assert len(json.loads(coded.stdout)) == 21 and placed == [notice.id]  # that passage alone
    rows = json.loads(coded.stdout)
    assert [r for r in rows if r["notice_id"] != notice.id or r["section_id"] != notice.sections[1].id] == [
        r for r in json.loads(first.stdout)
    ]  # the others as before


def test_a_quote_s_sentence_is_cut_at_its_marks_and_at_its_line() -> None:
    body = "一、甲。乙丙；丁\n戊己？庚辛"
    assert surrounding_sentence(body, body.index("丙"), body.index("丙") + 1) == "乙丙；"
    assert surrounding_sentence(body, body.index("丁"), body.index("丁") + 1) == "丁"  # to the line end
    assert surrounding_sentence(body, body.index("乙"), body.index("丁") + 1) == "乙丙；丁"  # two
    assert surrounding_sentence(body, body.index("庚"), len(body)) == "庚辛"  # to the text's end
    assert surrounding_sentence(body, body.index("戊"), body.index("戊") + 1) == "戊己？"
    assert surrounding_sentence(body, 0, 1) == "一、甲。"  # from the text's start
    assert surrounding_sentence(body, -1, -1) == ""  # detached


def test_placing_lets_go_of_what_it_read_and_says_how_far_it_is(
    zhenggai_home: Path, corpus: Corpus, tmp_path: Path
) -> None:
    """``release``: a notice read only to place its segments is let go of, one already read is kept;
    ``progress`` counts notice by notice up to every segment; the quotes are those placed without."""
    store = Store.open()
    build_project(store, corpus)
    book, segments = store.codebook(), store.segments()
    expected = place_segments(corpus, segments, book)
    load_corpus(cache_dir=tmp_path / "cache")  # parsed into the corpus store,
    stored = load_corpus(cache_dir=tmp_path / "cache")  # then opened from it: texts read when used
    shown = stored.get(segments[0]["anchor"]["notice_id"])
    assert shown is not None and shown.body and shown.loaded  # the notice on screen
    steps: list[tuple[int, int]] = []
    quotes = place_segments(stored, segments, book, release=True, progress=lambda *step: steps.append(step))
    assert quotes == expected
    assert [n.id for n in stored.notices if n.loaded] == [shown.id]
    assert len(steps) == 10 and steps[-1] == (20, 20)  # ten notices
    assert [done for done, _ in steps] == sorted({done for done, _ in steps})
    kept = place_segments(stored, segments, book)
    assert kept == expected and sum(n.loaded for n in stored.notices) == 10


def test_qdpx_of_the_samples_validates_and_reads_back(
    zhenggai_home: Path, corpus: Corpus, schema: xmlschema.XMLSchema, tmp_path: Path
) -> None:
    store = Store.open()
    build_project(store, corpus)
    book = store.codebook()
    assert max(c.depth for c in book.walk()) == 2  # three levels
    quotes = place_segments(corpus, store.segments(), book)
    target = tmp_path / "samples.qdpx"
    summary = export_qdpx(corpus, store.code_records(), store.segments(), store.notes(), target)
    assert (summary.sources, summary.codes, summary.detached) == (53, len(book), 0)
    assert summary.selections == 21  # 20 coded segments and one note
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        schema.validate(archive.read("project.qde").decode("utf-8"))
    assert names[0] == "project.qde" and sum(n.startswith("Sources/") for n in names) == 53
    project = read_qdpx(target)
    coded = {
        (source.text[sel.start : sel.end], sel.start, sel.end, project.codes[sel.code_guids[0]].path)
        for source in project.sources
        for sel in source.selections
        if sel.code_guids
    }
    expected = {(q.quote, q.start, q.end, tuple(q.code.split("/"))) for q in quotes}
    assert coded == expected and len(coded) == 20
    texts = {source.text for source in project.sources}
    assert texts == {n.body for n in corpus.notices}
    memos = [
        project.notes[ref]
        for s in project.sources
        for sel in s.selections
        if sel.code_guids
        for ref in sel.note_guids
    ]
    assert sorted(memos) == sorted(q.memo for q in quotes if q.memo) and len(memos) == 7
    note_texts = [project.notes[ref] for s in project.sources for sel in s.selections if not sel.code_guids
                  for ref in sel.note_guids]  # fmt: skip
    assert note_texts == ["见 [原文](https://example.org/a_b)"]
    assert project.codes[
        next(g for g, c in project.codes.items() if c.path == ("问题类型", "作风"))
    ].description == ("作风问题 memo")
    heping = project.cases["辽宁省沈阳市和平区"]
    assert heping["round"] == "十三届省委第四轮" and heping["feedback_date"] == "2024-01-07"


def test_qdpx_offsets_count_code_points_outside_the_bmp(
    zhenggai_home: Path, schema: xmlschema.XMLSchema, tmp_path: Path
) -> None:
    text = (
        "中共沈阳市和平区委关于巡视整改进展情况的通报\n"
        "根据省委统一部署,省委第三巡视组对和平区委进行了巡视。\n"
        "一、整改情况\n"
        "𠀀𠀁𡃁地区的整改😀已完成整改14个,剩余3个有序推进。\n"
    )
    notices, _ = parse_bytes(text.encode("utf-8"), "astral.txt")
    corpus = Corpus()
    for notice in notices:
        corpus.add(notice)
    [notice] = corpus.notices
    section = next(s for s in notice.walk() if "已完成整改14个" in s.full_text())
    store = Store.open()
    store.code_segment("台账/完成", make_anchor(notice, section.id, "已完成整改14个").to_dict())
    target = tmp_path / "astral.qdpx"
    export_qdpx(corpus, store.code_records(), store.segments(), [], target)
    with zipfile.ZipFile(target) as archive:
        schema.validate(archive.read("project.qde").decode("utf-8"))
    [source] = read_qdpx(target).sources
    [selection] = source.selections
    start = notice.body.index("已完成整改14个")
    assert notice.body[start - 1] == "😀" and (selection.start, selection.end) == (start, start + 8)
    assert source.text[selection.start : selection.end] == "已完成整改14个"
    assert len(notice.body[:start].encode("utf-16-le")) // 2 == start + 4  # UTF-16 would be 4 further on


def test_markdown_by_code_and_by_district(zhenggai_home: Path, corpus: Corpus) -> None:
    store = Store.open()
    build_project(store, corpus)
    book = store.codebook()
    quotes = place_segments(corpus, store.segments(), book)
    by_code = export_coded_markdown(corpus, quotes, book, store.notes(), group_by="code")
    tokens = MarkdownIt("commonmark").parse(by_code.split("---\n", 2)[2])
    headings = [
        tokens[i + 1].content for i, t in enumerate(tokens) if t.tag == "h2" and t.type == "heading_open"
    ]
    assert headings == [f"{book.label(c.id)}（{sum(q.code_id == c.id for q in quotes)}）" for c in book.walk()
                        if any(q.code_id == c.id for q in quotes)]  # fmt: skip
    front = by_code.split("---\n")[1]
    assert (
        "notices: 53" in front and "content_sha256:" in front and "/work" not in front and ".txt" not in front
    )
    links = [
        c.attrs["href"]
        for t in tokens
        if t.type == "inline"
        for c in t.children or []
        if c.type == "link_open"
    ]
    assert "https://example.org/a_b" in links and "https://example.org/memo/0" in links
    quote = next(q for q in quotes if q.district == "铁东区")
    notice = corpus.get(quote.notice_id)
    assert notice is not None and notice.meta.committee
    assert f"— {notice.meta.committee}：《{notice.title}》，“{quote.section}”" in by_code.replace("\\", "")
    assert f"**{quote.quote}**" in by_code.replace("\\", "")
    by_district = export_coded_markdown(corpus, quotes, book, group_by="district")
    assert f"## {quote.province} {quote.city} 铁东区（2）" in by_district


def test_long_ledger_csv_reads_back_with_every_value_in_its_sentence() -> None:
    result = runner.invoke(app, ["ledger", "--long", "--csv"])
    assert result.exit_code == 0, result.output
    raw = result.stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0].keys()) == PANEL_COLUMNS and len(rows) == 51
    assert len({r["notice_id"] for r in rows}) >= 10
    for row in rows:
        sentence = fold(row["sentence"]).replace(",", "")
        value = float(row["value"])
        # the number as written: digits, or Chinese numerals (九个方面) read the way the ledger reads them
        spans = (
            sentence[i:j] for i in range(len(sentence)) for j in range(i + 1, min(i + 4, len(sentence) + 1))
        )
        assert row["value"] in sentence or any(number_value(span) == value for span in spans), row
        assert row["computed"] in ("true", "false")
    anding = [r for r in rows if r["district"] == "安定区"]
    assert [r["figure"] for r in anding][:2] == ["problems_total", "problems_rectified"]
    assert all(r["round"] == "五届市委第一轮" and r["level"] == "巡察" for r in anding)
    rounds = runner.invoke(app, ["ledger", "--rounds", "--json"])
    summary = json.loads(rounds.stdout)
    measures = next(s for s in summary if s["round"] == "十三届省委第四轮" and s["figure"] == "measures")
    assert (measures["notices"], measures["median"], measures["min"], measures["max"]) == (
        "7",
        "312",
        "201",
        "374",
    )


def test_a_passage_coded_with_several_codes_is_placed_once(
    zhenggai_home: Path, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each segment of a passage coded twice gets the row it would get alone; the passage is placed once."""
    store = Store.open()
    build_project(store, corpus)
    book, segments = store.codebook(), store.segments()
    codes = [code.id for code in book.walk()]
    twins = [
        {**one, "id": f"{one['id']}-twin", "code_id": next(c for c in codes if c != one["code_id"])}
        for one in segments
    ]
    alone = {q.segment_id: q for q in place_segments(corpus, segments, book)} | {
        q.segment_id: q for q in place_segments(corpus, twins, book)
    }
    placed: list[str] = []
    real = Placer.place

    def counted(self: Placer, anchor: Anchor) -> Any:
        placed.append(anchor.exact)
        return real(self, anchor)

    monkeypatch.setattr(Placer, "place", counted)
    together = place_segments(corpus, [*segments, *twins], book)
    assert len(placed) == len({Anchor.from_dict(s["anchor"]) for s in segments}) == len(segments)
    assert sorted(together, key=lambda q: q.segment_id) == sorted(alone.values(), key=lambda q: q.segment_id)
