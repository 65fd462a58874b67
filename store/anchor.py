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
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
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
_WORDS = re.compile(r"\S+")
#: Quotation marks a re-punctuated copy may swap (one character for one, so offsets still hold).
_QUOTE_MARKS = {"“": '"', "”": '"', "「": '"', "」": '"', "‘": "'", "’": "'", "『": "'", "』": "'"}
_QUOTE_RE = re.compile("[" + "".join(_QUOTE_MARKS) + "]")


def _plain_quotes(text: str) -> str:
    """The quotation marks a re-punctuated copy may swap made plain (``str.translate`` over CJK text
    took 20 times as long as finding the few marks)."""
    return _QUOTE_RE.sub(lambda match: _QUOTE_MARKS[match.group()], text)


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


@lru_cache(maxsize=16)
def _normal(text: str) -> tuple[str, Sequence[int]]:
    """Width-folded text without whitespace, and the original offset of each kept character.

    Cached: placing every note of a notice normalises its body once, not once per note (notices are
    placed one after another, so a few suffice; the offsets are a C array, 4 bytes a character where a
    tuple of ints took about 40, and a list placing thousands of notices keeps only these few).
    """
    folded = _plain_quotes(fold(text))
    kept: list[str] = []
    offsets = array("I")
    for run in _WORDS.finditer(folded):  # runs of characters between whitespace: a paragraph's, mostly
        start, end = run.span()
        kept.append(folded[start:end])
        offsets.extend(range(start, end))
    return "".join(kept), offsets


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
            at = offsets[found]
            exact = text[at : offsets[found + len(_norm(exact)) - 1] + 1]
    span = _span(section)
    body_at = (
        span[0] if span and notice.body[span[0] : span[0] + len(text)] == text else notice.body.find(text)
    )
    start = (body_at if body_at >= 0 else 0) + at
    prefix = notice.body[max(0, start - CONTEXT) : start]
    suffix = notice.body[start + len(exact) : start + len(exact) + CONTEXT]
    offset = bisect_left(_normal(text)[1], at)
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
    for section in notice.walk():
        for paragraph in section.paragraphs:
            if paragraph.start <= offset < paragraph.end + 1:
                return section.id
    return None


def _own_section(anchor: Anchor, notice: Notice) -> Section | None:
    """The anchor's section, when the section of that id is still the same one (its fingerprint or
    title agrees; an anchor that recorded neither takes the id's word)."""
    section = notice.section(anchor.section_id) if anchor.section_id else None
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
    anchor: Anchor, notice: Notice, body: str, offsets: Sequence[int], exact: str, strict: bool
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
        low, high = bisect_left(offsets, span[0]), bisect_left(offsets, span[1])
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


def reattach(anchor: Anchor, notice: Notice | None, *, strict: bool = False) -> Attachment:
    """Place an anchor in a notice (the one with the anchor's id, re-parsed): by quote, then by section.

    ``strict`` (a notice that is only thought to be the anchor's, after an id change): every match needs
    its context confirmed, and a whole-section anchor does not fall back to a section of the same id.
    """
    if notice is None:
        return Attachment("detached", reason="the notice is not loaded")
    body, offsets = _normal(notice.body)
    exact = _norm(anchor.exact)
    reason = "the quoted passage is no longer in the notice"
    if exact:
        hit, reason = _choose(anchor, notice, body, offsets, exact, strict)
        if hit is not None:
            start = offsets[hit]
            end = offsets[hit + len(exact) - 1] + 1
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
