"""What a store document must look like before anything uses it: a small validator per table.

A hand-edited or damaged file (``notes`` as a string, a note without its anchor, a record that is not
an object, a schema version that is not a number) would otherwise end in a traceback on every command.
``problem`` names the first thing wrong in one line; the store then opens read-only (``store.base``).
Only what the program relies on is required; unknown keys are kept, as a newer minor version may add
them.  Both the first schema and the current one pass (old anchors lack the position selectors).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .storage import one_line

Problem = str | None
_MISSING = object()

#: What a field may hold, by name (the name is also what the message says it should be).
TEXT, OPTIONAL_TEXT, WHOLE_NUMBER, BOOLEAN = "text", "text or null", "a whole number", "true or false"
TEXT_LIST, ANCHOR_OBJECT, ANYTHING = "a list of texts", "an anchor", "anything"
_TYPES: dict[str, tuple[type, ...]] = {
    TEXT: (str,),
    OPTIONAL_TEXT: (str, type(None)),
    WHOLE_NUMBER: (int,),  # exact types: true and false are not numbers here
    BOOLEAN: (bool,),
}
#: A table's fields: (key, kind, required).
Spec = tuple[tuple[str, str, bool], ...]

ANCHOR: Spec = (
    ("notice_id", TEXT, True),
    ("section_id", TEXT, True),
    ("exact", TEXT, True),
    ("section_title", TEXT, False),
    ("prefix", TEXT, False),
    ("suffix", TEXT, False),
    ("fingerprint", TEXT, False),
    ("whole_section", BOOLEAN, False),
    ("offset", WHOLE_NUMBER, False),
    ("place", TEXT, False),
)
_STAMPS: Spec = (("created", TEXT, False), ("updated", TEXT, False))

#: Each table's record fields.
TABLES: dict[str, Spec] = {
    "notes": (
        ("id", TEXT, True),
        ("anchor", ANCHOR_OBJECT, True),
        ("text", TEXT, True),
        ("tags", TEXT_LIST, False),
        ("notice_title", OPTIONAL_TEXT, False),
        ("district", OPTIONAL_TEXT, False),
        ("previous_notice_id", TEXT, False),
        *_STAMPS,
    ),
    "bookmarks": (
        ("id", TEXT, True),
        ("anchor", ANCHOR_OBJECT, True),
        ("label", OPTIONAL_TEXT, False),
        ("notice_title", OPTIONAL_TEXT, False),
        ("district", OPTIONAL_TEXT, False),
        ("previous_notice_id", TEXT, False),
        *_STAMPS,
    ),
    "comparisons": (
        ("id", TEXT, True),
        ("name", TEXT, True),
        ("notice_ids", TEXT_LIST, True),
        ("section_id", OPTIONAL_TEXT, False),
        ("note", TEXT, False),
        *_STAMPS,
    ),
    "settings": (("key", TEXT, True), ("value", ANYTHING, True), *_STAMPS),
    "codes": (
        ("id", TEXT, True),
        ("name", TEXT, True),
        ("parent", OPTIONAL_TEXT, False),
        ("colour", TEXT, False),
        ("memo", TEXT, False),
        *_STAMPS,
    ),
    "segments": (
        ("id", TEXT, True),
        ("code_id", TEXT, True),
        ("anchor", ANCHOR_OBJECT, True),
        ("memo", TEXT, False),
        ("note_id", TEXT, False),
        ("notice_title", OPTIONAL_TEXT, False),
        ("district", OPTIONAL_TEXT, False),
        ("previous_notice_id", TEXT, False),
        *_STAMPS,
    ),
}


#: Settings the reader reads back, with what their value must be.
POSITION: Spec = (("notice_id", OPTIONAL_TEXT, False), ("section_id", OPTIONAL_TEXT, False))
SETTINGS: dict[str, str | Spec] = {"theme": TEXT, "last_position": POSITION}


def setting_problem(record: Mapping[str, Any]) -> Problem:
    """What is wrong with the value of a setting the reader reads back (``theme``, ``last_position``)."""
    key, value = record.get("key"), record.get("value")
    wanted = SETTINGS.get(key) if isinstance(key, str) else None
    if wanted is None:
        return None
    if isinstance(wanted, str):
        return None if type(value) in _TYPES[wanted] else f"has a value that is {_what(value)}, not {wanted}"
    if type(value) is not dict:
        return f"has a value that is {_what(value)}, not an object"
    problem = record_problem(value, wanted)
    return f"has a value that {problem}" if problem else None


def _what(value: Any) -> str:
    if value is None:
        return "null"
    names = {str: "text", bool: "true/false", int: "a number", float: "a number", list: "a list"}
    return names.get(type(value), "an object" if isinstance(value, dict) else type(value).__name__)


def _anchor_problem(value: Any) -> Problem:
    if type(value) is not dict:
        return f"its anchor is {_what(value)}, not an object"
    problem = record_problem(value, ANCHOR)
    if problem is None and not value["notice_id"]:
        return "its anchor has an empty notice_id"
    return f"its anchor {problem}" if problem else None


def record_problem(record: Mapping[str, Any], spec: Spec) -> Problem:
    """What is wrong with one record of a table (``TABLES[name]``), e.g. ``has no anchor``."""
    for key, kind, required in spec:
        value = record.get(key, _MISSING)
        if value is _MISSING:
            if required:
                return f"has no {key}"
            continue
        allowed = _TYPES.get(kind)
        if allowed is not None:
            if type(value) not in allowed:
                return f"has {key} that is {_what(value)}, not {kind}"
        elif kind == ANCHOR_OBJECT:
            problem = _anchor_problem(value)
            if problem:
                return problem
        elif kind == TEXT_LIST and (type(value) is not list or not all(type(v) is str for v in value)):
            return f"has {key} that is {_what(value)}, not {kind}"
    return None


@dataclass(frozen=True, slots=True)
class _Quick:
    """A spec prepared for the common case, a valid record: a few set and type checks."""

    required: frozenset[str]
    simple: dict[str, tuple[type, ...]]
    lists: tuple[str, ...]
    anchors: tuple[str, ...]

    @classmethod
    def of(cls, spec: Spec) -> _Quick:
        return cls(
            frozenset(key for key, _, required in spec if required),
            {key: _TYPES[kind] for key, kind, _ in spec if kind in _TYPES},
            tuple(key for key, kind, _ in spec if kind == TEXT_LIST),
            tuple(key for key, kind, _ in spec if kind == ANCHOR_OBJECT),
        )

    def passes(self, record: dict[str, Any]) -> bool:
        """True for a valid record (False: ask ``record_problem`` what is wrong)."""
        if not self.required <= record.keys():
            return False
        simple = self.simple
        for key, value in record.items():
            allowed = simple.get(key)
            if allowed is not None and type(value) not in allowed:
                return False
        for key in self.lists:
            value = record.get(key, _MISSING)
            if value is not _MISSING and (type(value) is not list or not all(type(v) is str for v in value)):
                return False
        for key in self.anchors:
            anchor = record[key]
            if type(anchor) is not dict or not _QUICK_ANCHOR.passes(anchor) or not anchor["notice_id"]:
                return False
        return True


_QUICK_ANCHOR = _Quick.of(ANCHOR)
_QUICK = {name: _Quick.of(spec) for name, spec in TABLES.items()}


def schema_problem(document: Mapping[str, Any]) -> Problem:
    """What is wrong with the ``_meta`` table and its schema version, if anything."""
    meta = document.get("_meta")
    if meta is None:
        return None
    if not isinstance(meta, dict):
        return f"_meta is {_what(meta)}, not a table"
    entry = meta.get("1")
    if entry is None:
        return None
    if not isinstance(entry, dict):
        return f"_meta record 1 is {_what(entry)}, not an object"
    if "schema_version" not in entry:
        return None
    version = entry["schema_version"]
    if type(version) is not int or version < 1:
        return f"its schema_version is {one_line(repr(version), 40)}, not a version number"
    return None


def problem(document: Mapping[str, Any]) -> Problem:
    """The first thing wrong with a store document of this version or an older one, in one line; None
    when it can be used.  Tables other than the known ones must still be TinyDB tables."""
    found = schema_problem(document)
    if found:
        return found
    for name, table in document.items():
        label = one_line(name, 40)
        if not isinstance(table, dict):
            return f"{label} is {_what(table)}, not a table"
        spec, quick = TABLES.get(name), _QUICK.get(name)
        for doc_id, record in table.items():
            if not (doc_id.isascii() and doc_id.isdigit() and len(doc_id) <= 18):
                return f"{label} has a record whose id {one_line(repr(doc_id), 30)} is not a number"
            if type(record) is not dict:
                return f"{label} record {doc_id} is {_what(record)}, not an object"
            if spec is not None and quick is not None and not quick.passes(record):
                issue = record_problem(record, spec)
                if issue:
                    return f"{label} record {doc_id} {issue}"
            if name == "settings":
                issue = setting_problem(record)
                if issue:
                    return f"{label} record {doc_id} ({one_line(record['key'], 30)}) {issue}"
    return None
