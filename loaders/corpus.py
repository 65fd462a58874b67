"""Files and folders → a Corpus of notices, going on past bad files and saying why each was skipped."""

from __future__ import annotations

import errno
import gc
import os
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from .. import sample_data
from .cache import FileStatus, NoticeUnavailable, ParseCache, content_key
from .catalog import CATALOG_COLUMNS, Catalog
from .model import Notice, Place, SkippedFile
from .printable import path_text
from .rows import PLACE_COLUMNS, meta_values
from .snapshot import FileRecord, NoticeRecord, SnapshotMiss, file_status, read_snapshot, write_snapshot
from .text import DecodeError, clean

#: File endings read as notices when a folder is loaded.
NOTICE_SUFFIXES = (".txt", ".text", ".html", ".htm", ".md", ".pdf", ".docx", ".doc", ".wps", ".mht", ".mhtml")
#: A notice is a few hundred KB; a whole province's round in one file a few MB.  Above this, a file is
#: skipped with its size rather than read into memory.
MAX_FILE_BYTES = 64 * 1024 * 1024
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


def sample_data_paths() -> list[Path]:
    """The bundled sample notice files, found in the installed package (editable or not).

    The package's own folder, not ``importlib.resources``: a wheel installs it as files, and
    ``resources.files`` imports ``zipfile`` (4.5 ms of the reader's start)."""
    folder = Path(sample_data.__file__).parent
    return sorted(entry for entry in folder.iterdir() if entry.name.endswith(".txt"))


def iter_files(paths: Iterable[Path]) -> Iterator[tuple[Path, SkippedFile | None]]:
    """Every notice file under ``paths`` (folders recursively, sorted), or why a path is unusable.

    Linked folders are not entered (no loops, nothing outside the folder by surprise); linked files
    are followed wherever they point, and ``read_file_bytes`` reads only regular files.
    """
    for name, problem in iter_file_names(os.fspath(p) for p in paths):
        yield Path(name), problem


def iter_file_names(paths: Iterable[str]) -> Iterator[tuple[str, SkippedFile | None]]:
    """``iter_files`` with the paths as strings (a path object costs more than the walk itself)."""
    for path in paths:
        if os.path.isdir(path):
            found = False
            for name in _notice_names(path):
                found = True
                yield name, None
            if not found:
                yield (
                    path,
                    SkippedFile(
                        path_text(path), "no notice files (.txt, .html, .mht, .pdf, .docx) in this folder"
                    ),
                )
        elif os.path.lexists(path):
            yield path, None  # a file, or something that is not: read_file_bytes says which
        else:
            yield path, SkippedFile(path_text(path), "no such file or folder")


def _notice_names(folder: str) -> Iterator[str]:
    """The notice files in a folder and its sub-folders, as ``os.walk`` finds them (each folder's
    files sorted, then its sub-folders in order; hidden ones and linked folders left out), from
    ``os.scandir`` directly: a third cheaper at tens of thousands of files."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        return
    folders: list[str] = []
    files: list[str] = []
    for entry in entries:
        try:
            is_folder = entry.is_dir()
        except OSError:
            is_folder = False
        (folders if is_folder else files).append(entry.name)
    prefix = os.path.join(folder, "")
    files.sort()
    yield from [prefix + name for name in files if name.lower().endswith(NOTICE_SUFFIXES) and name[:1] != "."]
    for name in sorted(name for name in folders if name[:1] != "."):
        if not os.path.islink(prefix + name):
            yield from _notice_names(prefix + name)


def read_file_bytes(path: Path | str, limit: int = MAX_FILE_BYTES) -> bytes:
    """A regular file's bytes, read without ever blocking (FIFOs, devices and sockets are refused).

    Raises:
        DecodeError: with a one-line reason the file is not read.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket, or a FIFO some systems refuse to open
            raise DecodeError("not a regular file (a socket or pipe)") from None
        raise DecodeError(f"cannot read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
            raise DecodeError(f"not a regular file ({kind}); only files are read")
        if info.st_size > limit:
            raise DecodeError(
                f"file too large ({info.st_size / 1048576:.0f} MB; the limit is {limit >> 20} MB)"
            )
        try:
            raw = handle.read(limit + 1)
        except OSError as exc:
            raise DecodeError(f"cannot read: {exc.strerror or exc}") from None
    if raw is None or len(raw) > limit:  # grew while being read
        raise DecodeError(f"file too large (over {limit >> 20} MB)")
    return raw


def read_notices(path: Path, cache: ParseCache | None = None) -> tuple[list[Notice], list[str]]:
    """The notices in one file and warnings about it (from the parse cache when it has them).

    Raises:
        DecodeError: with the one-line reason the file yields nothing.
    """
    notices, warnings, _ = read_notices_keyed(path, cache)
    return notices, warnings


def read_notices_keyed(
    path: Path | str, cache: ParseCache | None = None, status: FileStatus | None = None
) -> tuple[list[Notice], list[str], str]:
    """``read_notices``, and the content key of the file's bytes (what anything derived from it —
    the corpus store, the search index — is keyed on).

    With a store, a file exactly as when it was last read (size, times, inode) is not read at all.
    ``status`` is the file's status taken just before (``snapshot.file_status``), if any.
    """
    name = path_text(path)
    if cache is None:
        raw = read_file_bytes(path)
        return (*parse_bytes(raw, name), content_key(raw))
    info = _regular_stat(path, status)
    reread = _rereader(path, name)
    if info is not None:
        known = cache.known_key(path, info)
        stored = cache.get(known, name, reread) if known is not None else None
        if known is not None and stored is not None:
            return (*stored, known)
    raw = read_file_bytes(path)
    key = content_key(raw)
    stored = cache.get(key, name, reread)
    if stored is None:
        stored = parse_bytes(raw, name)
        cache.put(key, *stored)
        # keep the metadata only, as a warm load would: the texts of thousands of notices stay on disk
        stored = cache.get(key, name, reread) or stored
    if info is not None:
        cache.remember(path, info, key)
    return (*stored, key)


def _regular_stat(path: Path | str, status: FileStatus | None = None) -> FileStatus | None:
    """The file's status when it is a regular file of a size that is read, else None."""
    info = status or file_status(os.fspath(path))
    return info if info is not None and stat.S_ISREG(info[5]) and info[1] <= MAX_FILE_BYTES else None


def _rereader(path: Path | str, name: str) -> Callable[[int], Notice]:
    """Parse the file again for one of its notices (when the store lost a notice's text)."""

    parsed: list[Notice] = []  # a collection's notices are parsed once for all of them

    def reread(index: int) -> Notice:
        try:
            if not parsed:
                parsed[:] = parse_bytes(read_file_bytes(path), name)[0]
            return parsed[index]
        except (DecodeError, IndexError) as exc:
            raise NoticeUnavailable(f"cannot read the notice again from {name}: {exc}") from None

    return reread


def parse_bytes(raw: bytes, file: str) -> tuple[list[Notice], list[str]]:
    """The notices in a file's bytes and warnings about it: plain text, a saved web page or web archive,
    a PDF or a Word document (told by the bytes, then the file's ending), each notice with the file's
    provenance (source URL, SHA-256, the document's own dates).

    Raises:
        DecodeError: with the one-line reason the bytes yield nothing.
    """
    from .formats import extract_document  # each form's library loads only when such a file is read

    document = extract_document(raw, file)
    from .parse import parse_text  # the parser's rules compile only when a file is not in the cache

    notices, report = parse_text(clean(document.text), file, document.encoding)
    if not notices:
        raise DecodeError("no notice found")
    document.provenance.stamp(notices)
    return notices, [*document.warnings, *report.warnings]


class Corpus:
    """The loaded notices, the files skipped and the warnings, in load order.

    A corpus opened from the store's snapshot (``from_snapshot``) builds its ``Notice`` objects only
    when they are used: ``get`` and ``resolve`` build the ones they return, ``column`` reads metadata
    without any, and ``notices`` builds them all on first use (``loaders.catalog``).
    """

    __slots__ = (
        "__weakref__", "_by_id", "_catalog", "_lock", "_notices", "file_keys", "from_snapshot", "skipped",
        "snapshot_digest", "store", "warnings",
    )  # fmt: skip

    def __init__(
        self,
        notices: list[Notice] | None = None,
        skipped: list[SkippedFile] | None = None,
        warnings: list[SkippedFile] | None = None,
        file_keys: dict[str, str] | None = None,
        store: ParseCache | None = None,
        from_snapshot: bool = False,
    ) -> None:
        self._notices: list[Notice] | None = []
        self._by_id: dict[str, Notice] = {}
        self._catalog: Catalog | None = None
        self._lock = threading.RLock()
        self.skipped: list[SkippedFile] = skipped if skipped is not None else []
        self.warnings: list[SkippedFile] = warnings if warnings is not None else []
        self.file_keys: dict[str, str] = file_keys if file_keys is not None else {}
        """Each loaded file's content key (``cache.content_key``), by the name notices carry in ``file``."""
        self.store = store
        """The corpus store the notices were opened from (``None``: parsed without one)."""
        self.from_snapshot = from_snapshot
        """True when no file changed since the last load of these paths and the store's snapshot of it
        was opened (``loaders.snapshot``)."""
        self.snapshot_digest: str | None = None
        """The digest of the snapshot opened, while the corpus is exactly what it holds (``add`` clears
        it): the same digest, the same files and notices."""
        for notice in notices or []:
            self.add(notice)

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> Corpus:
        """A corpus of a snapshot's notices, each built when first used."""
        corpus = cls(None, catalog.skipped, catalog.warnings, catalog.file_keys, catalog.cache, True)
        corpus._catalog = catalog
        corpus._notices = None
        corpus.snapshot_digest = catalog.snapshot.digest
        return corpus

    @property
    def notices(self) -> list[Notice]:
        """Every notice, in load order."""
        notices = self._notices
        if notices is None:
            with self._lock:
                if self._notices is None and self._catalog is not None:
                    built = self._catalog.notices()
                    self._by_id = {n.id: n for n in built}
                    self._notices = built
                notices = self._notices or []
        return notices

    def __repr__(self) -> str:
        return f"Corpus({len(self)} notices, {len(self.skipped)} skipped, {len(self.warnings)} warnings)"

    def add(self, notice: Notice) -> bool:
        """Add a notice; False (and a warning) when the same notice is already loaded."""
        notices = self.notices
        self.snapshot_digest = None
        existing = self._by_id.get(notice.id)
        if existing is not None:
            self.warnings.append(SkippedFile(notice.file, f"duplicate of {notice.id} in {existing.file}"))
            return False
        self._by_id[notice.id] = notice
        notices.append(notice)
        return True

    def get(self, notice_id: str) -> Notice | None:
        """The notice with exactly this id."""
        if self._notices is None and self._catalog is not None:
            position = self._catalog.position(notice_id)
            return self._catalog.notice(position) if position is not None else None
        return self._by_id.get(notice_id)

    def notice(self, position: int) -> Notice:
        """The notice at this position of ``notices`` (built alone when not all are)."""
        if self._notices is None and self._catalog is not None:
            return self._catalog.notice(range(len(self._catalog))[position])
        return self.notices[position]

    def column(self, name: str) -> list[Any]:
        """One value per notice, in order: ``id``, ``file``, ``index_in_file``, ``encoding``,
        ``section_count``, or a metadata field (the place's as ``province``, ``city``, ``district``,
        ``adcode``, ``place_evidence``), read without building notices when opened from a snapshot.
        The list may be the corpus's own: not to be changed."""
        if name not in CATALOG_COLUMNS:
            raise KeyError(name)
        if self._notices is None and self._catalog is not None:
            return self._catalog.column(name)
        return [notice_value(notice, name) for notice in self.notices]

    def summary_columns(self, positions: Sequence[int] | None = None) -> list[list[Any]]:
        """The values of ``summaries`` as columns, in ``SUMMARY_KEYS`` order (not to be changed)."""
        columns = [self.column(name) for name in _SUMMARY_COLUMNS]
        if positions is not None and len(positions) != len(self):
            columns = [[column[at] for at in positions] for column in columns]
        return columns

    def summaries(self, positions: Sequence[int] | None = None) -> list[dict[str, Any]]:
        """``Notice.to_dict()`` of every notice (or of those at ``positions``), read from the metadata
        columns: no notice is built."""
        return summaries_of(self.summary_columns(positions))

    def resolve(self, query: str) -> list[Notice]:
        """Notices matching an id, a unique id prefix, a district or ``city district`` name.

        An exact id wins; otherwise every match is returned and more than one means ambiguous.
        """
        query = query.strip()
        exact = self.get(query)
        if exact is not None:
            return [exact]
        ids = self.column("id")
        by_prefix = [at for at, notice_id in enumerate(ids) if notice_id.startswith(query)]
        if by_prefix:
            return [self.notice(at) for at in by_prefix]
        words = query.replace("›", " ").replace("/", " ").split()
        matches = []
        if words:
            places = zip(self.column("province"), self.column("city"), self.column("district"), strict=True)
            for at, place in enumerate(places):
                names = [x for x in place if x]
                if all(any(w == n or n.startswith(w) for n in names) for w in words):
                    matches.append(at)
        if not matches and query:
            matches = [at for at, title in enumerate(self.column("title")) if query in title]
        return [self.notice(at) for at in matches]

    def __len__(self) -> int:
        if self._notices is None and self._catalog is not None:
            return len(self._catalog)
        return len(self.notices)


def summaries_of(columns: Sequence[list[Any]]) -> list[dict[str, Any]]:
    """``Notice.to_dict()`` of each notice from its values in ``Corpus.summary_columns``."""
    return [
        {
            "id": a, "title": b, "title_derived": c, "committee": d, "province": e, "city": f,
            "district": g, "adcode": h, "place_evidence": i, "level": j, "round": k, "team": ll,
            "kinds": list(m), "inspection_start": n, "inspection_end": o, "feedback_date": p,
            "publication_date": q, "signature_date": r, "source": s, "source_url": t,
            "file_sha256": u, "file_created": v, "file_modified": w, "file": x, "index_in_file": y,
            "encoding": z, "sections": sections,
        }  # a dict display: several times faster than dict(zip(...)) for thousands of notices
        for a, b, c, d, e, f, g, h, i, j, k, ll, m, n, o, p, q, r, s, t, u, v, w, x, y, z, sections
        in zip(*columns, strict=True)
    ]  # fmt: skip


def notice_value(notice: Notice, name: str) -> Any:
    """A notice's value in a ``Corpus.column``."""
    if name in _NOTICE_VALUES:
        return notice.section_count() if name == "section_count" else getattr(notice, name)
    place = _PLACE_VALUES.get(name)
    return getattr(notice.meta.place, place) if place is not None else getattr(notice.meta, name)


#: ``Notice.to_dict``'s keys, and the column each is read from.
SUMMARY_KEYS = (
    "id", "title", "title_derived", "committee", "province", "city", "district", "adcode", "place_evidence",
    "level", "round", "team", "kinds", "inspection_start", "inspection_end", "feedback_date",
    "publication_date", "signature_date", "source", "source_url", "file_sha256", "file_created",
    "file_modified", "file", "index_in_file", "encoding", "sections",
)  # fmt: skip
_SUMMARY_COLUMNS = tuple("section_count" if key == "sections" else key for key in SUMMARY_KEYS)
_NOTICE_VALUES = frozenset({"id", "file", "index_in_file", "encoding", "section_count"})
_PLACE_VALUES = dict(zip(PLACE_COLUMNS, (f.name for f in fields(Place)), strict=True))


ProgressCallback = Callable[[int, int, Path], None]


def load_corpus(
    paths: Iterable[Path] | None = None,
    progress: ProgressCallback | None = None,
    *,
    cache_dir: Path | None = None,
    found: Callable[[list[Notice]], None] | None = None,
) -> Corpus:
    """Load files and folders (the bundled samples when ``paths`` is None) into a Corpus.

    ``found`` receives each file's notices as they are added (a reader shows them while the rest load).
    Bad files are recorded in ``Corpus.skipped`` with a one-line reason; loading goes on.  With
    ``cache_dir``, parsed notices are kept in the corpus store there (``loaders.cache``): unchanged
    files are not parsed again, nor even read, and notices' texts are read when first used.
    """
    targets = [os.fspath(p) for p in (sample_data_paths() if paths is None else paths)]
    walk = list(iter_file_names(targets))
    cache = ParseCache(cache_dir) if cache_dir is not None else None
    # Loading creates hundreds of thousands of long-lived objects; the cyclic garbage collector would
    # walk them over and over (it is most of the time of a warm load), and they hold no cycles to free.
    collecting = gc.isenabled()
    gc.disable()
    try:
        opened = _open_snapshot(walk, targets, cache, progress, found) if cache is not None else None
        corpus = opened or _load_files(walk, targets, cache, progress, found)
    finally:
        if collecting:
            gc.enable()
    return corpus


def _open_snapshot(
    walk: list[tuple[str, SkippedFile | None]],
    targets: list[str],
    cache: ParseCache,
    progress: ProgressCallback | None,
    found: Callable[[list[Notice]], None] | None,
) -> Corpus | None:
    """The corpus as the last load of these paths found it, when no file changed since."""
    try:
        corpus = Corpus.from_catalog(Catalog(cache, read_snapshot(cache, targets, walk), _rereader))
    except SnapshotMiss:
        return None
    if found is not None and len(corpus):
        found(corpus.notices)
    if progress is not None and walk:
        progress(len(walk), len(walk), Path(walk[-1][0]))
    return corpus


def _load_files(
    walk: list[tuple[str, SkippedFile | None]],
    targets: list[str],
    cache: ParseCache | None,
    progress: ProgressCallback | None,
    found: Callable[[list[Notice]], None] | None = None,
) -> Corpus:
    corpus = Corpus(store=cache)
    if cache is not None:
        cache.prefetch([Path(name) for name, problem in walk if problem is None])
    records: list[FileRecord] = []
    rows: list[NoticeRecord] = []
    statuses: dict[str, FileStatus] = {}
    for done, (path, problem) in enumerate(walk, start=1):
        if problem is not None:
            corpus.skipped.append(problem)
            continue
        name = path_text(path)
        status = file_status(path)
        if status is not None:
            statuses[path] = status
        try:
            notices, warnings, key = read_notices_keyed(path, cache, status)
        except DecodeError as exc:
            corpus.skipped.append(SkippedFile(name, str(exc)))
            records.append((name, str(exc)))
        except (ValueError, LookupError, RecursionError, MemoryError) as exc:
            # a parser fault on one hostile file must not cost the user the rest of the folder
            reason = f"could not be parsed ({type(exc).__name__}: {exc})"
            corpus.skipped.append(SkippedFile(name, reason))
            records.append((name, reason))
        else:
            corpus.warnings.extend(SkippedFile(name, w) for w in warnings)
            corpus.file_keys[name] = key
            rows.extend((n.id, n.encoding, n.section_count(), *meta_values(n.meta)) for n in notices)
            records.append((path, name, key, list(warnings), len(notices)))
            added = [notice for notice in notices if corpus.add(notice)]
            if found is not None and added:
                found(added)
        if progress is not None:
            progress(done, len(walk), Path(path))
    if cache is not None and cache.problem is None:
        write_snapshot(cache, targets, walk, statuses, records, rows)
    return corpus
