"""The ``zhenggai`` command line (typer).  Only the reader commands import textual, and only when run."""

from .main import app, main

__all__ = ["app", "main"]
