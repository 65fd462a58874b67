"""Small dataclass messages the widgets post; screens handle them (Toolong style)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from ..loaders import Corpus, Notice
from ..loaders.entries import NoticeEntry


@dataclass
class NoticeChosen(Message):
    """The user chose a notice in the district list."""

    notice_id: str
    """Id of the chosen notice."""


@dataclass
class SectionChosen(Message):
    """The user chose a section in the section tree."""

    notice_id: str
    """Id of the notice the section belongs to."""
    section_id: str
    """Id of the chosen section."""
    open: bool = True
    """True for ``enter`` (move focus to the text), False for a cursor preview."""


@dataclass
class LoadProgress(Message):
    """A loading worker finished one more file."""

    done: int
    """Files read so far."""
    total: int
    """Files to read."""


@dataclass
class NoticesSoFar(Message):
    """A long first load: the notices read so far, to browse while the rest are parsed."""

    notices: list[Notice]
    done: int
    """Files read so far."""
    total: int
    """Files to read."""


@dataclass
class CorpusLoaded(Message):
    """The loading worker finished: the corpus is ready."""

    corpus: Corpus
    """The notices, skipped files and warnings."""
    entries: list[NoticeEntry]
    """What the district list shows of each notice, in the corpus's order."""
