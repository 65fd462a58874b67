"""The last placing of every coded segment, given again while nothing it was made from has changed.

Placing every coded segment of a big store takes seconds (20,000 segments in 2,500 notices: 2-3 s on a
worker, every notice's text read again), and the quote table, the matrix and the codebook each place
them all: going from the quote table to a passage and back, or from the matrix to the quote table,
placed them anew each time.  A placing depends on nothing but the corpus (its notices' texts, which a
``Corpus`` never changes: a reload makes another one), the coded segments and the codes' paths, so it
is kept with a digest of those and the corpus it was made in, and given only to a request whose
digest and corpus are the same.  A change anywhere — a segment added, moved or re-coded, a code
renamed, the store written by another process, the folder reloaded — is another digest or corpus, and
the segments are placed again.
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from ..loaders import Corpus
from .codes import Codebook
from .retrieval import CodedQuote


@dataclass(frozen=True, slots=True)
class PlacingKey:
    """What a placing was made from: the corpus (by identity) and a digest of segments and codes."""

    corpus: weakref.ref[Corpus]
    digest: bytes


def placing_key(corpus: Corpus, book: Codebook, segments: Sequence[dict[str, Any]]) -> PlacingKey | None:
    """The key of placing ``segments`` with ``book`` in ``corpus``; None when they cannot be digested
    (then nothing is kept or given)."""
    digest = hashlib.blake2b(digest_size=20)
    try:
        digest.update(orjson.dumps(segments))
        digest.update(orjson.dumps(sorted((code_id, code.slash) for code_id, code in book.codes.items())))
    except (TypeError, orjson.JSONEncodeError):
        return None
    return PlacingKey(weakref.ref(corpus), digest.digest())


class LastPlacing:
    """The last placing made (one: every screen places the same whole store).  ``get`` may be called
    from a worker while ``keep`` runs on another thread: the key and its quotes are one value."""

    def __init__(self) -> None:
        self._last: tuple[PlacingKey, list[CodedQuote]] | None = None

    def get(self, key: PlacingKey | None) -> list[CodedQuote] | None:
        """The quotes placed under ``key`` (a copy of the list), or None."""
        last = self._last
        if key is None or last is None or key.digest != last[0].digest:
            return None
        corpus = key.corpus()
        if corpus is None or corpus is not last[0].corpus():
            return None
        return list(last[1])

    def keep(self, key: PlacingKey | None, quotes: list[CodedQuote]) -> None:
        """Keep ``quotes``, placed under ``key`` (forgets the one before; nothing kept when None)."""
        self._last = (key, list(quotes)) if key is not None else None

    def forget(self) -> None:
        """Keep nothing (the quotes' memory is freed)."""
        self._last = None
