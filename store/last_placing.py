"""The last placing of every coded segment, given again while nothing it was made from has changed,
and the spots it was made of, kept for the next placing and the next run.

Placing every coded segment of a big store takes seconds (20,000 segments in 2,500 notices: 1.2-2 s on
a worker, every notice's text read again), and the quote table, the matrix and the codebook each place
them all.  A placing depends on nothing but the corpus (its notices' texts, which a ``Corpus`` never
changes: a reload makes another one), the coded segments and the codes' paths, so it is kept with a
digest of those and the corpus it was made in, and given again only to a request whose digest and
corpus are the same: going from the quote table to a passage and back places nothing.

A change of the segments or codes means making the quotes again, but not placing again what was
placed: where each anchor landed (``spots.Spot``) depends on the anchor and the corpus alone, so the
spots of the last placing are kept and only anchors not among them are placed (a passage coded, with
20,000 coded already, places one).

Both are kept on disk too, in the cache folder (``cache_file``): ``placing.bin``, the quotes under the
same digest joined with the corpus's content (every file's path and content key, which names the loader
that parsed it), and ``spots.bin``, the spots under the corpus's content and ``SPOT_VERSION``.  The
reader started again on the same folder fills its coding screens from the one, or, when something was
coded in between, places only what is new with the other; a file that is damaged, of another version
or made from anything else is simply not used.
"""

from __future__ import annotations

import hashlib
import marshal
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, fields
from operator import attrgetter
from pathlib import Path
from typing import Any

import orjson

from ..loaders import Corpus
from .cache_file import read_cache, write_cache
from .codes import Codebook
from .retrieval import CodedQuote
from .spots import ANCHOR_TYPES, SPOT_TYPES, SPOT_VERSION, Spot, Spots, spot_row

#: The last placing's quotes and the spots, in the cache folder.
PLACING_FILE = "placing.bin"
SPOTS_FILE = "spots.bin"
#: Each file's first line (``marshal`` bodies).
_PLACING_MAGIC = b"zhenggai placing 2\n"
_SPOTS_MAGIC = b"zhenggai spots 1\n"
_QUOTE_FIELDS = tuple(f.name for f in fields(CodedQuote))
_quote_row = attrgetter(*_QUOTE_FIELDS)
_SPOT_FIELDS = Spot._fields


@dataclass(frozen=True, slots=True)
class PlacingKey:
    """What a placing was made from: the corpus (by identity) and a digest of segments and codes;
    ``stored``: that digest with the corpus's content (the key on disk), None when it has none."""

    corpus: weakref.ref[Corpus]
    digest: bytes
    stored: bytes | None = None


def _content(corpus: Corpus, *more: object) -> bytes | None:
    """A digest of ``more`` and the corpus's files with their content keys (loader version included);
    None for a corpus without content keys (nothing of it is kept on disk)."""
    if not corpus.file_keys:
        return None
    data = orjson.dumps([*more, sorted(corpus.file_keys.items())])
    return hashlib.blake2b(data, digest_size=20).digest()


def placing_key(corpus: Corpus, book: Codebook, segments: Sequence[dict[str, Any]]) -> PlacingKey | None:
    """The key of placing ``segments`` with ``book`` in ``corpus``; None when they cannot be digested
    (then no placing is kept or given; spots still are)."""
    digest = hashlib.blake2b(digest_size=20)
    try:
        digest.update(orjson.dumps(segments))
        digest.update(orjson.dumps(sorted((code_id, code.slash) for code_id, code in book.codes.items())))
    except (TypeError, orjson.JSONEncodeError):
        return None
    made = digest.digest()
    return PlacingKey(weakref.ref(corpus), made, _content(corpus, made.hex(), _QUOTE_FIELDS))


def spots_key(corpus: Corpus) -> bytes | None:
    """The key of spots made in ``corpus`` on disk: its files and how spots are made."""
    return _content(corpus, SPOT_VERSION, _SPOT_FIELDS)


class LastPlacing:
    """The last placing made (one: every screen places the same whole store) and the spots made in a
    corpus, in memory and on disk in ``folder`` (the cache folder; None: memory only).  Every method
    may run on a worker (``get``, ``spots`` and the saves read or write the files), several at once:
    each kept value is one attribute, replaced whole (two workers adding spots at the same moment may
    keep only one's new spots: a cache, the others are made again when needed)."""

    def __init__(self, folder: Path | None = None) -> None:
        self._last: tuple[PlacingKey, list[CodedQuote]] | None = None
        self._spots: tuple[weakref.ref[Corpus], Spots] | None = None
        self.folder = folder

    def get(self, key: PlacingKey | None) -> list[CodedQuote] | None:
        """The quotes placed under ``key`` (a copy of the list), or None: kept in memory, or on disk."""
        last = self._last
        corpus = key.corpus() if key is not None else None
        if key is None or corpus is None:
            return None
        if last is not None and key.digest == last[0].digest and corpus is last[0].corpus():
            return list(last[1])
        read = self._read_quotes(key.stored)
        if read is None:
            return None
        self._last = (key, read)
        return list(read)

    def spots(self, corpus: Corpus, *, read: bool = True) -> Spots:
        """The spots made in ``corpus`` (kept in memory, or on disk for the same files; ``read=False``:
        in memory only, for the UI thread); {} for none.  Read only: the dict may be the one kept."""
        kept = self._spots
        if kept is not None and kept[0]() is corpus:
            return kept[1]
        if not read:
            return {}
        read_spots = self._read_spots(spots_key(corpus))
        if read_spots is None:
            return {}
        self._spots = (weakref.ref(corpus), read_spots)
        return read_spots

    def keep(self, key: PlacingKey | None, quotes: list[CodedQuote]) -> None:
        """Keep ``quotes``, placed under ``key`` (forgets the one before; nothing kept when None)."""
        self._last = (key, list(quotes)) if key is not None else None

    def add(self, corpus: Corpus, spots: Spots) -> bool:
        """Keep ``spots``, made in ``corpus``, with those kept before (a placing's or the notes list's:
        the spots of anchors no longer in the store stay until the corpus's files change, which makes
        every spot again); True when any of them is new."""
        kept = self.spots(corpus)
        if kept.keys() >= spots.keys():
            return False
        self._spots = (weakref.ref(corpus), {**kept, **spots})
        return True

    def forget(self) -> None:
        """Keep nothing (the quotes' and spots' memory is freed)."""
        self._last = None
        self._spots = None

    def save(self, key: PlacingKey | None, quotes: list[CodedQuote]) -> None:
        """Write ``quotes``, placed under ``key``, in place of the file before, whole or not at all
        (a folder that cannot be written keeps nothing)."""
        if self.folder is not None and key is not None and key.stored is not None:
            rows = list(map(_quote_row, quotes))
            write_cache(self.folder / PLACING_FILE, _PLACING_MAGIC, key.stored, marshal.dumps(rows))

    def save_spots(self, corpus: Corpus) -> None:
        """Write the spots kept for ``corpus`` in place of the file before, whole or not at all."""
        stored = spots_key(corpus)
        kept = self._spots
        if self.folder is None or stored is None or kept is None or kept[0]() is not corpus:
            return
        rows = [(anchor, spot_row(spot)) for anchor, spot in kept[1].items()]
        write_cache(self.folder / SPOTS_FILE, _SPOTS_MAGIC, stored, marshal.dumps(rows))

    def _body(self, name: str, magic: bytes, stored: bytes | None) -> object:
        """The unmarshalled body of the file ``name`` made under ``stored``; None when there is none."""
        if self.folder is None or stored is None:
            return None
        body = read_cache(self.folder / name, magic, stored)
        if body is None:
            return None
        try:
            return marshal.loads(body)
        except (ValueError, EOFError, TypeError):
            return None

    def _read_quotes(self, stored: bytes | None) -> list[CodedQuote] | None:
        """The quotes on disk when they were saved under ``stored`` and are whole; else None."""
        rows = self._body(PLACING_FILE, _PLACING_MAGIC, stored)
        size = len(_QUOTE_FIELDS)
        if type(rows) is not list or not all(type(row) is tuple and len(row) == size for row in rows):
            return None
        return [CodedQuote(*row) for row in rows]

    def _read_spots(self, stored: bytes | None) -> Spots | None:
        """The spots on disk when they were saved under ``stored`` and are whole; else None."""
        rows = self._body(SPOTS_FILE, _SPOTS_MAGIC, stored)
        if type(rows) is not list:
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
            spots[anchor] = Spot._make(spot)
        return spots
