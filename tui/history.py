"""Back/forward history of reading positions (pure: imports nothing from textual).

Like a browser's: going somewhere new drops the forward part; going back and forward moves a cursor.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

#: How many positions are remembered (the oldest are forgotten first).
HISTORY_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Location:
    """A place in the corpus the reader can return to."""

    notice_id: str
    section_id: str


class History(Generic[T]):
    """A bounded list of visited items with a cursor on the current one."""

    def __init__(self, items: list[T] | None = None, limit: int = HISTORY_LIMIT) -> None:
        if limit < 1:
            raise ValueError("a history holds at least one item")
        self._limit = limit
        self._items: list[T] = list(items or [])[-limit:]
        self._cursor = len(self._items) - 1

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(self._items)

    @property
    def current(self) -> T | None:
        """The item the cursor is on (None when empty)."""
        return self._items[self._cursor] if self._items else None

    @property
    def position(self) -> int:
        """The cursor's index (-1 when empty)."""
        return self._cursor

    @property
    def can_go_back(self) -> bool:
        """True when there is an item before the current one."""
        return self._cursor > 0

    @property
    def can_go_forward(self) -> bool:
        """True when there is an item after the current one."""
        return self._cursor < len(self._items) - 1

    def add(self, item: T) -> None:
        """Visit ``item``: drop what lay forward, append it (not twice in a row), keep the limit."""
        if self.current == item:
            return
        del self._items[self._cursor + 1 :]
        self._items.append(item)
        if len(self._items) > self._limit:
            del self._items[: len(self._items) - self._limit]
        self._cursor = len(self._items) - 1

    def replace(self, item: T) -> None:
        """Change the current item in place (a small move that is not worth its own step)."""
        if not self._items:
            self.add(item)
        else:
            self._items[self._cursor] = item

    def back(self) -> T | None:
        """Move the cursor back; the item there, or None at the start."""
        if not self.can_go_back:
            return None
        self._cursor -= 1
        return self._items[self._cursor]

    def forward(self) -> T | None:
        """Move the cursor forward; the item there, or None at the end."""
        if not self.can_go_forward:
            return None
        self._cursor += 1
        return self._items[self._cursor]
