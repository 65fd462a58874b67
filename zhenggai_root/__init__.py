"""Zhenggai Reader: read, compare and annotate 巡视/巡察整改进展情况通报 in the terminal.

The installed package maps the repository's top-level folders into one namespace:
``zhenggai.loaders`` (pure parsing), ``zhenggai.store`` (the TinyDB store and exports), ``zhenggai.cli``
(the typer commands), ``zhenggai.tui`` (the Textual reader), ``zhenggai.themes`` and
``zhenggai.sample_data``.
"""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """``zhenggai.__version__``, read from the installed metadata only when asked for (it is slow)."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("zhenggai-reader")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0+unknown"
