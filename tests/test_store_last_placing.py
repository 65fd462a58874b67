"""``store.last_placing``: a placing is given again only for the very corpus, codes and segments it
was made from; its spots for any placing in that corpus, or on disk for the same files, and only from a
whole file."""

from __future__ import annotations

import copy
import gc
import hashlib
import marshal
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from zhenggai.loaders import Corpus, load_corpus, sample_data_paths
from zhenggai.store import retrieval
from zhenggai.store.codes import Codebook
from zhenggai.store.db import Store
from zhenggai.store.last_placing import _CHECK, _MAGIC, PLACING_FILE, LastPlacing, corpus_key, placing_key
from zhenggai.store.retrieval import placed_segments
from zhenggai.store.spots import spot_row

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
    last.keep(placing_key(corpus, book, segments), quotes, corpus, spots)

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
    assert last.spots(corpus) is spots and last.spots(other) == {}  # no folder: nothing on disk

    last.keep(None, quotes, corpus, spots)  # what cannot be keyed is not kept, the last one forgotten
    assert last.get(placing_key(corpus, book, segments)) is None and last.spots(corpus) is spots
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
    last.keep(placing_key(corpus, book, segments), quotes, corpus, spots)
    key = placing_key(corpus, book, segments)
    assert last.get(key) == quotes and quotes[0].status == "detached"
    del corpus
    gc.collect()
    assert key is not None and key.corpus() is None  # the kept placing does not keep the corpus alive
    assert last.get(key) is None


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "notices"
    folder.mkdir()
    for path in sample_data_paths():
        shutil.copy(path, folder / path.name)
    return folder


def test_saved_spots_are_given_to_the_next_run_only_for_the_same_files(
    zhenggai_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path)
    corpus = load_corpus([folder])
    store, book, segments = _project(corpus)
    quotes, spots = placed_segments(corpus, segments, book)
    cache = tmp_path / "cache"
    LastPlacing(cache).save(corpus, spots)
    assert (cache / PLACING_FILE).is_file()
    assert (cache / PLACING_FILE).stat().st_mode & 0o777 == 0o600  # the passages are the user's choice

    placings = Placings(monkeypatch)
    later = load_corpus([folder])  # the next run: another corpus of the same files, nothing in memory
    kept = LastPlacing(cache).spots(later)
    assert kept == spots
    assert placed_segments(later, copy.deepcopy(segments), store.codebook(), known=kept) == (quotes, spots)
    assert placings.anchors == 0
    assert LastPlacing(cache).spots(load_corpus(None)) == {}  # the samples: other paths
    assert LastPlacing().spots(later) == {}  # no folder: memory only

    before = (cache / PLACING_FILE).stat().st_mtime_ns
    LastPlacing(cache).save(later, spots, known=kept)  # nothing placed, none left out: not written again
    assert (cache / PLACING_FILE).stat().st_mtime_ns == before

    changed = folder / sample_data_paths()[0].name  # one file changed: its notices may read otherwise
    changed.write_bytes(changed.read_bytes() + "\n附件：无\n".encode())
    assert LastPlacing(cache).spots(load_corpus([folder])) == {}


def test_a_damaged_or_unwritable_spots_file_is_not_used_and_breaks_nothing(
    zhenggai_home: Path, tmp_path: Path
) -> None:
    corpus = load_corpus([_folder(tmp_path)])
    _, book, segments = _project(corpus)
    _, spots = placed_segments(corpus, segments, book)
    cache = tmp_path / "cache"
    LastPlacing(cache).save(corpus, spots)
    path = cache / PLACING_FILE
    whole = path.read_bytes()
    flipped = bytearray(whole)
    flipped[len(whole) // 2] ^= 0xFF
    at = whole.index("整".encode(), 60)  # one character of a quote changed: still a well-formed file
    edited = whole[:at] + "政".encode() + whole[at + 3 :]

    def signed(rows: Any) -> bytes:  # well formed and digested, but not what a save writes
        body = marshal.dumps((corpus_key(corpus), rows))
        return _MAGIC + hashlib.blake2b(body, digest_size=_CHECK).digest() + body

    key, spot = next(iter(spots.items()))
    row = spot_row(spot)
    for damaged in (
        whole[: len(whole) // 2],
        bytes(flipped),
        edited,
        b"",
        b"zhenggai placing 1\n" + whole[19:],
        signed([(key, (*row[:5], 5, *row[6:]))]),  # a number where a place name is
        signed([(key, row[:-1])]),
        signed([(key[:-1], row)]),
        signed([(list(key), row)]),
        signed({key: row}),
    ):
        path.write_bytes(damaged)
        assert LastPlacing(cache).spots(corpus) == {}
    path.write_bytes(signed([(key, row)]))
    assert LastPlacing(cache).spots(corpus) == {key: spot}
    path.unlink()
    path.mkdir()  # not a file at all: read and written as a failure, silently
    assert LastPlacing(cache).spots(corpus) == {}
    LastPlacing(cache).save(corpus, spots)
    assert path.is_dir() and not list(cache.glob(".placing.bin.*"))  # its temporary file removed

    blocked = tmp_path / "a file"
    blocked.write_text("not a folder", encoding="utf-8")
    LastPlacing(blocked / "cache").save(corpus, spots)  # the folder cannot be made: nothing kept
    assert LastPlacing(blocked / "cache").spots(corpus) == {}


def test_a_save_killed_midway_leaves_a_temporary_file_the_next_save_clears(
    zhenggai_home: Path, tmp_path: Path
) -> None:
    corpus = load_corpus([_folder(tmp_path)])
    cache = tmp_path / "cache"
    cache.mkdir()
    old, fresh = cache / ".placing.bin.old.tmp", cache / ".placing.bin.new.tmp"
    for leftover in (old, fresh):
        leftover.write_bytes(b"half a placing")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    LastPlacing(cache).save(corpus, {})
    assert not old.exists() and fresh.exists()  # a save under way in another zhenggai is left alone
    assert (cache / PLACING_FILE).is_file() and LastPlacing(cache).spots(corpus) == {}
