"""Reading a REFI-QDA project (``.qdpx``) back: codes, text sources, selections with their codings and
notes.  Enough to check an export and to bring codings from another tool into view; pure Python.

Offsets are Unicode code points of the source text (``startPosition``/``endPosition``), so a
selection's text is ``source.text[start:end]``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .qdpx import NAMESPACE

_NS = {"q": NAMESPACE}
INTERNAL = "internal://"


class QdpxError(ValueError):
    """The file is not a readable REFI-QDA project (one-line reason)."""


@dataclass(frozen=True, slots=True)
class QdaCode:
    """A code of the project's codebook, with its path from the top."""

    guid: str
    name: str
    path: tuple[str, ...]
    colour: str
    description: str


@dataclass(frozen=True, slots=True)
class QdaSelection:
    """A ``PlainTextSelection``: a span of a source, its codes and notes."""

    guid: str
    start: int
    end: int
    code_guids: tuple[str, ...]
    note_guids: tuple[str, ...]


@dataclass(slots=True)
class QdaSource:
    """A ``TextSource`` with its text."""

    guid: str
    name: str
    text: str
    selections: list[QdaSelection] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)

    def quote(self, selection: QdaSelection) -> str:
        """The text a selection spans."""
        return self.text[selection.start : selection.end]


@dataclass(slots=True)
class QdaProject:
    """What a ``.qdpx`` holds."""

    name: str
    codes: dict[str, QdaCode] = field(default_factory=dict)
    sources: list[QdaSource] = field(default_factory=list)
    cases: dict[str, dict[str, str]] = field(default_factory=dict)
    """Variables of each case, by case name."""
    notes: dict[str, str] = field(default_factory=dict)
    """Note text by GUID."""


def _variables(element: ET.Element, names: dict[str, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for value in element.findall("q:VariableValue", _NS):
        ref = value.find("q:VariableRef", _NS)
        text = next((child.text or "" for child in value if child is not ref), "")
        if ref is not None:
            values[names.get(ref.get("targetGUID", ""), ref.get("targetGUID", ""))] = text
    return values


def _codes(parent: ET.Element, path: tuple[str, ...], into: dict[str, QdaCode]) -> None:
    for code in parent.findall("q:Code", _NS):
        here = (*path, code.get("name", ""))
        description = code.find("q:Description", _NS)
        into[code.get("guid", "")] = QdaCode(
            code.get("guid", ""),
            code.get("name", ""),
            here,
            code.get("color", ""),
            description.text or "" if description is not None else "",
        )
        _codes(code, here, into)


def read_qdpx(path: Path) -> QdaProject:
    """Read a ``.qdpx``.

    Raises:
        QdpxError: not a ZIP, no ``project.qde``, XML that does not parse, a missing source file.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise QdpxError(f"{path} is not a .qdpx (ZIP) file: {exc}") from None
    with archive:
        try:
            root = ET.fromstring(archive.read("project.qde"))
        except KeyError:
            raise QdpxError(f"{path} holds no project.qde") from None
        except ET.ParseError as exc:
            raise QdpxError(f"project.qde in {path} is not valid XML: {exc}") from None
        project = QdaProject(root.get("name", ""))
        codes = root.find("q:CodeBook/q:Codes", _NS)
        if codes is not None:
            _codes(codes, (), project.codes)
        names = {v.get("guid", ""): v.get("name", "") for v in root.findall("q:Variables/q:Variable", _NS)}
        for case in root.findall("q:Cases/q:Case", _NS):
            project.cases[case.get("name", "")] = _variables(case, names)
        for note in root.findall("q:Notes/q:Note", _NS):
            content = note.find("q:PlainTextContent", _NS)
            project.notes[note.get("guid", "")] = content.text or "" if content is not None else ""
        for element in root.findall("q:Sources/q:TextSource", _NS):
            project.sources.append(_source(archive, element, names, path))
    return project


def _source(archive: zipfile.ZipFile, element: ET.Element, names: dict[str, str], path: Path) -> QdaSource:
    content = element.find("q:PlainTextContent", _NS)
    if content is not None:
        text = content.text or ""
    else:
        where = element.get("plainTextPath", "")
        member = "Sources/" + where[len(INTERNAL) :] if where.startswith(INTERNAL) else where
        try:
            text = archive.read(member).decode("utf-8-sig")
        except KeyError:
            raise QdpxError(f"{path}: the source {where!r} is missing") from None
    source = QdaSource(element.get("guid", ""), element.get("name", ""), text)
    source.variables = _variables(element, names)
    for selection in element.findall("q:PlainTextSelection", _NS):
        codings = selection.findall("q:Coding/q:CodeRef", _NS)
        refs = selection.findall("q:NoteRef", _NS)
        source.selections.append(
            QdaSelection(
                selection.get("guid", ""),
                int(selection.get("startPosition", "0")),
                int(selection.get("endPosition", "0")),
                tuple(c.get("targetGUID", "") for c in codings),
                tuple(r.get("targetGUID", "") for r in refs),
            )
        )
    return source
