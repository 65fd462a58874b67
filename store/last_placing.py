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

The placing is kept on disk too (``placing.bin`` in the cache folder), so the reader started again on
the same folder and store fills its coding screens at once: the file's key is the same digest with the
corpus's own (every file's path and content key, which names the loader that parsed it), and a file
that is damaged, of another version or made from anything else is simply not used.
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
from .storage import remove_stale_temporaries

#: The last placing on disk, in the cache folder.
PLACING_FILE = "placing.bin"
#: The file's first line; then the BLAKE2b digest of the rest, then the rest (``marshal``).
_MAGIC = b"zhenggai placing 1\n"
_CHECK = 32
_FIELDS = tuple(f.name for f in fields(CodedQuote))
#: A save killed midway leaves its temporary file: the next save clears those older than this (ns).
_STALE_NS = 60 * 10**9


@dataclass(frozen=True, slots=True)
class PlacingKey:
    """What a placing was made from: the corpus (by identity) and a digest of segments and codes;
    ``stored``: that digest with the corpus's content (the key on disk), None when it has none."""

    corpus: weakref.ref[Corpus]
    digest: bytes
    stored: bytes | None = None


def placing_key(corpus: Corpus, book: Codebook, segments: Sequence[dict[str, Any]]) -> PlacingKey | None:
    """The key of placing ``segments`` with ``book`` in ``corpus``; None when they cannot be digested
    (then nothing is kept or given)."""
    digest = hashlib.blake2b(digest_size=20)
    try:
        digest.update(orjson.dumps(segments))
        digest.update(orjson.dumps(sorted((code_id, code.slash) for code_id, code in book.codes.items())))
    except (TypeError, orjson.JSONEncodeError):
        return None
    made = digest.digest()
    stored = None
    if corpus.file_keys:  # the corpus's files and their content keys (loader version included)
        content = hashlib.blake2b(made, digest_size=20)
        content.update(orjson.dumps([_FIELDS, sorted(corpus.file_keys.items())]))
        stored = content.digest()
    return PlacingKey(weakref.ref(corpus), made, stored)


class LastPlacing:
    """The last placing made (one: every screen places the same whole store), and the one on disk in
    ``folder`` (the cache folder; None: memory only).  ``get`` and ``save`` run on a worker (they may
    read or write the file) while ``keep`` runs on another thread: the key and its quotes are one value."""

    def __init__(self, folder: Path | None = None) -> None:
        self._last: tuple[PlacingKey, list[CodedQuote]] | None = None
        self.folder = folder

    def get(self, key: PlacingKey | None) -> list[CodedQuote] | None:
        """The quotes placed under ``key`` (a copy of the list), or None: kept in memory, or on disk."""
        last = self._last
        corpus = key.corpus() if key is not None else None
        if key is None or corpus is None:
            return None
        if last is not None and key.digest == last[0].digest and corpus is last[0].corpus():
            return list(last[1])
        read = self._read(key.stored)
        if read is None:
            return None
        self._last = (key, read)
        return list(read)

    def save(self, key: PlacingKey | None, quotes: list[CodedQuote]) -> None:
        """Write ``quotes``, placed under ``key``, to the file (in place of the one before, whole or not
        at all); a folder that cannot be written keeps nothing."""
        if self.folder is None or key is None or key.stored is None:
            return
        rows = [tuple(getattr(quote, name) for name in _FIELDS) for quote in quotes]
        body = marshal.dumps((key.stored, rows))
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

    def _read(self, stored: bytes | None) -> list[CodedQuote] | None:
        """The quotes in the file when it was saved under ``stored`` and is whole; else None."""
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
        size = len(_FIELDS)
        if not all(type(row) is tuple and len(row) == size for row in rows):
            return None
        return [CodedQuote(*row) for row in rows]

    def keep(self, key: PlacingKey | None, quotes: list[CodedQuote]) -> None:
        """Keep ``quotes``, placed under ``key`` (forgets the one before; nothing kept when None)."""
        self._last = (key, list(quotes)) if key is not None else None

    def forget(self) -> None:
        """Keep nothing (the quotes' memory is freed)."""
        self._last = None
