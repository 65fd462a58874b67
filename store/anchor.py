"""Anchoring notes and bookmarks so they survive re-parsing and edits (W3C Web Annotation selectors).

An anchor keeps the notice id, the section id and title, the section's fingerprint, the exact quoted
text with a little prefix and suffix (``TextQuoteSelector``), and the quote's position in its section
(``offset``, counted in normalised characters: a ``TextPositionSelector`` that survives re-encoding) and
the notice's place.  Re-attaching works on text normalised for width, punctuation style and whitespace,
so a re-encoded or re-punctuated file still matches, and only ever lands on one passage it can vouch for:

* in the anchor's own section (still there under its id, with its title or fingerprint), a match its
  stored position or context confirms, or the only match of a long quote;
* elsewhere in the notice only a match whose prefix and suffix confirm it, and no other does;
* otherwise the anchor is *detached* — listed as such, never moved to a look-alike passage.

Across notices (a notice whose id changed when its opening was edited) see ``store.locate``.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Any, Literal

from ..loaders import Notice, Section, fold
from ..loaders.entries import Listed

CONTEXT = 32
WHOLE_SECTION_QUOTE = 200
#: Share of the stored prefix+suffix that must agree around a match in the anchor's own section (or one
#: whole side of at least ``INTACT_SIDE`` characters) …
OWN_CONFIRM = 0.5
INTACT_SIDE = 12
#: … and around a match anywhere else in the notice (or in another notice, after an id change).
ELSEWHERE_CONFIRM = 0.8
#: A quote at least this long (normalised) that occurs once in the notice, in its own section, needs no
#: context: nothing else in the notice could be meant.
DISTINCT = 12
_SPACE = re.compile(r"\s+")
#: Quotation marks a re-punctuated copy may swap (one character for one, so offsets still hold).
_QUOTE_MARKS = {"“": '"', "”": '"', "「": '"', "」": '"', "‘": "'", "’": "'", "『": "'", "』": "'"}


def _plain_quotes(text: str) -> str:
    """The quotation marks a re-punctuated copy may swap made plain: a replace for each mark the text
    holds (``str.translate`` over CJK text took 20 times as long, a regex calling back for every mark of
    a notice 3.6 times)."""
    for mark, plain in _QUOTE_MARKS.items():
        if mark in text:
            text = text.replace(mark, plain)
    return text


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a note or bookmark points."""

    notice_id: str
    section_id: str
    section_title: str
    exact: str
    """The quoted passage; for a whole-section anchor, the section's first paragraph (its heading)."""
    prefix: str = ""
    suffix: str = ""
    fingerprint: str = ""
    """The section's content fingerprint when the anchor was made."""
    whole_section: bool = False
    """True when the anchor is the section itself rather than a quoted span in it."""
    offset: int = -1
    """Where ``exact`` starts in its section's text (``Section.full_text``), in normalised characters
    (width-folded, whitespace removed); -1 when unknown (anchors saved before schema 2)."""
    place: str = ""
    """``province/city/district/year`` of the notice when the anchor was made ("" when unknown)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Anchor:
        """From a stored record (unknown keys ignored, missing or mistyped ones as unknown)."""

        def text(key: str) -> str:
            value = data.get(key, "")
            return value if isinstance(value, str) else ""

        offset = data.get("offset", -1)
        return cls(
            text("notice_id"),
            text("section_id"),
            text("section_title"),
            text("exact"),
            text("prefix"),
            text("suffix"),
            text("fingerprint"),
            data.get("whole_section") is True,
            offset if isinstance(offset, int) and not isinstance(offset, bool) and offset >= 0 else -1,
            text("place"),
        )


@dataclass(frozen=True, slots=True)
class Attachment:
    """Where an anchor lands in a (re-)parsed notice."""

    status: Literal["attached", "section", "detached"]
    """``attached``: the quote was found; ``section``: the quote is gone but the section is unchanged
    (whole-section anchors); ``detached``: it cannot be placed with confidence."""
    section_id: str | None = None
    start: int = -1
    end: int = -1
    reason: str = ""
    notice_id: str = ""
    """The notice it landed in ("" when detached); differs from the anchor's after an id change."""


def notice_place(notice: Listed) -> str:
    """``province/city/district/year`` of a notice (or of its list entry, ``loaders.entries``), as
    anchors record it."""
    parts = (notice.province, notice.city, notice.district, str(notice.year or ""))
    return "/".join(p or "" for p in parts)


class Offsets:
    """Where each character of a normalised text was in the original: kept as the runs between
    whitespace (a notice's paragraphs, mostly), each run's start in both texts, so making them is a step
    per paragraph, not per character."""

    __slots__ = ("_length", "_normal", "_original")

    def __init__(self, normal: Sequence[int], original: Sequence[int], length: int) -> None:
        self._normal = normal
        """Each run's start in the normalised text (increasing)."""
        self._original = original
        """Each run's start in the original (increasing)."""
        self._length = length
        """The normalised text's length."""

    def original(self, at: int) -> int:
        """The original offset of normalised character ``at`` (``0 <= at <`` the normalised length)."""
        run = bisect_right(self._normal, at) - 1
        return self._original[run] + at - self._normal[run]

    def normal(self, at: int) -> int:
        """How many normalised characters come from before original offset ``at``: where the text from
        ``at`` on starts in the normalised text."""
        run = bisect_left(self._original, at) - 1
        if run < 0:
            return 0
        kept = (self._normal[run + 1] if run + 1 < len(self._normal) else self._length) - self._normal[run]
        return self._normal[run] + min(at - self._original[run], kept)


def _normalise(text: str) -> tuple[str, Offsets]:
    """Width-folded text without whitespace, and where each kept character was in ``text``.

    Character by character (each is folded, made plain or dropped on its own), so the normalised form
    of a slice of a text is the same slice of the text's normalised form.
    """
    folded = _plain_quotes(fold(text))
    kept = folded.split()  # the runs between whitespace (``str.split``: the same whitespace as ``\s``)
    original = array("I")
    at = 0
    find = folded.find
    for run in kept:  # a notice has a hundred or so: its paragraphs
        at = find(run, at)  # only whitespace comes before it
        original.append(at)
        at += len(run)
    normal = array("I", accumulate(map(len, kept), initial=0))
    length = normal.pop()
    return "".join(kept), Offsets(normal, original, length)


#: Cached: placing every note of a notice normalises its body once, not once per note (notices are
#: placed one after another, so a few suffice).
_normal = lru_cache(maxsize=16)(_normalise)


def _norm(text: str) -> str:
    return _SPACE.sub("", _plain_quotes(fold(text)))


def _span(section: Section) -> tuple[int, int] | None:
    """Where a section and its descendants are in the notice body (paragraphs are contiguous)."""
    paragraphs = [p for s in section.walk() for p in s.paragraphs]
    return (paragraphs[0].start, paragraphs[-1].end) if paragraphs else None


def make_anchor(notice: Notice, section_id: str, quote: str | None = None) -> Anchor:
    """Anchor the whole section, or ``quote`` inside it (it must occur in the section's text).

    Raises:
        ValueError: the section does not exist, or the quote is not in it.
    """
    section = notice.section(section_id)
    if section is None:
        raise ValueError(f"{notice.id} has no section {section_id!r}")
    text = section.full_text()
    whole = quote is None or not quote.strip()
    if whole:
        exact, at = (section.paragraphs[0].text if section.paragraphs else text)[:WHOLE_SECTION_QUOTE], 0
    else:
        exact = (quote or "").strip()
        at = text.find(exact)
        if at < 0:
            normal, offsets = _normal(text)
            found = normal.find(_norm(exact))
            if found < 0 or not _norm(exact):
                raise ValueError(f"the quote is not in section {section_id} of {notice.id}")
            at = offsets.original(found)
            exact = text[at : offsets.original(found + len(_norm(exact)) - 1) + 1]
    span = _span(section)
    body_at = (
        span[0] if span and notice.body[span[0] : span[0] + len(text)] == text else notice.body.find(text)
    )
    start = (body_at if body_at >= 0 else 0) + at
    prefix = notice.body[max(0, start - CONTEXT) : start]
    suffix = notice.body[start + len(exact) : start + len(exact) + CONTEXT]
    offset = _normal(text)[1].normal(at)
    return Anchor(
        notice.id,
        section.id,
        section.title,
        exact,
        prefix,
        suffix,
        section.fingerprint,
        whole,
        offset,
        notice_place(notice),
    )


def _section_at(notice: Notice, offset: int) -> str | None:
    return _section_in(notice.walk(), offset)


def _section_in(sections: Iterable[Section], offset: int) -> str | None:
    for section in sections:
        for paragraph in section.paragraphs:
            if paragraph.start <= offset < paragraph.end + 1:
                return section.id
    return None


def _own_section(anchor: Anchor, notice: Notice) -> Section | None:
    """The anchor's section, when the section of that id is still the same one (its fingerprint or
    title agrees; an anchor that recorded neither takes the id's word)."""
    section = notice.lone_section(anchor.section_id) if anchor.section_id else None
    if section is None:
        return None
    if anchor.fingerprint and section.fingerprint == anchor.fingerprint:
        return section
    if _norm(section.title) == _norm(anchor.section_title):
        return section
    return section if not anchor.section_title and not anchor.fingerprint else None


@dataclass(frozen=True, slots=True)
class _Context:
    """The anchor's normalised prefix and suffix, scored against each match."""

    prefix: str
    suffix: str

    @property
    def size(self) -> int:
        return len(self.prefix) + len(self.suffix)

    def score(self, body: str, hit: int, length: int) -> int:
        """How many characters of prefix and suffix agree around ``hit``."""
        before = body[max(0, hit - len(self.prefix)) : hit]
        after = body[hit + length : hit + length + len(self.suffix)]
        return _overlap_end(before, self.prefix) + _overlap_start(after, self.suffix)

    def intact(self, body: str, hit: int, length: int) -> bool:
        """True when a whole side (prefix or suffix, long enough to mean something) agrees."""
        before = body[max(0, hit - len(self.prefix)) : hit]
        after = body[hit + length : hit + length + len(self.suffix)]
        return (len(self.prefix) >= INTACT_SIDE and before == self.prefix) or (
            len(self.suffix) >= INTACT_SIDE and after == self.suffix
        )

    def confirms(self, score: int, share: float) -> bool:
        """True when ``score`` is at least ``share`` of the stored context."""
        return self.size > 0 and score >= share * self.size


def _unique_best(hits: list[int], scores: dict[int, int]) -> int | None:
    if not hits:
        return None
    best = max(scores[h] for h in hits)
    top = [h for h in hits if scores[h] == best]
    return top[0] if len(top) == 1 else None


def _occurrences(body: str, exact: str) -> list[int]:
    """Where ``exact`` starts in ``body``, overlapping matches too (``str.find``: several times faster
    than a look-ahead regex over a whole notice)."""
    hits: list[int] = []
    at = body.find(exact)
    while at >= 0:
        hits.append(at)
        at = body.find(exact, at + 1)
    return hits


def _choose(
    anchor: Anchor, notice: Notice, body: str, offsets: Offsets, exact: str, strict: bool
) -> tuple[int | None, str]:
    """The one match to attach to, or None and why not."""
    hits = _occurrences(body, exact)
    if not hits:
        return None, "the quoted passage is no longer in the notice"
    context = _Context(_norm(anchor.prefix), _norm(anchor.suffix))
    scores = {h: context.score(body, h, len(exact)) for h in hits}
    own = _own_section(anchor, notice)
    span = _span(own) if own is not None else None
    own_hits: list[int] = []
    low = 0
    if span is not None:
        low, high = offsets.normal(span[0]), offsets.normal(span[1])
        own_hits = [h for h in hits if low <= h < high]
    if own_hits:
        assert own is not None
        # the section's own text (before its subsections) is what its fingerprint vouches for
        in_own_text = [h for h in own_hits if h < low + len(_norm(own.text))]
        unchanged = not strict and bool(anchor.fingerprint) and own.fingerprint == anchor.fingerprint
        at_offset = [h for h in own_hits if anchor.offset >= 0 and h - low == anchor.offset]
        if unchanged and len(at_offset) == 1 and at_offset[0] in in_own_text:
            return at_offset[0], ""  # the same text: the stored position decides
        if strict:
            confirmed = [h for h in own_hits if context.confirms(scores[h], ELSEWHERE_CONFIRM)]
        else:
            confirmed = [
                h
                for h in own_hits
                if context.confirms(scores[h], OWN_CONFIRM) or context.intact(body, h, len(exact))
            ]
        best = _unique_best(confirmed, scores)
        if best is None and confirmed:  # equally good context: only the stored position breaks the tie
            top = max(scores[h] for h in confirmed)
            tied = [h for h in confirmed if scores[h] == top and h in at_offset]
            best = tied[0] if len(tied) == 1 else None
        if best is not None:
            return best, ""
        alone = len(own_hits) == 1 and not strict
        if alone and ((unchanged and own_hits == in_own_text) or (len(exact) >= DISTINCT and len(hits) == 1)):
            return own_hits[0], ""
    elsewhere = [h for h in hits if context.confirms(scores[h], ELSEWHERE_CONFIRM)]
    if len(elsewhere) == 1:
        return elsewhere[0], ""
    if len(hits) > 1:
        return None, "the quote occurs several times and its context does not decide"
    return None, "the quote is only in another passage, which its context does not confirm"


def _where_it_was(anchor: Anchor, notice: Notice, exact: str) -> Attachment | None:
    """The quote at its stored position, when its section is unchanged (same fingerprint) and the
    quote is still there in the section's own text: ``_choose``'s first rule, decided from the
    section's text alone (most notes of a store point into unchanged sections, and normalising whole
    notices was a third of placing them), and the section holding it found among that section's own
    (its paragraphs and its subsections' are the only ones in its span)."""
    own = _own_section(anchor, notice) if anchor.offset >= 0 and anchor.fingerprint else None
    span = _span(own) if own is not None and own.fingerprint == anchor.fingerprint else None
    if own is None or span is None or anchor.offset >= len(_norm(own.text)):
        return None
    text, offsets = _normalise(notice.body[span[0] : span[1]])
    if not text.startswith(exact, anchor.offset):
        return None
    start = span[0] + offsets.original(anchor.offset)
    end = span[0] + offsets.original(anchor.offset + len(exact) - 1) + 1
    return Attachment("attached", _section_in(own.walk(), start), start, end, notice_id=notice.id)


def reattach(anchor: Anchor, notice: Notice | None, *, strict: bool = False) -> Attachment:
    """Place an anchor in a notice (the one with the anchor's id, re-parsed): by quote, then by section.

    ``strict`` (a notice that is only thought to be the anchor's, after an id change): every match needs
    its context confirmed, and a whole-section anchor does not fall back to a section of the same id.
    """
    if notice is None:
        return Attachment("detached", reason="the notice is not loaded")
    exact = _norm(anchor.exact)
    if exact and not strict:
        kept = _where_it_was(anchor, notice, exact)
        if kept is not None:
            return kept
    body, offsets = _normal(notice.body)
    reason = "the quoted passage is no longer in the notice"
    if exact:
        hit, reason = _choose(anchor, notice, body, offsets, exact, strict)
        if hit is not None:
            start = offsets.original(hit)
            end = offsets.original(hit + len(exact) - 1) + 1
            return Attachment("attached", _section_at(notice, start), start, end, notice_id=notice.id)
    section = notice.section(anchor.section_id) if anchor.whole_section and not strict else None
    if section is not None and (
        (anchor.fingerprint and section.fingerprint == anchor.fingerprint)
        or (anchor.section_title and _norm(section.title) == _norm(anchor.section_title))
    ):
        return Attachment("section", section.id, notice_id=notice.id)
    return Attachment("detached", reason=reason)


def _overlap_end(text: str, wanted: str) -> int:
    """How many trailing characters of ``text`` equal the end of ``wanted``."""
    count = 0
    for a, b in zip(reversed(text), reversed(wanted), strict=False):
        if a != b:
            break
        count += 1
    return count


def _overlap_start(text: str, wanted: str) -> int:
    """How many leading characters of ``text`` equal the start of ``wanted``."""
    count = 0
    for a, b in zip(text, wanted, strict=False):
        if a != b:
            break
        count += 1
    return count
