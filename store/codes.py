"""The codebook as data: a tree of codes (``问题类型 › 形式主义``), each with a colour and a memo.

Pure functions over the stored records (``codes`` table: ``id``, ``name``, ``parent``, ``colour``,
``memo``); the store's operations are in ``store.codebook``.  A code is known by its id, so renaming or
moving it changes one record and never touches the segments it codes.  A hand-edited file whose parent
is missing or loops is read with that code at the top level, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

#: Colours given to new codes in turn (REFI-QDA ``#RRGGBB``).
PALETTE = (
    "#E6194B", "#3CB44B", "#4363D8", "#F58231", "#911EB4", "#42D4F4",
    "#F032E6", "#9A6324", "#469990", "#800000", "#808000", "#000075",
)  # fmt: skip
SEPARATOR = " › "
_SPLIT = re.compile(r"\s*(?:/|›|>)\s*")
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
MAX_NAME = 60


def split_path(text: str) -> tuple[str, ...]:
    """``问题类型/形式主义`` or ``问题类型 › 形式主义`` → ``("问题类型", "形式主义")``.

    Raises:
        ValueError: an empty path, an empty level (``a//b``) or a name over ``MAX_NAME`` characters.
    """
    parts = tuple(p.strip() for p in _SPLIT.split(text.strip().lstrip("#")))
    if not parts or any(not p for p in parts):
        raise ValueError(f"not a code path: {text!r} (write levels as 问题类型/形式主义)")
    long = next((p for p in parts if len(p) > MAX_NAME), None)
    if long is not None:
        raise ValueError(f"a code name is at most {MAX_NAME} characters: {long[:20]}…")
    return parts


def check_name(name: str) -> str:
    """A code's own name, stripped.

    Raises:
        ValueError: empty, too long, or holding a level separator (use move for that).
    """
    name = name.strip()
    if not name or _SPLIT.search(name) or len(name) > MAX_NAME:
        raise ValueError(f"not a code name: {name!r} (no '/', '›' or '>'; 1–{MAX_NAME} characters)")
    return name


def check_colour(colour: str) -> str:
    """``#RRGGBB`` in upper case.

    Raises:
        ValueError: anything else.
    """
    if not _COLOUR.fullmatch(colour.strip()):
        raise ValueError(f"not a colour: {colour!r} (write #RRGGBB)")
    return colour.strip().upper()


@dataclass(frozen=True, slots=True)
class Code:
    """One code of the codebook, with its place in the tree."""

    id: str
    name: str
    parent: str | None
    colour: str
    memo: str
    path: tuple[str, ...]

    @property
    def label(self) -> str:
        """``问题类型 › 形式主义``."""
        return SEPARATOR.join(self.path)

    @property
    def slash(self) -> str:
        """``问题类型/形式主义`` (as a note's ``#tag`` writes it)."""
        return "/".join(self.path)

    @property
    def depth(self) -> int:
        """0 for a top-level code."""
        return len(self.path) - 1


class Codebook:
    """The codes of a store as a tree (built from the ``codes`` records)."""

    def __init__(self, records: Iterable[dict[str, Any]]) -> None:
        raw = {r["id"]: r for r in records}
        parents: dict[str, str | None] = {}
        for code_id, record in raw.items():
            parent = record.get("parent")
            parents[code_id] = parent if isinstance(parent, str) and parent in raw else None
        for code_id in raw:  # a loop (hand-edited file) is broken at the code that closes it
            seen = {code_id}
            node = parents[code_id]
            while node is not None:
                if node in seen:
                    parents[code_id] = None
                    break
                seen.add(node)
                node = parents[node]
        self._children: dict[str | None, list[str]] = {}
        for code_id, parent in parents.items():
            self._children.setdefault(parent, []).append(code_id)
        for ids in self._children.values():
            ids.sort(key=lambda i: (str(raw[i].get("name", "")), i))
        self.codes: dict[str, Code] = {}
        for code_id in raw:
            path: list[str] = []
            step: str | None = code_id
            while step is not None:
                path.append(str(raw[step].get("name", "")))
                step = parents[step]
            record = raw[code_id]
            self.codes[code_id] = Code(
                code_id,
                str(record.get("name", "")),
                parents[code_id],
                str(record.get("colour") or PALETTE[0]),
                str(record.get("memo") or ""),
                tuple(reversed(path)),
            )

    def __len__(self) -> int:
        return len(self.codes)

    def get(self, code_id: str) -> Code | None:
        """A code by id."""
        return self.codes.get(code_id)

    def children(self, code_id: str | None) -> list[Code]:
        """The codes directly under ``code_id`` (None: the top level), by name."""
        return [self.codes[i] for i in self._children.get(code_id, [])]

    def walk(self, code_id: str | None = None) -> Iterator[Code]:
        """Every code under ``code_id`` (the whole book for None), depth first, by name."""
        for child in self.children(code_id):
            yield child
            yield from self.walk(child.id)

    def subtree(self, code_id: str) -> set[str]:
        """The ids of a code and every code below it."""
        return {code_id, *(c.id for c in self.walk(code_id))}

    def find(self, path: str | tuple[str, ...]) -> Code | None:
        """The code at a path (``问题类型/形式主义``), or None."""
        parts = split_path(path) if isinstance(path, str) else path
        parent: str | None = None
        found: Code | None = None
        for name in parts:
            found = next((c for c in self.children(parent) if c.name == name), None)
            if found is None:
                return None
            parent = found.id
        return found

    def resolve(self, query: str) -> Code:
        """A code by path, id, or a name only one code has.

        Raises:
            ValueError: no such code, or a name several codes share (they are listed).
        """
        if query in self.codes:
            return self.codes[query]
        found = self.find(query)
        if found is not None:
            return found
        named = [c for c in self.codes.values() if c.name == query.strip()]
        if len(named) == 1:
            return named[0]
        if named:
            raise ValueError(f"several codes are named {query!r}: " + ", ".join(c.slash for c in named))
        raise ValueError(f"no code {query!r} (see `zhenggai code list`)")

    def label(self, code_id: str) -> str:
        """A code's path for people; a segment whose code is gone says so."""
        code = self.codes.get(code_id)
        return code.label if code is not None else f"（代码已删除 missing code {code_id}）"


def ensure_path(
    records: list[dict[str, Any]],
    path: tuple[str, ...],
    new_record: Callable[[dict[str, Any]], dict[str, Any]],
) -> tuple[str, list[dict[str, Any]]]:
    """The id of the code at ``path`` in ``records``, and the records to add for the levels missing.

    ``new_record`` completes a ``{name, parent, colour, memo}`` record with its id and timestamps.
    ``records`` is extended with the new ones.
    """
    parent: str | None = None
    made: list[dict[str, Any]] = []
    for name in path:
        found = next((r for r in records if r.get("parent") == parent and r.get("name") == name), None)
        if found is None:
            colour = PALETTE[len(records) % len(PALETTE)]
            found = new_record({"name": name, "parent": parent, "colour": colour, "memo": ""})
            records.append(found)
            made.append(found)
        parent = found["id"]
    assert parent is not None
    return parent, made


#: The anchor fields that say which passage is marked.
PLACE_KEYS = ("notice_id", "section_id", "exact", "whole_section")


def same_place(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """True when two stored anchors mark the same passage (same notice, section and quote)."""
    return all(a.get(k) == b.get(k) for k in PLACE_KEYS)
