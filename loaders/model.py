"""The data model every other part of Zhenggai Reader reads: notices, their sections and paragraphs.

Pure dataclasses; no parsing happens here.  Offsets are character offsets into ``Notice.body``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from .entries import year_of

if TYPE_CHECKING:
    from .rows import StoredOutline

_OUTLINE_LOCK = threading.RLock()

#: Bumped whenever parsing changes what a Notice holds (caches key on it).
LOADER_VERSION = "3"
#: Bumped whenever the ledger rules change what figures a notice yields (the corpus store keeps them).
LEDGER_VERSION = "2"

#: What a stored notice's text is fetched with: its body and a builder of its outline.
BodyLoader = Callable[[], "tuple[str, Callable[[], list[Section]]]"]


class Paragraph(NamedTuple):
    """One line of a notice's body, exactly as the file wrote it (indent stripped).

    A NamedTuple: a large corpus holds hundreds of thousands, built fast from the parse cache.
    """

    text: str
    start: int
    """Offset of the first character in ``Notice.body``."""
    is_heading: bool = False
    """True for the line that opens a section (its numbering and title)."""

    @property
    def end(self) -> int:
        """Offset one past the last character in ``Notice.body``."""
        return self.start + len(self.text)


@dataclass(slots=True)
class Section:
    """A node of a notice's outline: ``二、`` → ``(三)`` → ``5.`` …"""

    id: str
    """Stable numbering path such as ``二/(三)/5`` (``preamble`` and ``closing`` for the edges)."""
    number: str
    """The numbering as the file wrote it, e.g. ``（三）`` or ``5.``; empty for preamble/closing."""
    title: str
    """Heading text without numbering, cut at the first ``。`` of a run-on heading."""
    level: int
    """1 for top-level sections; children are one deeper, whatever numbering kind they use."""
    kind: str
    """Numbering kind: ``cn``, ``paren_cn``, ``problem``, ``arabic``, ``paren_arabic``, ``circled``,
    or ``preamble`` / ``closing``."""
    paragraphs: list[Paragraph] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    fingerprint: str = ""
    """Short hash of the section's own normalised text: equal text, equal fingerprint."""

    def walk(self) -> Iterator[Section]:
        """Yield this section and all its descendants in reading order."""
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def text(self) -> str:
        """The section's own paragraphs joined by newlines (children excluded)."""
        return "\n".join(p.text for p in self.paragraphs)

    def full_text(self) -> str:
        """This section's paragraphs followed by all its descendants' paragraphs."""
        return "\n".join(p.text for s in self.walk() for p in s.paragraphs)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``{id, number, title, level, paragraphs, children}``."""
        return {
            "id": self.id,
            "number": self.number,
            "title": self.title,
            "level": self.level,
            "kind": self.kind,
            "fingerprint": self.fingerprint,
            "paragraphs": [p.text for p in self.paragraphs],
            "children": [c.to_dict() for c in self.children],
        }


@dataclass(slots=True)
class Place:
    """Province, city and district, with the administrative code when the table resolved it."""

    province: str | None = None
    city: str | None = None
    district: str | None = None
    adcode: str | None = None
    """Six-digit county-level code from the shipped table (``210102`` = 沈阳市和平区)."""
    evidence: str | None = None
    """The words the place was read from, and where they stand (``title: 中共沈阳市和平区委``)."""


@dataclass(slots=True)
class NoticeMeta:
    """What a notice says about itself; ``None`` where the text does not say."""

    title: str
    title_derived: bool = False
    """True when the file had no title line and the title was composed from the body."""
    committee: str | None = None
    """The issuing committee, e.g. ``中共沈阳市和平区委``."""
    place: Place = field(default_factory=Place)
    level: str | None = None
    """``巡视`` (provincial) or ``巡察`` (municipal/county)."""
    round: str | None = None
    """e.g. ``十三届省委第四轮``."""
    team: str | None = None
    """e.g. ``省委第三巡视组``."""
    kinds: list[str] = field(default_factory=list)
    """e.g. ``["常规", "营商环境专项"]``."""
    inspection_start: str | None = None
    inspection_end: str | None = None
    feedback_date: str | None = None
    publication_date: str | None = None
    source: str | None = None
    signature_date: str | None = None
    source_url: str | None = None
    """Where the notice was published, when the file says (a saved page's URL, ``og:url``,
    ``<link rel=canonical>``, an MHTML ``Content-Location``, a PDF's metadata)."""
    file_sha256: str | None = None
    """SHA-256 of the file the notice was read from (hex)."""
    file_created: str | None = None
    """The document's own creation date when its format records one (ISO 8601)."""
    file_modified: str | None = None
    """The document's own modification date when its format records one (ISO 8601)."""

    @property
    def year(self) -> int | None:
        """The notice's year: feedback, then publication, signature or inspection year."""
        return year_of(
            self.feedback_date, self.publication_date, self.signature_date, self.inspection_end,
            self.inspection_start,
        )  # fmt: skip


class Notice:
    """One 整改进展情况通报: metadata, body text and its outline.

    A notice read from the corpus store (``loaders.cache``) holds only its metadata until its text is
    first used (``load=``): the district list of thousands of notices needs no text, and
    ``release()`` lets a reader drop the text of notices it no longer shows.  A freshly parsed notice
    may build its outline on first use (``outline=``).
    """

    __slots__ = (
        "_alone", "_body", "_by_id", "_derived", "_load", "_outline", "_sections", "encoding", "file",
        "id", "index_in_file", "meta",
    )  # fmt: skip

    def __init__(
        self,
        id: str,
        meta: NoticeMeta,
        body: str | None,
        sections: list[Section] | None = None,
        file: str = "",
        index_in_file: int = 0,
        encoding: str = "utf-8",
        *,
        outline: Callable[[], list[Section]] | None = None,
        load: BodyLoader | None = None,
        derived: Callable[[str], Any] | None = None,
    ) -> None:
        if body is None and load is None:
            raise ValueError("a notice needs its body or a way to load it")
        self.id = id
        self.meta = meta
        self._body = body
        self._sections = sections
        self._by_id: tuple[list[Section], dict[str, Section]] | None = None
        """The sections by id, with the outline they were read from (``section``)."""
        self._alone: dict[str, Section] | None = None
        """Sections built alone while the outline is not (``lone_section``)."""
        self._outline = outline
        self._load = load
        self._derived = derived
        self.file = file
        """Path of the file the notice came from, as given to the loader."""
        self.index_in_file = index_in_file
        """0-based position of the notice inside a collection file."""
        self.encoding = encoding

    @property
    def body(self) -> str:
        """The notice's text from its opening paragraph to its end, one paragraph per line."""
        body = self._body
        if body is None:
            body = self._fetch()
        return body

    def _fetch(self) -> str:
        with _OUTLINE_LOCK:
            if self._body is None:
                assert self._load is not None  # a notice without a body always has a loader
                body, outline = self._load()
                self._body = body
                if self._sections is None:
                    self._outline = outline
            return self._body

    @property
    def loaded(self) -> bool:
        """True when the text is in memory (always, for a notice not read from the corpus store)."""
        return self._body is not None

    def release(self) -> bool:
        """Drop the text and outline from memory if they can be loaded again; True when dropped."""
        if self._load is None:
            return False
        with _OUTLINE_LOCK:
            self._body = None
            self._sections = None
            self._by_id = None
            self._alone = None
            self._outline = None
        return True

    def derived(self, name: str) -> Any:
        """Data derived from this notice and kept with it in the corpus store (``"ledger"``), or None."""
        return self._derived(name) if self._derived is not None else None

    @property
    def sections(self) -> list[Section]:
        """Top-level sections in reading order (the first is ``preamble`` when the notice opens with one)."""
        sections = self._sections
        if sections is None:
            with _OUTLINE_LOCK:
                if self._sections is None:
                    if self._body is None:
                        self._fetch()
                    self._sections = self._outline() if self._outline is not None else []
                    self._outline = self._alone = None
                sections = self._sections
        return sections

    def section_texts(self) -> list[tuple[str, str, str, str, str]]:
        """Every section in reading order as ``(id, number, title, kind, text)``: read from the stored
        outline without building it when it is not built yet (the search index needs no more)."""
        if self._sections is None:
            with _OUTLINE_LOCK:
                stored = self._stored_outline()
                if stored is not None:
                    return list(stored.section_texts())
        return [(s.id, s.number, s.title, s.kind, s.text) for s in self.walk()]

    def _stored_outline(self) -> StoredOutline | None:
        """The outline as stored while it is not built (the text fetched first), else None; called
        under ``_OUTLINE_LOCK``."""
        from .rows import StoredOutline  # rows builds on this module

        if self._body is None:
            self._fetch()
        outline = self._outline
        return outline if self._sections is None and isinstance(outline, StoredOutline) else None

    def __repr__(self) -> str:
        return f"Notice(id={self.id!r}, title={self.meta.title!r}, file={self.file!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Notice):
            return NotImplemented
        return self._key() == other._key()

    def _key(self) -> tuple[object, ...]:
        return (self.id, self.meta, self.body, self.file, self.index_in_file, self.encoding, self.sections)

    __hash__ = None  # type: ignore[assignment]

    def walk(self) -> Iterator[Section]:
        """Every section in reading order, depth first."""
        for section in self.sections:
            yield from section.walk()

    def section(self, section_id: str) -> Section | None:
        """The section with this id, or ``None``.

        The id may be typed with full-width brackets, digits or slashes and with spaces:
        ``二／（二）／１`` and ``二 / (二) / 1`` both find ``二/(二)/1``.
        """
        sections = self.sections
        by_id = self._by_id
        if by_id is None or by_id[0] is not sections:  # looked up once per outline, not walked each time
            found: dict[str, Section] = {}
            for each in self.walk():
                found.setdefault(each.id, each)
            self._by_id = by_id = (sections, found)
        same = by_id[1].get(section_id)
        if same is not None:
            return same
        from .text import fold

        def key(text: str) -> str:
            return "".join(fold(text).replace("／", "/").split())

        wanted = key(section_id)
        for section in self.walk():
            if key(section.id) == wanted:
                return section
        return None

    def lone_section(self, section_id: str) -> Section | None:
        """``section(section_id)``, built alone with its subsections while the outline is not built
        (a notice read from the corpus store): placing a note needs its section, not the whole outline
        and the table of its ids.  The notice keeps it until it is released or its outline is built;
        from then on, the outline's own section."""
        if self._sections is None:
            with _OUTLINE_LOCK:
                stored = self._stored_outline()
                if stored is not None:
                    kept = self._alone = self._alone or {}
                    if section_id not in kept:
                        for each_id, each in stored.sections_alone(section_id).items():  # subsections too
                            kept.setdefault(each_id, each)
                    section = kept.get(section_id)
                    if section is not None:
                        return section
        return self.section(section_id)

    def paragraphs(self) -> Iterator[Paragraph]:
        """Every paragraph in reading order."""
        for section in self.walk():
            yield from section.paragraphs

    @property
    def title(self) -> str:
        """Shortcut for ``meta.title``."""
        return self.meta.title

    @property
    def province(self) -> str | None:
        """Shortcut for ``meta.place.province``."""
        return self.meta.place.province

    @property
    def city(self) -> str | None:
        """Shortcut for ``meta.place.city``."""
        return self.meta.place.city

    @property
    def district(self) -> str | None:
        """Shortcut for ``meta.place.district``."""
        return self.meta.place.district

    @property
    def level(self) -> str | None:
        """Shortcut for ``meta.level``."""
        return self.meta.level

    @property
    def round(self) -> str | None:
        """Shortcut for ``meta.round``."""
        return self.meta.round

    @property
    def year(self) -> int | None:
        """Shortcut for ``meta.year``."""
        return self.meta.year

    def section_count(self) -> int:
        """Number of numbered sections (preamble and closing not counted).

        A notice from the corpus store whose text is not in memory brings the count stored with it.
        """
        if self._body is None:
            stored = self.derived("section_count")
            if type(stored) is int:
                return stored
        return sum(1 for s in self.walk() if s.kind not in ("preamble", "closing"))

    def to_dict(self, *, with_sections: bool = False) -> dict[str, Any]:
        """A JSON-ready dict of the metadata (and the outline when asked)."""
        meta = self.meta
        data: dict[str, Any] = {
            "id": self.id,
            "title": meta.title,
            "title_derived": meta.title_derived,
            "committee": meta.committee,
            "province": meta.place.province,
            "city": meta.place.city,
            "district": meta.place.district,
            "adcode": meta.place.adcode,
            "place_evidence": meta.place.evidence,
            "level": meta.level,
            "round": meta.round,
            "team": meta.team,
            "kinds": list(meta.kinds),
            "inspection_start": meta.inspection_start,
            "inspection_end": meta.inspection_end,
            "feedback_date": meta.feedback_date,
            "publication_date": meta.publication_date,
            "signature_date": meta.signature_date,
            "source": meta.source,
            "source_url": meta.source_url,
            "file_sha256": meta.file_sha256,
            "file_created": meta.file_created,
            "file_modified": meta.file_modified,
            "file": self.file,
            "index_in_file": self.index_in_file,
            "encoding": self.encoding,
        }
        if with_sections:
            data["sections"] = [s.to_dict() for s in self.sections]
        else:
            data["sections"] = self.section_count()
        return data


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file the loader could not read a notice from, with a one-line reason."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"
