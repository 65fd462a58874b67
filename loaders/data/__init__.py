"""Data files the loaders ship (division table, pinyin of place names, the segmenter's dictionary)."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable


def data_file(name: str) -> Traversable:
    """One of this folder's files, wherever the package is installed (wheel, zip or source tree)."""
    return resources.files(__name__).joinpath(name)
