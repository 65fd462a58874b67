"""Which records of a table point into which notice, kept with the table instead of found by a scan.

Adding a note looks for the coded segments of its notice (a passage is coded once by a code), and the
reader lists one notice's notes, bookmarks and segments on every move: at 10,000 notes and their
20,000 segments each look was a scan of every record.  ``NoticeIndex`` keeps the keys of a table's
records by their anchor's ``notice_id``, built by the first look and kept up to date by the table's
own changes (``StoreTable`` tells it which keys a change touched).  Anything it cannot follow exactly —
a record replaced by another, one moved to another notice, a table changed behind the table's back —
drops it, and the next look builds it again: an answer always equals the scan's, in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

_MISSING = object()


def notice_of(record: Any) -> Any:
    """The notice a record's anchor points into (None for a record without an anchor)."""
    anchor = record.get("anchor") if type(record) is dict else None
    return anchor.get("notice_id") if type(anchor) is dict else None


class NoticeIndex:
    """The keys of a table's records by notice, each notice's in the table's order."""

    __slots__ = ("keys", "of", "size")

    def __init__(self, records: Mapping[str, Any]) -> None:
        self.of: dict[str, Any] = {key: notice_of(record) for key, record in records.items()}
        """Each record's notice, by key."""
        self.keys: dict[Any, dict[str, None]] = {}
        """The keys of each notice's records, in the table's order (a dict: ordered, quick removal)."""
        for key, notice in self.of.items():
            self.keys.setdefault(notice, {})[key] = None
        self.size = len(self.of)

    def valid_for(self, records: Mapping[str, Any]) -> bool:
        """False when the table's size shows it changed without telling the index."""
        return self.size == len(records)

    def followed(self, before: Mapping[str, Any], after: Mapping[str, Any], touched: Iterable[str]) -> bool:
        """Bring the index from ``before`` to ``after`` (the same table, before and after one change that
        touched only the keys ``touched``, in the order touched); False when it cannot follow exactly
        (the index must then be dropped)."""
        for key in touched:
            old, new = before.get(key, _MISSING), after.get(key, _MISSING)
            if new is _MISSING:
                if old is _MISSING:
                    continue  # looked for, never there
                notice = self.of.pop(key, _MISSING)
                if notice is _MISSING:
                    return False
                del self.keys[notice][key]
            elif old is _MISSING:  # a new key: the table puts it last, as the index does
                notice = notice_of(new)
                self.of[key] = notice
                self.keys.setdefault(notice, {})[key] = None
            elif old is not new or self.of.get(key, _MISSING) != notice_of(new):
                return False  # replaced, or moved to another notice: its place in order is not known
        self.size = len(after)
        return self.size == len(self.of)

    def lookup(self, notice_id: Any) -> list[str]:
        """The keys of the notice's records, in the table's order."""
        found = self.keys.get(notice_id)
        return list(found) if found else []
