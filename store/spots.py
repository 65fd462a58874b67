"""Where an anchor lands in a corpus, as plain values that can be kept: a ``Spot``.

Placing an anchor (``locate.Placer.place``) reads its notice's text and re-attaches it; what comes out
depends on nothing but the anchor and the corpus's notices, which a ``Corpus`` never changes (a reload
makes another one).  So a spot, once made, holds for every later placing in the same corpus, or in
another with the very same files and loader (``last_placing`` keeps them, in memory and on disk): a
store with one coded passage more places that one passage, not all 20,000.  ``SPOT_VERSION`` names how
spots are made; change it with anything that changes them (re-attaching, sentences, section labels).
"""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple, get_type_hints

from ..loaders.cite import section_label
from .anchor import Anchor

if TYPE_CHECKING:
    from ..loaders import Section
    from .locate import Placer

#: How spots are made (a spot kept under another version is made again).
SPOT_VERSION = 1
_SENTENCE_MARKS = "。！？!?；;"

#: An anchor as a key: its fields, in order (what ``marshal`` can keep).
AnchorKey = tuple[str, str, str, str, str, str, str, bool, int, str]
anchor_key: attrgetter[AnchorKey] = attrgetter(*(f.name for f in fields(Anchor)))
ANCHOR_TYPES = (str, str, str, str, str, str, str, bool, int, str)


_stored_fields = itemgetter(*(f.name for f in fields(Anchor)))


def stored_anchor_key(data: dict[str, Any]) -> AnchorKey:
    """``anchor_key(Anchor.from_dict(data))`` without making the anchor, for a stored anchor with every
    field, well typed (every one the store writes: 20,000 in a few milliseconds); any other through
    ``Anchor.from_dict``, which says what a missing or mistyped field counts as."""
    try:
        key = _stored_fields(data)
    except KeyError:
        return anchor_key(Anchor.from_dict(data))
    if tuple(map(type, key)) == ANCHOR_TYPES and key[8] >= -1:
        return key  # type: ignore[no-any-return]
    return anchor_key(Anchor.from_dict(data))


class Spot(NamedTuple):
    """Where an anchor was placed: what every segment (or note) on that passage shares.  A named tuple:
    10,000 are made from a file at once (0.2 µs each; a frozen dataclass took 1.6)."""

    found: bool
    """False when it is detached from every loaded notice (then the fields below are the anchor's)."""
    notice_id: str
    """The notice it is in (after an id change, the new one); the anchor's when not found."""
    notice_title: str
    province: str
    city: str
    district: str
    level: str
    round: str
    index_in_file: int
    section_id: str
    section: str
    """The section's numbering and title as the notice writes them (the anchor's title when not found)."""
    status: str
    """``attached``, ``section`` (the section is unchanged, the quote gone) or ``detached``."""
    start: int
    """Where the passage starts in ``Notice.body`` (-1 when it is not in the text)."""
    end: int
    quote: str
    sentence: str
    """The sentence(s) around the passage, as the notice writes them."""


#: Spots by the key of the anchor each places.
Spots = dict[AnchorKey, Spot]
#: A spot's fields' types, in order: a kept row is checked against them before it is believed.
SPOT_TYPES: tuple[type, ...] = tuple(get_type_hints(Spot).values())


def spot_row(spot: Spot) -> tuple[object, ...]:
    """The spot as a plain tuple (what ``marshal`` writes)."""
    return tuple(spot)


def _section_span(section: Section) -> tuple[int, int] | None:
    paragraphs = [p for s in section.walk() for p in s.paragraphs]
    return (paragraphs[0].start, paragraphs[-1].end) if paragraphs else None


def surrounding_sentence(body: str, start: int, end: int) -> str:
    """The whole sentence(s) of ``body`` holding ``body[start:end]`` (cut at 。！？； and line ends)."""
    if start < 0:
        return ""
    # each mark is looked for within the line only: one missing from the rest of the notice made
    # ``find`` read on to its end
    line_start = body.rfind("\n", 0, start) + 1
    left = max(line_start, max(body.rfind(c, line_start, start) for c in _SENTENCE_MARKS) + 1)
    line_end = body.find("\n", max(end - 1, start))
    if line_end < 0:
        line_end = len(body)
    right = line_end
    for char in _SENTENCE_MARKS:
        found = body.find(char, max(end - 1, start), line_end)
        if found >= 0:
            right = min(right, found + 1)
    return body[left:right].strip()


def make_spot(anchor: Anchor, placer: Placer) -> Spot:
    """Place ``anchor`` (reading its notice's text) and keep where it landed as plain values."""
    notice, attachment = placer.place(anchor)
    if notice is None:
        return Spot(
            False, anchor.notice_id, "", "", "", "", "", "", 0, anchor.section_id, anchor.section_title,
            "detached", -1, -1, anchor.exact, "",
        )  # fmt: skip
    section = notice.lone_section(attachment.section_id or anchor.section_id)
    start, end = attachment.start, attachment.end
    if section is not None and anchor.whole_section and attachment.status != "detached":
        span = _section_span(section)
        if span is not None:
            start, end = span
    place = notice.meta.place
    return Spot(
        True,
        notice.id,
        notice.title or "",
        place.province or "",
        place.city or "",
        place.district or "",
        notice.meta.level or "",
        notice.meta.round or "",
        notice.index_in_file,
        section.id if section else anchor.section_id,
        section_label(section) if section else anchor.section_title,
        attachment.status,
        start,
        end,
        notice.body[start:end] if start >= 0 else anchor.exact,
        surrounding_sentence(notice.body, start, end) if start >= 0 else "",
    )
