"""Segmentation, the persistent index and queries: exact hits on the sample notices."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from zhenggai.loaders import Corpus, load_corpus, sample_data_paths
from zhenggai.loaders.index import SearchIndex, SyncReport
from zhenggai.loaders.keywords import KeywordModel
from zhenggai.loaders.query import Filters, parse_query, search
from zhenggai.loaders.segment import cut, index_words, jieba_cut, jieba_cut_for_search, user_words, words


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


@pytest.fixture(scope="module")
def index(corpus: Corpus) -> SearchIndex:
    built = SearchIndex(None)
    built.sync(corpus.notices)
    return built


def test_rjieba_gives_jiebas_tokens_on_every_sample_paragraph(corpus: Corpus) -> None:
    paragraphs = [p.text for n in corpus.notices for p in n.paragraphs()]
    assert len(paragraphs) > 4000
    differ = [p for p in paragraphs if cut(p) != jieba_cut(p)]
    assert differ == []
    search_differ = [
        p
        for p in paragraphs[:800]
        if index_words(p)
        != [t.lower() for t in jieba_cut_for_search(p) if t.strip() and any(c.isalnum() for c in t)]
    ]
    assert search_differ == []


def test_the_index_tokenizer_keeps_exactly_the_searchable_words(corpus: Corpus) -> None:
    """The index hands FTS5 every token (punctuation, spaces, Latin case) and lets its tokenizer drop
    and fold them: it must keep exactly what ``index_words`` keeps."""
    import sqlite3

    from zhenggai.loaders.segment import index_text

    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE t USING fts5(body, content = '', tokenize = 'unicode61 remove_diacritics 0')"
    )
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row')")
    paragraphs = [p.text for n in corpus.notices[:6] for p in n.paragraphs()][:400]
    paragraphs.append("ABC公司 Deng-Xiaoping 3.5万元、（一）2024年")
    for rowid, paragraph in enumerate(paragraphs, start=1):
        db.execute("INSERT INTO t(rowid, body) VALUES (?, ?)", (rowid, index_text(paragraph)))
    from_fts = {term for (term,) in db.execute("SELECT term FROM v")}
    expected = {token for p in paragraphs for token in index_words(p)}
    # FTS5 also splits a token at the punctuation inside it (3.5 → 3, 5), as it does for queries
    assert from_fts == {part for token in expected for part in re.split(r"[^\w]+", token) if part}


def test_political_terms_stay_whole() -> None:
    assert len(user_words()) >= 40
    text = (
        "坚决做到两个维护,增强四个意识,严格执行三重一大制度,落实一岗双责,整治四风,坚持立行立改、"
        "举一反三、以案促改,开展回头看,办理问题线索,优化营商环境,反对形式主义、官僚主义"
    )
    tokens = words(text)
    for term in (
        "两个维护",
        "四个意识",
        "三重一大",
        "一岗双责",
        "四风",
        "立行立改",
        "举一反三",
        "以案促改",
        "回头看",
        "问题线索",
        "营商环境",
        "形式主义",
        "官僚主义",
    ):
        assert term in tokens


def test_phrase_present_in_exactly_one_section(index: SearchIndex) -> None:
    hits = search(index, '"巡察反馈的17个问题已完成整改14个"')
    assert [(h.district, h.section_id) for h in hits] == [("安定区", "二")]
    assert hits[0].snippet[hits[0].spans[0][0] : hits[0].spans[0][1]] == "巡察反馈的17个问题已完成整改14个"


def test_word_in_many_districts_and_a_filter(index: SearchIndex) -> None:
    hits = search(index, "三重一大", limit=500)
    districts = {h.district for h in hits}
    assert len(districts) >= 30 and len(hits) == 72
    anshan = search(index, "三重一大", Filters(city="鞍山市"), limit=500)
    assert anshan and {h.city for h in anshan} == {"鞍山市"}
    assert {h.district for h in anshan} <= {"铁东区", "铁西区", "立山区"}
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_exclude_or_no_hits_and_traditional(index: SearchIndex) -> None:
    both = {(h.notice_id, h.section_id) for h in search(index, "营商环境", limit=2000)}
    without = {(h.notice_id, h.section_id) for h in search(index, "营商环境 -信用", limit=2000)}
    assert without < both
    assert all("信用" not in h.snippet for h in search(index, "营商环境 -信用", limit=50))
    either = {h.section_id for h in search(index, "配餐 OR 返租", limit=100)}
    assert either == {h.section_id for h in search(index, "配餐", limit=100)} | {
        h.section_id for h in search(index, "返租", limit=100)
    }
    assert search(index, "量子计算 区块链") == []
    assert [h.section_id for h in search(index, "營商環境", limit=20)] == [
        h.section_id for h in search(index, "营商环境", limit=20)
    ]
    assert parse_query('a "b c" -d OR e').terms == ["a", "e", "b c"]


def test_index_persists_and_reindexes_only_changed_files(tmp_path: Path) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    for path in sample_data_paths():
        shutil.copy(path, folder / path.name)
    db = tmp_path / "index.sqlite"

    def sync(index: SearchIndex) -> SyncReport:
        corpus = load_corpus([folder])
        return index.sync(corpus.notices, None, corpus.file_keys)  # files recognised by content key

    first = sync(SearchIndex(db))
    assert (first.added_files, first.kept_files) == (5, 0)
    again = SearchIndex(db)
    assert sync(again).added_files == 0
    gaoling = folder / "shaanxi-xian-gaoling-2022.txt"
    gaoling.write_text(
        gaoling.read_text(encoding="utf-8").replace("高陵区委始终坚持", "高陵区委独创量子整改法始终坚持"),
        encoding="utf-8",
    )
    (folder / "gansu-dingxi-anding-2022-xuncha.txt").unlink()
    report = sync(again)
    assert (report.added_files, report.removed_files, report.kept_files) == (1, 2, 3)
    assert [h.district for h in search(again, '"量子整改法"')] == ["高陵区"]
    assert search(again, '"巡察反馈的17个问题已完成整改14个"') == []
    # the contentless FTS table forgot the removed rows (given their tokens again), not only the join
    db = again.db
    fts_rows = db.execute("SELECT count(*) FROM tokens WHERE tokens MATCH '量子'").fetchone()[0]
    assert (
        fts_rows == db.execute("SELECT count(*) FROM sections WHERE instr(text, '量子')").fetchone()[0] >= 1
    )
    assert (
        db.execute("SELECT count(*) FROM tokens").fetchone()[0]
        == db.execute("SELECT count(*) FROM sections").fetchone()[0]
    )
    db.execute("INSERT INTO tokens(tokens, rank) VALUES ('integrity-check', 0)")
    # keyword document frequencies follow removals and additions
    recount: Counter[str] = Counter()
    for (raw,) in db.execute("SELECT counts FROM notice_words"):
        recount.update(json.loads(raw).keys())
    assert dict(db.execute("SELECT word, df FROM word_df").fetchall()) == dict(recount)


def test_a_very_common_word_is_ranked_among_its_first_matches_and_filters_see_all(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zhenggai.loaders.query as query_module

    index = SearchIndex(None)
    index.sync(corpus.notices)
    everything = search(index, "整改", limit=10_000)
    assert len(everything) > 400
    monkeypatch.setattr(query_module, "RANK_CAP", 100)
    capped = search(index, "整改", limit=10_000)
    assert len(capped) == 100 and {h.section_id for h in capped} < {h.section_id for h in everything}
    last = everything[-1]  # far beyond the cap: a filter still finds it
    found = search(index, "整改", Filters(notice_id=last.notice_id), limit=10_000)
    assert (last.notice_id, last.section_id) in {(h.notice_id, h.section_id) for h in found}


def test_keywords_are_distinctive(corpus: Corpus) -> None:
    model = KeywordModel(corpus.notices)
    lusong = next(n for n in corpus.notices if n.district == "芦淞区")
    words_ = [w for w, _ in model.keywords(lusong.id, 10)]
    assert "返租" in words_ and "芦淞区" not in words_ and "株洲" not in words_
    assert "整改" not in words_ and "巡视" not in words_


def test_a_word_the_index_holds_whole_is_searched_without_loading_the_segmenter(zhenggai_home: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from zhenggai.loaders.index import SearchIndex;"
        "from zhenggai.loaders.query import search;"
        f"index = SearchIndex(Path({str(zhenggai_home / 'cache' / 'index.sqlite')!r}));"
        "hits = search(index, '营商环境'); assert hits, 'no hits';"
        "print(len(hits), 'rjieba' in sys.modules, 'jieba' in sys.modules);"
        "search(index, '营商环境 量子纠缠态'); print('rjieba' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[1:] == ["False", "False", "True"]  # a word it does not hold is segmented as before
