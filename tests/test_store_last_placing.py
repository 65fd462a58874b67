"""``store.last_placing``: a placing is given again only for the very corpus, codes and segments it
was made from; on disk, for the same files, codes and segments, and only from a whole file."""

from __future__ import annotations

import copy
import gc
import os
import shutil
import time
from pathlib import Path
from typing import Any

from zhenggai.loaders import Corpus, load_corpus, sample_data_paths
from zhenggai.store.codes import Codebook
from zhenggai.store.db import Store
from zhenggai.store.last_placing import PLACING_FILE, LastPlacing, placing_key
from zhenggai.store.retrieval import CodedQuote, place_segments

from .research_project import build_project


def test_a_placing_is_given_back_only_for_what_it_was_made_from(zhenggai_home: Path) -> None:
    corpus = load_corpus(None)
    store = Store.open()
    build_project(store, corpus)
    book, segments = store.codebook(), store.segments()
    quotes = place_segments(corpus, segments, book)
    last = LastPlacing()
    assert last.get(placing_key(corpus, book, segments)) is None  # nothing kept yet
    last.keep(placing_key(corpus, book, segments), quotes)

    again = last.get(placing_key(corpus, store.codebook(), copy.deepcopy(segments)))  # read again: equal
    assert again == quotes and again is not quotes

    moved = copy.deepcopy(segments)
    moved[3]["anchor"]["offset"] += 1  # one anchor changed, deep inside a record
    recoded = copy.deepcopy(segments)
    recoded[0]["code_id"] = next(c.id for c in book.walk() if c.id != segments[0]["code_id"])
    records = store.code_records()
    renamed = Codebook([{**r, "name": r["name"] + "·"} if i == 0 else r for i, r in enumerate(records)])
    for key in (
        placing_key(corpus, book, moved),
        placing_key(corpus, book, recoded),
        placing_key(corpus, book, segments[1:]),
        placing_key(corpus, renamed, segments),
        placing_key(load_corpus(None), book, segments),  # the same files, another corpus (a reload)
    ):
        assert last.get(key) is None
    assert last.get(placing_key(corpus, book, segments)) == quotes  # still kept for the same

    last.keep(None, quotes)  # what cannot be keyed is not kept, and the last one is forgotten
    assert last.get(placing_key(corpus, book, segments)) is None


def test_a_corpus_that_is_gone_is_not_held_and_gives_nothing(zhenggai_home: Path) -> None:
    corpus = load_corpus(None)
    book, segments = Codebook([]), [{"id": "s1", "code_id": "c1", "anchor": {"notice_id": "x"}}]
    last = LastPlacing()
    last.keep(placing_key(corpus, book, segments), [])
    key = placing_key(corpus, book, segments)
    assert last.get(key) == []
    del corpus
    gc.collect()
    assert key is not None and key.corpus() is None  # the kept placing does not keep the corpus alive
    assert last.get(key) is None


def _placed(corpus: Corpus, store: Store) -> tuple[Codebook, list[dict[str, Any]], list[CodedQuote]]:
    book, segments = store.codebook(), store.segments()
    return book, segments, place_segments(corpus, segments, book)


def test_a_saved_placing_is_given_to_the_next_run_only_for_the_same_files_codes_and_segments(
    zhenggai_home: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    for path in sample_data_paths():
        shutil.copy(path, folder / path.name)
    corpus = load_corpus([folder])
    store = Store.open()
    build_project(store, corpus)
    book, segments, quotes = _placed(corpus, store)
    cache = tmp_path / "cache"
    LastPlacing(cache).save(placing_key(corpus, book, segments), quotes)
    assert (cache / PLACING_FILE).is_file()
    assert (cache / PLACING_FILE).stat().st_mode & 0o777 == 0o600  # the segments' memos are the user's

    later = load_corpus([folder])  # the next run: another corpus of the same files, nothing in memory
    again = LastPlacing(cache).get(placing_key(later, store.codebook(), copy.deepcopy(segments)))
    assert again == quotes
    moved = copy.deepcopy(segments)
    moved[3]["anchor"]["offset"] += 1
    records = store.code_records()
    renamed = Codebook([{**r, "name": r["name"] + "·"} if i == 0 else r for i, r in enumerate(records)])
    assert LastPlacing(cache).get(placing_key(later, book, moved)) is None
    assert LastPlacing(cache).get(placing_key(later, renamed, segments)) is None
    assert LastPlacing(cache).get(placing_key(load_corpus(None), book, segments)) is None  # the samples
    assert LastPlacing().get(placing_key(later, book, segments)) is None  # no folder: memory only

    changed = folder / sample_data_paths()[0].name  # one file changed: its notices may read otherwise
    changed.write_bytes(changed.read_bytes() + "\n附件：无\n".encode())
    assert LastPlacing(cache).get(placing_key(load_corpus([folder]), book, segments)) is None


def test_a_damaged_or_unwritable_placing_file_is_not_used_and_breaks_nothing(
    zhenggai_home: Path, tmp_path: Path
) -> None:
    corpus = load_corpus(None)
    store = Store.open()
    build_project(store, corpus)
    book, segments, quotes = _placed(corpus, store)
    key = placing_key(corpus, book, segments)
    cache = tmp_path / "cache"
    LastPlacing(cache).save(key, quotes)
    path = cache / PLACING_FILE
    whole = path.read_bytes()
    flipped = bytearray(whole)
    flipped[len(whole) // 2] ^= 0xFF
    at = whole.index("整".encode(), 60)  # one character of a quote changed: still a well-formed file
    edited = whole[:at] + "政".encode() + whole[at + 3 :]
    for damaged in (
        whole[: len(whole) // 2],
        bytes(flipped),
        edited,
        b"",
        b"zhenggai placing 0\n" + whole[19:],
    ):
        path.write_bytes(damaged)
        assert LastPlacing(cache).get(key) is None
    path.unlink()
    path.mkdir()  # not a file at all: read and written as a failure, silently
    assert LastPlacing(cache).get(key) is None
    LastPlacing(cache).save(key, quotes)
    assert path.is_dir() and not list(cache.glob(".placing.bin.*"))  # its temporary file removed

    blocked = tmp_path / "a file"
    blocked.write_text("not a folder", encoding="utf-8")
    LastPlacing(blocked / "cache").save(key, quotes)  # the folder cannot be made: nothing kept
    assert LastPlacing(blocked / "cache").get(key) is None


def test_a_save_killed_midway_leaves_a_temporary_file_the_next_save_clears(
    zhenggai_home: Path, tmp_path: Path
) -> None:
    corpus = load_corpus(None)
    book: Codebook = Codebook([])
    cache = tmp_path / "cache"
    cache.mkdir()
    old, fresh = cache / ".placing.bin.old.tmp", cache / ".placing.bin.new.tmp"
    for leftover in (old, fresh):
        leftover.write_bytes(b"half a placing")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    LastPlacing(cache).save(placing_key(corpus, book, []), [])
    assert not old.exists() and fresh.exists()  # a save under way in another zhenggai is left alone
    assert LastPlacing(cache).get(placing_key(corpus, book, [])) == []
