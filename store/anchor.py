"""Anchoring notes and bookmarks so they survive re-parsing (W3C Web Annotation ``TextQuoteSelector``).

An anchor keeps the notice id, the section id and title, and the exact quoted text with a little
prefix and suffix.  Re-attaching looks for the quote *inside the same notice only* (these notices repeat
template sentences across districts), on text normalised for width, punctuation style and whitespace,
so a re-encoded or re-punctuated file still matches.  Several matches are told apart by prefix and
suffix; if that is not enough, or the quote is gone and the section changed, the anchor is *detached* —
never moved to a look-alike.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, Literal

from ..loaders import Notice, fold

CONTEXT = 32
WHOLE_SECTION_QUOTE = 200
_SPACE = re.compile(r"\s+")
#: Quotation marks a re-punctuated copy may swap (one character for one, so offsets still hold).
_QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "‘": "'", "’": "'", "『": "'", "』": "'"})


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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Anchor:
        """From a stored record (unknown keys ignored)."""
        fields: dict[str, Any] = {k: data.get(k, "") for k in cls.__dataclass_fields__}
        fields["whole_section"] = bool(data.get("whole_section", False))
        return cls(**fields)


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


@lru_cache(maxsize=128)
def _normal(text: str) -> tuple[str, tuple[int, ...]]:
    """Width-folded text without whitespace, and the original offset of each kept character.

    Cached: placing every note of a notice normalises its body once, not once per note.
    """
    folded = fold(text).translate(_QUOTES)
    kept: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(folded):
        if not char.isspace():
            kept.append(char)
            offsets.append(index)
    return "".join(kept), tuple(offsets)


def _norm(text: str) -> str:
    return _SPACE.sub("", fold(text).translate(_QUOTES))


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
            if found < 0:
                raise ValueError(f"the quote is not in section {section_id} of {notice.id}")
            at = offsets[found]
            exact = text[at : offsets[found + len(_norm(exact)) - 1] + 1]
    body_at = notice.body.find(text)
    start = (body_at if body_at >= 0 else 0) + at
    prefix = notice.body[max(0, start - CONTEXT) : start]
    suffix = notice.body[start + len(exact) : start + len(exact) + CONTEXT]
    return Anchor(notice.id, section_id, section.title, exact, prefix, suffix, section.fingerprint, whole)


def _section_at(notice: Notice, offset: int) -> str | None:
    for section in notice.walk():
        for paragraph in section.paragraphs:
            if paragraph.start <= offset < paragraph.end + 1:
                return section.id
    return None


def reattach(anchor: Anchor, notice: Notice | None) -> Attachment:
    """Place an anchor in a notice (the one with the anchor's id, re-parsed): by quote, then by section."""
    if notice is None:
        return Attachment("detached", reason="the notice is not loaded")
    body, offsets = _normal(notice.body)
    exact = _norm(anchor.exact)
    if exact:
        hits = [m.start() for m in re.finditer(re.escape(exact), body)]
        if len(hits) > 1:
            hits = _best_by_context(anchor, body, exact, hits)
            if len(hits) > 1:
                # a tie is only broken by the anchor's own, unchanged section — never by a guess
                own = _same_section(anchor, notice)
                inside = [h for h in hits if own is not None and _section_at(notice, offsets[h]) == own]
                if len(inside) != 1:
                    return Attachment(
                        "detached", reason="the quote occurs several times and its context does not decide"
                    )
                hits = inside
        if hits:
            start = offsets[hits[0]]
            end = offsets[hits[0] + len(exact) - 1] + 1
            return Attachment("attached", _section_at(notice, start), start, end)
    section = notice.section(anchor.section_id) if anchor.whole_section else None
    if section is not None and (
        (anchor.fingerprint and section.fingerprint == anchor.fingerprint)
        or (anchor.section_title and _norm(section.title) == _norm(anchor.section_title))
    ):
        return Attachment("section", section.id)
    return Attachment("detached", reason="the quoted passage is no longer in the notice")


def _best_by_context(anchor: Anchor, body: str, exact: str, hits: list[int]) -> list[int]:
    """The hits whose surroundings agree best with the anchor's prefix and suffix."""
    prefix, suffix = _norm(anchor.prefix), _norm(anchor.suffix)
    scores = []
    for hit in hits:
        before = body[max(0, hit - len(prefix)) : hit]
        after = body[hit + len(exact) : hit + len(exact) + len(suffix)]
        scores.append(_overlap_end(before, prefix) + _overlap_start(after, suffix))
    best = max(scores)
    return [hit for hit, score in zip(hits, scores, strict=True) if score == best]


def _same_section(anchor: Anchor, notice: Notice) -> str | None:
    """The anchor's section id when that section is still there with the same fingerprint."""
    section = notice.section(anchor.section_id)
    if section is None or not anchor.fingerprint or section.fingerprint != anchor.fingerprint:
        return None
    return section.id


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
