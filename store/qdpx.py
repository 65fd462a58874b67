"""REFI-QDA project export (``.qdpx``) for NVivo, MAXQDA, ATLAS.ti and QualCoder.

A ``.qdpx`` is a ZIP holding ``project.qde`` (QDA-XML, schema ``Project-mrt2019.xsd`` shipped in
``store/refi``) and ``Sources/``.  What goes in:

* every loaded notice as a ``TextSource`` whose text is ``Sources/<guid>.txt`` — exactly
  ``Notice.body``, UTF-8 — with the notice's variables;
* every district as a ``Case`` with the variables province, city, district, level, round, team,
  inspection_start, inspection_end and feedback_date (Text; a district with several notices lists each
  distinct value, ``; `` between them) and its notices as ``SourceRef``;
* the codebook as nested ``Code``s (colour, memo as ``Description`` and as a ``Note``);
* every placed coded segment as a ``PlainTextSelection`` with its ``Coding``; its memo as a ``Note``
  linked by ``NoteRef``; every note on a passage as a ``Note`` linked from its own selection.

Offsets (``startPosition``/``endPosition``) count Unicode code points of the source text, as Python
indexes ``str``: a character outside the BMP counts one.  GUIDs derive from the store's ids, so
exporting twice gives the same GUIDs.  Segments and notes that cannot be placed are kept as
project-level ``Note``s saying so (with their quote), never dropped.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..loaders import Corpus, Notice
from ..loaders.cite import citation
from .anchor import Anchor
from .codes import Codebook
from .locate import Placer
from .retrieval import CodedQuote, place_segments

NAMESPACE = "urn:QDA-XML:project:1.0"
ORIGIN = "Zhenggai Reader"
_GUIDS = uuid.UUID("5f0c3c1e-2a8b-4d8e-9a51-7a3b7c0e8d11")
#: Characters XML 1.0 cannot hold (in names, descriptions and notes; source texts are separate files).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
CASE_VARIABLES = (
    "province", "city", "district", "level", "round", "team", "inspection_start", "inspection_end",
    "feedback_date",
)  # fmt: skip


def guid(kind: str, key: str) -> str:
    """A stable GUID for one exported thing (a code, a notice, a segment…)."""
    return str(uuid.uuid5(_GUIDS, f"{kind}:{key}"))


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold (a forbidden control character becomes U+FFFD)."""
    return _NOT_XML.sub("\ufffd", text)


@dataclass(frozen=True, slots=True)
class QdpxSummary:
    """What an export wrote."""

    sources: int
    cases: int
    codes: int
    selections: int
    notes: int
    detached: int
    """Segments and notes that could not be placed (kept as project notes)."""


def _variables(notice: Notice) -> dict[str, str]:
    meta = notice.meta
    values = {
        "province": meta.place.province,
        "city": meta.place.city,
        "district": meta.place.district,
        "level": meta.level,
        "round": meta.round,
        "team": meta.team,
        "inspection_start": meta.inspection_start,
        "inspection_end": meta.inspection_end,
        "feedback_date": meta.feedback_date,
    }
    return {k: v for k, v in values.items() if v}


def _case_key(notice: Notice) -> tuple[str, str, str]:
    place = notice.meta.place
    return (place.province or "", place.city or "", place.district or "")


def _sub(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}", {k: xml_text(v) for k, v in attributes.items()})


def _text_element(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = _sub(parent, tag)
    element.text = xml_text(text)
    return element


def _variable_values(parent: ET.Element, values: dict[str, str], variable_guids: dict[str, str]) -> None:
    for name in CASE_VARIABLES:
        if name in values:
            value = _sub(parent, "VariableValue")
            _sub(value, "VariableRef", targetGUID=variable_guids[name])
            _text_element(value, "TextValue", values[name])


class _Project:
    """The project document being built."""

    def __init__(self, name: str, stamp: str) -> None:
        ET.register_namespace("", NAMESPACE)
        self.root = ET.Element(
            f"{{{NAMESPACE}}}Project",
            {"name": xml_text(name), "origin": ORIGIN, "creationDateTime": stamp, "modifiedDateTime": stamp},
        )
        self.user = guid("user", "zhenggai")
        self.stamp = stamp
        self.notes: list[tuple[str, str, str]] = []
        """(guid, name, text) of every Note."""

    def note(self, key: str, name: str, text: str) -> str:
        note_guid = guid("note", key)
        self.notes.append((note_guid, name, text))
        return note_guid


def _codebook(project: _Project, book: Codebook) -> None:
    if not len(book):
        return
    codes = _sub(_sub(project.root, "CodeBook"), "Codes")

    def add(parent: ET.Element, code_id: str | None) -> None:
        for code in book.children(code_id):
            element = _sub(parent, "Code", guid=guid("code", code.id), name=code.name, isCodable="true",
                           color=code.colour)  # fmt: skip
            if code.memo:
                _text_element(element, "Description", code.memo)
                memo = project.note(f"code-memo:{code.id}", f"备忘 memo: {code.label}", code.memo)
                _sub(element, "NoteRef", targetGUID=memo)
            add(element, code.id)

    add(codes, None)


def _cases(project: _Project, notices: list[Notice], variable_guids: dict[str, str]) -> int:
    cases: dict[tuple[str, str, str], list[Notice]] = {}
    for notice in notices:
        cases.setdefault(_case_key(notice), []).append(notice)
    if not cases:
        return 0
    cases_element = _sub(project.root, "Cases")
    for key, members in sorted(cases.items()):
        name = "".join(key) or "（地区未知）"
        case = _sub(cases_element, "Case", guid=guid("case", "/".join(key)), name=name)
        merged: dict[str, str] = {}
        for variable in CASE_VARIABLES:
            seen = list(dict.fromkeys(v for n in members if (v := _variables(n).get(variable))))
            if seen:
                merged[variable] = "; ".join(seen)
        _variable_values(case, merged, variable_guids)
        for notice in members:
            _sub(case, "SourceRef", targetGUID=guid("source", notice.id))
    return len(cases)


def _placed_quotes(project: _Project, quotes: list[CodedQuote]) -> tuple[dict[str, list[CodedQuote]], int]:
    """Quotes by notice id; the detached ones become project notes (and are counted)."""
    by_notice: dict[str, list[CodedQuote]] = {}
    detached = 0
    for quote in quotes:
        if quote.status == "detached" or quote.start < 0:
            detached += 1
            text = f"{quote.code}\n{quote.notice_id} §{quote.section_id}\n「{quote.quote}」\n{quote.memo}"
            name = f"未能定位的编码 detached coding: {quote.code}"
            project.note(f"detached-segment:{quote.segment_id}", name, text.strip())
            continue
        by_notice.setdefault(quote.notice_id, []).append(quote)
    return by_notice, detached


def _note_spans(
    project: _Project, corpus: Corpus, notes: list[dict[str, Any]]
) -> tuple[dict[str, list[tuple[int, int, str]]], int]:
    """Where each note's passage is, by notice id; notes that cannot be placed become project notes."""
    placer = Placer(corpus)
    spans: dict[str, list[tuple[int, int, str]]] = {}
    detached = 0
    for note in notes:
        anchor = Anchor.from_dict(note["anchor"])
        notice, attachment = placer.place(anchor)
        text = str(note.get("text", ""))
        if notice is None or attachment.status == "detached" or attachment.start < 0:
            lost = notice is None or attachment.status == "detached"
            detached += lost
            where = f"「{anchor.exact}」 {anchor.notice_id} §{anchor.section_id}"
            name = f"笔记 note ({'detached' if lost else 'section'})"
            project.note(f"note:{note['id']}", name, f"{text}\n\n{where}")
            continue
        note_guid = project.note(f"note:{note['id']}", f"笔记 note {note['id']}", text)
        spans.setdefault(notice.id, []).append((attachment.start, attachment.end, note_guid))
    return spans, detached


def _source(
    project: _Project,
    parent: ET.Element,
    notice: Notice,
    quotes: list[CodedQuote],
    spans: list[tuple[int, int, str]],
    variable_guids: dict[str, str],
) -> int:
    """One notice as a ``TextSource`` with its selections; returns how many selections."""
    source_guid = guid("source", notice.id)
    place = "".join(p for p in _case_key(notice) if p)
    who = {"creatingUser": project.user, "creationDateTime": project.stamp}
    source = _sub(
        parent,
        "TextSource",
        guid=source_guid,
        name=f"{place} {notice.title}".strip(),
        plainTextPath=f"internal://{source_guid}.txt",
        **who,
    )
    _text_element(source, "Description", f"{citation(notice)}\nsource_url: {notice.meta.source_url or ''}")
    for quote in quotes:
        selection = _sub(
            source,
            "PlainTextSelection",
            guid=guid("segment", quote.segment_id),
            name=quote.quote[:60],
            startPosition=str(quote.start),
            endPosition=str(quote.end),
            **who,
        )
        coding = _sub(selection, "Coding", guid=guid("coding", quote.segment_id), **who)
        _sub(coding, "CodeRef", targetGUID=guid("code", quote.code_id))
        if quote.memo:
            memo = project.note(f"segment-memo:{quote.segment_id}", f"备忘 memo: {quote.code}", quote.memo)
            _sub(selection, "NoteRef", targetGUID=memo)
    for start, end, note_guid in spans:
        selection = _sub(
            source,
            "PlainTextSelection",
            guid=guid("note-span", note_guid),
            name=notice.body[start:end][:60],
            startPosition=str(start),
            endPosition=str(end),
        )
        _sub(selection, "NoteRef", targetGUID=note_guid)
    _variable_values(source, _variables(notice), variable_guids)
    return len(quotes) + len(spans)


def export_qdpx(
    corpus: Corpus,
    codes: list[dict[str, Any]],
    segments: list[dict[str, Any]],
    notes: list[dict[str, Any]],
    path: Path,
    *,
    name: str = "Zhenggai Reader project",
) -> QdpxSummary:
    """Write the ``.qdpx`` of the corpus, codebook, coded segments and notes to ``path`` (atomically).

    Raises:
        OSError: the file cannot be written.
    """
    book = Codebook(codes)
    stamp = datetime.now().astimezone().replace(microsecond=0).isoformat()
    project = _Project(name, stamp)
    _sub(_sub(project.root, "Users"), "User", guid=project.user, name="zhenggai")
    _codebook(project, book)
    notices = list(corpus.notices)
    variable_guids = {v: guid("variable", v) for v in CASE_VARIABLES}
    if notices:
        variables = _sub(project.root, "Variables")
        for variable, variable_guid in variable_guids.items():
            _sub(variables, "Variable", guid=variable_guid, name=variable, typeOfVariable="Text")
    cases = _cases(project, notices, variable_guids)
    by_notice, detached = _placed_quotes(project, place_segments(corpus, segments, book, release=True))
    spans, lost_notes = _note_spans(project, corpus, notes)
    selections = 0
    if notices:
        sources = _sub(project.root, "Sources")
        for notice in notices:
            selections += _source(
                project,
                sources,
                notice,
                by_notice.get(notice.id, []),
                spans.get(notice.id, []),
                variable_guids,
            )
    if project.notes:
        notes_element = _sub(project.root, "Notes")
        for note_guid, note_name, text in project.notes:
            note = _sub(notes_element, "Note", guid=note_guid, name=note_name, creatingUser=project.user)
            _text_element(note, "PlainTextContent", text)
    document = ET.tostring(project.root, encoding="unicode", xml_declaration=False)
    files = [(f"Sources/{guid('source', n.id)}.txt", n.body) for n in notices]
    _write_zip(path, '<?xml version="1.0" encoding="utf-8"?>\n' + document, files)
    return QdpxSummary(len(files), cases, len(book), selections, len(project.notes), detached + lost_notes)


def _write_zip(path: Path, qde: str, files: list[tuple[str, str]]) -> None:
    """The archive, written to a temporary file beside ``path`` and renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("project.qde", qde.encode("utf-8"))
            for name_in_zip, text in files:
                archive.writestr(name_in_zip, text.encode("utf-8", "replace"))
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
