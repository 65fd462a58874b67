"""Loaders: notice files → ``Notice`` models → a ``Corpus``.  Pure Python; never imports textual.

The names below load their module on first use (PEP 562), so ``from zhenggai.loaders import fold``
does not import the parser, and a command that only reads the parse cache never compiles the parser's
rules.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .corpus import Corpus, load_corpus, parse_bytes, read_notices, sample_data_paths
    from .model import LOADER_VERSION, Notice, NoticeMeta, Paragraph, Place, Section, SkippedFile
    from .parse import parse_text
    from .text import DecodedText, DecodeError, clean, decode_bytes, fold

#: Which module defines each exported name.
_HOMES = {
    **dict.fromkeys(["Corpus", "load_corpus", "parse_bytes", "read_notices", "sample_data_paths"], ".corpus"),
    **dict.fromkeys(
        ["LOADER_VERSION", "Notice", "NoticeMeta", "Paragraph", "Place", "Section", "SkippedFile"], ".model"
    ),
    "parse_text": ".parse",
    **dict.fromkeys(["DecodedText", "DecodeError", "clean", "decode_bytes", "fold"], ".text"),
}


def __getattr__(name: str) -> Any:
    """Import an exported name's module when the name is first used."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home, __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "LOADER_VERSION",
    "Corpus",
    "DecodeError",
    "DecodedText",
    "Notice",
    "NoticeMeta",
    "Paragraph",
    "Place",
    "Section",
    "SkippedFile",
    "clean",
    "decode_bytes",
    "fold",
    "load_corpus",
    "parse_bytes",
    "parse_text",
    "read_notices",
    "sample_data_paths",
]
