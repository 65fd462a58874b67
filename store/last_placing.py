"""The last placing of every coded segment, given again while nothing it was made from has changed,
and the spots it was made of, kept for the next placing and the next run.

Placing every coded segment of a big store takes seconds (20,000 segments in 2,500 notices: 1.2-1.7 s on
a worker, every notice's text read again), and the quote table, the matrix and the codebook each place
them all.  A placing depends on nothing but the corpus (its notices' texts, which a ``Corpus`` never
changes: a reload makes another one), the coded segments and the codes' paths, so it is kept with a
digest of those and the corpus it was made in, and given again only to a request whose digest and
corpus are the same: going from the quote table to a passage and back places nothing.

A change of the segments or codes means making the quotes again, but not placing again what was
placed: where each anchor landed (``spots.Spot``) depends on the anchor and the corpus alone, so the
spots of the last placing are kept and only anchors not among them are placed (a passage coded, with
20,000 coded already, places one).  The spots are kept on disk too (``placing.bin`` in the cache
folder) under a key of the corpus's content (every file's path and content key, which names the
loader that parsed it) and ``SPOT_VERSION``: the reader started again on the same folder fills its
coding screens at once, whatever was coded in between; a file that is damaged, of another version or
made from other files is simply not used.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import orjson

from ..loaders import Corpus
from .codes import Codebook
from .retrieval import CodedQuote
from .spots import ANCHOR_TYPES, SPOT_TYPES, SPOT_VERSION, AnchorKey, Spot, spot_row
from .storage import remove_stale_temporaries

#: The spots on disk, in the cache folder.
PLACING_FILE = "placing.bin"
#: The file's first line; then the BLAKE2b digest of the rest, then the rest (``marshal``).
_MAGIC = b"zhenggai placing 2\n"
_CHECK = 32
#: A save killed midway leaves its temporary file: the next save clears those older than this (ns).
_STALE_NS = 60 * 10**9

Spots = dict[AnchorKey, Spot]
_SPOT_FIELDS = [f.name for f in fields(Spot)]


@dataclass(frozen=True, slots=True)
class PlacingKey:
    """What a placing was made from: the corpus (by identity) and a digest of segments and codes."""

    corpus: weakref.ref[Corpus]
    digest: bytes


def placing_key(corpus: Corpus, book: Codebook, segments: Sequence[dict[str, Any]]) -> PlacingKey | None:
    """The key of placing ``segments`` with ``book`` in ``corpus``; None when they cannot be digested
    (then no placing is kept or given, spots still are)."""
    digest = hashlib.blake2b(digest_size=20)
    try:
        digest.update(orjson.dumps(segments))
        digest.update(orjson.dumps(sorted((code_id, code.slash) for code_id, code in book.codes.items())))
    except (TypeError, orjson.JSONEncodeError):
        return None
    return PlacingKey(weakref.ref(corpus), digest.digest())


def corpus_key(corpus: Corpus) -> bytes | None:
    """The key of spots made in ``corpus`` on disk: its files' paths and content keys (loader version
    included) and how spots are made; None for a corpus that has no content keys (nothing kept)."""
    if not corpus.file_keys:
        return None
    content = [SPOT_VERSION, _SPOT_FIELDS, sorted(corpus.file_keys.items())]
    return hashlib.blake2b(orjson.dumps(content), digest_size=20).digest()


class LastPlacing:
    """The last placing made (one: every screen places the same whole store) and its spots; the spots
    on disk in ``folder`` (the cache folder; None: memory only).  ``spots`` and ``save`` run on a worker
    (they may read or write the file) while ``keep`` runs on another thread: each kept value is one
    attribute, replaced whole."""

    def __init__(self, folder: Path | None = None) -> None:
        self._last: tuple[PlacingKey, list[CodedQuote]] | None = None
        self._spots: tuple[weakref.ref[Corpus], Spots] | None = None
        self.folder = folder

    def get(self, key: PlacingKey | None) -> list[CodedQuote] | None:
        """The quotes placed under ``key`` (a copy of the list), or None."""
        last = self._last
        corpus = key.corpus() if key is not None else None
        if key is None or corpus is None or last is None:
            return None
        if key.digest == last[0].digest and corpus is last[0].corpus():
            return list(last[1])
        return None

    def spots(self, corpus: Corpus) -> Spots:
        """The spots made in ``corpus`` (kept in memory, or on disk for the same files); {} for none.
        Read only: the dict may be the one kept."""
        kept = self._spots
        if kept is not None and kept[0]() is corpus:
            return kept[1]
        read = self._read(corpus_key(corpus))
        if read is None:
            return {}
        self._spots = (weakref.ref(corpus), read)
        return read

    def keep(self, key: PlacingKey | None, quotes: list[CodedQuote], corpus: Corpus, spots: Spots) -> None:
        """Keep ``quotes``, placed under ``key`` (forgets the one before; no quotes kept when None), and
        the ``spots`` they were made of in ``corpus``."""
        self._last = (key, list(quotes)) if key is not None else None
        self._spots = (weakref.ref(corpus), spots)

    def forget(self) -> None:
        """Keep nothing (the quotes' and spots' memory is freed)."""
        self._last = None
        self._spots = None

    def save(self, corpus: Corpus, spots: Spots, known: Spots | None = None) -> None:
        """Write ``spots``, made in ``corpus``, to the file (in place of the one before, whole or not at
        all), unless they are the ``known`` ones (those the placing started from: nothing placed, none
        left out); a folder that cannot be written keeps nothing."""
        stored = corpus_key(corpus)
        if self.folder is None or stored is None:
            return
        if known is not None and len(known) == len(spots) and known.keys() >= spots.keys():
            return
        rows = [(key, spot_row(spot)) for key, spot in spots.items()]
        body = marshal.dumps((stored, rows))
        check = hashlib.blake2b(body, digest_size=_CHECK).digest()
        path = self.folder / PLACING_FILE
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # what a save killed midway left (another zhenggai's save under way is younger)
            remove_stale_temporaries(path, time.time_ns() - _STALE_NS)
            handle, temporary = tempfile.mkstemp(prefix=f".{PLACING_FILE}.", suffix=".tmp", dir=self.folder)
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(_MAGIC + check)
                    file.write(body)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            return  # a cache: what cannot be written is placed again next time

    def _read(self, stored: bytes | None) -> Spots | None:
        """The spots in the file when it was saved under ``stored`` and is whole; else None."""
        if self.folder is None or stored is None:
            return None
        try:
            raw = (self.folder / PLACING_FILE).read_bytes()
        except OSError:
            return None
        head = len(_MAGIC) + _CHECK
        check = hashlib.blake2b(raw[head:], digest_size=_CHECK).digest()
        if raw[: len(_MAGIC)] != _MAGIC or raw[len(_MAGIC) : head] != check:
            return None  # damaged, cut short or of another version
        try:
            key, rows = marshal.loads(raw[head:])
        except (ValueError, EOFError, TypeError):
            return None
        if key != stored or type(rows) is not list:
            return None
        spots: Spots = {}
        for row in rows:  # each value of the type it must have: a row that is not is not believed
            if type(row) is not tuple or len(row) != 2:
                return None
            anchor, spot = row
            if type(anchor) is not tuple or type(spot) is not tuple:
                return None
            if tuple(map(type, anchor)) != ANCHOR_TYPES or tuple(map(type, spot)) != SPOT_TYPES:
                return None
            spots[anchor] = Spot(*spot)
        return spots
