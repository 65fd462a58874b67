"""``store.last_placing``: a placing is given again only for the very corpus, codes and segments it
was made from."""

from __future__ import annotations

import copy
import gc
from pathlib import Path

from zhenggai.loaders import load_corpus
from zhenggai.store.codes import Codebook
from zhenggai.store.db import Store
from zhenggai.store.last_placing import LastPlacing, placing_key
from zhenggai.store.retrieval import place_segments

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
