"""A corpus opened from the store's snapshot builds notices only when used, and equals a full load."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import zhenggai.loaders.snapshot as snapshot_module
from zhenggai.loaders import Corpus, NoticeMeta, load_corpus
from zhenggai.loaders.catalog import CATALOG_COLUMNS
from zhenggai.loaders.corpus import notice_value
from zhenggai.loaders.early import open_corpus
from zhenggai.loaders.entries import YEAR_COLUMNS, CorpusNotices, NoticeEntry, notice_entries, year_of
from zhenggai.loaders.index import SearchIndex

from .sample_folders import HOUR_AGO, count_built, sample_bytes, settled_samples, warm_cache

DINGXI = "gansu-dingxi-anding-2022-xuncha.txt"


def _both(folder: Path, cache: Path) -> tuple[Corpus, Corpus]:
    """A full load (it writes the snapshot), then a load from the snapshot.  The store starts with the
    samples parsed (``conftest``): the same bytes in other files are not parsed again."""
    warm_cache(cache)
    full = load_corpus([folder], cache_dir=cache)
    lazy = load_corpus([folder], cache_dir=cache)
    assert not full.from_snapshot and lazy.from_snapshot
    return full, lazy


@pytest.mark.parametrize("block", [4096, 7])  # 7: every column in several blocks
def test_a_lazy_corpus_has_the_columns_and_notices_of_a_full_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    monkeypatch.setattr(snapshot_module, "BLOCK", block)
    full, lazy = _both(settled_samples(tmp_path), tmp_path / "cache")
    assert len(lazy) == len(full) == 53
    for name in CATALOG_COLUMNS:
        expected = [notice_value(n, name) for n in full.notices]
        assert lazy.column(name) == full.column(name) == expected, name
    assert lazy.summaries() == full.summaries() == [n.to_dict() for n in full.notices]
    assert lazy.summaries([3, 0]) == [full.notices[3].to_dict(), full.notices[0].to_dict()]
    one = lazy.notice(40)  # built alone, then the same object in the whole list
    assert lazy.notices[40] is one and lazy.get(one.id) is one
    for mine, theirs in zip(lazy.notices, full.notices, strict=True):
        assert (mine.id, mine.file, mine.index_in_file, mine.encoding, mine.meta) == (
            theirs.id, theirs.file, theirs.index_in_file, theirs.encoding, theirs.meta,
        )  # fmt: skip
        assert not mine.loaded and mine.section_count() == theirs.section_count()
    assert lazy.notices[7].body == full.notices[7].body
    assert lazy.notices[7].sections == full.notices[7].sections


def test_get_and_resolve_build_only_the_notices_they_return(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full, _ = _both(settled_samples(tmp_path), tmp_path / "cache")
    built = count_built(monkeypatch)
    lazy = load_corpus([tmp_path / "notices"], cache_dir=tmp_path / "cache")
    target = full.notices[20]
    assert lazy.get(target.id) is not None and built == [target.id]
    assert lazy.get("no-such-id") is None and built == [target.id]
    for query in (target.id, target.id[:12], "和平区", "沈阳 和平", "沈阳市 › 和平区", "安定", "火星"):
        assert [n.id for n in lazy.resolve(query)] == [n.id for n in full.resolve(query)], query
    assert len(built) < 10  # the matches only, never all 53
    assert lazy.column("id") == [n.id for n in full.notices] and len(built) < 10
    assert [n.id for n in lazy.resolve("整改")] == [n.id for n in full.notices]  # every title has it


def test_duplicates_are_left_out_with_the_warnings_of_a_full_load(tmp_path: Path) -> None:
    folder = settled_samples(
        tmp_path, ("zz-copy.txt", sample_bytes(DINGXI)), ("aa-copy.txt", sample_bytes(DINGXI))
    )
    full, lazy = _both(folder, tmp_path / "cache")
    assert len(lazy) == len(full) == 53
    assert [str(w) for w in lazy.warnings] == [str(w) for w in full.warnings]
    assert sum("duplicate of" in w.reason for w in lazy.warnings) == 2
    assert lazy.column("file") == [n.file for n in full.notices]
    assert lazy.column("index_in_file") == [n.index_in_file for n in full.notices]
    copied = next(n for n in full.notices if n.file.endswith("aa-copy.txt"))  # the first in load order
    found = lazy.get(copied.id)
    assert found is not None and found.file == copied.file and found.body == copied.body
    assert lazy.summaries() == [n.to_dict() for n in full.notices]
    assert lazy.file_keys == full.file_keys and lazy.skipped == full.skipped


def test_sync_corpus_indexes_as_sync_does_and_builds_nothing_when_nothing_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home_cache = Path(os.environ["ZHENGGAI_HOME"]) / "cache"  # the samples, parsed and indexed
    index_path = tmp_path / "index.sqlite"
    shutil.copy(home_cache / "index.sqlite", index_path)
    shutil.copy(home_cache / "corpus.sqlite", tmp_path / "corpus.sqlite")
    full = load_corpus(None, cache_dir=tmp_path)
    lazy = load_corpus(None, cache_dir=tmp_path)
    assert lazy.from_snapshot
    built = count_built(monkeypatch)
    index = SearchIndex(index_path)
    report = index.sync_corpus(lazy)
    assert (report.added_files, report.removed_files, report.kept_files) == (0, 0, 5)
    assert built == []
    expected = index.sync(full.notices, None, full.file_keys)
    assert (expected.added_files, expected.removed_files, expected.kept_files) == (0, 0, 5)
    index.close()


def test_a_sync_of_the_corpus_the_index_was_synced_with_is_skipped_until_the_index_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zhenggai.loaders.index as index_module

    home_cache = Path(os.environ["ZHENGGAI_HOME"]) / "cache"
    index_path = tmp_path / "index.sqlite"
    shutil.copy(home_cache / "index.sqlite", index_path)
    shutil.copy(home_cache / "corpus.sqlite", tmp_path / "corpus.sqlite")
    load_corpus(None, cache_dir=tmp_path)
    lazy = load_corpus(None, cache_dir=tmp_path)
    keys: list[str] = []
    original = index_module.ids_key

    def counting(ids: list[str], content: str) -> str:
        keys.append(content)
        return original(ids, content)

    monkeypatch.setattr(index_module, "ids_key", counting)
    index = SearchIndex(index_path)
    index.sync_corpus(lazy)  # the index file was just written (copied): too recent to be recorded
    assert len(keys) == 5 and not (tmp_path / "index.sqlite.synced").exists()
    os.utime(index_path, (HOUR_AGO, HOUR_AGO))
    assert index.sync_corpus(lazy).kept_files == 5 and len(keys) == 10  # checked, then recorded
    again = index.sync_corpus(load_corpus(None, cache_dir=tmp_path))
    assert (again.added_files, again.removed_files, again.kept_files) == (0, 0, 5) and len(keys) == 10
    index.sync(lazy.notices[:-1], None, lazy.file_keys)  # without the last file's only notice: written
    assert len(keys) == 14
    restored = index.sync_corpus(lazy)  # the index changed since it was recorded: checked again
    assert (restored.added_files, restored.kept_files) == (1, 4) and len(keys) == 19
    index.close()


def test_the_list_entries_of_a_lazy_corpus_are_a_full_load_s_and_build_no_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full, _ = _both(settled_samples(tmp_path, ("zz-copy.txt", sample_bytes(DINGXI))), tmp_path / "cache")
    built = count_built(monkeypatch)
    lazy = load_corpus([tmp_path / "notices"], cache_dir=tmp_path / "cache")
    entries = notice_entries(lazy)
    assert built == []
    as_listed = [
        NoticeEntry(n.id, n.title, n.province, n.city, n.district, n.meta.level, n.meta.round, n.meta.year)
        for n in full.notices
    ]
    assert entries == notice_entries(full) == as_listed
    heping = next(e for e in entries if e.district == "和平区")
    notice = full.get(heping.id)
    assert notice is not None
    assert heping == (
        notice.id, notice.title, "辽宁省", "沈阳市", "和平区", notice.meta.level, notice.meta.round,
        notice.meta.year,
    )  # fmt: skip
    assert heping.year == notice.year == 2024
    assert (heping.level, heping.round) == (notice.level, notice.round) == ("巡视", "十三届省委第四轮")


def test_the_early_open_builds_no_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _both(settled_samples(tmp_path), tmp_path / "cache")
    built = count_built(monkeypatch)
    opened = open_corpus([tmp_path / "notices"], cache_dir=tmp_path / "cache")
    assert opened is not None and opened.from_snapshot and len(opened) == 53
    assert built == []
    assert notice_entries(opened)[0].id == opened.column("id")[0] and built == []


@pytest.mark.parametrize(
    ("dates", "year"),
    [
        ((None, None, None, None, None), None),
        (("2023-04-01", "2022-01-01", None, None, None), 2023),  # the feedback date first
        ((None, None, "2021-12-30", None, "2020-01-01"), 2021),
        ((None, "", None, None, "2019-10"), 2019),  # an empty date is no date
    ],
)
def test_year_of_takes_the_first_date_given(dates: tuple[str | None, ...], year: int | None) -> None:
    assert year_of(*dates) == year
    meta = NoticeMeta("t", **dict(zip(YEAR_COLUMNS, dates, strict=True)))
    assert meta.year == year


def test_corpus_notices_builds_each_notice_when_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full, _ = _both(settled_samples(tmp_path), tmp_path / "cache")
    built = count_built(monkeypatch)
    lazy = load_corpus([tmp_path / "notices"], cache_dir=tmp_path / "cache")
    view = CorpusNotices(lazy)
    assert len(view) == 53 and built == []
    assert view[-1].id == full.notices[-1].id and len(built) == 1
    assert [n.id for n in view[3:6]] == [n.id for n in full.notices[3:6]] and len(built) == 4
    assert [n.id for n in view] == [n.id for n in full.notices] and len(built) == 53
    assert view[3] is lazy.notices[3]  # the same objects as the corpus's own
