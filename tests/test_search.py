"""Segmentation, the persistent index and queries: exact hits on the sample notices."""

from __future__ import annotations

import random
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import zhenggai.loaders.query as query_module
from zhenggai.loaders import Corpus, load_corpus, sample_data_paths
from zhenggai.loaders.index import SearchIndex, SyncReport
from zhenggai.loaders.index_rows import unpack_counts
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


def test_rjieba_gives_jiebas_tokens_on_the_sample_paragraphs(corpus: Corpus) -> None:
    paragraphs = [p.text for n in corpus.notices for p in n.paragraphs()][::4]  # every notice's, 1 in 4
    assert len(paragraphs) > 1000
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


@pytest.mark.parametrize("store", [True, False], ids=["texts in the corpus store", "texts in the index"])
def test_index_persists_and_reindexes_only_changed_files(tmp_path: Path, store: bool) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    for path in sample_data_paths():
        shutil.copy(path, folder / path.name)
    db = tmp_path / "cache" / "index.sqlite"  # beside the corpus store, as the reader and CLI keep it
    loaded: list[Corpus] = []

    def sync(index: SearchIndex) -> SyncReport:
        corpus = load_corpus([folder], cache_dir=tmp_path / "cache" if store else None)
        loaded.append(corpus)
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
    db_ = again.db
    # the index keeps a section's text only when the corpus store does not hold it
    kept = db_.execute("SELECT count(*) FROM sections WHERE text IS NOT NULL").fetchone()[0]
    sections = db_.execute("SELECT count(*) FROM sections").fetchone()[0]
    assert kept == (0 if store else sections) and sections > 1000
    # the contentless FTS table forgot the removed rows (given their tokens again), not only the join
    fts_rows = db_.execute("SELECT count(*) FROM tokens WHERE tokens MATCH '量子'").fetchone()[0]
    with_word = [s for n in loaded[-1].notices for s in n.walk() if "量子" in s.title + s.text]
    assert fts_rows == len(with_word) >= 1
    assert db_.execute("SELECT count(*) FROM tokens").fetchone()[0] == sections
    db_.execute("INSERT INTO tokens(tokens, rank) VALUES ('integrity-check', 0)")
    # keyword document frequencies follow removals and additions
    recount: Counter[str] = Counter()
    for (raw,) in db_.execute("SELECT counts FROM notices"):
        recount.update((unpack_counts(raw) or Counter()).keys())
    assert dict(db_.execute("SELECT word, df FROM word_df").fetchall()) == dict(recount)
    assert len(recount) > 5000


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


# -- issue 12: the best hits are exactly FTS5's bm25 ranking of the first RANK_CAP matches ------------------

#: The queries of ``benchmarks/bench_search.py``.
BENCHMARK = (
    "配餐 招标", "返租 市场", "河湖长 凤翔", "胜诉 退费", "营商环境 信用", "三重一大 制度", "信访 积案",
    "招商引资 项目", "形式主义", "营商环境", "整改", "问题", "巡视", "整改 落实", "巡视 反馈", "问题 整改",
    "工作 推进", '"整改落实"', "营商环境 -信用", '"形式主义" 官僚主义',
)  # fmt: skip


def _generated(index: SearchIndex) -> list[str]:
    """Queries made of the index's own words: the most frequent alone and in pairs, middling ones,
    OR, exact phrases of two frequent words and exclusions (a fixed seed: the same every run)."""
    db = index.db
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.ranked_vocab USING fts5vocab(main, tokens, 'row')")
    vocab = [
        term
        for (term,) in db.execute(
            "SELECT term FROM temp.ranked_vocab WHERE length(term) >= 2 ORDER BY doc DESC, term"
        )
    ]
    frequent, middling = vocab[:40], vocab[200:2000]
    pick = random.Random(12)
    queries = frequent[:20] + pick.sample(middling, 15)
    queries += [f"{a} {b}" for a, b in zip(pick.sample(frequent, 12), pick.sample(frequent, 12), strict=True)]
    queries += [f"{a} {b}" for a, b in zip(pick.sample(frequent, 8), pick.sample(middling, 8), strict=True)]
    queries += [
        f"{a} OR {b}" for a, b in zip(pick.sample(middling, 5), pick.sample(middling, 5), strict=True)
    ]
    queries += [f'"{a}{b}"' for a, b in zip(pick.sample(frequent, 5), pick.sample(frequent, 5), strict=True)]
    queries += [f"{a} -{b}" for a, b in zip(pick.sample(frequent, 5), pick.sample(frequent, 5), strict=True)]
    return queries


def _reference(
    index: SearchIndex, places: dict[int, tuple[Any, ...]], query: str, cap: int, limit: int = 50
) -> list[tuple[Any, ...]]:
    """The best ``limit`` sections the slow, plain way: every match with its bm25 in the index's order,
    the first ``cap`` of them sorted by score (ties: the earlier row), then the text checks."""
    parsed = parse_query(query)
    expression = query_module._match_expression(index, parsed)
    assert expression is not None
    matches = index.db.execute(
        "SELECT rowid, bm25(tokens) FROM tokens WHERE tokens MATCH ? ORDER BY rowid", (expression,)
    ).fetchall()
    best = []
    for rowid, score in sorted(matches[:cap], key=lambda match: (match[1], match[0])):
        notice_id, section_id, text = places[rowid]
        if all(p in text for p in parsed.phrases) and not any(t in text for t in parsed.excluded):
            best.append((notice_id, section_id, round(-score, 9)))
            if len(best) == limit:
                break
    return best


@pytest.mark.parametrize("cap", [None, 60], ids=["every match ranked", "a cap that cuts"])
def test_the_best_hits_are_bm25s_best_of_the_first_matches(
    index: SearchIndex, cap: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if cap is not None:
        monkeypatch.setattr(query_module, "RANK_CAP", cap)
    queries = [*BENCHMARK, *_generated(index)]
    assert len(set(queries)) > 80
    places = {
        rowid: (notice_id, section_id, text)
        for rowid, notice_id, section_id, text in index.db.execute(
            "SELECT s.rowid, n.notice_id, s.section_id, s.text"
            " FROM sections s JOIN notices n ON n.nid = s.notice"
        )
    }  # an index in memory keeps the texts
    cut_short = 0
    for query in queries:
        expected = _reference(index, places, query, query_module.RANK_CAP)
        found = [(h.notice_id, h.section_id, round(h.score, 9)) for h in search(index, query, limit=50)]
        assert found == expected, query
        cut_short += len(found) == 50
    assert cut_short > 40  # most queries find more than they show: the order decides what is shown


def test_a_stored_notice_gives_its_section_texts_without_building_its_outline(
    tmp_path: Path, corpus: Corpus
) -> None:
    load_corpus(None, cache_dir=tmp_path / "cache")  # parsed once into the store
    stored = load_corpus(None, cache_dir=tmp_path / "cache")
    for notice in stored.notices[:12]:
        texts = notice.section_texts()
        assert notice.loaded and notice._sections is None  # the outline is not built
        assert texts == [(s.id, s.number, s.title, s.kind, s.text) for s in notice.walk()]
        assert notice.section_texts() == texts  # and from the built outline, the same
        notice.release()
    first = corpus.notices[0]  # parsed, never stored: from its sections
    assert first.section_texts() == [(s.id, s.number, s.title, s.kind, s.text) for s in first.walk()]


# -- issue 12: an index without a copy of the text, built from one cut per notice ----------------------

QUERIES = ("返租 市场", "三重一大", "整改 问题", '"整改落实"', "营商环境 -信用", "配餐 OR 返租", "形式主义")


def test_one_cut_per_notice_gives_the_search_engine_modes_tokens_and_the_keyword_counts(
    corpus: Corpus,
) -> None:
    from zhenggai.loaders.keywords import _candidate, candidate_counts, candidate_counts_of
    from zhenggai.loaders.segment import cut as segment_cut
    from zhenggai.loaders.segment import fts_forms, index_text, notice_tokens, title_written

    def searchable(text: str) -> Counter[str]:  # what FTS5's unicode61 makes of it
        return Counter(fts_forms([text])[0].split())

    for notice in corpus.notices[::4]:  # every fourth sample notice: a few seconds for all
        walked = list(notice.walk())
        rows, counts = notice_tokens([s.title for s in walked], [s.text for s in walked])
        assert len(rows) == len(walked)
        for section, row in zip(walked, rows, strict=True):
            indexed = (
                section.text
                if title_written(section.title, section.text)
                else section.title + " " + section.text
            )
            assert Counter(row.split()) == searchable(index_text(indexed))
        old = Counter({w: n for w, n in Counter(words(notice.body)).items() if _candidate(w)})
        assert candidate_counts_of(counts) == candidate_counts(notice) == old
    assert notice_tokens([], []) == ([], Counter())
    # Latin words count with their lower-case form, whichever case comes first
    mixed = "APP推广整改。手机app下载,App审核;GDP增长与gdp核算,ＡＰＰ整改"
    expected = Counter(w for w in words(mixed) if _candidate(w))
    assert candidate_counts_of(Counter(segment_cut(mixed))) == expected and expected["app"] == 3
    # a text holding the separator the notice's sections are joined with is still cut as itself
    rows, _ = notice_tokens(["题目", "二"], ["营商\x00环境整改", "形式主义"])
    assert rows[0].split() == ["题目", "营商", "环境", "整改"]
    assert rows[1].split() == ["二", "形式主义", "形式", "主义"]  # a long word, then the words inside it
    # a title written at the start of its text (after its number) is indexed once, with the text
    rows, _ = notice_tokens(
        ["导语", "营商环境", "整改"], ["现将情况通报如下", "(三)营商环境。已整改", "未完成"]
    )
    assert rows[0].split() == ["导语", "现", "将", "情况通报", "情况", "通报", "如下"]
    assert rows[1].split() == ["三", "营商环境", "营商", "环境", "已", "整改"]
    assert rows[2].split() == ["整改", "未", "完成"]


def test_keyword_counts_give_each_word_as_one_shared_string(corpus: Corpus) -> None:
    """An index batch holds hundreds of notices' keyword words: they are the vocabulary's strings, not
    copies made by each notice's cut (35 MB of copies in a batch of 20,000 sections)."""
    from zhenggai.loaders.segment import cut as segment_cut
    from zhenggai.loaders.segment import keyword_counts, learned_keyword_counts, notice_tokens

    first, second = corpus.notices[0], corpus.notices[1]
    seen: dict[str, str] = {}
    for notice in (first, second):
        walked = list(notice.walk())
        _, counts = notice_tokens([s.title for s in walked], [s.text for s in walked])
        words, values = learned_keyword_counts(counts)
        assert all(counts[w] == n for w, n in zip(words, values, strict=True) if w.isascii() is False)
        for word in words:
            assert seen.setdefault(word, word) is word
    shared = set(seen)
    assert len(shared) > 100
    counted = Counter(segment_cut("营商环境。问题。营商环境"))
    words, values = keyword_counts(counted)
    assert dict(zip(words, values, strict=True))["营商环境"] == counted["营商环境"] == 2
    assert all(seen.get(word, word) is word for word in words)


def test_the_index_reads_its_texts_and_queries_as_unicode61_would(corpus: Corpus, index: SearchIndex) -> None:
    """The index's texts come tokenized (``fts_forms``) for its 'ascii' tokenizer, which only splits
    them at spaces: every word at every position is what FTS5's unicode61 reads there, and a query
    word is found as unicode61 would find it, including ones it splits or folds."""
    import sqlite3

    from zhenggai.loaders.segment import UNICODE61, fts_forms, notice_tokens

    rows = [
        row
        for notice in corpus.notices[1::3]
        for row in notice_tokens([s.title for s in notice.walk()], [s.text for s in notice.walk()])[0]
    ]
    odd = "ABC公司 Deng-Xiaoping 3.5万元、（一）2024年 ＡＢＣ ΣΑΣ İstanbul ß ﬁ ① ² 𠀀 🙂a ⅫⅧ café e\u0301"
    rows.append(notice_tokens([""], [odd])[0][0])
    db = sqlite3.connect(":memory:")
    read = {}
    for name, tokenizer in (("u", UNICODE61), ("a", "ascii")):
        db.execute(f"CREATE VIRTUAL TABLE {name} USING fts5(b, content = '', tokenize = '{tokenizer}')")
        db.execute(f"CREATE VIRTUAL TABLE {name}_v USING fts5vocab({name}, 'instance')")
        db.executemany(f"INSERT INTO {name}(rowid, b) VALUES (?, ?)", enumerate(rows))
        read[name] = db.execute(f"SELECT term, doc, offset FROM {name}_v ORDER BY doc, offset").fetchall()
    assert len(read["u"]) > 50_000 and read["u"] == read["a"]
    assert fts_forms(odd.split()) == [
        "abc公司", "deng xiaoping", "3 5万元 一 2024年", "ａｂｃ", "σασ", "İstanbul", "ß", "ﬁ", "①", "²",
        "𠀀", "🙂a", "ⅻⅷ", "café", "e\u0301",
    ]  # fmt: skip
    folded = SearchIndex(None)
    folded.sync(corpus.notices[:1])
    folded.db.execute("INSERT INTO tokens(rowid, body) VALUES (900001, ?)", (rows[-1],))
    folded.db.execute(
        "INSERT INTO sections(rowid, notice, section_id, number, title, kind, start, size, text)"
        " VALUES (900001, 1, 'odd', '', '', 'arabic', 0, 0, ?)",
        (odd,),
    )
    for query in ("deng-xiaoping", "Deng Xiaoping", "3.5万元", "ａｂｃ", "ΣΑΣ", "ⅫⅧ"):
        assert "odd" in [h.section_id for h in search(folded, query)], query
    assert [h.section_id for h in search(folded, '"Deng-Xiaoping"')] == ["odd"]


def test_plain_words_are_folded_without_sqlite_exactly_as_unicode61_folds_them() -> None:
    """``fts_forms`` folds plain words (Han characters, ASCII letters and digits) itself: for every
    character of the CJK block, each ASCII letter and digit, and mixed words, the same form as SQLite's
    unicode61; anything else still goes through SQLite."""
    from zhenggai.loaders import segment

    han = [chr(c) for c in range(0x4E00, 0xA000)]  # past the block's Unicode 6.1 end (U+9FCC)
    ascii_ = [chr(c) for c in range(0x21, 0x7F)]
    mixed = [
        "C座",
        "4S店",
        "PM2",
        "500kV",
        "整改 措施",
        "营商环境 营商 环境",
        "GDP增长 GDP",
        " 整改",
        "整改  措施",
        "",
    ]
    texts = han + ascii_ + mixed + ["ＡＢＣ", "ΣΑΣ", "3.5", "，", "整改。"]
    sent: list[list[str]] = []
    real = segment._UNICODE61.forms
    try:
        segment._UNICODE61.forms = lambda batch: sent.append(batch) or real(batch)  # type: ignore[method-assign]
        fast = segment.fts_forms(texts)
    finally:
        segment._UNICODE61.forms = real  # type: ignore[method-assign]
    assert fast == real(texts)
    assert [t for t in texts if t in sent[0]][:3] == ["\u9fcd", "\u9fce", "\u9fcf"]  # not in 6.1: asked
    assert "整改" not in sent[0] and "C座" not in sent[0] and "ΣΑΣ" in sent[0] and "，" in sent[0]


def test_snippets_read_from_the_corpus_store_are_those_of_the_text(
    tmp_path: Path, index: SearchIndex
) -> None:
    """With the corpus store beside it, the index keeps no text: hits, snippets and scores are those of
    an index holding the text, also for a process that opens the index without syncing it."""
    stored = load_corpus(None, cache_dir=tmp_path / "cache")
    path = tmp_path / "cache" / "index.sqlite"
    built = SearchIndex(path)
    shown = stored.notices[3]
    assert shown.body and shown.loaded  # the reader shows this one while the index is built
    built.sync(stored.notices, None, stored.file_keys)
    assert built.db.execute("SELECT count(*) FROM sections WHERE text IS NOT NULL").fetchone()[0] == 0
    # texts read only to be indexed are dropped again (memory follows the screen); the shown one stays
    assert [n for n in stored.notices if n.loaded] == [shown]
    reopened = SearchIndex(path)  # no notices: every text comes from the store
    for query in QUERIES:
        expected = search(index, query, limit=100)
        assert expected and search(built, query, limit=100) == expected == search(reopened, query, limit=100)
    hit = search(reopened, '"巡察反馈的17个问题已完成整改14个"')[0]
    assert hit.snippet == (
        "…组办公室认真对照责任清单,逐级建立整改台账,实时掌握整改工作进展情况。截至目前,"
        "巡察反馈的17个问题已完成整改14个,剩余的3个正按照整改计划有序推进。"
    )
    assert hit.spans == ((41, 59),)
    first = search(reopened, "返租 市场", limit=1)[0]
    assert (first.section_id, first.spans, round(first.score, 4)) == (
        "二/(一)/2/(8)",
        ((23, 25), (56, 58), (76, 78), (80, 82), (100, 102)),
        14.7719,
    )
    assert first.snippet.startswith(
        "(8)新城中、城建·檀香山等商铺、楼盘存在拖欠返租款、不动产办证难等突出问题"
    )


def test_a_removed_file_whose_text_is_gone_has_the_index_rebuilt(tmp_path: Path) -> None:
    """Forgetting a row of the contentless FTS table needs its tokens: when the store no longer holds
    a removed file's text, the index is rebuilt rather than left holding rows it cannot remove."""
    folder = tmp_path / "notices"
    folder.mkdir()
    for path in sample_data_paths()[:3]:
        shutil.copy(path, folder / path.name)
    cache = tmp_path / "cache"
    corpus = load_corpus([folder], cache_dir=cache)
    index = SearchIndex(cache / "index.sqlite")
    index.sync(corpus.notices, None, corpus.file_keys)
    assert corpus.store is not None
    corpus.store.close()
    for suffix in ("", "-wal", "-shm"):
        (cache / f"corpus.sqlite{suffix}").unlink(missing_ok=True)
    removed = sorted(folder.iterdir())[0]
    removed.unlink()
    corpus = load_corpus([folder], cache_dir=cache)
    report = index.sync(corpus.notices, None, corpus.file_keys)
    assert (report.added_files, report.kept_files) == (2, 0)  # all indexed again
    assert "rebuilt" in (index.problem or "") and "no longer in the corpus store" in (index.problem or "")
    db = index.db
    assert db.execute("SELECT count(*) FROM tokens").fetchone()[0] == sum(
        1 for n in corpus.notices for _ in n.walk()
    )
    db.execute("INSERT INTO tokens(tokens, rank) VALUES ('integrity-check', 0)")
    assert {h.notice_id for h in search(index, "整改", limit=10_000)} == {n.id for n in corpus.notices}


def test_keyword_counts_are_stored_compactly_and_bad_ones_are_refused() -> None:
    from zhenggai.loaders.index_rows import pack_counts

    counts = Counter({"营商环境": 3, "返租": 1, "abc": 255})
    packed = pack_counts(list(counts), list(counts.values()))
    assert packed == "营商环境\n返租\nabc".encode() + b"\x00" + bytes([3, 1, 255])  # a byte a count
    assert unpack_counts(packed) == counts
    counts["abc"] = 70_000
    packed = pack_counts(list(counts), list(counts.values()))
    assert packed.endswith(b"\x00\xff" + bytes([3, 0, 0, 0, 1, 0, 0, 0, 0x70, 0x11, 1, 0]))
    assert unpack_counts(packed) == counts
    assert unpack_counts(pack_counts([], [])) == Counter()

    for bad in (
        b"x",  # no counts
        None,
        "a\x00\x01",  # text, not bytes (the old format)
        b"a\nb\x00\x01",  # two words, one count
        b"a\x00\xff\x01\x00\x00",  # a cut four-byte count
        b"a\x00\x00",  # a word counted 0 times
        b"a\na\x00\x01\x01",  # a word twice
        b"\x00\x01",  # a count without its word
        b"\xff\x00\x01",  # not UTF-8
    ):
        assert unpack_counts(bad) is None


class _Stop(Exception):
    pass


def _stop(done: int, total: int) -> None:
    raise _Stop


def test_a_sync_stopped_from_its_progress_leaves_the_index_as_it_was(tmp_path: Path) -> None:
    """Quitting stops a sync at its next progress call, also while it forgets removed files."""
    folder = tmp_path / "notices"
    folder.mkdir()
    for path in sample_data_paths()[:3]:
        shutil.copy(path, folder / path.name)
    cache = tmp_path / "cache"
    index = SearchIndex(cache / "index.sqlite")
    corpus = load_corpus([folder], cache_dir=cache)
    with pytest.raises(_Stop):
        index.sync(corpus.notices, _stop, corpus.file_keys)
    assert index.db.execute("SELECT count(*) FROM files").fetchone()[0] == 0  # the open batch not written
    index.sync(corpus.notices, None, corpus.file_keys)
    for path in sorted(folder.iterdir())[:2]:
        path.unlink()
    smaller = load_corpus([folder], cache_dir=cache)
    with pytest.raises(_Stop):
        index.sync(smaller.notices, _stop, smaller.file_keys)
    db = index.db
    assert db.execute("SELECT count(*) FROM files").fetchone()[0] == 3  # nothing removed
    assert db.execute("SELECT count(*) FROM tokens").fetchone()[0] == sum(
        1 for n in corpus.notices for _ in n.walk()
    )
    report = index.sync(smaller.notices, None, smaller.file_keys)
    assert (report.removed_files, report.kept_files) == (2, 1)
    assert db.execute("SELECT count(*) FROM tokens").fetchone()[0] == sum(
        1 for n in smaller.notices for _ in n.walk()
    )
    db.execute("INSERT INTO tokens(tokens, rank) VALUES ('integrity-check', 0)")
