"""The corpus store's snapshot of a load: a folder opened in one read, and never trusted when stale."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

import zhenggai.loaders.corpus as corpus_module
from zhenggai.loaders import load_corpus
from zhenggai.loaders.ledger import extract_ledger

from .sample_folders import HOUR_AGO, settled_samples


def _calls(monkeypatch: pytest.MonkeyPatch, name: str) -> list[str]:
    calls: list[str] = []
    original = getattr(corpus_module, name)

    def counting(*args: object) -> object:
        calls.append(str(args[0]))
        return original(*args)

    monkeypatch.setattr(corpus_module, name, counting)
    return calls


def _shape(corpus: corpus_module.Corpus) -> list[object]:
    return [
        (n.id, n.file, n.index_in_file, n.encoding, n.meta, n.section_count(), [s.id for s in n.walk()])
        for n in corpus.notices
    ]


def _snapshots(cache: Path) -> int:
    db = sqlite3.connect(cache / "corpus.sqlite")
    try:
        return int(db.execute("SELECT count(*) FROM snapshots").fetchone()[0])
    finally:
        db.close()


def test_an_unchanged_folder_opens_from_the_snapshot_equal_to_a_full_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = settled_samples(tmp_path, ("broken.txt", b"\xff\xfe\x00garbage"), ("empty.txt", b""))
    cache = tmp_path / "cache"
    first = load_corpus([folder], cache_dir=cache)
    assert not first.from_snapshot and _snapshots(cache) == 1
    lookups = _calls(monkeypatch, "read_notices_keyed")
    second = load_corpus([folder], cache_dir=cache)
    assert second.from_snapshot and lookups == []  # not a file looked up, let alone read
    assert len(second.notices) == 53
    assert not any(n.loaded for n in second.notices)  # texts stay in the store until used
    assert _shape(second) == _shape(first)
    assert [(s.path, s.reason) for s in second.skipped] == [(s.path, s.reason) for s in first.skipped]
    assert len(second.skipped) == 2  # the bad files say why again, without being read again
    assert second.warnings == first.warnings and second.file_keys == first.file_keys
    assert [extract_ledger(n) for n in second.notices] == [extract_ledger(n) for n in first.notices]


@pytest.mark.parametrize("change", ["touched", "edited", "added", "removed", "renamed", "replaced"])
def test_any_change_to_the_folder_is_a_full_load(tmp_path: Path, change: str) -> None:
    folder = settled_samples(tmp_path)
    cache = tmp_path / "cache"
    load_corpus([folder], cache_dir=cache)
    target = folder / "gansu-dingxi-anding-2022-xuncha.txt"
    if change == "touched":
        os.utime(target, (HOUR_AGO + 5, HOUR_AGO + 5))
    elif change == "edited":
        target.write_text(target.read_text(encoding="utf-8").replace("安定区", "安定县", 1), encoding="utf-8")
        os.utime(target, (HOUR_AGO, HOUR_AGO))  # same time: the size and ctime still differ
    elif change == "added":
        shutil.copy(target, folder / "copy.txt")
    elif change == "removed":
        target.unlink()
    elif change == "renamed":
        target.rename(folder / "zz-renamed.txt")
    else:
        target.unlink()
        (folder / "sub").mkdir()
    again = load_corpus([folder], cache_dir=cache)
    assert not again.from_snapshot
    expected = load_corpus([folder])  # no store at all
    assert _shape(again) == _shape(expected)


def test_a_damaged_or_foreign_snapshot_is_a_full_load(tmp_path: Path) -> None:
    folder = settled_samples(tmp_path)
    cache = tmp_path / "cache"
    first = load_corpus([folder], cache_dir=cache)
    db = sqlite3.connect(cache / "corpus.sqlite")
    blob = db.execute("SELECT blob FROM snapshots").fetchone()[0]
    damaged = blob[:100] + bytes([blob[100] ^ 0xFF]) + blob[101:]
    db.execute("UPDATE snapshots SET blob = ?", (damaged,))
    db.commit()
    again = load_corpus([folder], cache_dir=cache)
    assert not again.from_snapshot and _shape(again) == _shape(first)
    db.execute("UPDATE snapshots SET blob = ?, digest = 'x'", (b"not marshal",))
    db.commit()
    db.close()
    assert not load_corpus([folder], cache_dir=cache).from_snapshot
    assert load_corpus([folder], cache_dir=cache).from_snapshot  # the full load wrote a good one


def test_a_file_changed_within_the_racy_window_keeps_no_snapshot(tmp_path: Path) -> None:
    folder = settled_samples(tmp_path)
    os.utime(folder / "gansu-dingxi-anding-2022-xuncha.txt")  # just now: a change could keep this status
    cache = tmp_path / "cache"
    load_corpus([folder], cache_dir=cache)
    assert _snapshots(cache) == 0
    assert not load_corpus([folder], cache_dir=cache).from_snapshot


def test_other_paths_or_order_have_their_own_snapshot(tmp_path: Path) -> None:
    folder = settled_samples(tmp_path)
    cache = tmp_path / "cache"
    files = sorted(folder.iterdir())
    load_corpus([folder], cache_dir=cache)
    part = load_corpus(files[:2], cache_dir=cache)
    assert not part.from_snapshot and len({n.file for n in part.notices}) == 2
    reverse = load_corpus(files[::-1], cache_dir=cache)
    assert not reverse.from_snapshot
    assert reverse.notices[0].file.endswith(files[-1].name)
    assert load_corpus(files[:2], cache_dir=cache).from_snapshot


def test_a_text_lost_from_the_store_is_read_again_from_its_file(tmp_path: Path) -> None:
    folder = settled_samples(tmp_path)
    cache = tmp_path / "cache"
    first = load_corpus([folder], cache_dir=cache)
    body = next(n for n in first.notices if "安定区" in n.title).body
    db = sqlite3.connect(cache / "corpus.sqlite")
    db.execute("DELETE FROM notices")
    db.commit()
    db.close()
    again = load_corpus([folder], cache_dir=cache)
    assert again.from_snapshot
    assert next(n for n in again.notices if "安定区" in n.title).body == body


def test_only_the_most_recent_loads_keep_a_snapshot(tmp_path: Path) -> None:
    from zhenggai.loaders.cache import KEPT_SNAPSHOTS

    folder = settled_samples(tmp_path)
    cache = tmp_path / "cache"
    files = sorted(folder.iterdir())
    loads = [files[:1] * count for count in range(1, KEPT_SNAPSHOTS + 3)]  # different paths each time
    for paths in loads:
        load_corpus(paths, cache_dir=cache)
    assert _snapshots(cache) == KEPT_SNAPSHOTS
    assert load_corpus(loads[-1], cache_dir=cache).from_snapshot  # the newest are kept
    assert not load_corpus(loads[0], cache_dir=cache).from_snapshot  # the oldest are not
