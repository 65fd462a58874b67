"""Data files of the REFI-QDA export: the published project schema (``Project-mrt2019.xsd``, MIT)."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

PROJECT_SCHEMA = "Project-mrt2019.xsd"


def data_file(name: str) -> Traversable:
    """One of this folder's files, wherever the package is installed (wheel, zip or source tree)."""
    return resources.files(__name__).joinpath(name)
