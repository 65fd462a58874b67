"""The corpus store: a second load parses nothing unchanged — it does not even read unchanged files —
gives back equal notices, and reads a notice's text only when it is used."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from zhenggai.loaders import corpus as corpus_module
from zhenggai.loaders import load_corpus, sample_data_paths
from zhenggai.loaders.cache import NoticeUnavailable
from zhenggai.loaders.ledger import _extract, extract_ledger
from zhenggai.loaders.model import Paragraph, Section
from zhenggai.loaders.rows import StoredOutline, flatten_outline


def outline(notices: list[Any]) -> list[Any]:
    return [(n.to_dict(with_sections=True), n.body) for n in notices]


def _aged(folder: Path) -> None:
    """Files older than the store's 'changed too recently to trust' window."""
    for path in folder.iterdir():
        os.utime(path, (1_600_000_000, 1_600_000_000))


def _count(monkeypatch: pytest.MonkeyPatch, name: str) -> list[str]:
    calls: list[str] = []
    original = getattr(corpus_module, name)

    def counting(*args: Any) -> Any:
        calls.append(Path(str(args[0]) if name == "read_file_bytes" else args[1]).name)
        return original(*args)

    monkeypatch.setattr(corpus_module, name, counting)
    return calls


def test_second_load_reads_no_unchanged_file_and_is_equal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = load_corpus(cache_dir=cache)
    assert (cache / "corpus.sqlite").is_file()
    reads, parses = _count(monkeypatch, "read_file_bytes"), _count(monkeypatch, "parse_bytes")
    second = load_corpus(cache_dir=cache)
    assert reads == [] and parses == []  # the samples are as when last read: opened, not read
    assert first.store is not None and first.store.problem is None
    assert second.store is not None and second.store.problem is None
    assert second.from_snapshot and second.store.hits == 0  # the load's snapshot: no file looked up
    assert [n.section_count() for n in second.notices] == [n.section_count() for n in first.notices]
    assert not any(n.loaded for n in second.notices)  # metadata only, until a text is used
    assert outline(second.notices) == outline(first.notices)
    assert [extract_ledger(n) for n in second.notices] == [_extract(n) for n in first.notices]


def test_text_is_read_on_first_use_and_can_be_released(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    fresh = load_corpus(cache_dir=cache)
    notice = load_corpus(cache_dir=cache).notices[7]
    assert not notice.loaded
    assert notice.sections[0].paragraphs[0].text in notice.body
    assert notice.loaded
    last = list(notice.walk())[-1]
    assert notice.section(last.id) is last  # looked up by id, once the outline is built
    assert notice.release() and not notice.loaded
    assert notice.section(last.id) is not last  # not the released outline's section
    assert notice.section(last.id) == last and notice.loaded
    assert notice.release()
    assert outline([notice]) == outline([fresh.notices[7]])
    assert not load_corpus().notices[0].release()  # parsed without a store: nothing to load it again


def test_a_section_is_built_alone_with_its_subsections_while_the_outline_is_not(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_corpus(cache_dir=cache)
    stored = load_corpus(cache_dir=cache)
    nested = 0
    for notice in stored.notices:
        built = list(notice.walk())  # the reference, then let go of: each look below reads the store
        assert notice.release()
        for section in reversed(built):  # the deepest first: an ancestor built later keeps them
            alone = notice.lone_section(section.id)
            assert alone == section and notice.lone_section(section.id) is alone  # kept till released
            nested += bool(section.children)
        assert notice._sections is None  # the whole outline was never built
        assert notice.lone_section("九十九") is None
        assert notice.lone_section(built[-1].id.replace("/", "／")) == built[-1]  # typed: by ``section``
        assert notice._sections is not None and notice.lone_section(built[0].id) is notice.sections[0]
        notice.release()
    assert nested > 100


def test_a_section_built_alone_is_the_first_of_its_id() -> None:
    def section(id: str, start: int, children: list[Section] | None = None) -> Section:
        return Section(id, "", id, 1, "cn", [Paragraph(id, start, True)], children or [], id)

    outline = [section("一", 0, [section("1", 2), section("一", 4)]), section("1", 6), section("二", 8)]
    stored = StoredOutline(flatten_outline(outline), "一\n1\n一\n1\n二")
    alone = stored.sections_alone("一")
    assert alone == {"一": outline[0], "1": outline[0].children[0]}  # not the inner 一: it comes second
    assert alone["一"].children[1] == outline[0].children[1]
    assert stored.sections_alone("1") == {"1": outline[0].children[0]}
    assert stored.sections_alone("二") == {"二": outline[2]} and stored.sections_alone("三") == {}


def test_changed_added_renamed_and_touched_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, cache = tmp_path / "notices", tmp_path / "cache"
    folder.mkdir()
    for path in sample_data_paths()[:4]:
        shutil.copy(path, folder / path.name)
    _aged(folder)
    load_corpus([folder], cache_dir=cache)
    reads, parses = _count(monkeypatch, "read_file_bytes"), _count(monkeypatch, "parse_bytes")
    names = [p.name for p in sample_data_paths()]
    changed = folder / names[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n补充一行。", encoding="utf-8")
    shutil.copy(sample_data_paths()[4], folder / "added.txt")
    (folder / names[1]).rename(folder / "renamed.txt")
    os.utime(folder / names[2])  # touched: same bytes, new time
    corpus = load_corpus([folder], cache_dir=cache)
    assert sorted(parses) == sorted([changed.name, "added.txt"])
    assert sorted(reads) == sorted([changed.name, "added.txt", "renamed.txt", names[2]])
    renamed = [n for n in corpus.notices if n.file.endswith("renamed.txt")]
    assert [n.district for n in renamed] == ["芦淞区"]
    assert "补充一行" in next(n for n in corpus.notices if n.file.endswith(changed.name)).body


def test_a_text_lost_from_the_store_is_read_again_from_its_file(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    fresh = outline(load_corpus(cache_dir=cache).notices)
    corpus = load_corpus(cache_dir=cache)
    db = sqlite3.connect(cache / "corpus.sqlite", isolation_level=None)
    db.execute("DELETE FROM notices")
    db.close()
    assert outline(corpus.notices) == fresh


def test_a_text_lost_from_the_store_and_changed_in_its_file_says_so(tmp_path: Path) -> None:
    folder, cache = tmp_path / "notices", tmp_path / "cache"
    folder.mkdir()
    gulou = next(p for p in sample_data_paths() if "gulou" in p.name)
    shutil.copy(gulou, folder / gulou.name)
    [notice] = load_corpus([folder], cache_dir=cache).notices
    db = sqlite3.connect(cache / "corpus.sqlite", isolation_level=None)
    db.execute("DELETE FROM notices")
    db.close()
    other = next(p for p in sample_data_paths() if "gaoling" in p.name)
    shutil.copy(other, folder / gulou.name)  # another notice in the same file
    with pytest.raises(NoticeUnavailable, match="changed since it was loaded"):
        _ = notice.body


def test_an_unwritable_store_folder_loads_without_the_store(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the store's folder should be", encoding="utf-8")
    corpus = load_corpus(cache_dir=blocker)
    assert len(corpus) == 53 and corpus.skipped == []
    assert corpus.store is not None and "cannot create" in (corpus.store.problem or "")
