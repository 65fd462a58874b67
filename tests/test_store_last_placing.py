"""``store.last_placing``: a placing is given again only for the very corpus, codes and segments it
was made from; its spots for any placing in that corpus, or on disk for the same files, and only from a
whole file."""

from __future__ import annotations

import copy
import gc
import marshal
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from zhenggai.loaders import Corpus, load_corpus, sample_data_paths
from zhenggai.store import retrieval
from zhenggai.store.cache_file import write_cache
from zhenggai.store.codes import Codebook
from zhenggai.store.db import Store
from zhenggai.store.last_placing import (
    _SPOTS_MAGIC,
    PLACING_FILE,
    SPOTS_FILE,
    LastPlacing,
    PlacingKey,
    placing_key,
    spots_key,
)
from zhenggai.store.retrieval import CodedQuote, placed_segments
from zhenggai.store.spots import Spots, spot_row

from .research_project import build_project


class Placings:
    """Counts the anchors placed (read in their notice), not taken from a spot."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.anchors = 0
        make = retrieval.make_spot

        def counted(*args: Any) -> Any:
            self.anchors += 1
            return make(*args)

        monkeypatch.setattr(retrieval, "make_spot", counted)


def _project(corpus: Corpus) -> tuple[Store, Codebook, list[dict[str, Any]]]:
    store = Store.open()
    build_project(store, corpus)
    return store, store.codebook(), store.segments()


def test_a_placing_is_given_back_only_for_what_it_was_made_from(zhenggai_home: Path) -> None:
    corpus = load_corpus(None)
    store, book, segments = _project(corpus)
    quotes, spots = placed_segments(corpus, segments, book)
    last = LastPlacing()
    assert last.get(placing_key(corpus, book, segments)) is None and last.spots(corpus) == {}  # nothing yet
    last.keep(placing_key(corpus, book, segments), quotes)
    assert last.add(corpus, spots) and not last.add(corpus, spots)  # new, then known

    again = last.get(placing_key(corpus, store.codebook(), copy.deepcopy(segments)))  # read again: equal
    assert again == quotes and again is not quotes

    moved = copy.deepcopy(segments)
    moved[3]["anchor"]["offset"] += 1  # one anchor changed, deep inside a record
    recoded = copy.deepcopy(segments)
    recoded[0]["code_id"] = next(c.id for c in book.walk() if c.id != segments[0]["code_id"])
    records = store.code_records()
    renamed = Codebook([{**r, "name": r["name"] + "·"} if i == 0 else r for i, r in enumerate(records)])
    other = load_corpus(None)  # the same files, another corpus (a reload)
    for key in (
        placing_key(corpus, book, moved),
        placing_key(corpus, book, recoded),
        placing_key(corpus, book, segments[1:]),
        placing_key(corpus, renamed, segments),
        placing_key(other, book, segments),
    ):
        assert last.get(key) is None
    assert last.get(placing_key(corpus, book, segments)) == quotes  # still kept for the same
    assert last.spots(corpus) == spots and last.spots(other) == {}  # no folder: nothing on disk

    last.keep(None, quotes)  # what cannot be keyed is not kept, the last one forgotten
    assert last.get(placing_key(corpus, book, segments)) is None and last.spots(corpus) == spots
    last.forget()
    assert last.spots(corpus) == {}


def test_spots_kept_place_only_the_anchors_they_lack_and_give_the_same_quotes(
    zhenggai_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = load_corpus(None)
    store, book, segments = _project(corpus)
    quotes, spots = placed_segments(corpus, segments, book)
    placings = Placings(monkeypatch)
    assert placed_segments(corpus, segments, book, known=spots) == (quotes, spots)
    assert placings.anchors == 0
    half = dict(list(spots.items())[: len(spots) // 2])
    assert placed_segments(load_corpus(None), segments, book, known=half) == (quotes, spots)
    assert placings.anchors == len(spots) - len(half)

    moved = copy.deepcopy(segments)
    moved[3]["anchor"]["offset"] += 1  # one anchor changed: placed again, it alone
    fresh, made = placed_segments(corpus, moved, book)
    placings.anchors = 0
    assert placed_segments(corpus, moved, book, known=spots) == (fresh, made)
    assert placings.anchors == 1
    fewer = placed_segments(corpus, segments[2:], book, known=spots)  # spots of the rest left out
    assert fewer == placed_segments(corpus, segments[2:], book) and len(fewer[1]) < len(spots)
    records = store.code_records()
    renamed = Codebook([{**r, "name": r["name"] + "·"} if i == 0 else r for i, r in enumerate(records)])
    placings.anchors = 0
    assert placed_segments(corpus, segments, renamed, known=spots) == placed_segments(
        corpus, segments, renamed
    )
    assert placings.anchors == len(spots)  # only the unhelped placing placed them


def test_a_corpus_that_is_gone_is_not_held_and_gives_nothing(zhenggai_home: Path) -> None:
    corpus = load_corpus(None)
    book, segments = Codebook([]), [{"id": "s1", "code_id": "c1", "anchor": {"notice_id": "x"}}]
    quotes, spots = placed_segments(corpus, segments, book)
    last = LastPlacing()
    last.keep(placing_key(corpus, book, segments), quotes)
    last.add(corpus, spots)
    key = placing_key(corpus, book, segments)
    assert last.get(key) == quotes and quotes[0].status == "detached"
    del corpus
    gc.collect()
    assert key is not None and key.corpus() is None  # the kept placing does not keep the corpus alive
    assert last.get(key) is None


def _save(
    cache: Path, key: PlacingKey | None, quotes: list[CodedQuote], corpus: Corpus, spots: Spots
) -> None:
    """What the reader does once a placing is made: the quotes and the spots written for next time."""
    last = LastPlacing(cache)
    last.save(key, quotes)
    if last.add(corpus, spots):
        last.save_spots(corpus)


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "notices"
    folder.mkdir()
    for path in sample_data_paths():
        shutil.copy(path, folder / path.name)
    return folder


def test_a_saved_placing_is_given_to_the_next_run_only_for_the_same_files_codes_and_segments(
    zhenggai_home: Path, tmp_path: Path
) -> None:
    folder = _folder(tmp_path)
    corpus = load_corpus([folder])
    store, book, segments = _project(corpus)
    quotes, spots = placed_segments(corpus, segments, book)
    cache = tmp_path / "cache"
    _save(cache, placing_key(corpus, book, segments), quotes, corpus, spots)
    for name in (PLACING_FILE, SPOTS_FILE):  # the quotes' memos and passages are the user's
        assert (cache / name).is_file() and (cache / name).stat().st_mode & 0o777 == 0o600

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


def test_saved_spots_are_given_to_the_next_run_only_for_the_same_files(
    zhenggai_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path)
    corpus = load_corpus([folder])
    store, book, segments = _project(corpus)
    quotes, spots = placed_segments(corpus, segments, book)
    cache = tmp_path / "cache"
    _save(cache, None, quotes, corpus, spots)  # no key: the spots alone
    assert not (cache / PLACING_FILE).exists() and (cache / SPOTS_FILE).is_file()

    placings = Placings(monkeypatch)
    later = load_corpus([folder])  # the next run: another corpus of the same files, nothing in memory
    kept = LastPlacing(cache).spots(later)
    assert kept == spots
    assert placed_segments(later, copy.deepcopy(segments), store.codebook(), known=kept) == (quotes, spots)
    assert placings.anchors == 0
    assert LastPlacing(cache).spots(load_corpus(None)) == {}  # the samples: other paths
    assert LastPlacing().spots(later) == {}  # no folder: memory only

    before = (cache / SPOTS_FILE).stat().st_mtime_ns
    key = placing_key(later, book, segments)
    _save(cache, key, quotes, later, spots)  # nothing placed: the spots not written again
    assert (cache / SPOTS_FILE).stat().st_mtime_ns == before and (cache / PLACING_FILE).is_file()
    fewer, made = placed_segments(later, segments[2:], book, known=kept)
    _save(cache, placing_key(later, book, segments[2:]), fewer, later, made)
    assert (cache / SPOTS_FILE).stat().st_mtime_ns == before  # fewer segments: nothing new to keep
    assert LastPlacing(cache).spots(later) == kept and made.items() < kept.items()
    moved = copy.deepcopy(segments)
    moved[3]["anchor"]["offset"] += 1  # one anchor changed: its spot added to those kept
    _, with_moved = placed_segments(later, moved, book, known=kept)
    _save(cache, placing_key(later, book, moved), [], later, with_moved)
    assert LastPlacing(cache).spots(later) == {**kept, **with_moved} and len(with_moved) == len(kept)
    assert len(LastPlacing(cache).spots(later)) == len(kept) + 1

    changed = folder / sample_data_paths()[0].name  # one file changed: its notices may read otherwise
    changed.write_bytes(changed.read_bytes() + "\n附件：无\n".encode())
    assert LastPlacing(cache).spots(load_corpus([folder])) == {}


def test_damaged_or_unwritable_placing_files_are_not_used_and_break_nothing(
    zhenggai_home: Path, tmp_path: Path
) -> None:
    corpus = load_corpus([_folder(tmp_path)])
    _, book, segments = _project(corpus)
    quotes, spots = placed_segments(corpus, segments, book)
    key = placing_key(corpus, book, segments)
    cache = tmp_path / "cache"
    _save(cache, key, quotes, corpus, spots)

    def given() -> tuple[Any, Any]:
        last = LastPlacing(cache)
        return last.get(key), last.spots(corpus)

    assert given() == (quotes, spots)
    for name in (PLACING_FILE, SPOTS_FILE):
        path = cache / name
        whole = path.read_bytes()
        flipped = bytearray(whole)
        flipped[len(whole) // 2] ^= 0xFF
        at = whole.index("整".encode(), 80)  # one character of a quote changed: still well formed
        edited = whole[:at] + "政".encode() + whole[at + 3 :]
        first_line = whole.index(b"\n") + 1
        for damaged in (
            whole[: len(whole) // 2],
            bytes(flipped),
            edited,
            b"",
            whole[:first_line],
            b"zhenggai placing 1\n" + whole[first_line:],  # another version
            whole[:first_line] + bytes(20) + whole[first_line + 20 :],  # made from something else
        ):
            path.write_bytes(damaged)
            assert given() == ((None, spots) if name == PLACING_FILE else (quotes, {}))
        path.unlink()
        os.mkfifo(path)  # a pipe nobody writes to: not waited for
        assert given() == ((None, spots) if name == PLACING_FILE else (quotes, {}))
        path.unlink()
        path.mkdir()  # not a file at all: read and written as a failure, silently
        assert given() == ((None, spots) if name == PLACING_FILE else (quotes, {}))
        _save(cache, key, quotes, corpus, spots)
        assert path.is_dir() and not list(cache.glob(f".{name}.*"))  # its temporary file removed
        path.rmdir()
        _save(cache, key, quotes, corpus, spots)
        assert given() == (quotes, spots)

    blocked = tmp_path / "a file"
    blocked.write_text("not a folder", encoding="utf-8")
    _save(blocked / "cache", key, quotes, corpus, spots)  # the folder cannot be made
    assert (
        LastPlacing(blocked / "cache").get(key) is None and LastPlacing(blocked / "cache").spots(corpus) == {}
    )


def test_spots_whole_but_not_as_a_save_writes_them_are_not_believed(
    zhenggai_home: Path, tmp_path: Path
) -> None:
    corpus = load_corpus([_folder(tmp_path)])
    _, book, segments = _project(corpus)
    _, spots = placed_segments(corpus, segments, book)
    path = tmp_path / "cache" / SPOTS_FILE
    stored = spots_key(corpus)
    assert stored is not None
    anchor, spot = next(iter(spots.items()))
    row = spot_row(spot)
    for rows in (  # well formed and digested, each one value away from what a save writes
        [(anchor, (*row[:5], 5, *row[6:]))],  # a number where a place name is
        [(anchor, row[:-1])],
        [(anchor[:-1], row)],
        [(list(anchor), row)],
        [(anchor, row, row)],
        {anchor: row},
    ):
        assert write_cache(path, _SPOTS_MAGIC, stored, marshal.dumps(rows))
        assert LastPlacing(path.parent).spots(corpus) == {}
    assert write_cache(path, _SPOTS_MAGIC, stored, marshal.dumps([(anchor, row)]))
    assert LastPlacing(path.parent).spots(corpus) == {anchor: spot}


def test_a_save_killed_midway_leaves_a_temporary_file_the_next_save_clears(
    zhenggai_home: Path, tmp_path: Path
) -> None:
    corpus = load_corpus([_folder(tmp_path)])
    book: Codebook = Codebook([])
    cache = tmp_path / "cache"
    cache.mkdir()
    leftovers = []
    for name in (PLACING_FILE, SPOTS_FILE):
        old, fresh = cache / f".{name}.old.tmp", cache / f".{name}.new.tmp"
        for leftover in (old, fresh):
            leftover.write_bytes(b"half a placing")
        os.utime(old, (time.time() - 3600, time.time() - 3600))
        leftovers.append((old, fresh))
    nowhere = [{"id": "s1", "code_id": "c1", "anchor": {"notice_id": "x"}}]  # one detached passage
    quotes, spots = placed_segments(corpus, nowhere, book)
    _save(cache, placing_key(corpus, book, nowhere), quotes, corpus, spots)
    for old, fresh in leftovers:  # a save under way in another zhenggai is left alone
        assert not old.exists() and fresh.exists()
    last = LastPlacing(cache)
    assert last.get(placing_key(corpus, book, nowhere)) == quotes and last.spots(corpus) == spots
