"""Loaders: notice files → ``Notice`` models → a ``Corpus``.  Pure Python; never imports textual."""

from .corpus import Corpus, load_corpus, parse_bytes, read_notices, sample_data_paths
from .model import LOADER_VERSION, Notice, NoticeMeta, Paragraph, Place, Section, SkippedFile
from .parse import parse_text
from .text import DecodedText, DecodeError, clean, decode_bytes, fold

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
